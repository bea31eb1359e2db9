//! Reading a Word document (`.docx`, also as WPS saves it): every table of
//! `word/document.xml` as a [`Table`], with `gridSpan` and `vMerge` expanded
//! into the grid, `gridBefore`/`gridAfter` skipped, each paragraph of a cell a
//! line and the visible list numbers (from `word/numbering.xml`) kept as text.
//!
//! `zip` + `quick-xml` rather than a docx crate: the merge information this
//! needs (`vMerge`, `gridSpan`, `gridBefore`) is private in `docx-rs`'s cell
//! properties. Element names are matched without their prefix, so documents
//! written with another namespace prefix read the same.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::table::{Row, Table};
use crate::error::{Error, Result};

pub(super) fn read_docx(path: &Path) -> Result<Vec<Table>> {
    let file = File::open(path).map_err(|e| Error::io(e, path))?;
    docx_tables(path, file)
}

/// A Word document held in memory; `path` names it in errors.
pub(super) fn docx_bytes(path: &Path, bytes: Vec<u8>) -> Result<Vec<Table>> {
    docx_tables(path, std::io::Cursor::new(bytes))
}

fn docx_tables<R: Read + Seek>(path: &Path, reader: R) -> Result<Vec<Table>> {
    let not_word = |why: String| {
        Error::Usage(format!(
            "{} 不是有效的 Word 文档（.docx）：{why}\n  请在 Word 或 WPS 里打开它，用“另存为 → Word 文档（*.docx）”重新保存",
            path.display()
        ))
    };
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| not_word(e.to_string()))?;
    let mut part = |name: &str| -> Result<Option<String>> {
        let mut entry = match zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(not_word(e.to_string())),
        };
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .map_err(|e| not_word(format!("{name}：{e}")))?;
        Ok(Some(text))
    };
    let document = part("word/document.xml")?
        .ok_or_else(|| not_word("里面没有 word/document.xml".to_owned()))?;
    let mut numbering = match part("word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml).map_err(&not_word)?,
        None => Numbering::default(),
    };
    if let Some(xml) = part("word/styles.xml")? {
        numbering.styles = style_lists(&xml).map_err(&not_word)?;
    }
    parse_document(&document, numbering).map_err(not_word)
}

/// The list each paragraph style numbers its paragraphs with (styleId →
/// (numId, ilvl)), from `word/styles.xml`: Word's 编号 styles (List Number and
/// the office's own) carry the `numPr` there instead of on each paragraph.
/// A style without one takes its `basedOn` style's.
fn style_lists(xml: &str) -> std::result::Result<HashMap<String, (String, usize)>, String> {
    let mut reader = Reader::from_str(xml);
    let mut own: HashMap<String, (Option<String>, usize)> = HashMap::new();
    let mut based: HashMap<String, String> = HashMap::new();
    let mut style: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("word/styles.xml：{e}"))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => match local(e).as_str() {
                "style" => {
                    style = e.attributes().flatten().find_map(|a| {
                        let key: &str = a.key.as_ref();
                        (key.rsplit(':').next() == Some("styleId")).then(|| attr_text(&a.value))
                    });
                }
                "basedOn" => {
                    if let (Some(s), Some(v)) = (&style, val(e)) {
                        based.insert(s.clone(), v);
                    }
                }
                "numId" => {
                    if let Some(s) = &style {
                        own.entry(s.clone()).or_insert((None, 0)).0 = val(e);
                    }
                }
                "ilvl" => {
                    if let Some(s) = &style {
                        own.entry(s.clone()).or_insert((None, 0)).1 = int_val(e).unwrap_or(0);
                    }
                }
                _ => {}
            },
            Event::End(ref e) => {
                let qname = e.name();
                let name: &str = qname.as_ref();
                if name.rsplit(':').next() == Some("style") {
                    style = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut out = HashMap::new();
    for id in own.keys().chain(based.keys()) {
        // Follow basedOn to the first style with a numId (a chain a few deep; cut at 20).
        let mut at = id.clone();
        for _ in 0..20 {
            if let Some((Some(num), ilvl)) = own.get(&at) {
                out.insert(id.clone(), (num.clone(), *ilvl));
                break;
            }
            match based.get(&at) {
                Some(parent) => at = parent.clone(),
                None => break,
            }
        }
    }
    Ok(out)
}

/// The local name of an element, without its namespace prefix.
fn local(e: &BytesStart<'_>) -> String {
    let name = e.name();
    let full: &str = name.as_ref();
    full.rsplit(':').next().unwrap_or_default().to_owned()
}

/// The `val` attribute (any prefix).
fn val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key: &str = a.key.as_ref();
        (key.rsplit(':').next() == Some("val")).then(|| attr_text(&a.value))
    })
}

