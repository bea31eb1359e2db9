//! Open data: each month as data.json and data.csv, and data/index.json.

use std::fs;
use std::path::Path;

use crate::common::{self, TestSite, texts};
use serde_json::Value;

/// The real content's output, built once for the whole run and only read here.
fn public() -> &'static Path {
    common::real_public()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .expect("valid JSON")
}

fn page(rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&fs::read_to_string(public().join(rel)).unwrap())
}

/// Reads a CSV file the way a spreadsheet would: BOM first, then RFC 4180 records.
fn csv_records(path: &Path) -> Vec<Vec<String>> {
    let bytes = fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    r.records()
        .map(|rec| rec.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn july_data_json_holds_every_row_as_the_pages_show_it() {
    let data = json(&public().join("2020-07/data.json"));
    assert_eq!(data["schema"], "gongkai/month/1");
    assert_eq!(data["month"], "2020-07");
    assert_eq!(data["title"], "7月工作进展情况及8月安排");
    assert_eq!(data["issued"], "2020-10-27");
    assert_eq!(data["validity"], "有效");
    assert_eq!(data["doc_number"], "");
    assert_eq!(data["plan_heading"], "8月具体进度安排");
    let items = data["items"].as_array().unwrap();
    assert_eq!(items.len(), 68);
    // The month page's table, row by row, names the same projects.
    let month = page("2020-07/index.html");
    let table = texts(&month, "table.report tbody th.c-project a");
    let projects: Vec<&str> = items
        .iter()
        .map(|i| i["project"].as_str().unwrap())
        .collect();
    assert_eq!(table, projects);
    for it in items {
        let rel = it["page"]["path"].as_str().unwrap();
        let doc = page(rel);
        let h1 = texts(&doc, "main h1").join("");
        let want = match it["number"].as_str() {
            Some(n) => format!("{n}. {}", it["project"].as_str().unwrap()),
            None => it["project"].as_str().unwrap().to_owned(),
        };
        assert_eq!(h1, want, "{rel}");
        assert_eq!(
            it["page"]["url"].as_str().unwrap(),
            format!(
                "https://example.gov.cn/donghu/{}",
                rel.trim_end_matches("index.html")
            )
        );
        let html = fs::read_to_string(public().join(rel)).unwrap();
        for section in ["progress", "problems", "plan"] {
            let cell = it[section]["html"].as_str().unwrap();
            assert!(
                html.contains(cell),
                "{rel}: {section} HTML is what the page shows"
            );
            let text = it[section]["text"].as_str().unwrap();
            assert_eq!(text.is_empty(), cell.is_empty(), "{rel} {section}");
            assert!(!text.contains('<'), "{rel}: text has no markup");
        }
        assert!(it["leaders"].as_array().is_some_and(|l| !l.is_empty()));
        assert!(it["key"].is_string() && it["department"].is_string() && it["id"].is_string());
    }
    // Rows without 序号 stay without one (after 30 and after 39).
    assert_eq!(items.iter().filter(|i| i["number"].is_null()).count(), 2);
}

#[test]
fn july_data_csv_opens_in_excel_with_one_record_per_item() {
    let records = csv_records(&public().join("2020-07/data.csv"));
    assert_eq!(records.len(), 69, "header + 68 items");
    assert_eq!(
        records[0],
        [
            "序号",
            "责任领导",
            "项目名称",
            "责任部门",
            "本月进度情况",
            "存在问题",
            "8月具体进度安排",
            "月份",
            "项目标识"
        ]
    );
    let data = json(&public().join("2020-07/data.json"));
    for (rec, it) in records[1..].iter().zip(data["items"].as_array().unwrap()) {
        assert_eq!(rec.len(), 9);
        assert_eq!(rec[0], it["number"].as_str().unwrap_or(""));
        let leaders: Vec<&str> = it["leaders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(rec[1], leaders.join("、"));
        assert_eq!(rec[2], it["project"].as_str().unwrap());
        assert_eq!(rec[3], it["department"].as_str().unwrap());
        assert_eq!(rec[4], it["progress"]["text"].as_str().unwrap());
        assert_eq!(rec[5], it["problems"]["text"].as_str().unwrap());
        assert_eq!(rec[6], it["plan"]["text"].as_str().unwrap());
        assert_eq!(rec[7], "2020-07");
        assert_eq!(rec[8], it["key"].as_str().unwrap());
    }
    // Multi-paragraph cells keep their line breaks; commas stay inside cells.
    let huanjian = records.iter().find(|r| r[2] == "逾期还建房项目").unwrap();
    assert!(huanjian[4].contains('\n'), "{}", huanjian[4]);
    assert!(
        records.iter().any(|r| r[3].contains(',')),
        "a department with a comma"
    );
}

#[test]
fn the_index_lists_every_month_with_its_files() {
    let s = TestSite::new();
    for ym in ["2020-06", "2020-07", "2021-01"] {
        s.month(ym, "");
        s.item(
            ym,
            "01",
            "number: 1\nleaders: [章平, 甄别]\nproject: \"说\\\"好\\\"的项目\"\ndepartment: 建设局\n",
            "## 本月进度情况\n\n第一段,有逗号。\n\n第二段。\n\n## 存在问题\n\n无\n",
        );
    }
    s.build();
    let index = json(&s.public().join("data/index.json"));
    assert_eq!(index["schema"], "gongkai/months/1");
    let months: Vec<&str> = index["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2020-06", "2020-07", "2021-01"]);
    for m in index["months"].as_array().unwrap() {
        for key in ["json", "csv"] {
            let rel = m[key].as_str().unwrap();
            assert!(s.public().join(rel).is_file(), "{rel}");
        }
        assert_eq!(m["items"], 1);
    }
    let jan = json(&s.public().join("2021-01/data.json"));
    assert_eq!(jan["plan_heading"], "2月具体进度安排");
    let records = csv_records(&s.public().join("2021-01/data.csv"));
    assert_eq!(records.len(), 2);
    assert_eq!(records[0][6], "2月具体进度安排");
    assert_eq!(records[1][1], "章平、甄别");
    assert_eq!(records[1][2], "说\"好\"的项目");
    assert_eq!(records[1][4], "第一段,有逗号。\n第二段。");
    assert_eq!(records[1][5], "无");
    // CRLF ends records; a bare LF only appears inside a quoted cell.
    let raw = fs::read_to_string(s.public().join("2021-01/data.csv")).unwrap();
    assert_eq!(raw.matches("\r\n").count(), 2);
}

#[test]
fn the_same_content_gives_byte_identical_outputs() {
    let s = TestSite::new();
    s.month("2020-07", "");
    s.item(
        "2020-07",
        "01",
        "leaders: 章平\nproject: 樱花园\ndepartment: 建设局\n",
        "## 本月进度情况\n\n樱花园扩建。\n",
    );
    s.item(
        "2020-07",
        "02",
        "leaders: 甄别\nproject: 地铁19号线\ndepartment: 统筹发展局\n",
        "",
    );
    s.build();
    let first = s.root().join("first");
    fs::rename(s.public(), &first).unwrap();
    s.build();
    for rel in [
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "data/index.json",
        "2020-07/data.json",
        "2020-07/data.csv",
        "search/index.js",
        "search/index.html",
    ] {
        assert_eq!(
            fs::read(first.join(rel)).unwrap(),
            fs::read(s.public().join(rel)).unwrap(),
            "{rel} differs between two builds"
        );
    }
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised_and_json_stays_exact() {
    let s = TestSite::new();
    s.month("2020-07", "");
    // Imported tables can carry such text without anyone typing it.
    s.item(
        "2020-07",
        "01",
        "number: \"-1\"\nleaders: \"@某某\"\nproject: \"=HYPERLINK(\\\"http://evil.example/\\\",\\\"点此\\\")\"\ndepartment: \"+1+cmd|' /C calc'!A0\"\nkey: \"\\t=1+1\"\n",
        "## 本月进度情况\n\n-2+3\n\n## 存在问题\n\n@SUM(1)\n\n## 下月安排\n\n=1+1\n",
    );
    s.item(
        "2020-07",
        "02",
        "number: 2\nleaders: 甲\nproject: a=1 不是公式\ndepartment: 办公室\n",
        "## 本月进度情况\n\n完成 -2 项\n",
    );
    s.build();
    let data = json(&s.public().join("2020-07/data.json"));
    let item = &data["items"][0];
    assert_eq!(item["number"], "-1");
    assert_eq!(item["leaders"][0], "@某某");
    assert_eq!(
        item["project"],
        "=HYPERLINK(\"http://evil.example/\",\"点此\")"
    );
    assert_eq!(item["department"], "+1+cmd|' /C calc'!A0");
    assert_eq!(item["key"], "\t=1+1");
    assert_eq!(item["progress"]["text"], "-2+3");
    assert_eq!(item["problems"]["text"], "@SUM(1)");
    assert_eq!(item["plan"]["text"], "=1+1");

    let records = csv_records(&s.public().join("2020-07/data.csv"));
    assert_eq!(
        records[1],
        [
            "'-1",
            "'@某某",
            "'=HYPERLINK(\"http://evil.example/\",\"点此\")",
            "'+1+cmd|' /C calc'!A0",
            "'-2+3",
            "'@SUM(1)",
            "'=1+1",
            "2020-07",
            "'\t=1+1",
        ]
    );
    // Text that only holds such a character later is left as it is.
    assert_eq!(records[2][2], "a=1 不是公式");
    assert_eq!(records[2][4], "完成 -2 项");
}
