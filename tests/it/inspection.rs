//! What a government-website inspection reads from the pages: the 网页标签
//! of 《政府网站发展指引》, the site identification in the footer, and the
//! 索引号 of each report.

use std::collections::BTreeMap;

use scraper::{Html, Selector};

use crate::common::{TestSite, stderr};

const SITE_YAML: &str = "title: 测试公开网站\npublisher: 测试管委会\nbase_url: https://www.example.gov.cn/gk/\n\
网站标识码: '4201000099'\n主办单位: 测试区人民政府办公室\nICP备案号: 鄂ICP备12345678号\n\
police_record: 鄂公网安备 42010202000099号\nindex_prefix: '011043'\n";

/// One month of two items, with an identified site.
fn identified_site() -> TestSite {
    let s = TestSite::new();
    s.write("content/site.yaml", SITE_YAML);
    s.month(
        "2020-07",
        "发布时间: 2020-10-28\n发布机构: 测试区规划分局\n主题分类: 城乡建设\n索引号: 011043/2020-00001\n",
    );
    s.item(
        "2020-07",
        "01",
        "序号: 1\n责任领导: [章平, 李明]\n项目名称: 绿道二期\n责任部门: 规划分局\n",
        "## 本月进度情况\n\n完成征地  \n和拆迁。\n",
    );
    s.item(
        "2020-07",
        "02",
        "序号: 2\n责任领导: 章平\n项目名称: 还建房\n责任部门: 规划分局\n",
        "## 存在问题\n\n土地手续。\n",
    );
    s
}

/// The page's `<meta name>` tags, name → content; a name given twice fails.
fn meta(doc: &Html) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for m in doc.select(&Selector::parse("meta[name]").unwrap()) {
        let name = m.value().attr("name").unwrap().to_owned();
        let content = m.value().attr("content").unwrap_or("").to_owned();
        assert!(!content.trim().is_empty(), "empty meta tag {name}");
        assert!(
            out.insert(name.clone(), content).is_none(),
            "meta {name} twice"
        );
    }
    out
}

const COLUMN_TAGS: [&str; 7] = [
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ColumnType",
    "ColumnDescription",
    "ColumnKeywords",
];
const ARTICLE_TAGS: [&str; 7] = [
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Author",
    "Description",
    "Url",
];

#[test]
fn column_pages_carry_the_site_and_column_tags_and_a_description() {
    let s = identified_site();
    s.build();
    for page in [
        "index.html",
        "projects/index.html",
        "departments/index.html",
        "leaders/index.html",
        "search/index.html",
        "m/index.html",
        "print/projects/index.html",
    ] {
        let m = meta(&s.page(page));
        for tag in COLUMN_TAGS.iter().chain(&["Description"]) {
            assert!(m.contains_key(*tag), "{page} lacks {tag}: {m:?}");
        }
        assert!(!m.contains_key("ArticleTitle"), "{page} is no article");
        assert_eq!(m["SiteName"], "测试公开网站");
        assert_eq!(m["SiteDomain"], "www.example.gov.cn");
        assert_eq!(m["SiteIDCode"], "4201000099");
    }
    let home = meta(&s.page("index.html"));
    assert_eq!(home["ColumnName"], "首页");
    assert_eq!(home["ColumnType"], "信息公开");
    assert_eq!(meta(&s.page("projects/index.html"))["ColumnName"], "项目");
}

#[test]
fn article_pages_carry_the_article_tags_from_the_report_and_the_item() {
    let s = identified_site();
    s.build();
    let month = meta(&s.page("2020-07/index.html"));
    for tag in COLUMN_TAGS.iter().chain(&ARTICLE_TAGS) {
        assert!(month.contains_key(*tag), "month lacks {tag}: {month:?}");
    }
    assert_eq!(month["ColumnName"], "工作进展");
    assert_eq!(month["ArticleTitle"], "7月工作进展情况及8月安排");
    assert_eq!(month["PubDate"], "2020-10-28");
    assert_eq!(month["ContentSource"], "测试区规划分局");
    assert_eq!(month["Author"], "测试区规划分局");
    assert_eq!(month["Url"], "https://www.example.gov.cn/gk/2020-07/");
    assert_eq!(
        month["Keywords"],
        "城乡建设,2020年7月,工作进展,测试区规划分局"
    );
    assert!(month["Description"].contains("共2项工作"), "{month:?}");

    let item = meta(&s.page("2020-07/01/index.html"));
    for tag in COLUMN_TAGS.iter().chain(&ARTICLE_TAGS) {
        assert!(item.contains_key(*tag), "item lacks {tag}: {item:?}");
    }
    assert_eq!(item["ArticleTitle"], "绿道二期 - 7月工作进展情况及8月安排");
    assert_eq!(item["Keywords"], "绿道二期,规划分局,章平,李明,2020年7月");
    assert_eq!(item["Description"], "完成征地 和拆迁。");
    assert_eq!(item["Url"], "https://www.example.gov.cn/gk/2020-07/01/");
    // The mobile page names the html page, like its canonical link.
    let mobile = meta(&s.page("m/2020-07/01/index.html"));
    assert_eq!(mobile["Url"], item["Url"]);
    // An item with no progress is still described.
    assert_eq!(
        meta(&s.page("2020-07/02/index.html"))["Description"],
        "还建房：2020年7月工作进展情况"
    );
}