/// An attribute value as text, entities resolved.
fn attr_text(raw: &str) -> String {
    quick_xml::escape::unescape(raw).map_or_else(|_| raw.to_owned(), |v| v.into_owned())
}

fn int_val(e: &BytesStart<'_>) -> Option<usize> {
    val(e).and_then(|v| v.trim().parse().ok())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

struct Cell {
    paragraphs: Vec<String>,
    span: usize,
    merge: Merge,
    /// Legacy horizontal merge (`hMerge` continue): covered by the cell before.
    covered: bool,
}

#[derive(Default)]
struct TableBuild {
    rows: Vec<(usize, Vec<Cell>)>,
    /// `gridBefore` of the current row.
    before: usize,
    /// Where the finished table goes in document order.
    slot: usize,
}

/// The stack-based walk over `document.xml`.
fn parse_document(xml: &str, numbering: Numbering) -> std::result::Result<Vec<Table>, String> {
    let mut reader = Reader::from_str(xml);
    let mut tables: Vec<Option<Table>> = Vec::new();
    let mut open: Vec<TableBuild> = Vec::new();
    let mut counters = Counters::new(numbering);
    // The paragraph being read: its text, its list (numId, ilvl), its style,
    // whether inside a run's text.
    let mut para: Option<String> = None;
    let mut num: (Option<String>, usize) = (None, 0);
    let mut style: Option<String> = None;
    let mut in_text = false;
    let mut in_ppr = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "word/document.xml 第 {} 字节：{e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local(e);
                if empty && matches!(name.as_str(), "tbl" | "tr" | "tc" | "p" | "t" | "pPr") {
                    // An element with nothing in it adds nothing, and has no end to wait for.
                    continue;
                }
                match name.as_str() {
                    "tbl" => {
                        tables.push(None);
                        open.push(TableBuild {
                            slot: tables.len() - 1,
                            ..TableBuild::default()
                        });
                    }
                    "tr" => {
                        if let Some(t) = open.last_mut() {
                            t.before = 0;
                            t.rows.push((0, Vec::new()));
                        }
                    }
                    "gridBefore" => {
                        if let Some(t) = open.last_mut() {
                            t.before = int_val(e).unwrap_or(0);
                            if let Some(row) = t.rows.last_mut() {
                                row.0 = t.before;
                            }
                        }
                    }
                    "tc" => {
                        if let Some((_, cells)) = open.last_mut().and_then(|t| t.rows.last_mut()) {
                            cells.push(Cell {
                                paragraphs: Vec::new(),
                                span: 1,
                                merge: Merge::None,
                                covered: false,
                            });
                        }
                    }
                    "gridSpan" | "vMerge" | "hMerge" => {
                        let v = val(e);
                        if let Some(cell) = open
                            .last_mut()
                            .and_then(|t| t.rows.last_mut())
                            .and_then(|r| r.1.last_mut())
                        {
                            match name.as_str() {
                                "gridSpan" => cell.span = int_val(e).unwrap_or(1).clamp(1, 1000),
                                // Word writes `<w:vMerge/>` for continue, WPS `w:val="continue"`.
                                "vMerge" => {
                                    cell.merge = if v.as_deref() == Some("restart") {
                                        Merge::Restart
                                    } else {
                                        Merge::Continue
                                    }
                                }
                                _ => cell.covered = v.as_deref() != Some("restart"),
                            }
                        }
                    }
                    "p" => {
                        para = Some(String::new());
                        num = (None, 0);
                        style = None;
                    }
                    "pPr" => in_ppr = true,
                    "pStyle" if in_ppr => style = val(e),
                    "numId" if in_ppr => num.0 = val(e),
                    "ilvl" if in_ppr => num.1 = int_val(e).unwrap_or(0),
                    "t" => in_text = true,
                    "tab" if !in_ppr => push(&mut para, "\t"),
                    "br" | "cr" => push(&mut para, "\n"),
                    _ => {}
                }
            }
            Event::End(e) => {
                let name = {
                    let qname = e.name();
                    let n: &str = qname.as_ref();
                    n.to_owned()
                };
                let name = name.rsplit(':').next().unwrap_or_default();
                match name {
                    "t" => in_text = false,
                    "pPr" => in_ppr = false,
                    "p" => {
                        let mut text = para.take().unwrap_or_default();
                        // The paragraph's own numPr, else its style's.
                        if num.0.is_none()
                            && let Some((id, ilvl)) = style
                                .take()
                                .and_then(|s| counters.numbering.styles.get(&s).cloned())
                        {
                            num = (Some(id), ilvl);
                        }
                        if let Some(id) = num.0.take()
                            && let Some(label) = counters.next(&id, num.1)
                        {
                            text.insert_str(0, &label);
                        }
                        // A nested table's paragraphs belong to every cell around it.
                        for t in &mut open {
                            if let Some(cell) = t.rows.last_mut().and_then(|r| r.1.last_mut()) {
                                cell.paragraphs.push(text.clone());
                            }
                        }
                    }
                    "tbl" => {
                        if let Some(t) = open.pop() {
                            let slot = t.slot;
                            tables[slot] = Some(grid(t, slot + 1));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => push(&mut para, &t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.xml10_content().as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    push(&mut para, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(tables.into_iter().flatten().collect())
}

fn push(para: &mut Option<String>, s: &str) {
    if let Some(p) = para {
        p.push_str(s);
    }
}

/// The grid of one table: a `vMerge` continue cell takes the text of the cell
/// above it in the same grid column (marked carried); a `gridSpan` cell fills
/// its first column and leaves the others empty.
fn grid(t: TableBuild, n: usize) -> Table {
    let mut rows: Vec<Row> = Vec::new();
    for (r, (before, cells)) in t.rows.into_iter().enumerate() {
        let mut row = Row {
            number: r + 1,
            cells: vec![String::new(); before],
            carried: Vec::new(),
        };
        for cell in cells {
            if cell.covered {
                continue;
            }
            let col = row.cells.len();
            let text = cell
                .paragraphs
                .iter()
                .map(|p| p.replace('\t', " ").trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            let text = if cell.merge == Merge::Continue {
                let above = rows
                    .last()
                    .and_then(|a| a.cells.get(col))
                    .cloned()
                    .unwrap_or_default();
                if !above.is_empty() {
                    row.carried.push(col);
                }
                above
            } else {
                text
            };
            row.cells.push(text);
            for _ in 1..cell.span {
                row.cells.push(String::new());
            }
        }
        rows.push(row);
    }
    Table {
        label: format!("第 {n} 个表格"),
        source: format!("Word 文档，第 {n} 个表格"),
        rows,
        cell_errors: Vec::new(),
    }
}

/// One list level: its start, number format and text (`%1.`).
#[derive(Debug, Clone)]
struct Level {
    start: i64,
    format: String,
    text: String,
}

#[derive(Debug, Default)]
struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// abstractNumId → levels by ilvl.
    abstract_nums: HashMap<String, HashMap<usize, Level>>,
    /// Paragraph styles that number their paragraphs ([`style_lists`]).
    styles: HashMap<String, (String, usize)>,
}

impl Numbering {
    fn parse(xml: &str) -> std::result::Result<Numbering, String> {
        let mut reader = Reader::from_str(xml);
        let mut out = Numbering::default();
        let (mut abstract_id, mut num_id, mut ilvl) = (None::<String>, None::<String>, 0usize);
        let mut level = Level {
            start: 1,
            format: "decimal".to_owned(),
            text: String::new(),
        };
        loop {
            let event = reader
                .read_event()
                .map_err(|e| format!("word/numbering.xml：{e}"))?;
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let attr = |name: &str| {
                        e.attributes().flatten().find_map(|a| {
                            let key: &str = a.key.as_ref();
                            (key.rsplit(':').next() == Some(name)).then(|| attr_text(&a.value))
                        })
                    };
                    match local(&e).as_str() {
                        "abstractNum" => abstract_id = attr("abstractNumId"),
                        "num" => num_id = attr("numId"),
                        "abstractNumId" => {
                            if let (Some(n), Some(v)) = (&num_id, val(&e)) {
                                out.nums.insert(n.clone(), v);
                            }
                        }
                        "lvl" => {
                            ilvl = attr("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                            level = Level {
                                start: 1,
                                format: "decimal".to_owned(),
                                text: format!("%{}.", ilvl + 1),
                            };
                        }
                        "start" => level.start = val(&e).and_then(|v| v.parse().ok()).unwrap_or(1),
                        "numFmt" => level.format = val(&e).unwrap_or_default(),
                        "lvlText" => level.text = val(&e).unwrap_or_default(),
                        _ => {}
                    }
                }
                Event::End(e) => {
                    let name = {
                        let qname = e.name();
                        let n: &str = qname.as_ref();
                        n.to_owned()
                    };
                    match name.rsplit(':').next().unwrap_or_default() {
                        "lvl" => {
                            if let Some(a) = &abstract_id {
                                out.abstract_nums
                                    .entry(a.clone())
                                    .or_default()
                                    .insert(ilvl, level.clone());
                            }
                        }
                        "abstractNum" => abstract_id = None,
                        "num" => num_id = None,
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The running counters of each list, as Word numbers paragraphs.
struct Counters {
    numbering: Numbering,
    /// abstractNumId → counter per level.
    counts: HashMap<String, Vec<i64>>,
}

impl Counters {
    fn new(numbering: Numbering) -> Counters {
        Counters {
            numbering,
            counts: HashMap::new(),
        }
    }

    /// The label a numbered paragraph shows (`1.`, `（一）`), `None` for
    /// bullets and unknown lists.
    fn next(&mut self, num_id: &str, ilvl: usize) -> Option<String> {
        let abs = self.numbering.nums.get(num_id)?.clone();
        let levels = self.numbering.abstract_nums.get(&abs)?;
        let level = levels.get(&ilvl)?;
        if matches!(level.format.as_str(), "bullet" | "none") {
            return None;
        }
        let counts = self.counts.entry(abs.clone()).or_default();
        if counts.len() <= ilvl {
            counts.resize(ilvl + 1, 0);
        }
        for (l, c) in counts.iter_mut().enumerate() {
            if *c == 0 && l <= ilvl {
                *c = levels.get(&l).map_or(1, |x| x.start) - i64::from(l == ilvl);
            }
        }
        counts[ilvl] += 1;
        counts.truncate(ilvl + 1);
        let mut text = level.text.clone();
        for (l, c) in counts.iter().enumerate() {
            let format = levels.get(&l).map_or("decimal", |x| x.format.as_str());
            text = text.replace(&format!("%{}", l + 1), &format_number(*c, format));
        }
        Some(text)
    }
}

/// A list number in Word's formats that Chinese documents use.
fn format_number(n: i64, format: &str) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match format {
        "chineseCounting" | "chineseCountingThousand" | "ideographTraditional"
            if (1..100).contains(&n) =>
        {
            let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
            match (tens, ones) {
                (0, o) => DIGITS[o].to_owned(),
                (1, 0) => "十".to_owned(),
                (1, o) => format!("十{}", DIGITS[o]),
                (t, 0) => format!("{}十", DIGITS[t]),
                (t, o) => format!("{}十{}", DIGITS[t], DIGITS[o]),
            }
        }
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), String::from)
        }
        "lowerLetter" if (1..=26).contains(&n) => char::from(b'a' + n as u8 - 1).to_string(),
        "upperLetter" if (1..=26).contains(&n) => char::from(b'A' + n as u8 - 1).to_string(),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numbering_style_numbers_its_paragraphs() {
        const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        let numbering = format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="5"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="5"/></w:num></w:numbering>"#
        );
        let styles = format!(
            r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="ListNumber"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Office"><w:basedOn w:val="ListNumber"/></w:style></w:styles>"#
        );
        let mut n = Numbering::parse(&numbering).unwrap();
        n.styles = style_lists(&styles).unwrap();
        assert_eq!(n.styles["Office"], ("3".to_owned(), 0));
        let para = |style: &str, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let doc = format!(
            "<w:document {W}><w:body><w:tbl><w:tr><w:tc>{}{}{}</w:tc></w:tr></w:tbl></w:body></w:document>",
            para("ListNumber", "甲"),
            para("Office", "乙"),
            para("Normal", "丙"),
        );
        let tables = parse_document(&doc, n).unwrap();
        assert_eq!(tables[0].rows[0].cells[0], "1.甲\n2.乙\n丙");
    }

    #[test]
    fn chinese_and_circled_numbers() {
        assert_eq!(format_number(1, "chineseCounting"), "一");
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(30, "chineseCounting"), "三十");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(7, "decimal"), "7");
    }
}
