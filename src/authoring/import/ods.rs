//! The size an OpenDocument spreadsheet (`.ods`) would take in memory, read
//! from its `content.xml` before calamine opens it.
//!
//! calamine reads every sheet of an ods when it opens the file, and expands
//! repeats as it goes: a cell with `table:number-columns-repeated="16384"`
//! in a row with `table:number-rows-repeated="1048576"` is a few dozen bytes
//! of XML and 17 billion cells, which would abort the program for want of
//! memory. This scan follows calamine's rules (`ods.rs` of calamine 0.38:
//! empty cells at a row's end are dropped, empty rows only count between
//! filled ones, repeats capped at Excel's limits) without holding a cell, so
//! the file can be refused with a message instead. LibreOffice's usual
//! trailing "empty to the end of the sheet" rows and columns cost nothing.
//!
//! The same scan refuses a `content.xml` that is not well-formed: calamine
//! never returns from some broken ones (see [`check_extent`]).

use std::io::{Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::table::{MAX_COLS, MAX_ROWS, MAX_SPAN};

const MAX_ROWS_64: u64 = MAX_ROWS as u64;
const MAX_COLS_64: u64 = MAX_COLS as u64;

/// The row being read.
struct Row {
    repeats: u64,
    /// Cells calamine holds so far.
    cells: u64,
    /// Empty cells after them, held only if a cell follows.
    pending: u64,
    /// The first and last filled columns.
    filled: Option<(u64, u64)>,
}

/// What the sheet named `name` takes, so far.
#[derive(Default)]
struct Sheet {
    name: String,
    /// Rows so far, repeats counted (capped at `MAX_ROWS`, as calamine does).
    rows: u64,
    /// Cells calamine holds before it cuts the used area out: every cell of
    /// every row element up to the row's last filled one.
    held: u64,
    /// The used area: first filled row, the end of the last filled row, the
    /// first and last filled columns.
    area: Option<(u64, u64, u64, u64)>,
}

impl Sheet {
    /// A row element repeated `repeats` times with `cells` cells held, its
    /// filled ones from column `filled.0` to `filled.1`.
    fn end_row(
        &mut self,
        repeats: u64,
        cells: u64,
        filled: Option<(u64, u64)>,
    ) -> Result<(), String> {
        let repeats = repeats.min(MAX_ROWS_64.saturating_sub(self.rows));
        self.held += cells;
        if let Some((c0, c1)) = filled {
            let (r0, _, a0, a1) = *self.area.get_or_insert((self.rows, 0, c0, c1));
            self.area = Some((r0, self.rows + repeats, a0.min(c0), a1.max(c1)));
        }
        self.rows += repeats;
        self.check()
    }

    fn check(&self) -> Result<(), String> {
        let (rows, cols) = match self.area {
            Some((r0, r1, c0, c1)) => (r1 - r0, c1 - c0 + 1),
            None => (0, 0),
        };
        if rows * cols > MAX_SPAN || self.held > MAX_SPAN {
            return Err(format!(
                "工作表“{}”用到的区域有 {rows} 行 × {cols} 列，太大了；请删去表格以外的单元格后另存",
                self.name
            ));
        }
        Ok(())
    }
}

/// Refuses an ods whose sheets would take more than `MAX_SPAN` cells or whose
/// `content.xml` is not well-formed; `Ok` for anything that is not an ods
/// (calamine says what is wrong with it).
pub(super) fn check_extent<R: Read + Seek>(file: R) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    // calamine 0.38 loops for ever on some broken files: where the file ends
    // inside a sheet or a cell's comment (`read_table` and `get_datatype` wait
    // for an end tag and take the end of the file for any other event), or
    // where end tags do not match (it does not check them). Spreadsheet
    // programs write well-formed XML, so anything else is refused here: end
    // tags checked, every element closed before the end.
    let mut reader = Reader::from_reader(std::io::BufReader::new(content));
    let config = reader.config_mut();
    config.check_end_names = true;
    config.trim_text(false);
    config.expand_empty_elements = true;
    let broken =
        |what: String| format!("content.xml {what}，文件不完整或已损坏；请在表格软件里打开后另存");
    let mut open = 0usize;
    let mut buf = Vec::new();
    let mut sheet: Option<Sheet> = None;
    let mut row: Option<Row> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            broken(format!(
                "在第 {} 字节处不是有效的 XML（{e}）",
                reader.error_position()
            ))
        })?;
        match &event {
            Event::Start(_) => open += 1,
            Event::End(_) => open = open.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Eof => {
                return match (open, sheet) {
                    (0, _) => Ok(()),
                    (_, Some(s)) => Err(broken(format!("里工作表“{}”没有结束标记", s.name))),
                    (_, None) => Err(broken("有元素没有结束标记".to_owned())),
                };
            }
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                sheet = Some(Sheet {
                    name: attr(&e, "table:name").unwrap_or_default(),
                    ..Sheet::default()
                });
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some(s) = sheet.take() {
                    s.check()?;
                }
            }
            // Self-closed elements come as a start and an end (`expand_empty_elements`).
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row = Some(Row {
                    repeats: count(&e, "table:number-rows-repeated"),
                    cells: 0,
                    pending: 0,
                    filled: None,
                });
            }
            Event::Start(e)
                if e.name().as_ref() == "table:table-cell"
                    || e.name().as_ref() == "table:covered-table-cell" =>
            {
                if let Some(r) = &mut row {
                    let repeats = count(&e, "table:number-columns-repeated");
                    // Empty cells count once a cell follows them.
                    r.cells += r.pending.min(MAX_COLS_64.saturating_sub(r.cells));
                    r.pending = 0;
                    let repeats = repeats.min(MAX_COLS_64.saturating_sub(r.cells));
                    if has_value(&e) {
                        if repeats > 0 {
                            let (first, _) = r.filled.get_or_insert((r.cells, r.cells));
                            r.filled = Some((*first, r.cells + repeats - 1));
                        }
                        r.cells += repeats;
                    } else {
                        r.pending = repeats;
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let (Some(s), Some(r)) = (&mut sheet, row.take()) {
                    s.end_row(r.repeats, r.cells, r.filled)?;
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

/// An attribute's text.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key: &str = a.key.as_ref();
        (key == name).then(|| a.value.to_string())
    })
}

/// A repeat count: 1 when absent; calamine refuses one that is not a number.
fn count(e: &BytesStart, name: &str) -> u64 {
    attr(e, name).and_then(|v| v.parse().ok()).unwrap_or(1)
}

/// Whether calamine reads the cell as filled: a value, a formula, a string
/// (even an empty one) or an error.
fn has_value(e: &BytesStart) -> bool {
    e.attributes().flatten().any(|a| {
        let (key, value): (&str, &str) = (a.key.as_ref(), a.value.as_ref());
        match key {
            "office:value"
            | "office:string-value"
            | "office:date-value"
            | "office:time-value"
            | "office:boolean-value"
            | "table:formula" => true,
            "office:value-type" => value == "string",
            "calcext:value-type" => value == "error",
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    /// An ods with one sheet whose `<table:table>` holds `rows`.
    fn ods(rows: &str) -> Vec<u8> {
        ods_of(&format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="7月">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        ))
    }

    /// An ods whose `content.xml` is `content`.
    fn ods_of(content: &str) -> Vec<u8> {
        ods_bytes(content.as_bytes())
    }

    fn ods_bytes(content: &[u8]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", opts).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("META-INF/manifest.xml", opts).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
        zip.start_file("content.xml", opts).unwrap();
        zip.write_all(content).unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn text(t: &str, repeats: u32) -> String {
        format!(
            r#"<table:table-cell table:number-columns-repeated="{repeats}" office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
        )
    }

    #[test]
    fn repeats_that_would_exhaust_memory_are_refused() {
        // One filled cell repeated across every column, in every row.
        let all = ods(&format!(
            r#"<table:table-row table:number-rows-repeated="1048576">{}</table:table-row>"#,
            text("x", 16384)
        ));
        let e = check_extent(Cursor::new(all.clone())).expect_err("refused");
        assert!(
            e.contains("1048576 行 × 16384 列") && e.contains("7月"),
            "{e}"
        );
        // Import refuses it with the file named, before calamine opens it.
        let e = super::super::table::workbook_bytes(std::path::Path::new("t.ods"), all)
            .err()
            .expect("refused")
            .to_string();
        assert!(e.contains("t.ods") && e.contains("太大了"), "{e}");
        // Filled cells far apart: the empty rows between them are held too.
        let far = ods(&format!(
            r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row><table:table-row>{}{}</table:table-row>"#,
            text("序号", 1),
            r#"<table:table-cell table:number-columns-repeated="100"/>"#,
            text("x", 1)
        ));
        let e = check_extent(Cursor::new(far)).expect_err("refused");
        assert!(e.contains("1000002 行 × 101 列"), "{e}");
        // Many row elements, each holding a wide filled row: held before cutting.
        let wide = format!(r#"<table:table-row>{}</table:table-row>"#, text("x", 16384));
        let e = check_extent(Cursor::new(ods(&wide.repeat(300)))).expect_err("refused");
        assert!(e.contains("太大了"), "{e}");
    }

    #[test]
    fn a_file_that_ends_inside_a_sheet_or_a_comment_is_refused() {
        // fuzz/corpus/import_xlsx/seed-crash-unclosed-table.xml: calamine 0.38
        // read the end of the file as "not yet" for ever.
        let unclosed = format!(
            r#"<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="7月"><table:table-row>{}</table:table-row>"#,
            text("序号", 1)
        );
        let e = check_extent(Cursor::new(ods_of(&unclosed))).expect_err("refused");
        assert!(e.contains("工作表“7月”没有结束标记"), "{e}");
        // The end tags need not match (calamine does not check them): the end
        // of the file is what counts.
        let mismatched = r#"<office:document-content><table:table table:name="7月"><ta:le:table-row></office:spreadsheet>"#;
        assert!(check_extent(Cursor::new(ods_of(mismatched))).is_err());
        let comment = r#"<office:document-content><table:table table:name="7月"><table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>批注"#;
        let e = check_extent(Cursor::new(ods_of(comment))).expect_err("refused");
        assert!(e.contains("没有结束标记"), "{e}");
        // Through import, in bounded time.
        let start = std::time::Instant::now();
        let e =
            super::super::table::workbook_bytes(std::path::Path::new("t.ods"), ods_of(mismatched))
                .err()
                .expect("refused")
                .to_string();
        assert!(e.contains("t.ods") && start.elapsed().as_secs() < 5, "{e}");
        // The fuzzer's second find: sheets opened inside a cell's text, end
        // tags that do not match; calamine never returned.
        let found =
            include_bytes!("../../../fuzz/corpus/import_xlsx/seed-crash-tables-in-a-cell.xml");
        let e = check_extent(Cursor::new(ods_bytes(found))).expect_err("refused");
        assert!(e.contains("content.xml"), "{e}");
    }

    #[test]
    fn libreoffice_trailing_empty_rows_and_columns_are_fine() {
        // As LibreOffice saves a small table: the rest of the sheet as empty repeats.
        let rows = format!(
            r#"<table:table-row>{}{}<table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
            text("序号", 1),
            text("项目名称", 1)
        );
        let book = ods(&rows);
        assert_eq!(check_extent(Cursor::new(book.clone())), Ok(()));
        // And calamine reads it as the two cells it holds.
        let tables =
            super::super::table::workbook_bytes(std::path::Path::new("t.ods"), book).expect("read");
        let cells: Vec<&str> = tables[0]
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(String::as_str))
            .collect();
        assert_eq!(cells, ["序号", "项目名称"]);
        // Not an ods at all: left to calamine.
        assert_eq!(check_extent(Cursor::new(b"not a zip".to_vec())), Ok(()));
    }
}
