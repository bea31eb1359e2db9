//! The generator end to end (issue 2): the real binary on small sites built in
//! temporary folders and on the real July 2020 report, read back with an HTML parser.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::common::{TestSite, attrs, build_real, real_public, stderr, texts};
use scraper::{Html, Selector};

fn parse(path: &Path) -> Html {
    Html::parse_document(
        &fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

#[test]
fn real_july_report_has_all_68_rows_in_order() {
    let out = real_public();
    let page = parse(&out.join("2020-07/index.html"));
    let expected: Vec<String> = include_str!("../fixtures/july-2020-projects.txt")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(expected.len(), 68);
    assert_eq!(texts(&page, "table.report tbody tr").len(), 68);
    assert_eq!(texts(&page, "table.report tbody th.c-project a"), expected);
    // 66 numbered rows and two without a number.
    let numbers = texts(&page, "table.report tbody td.c-no");
    assert_eq!(numbers.iter().filter(|n| n.is_empty()).count(), 2);
    assert_eq!(numbers.iter().filter(|n| !n.is_empty()).count(), 66);
    // One item page per row, in html, print and mobile views.
    for prefix in ["", "print/", "m/"] {
        let items = fs::read_dir(out.join(prefix).join("2020-07"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("index.html").is_file() && !p.ends_with("problems"))
            .count();
        assert_eq!(items, 68, "{prefix}");
    }
    assert!(out.join("2020-07/30a/index.html").is_file());
    assert!(out.join("2020-07/39a/index.html").is_file());
}

#[test]
fn real_july_metadata_header() {
    let out = real_public();
    let page = parse(&out.join("2020-07/index.html"));
    let cells: Vec<(String, String)> = {
        let row = Selector::parse("table.doc-meta th").unwrap();
        page.select(&row)
            .map(|th| {
                let td = th
                    .next_siblings()
                    .find_map(scraper::ElementRef::wrap)
                    .map(|e| e.text().collect::<String>())
                    .unwrap_or_default();
                (
                    th.text()
                        .collect::<String>()
                        .chars()
                        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
                        .collect(),
                    td.trim().to_owned(),
                )
            })
            .collect()
    };
    let get = |k: &str| {
        cells
            .iter()
            .find(|(h, _)| h == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{k} missing in {cells:?}"))
    };
    assert_eq!(
        get("文号"),
        "",
        "文号 is empty in the original and must stay empty"
    );
    assert_eq!(get("发文日期"), "2020-10-27");
    assert_eq!(get("发布机构"), "东湖生态旅游风景区管委会");
    assert_eq!(get("有效性"), "有效");
    assert_eq!(get("标题"), "7月工作进展情况及8月安排");
    let dates = texts(&page, ".doc-dates").join("");
    assert!(
        dates.contains("更新时间：2020-10-27") && dates.contains("发布时间：2020-10-27"),
        "{dates}"
    );
    assert_eq!(
        texts(&page, "table.report thead th").last().unwrap(),
        "8月具体进度安排"
    );
}

#[test]
fn real_july_merged_cells_follow_the_original() {
    let out = real_public();
    let page = parse(&out.join("2020-07/index.html"));
    let spans: Vec<usize> = attrs(&page, "table.report td.c-leader", "rowspan")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(spans.iter().sum::<usize>(), 68);
    // 章平 leads rows 1-5, 甄别 alone rows 6-15, then 甄别 with 童水林 rows 16-20.
    assert_eq!(&spans[..3], &[5, 10, 5]);
    let depts: Vec<usize> = attrs(&page, "table.report td.c-dept", "rowspan")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(depts.iter().sum::<usize>(), 68);
    assert_eq!(&depts[..3], &[5, 4, 3], "纪工委 5 rows, 组织部 4, 建设局 3");
}

#[test]
fn merged_cells_span_consecutive_equal_rows_only() {
    let s = TestSite::new();
    s.month("2021-03", "");
    s.item(
        "2021-03",
        "1",
        "number: 1\nleaders: 甲\nproject: 一\ndepartment: 部门X\n",
        "",
    );
    s.item(
        "2021-03",
        "2",
        "number: 2\nleaders: 甲\nproject: 二\ndepartment: 部门Y\n",
        "",
    );
    s.item(
        "2021-03",
        "3",
        "number: 3\nleaders: 乙\nproject: 三\ndepartment: 部门Y\n",
        "",
    );
    s.item(
        "2021-03",
        "4",
        "number: 4\nleaders: 甲\nproject: 四\ndepartment: 部门Y\n",
        "",
    );
    s.build();
    let page = s.page("2021-03/index.html");
    assert_eq!(attrs(&page, "td.c-leader", "rowspan"), ["2", "1", "1"]);
    assert_eq!(attrs(&page, "td.c-dept", "rowspan"), ["1", "3"]);
    // Each row still has seven cells' worth of columns once spans are counted.
    assert_eq!(texts(&page, "td.c-leader"), ["甲", "乙", "甲"]);
}

#[test]
fn chinese_keys_bom_crlf_unnumbered_rows_and_natural_order() {
    let s = TestSite::new();
    s.write("content/2020-12/_index.md", "\u{feff}---\r\n发文日期: 2021年1月5日\r\n文号: 无\r\n有效性: 有效\r\n索引号: 011043/2021-00001\r\n主题分类: 综合政务\r\n来源: 办公室\r\n---\r\n");
    s.write("content/2020-12/10.md", "\u{feff}---\r\n序号: 10\r\n责任领导: [张三, 李四]\r\n项目名称: 第十项\r\n责任部门: 信访办牵头,综治办配合\r\n---\r\n## 本月进度情况\r\n\r\n进度十\r\n\r\n## 1月具体进度安排\r\n\r\n安排十\r\n");
    s.item(
        "2020-12",
        "2",
        "number: 2\nleaders: 王五\nproject: 第二项\ndepartment: 办公室\n",
        "## 存在问题\n\n问题二\n",
    );
    s.item(
        "2020-12",
        "2a",
        "leaders: 王五\nproject: 无序号的一项\ndepartment: 办公室\n",
        "## 下月安排\n\n安排\n",
    );
    s.build();
    let page = s.page("2020-12/index.html");
    assert_eq!(
        texts(&page, "tbody th.c-project > a"),
        ["第二项", "无序号的一项", "第十项"]
    );
    assert_eq!(texts(&page, "tbody td.c-no"), ["2", "", "10"]);
    assert_eq!(texts(&page, "thead th").last().unwrap(), "1月具体进度安排");
    assert_eq!(texts(&page, "h1.doc-title"), ["12月工作进展情况及1月安排"]);
    let meta = texts(&page, "table.doc-meta td").join("|");
    for want in [
        "无",
        "2021-01-05",
        "011043/2021-00001",
        "综合政务",
        "办公室",
        "测试管委会",
    ] {
        assert!(meta.contains(want), "{want} not in {meta}");
    }
    let row = texts(&page, "tbody tr").last().unwrap().clone();
    assert!(row.contains("进度十") && row.contains("安排十"), "{row}");
    assert_eq!(texts(&page, "td.c-leader a"), ["王五", "张三", "李四"]);
}

#[test]
fn project_page_lists_months_in_order_beside_previous_plan() {
    let s = TestSite::new();
    for (ym, n) in [("2020-11", "十一"), ("2020-09", "九"), ("2020-10", "十")] {
        s.month(ym, "");
        s.item(ym, "01", &format!("number: 1\nleaders: 甲\nproject: 绿道{n}月名称\nkey: greenway\ndepartment: 建设局\n"), &format!("## 本月进度情况\n\n{n}月进度\n\n## 下月安排\n\n{n}月定的下月安排\n"));
        s.item(
            ym,
            "02",
            "number: 2\nleaders: 乙\nproject: 别的项目\ndepartment: 办公室\n",
            "",
        );
    }
    s.build();
    let page = s.page("projects/greenway/index.html");
    let headings = texts(&page, ".project-entry h2");
    assert_eq!(headings.len(), 3);
    assert!(
        headings[0].starts_with("2020年9月")
            && headings[1].starts_with("2020年10月")
            && headings[2].starts_with("2020年11月"),
        "{headings:?}"
    );
    let prev = texts(&page, ".project-entry .prev-plan");
    assert!(prev[0].contains("无上月安排"), "{prev:?}");
    assert!(
        prev[1].contains("九月定的下月安排") && prev[1].contains("2020年9月"),
        "{prev:?}"
    );
    assert!(prev[2].contains("十月定的下月安排"), "{prev:?}");
    assert_eq!(
        texts(&page, "h1"),
        ["项目：绿道十一月名称"],
        "named as in the latest month"
    );
    // The item page links to its project and to the project's neighbouring months.
    let item = s.page("2020-10/01/index.html");
    let links = attrs(&item, "a", "href");
    assert!(
        links.contains(&"../../projects/greenway/index.html".to_owned()),
        "{links:?}"
    );
    assert!(
        links.contains(&"../../2020-09/01/index.html".to_owned())
            && links.contains(&"../../2020-11/01/index.html".to_owned()),
        "{links:?}"
    );
}

#[test]
fn department_and_leader_pages_collect_all_months() {
    let s = TestSite::new();
    for ym in ["2020-01", "2020-02"] {
        s.month(ym, "");
        s.item(
            ym,
            "1",
            "number: 1\nleaders: [章平, 甄别]\nproject: 甲项目\ndepartment: 纪工委\n",
            "",
        );
        s.item(
            ym,
            "2",
            "number: 2\nleaders: 甄别\nproject: 乙项目\ndepartment: 组织部\n",
            "",
        );
    }
    s.build();
    let dept = s.page("departments/ji-gong-wei/index.html");
    assert_eq!(texts(&dept, ".group-month h2"), ["2020年2月", "2020年1月"]);
    assert_eq!(texts(&dept, ".group-item h3").len(), 2);
    let leader = s.page("leaders/zhen-bie/index.html");
    assert_eq!(texts(&leader, ".group-item h3").len(), 4);
    let index = s.page("leaders/index.html");
    assert_eq!(texts(&index, ".group-list a"), ["章平", "甄别"]);
}

#[test]
fn home_has_latest_report_and_archive_by_year() {
    let s = TestSite::new();
    for ym in ["2019-12", "2020-01", "2020-02"] {
        s.month(ym, "");
        s.item(
            ym,
            "1",
            "number: 1\nleaders: 甲\nproject: 甲项目\ndepartment: 纪工委\n",
            "",
        );
    }
    s.build();
    let home = s.page("index.html");
    assert!(texts(&home, ".latest h2")[0].contains("2020年2月"));
    assert_eq!(texts(&home, ".archive h3"), ["2020年", "2019年"]);
    assert_eq!(
        texts(&home, ".archive li a"),
        [
            "2020年2月 2月工作进展情况及3月安排",
            "2020年1月 1月工作进展情况及2月安排",
            "2019年12月 12月工作进展情况及1月安排"
        ]
    );
}

#[test]
fn chinese_bold_and_markdown_features_render() {
    let s = TestSite::new();
    s.month("2020-07", "");
    s.item("2020-07", "1", "number: 1\nleaders: 甲\nproject: 项目\ndepartment: 部门\n", "## 本月进度情况\n\n**注意：**正文，“引号”不变。~~旧~~\n\n| 指标 | 数值 |\n|---|---|\n| 完成率 | 62.4% |\n\n脚注[^1]\n\n[^1]: 说明\n");
    s.build();
    let page = s.page("2020-07/1/index.html");
    assert_eq!(texts(&page, ".sections strong"), ["注意："]);
    assert_eq!(texts(&page, ".sections del"), ["旧"]);
    assert!(
        texts(&page, ".sections p")
            .iter()
            .any(|p| p.contains("“引号”"))
    );
    assert_eq!(texts(&page, ".sections table td"), ["完成率", "62.4%"]);
    assert_eq!(texts(&page, ".sections .footnote-definition").len(), 1);
}

#[test]
fn a_site_can_override_one_template() {
    let s = TestSite::new();
    s.month("2020-07", "");
    s.item(
        "2020-07",
        "1",
        "number: 1\nleaders: 甲\nproject: 项目\ndepartment: 部门\n",
        "",
    );
    s.write(
        "themes/default/templates/partials/qr.html",
        "<p class=\"custom-qr\">自定义</p>",
    );
    s.build();
    let page = s.page("2020-07/index.html");
    assert_eq!(texts(&page, ".custom-qr"), ["自定义"]);
    // Everything else still comes from the built-in theme.
    assert_eq!(texts(&page, "table.report tbody tr").len(), 1);
}

/// A syntax error in one overridden template is reported at that file, alone:
/// not buried under the includes other templates cannot find when parsed apart.
#[test]
fn a_broken_template_is_named_alone() {
    let s = TestSite::new();
    s.month("2020-07", "");
    s.item(
        "2020-07",
        "1",
        "number: 1\nleaders: 甲\nproject: 项目\ndepartment: 部门\n",
        "",
    );
    s.write(
        "themes/default/templates/html/item.html",
        "{% extends \"html/base.html\" %}\n{% block main %}\n{{ page.title \n{% endblock main %}\n",
    );
    let out = s.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("html/item.html"), "{err}");
    assert!(!err.contains("Unknown template"), "{err}");
    assert_eq!(err.matches("模板错误").count(), 1, "{err}");
}

#[test]
fn builds_from_any_working_directory_with_the_built_in_theme() {
    let out = real_public();
    assert!(out.join("static/gongkai.css").is_file());
    assert!(out.join("index.html").is_file());
}

/// Every relative link and asset in the real site's output resolves to a file,
/// so the site works from any path and from disk.
#[test]
fn every_internal_link_of_the_real_site_resolves() {
    let out = real_public();
    let sel = Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    let mut checked = 0;
    let mut broken = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = parse(entry.path());
        for el in doc.select(&sel) {
            let target = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with('#')
                || target.starts_with("mailto:")
            {
                continue;
            }
            assert!(
                !target.starts_with('/'),
                "absolute link {target} in {}",
                entry.path().display()
            );
            let path = target.split(['#', '?']).next().unwrap();
            let resolved = entry.path().parent().unwrap().join(path);
            let resolved = if path.ends_with('/') || path.is_empty() {
                resolved.join("index.html")
            } else {
                resolved
            };
            if !resolved.exists() {
                broken.insert(format!(
                    "{} -> {target}",
                    entry.path().strip_prefix(out).unwrap().display()
                ));
            }
            checked += 1;
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links, e.g. {:?}",
        broken.len(),
        broken.iter().take(10).collect::<Vec<_>>()
    );
    assert!(checked > 5_000, "only {checked} links checked");
}

#[test]
fn slugs_are_ascii_and_stable() {
    // The shared build and a second, fresh one.
    let out1 = real_public();
    let (_b, out2) = build_real();
    let list = |out: &Path| -> Vec<String> {
        let mut v: Vec<String> = walkdir::WalkDir::new(out)
            .into_iter()
            .map(|e| {
                e.unwrap()
                    .path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        v.sort();
        v
    };
    let paths = list(out1);
    assert_eq!(paths, list(&out2));
    assert!(
        paths.iter().all(|p| p.is_ascii()),
        "{:?}",
        paths.iter().find(|p| !p.is_ascii())
    );
    assert!(paths.contains(&"projects/di-tie-19-hao-xian/index.html".to_owned()));
}

/// `build --timings` names every stage with a duration, so the web office can
/// see where a slow build spends its time.
#[test]
fn timings_name_each_stage() {
    let site = TestSite::new();
    site.month("2020-07", "");
    site.item(
        "2020-07",
        "01",
        "序号: 1\n责任领导: 甲\n项目名称: 项目一\n责任部门: 部门一\n",
        "## 本月进度情况\n进展。\n",
    );
    let out = site.run(&["build", "--timings"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for stage in [
        "读取内容",
        "生成并写入页面",
        "搜索索引",
        "开放数据",
        "替换输出目录",
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(stage))
            .unwrap_or_else(|| panic!("no {stage} in:\n{err}"));
        let ms: f64 = line.split_whitespace().next().unwrap().parse().unwrap();
        assert!((0.0..60_000.0).contains(&ms), "{line}");
    }
    let plain = stderr(&site.run(&["build"]));
    assert!(!plain.contains("生成并写入页面"), "timings only when asked");
}
