//! `gongkai import` of saved portal pages (.html, any encoding) and Word
//! documents (.docx, as Word and as WPS write them), and the round trip: a
//! month page gongkai published imports back to the same month.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::common::{TestSite, load, real_content, real_public, stderr};

/// Imports one published page of the real July into a fresh site and
/// asserts every item and every metadata field loads back equal.
fn assert_page_round_trips(page: &Path) {
    let real = load(&real_content());
    let site = TestSite::new();
    fs::copy(
        real_content().join("site.yaml"),
        site.content().join("site.yaml"),
    )
    .unwrap();
    let out = site.run(&["import", page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("导入 68 行"), "{err}");
    assert!(err.contains("没有序号的行：30a.md、39a.md"), "{err}");
    // The page's rowspans: 60 rows share the 责任领导 above, 45 the 责任部门.
    assert!(err.contains("责任领导 60 行"), "{err}");
    assert!(err.contains("责任部门 45 行"), "{err}");
    assert!(err.contains("文件信息取自页面"), "{err}");
    let imported = load(&site.content());
    let (a, b) = (&real.months[0], &imported.months[0]);
    assert_eq!(b.ym, a.ym);
    for (name, x, y) in [
        ("title", &a.meta.title, &b.meta.title),
        ("doc_number", &a.meta.doc_number, &b.meta.doc_number),
        ("index_number", &a.meta.index_number, &b.meta.index_number),
        ("publisher", &a.meta.publisher, &b.meta.publisher),
        ("validity", &a.meta.validity, &b.meta.validity),
        ("topic", &a.meta.topic, &b.meta.topic),
        ("source", &a.meta.source, &b.meta.source),
    ] {
        assert_eq!(y, x, "{name}");
    }
    assert_eq!(b.meta.issued, a.meta.issued);
    assert_eq!(b.meta.published, a.meta.published);
    assert_eq!(b.meta.updated, a.meta.updated);
    assert_eq!(a.items.len(), 68);
    assert_eq!(b.items.len(), 68);
    crate::common::assert_same_items(&a.items, &b.items);
    // Nothing left to fill in: the imported month builds as it is.
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn a_published_month_page_imports_back_to_the_same_month() {
    assert_page_round_trips(&real_public().join("2020-07/index.html"));
}

#[test]
fn its_print_view_imports_back_too() {
    assert_page_round_trips(&real_public().join("print/2020-07/index.html"));
}

/// An old-portal page: layout table around everything, metadata labels with
/// spaces and &nbsp; between their characters, 字号 and 打印/关闭 furniture,
/// the work table with a title row, rowspans and paragraphs in cells.
fn portal_page(charset: &str, title_month: &str, issued: &str) -> String {
    // One 索引号 a month: two reports may not share one.
    let index = format!("{:02}", title_month.parse::<u32>().unwrap_or(0));
    format!(
        r#"<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>某某网站</title><meta name="ArticleTitle" content="不用这个"></head><body>
<div class="crumb">首页 &gt; 政府信息公开 &gt; 重点工作</div>
<table width="100%"><tr><td>
<table class="xxgk">
<tr><td>索&nbsp;引&nbsp;号：</td><td>0123-2020-000{index}</td><td>分　　类：</td><td>综合政务</td></tr>
<tr><td>发文机关：</td><td>东湖管委会</td><td>发文日期：</td><td>{issued}</td></tr>
<tr><td>文　　号：</td><td>东管〔2020〕7号</td><td>时　　效：</td><td>有效</td></tr>
<tr><td>名　　称：</td><td colspan="3">{title_month}月工作进展情况</td></tr>
</table>
<div>字号：<a>大</a> <a>中</a> <a>小</a>　更新时间:{issued} 10:00　发布时间:{issued}</div>
<table border="1">
<tr><td colspan="5"><b>{title_month}月重点工作</b></td></tr>
<tr><td>序 号</td><td>责任领导</td><td>项目名称</td><td>责任部门</td><td>本月进度情况</td><td>存在问题</td><td>下月安排</td></tr>
<tr><td>1</td><td rowspan="3">章&nbsp;&nbsp;平</td><td>扫黑除恶</td><td rowspan="2">纪工委</td><td><p>第一段。</p><p>第二段。</p></td><td></td><td>继续</td></tr>
<tr><td>2</td><td>防疫督查</td><td>检查285次<br>发现问题78个</td><td>无</td><td>继续</td></tr>
<tr><td>3</td><td>编制工作</td><td>组织部</td><td><ol><li>甲</li><li>乙</li></ol></td><td></td><td></td></tr>
</table>
<div>附件：无</div><div>扫一扫在手机打开当前页</div><a>[打印]</a> <a>[关闭]</a>
</td></tr></table></body></html>"#
    )
}

#[test]
fn a_gbk_portal_page_becomes_a_month_with_its_metadata() {
    let site = TestSite::new();
    let page = portal_page("gb2312", "12", "2021-01-08");
    let (bytes, _, bad) = encoding_rs::GBK.encode(&page);
    assert!(!bad);
    fs::write(site.root().join("12月.htm"), &bytes).unwrap();
    let out = site.run(&["import", "12月.htm"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    // A 12月 report issued in January belongs to the year before.
    assert!(
        err.contains("导入 3 行到") && err.contains("2020-12"),
        "{err}"
    );
    assert!(err.contains("GBK"), "{err}");
    assert!(
        err.contains("责任领导 2 行（第 4–5 行），责任部门 1 行（第 4 行）"),
        "{err}"
    );
    assert!(err.contains("页面上没有的：来源"), "{err}");
    let c = load(&site.content());
    let m = &c.months[0];
    assert_eq!(m.ym.to_string(), "2020-12");
    assert_eq!(m.meta.title, "12月工作进展情况");
    assert_eq!(m.meta.index_number, "0123-2020-00012");
    assert_eq!(m.meta.topic, "综合政务");
    assert_eq!(m.meta.publisher, "东湖管委会");
    assert_eq!(m.meta.doc_number, "东管〔2020〕7号");
    assert_eq!(m.meta.validity, "有效");
    assert_eq!(m.meta.issued.to_string(), "2021-01-08");
    assert_eq!(m.meta.updated.to_string(), "2021-01-08");
    let items = &m.items;
    assert_eq!(items.len(), 3);
    assert_eq!(items[2].leaders, ["章\u{a0}\u{a0}平"]);
    assert_eq!(items[1].department, "纪工委");
    assert_eq!(items[2].department, "组织部");
    assert_eq!(&*items[0].progress.html, "<p>第一段。</p>\n<p>第二段。</p>");
    assert_eq!(&*items[1].progress.text, "检查285次\n发现问题78个");
    assert!(
        items[2].progress.text.contains("1.甲"),
        "{}",
        items[2].progress.text
    );
    let index = fs::read_to_string(site.content().join("2020-12/_index.md")).unwrap();
    assert!(
        !index.contains("扫一扫") && !index.contains("打印"),
        "{index}"
    );
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn several_pages_at_once_all_or_nothing() {
    let site = TestSite::new();
    site.write("a.html", &portal_page("utf-8", "7", "2020-08-05"));
    site.write("b.html", &portal_page("utf-8", "8", "2020-09-05"));
    site.write(
        "c.html",
        "<html><body><h1>通知</h1><p>这是一则通知，不是月报。</p></body></html>",
    );
    site.write("d.html", &portal_page("utf-8", "7", "2020-08-20"));

    // A page that is not a report: reported, and no month written.
    let out = site.run(&["import", "a.html", "b.html", "c.html"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("c.html"), "{}", stderr(&out));
    assert!(!site.content().join("2020-07").exists());
    assert!(!site.content().join("2020-08").exists());

    // Two pages for one month.
    let out = site.run(&["import", "a.html", "d.html"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("都是 2020-07 的报告"),
        "{}",
        stderr(&out)
    );
    assert!(!site.content().join("2020-07").exists());

    let out = site.run(&["import", "a.html", "b.html"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("共导入 2 个文件"), "{}", stderr(&out));
    let c = load(&site.content());
    let months: Vec<String> = c.months.iter().map(|m| m.ym.to_string()).collect();
    assert_eq!(months, ["2020-07", "2020-08"]);
}

#[test]
fn legacy_word_files_are_refused_with_the_way_forward() {
    let site = TestSite::new();
    for name in ["7月.doc", "7月.wps"] {
        site.write(name, "\u{d0}\u{cf}");
        let out = site.run(&["import", name, "--month", "2020-07"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("另存为"), "{}", stderr(&out));
        assert!(stderr(&out).contains(".docx"), "{}", stderr(&out));
    }
    assert!(!site.content().join("2020-07").exists());
}

// ---- Word documents, written here as OOXML. ----

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

pub(crate) fn docx(path: &Path, body: &str, numbering: Option<&str>) {
    let file = fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    write!(zip, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document {NS}><w:body>{body}</w:body></w:document>").unwrap();
    if let Some(n) = numbering {
        zip.start_file("word/numbering.xml", opts).unwrap();
        write!(
            zip,
            "<?xml version=\"1.0\"?><w:numbering {NS}>{n}</w:numbering>"
        )
        .unwrap();
    }
    zip.finish().unwrap();
}

pub(crate) fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

pub(crate) fn tc(props: &str, content: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>")
}

/// The report as Word writes it (`vMerge` continue as an empty element) or as
/// WPS does (`w:val="continue"`, an empty paragraph in continued cells,
/// `gridAfter` on rows, an empty trailing row).
fn report_table(wps: bool) -> String {
    let cont = if wps {
        tc(r#"<w:vMerge w:val="continue"/>"#, "<w:p/>")
    } else {
        tc("<w:vMerge/>", "<w:p/>")
    };
    let after = if wps {
        r#"<w:trPr><w:gridAfter w:val="1"/></w:trPr>"#
    } else {
        ""
    };
    let numbered = |t: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    let header: String = [
        "序号",
        "责任领导",
        "项目名称",
        "责任部门",
        "本月进度情况",
        "存在问题",
        "8月具体进度安排",
    ]
    .iter()
    .map(|h| tc("", &p(h)))
    .collect();
    let mut rows = vec![
        format!(
            "<w:tr>{}</w:tr>",
            tc(r#"<w:gridSpan w:val="7"/>"#, &p("7月工作进展情况"))
        ),
        format!("<w:tr>{after}{header}</w:tr>"),
        format!(
            "<w:tr>{after}{}{}{}{}{}{}{}</w:tr>",
            tc("", &p("1")),
            tc(r#"<w:vMerge w:val="restart"/>"#, &p("章  平")),
            tc("", &p("扫黑除恶")),
            tc(r#"<w:vMerge w:val="restart"/>"#, &p("纪工委")),
            tc("", &(p("第一段。") + &p("第二段。"))),
            tc("", "<w:p/>"),
            tc("", &p("继续")),
        ),
        format!(
            "<w:tr>{after}{}{cont}{}{cont}{}{}{}</w:tr>",
            tc("", &p("2")),
            tc("", &p("防疫督查")),
            tc("", &(numbered("检查285次") + &numbered("发现问题78个"))),
            tc("", &p("无")),
            tc("", "<w:p/>"),
        ),
        format!(
            "<w:tr>{after}{}{cont}{}{}{}{}{}</w:tr>",
            tc("", &p("3")),
            tc("", &p("编制工作")),
            tc("", &p("组织部")),
            // A nested table: its paragraphs are the cell's.
            tc(
                "",
                &format!(
                    "<w:tbl><w:tr>{}</w:tr></w:tbl>{}",
                    tc("", &p("表中表")),
                    p("")
                )
            ),
            tc("", "<w:p/>"),
            tc("", "<w:p/>"),
        ),
    ];
    if wps {
        rows.push(format!(
            "<w:tr>{}</w:tr>",
            (0..7).map(|_| tc("", "<w:p/>")).collect::<String>()
        ));
    }
    format!("<w:tbl><w:tblGrid/>{}</w:tbl>", rows.concat())
}

const NUMBERING: &str = r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;

#[test]
fn word_and_wps_documents_become_the_same_month() {
    let mut months = Vec::new();
    for wps in [false, true] {
        let site = TestSite::new();
        let body = format!("{}{}", p("东湖管委会7月工作进展情况"), report_table(wps));
        docx(&site.root().join("7月.docx"), &body, Some(NUMBERING));
        let out = site.run(&["import", "7月.docx", "--month", "2020-07"]);
        assert!(out.status.success(), "wps={wps}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("导入 3 行"), "{err}");
        assert!(err.contains("表头在第 2 行"), "{err}");
        assert!(
            err.contains("责任领导 2 行（第 4–5 行），责任部门 1 行（第 4 行）"),
            "{err}"
        );
        // A Word table carries no 发文日期: the editor fills it in, as for Excel.
        let index = site.content().join("2020-07/_index.md");
        let text = fs::read_to_string(&index).unwrap();
        fs::write(
            &index,
            text.replace("\nissued:\n", "\nissued: 2020-08-05\n"),
        )
        .unwrap();
        let c = load(&site.content());
        let items: Vec<_> = c.months[0]
            .items
            .iter()
            .map(|i| {
                (
                    i.stem.clone(),
                    i.leaders.clone(),
                    i.project.clone(),
                    i.department.clone(),
                    i.progress.text.to_string(),
                    i.problems.text.to_string(),
                    i.plan.text.to_string(),
                )
            })
            .collect();
        assert_eq!(items[0].1, ["章  平"]);
        assert_eq!(items[1].3, "纪工委");
        assert_eq!(items[2].3, "组织部");
        assert_eq!(items[0].4, "第一段。\n第二段。");
        // The list numbers Word shows are kept as text.
        assert_eq!(items[1].4, "（一）检查285次\n（二）发现问题78个");
        assert_eq!(items[2].4, "表中表");
        months.push(items);
    }
    assert_eq!(months[0], months[1]);
}

#[test]
fn a_document_with_two_report_tables_asks_which() {
    let site = TestSite::new();
    let body = format!("{}{}", report_table(false), report_table(true));
    docx(&site.root().join("t.docx"), &body, None);
    let out = site.run(&["import", "t.docx", "--month", "2020-07"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--table N"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("第 1 个表格") && stderr(&out).contains("第 3 个表格"),
        "{}",
        stderr(&out)
    );
    assert!(!site.content().join("2020-07").exists());
    let out = site.run(&["import", "t.docx", "--month", "2020-07", "--table", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn imported_months_join_the_projects_of_existing_ones() {
    let site = TestSite::new();
    site.month("2020-11", "");
    site.item(
        "2020-11",
        "01",
        "number: 1\nleaders: 章平\nproject: 扫黑除恶\ndepartment: 纪工委\n",
        "## 本月进度情况\n\n十一月推进。\n",
    );
    let page = site.root().join("12月.html");
    fs::write(&page, portal_page("utf-8", "12", "2021-01-08")).unwrap();
    let out = site.run(&["import", page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    // One project page for 扫黑除恶, listing the month written by hand and
    // the imported one.
    let pages: Vec<String> = fs::read_dir(site.public().join("projects"))
        .unwrap()
        .map_while(Result::ok)
        .filter_map(|e| fs::read_to_string(e.path().join("index.html")).ok())
        .filter(|html| html.contains("<h1") && html.contains("扫黑除恶"))
        .filter(|html| html.contains("2020-11/01/"))
        .collect();
    assert_eq!(pages.len(), 1, "one project page holds the November item");
    assert!(
        pages[0].contains("2020-12/01/"),
        "the imported December item joins it"
    );
}
