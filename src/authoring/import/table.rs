//! Reading the table file: an Excel workbook through calamine, or a CSV file
//! in whichever encoding Excel saved it, as rows of text with sheet row numbers.

use std::fs;
use std::path::Path;

use calamine::{Data, Reader};

use super::html::{self, PageMeta};
use super::{docx, ods};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::fields::{self, ITEM};

/// One worksheet (or the CSV file) as text.
pub(super) struct Table {
    /// Where rows are, before "第 N 行" in errors: "工作表“7月”", empty for CSV.
    pub(super) label: String,
    /// What was read, for the summary: "工作表“7月”", "CSV，GBK/GB18030".
    pub(super) source: String,
    pub(super) rows: Vec<Row>,
    /// Cells holding an Excel error value (`#REF!`): (sheet row, column, value).
    pub(super) cell_errors: Vec<(usize, usize, String)>,
}

pub(super) struct Row {
    /// 1-based, as the spreadsheet shows it.
    pub(super) number: usize,
    /// Indexed by sheet column (A = 0).
    pub(super) cells: Vec<String>,
    /// Columns whose text was copied down from a merged cell above (Word's
    /// `vMerge`, HTML's `rowspan`): the cell is the one above, not the row's own.
    pub(super) carried: Vec<usize>,
}

impl Row {
    pub(super) fn cell(&self, col: usize) -> &str {
        self.cells.get(col).map(|c| c.trim()).unwrap_or("")
    }
}

/// What a file holds: its tables, and for a saved page its metadata.
pub(super) struct Source {
    pub(super) tables: Vec<Table>,
    pub(super) meta: Option<PageMeta>,
    /// Word documents and pages may hold several tables: `--table N` picks one.
    pub(super) numbered_tables: bool,
}

pub(super) fn read_source(path: &Path, sheet: Option<&str>) -> Result<Source> {
    if !path.is_file() {
        return Err(Error::Usage(format!("找不到表格文件 {}", path.display())));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let no_sheet = |kind: &str| match sheet {
        Some(s) => Err(Error::Usage(format!(
            "--sheet {s}：{kind}没有工作表，--sheet 只用于 Excel 文件"
        ))),
        None => Ok(()),
    };
    match ext.as_str() {
        "html" | "htm" | "shtml" | "xhtml" => {
            no_sheet("网页")?;
            let mut page = html::read_page(path)?;
            for t in &mut page.tables {
                t.source = format!("网页，{}，{}", page.encoding, t.label);
            }
            return Ok(Source {
                tables: page.tables,
                meta: Some(page.meta),
                numbered_tables: true,
            });
        }
        "docx" | "docm" => {
            no_sheet("Word 文档")?;
            return Ok(Source {
                tables: docx::read_docx(path)?,
                meta: None,
                numbered_tables: true,
            });
        }
        "doc" | "wps" | "rtf" => {
            return Err(Error::Usage(format!(
                "{}：这是旧版 Word/WPS 文件（.{ext}），gongkai 读不了这种二进制格式\n  在 Word 或 WPS 里打开它，用“文件 → 另存为”选择 Word 文档（*.docx），再导入 .docx",
                path.display()
            )));
        }
        _ => {}
    }
    let tables = read_tables(path, sheet, &ext)?;
    Ok(Source {
        tables,
        meta: None,
        numbered_tables: false,
    })
}

/// A file held in memory, read as `read_source` reads it by its extension
/// (a workbook of any format calamine reads for one it does not know), for
/// the fuzz targets.
pub(super) fn source_bytes(path: &Path, bytes: Vec<u8>) -> Result<Source> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    Ok(match ext.as_str() {
        "html" | "htm" | "shtml" | "xhtml" => {
            let mut page = html::page_bytes(path, &bytes)?;
            for t in &mut page.tables {
                t.source = format!("网页，{}，{}", page.encoding, t.label);
            }
            Source {
                tables: page.tables,
                meta: Some(page.meta),
                numbered_tables: true,
            }
        }
        "docx" | "docm" => Source {
            tables: docx::docx_bytes(path, bytes)?,
            meta: None,
            numbered_tables: true,
        },
        "csv" | "txt" => Source {
            tables: vec![csv_table(path, &bytes)?],
            meta: None,
            numbered_tables: false,
        },
        _ => Source {
            tables: workbook_bytes(path, bytes)?,
            meta: None,
            numbered_tables: false,
        },
    })
}

