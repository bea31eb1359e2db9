//! Reading a saved page of the old portal (or one gongkai published): every
//! `<table>` as a [`Table`] with `rowspan`/`colspan` expanded, and the
//! metadata header (索引号, 发布机构, 发文日期 …) read by its labels.
//!
//! Parsed with html5ever (through `scraper`), so pages as browsers see them —
//! unclosed `<td>`, `<font>` soup — read as they display. Only the work table
//! and the labelled values are taken: breadcrumbs, 字号, 扫一扫 and 打印/关闭
//! are never looked at.

use std::fs;
use std::path::Path;

use ego_tree::NodeRef;
use scraper::node::Node;
use scraper::{ElementRef, Html};

use super::header::Column;
use super::table::{Row, Table};
use crate::basics::dates::{Date, YearMonth};
use crate::error::{Error, Result};

/// The metadata a page states, each `None` when the page does not say it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub index_number: Option<String>,
    pub publisher: Option<String>,
    pub issued: Option<Date>,
    pub published: Option<Date>,
    pub updated: Option<Date>,
    pub validity: Option<String>,
    pub topic: Option<String>,
    pub source: Option<String>,
}

/// Field names of [`PageMeta`], in the order the summary lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Title,
    DocNumber,
    IndexNumber,
    Publisher,
    Issued,
    /// 成文日期: the 发文日期 only where the page has none.
    Written,
    Published,
    Updated,
    Validity,
    Topic,
    Source,
}

/// Labels as portals write them, longest first so 主题分类 wins over 分类.
const LABELS: &[(&str, Key)] = &[
    ("发布文号", Key::DocNumber),
    ("发文字号", Key::DocNumber),
    ("发布机构", Key::Publisher),
    ("发文机关", Key::Publisher),
    ("发布单位", Key::Publisher),
    ("发文日期", Key::Issued),
    ("成文日期", Key::Written),
    ("发布时间", Key::Published),
    ("发布日期", Key::Published),
    ("更新时间", Key::Updated),
    ("更新日期", Key::Updated),
    ("主题分类", Key::Topic),
    ("索引号", Key::IndexNumber),
    ("有效性", Key::Validity),
    ("文号", Key::DocNumber),
    ("时效", Key::Validity),
    ("标题", Key::Title),
    ("名称", Key::Title),
    ("分类", Key::Topic),
    ("来源", Key::Source),
];

impl PageMeta {
    /// (label, found) for the summary, in the order of the page header.
    pub(crate) fn presence(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("索引号", self.index_number.is_some()),
            ("主题分类", self.topic.is_some()),
            ("文号", self.doc_number.is_some()),
            ("发文日期", self.issued.is_some()),
            ("发布机构", self.publisher.is_some()),
            ("有效性", self.validity.is_some()),
            ("标题", self.title.is_some()),
            ("来源", self.source.is_some()),
            ("发布时间", self.published.is_some()),
            ("更新时间", self.updated.is_some()),
        ]
    }

    /// The report month: `N月` from the title, in the year that makes it the
    /// latest month N not after the 发文日期 (a 12月 report issued in January
    /// belongs to the year before).
    pub(crate) fn month(&self) -> Option<YearMonth> {
        let (title, issued) = (self.title.as_deref()?, self.issued?);
        let n = title_month(title)?;
        let year = if n <= issued.month {
            issued.year
        } else {
            issued.year - 1
        };
        Some(YearMonth { year, month: n })
    }
}

/// The first `N月` of a title, N from 1 to 12 (ASCII or full-width digits).
fn title_month(title: &str) -> Option<u32> {
    let chars: Vec<char> = title.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c != '月' {
            continue;
        }
        let digits: String = chars[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(*c))
            .map(|&c| {
                if c.is_ascii_digit() {
                    c
                } else {
                    char::from(b'0' + (c as u32 - '０' as u32) as u8)
                }
            })
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if let Ok(n) = digits.parse::<u32>()
            && (1..=12).contains(&n)
        {
            return Some(n);
        }
    }
    None
}

