//! `gongkai import`: a month from an Excel or CSV table.

use std::fs;
use std::path::Path;

use crate::common::tree::snapshot;
use crate::common::{TestSite, load, real_content, stderr};
use gongkai::internals::{Content, Item};
use rust_xlsxwriter::{Format, Workbook};

/// Gives a month made by import its 发文日期, which import leaves to the editor.
fn issue(site: &TestSite, ym: &str) {
    let p = site.content().join(format!("{ym}/_index.md"));
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains("\nissued:\n"), "{text}");
    fs::write(p, text.replace("\nissued:\n", "\nissued: 2020-10-27\n")).unwrap();
}

fn item<'c>(c: &'c Content, stem: &str) -> &'c Item {
    c.months[0]
        .items
        .iter()
        .find(|i| i.stem == stem)
        .unwrap_or_else(|| panic!("no item {stem}"))
}

fn stems(c: &Content) -> Vec<&str> {
    c.months[0].items.iter().map(|i| i.stem.as_str()).collect()
}

/// One RFC 4180 record, CRLF-terminated.
fn csv_record(cells: &[&str]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                (*c).to_owned()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

/// A workbook shaped like the real ones: an explanation sheet first, then the
/// table under a merged title row and a blank row, columns out of order, an
/// extra column and an unnamed one, 责任领导 merged over three rows, blank
/// 责任部门 cells, line breaks in cells, a row without 序号 and a blank row.
fn write_workbook(path: &Path) {
    let mut book = Workbook::new();
    let plain = Format::new();
    let notes = book.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes
        .write_string(0, 0, "每个项目一行，责任领导可以合并单元格")
        .unwrap();

    let sheet = book.add_worksheet();
    sheet.set_name("7月").unwrap();
    sheet
        .merge_range(0, 0, 0, 7, "7月工作进展情况及8月安排", &plain)
        .unwrap();
    let header = [
        "序号",
        "项目名称",
        "责任\n领导",
        "责任部门",
        "备注",
        "本月进度情况",
        "8月具体进度安排",
        "存在问题",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    // Row 4: 序号 written as a number, as Excel stores it.
    sheet.write_number(3, 0, 1.0).unwrap();
    sheet.write_string(3, 1, "扫黑除恶").unwrap();
    sheet
        .merge_range(3, 2, 5, 2, "章 \u{a0}平", &plain)
        .unwrap();
    sheet.write_string(3, 3, "纪工委").unwrap();
    sheet.write_string(3, 4, "内部备注，不导入").unwrap();
    sheet
        .write_string(3, 5, "第一段\n第二段，含 *星号* 和 <b>标签</b>")
        .unwrap();
    sheet.write_string(3, 6, "加大配合和侦办力度").unwrap();
    // Row 5: department blank, carried down; a colon and quotes in the name.
    sheet.write_string(4, 0, "2").unwrap();
    sheet.write_string(4, 1, "项目: \"试点\"").unwrap();
    sheet.write_string(4, 5, "完成").unwrap();
    sheet.write_string(4, 7, "资金不足").unwrap();
    // Row 6: no 序号.
    sheet.write_string(5, 1, "建立全区基层减负检测点").unwrap();
    sheet.write_string(5, 3, "办公室").unwrap();
    sheet.write_string(5, 5, "建立了5家检测点").unwrap();
    // Row 7: two leaders in one cell; numbered lines that must stay text.
    sheet.write_number(6, 0, 3.0).unwrap();
    sheet.write_string(6, 1, "地铁19号线").unwrap();
    sheet.write_string(6, 2, "甄  别\n童水林").unwrap();
    sheet.write_string(6, 3, "统筹发展局").unwrap();
    sheet
        .write_string(6, 5, "1. 沟通协商\n2. 优化方案")
        .unwrap();
    sheet.write_string(6, 8, "无列名的数据").unwrap();
    // Row 8 blank; row 9 carries both leaders and department.
    sheet.write_number(8, 0, 4.0).unwrap();
    sheet.write_string(8, 1, "智慧旅游").unwrap();
    sheet.write_string(8, 5, "上线").unwrap();
    book.save(path).unwrap();
}

#[test]
fn an_excel_table_becomes_a_month() {
    let site = TestSite::new();
    let xlsx = site.root().join("7月.xlsx");
    write_workbook(&xlsx);
    let out = site.run(&["import", "7月.xlsx", "--month", "2020-07"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stderr(&out);
    for expected in [
        "工作表“7月”",
        "表头在第 3 行",
        "导入 5 行",
        "01.md … 04.md",
        "没有序号的行：02a.md",
        "责任领导 3 行（第 5–6、9 行），责任部门 2 行（第 5、9 行）",
        "忽略的列：E 列“备注”，I 列（没有列名）",
        "新建了 _index.md",
    ] {
        assert!(
            summary.contains(expected),
            "missing {expected:?} in:\n{summary}"
        );
    }
    let raw = fs::read_to_string(site.content().join("2020-07/01.md")).unwrap();
    assert!(raw.contains("## 8月具体进度安排\n"), "{raw}");
    assert!(
        !raw.contains("## 存在问题"),
        "an empty cell writes no section: {raw}"
    );

    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains("发文日期 (issued) 还没有填写"),
        "{}",
        stderr(&check)
    );
    issue(&site, "2020-07");
    let c = load(&site.content());
    assert_eq!(stems(&c), ["01", "02", "02a", "03", "04"]);

    let first = item(&c, "01");
    assert_eq!(first.number.as_deref(), Some("1"));
    assert_eq!(first.leaders, ["章 \u{a0}平"]);
    assert_eq!(first.project, "扫黑除恶");
    assert_eq!(first.department, "纪工委");
    assert_eq!(first.key, "扫黑除恶");
    assert!(!first.draft);
    assert_eq!(
        &*first.progress.html,
        "<p>第一段</p>\n<p>第二段，含 *星号* 和 &lt;b&gt;标签&lt;/b&gt;</p>"
    );
    assert_eq!(&*first.plan.text, "加大配合和侦办力度");
    assert!(first.problems.is_empty());

    let second = item(&c, "02");
    assert_eq!(second.project, "项目: \"试点\"");
    assert_eq!(second.leaders, ["章 \u{a0}平"], "merged cell carried down");
    assert_eq!(second.department, "纪工委", "blank cell carried down");
    assert_eq!(&*second.problems.text, "资金不足");

    let unnumbered = item(&c, "02a");
    assert_eq!(unnumbered.number, None);
    assert_eq!(unnumbered.leaders, ["章 \u{a0}平"]);
    assert_eq!(unnumbered.department, "办公室");

    let third = item(&c, "03");
    assert_eq!(third.leaders, ["甄  别", "童水林"]);
    assert_eq!(
        &*third.progress.html,
        "<p>1. 沟通协商</p>\n<p>2. 优化方案</p>"
    );

    let fourth = item(&c, "04");
    assert_eq!(fourth.leaders, ["甄  别", "童水林"]);
    assert_eq!(fourth.department, "统筹发展局");

    // The month builds.
    site.build();
}

#[test]
fn a_sheet_can_be_chosen_and_must_exist() {
    let site = TestSite::new();
    write_workbook(&site.root().join("t.xlsx"));
    let out = site.run(&["import", "t.xlsx", "--month", "2020-07", "--sheet", "8月"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("没有工作表“8月”"), "{}", stderr(&out));
    assert!(stderr(&out).contains("填表说明、7月"), "{}", stderr(&out));
    let out = site.run(&[
        "import",
        "t.xlsx",
        "--month",
        "2020-07",
        "--sheet",
        "填表说明",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("在工作表“填表说明”里找不到表头行"),
        "{}",
        stderr(&out)
    );
    let out = site.run(&["import", "t.xlsx", "--month", "2020-07", "--sheet", "7月"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A small table as CSV text: a title line, the header with a plan column
/// named 下月安排 and an extra column, a row with a colon and quotes, a row
/// with no 序号 carrying leaders and department, and a line break in a cell.
fn small_table(leader: &str) -> String {
    let mut s = csv_record(&["7月工作进展情况及8月安排", "", "", "", "", "", "", ""]);
    s += &csv_record(&[
        "序号",
        "责任领导",
        "项目名称",
        "责任部门",
        "本月进度情况",
        "存在问题",
        "下月安排",
        "备注",
    ]);
    s += &csv_record(&[
        "1",
        leader,
        "扫黑除恶",
        "纪工委",
        "第一段\n第二段",
        "",
        "继续: 深挖",
        "",
    ]);
    s += &csv_record(&[
        "",
        "",
        "落实“送清凉”活动",
        "",
        "完成",
        "问题 \"引号\"",
        "",
        "x",
    ]);
    s
}

fn check_small_table(site: &TestSite, leader: &str) {
    issue(site, "2020-07");
    let c = load(&site.content());
    assert_eq!(stems(&c), ["01", "01a"]);
    let a = item(&c, "01");
    assert_eq!(a.leaders, [leader]);
    assert_eq!(&*a.progress.text, "第一段\n第二段");
    assert_eq!(&*a.plan.text, "继续: 深挖");
    let b = item(&c, "01a");
    assert_eq!(b.project, "落实“送清凉”活动");
    assert_eq!(b.leaders, [leader]);
    assert_eq!(b.department, "纪工委");
    assert_eq!(&*b.problems.text, "问题 \"引号\"");
}

#[test]
fn csv_in_utf8_with_and_without_bom_and_in_gbk() {
    let nbsp = "章 \u{a0}平";
    let gbk_name = "章  平"; // GBK has no NBSP.
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "utf8.csv",
            small_table(nbsp).replace("\r\n", "\n").into_bytes(),
            nbsp,
            "CSV，UTF-8，",
        ),
        (
            "bom.csv",
            format!("\u{feff}{}", small_table(nbsp)).into_bytes(),
            nbsp,
            "CSV，UTF-8 带 BOM，",
        ),
        (
            "gbk.csv",
            encoding_rs::GBK
                .encode(&small_table(gbk_name))
                .0
                .into_owned(),
            gbk_name,
            "CSV，GBK/GB18030，",
        ),
    ];
    for (name, bytes, leader, label) in cases {
        if name == "gbk.csv" {
            assert!(
                std::str::from_utf8(&bytes).is_err(),
                "the GBK file must not be valid UTF-8"
            );
        }
        let site = TestSite::new();
        fs::write(site.root().join(name), bytes).unwrap();
        let out = site.run(&["import", name, "--month", "2020-07"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let summary = stderr(&out);
        assert!(summary.contains(label), "{name}: {summary}");
        assert!(summary.contains("表头在第 2 行"), "{name}: {summary}");
        assert!(summary.contains("H 列“备注”"), "{name}: {summary}");
        check_small_table(&site, leader);
    }
}

/// Runs an import that must fail with a content error (exit 1) and write nothing.
fn bad(table: &str, expected: &[&str]) {
    let site = TestSite::new();
    fs::write(site.root().join("t.csv"), table).unwrap();
    let before = snapshot(site.root());
    let out = site.run(&["import", "t.csv", "--month", "2020-07"]);
    let msg = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{msg}");
    for e in expected {
        assert!(msg.contains(e), "missing {e:?} in:\n{msg}");
    }
    assert_eq!(
        snapshot(site.root()),
        before,
        "a bad table must write nothing"
    );
    assert!(!site.content().join("2020-07").exists());
}

pub(crate) const HEADER: &[&str] = &[
    "序号",
    "责任领导",
    "项目名称",
    "责任部门",
    "本月进度情况",
    "存在问题",
    "8月具体进度安排",
];

fn table(rows: &[&[&str]]) -> String {
    let mut s = csv_record(HEADER);
    for r in rows {
        s += &csv_record(r);
    }
    s
}

#[test]
fn a_row_without_a_project_is_reported_with_its_row() {
    bad(
        &table(&[
            &["1", "章平", "智慧旅游", "旅游局", "", "", ""],
            &["2", "", "", "", "完成", "", ""],
        ]),
        &["error: 第 3 行：没有项目名称", "t.csv:3:3", "发现 1 个错误"],
    );
}

#[test]
fn blank_lines_count_as_rows_like_in_excel() {
    let mut t = table(&[&["1", "章平", "智慧旅游", "旅游局", "多行\n内容", "", ""]]);
    t += "\r\n";
    t += &csv_record(&["2", "", "", "", "完成", "", ""]);
    bad(&t, &["第 4 行：没有项目名称"]);
}

#[test]
fn a_repeated_number_is_reported_with_both_rows() {
    bad(
        &table(&[
            &["1", "章平", "智慧旅游", "旅游局", "", "", ""],
            &["2", "", "绿道", "", "", "", ""],
            &["02", "", "湖泊", "", "", "", ""],
        ]),
        &["第 4 行：序号 02 与第 3 行重复"],
    );
}

#[test]
fn every_bad_row_is_reported_at_once() {
    bad(
        &table(&[
            &["1", "", "智慧旅游", "", "", "", ""],
            &["一", "章平", "绿道", "旅游局", "", "", ""],
            &["3", "章平", "智慧旅游", "旅游局", "", "", ""],
        ]),
        &[
            "第 2 行：没有责任领导，上面也没有可以沿用的",
            "第 2 行：没有责任部门，上面也没有可以沿用的",
            "第 3 行：序号“一”不能用作文件名",
            "第 4 行：项目“智慧旅游”与第 2 行相同",
            "发现 4 个错误",
        ],
    );
}

#[test]
fn an_unnumbered_row_cannot_take_a_numbered_rows_file_name() {
    bad(
        &table(&[
            &["1", "章平", "智慧旅游", "旅游局", "", "", ""],
            &["", "", "绿道", "", "", "", ""],
            &["1a", "", "湖泊", "", "", "", ""],
        ]),
        &["第 4 行：文件名 01a.md 与第 3 行相同"],
    );
}

#[test]
fn a_table_without_its_header_is_refused() {
    bad(
        "标题\r\n1,章平,智慧旅游\r\n",
        &["找不到表头行", "序号、责任领导、项目名称"],
    );
    bad(
        "序号,责任领导,项目名称,责任部门,本月进度情况,下月安排\r\n1,章平,智慧旅游,旅游局,,\r\n",
        &["第 1 行是表头，但缺少这些列：存在问题"],
    );
    bad(
        "序号,责任领导,项目名称,责任部门,本月进度情况,存在问题,下月安排,项目名称\r\n",
        &["表头里有两列“项目名称”（C 列和 H 列）"],
    );
    bad(&table(&[]), &["表头下面没有任何条目"]);
}

#[test]
fn an_excel_row_error_names_the_sheet_row() {
    let site = TestSite::new();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(3, 0, "说明在上面").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(5, c as u16, *h).unwrap();
    }
    sheet.write_string(6, 0, "1").unwrap();
    sheet.write_string(6, 1, "章平").unwrap();
    sheet.write_string(6, 3, "旅游局").unwrap();
    book.save(site.root().join("t.xlsx")).unwrap();
    let out = site.run(&["import", "t.xlsx", "--month", "2020-07"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("工作表“Sheet1”第 7 行：没有项目名称"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("t.xlsx:7:3"), "{}", stderr(&out));
}

#[test]
fn unusable_files_and_arguments_are_usage_errors() {
    let site = TestSite::new();
    fs::write(site.root().join("t.csv"), b"\xff\xff,\x81\x20\n").unwrap();
    fs::write(site.root().join("t.docx"), b"x").unwrap();
    fs::write(site.root().join("ok.csv"), small_table("章平")).unwrap();
    for (args, expected) in [
        (
            vec!["import", "t.csv", "--month", "2020-07"],
            "既不是 UTF-8 也不是 GBK",
        ),
        (
            vec!["import", "t.docx", "--month", "2020-07"],
            "不是有效的 Word 文档",
        ),
        (
            vec!["import", "missing.xlsx", "--month", "2020-07"],
            "找不到表格文件",
        ),
        (
            vec!["import", "ok.csv", "--month", "2020-07", "--sheet", "x"],
            "CSV 文件没有工作表",
        ),
        (vec!["import", "ok.csv", "--month", "7月"], "YYYY-MM"),
        (
            vec![
                "import",
                "ok.csv",
                "--month",
                "2020-07",
                "--content",
                "nowhere",
            ],
            "找不到内容目录",
        ),
    ] {
        let out = site.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(!site.content().join("2020-07").exists());
}

#[test]
fn an_existing_month_needs_force_which_keeps_its_index() {
    let site = TestSite::new();
    site.month(
        "2020-07",
        "attachments:\n  - title: 附件\n    file: a.pdf\n",
    );
    site.write("content/2020-07/a.pdf", "%PDF");
    site.item(
        "2020-07",
        "99",
        "leaders: 旧\nproject: 旧项目\ndepartment: 旧部门\n",
        "",
    );
    fs::write(site.root().join("t.csv"), small_table("章平")).unwrap();

    let before = snapshot(&site.content());
    let out = site.run(&["import", "t.csv", "--month", "2020-07"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("已存在，没有改动任何文件"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(snapshot(&site.content()), before);

    let index = fs::read(site.content().join("2020-07/_index.md")).unwrap();
    let out = site.run(&["import", "t.csv", "--month", "2020-07", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("替换了原有的 1 个条目文件"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("_index.md 保持原样"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read(site.content().join("2020-07/_index.md")).unwrap(),
        index
    );
    assert!(site.content().join("2020-07/a.pdf").is_file());
    assert!(!site.content().join("2020-07/99.md").exists());
    let c = load(&site.content());
    assert_eq!(stems(&c), ["01", "01a"]);
    assert_eq!(c.months[0].meta.attachments.len(), 1);

    // A month folder without _index.md gets one, with 发文日期 left to fill.
    fs::create_dir_all(site.content().join("2020-08")).unwrap();
    site.write(
        "content/2020-08/05.md",
        "---\nleaders: 旧\nproject: 旧\ndepartment: 旧\n---\n",
    );
    // (The table says 7月: importing it as August needs saying so.)
    let out = site.run(&[
        "import",
        "t.csv",
        "--month",
        "2020-08",
        "--force",
        "--allow-month-mismatch",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("新建了 _index.md"),
        "{}",
        stderr(&out)
    );
    assert!(!site.content().join("2020-08/05.md").exists());
    let index = fs::read_to_string(site.content().join("2020-08/_index.md")).unwrap();
    assert!(
        index.contains("title: 8月工作进展情况及9月安排\n") && index.contains("\nissued:\n"),
        "{index}"
    );
}

#[test]
fn a_table_for_another_month_is_refused_unless_told() {
    let site = TestSite::new();
    // The plan column says 9月: a July table says 8月.
    let t = small_table("章平").replace("下月安排", "9月具体进度安排");
    fs::write(site.root().join("t.csv"), t).unwrap();
    let out = site.run(&["import", "t.csv", "--month", "2020-07"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("表头是“9月具体进度安排”，而 2020-07 的下月是 8 月")
            && err.contains("t.csv:2:"),
        "{err}"
    );
    assert!(err.contains("--allow-month-mismatch"), "{err}");
    assert!(!site.content().join("2020-07").exists(), "nothing written");
    let out = site.run(&[
        "import",
        "t.csv",
        "--month",
        "2020-07",
        "--allow-month-mismatch",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("请确认 --month 是否写对"),
        "{}",
        stderr(&out)
    );

    // The title row says 7月; --month says August: both named, nothing written.
    fs::write(site.root().join("u.csv"), small_table("章平")).unwrap();
    let out = site.run(&["import", "u.csv", "--month", "2020-08"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("表格标题“7月工作进展情况及8月安排”写的是 7 月，而 --month 是 2020-08"),
        "{err}"
    );
    assert!(!site.content().join("2020-08").exists(), "nothing written");
}

/// The real July 2020 report as the table its data.csv describes: the seven
/// columns, then 月份 and 项目标识; names joined with 、; each cell's
/// paragraphs one a line; merged 责任领导/责任部门 cells left blank below
/// their first row, as a flattened merged cell reads.
fn real_july_csv(c: &Content) -> String {
    let m = &c.months[0];
    let plan = m.ym.plan_heading();
    let mut s = String::from("\u{feff}");
    s += &csv_record(&[
        "序号",
        "责任领导",
        "项目名称",
        "责任部门",
        "本月进度情况",
        "存在问题",
        &plan,
        "月份",
        "项目标识",
    ]);
    let mut prev: Option<&Item> = None;
    for it in &m.items {
        let leaders = it.leaders.join("、");
        let same_leaders = prev.is_some_and(|p| p.leaders == it.leaders);
        let same_department = prev.is_some_and(|p| p.department == it.department);
        s += &csv_record(&[
            it.number.as_deref().unwrap_or(""),
            if same_leaders { "" } else { &leaders },
            &it.project,
            if same_department { "" } else { &it.department },
            &it.progress.text,
            &it.problems.text,
            &it.plan.text,
            &m.ym.to_string(),
            &it.key,
        ]);
        prev = Some(it);
    }
    s
}

/// Imports `csv` as 2020-07 into a site holding the real `_index.md` and
/// asserts the items load equal to the real report's.
fn assert_round_trip(csv: &[u8], carried: &str) {
    let real = load(&real_content());
    let site = TestSite::new();
    fs::write(site.root().join("data.csv"), csv).unwrap();
    // The month exists with the real _index.md: --force keeps it.
    fs::create_dir_all(site.content().join("2020-07")).unwrap();
    fs::copy(
        real_content().join("2020-07/_index.md"),
        site.content().join("2020-07/_index.md"),
    )
    .unwrap();
    fs::copy(
        real_content().join("site.yaml"),
        site.content().join("site.yaml"),
    )
    .unwrap();

    let out = site.run(&["import", "data.csv", "--month", "2020-07", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("导入 68 行"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("没有序号的行：30a.md、39a.md"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("H 列“月份”"), "{}", stderr(&out));
    assert!(stderr(&out).contains(carried), "{}", stderr(&out));
    let imported = load(&site.content());

    let (a, b) = (&real.months[0], &imported.months[0]);
    assert_eq!(a.items.len(), 68);
    assert_eq!(b.items.len(), 68);
    crate::common::assert_same_items(&a.items, &b.items);
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn the_real_july_table_round_trips_with_merged_cells() {
    let real = load(&real_content());
    // 60 rows share the 责任领导 above them and 45 the 责任部门.
    assert_round_trip(
        real_july_csv(&real).as_bytes(),
        "责任领导 60 行（第 3–6、8–16",
    );
}

#[test]
fn the_published_data_csv_imports_back_into_the_same_month() {
    let site = TestSite::new();
    let public = site.root().join("real-public");
    let content = real_content();
    let out = site.run(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = fs::read(public.join("2020-07/data.csv")).unwrap();
    assert_round_trip(&csv, "责任领导 0 行，责任部门 0 行");
}