fn read_tables(path: &Path, sheet: Option<&str>, ext: &str) -> Result<Vec<Table>> {
    match ext {
        "csv" | "txt" => {
            if let Some(s) = sheet {
                return Err(Error::Usage(format!(
                    "--sheet {s}：CSV 文件没有工作表，--sheet 只用于 Excel 文件"
                )));
            }
            Ok(vec![read_csv(path)?])
        }
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(path, sheet),
        _ => Err(Error::Usage(format!(
            "{}：只能导入 .xlsx（Excel）、.csv、.docx（Word）或 .html（保存的网页）",
            path.display()
        ))),
    }
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Vec<Table>> {
    let file = fs::File::open(path).map_err(|e| Error::io(e, path))?;
    ods::check_extent(file).map_err(|e| refused_ods(path, &e))?;
    let book = calamine::open_workbook_auto(path).map_err(|e| not_a_workbook(path, e))?;
    workbook_tables(book, path, sheet)
}

/// The sheets of a workbook held in memory, any format calamine reads.
pub(super) fn workbook_bytes(path: &Path, bytes: Vec<u8>) -> Result<Vec<Table>> {
    ods::check_extent(std::io::Cursor::new(&bytes)).map_err(|e| refused_ods(path, &e))?;
    let book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| not_a_workbook(path, e))?;
    workbook_tables(book, path, None)
}

/// An ods too big to hold or broken (`ods::check_extent`).
fn refused_ods(path: &Path, e: &str) -> Error {
    Error::Usage(format!("无法读取 {}：{e}", path.display()))
}

fn not_a_workbook(path: &Path, e: calamine::Error) -> Error {
    Error::Usage(format!(
        "无法打开 Excel 文件 {}：{e}\n  请确认文件没有损坏，可以在 Excel 里打开后另存为 .xlsx",
        path.display()
    ))
}

fn workbook_tables<RS: std::io::Read + std::io::Seek>(
    mut book: calamine::Sheets<RS>,
    path: &Path,
    sheet: Option<&str>,
) -> Result<Vec<Table>> {
    let names = book.sheet_names();
    let chosen: Vec<String> = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(Error::Usage(format!(
                    "{} 里没有工作表“{s}”。有这些工作表：{}",
                    path.display(),
                    names.join("、")
                )));
            }
            vec![s.to_owned()]
        }
        None => names,
    };
    let mut tables = Vec::new();
    for name in chosen {
        let unreadable = |e: &dyn std::fmt::Display| {
            Error::Usage(format!("无法读取 {} 的工作表“{name}”：{e}", path.display()))
        };
        check_extent(&mut book, &name).map_err(|e| unreadable(&e))?;
        let range = book.worksheet_range(&name).map_err(|e| unreadable(&e))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut table = Table {
            label: format!("工作表“{name}”"),
            source: format!("工作表“{name}”"),
            rows: Vec::new(),
            cell_errors: Vec::new(),
        };
        for (i, cells) in range.rows().enumerate() {
            let number = row0 as usize + i + 1;
            let mut row = Row {
                number,
                cells: vec![String::new(); col0 as usize],
                carried: Vec::new(),
            };
            for (j, cell) in cells.iter().enumerate() {
                let text = match cell {
                    Data::Error(e) => {
                        table
                            .cell_errors
                            .push((number, col0 as usize + j, e.to_string()));
                        String::new()
                    }
                    other => cell_text(other),
                };
                row.cells.push(text);
            }
            table.rows.push(row);
        }
        tables.push(table);
    }
    Ok(tables)
}

/// Excel's own limits: a worksheet has at most 1,048,576 rows and 16,384 columns.
pub(super) const MAX_ROWS: u32 = 1_048_576;
pub(super) const MAX_COLS: u32 = 16_384;
/// The most cells (rows × columns, the empty ones included) the used part of a
/// worksheet may span: far more than a report holds, far less than would
/// exhaust memory (calamine gives every cell of the span a place).
pub(super) const MAX_SPAN: u64 = 4_000_000;