/// A page read: its tables in document order (nested ones after the table
/// holding them) and its metadata; `encoding` names what the bytes were.
pub(super) struct Page {
    pub(super) tables: Vec<Table>,
    pub(super) meta: PageMeta,
    pub(super) encoding: &'static str,
}

pub(super) fn read_page(path: &Path) -> Result<Page> {
    let bytes = fs::read(path).map_err(|e| Error::io(e, path))?;
    page_bytes(path, &bytes)
}

/// A page held in memory; `path` names it in errors.
pub(super) fn page_bytes(path: &Path, bytes: &[u8]) -> Result<Page> {
    let (text, encoding) = decode(bytes).ok_or_else(|| {
        Error::Usage(format!(
            "{} 的编码无法识别（不是 UTF-8，也不是 GBK/GB2312）\n  请在浏览器里打开这个页面，用“另存为 → 网页，仅 HTML”重新保存",
            path.display()
        ))
    })?;
    let doc = Html::parse_document(&text);
    let mut tables = Vec::new();
    for (i, table) in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "table")
        .enumerate()
    {
        tables.push(read_table(table, i + 1));
    }
    let meta = read_meta(&doc);
    Ok(Page {
        tables,
        meta,
        encoding,
    })
}

/// Text and encoding name: the byte-order mark, else the `<meta charset>` (or
/// `http-equiv` content type) in the first 2 KiB, else UTF-8 when the bytes
/// are valid UTF-8, else GB18030 (which reads GBK and GB2312 too).
fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, malformed) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (!malformed).then(|| (text.into_owned(), enc.name()));
    }
    if let Some(enc) = meta_charset(&bytes[..bytes.len().min(2048)]) {
        // A page saved as UTF-8 by the browser may keep its old GBK meta: trust valid UTF-8.
        if enc != encoding_rs::UTF_8
            && let Ok(text) = std::str::from_utf8(bytes)
            && !text.is_ascii()
        {
            return Some((text.to_owned(), "UTF-8"));
        }
        let (text, _, malformed) = enc.decode(bytes);
        if !malformed {
            return Some((text.into_owned(), enc.name()));
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some((text.to_owned(), "UTF-8"));
    }
    let (text, malformed) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!malformed).then(|| (text.into_owned(), "GBK/GB18030"))
}

/// The encoding a `charset=` in the page's head names.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let rest = &head[at..];
    let rest = rest
        .iter()
        .position(|b| !matches!(b, b'"' | b'\'' | b' '))
        .map_or(rest, |s| &rest[s..]);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..end])
}

fn is_element(node: NodeRef<'_, Node>, name: &str) -> bool {
    matches!(node.value(), Node::Element(e) if e.name() == name)
}

/// The `<tr>`s of this table, not of tables nested in it.
fn table_rows<'a>(table: ElementRef<'a>) -> Vec<ElementRef<'a>> {
    let mut rows = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(
                child
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|e| e.value().name() == "tr"),
            ),
            _ => {}
        }
    }
    rows
}

/// Cells a reader does not see: hidden ones, and gongkai's own 责任领导/责任部门
/// line (`row-meta`) that only narrow screens show.
fn is_hidden(e: &ElementRef<'_>) -> bool {
    let v = e.value();
    v.attr("hidden").is_some()
        || v.has_class("row-meta", scraper::CaseSensitivity::AsciiCaseInsensitive)
        || v.attr("style").is_some_and(|s| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .contains("display:none")
        })
}

