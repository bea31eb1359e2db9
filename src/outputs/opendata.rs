//! Open data: each month's table as `YYYY-MM/data.json` and
//! `YYYY-MM/data.csv`, and `data/index.json` listing every month.
//!
//! The JSON is written from structs, so keys always come in the same order;
//! the schema is documented in docs/REFERENCE.md ("Open data"). The CSV is for
//! Excel: UTF-8 with a byte-order mark (or Excel guesses GBK and shows
//! mojibake), CRLF between records, and line breaks kept inside quoted cells.

use rayon::prelude::*;
use serde::Serialize;

use crate::load::content::{Item, Month};
use crate::load::fields;
use crate::load::markdown::Rendered;
use crate::model::Site;
use crate::urls::{self, Page, View};

/// Names the JSON layout; bumped when a field changes meaning or goes away.
pub(crate) const MONTH_SCHEMA: &str = "gongkai/month/1";
pub(crate) const INDEX_SCHEMA: &str = "gongkai/months/1";

const BOM: &str = "\u{feff}";

/// A section's content both ways: plain text (paragraphs on their own
/// lines) and the sanitized HTML the pages show, its internal links made
/// relative to `YYYY-MM/data.json` (one folder below the site root).
#[derive(Serialize)]
struct Section<'a> {
    text: &'a str,
    html: std::borrow::Cow<'a, str>,
}

impl<'a> From<&'a Rendered> for Section<'a> {
    fn from(r: &'a Rendered) -> Self {
        Section {
            text: &r.text,
            html: crate::load::links::finish(&r.html, "../", "../"),
        }
    }
}

/// Where a page is: from the site root, and absolute when `base_url` is set.
#[derive(Serialize)]
struct Address {
    path: String,
    url: Option<String>,
}

fn address(site: &Site, page: &Page) -> Address {
    Address {
        path: urls::output_file(View::Html, page),
        url: site
            .content
            .site
            .base_url
            .as_deref()
            .map(|b| urls::absolute_url(b, View::Html, page)),
    }
}

#[derive(Serialize)]
struct AttachmentData<'a> {
    title: &'a str,
    file: &'a str,
    /// From the site root.
    path: String,
}

#[derive(Serialize)]
struct ChangeData<'a> {
    date: String,
    note: &'a str,
}

/// `YYYY-MM/data.json`.
#[derive(Serialize)]
struct MonthData<'a> {
    schema: &'static str,
    month: String,
    title: &'a str,
    doc_number: &'a str,
    index_number: &'a str,
    publisher: &'a str,
    issued: String,
    published: String,
    updated: String,
    validity: &'a str,
    validity_changed: Option<String>,
    superseded_by: Option<&'a str>,
    topic: &'a str,
    source: &'a str,
    attachments: Vec<AttachmentData<'a>>,
    changes: Vec<ChangeData<'a>>,
    preface: Section<'a>,
    /// The heading of the plan column this month: "8月具体进度安排".
    plan_heading: String,
    page: Address,
    items: Vec<Row<'a>>,
}

/// One row of the table.
#[derive(Serialize)]
struct Row<'a> {
    /// The item's file stem: its URL segment.
    id: &'a str,
    number: Option<&'a str>,
    leaders: &'a [String],
    project: &'a str,
    department: &'a str,
    key: &'a str,
    draft: bool,
    progress: Section<'a>,
    problems: Section<'a>,
    plan: Section<'a>,
    page: Address,
}

/// `data/index.json`.
#[derive(Serialize)]
struct Index<'a> {
    schema: &'static str,
    title: &'a str,
    publisher: &'a str,
    base_url: Option<&'a str>,
    months: Vec<IndexEntry<'a>>,
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    month: String,
    title: &'a str,
    issued: String,
    updated: String,
    validity: &'a str,
    items: usize,
    json: String,
    csv: String,
    page: Address,
}

/// Every open-data file of the site.
pub(crate) fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = site
        .content
        .months
        .par_iter()
        .flat_map_iter(|m| {
            [
                month_json(site, m),
                (csv_path(m), month_csv(m).into_bytes()),
            ]
        })
        .collect();
    let cfg = &site.content.site;
    let index = Index {
        schema: INDEX_SCHEMA,
        title: &cfg.title,
        publisher: &cfg.publisher,
        base_url: cfg.base_url.as_deref(),
        months: site
            .content
            .months
            .iter()
            .map(|m| IndexEntry {
                month: m.ym.to_string(),
                title: &m.meta.title,
                issued: m.meta.issued.to_string(),
                updated: m.meta.updated.to_string(),
                validity: &m.meta.validity,
                items: m.items.len(),
                json: json_path(m),
                csv: csv_path(m),
                page: address(site, &Page::Month(m.ym)),
            })
            .collect(),
    };
    out.push(("data/index.json".to_owned(), to_json(&index)));
    out
}