/// Refuses a worksheet whose cells lie outside Excel's limits or span more than
/// `MAX_SPAN` cells, before calamine allocates the span: a damaged or hostile
/// file (one cell at `A1`, one at `XFD1048576`) would otherwise abort the
/// program for want of memory. Read cell by cell where calamine can (xlsx,
/// xlsb); an xls holds 16-bit positions, and an ods was measured before
/// calamine opened it (`ods.rs`: calamine reads all its sheets at once).
fn check_extent<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    name: &str,
) -> std::result::Result<(), String> {
    let mut span: Option<(u32, u32, u32, u32)> = None;
    let mut add = |(row, col): (u32, u32)| {
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(format!(
                "有单元格在 Excel 的范围之外（第 {} 行，第 {} 列）",
                u64::from(row) + 1,
                u64::from(col) + 1
            ));
        }
        let s = span.get_or_insert((row, row, col, col));
        *s = (s.0.min(row), s.1.max(row), s.2.min(col), s.3.max(col));
        let (rows, cols) = (u64::from(s.1 - s.0) + 1, u64::from(s.3 - s.2) + 1);
        if rows * cols > MAX_SPAN {
            return Err(format!(
                "用到的区域有 {rows} 行 × {cols} 列，太大了；请删去表格以外的单元格后另存"
            ));
        }
        Ok(())
    };
    match book {
        calamine::Sheets::Xlsx(x) => {
            let mut cells = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
                add(cell.get_position())?;
            }
        }
        calamine::Sheets::Xlsb(x) => {
            let mut cells = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
                add(cell.get_position())?;
            }
        }
        calamine::Sheets::Xls(_) | calamine::Sheets::Ods(_) => {}
    }
    Ok(())
}

/// A cell as the sheet shows it: whole numbers without `.0`, dates as dates.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, _, _) = dt.to_ymd_hms_milli();
            if (hh, mm) == (0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
            }
        }
        other => other.to_string(),
    }
}

fn read_csv(path: &Path) -> Result<Table> {
    let bytes = fs::read(path).map_err(|e| Error::io(e, path))?;
    csv_table(path, &bytes)
}

/// A CSV file's bytes, read from `path`, as a table.
pub(super) fn csv_table(path: &Path, bytes: &[u8]) -> Result<Table> {
    let (text, encoding) = decode(bytes).ok_or_else(|| {
        Error::Usage(format!(
            "{} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本，无法读取\n  在 Excel 里用“另存为 → CSV UTF-8（逗号分隔）”保存，或直接导入 .xlsx",
            path.display()
        ))
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(&text))
        .from_reader(text.as_bytes());
    let mut table = Table {
        label: String::new(),
        source: format!("CSV，{encoding}"),
        rows: Vec::new(),
        cell_errors: Vec::new(),
    };
    // The csv crate skips blank lines and its line numbers drift with CRLF,
    // so rows are counted here: line breaks before the record, less those
    // inside earlier cells, is the row number Excel shows for the same file.
    let bytes = text.as_bytes();
    let (mut scanned, mut breaks_before, mut breaks_in_cells) = (0usize, 0usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| {
            Error::Content(Diagnostics(vec![Diagnostic::error(
                path,
                format!("CSV 格式错误：{e}"),
            )]))
        })?;
        let mut start = record
            .position()
            .map_or(scanned, |p| p.byte() as usize)
            .max(scanned);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        breaks_before += line_breaks(&text[scanned..start]);
        scanned = start;
        table.rows.push(Row {
            number: breaks_before - breaks_in_cells + 1,
            cells: record.iter().map(str::to_owned).collect(),
            carried: Vec::new(),
        });
        breaks_in_cells += record.iter().map(line_breaks).sum::<usize>();
    }
    Ok(table)
}

/// Line breaks in `s`: `\r\n`, lone `\r` and lone `\n` each count once.
fn line_breaks(s: &str) -> usize {
    let b = s.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Text and the name of its encoding: a byte-order mark decides; otherwise
/// UTF-8 if the bytes are valid UTF-8, else GB18030 (a superset of GBK, which
/// Excel uses when it saves Chinese CSV), else nothing.
fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, malformed) = enc.decode_without_bom_handling(&bytes[bom..]);
        let name = match enc.name() {
            "UTF-8" => "UTF-8 带 BOM",
            other => other,
        };
        return (!malformed).then(|| (text.into_owned(), name));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some((text.to_owned(), "UTF-8"));
    }
    let (text, malformed) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!malformed).then(|| (text.into_owned(), "GBK/GB18030"))
}