/// One table as a grid: a `rowspan` cell is copied into the rows it spans
/// (marked carried there), a `colspan` cell fills its first column only.
fn read_table(table: ElementRef<'_>, n: usize) -> Table {
    // Per column: rows the cell above still spans, and its text.
    let mut spans: Vec<(usize, String)> = Vec::new();
    let mut rows = Vec::new();
    for (r, tr) in table_rows(table).into_iter().enumerate() {
        let mut cells: Vec<String> = Vec::new();
        let mut carried = Vec::new();
        let take_spans = |cells: &mut Vec<String>,
                          carried: &mut Vec<usize>,
                          spans: &mut Vec<(usize, String)>,
                          all: bool| {
            while let Some((left, text)) = spans.get_mut(cells.len()) {
                if *left == 0 {
                    if !all {
                        break;
                    }
                    cells.push(String::new());
                    continue;
                }
                *left -= 1;
                if !text.is_empty() {
                    carried.push(cells.len());
                }
                cells.push(text.clone());
            }
        };
        for td in tr
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| matches!(e.value().name(), "td" | "th"))
            .filter(|e| !is_hidden(e))
        {
            take_spans(&mut cells, &mut carried, &mut spans, false);
            let number = |name: &str| {
                td.value()
                    .attr(name)
                    .and_then(|v| v.trim().parse::<usize>().ok())
            };
            let colspan = number("colspan").unwrap_or(1).clamp(1, 1000);
            // rowspan="0" spans the rest of the table section.
            let rowspan =
                number("rowspan").map_or(1, |n| if n == 0 { 65534 } else { n.min(65534) });
            let text = cell_text(td);
            for k in 0..colspan {
                let col = cells.len();
                if spans.len() <= col {
                    spans.resize(col + 1, (0, String::new()));
                }
                let t = if k == 0 { text.clone() } else { String::new() };
                spans[col] = (rowspan - 1, t.clone());
                cells.push(t);
            }
        }
        take_spans(&mut cells, &mut carried, &mut spans, true);
        while cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        rows.push(Row {
            number: r + 1,
            cells,
            carried,
        });
    }
    Table {
        label: format!("第 {n} 个表格"),
        source: format!("第 {n} 个表格"),
        rows,
        cell_errors: Vec::new(),
    }
}

/// Elements whose start and end break a line of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "section"
            | "article"
            | "dd"
            | "dt"
            | "dl"
            | "pre"
            | "caption"
            | "center"
    )
}