#[test]
fn a_tag_without_a_value_is_left_out_not_written_empty() {
    let s = TestSite::new();
    // No base URL, no 网站标识码, no publisher.
    s.write("content/site.yaml", "title: 测试公开网站\n");
    s.month("2020-07", "");
    s.item(
        "2020-07",
        "01",
        "责任领导: 章平\n项目名称: 绿道二期\n责任部门: 规划分局\n",
        "",
    );
    s.build();
    let m = meta(&s.page("2020-07/01/index.html"));
    for gone in ["SiteDomain", "SiteIDCode", "Url", "ContentSource", "Author"] {
        assert!(!m.contains_key(gone), "{gone} has no value: {m:?}");
    }
    assert_eq!(m["SiteName"], "测试公开网站");
    assert_eq!(m["PubDate"], "2020-07-27");
}

/// The footer's site identification, one line per field.
fn identity(doc: &Html) -> Vec<String> {
    crate::common::texts(doc, "footer .site-id span")
}

#[test]
fn every_page_of_every_view_names_the_site_in_its_footer() {
    let s = identified_site();
    s.build();
    let want = [
        "主办单位：测试区人民政府办公室",
        "网站标识码：4201000099",
        "ICP备案号：鄂ICP备12345678号",
        "公安备案号：鄂公网安备 42010202000099号",
    ];
    for view in ["", "print/", "m/"] {
        for page in [
            "index.html",
            "2020-07/index.html",
            "2020-07/01/index.html",
            "projects/index.html",
            "departments/index.html",
            "search/index.html",
        ] {
            let doc = s.page(&format!("{view}{page}"));
            assert_eq!(identity(&doc), want, "{view}{page}");
            // No 党政机关网站标识 unless the office gives the file.
            assert!(
                crate::common::attrs(&doc, ".site-badge", "src").is_empty(),
                "{view}{page}"
            );
        }
    }
}

#[test]
fn the_organizer_defaults_to_the_publisher_and_absent_fields_are_not_shown() {
    let s = TestSite::new();
    s.month("2020-07", "");
    s.item(
        "2020-07",
        "01",
        "责任领导: 章平\n项目名称: 绿道二期\n责任部门: 规划分局\n",
        "",
    );
    s.build();
    assert_eq!(identity(&s.page("index.html")), ["主办单位：测试管委会"]);
}

#[test]
fn the_offices_badge_file_in_its_theme_is_shown_in_every_view() {
    let s = identified_site();
    s.write("themes/default/static/dzjg.png", "not really a png");
    s.build();
    assert_eq!(
        crate::common::attrs(&s.page("2020-07/01/index.html"), ".site-badge", "src"),
        ["../../static/dzjg.png"]
    );
    assert_eq!(
        crate::common::attrs(&s.page("m/2020-07/index.html"), ".site-badge", "src"),
        ["../../static/dzjg.png"]
    );
    assert!(s.public().join("static/dzjg.png").is_file());
}

/// A site with 索引号前缀 011043 and a month of one item per 索引号 given.
fn indexed_site(numbers: &[(&str, &str)]) -> TestSite {
    let s = TestSite::new();
    s.write(
        "content/site.yaml",
        "title: 测试公开网站\npublisher: 测试管委会\n索引号前缀: '011043'\n",
    );
    for (ym, number) in numbers {
        s.month(ym, &format!("索引号: {number}\n"));
        s.item(
            ym,
            "01",
            "责任领导: 章平\n项目名称: 绿道二期\n责任部门: 规划分局\n",
            "",
        );
    }
    s
}

#[test]
fn an_index_number_used_by_two_months_is_an_error_naming_both_files() {
    let s = indexed_site(&[
        ("2020-06", "011043/2020-00007"),
        ("2020-07", "011043/2020-00007"),
    ]);
    let out = s.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let msg = stderr(&out);
    assert!(
        msg.contains("索引号 (index_number)“011043/2020-00007”与"),
        "{msg}"
    );
    assert!(msg.contains("2020-06/_index.md 重复"), "{msg}");
    // Pointed at the later file's 索引号 line.
    assert!(msg.contains("2020-07/_index.md:3"), "{msg}");
}

#[test]
fn an_index_number_off_the_sites_pattern_is_a_warning() {
    let s = indexed_site(&[
        ("2020-05", "011043/2020-00001"),
        ("2020-06", "011043/2020-7"),
        ("2020-07", "999999/2020-00002"),
    ]);
    let out = s.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let msg = stderr(&out);
    assert!(
        msg.contains("“011043/2020-7”不符合 `011043/YYYY-NNNNN`"),
        "{msg}"
    );
    assert!(msg.contains("“999999/2020-00002”不符合"), "{msg}");
    assert!(!msg.contains("011043/2020-00001”"), "{msg}");
    // Without a prefix, any 索引号 is the office's own.
    s.write("content/site.yaml", "title: 测试公开网站\n");
    let out = s.run(&["check"]);
    assert!(!stderr(&out).contains("不符合"), "{}", stderr(&out));
}