/// Tab-separated when the header line has more tabs than commas (Excel's
/// "Unicode text"), else comma-separated.
fn sniff_delimiter(text: &str) -> u8 {
    let project = fields::lookup(ITEM, "project").map_or("项目名称", |f| f.alias);
    match text.lines().take(50).find(|l| l.contains(project)) {
        Some(l) if l.matches('\t').count() > l.matches(',').count() => b'\t',
        _ => b',',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_rows(bytes: &[u8]) -> Vec<(usize, Vec<String>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        fs::write(&path, bytes).unwrap();
        let t = read_csv(&path).unwrap();
        t.rows.into_iter().map(|r| (r.number, r.cells)).collect()
    }

    #[test]
    fn csv_row_numbers_match_excel() {
        for eol in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "1,\"x", "y\"", "", "2,z", "", "", "3,w"].join(eol);
            let rows: Vec<usize> = csv_rows(text.as_bytes()).iter().map(|r| r.0).collect();
            assert_eq!(rows, [1, 2, 4, 7], "{eol:?}");
        }
    }

    #[test]
    fn tab_separated_utf16_as_excel_saves_unicode_text() {
        let text = "序号\t项目名称\t责任部门\n1\t扫黑,除恶\t纪工委\n";
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let rows = csv_rows(&bytes);
        assert_eq!(rows[1].1, ["1", "扫黑,除恶", "纪工委"]);
    }

    /// An xlsx of one worksheet, `sheet_data` its `<sheetData>` (as the
    /// import_xlsx fuzz target zips a fuzzed worksheet).
    fn xlsx(sheet_data: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let pkg = "http://schemas.openxmlformats.org/package/2006/relationships";
        for (name, text) in [
            (
                "_rels/.rels",
                format!(
                    r#"<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="7月" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"<worksheet xmlns="{main}"><sheetData>{sheet_data}</sheetData></worksheet>"#
                ),
            ),
        ] {
            zip.start_file(name, opts).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn cell(r: &str, text: &str) -> String {
        format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
    }

    #[test]
    fn a_worksheet_too_big_to_hold_is_an_error_not_an_abort() {
        let path = Path::new("t.xlsx");
        // Excel's last cell and its first: 17 billion cells to allocate.
        let far = xlsx(&format!(
            r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
            cell("A1", "序号"),
            cell("XFD1048576", "x")
        ));
        let e = workbook_bytes(path, far)
            .err()
            .expect("refused")
            .to_string();
        assert!(
            e.contains("1048576 行 × 16384 列") && e.contains("t.xlsx"),
            "{e}"
        );
        // A column past Excel's last, whose letters overflow 32 bits (fuzz/corpus/import_xlsx/
        // seed-crash-column-overflow.xml): calamine's arithmetic wraps (overflow checks off for it,
        // Cargo.toml), and the wrapped column is still refused.
        let wrapped = xlsx(&format!(
            r#"<row r="3">{}{}</row>"#,
            cell("A3", "序号"),
            cell(&format!("{}A3", "z".repeat(79)), "x")
        ));
        let e = workbook_bytes(path, wrapped)
            .err()
            .expect("refused")
            .to_string();
        assert!(e.contains("范围之外"), "{e}");
        // The largest ordinary table still reads.
        let ok = xlsx(&format!(
            r#"<row r="1">{}{}</row>"#,
            cell("A1", "序号"),
            cell("Z1", "x")
        ));
        assert_eq!(workbook_bytes(path, ok).unwrap()[0].rows[0].cells.len(), 26);
    }

    #[test]
    fn encodings() {
        assert_eq!(decode("序号".as_bytes()).unwrap().1, "UTF-8");
        assert_eq!(
            decode("\u{feff}序号".as_bytes()).unwrap(),
            ("序号".to_owned(), "UTF-8 带 BOM")
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("序号,项目名称");
        assert_eq!(
            decode(&gbk).unwrap(),
            ("序号,项目名称".to_owned(), "GBK/GB18030")
        );
    }
}