/// A cell's text with one line per paragraph (`<p>`, `<div>`, `<li>`, `<br>`);
/// an `<ol>`'s visible numbers are kept (`1.`), as a reader sees them.
pub(super) fn cell_text(cell: ElementRef<'_>) -> String {
    let mut out = String::new();
    push_text(*cell, &mut out);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn push_text(node: NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => push_inline(&t.text, out),
            Node::Element(e) => {
                let name = e.name();
                // gongkai's own narrow-screen 责任领导/责任部门 line sits inside the
                // 项目名称 cell: it repeats other cells, so it is not the cell's text.
                if matches!(name, "script" | "style" | "noscript" | "template")
                    || e.has_class("draft-mark", scraper::CaseSensitivity::AsciiCaseInsensitive)
                    || e.has_class("row-meta", scraper::CaseSensitivity::AsciiCaseInsensitive)
                {
                    continue;
                }
                if name == "br" {
                    out.push('\n');
                    continue;
                }
                let block = is_block(name) || matches!(name, "td" | "th");
                if block {
                    out.push('\n');
                }
                if name == "ol" {
                    let start = e
                        .attr("start")
                        .and_then(|s| s.trim().parse::<i64>().ok())
                        .unwrap_or(1);
                    let items = child.children().filter(|c| is_element(*c, "li"));
                    for (i, li) in items.enumerate() {
                        out.push('\n');
                        out.push_str(&format!("{}.", start + i as i64));
                        push_text(li, out);
                        out.push('\n');
                    }
                } else {
                    push_text(child, out);
                }
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

/// Source text of an inline run: line breaks and the indentation around them
/// are the file's layout, not the text's (nothing between two Chinese
/// characters, one space otherwise); runs of spaces on one line stay, as in
/// names written `章  平`; no-break spaces stay as written.
fn push_inline(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' || c == '\r' {
            while out.ends_with([' ', '\t']) {
                out.pop();
            }
            while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                chars.next();
            }
            let before = out.chars().last();
            let after = chars.peek().copied();
            let cjk = |c: Option<char>| c.is_some_and(crate::basics::text::is_cjk);
            if before.is_some() && after.is_some() && !(cjk(before) && cjk(after)) {
                out.push(' ');
            }
        } else if c == '\t' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

/// One piece of the page's text in reading order: a table cell whole (empty
/// ones too: an empty 文号 cell is the value), or a run of text outside cells.
struct Chunk {
    text: String,
}

fn read_meta(doc: &Html) -> PageMeta {
    let mut chunks = Vec::new();
    if let Some(body) = doc
        .root_element()
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
    {
        collect_chunks(*body, &mut chunks);
    }
    let mut found: Vec<(Key, String)> = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let labels = find_labels(&chunk.text);
        for (j, &(key, _, value_start)) in labels.iter().enumerate() {
            let value_end = labels.get(j + 1).map_or(chunk.text.len(), |l| l.1);
            let mut value = chunk.text[value_start..value_end].trim().to_owned();
            if value.is_empty() && j + 1 == labels.len() {
                // The value is the next cell, or the next text before any label.
                if let Some(next) = chunks.get(i + 1) {
                    let first_label = find_labels(&next.text).first().map(|l| l.1);
                    value = match first_label {
                        Some(at) => next.text[..at].trim().to_owned(),
                        None => next.text.trim().to_owned(),
                    };
                }
            }
            if !found.iter().any(|(k, _)| *k == key) {
                found.push((key, value));
            }
        }
    }
    let get = |k: Key| found.iter().find(|(x, _)| *x == k).map(|(_, v)| v.clone());
    let date = |k: Key| get(k).and_then(|v| parse_date(&v));
    let text = |k: Key| get(k).map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "));
    let metas = meta_tags(doc);
    let tag = |name: &str| {
        metas
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    PageMeta {
        title: text(Key::Title)
            .filter(|t| !t.is_empty())
            .or_else(|| tag("ArticleTitle"))
            .or_else(|| first_heading(doc)),
        doc_number: text(Key::DocNumber),
        index_number: text(Key::IndexNumber),
        publisher: text(Key::Publisher)
            .filter(|t| !t.is_empty())
            .or_else(|| tag("ContentSource")),
        issued: date(Key::Issued)
            .or_else(|| date(Key::Written))
            .or_else(|| tag("PubDate").and_then(|d| parse_date(&d))),
        published: date(Key::Published),
        updated: date(Key::Updated),
        validity: text(Key::Validity).filter(|t| !t.is_empty()),
        topic: text(Key::Topic).filter(|t| !t.is_empty()),
        source: text(Key::Source).filter(|t| !t.is_empty()),
    }
}

/// Walks the body: cells are one chunk each (descended into when they hold
/// a table); other text nodes are chunks of their own.
fn collect_chunks(node: NodeRef<'_, Node>, out: &mut Vec<Chunk>) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => {
                let mut s = String::new();
                push_inline(&t.text, &mut s);
                if !s.trim().is_empty() {
                    out.push(Chunk { text: s });
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if matches!(
                    name,
                    "script" | "style" | "noscript" | "template" | "select"
                ) {
                    continue;
                }
                // The work table's cells are report text, not the page's metadata.
                if name == "table" && ElementRef::wrap(child).is_some_and(is_report_table) {
                    continue;
                }
                let is_cell = matches!(name, "td" | "th" | "dd" | "dt");
                let holds_table = child.descendants().skip(1).any(|d| is_element(d, "table"));
                if is_cell && !holds_table {
                    let text = ElementRef::wrap(child).map(cell_text).unwrap_or_default();
                    out.push(Chunk { text });
                } else {
                    collect_chunks(child, out);
                }
            }
            _ => {}
        }
    }
}