/// One month's `data.json`: its path and bytes.
pub(crate) fn month_json(site: &Site, m: &Month) -> (String, Vec<u8>) {
    (json_path(m), to_json(&month_data(site, m)))
}

pub(crate) fn json_path(m: &Month) -> String {
    format!("{}/data.json", m.ym)
}

pub(crate) fn csv_path(m: &Month) -> String {
    format!("{}/data.csv", m.ym)
}

fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).expect("open data serializes");
    bytes.push(b'\n');
    bytes
}

fn month_data<'a>(site: &Site, m: &'a Month) -> MonthData<'a> {
    let meta = &m.meta;
    MonthData {
        schema: MONTH_SCHEMA,
        month: m.ym.to_string(),
        title: &meta.title,
        doc_number: &meta.doc_number,
        index_number: &meta.index_number,
        publisher: &meta.publisher,
        issued: meta.issued.to_string(),
        published: meta.published.to_string(),
        updated: meta.updated.to_string(),
        validity: &meta.validity,
        validity_changed: meta.validity_changed.map(|d| d.to_string()),
        superseded_by: meta.superseded_by.as_deref(),
        topic: &meta.topic,
        source: &meta.source,
        attachments: meta
            .attachments
            .iter()
            .map(|a| AttachmentData {
                title: &a.title,
                file: &a.file,
                path: format!("{}/{}", m.ym, a.file),
            })
            .collect(),
        changes: meta
            .changes
            .iter()
            .map(|c| ChangeData {
                date: c.date.to_string(),
                note: &c.note,
            })
            .collect(),
        preface: (&meta.preface).into(),
        plan_heading: m.ym.plan_heading(),
        page: address(site, &Page::Month(m.ym)),
        items: m.items.iter().map(|it| row(site, m, it)).collect(),
    }
}

fn row<'a>(site: &Site, m: &Month, it: &'a Item) -> Row<'a> {
    Row {
        id: &it.stem,
        number: it.number.as_deref(),
        leaders: &it.leaders,
        project: &it.project,
        department: &it.department,
        key: &it.key,
        draft: it.draft,
        progress: (&it.progress).into(),
        problems: (&it.problems).into(),
        plan: (&it.plan).into(),
        page: address(site, &Page::Item(m.ym, it.stem.clone())),
    }
}

/// The table's seven columns as the report prints them, then month and key.
pub(crate) fn csv_header(m: &Month) -> Vec<String> {
    let alias = |name| {
        fields::lookup(fields::ITEM, name)
            .expect("an item field")
            .alias
            .to_owned()
    };
    vec![
        alias("number"),
        alias("leaders"),
        alias("project"),
        alias("department"),
        fields::SECTION_PROGRESS.to_owned(),
        fields::SECTION_PROBLEMS.to_owned(),
        m.ym.plan_heading(),
        "月份".to_owned(),
        alias("key"),
    ]
}

fn month_csv(m: &Month) -> String {
    let mut out = String::from(BOM);
    push_record(&mut out, &csv_header(m));
    for it in &m.items {
        push_record(
            &mut out,
            &[
                it.number.clone().unwrap_or_default(),
                it.leaders.join("、"),
                it.project.clone(),
                it.department.clone(),
                it.progress.text.to_string(),
                it.problems.text.to_string(),
                it.plan.text.to_string(),
                m.ym.to_string(),
                it.key.clone(),
            ],
        );
    }
    out
}

/// What a spreadsheet runs as a formula when a cell starts with it (OWASP, CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One RFC 4180 record: cells quoted when they hold a comma, quote or line
/// break (quotes doubled), CRLF at the end. A cell a spreadsheet would run as a
/// formula gets a leading `'`, which Excel and LibreOffice show as text; the
/// exact text stays in data.json.
fn push_record(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let neutralised;
        let cell = if cell.starts_with(FORMULA_STARTS) {
            neutralised = format!("'{cell}");
            &neutralised
        } else {
            cell
        };
        if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_only_when_needed() {
        let mut s = String::new();
        push_record(
            &mut s,
            &[
                "纪工委".into(),
                "a,b".into(),
                "说\"好\"".into(),
                "一段\n两段".into(),
            ],
        );
        assert_eq!(s, "纪工委,\"a,b\",\"说\"\"好\"\"\",\"一段\n两段\"\r\n");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_leading_quote() {
        let mut s = String::new();
        let cells = [
            "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\ry", "a=1", "'q", "＝1",
        ];
        push_record(&mut s, &cells.map(String::from));
        assert_eq!(s, "'=1+1,'+1,'-2,'@SUM(A1),'\tx,\"'\ry\",a=1,'q,＝1\r\n");
    }
}