#[test]
fn new_month_writes_the_next_free_serial_of_its_year() {
    let s = indexed_site(&[
        ("2019-12", "011043/2019-00041"),
        ("2020-06", "011043/2020-00003"),
        ("2020-07", "011043/2020-00002"),
    ]);
    let out = s.run(&["new", "month", "2020-08"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(s.content().join("2020-08/_index.md")).unwrap();
    assert!(
        text.contains("index_number: \"011043/2020-00004\"\n"),
        "{text}"
    );
    // The first report of a year starts at 00001.
    let out = s.run(&["new", "month", "2021-01", "--from", "2020-07"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(s.content().join("2021-01/_index.md")).unwrap();
    assert!(
        text.contains("index_number: \"011043/2021-00001\"\n"),
        "{text}"
    );
}

#[test]
fn new_month_writes_no_index_number_without_a_prefix() {
    let s = TestSite::new();
    s.month("2020-07", "索引号: 011043/2020-00002\n");
    s.item(
        "2020-07",
        "01",
        "责任领导: 章平\n项目名称: 绿道二期\n责任部门: 规划分局\n",
        "",
    );
    let out = s.run(&["new", "month", "2020-08"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(s.content().join("2020-08/_index.md")).unwrap();
    assert!(!text.contains("index_number"), "{text}");
}

#[test]
fn check_warns_once_about_the_identification_the_inspection_asks_for() {
    let s = identified_site();
    let out = s.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("0 个警告"), "{}", stderr(&out));

    // Only ICP备案号 given: one warning naming site.yaml and the two missing.
    s.write(
        "content/site.yaml",
        "title: 测试公开网站\npublisher: 测试管委会\nICP备案号: 鄂ICP备12345678号\n",
    );
    let out = s.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning: ").count(), 1, "{err}");
    assert!(err.contains("--> content/site.yaml\n"), "{err}");
    assert!(
        err.contains(
            "site.yaml 缺少 网站标识码 (site_id_code)、公安备案号 (police_record)：政府网站检查要求"
        ),
        "{err}"
    );
    assert!(
        !err.contains("缺少 ICP") && !err.contains("、ICP备案号 (icp)"),
        "{err}"
    );
    assert!(err.contains("检查通过：0 个错误、1 个警告"), "{err}");
    let out = s.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: site.yaml 缺少"),
        "{}",
        stderr(&out)
    );

    // The build and the preview are not held up by it.
    let out = s.run(&["build", "--strict"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("缺少"), "{}", stderr(&out));

    // None of the three: all named, still once.
    s.write("content/site.yaml", "title: 测试公开网站\n");
    let err = stderr(&s.run(&["check"]));
    assert_eq!(err.matches("warning: ").count(), 1, "{err}");
    assert!(
        err.contains("缺少 网站标识码 (site_id_code)、ICP备案号 (icp)、公安备案号 (police_record)"),
        "{err}"
    );
}

/// Issue 27: a published month corrected without moving its 更新时间 is
/// named, with the fix; the build is not held up, and once 更新时间 moves the
/// warning goes.
#[test]
fn a_correction_without_a_new_update_date_is_pointed_out() {
    let site = crate::common::TestSite::new();
    site.month("2020-07", "updated: 2020-10-27\n");
    let item = |progress: &str| {
        site.item(
            "2020-07",
            "01",
            "number: 1\nleaders: 章平\nproject: 东湖绿道\ndepartment: 纪工委\n",
            &format!("## 本月进度情况\n\n{progress}\n"),
        )
    };
    item("绿道推进。");
    let first = site.build();
    assert!(first.status.success(), "{}", crate::common::stderr(&first));
    assert!(!crate::common::stderr(&first).contains("已发布的内容改了"));

    item("绿道二期完工。");
    // `check` says it before the build.
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", crate::common::stderr(&check));
    assert!(
        crate::common::stderr(&check).contains("2020-07 已发布的内容改了"),
        "{}",
        crate::common::stderr(&check)
    );
    let out = site.build();
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let err = crate::common::stderr(&out);
    assert!(
        err.contains("2020-07 已发布的内容改了，但更新时间（updated）还是 2020-10-27"),
        "{err}"
    );
    assert!(
        err.contains("2020-07/_index.md") && err.contains("changes"),
        "{err}"
    );

    site.month("2020-07", "updated: 2020-11-03\n");
    let moved = site.build();
    assert!(moved.status.success(), "{}", crate::common::stderr(&moved));
    assert!(
        !crate::common::stderr(&moved).contains("已发布的内容改了"),
        "{}",
        crate::common::stderr(&moved)
    );
}