/// A table with a row naming 项目名称 and three other report columns.
fn is_report_table(table: ElementRef<'_>) -> bool {
    table_rows(table).into_iter().any(|tr| {
        let columns: Vec<Column> = tr
            .children()
            .filter_map(ElementRef::wrap)
            .filter_map(|td| Column::from_header(&cell_text(td)))
            .collect();
        columns.contains(&Column::Project) && columns.len() >= 4
    })
}

/// Labels in a text: (key, label start, value start). A label starts the
/// text or follows a space or punctuation, may have spaces (any kind)
/// between its characters, and ends with a colon or the end of the text.
fn find_labels(text: &str) -> Vec<(Key, usize, usize)> {
    let mut out = Vec::new();
    let idx: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < idx.len() {
        let starts = i == 0 || {
            let p = idx[i - 1].1;
            p.is_whitespace() || (!crate::basics::text::is_cjk(p) && !p.is_alphanumeric())
        };
        if starts && let Some((key, end)) = label_at(&idx, i) {
            let value_start = idx.get(end).map_or(text.len(), |x| x.0);
            out.push((key, idx[i].0, value_start));
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

/// The label starting at `i` and the index after it (and its colon).
fn label_at(idx: &[(usize, char)], i: usize) -> Option<(Key, usize)> {
    'labels: for &(label, key) in LABELS {
        let mut j = i;
        for (k, want) in label.chars().enumerate() {
            if k > 0 {
                while idx.get(j).is_some_and(|x| x.1.is_whitespace()) {
                    j += 1;
                }
            }
            if idx.get(j).map(|x| x.1) != Some(want) {
                continue 'labels;
            }
            j += 1;
        }
        while idx.get(j).is_some_and(|x| x.1.is_whitespace()) {
            j += 1;
        }
        match idx.get(j).map(|x| x.1) {
            Some('：' | ':') => {
                j += 1;
                while idx.get(j).is_some_and(|x| x.1.is_whitespace()) {
                    j += 1;
                }
                return Some((key, j));
            }
            None => return Some((key, j)),
            _ => continue,
        }
    }
    None
}

/// `2020-10-27`, `2020年10月27日`, `2020/10/27`, `2020.10.27`, with or
/// without a time after it.
fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let date: String = s
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != 'T')
        .collect();
    let date = date.replace(['/', '.'], "-");
    if let Ok(d) = Date::parse(&date) {
        return Some(d);
    }
    let end = date.find('日').map_or(date.len(), |i| i + '日'.len_utf8());
    Date::parse(&date[..end]).ok()
}

fn meta_tags(doc: &Html) -> Vec<(String, String)> {
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "meta")
        .filter_map(|e| {
            let name = e.value().attr("name")?;
            Some((name.to_owned(), e.value().attr("content")?.to_owned()))
        })
        .collect()
}

fn first_heading(doc: &Html) -> Option<String> {
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "h1")
        .map(cell_text)
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(body: &str) -> PageMeta {
        read_meta(&Html::parse_document(&format!(
            "<html><head><meta charset=utf-8></head><body>{body}</body></html>"
        )))
    }

    #[test]
    fn labels_with_spaces_and_synonyms() {
        let m = meta(
            "<table><tr><td>索&nbsp;引&nbsp;号：</td><td>A-1</td><td>分　类</td><td>综合</td></tr>\
             <tr><td>文　　号</td><td></td><td>发文日期</td><td>2020年10月27日</td></tr>\
             <tr><td>发文机关</td><td>东湖管委会</td><td>时 效</td><td>有效</td></tr>\
             <tr><td>名 称</td><td colspan=3>7月工作进展情况及8月安排</td></tr></table>\
             <p>更新时间:2020-10-28 09:00 发布时间:2020/10/27</p>",
        );
        assert_eq!(m.index_number.as_deref(), Some("A-1"));
        assert_eq!(m.topic.as_deref(), Some("综合"));
        assert_eq!(m.doc_number.as_deref(), Some(""));
        assert_eq!(m.issued.unwrap().to_string(), "2020-10-27");
        assert_eq!(m.publisher.as_deref(), Some("东湖管委会"));
        assert_eq!(m.validity.as_deref(), Some("有效"));
        assert_eq!(m.title.as_deref(), Some("7月工作进展情况及8月安排"));
        assert_eq!(m.updated.unwrap().to_string(), "2020-10-28");
        assert_eq!(m.published.unwrap().to_string(), "2020-10-27");
        assert_eq!(m.month().unwrap().to_string(), "2020-07");
    }

    #[test]
    fn written_date_and_meta_tags_only_as_fallbacks() {
        let m = meta("<p>成文日期：2021-01-05</p><p>标题：12月工作进展情况</p>");
        assert_eq!(m.issued.unwrap().to_string(), "2021-01-05");
        // A 12月 report issued in January belongs to the year before.
        assert_eq!(m.month().unwrap().to_string(), "2020-12");
        let m = meta("<p>成文日期：2021-01-05</p><p>发文日期：2021-01-06</p>");
        assert_eq!(m.issued.unwrap().to_string(), "2021-01-06");
        let doc = Html::parse_document(
            "<html><head><meta name=ArticleTitle content='3月工作进展情况'>\
             <meta name=PubDate content='2021-04-02 10:00'><meta name=ContentSource content='某局'>\
             </head><body><p>正文</p></body></html>",
        );
        let m = read_meta(&doc);
        assert_eq!(m.title.as_deref(), Some("3月工作进展情况"));
        assert_eq!(m.publisher.as_deref(), Some("某局"));
        assert_eq!(m.month().unwrap().to_string(), "2021-03");
    }

    #[test]
    fn rowspan_and_colspan_expand_with_carried_cells() {
        let doc = Html::parse_document(
            "<table><tr><td colspan=3>标题</td></tr>\
             <tr><td>1</td><td rowspan=2>甲</td><td>x</td></tr>\
             <tr><td>2</td><td>y<br>z</td></tr></table>",
        );
        let t = doc
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "table")
            .unwrap();
        let t = read_table(t, 1);
        assert_eq!(t.rows[0].cells, ["标题"]);
        assert_eq!(t.rows[1].cells, ["1", "甲", "x"]);
        assert_eq!(t.rows[2].cells, ["2", "甲", "y\nz"]);
        assert_eq!(t.rows[2].carried, [1]);
    }

    #[test]
    fn paragraphs_lists_and_layout_whitespace() {
        let doc = Html::parse_document(
            "<table><tr><td><p>第一段\n  继续</p><div>second\n line</div>\
             <ol><li>甲</li><li>乙</li></ol>章&nbsp;&nbsp;平</td></tr></table>",
        );
        let td = doc
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "td")
            .unwrap();
        assert_eq!(
            cell_text(td),
            "第一段继续\nsecond line\n1.甲\n2.乙\n章\u{a0}\u{a0}平"
        );
    }

    #[test]
    fn encodings_from_bom_meta_or_bytes() {
        let page = "<meta charset=\"gb2312\"><p>序号</p>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        assert_eq!(decode(&gbk).unwrap(), (page.to_owned(), "GBK"));
        let plain = "<p>序号</p>";
        let (gbk, _, _) = encoding_rs::GBK.encode(plain);
        assert_eq!(decode(&gbk).unwrap().1, "GBK/GB18030");
        assert_eq!(decode(plain.as_bytes()).unwrap().1, "UTF-8");
        let mut bom = vec![0xef, 0xbb, 0xbf];
        bom.extend(plain.as_bytes());
        assert_eq!(decode(&bom).unwrap().0, plain);
    }
}
