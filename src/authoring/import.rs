//! `import`: makes a month from the table the departments send, as an Excel
//! workbook (calamine) or a CSV file (UTF-8, UTF-8 with BOM, or the GBK/GB18030
//! Excel writes for Chinese).
//!
//! table file → [`Table`] (rows of text with their sheet row numbers) → header
//! row found by column names → one [`NewItem`] per row, 责任领导 and 责任部门
//! carried down over merged or blank cells → files. Every bad row is reported
//! with its sheet row number, and nothing is written unless the whole table is good.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::authoring::writer::{self, NewItem};
use crate::basics::dates::YearMonth;
use crate::basics::text;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::content;
use crate::load::fields::{self, ITEM, SECTION_PLAN, SECTION_PROBLEMS, SECTION_PROGRESS};
use crate::load::markdown::Section;

/// What the command line decides about an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub content: PathBuf,
    pub month: YearMonth,
    /// Worksheet to read; default the first one with a header row.
    pub sheet: Option<String>,
    /// Replace the items of an existing month (its `_index.md` stays).
    pub force: bool,
}

/// What an import did, for the summary.
#[derive(Debug)]
pub struct ImportReport {
    pub dir: PathBuf,
    /// "工作表“Sheet1”" or the CSV's encoding.
    pub source: String,
    pub header_row: usize,
    /// File stems written, in table order.
    pub items: Vec<String>,
    /// Stems of rows that had no 序号 (`30a`).
    pub unnumbered: Vec<String>,
    pub carried_leaders: usize,
    pub carried_departments: usize,
    /// Columns that are not part of the report: "H 列“备注”".
    pub ignored_columns: Vec<String>,
    /// Things worth a second look that do not stop the import.
    pub notes: Vec<String>,
    pub index: IndexFile,
    /// Item files of the month replaced with `--force`.
    pub removed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexFile {
    /// The month is new: `_index.md` written with 发文日期 left to fill.
    Created,
    /// `--force` on an existing month: its `_index.md` was left as it was.
    Kept,
}

/// Reads the table, checks every row, and writes the month.
pub fn import(opts: &ImportOptions) -> Result<ImportReport> {
    if !opts.content.is_dir() {
        return Err(content::missing_content_dir(&opts.content));
    }
    let dir = opts.content.join(opts.month.to_string());
    let exists = dir.exists();
    if exists && !opts.force {
        return Err(Error::Usage(format!(
            "{} 已存在，没有改动任何文件。\n  要用表格替换这个月的条目，加上 --force（_index.md 会保留，原有的条目文件会被替换）",
            dir.display()
        )));
    }
    if exists && !dir.is_dir() {
        return Err(Error::Usage(format!("{} 不是文件夹", dir.display())));
    }
    let tables = read_tables(&opts.file, opts.sheet.as_deref())?;
    let (table, header) = find_header(&opts.file, &tables)?;
    let parsed = parse_rows(&opts.file, table, &header, opts.month)?;

    let mut report = ImportReport {
        dir: dir.clone(),
        source: table.source.clone(),
        header_row: header.row,
        items: parsed.items.iter().map(|i| i.stem.clone()).collect(),
        unnumbered: parsed.unnumbered,
        carried_leaders: parsed.carried_leaders,
        carried_departments: parsed.carried_departments,
        ignored_columns: header.ignored.clone(),
        notes: Vec::new(),
        index: IndexFile::Created,
        removed: 0,
    };
    report.notes.extend(parsed.notes);
    let files: Vec<(String, String)> = parsed
        .items
        .iter()
        .map(|i| (format!("{}.md", i.stem), i.to_text()))
        .collect();
    if exists {
        let (removed, index) = replace_items(&dir, opts.month, &files)?;
        report.removed = removed;
        report.index = index;
    } else {
        let mut all = vec![(
            "_index.md".to_owned(),
            writer::month_index_text(opts.month, None),
        )];
        all.extend(files);
        writer::create_month_dir(&opts.content, opts.month, &all)?;
    }
    Ok(report)
}

/// `--force` on an existing month: new item files are written beside the
/// month first, then the old item files go and the new ones move in. Other
/// files (attachments, `_index.md`) stay.
fn replace_items(
    dir: &Path,
    month: YearMonth,
    files: &[(String, String)],
) -> Result<(usize, IndexFile)> {
    // Hidden, so a loader running meanwhile ignores it.
    let staging = dir.join(format!(".gongkai-import-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::io(e, &staging))?;
    }
    fs::create_dir(&staging).map_err(|e| Error::io(e, &staging))?;
    if let Err(e) = writer::write_files(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let mut removed = 0;
    for entry in fs::read_dir(dir).map_err(|e| Error::io(e, dir))? {
        let entry = entry.map_err(|e| Error::io(e, dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md")
            && name != "_index.md"
            && !content::is_ignored(&name)
            && entry.path().is_file()
        {
            fs::remove_file(entry.path()).map_err(|e| Error::io(e, &entry.path()))?;
            removed += 1;
        }
    }
    for (name, _) in files {
        let to = dir.join(name);
        fs::rename(staging.join(name), &to).map_err(|e| Error::io(e, &to))?;
    }
    fs::remove_dir_all(&staging).map_err(|e| Error::io(e, &staging))?;
    let index = dir.join("_index.md");
    if index.exists() {
        Ok((removed, IndexFile::Kept))
    } else {
        let text = writer::month_index_text(month, None);
        fs::write(&index, text).map_err(|e| Error::io(e, &index))?;
        Ok((removed, IndexFile::Created))
    }
}

// ---------------------------------------------------------------------------
// Reading the file

/// One worksheet (or the CSV file) as text.
struct Table {
    /// Where rows are, before "第 N 行" in errors: "工作表“7月”", empty for CSV.
    label: String,
    /// What was read, for the summary: "工作表“7月”", "CSV，GBK/GB18030".
    source: String,
    rows: Vec<Row>,
    /// Cells holding an Excel error value (`#REF!`): (sheet row, column, value).
    cell_errors: Vec<(usize, usize, String)>,
}

struct Row {
    /// 1-based, as the spreadsheet shows it.
    number: usize,
    /// Indexed by sheet column (A = 0).
    cells: Vec<String>,
}

impl Row {
    fn cell(&self, col: usize) -> &str {
        self.cells.get(col).map(|c| c.trim()).unwrap_or("")
    }
}

fn read_tables(path: &Path, sheet: Option<&str>) -> Result<Vec<Table>> {
    if !path.is_file() {
        return Err(Error::Usage(format!("找不到表格文件 {}", path.display())));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
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
            "{}：只能导入 .xlsx（Excel）或 .csv 表格",
            path.display()
        ))),
    }
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Vec<Table>> {
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        Error::Usage(format!(
            "无法打开 Excel 文件 {}：{e}\n  请确认文件没有损坏，可以在 Excel 里打开后另存为 .xlsx",
            path.display()
        ))
    })?;
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
        let range = book.worksheet_range(&name).map_err(|e| {
            Error::Usage(format!("无法读取 {} 的工作表“{name}”：{e}", path.display()))
        })?;
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
    let (text, encoding) = decode(&bytes).ok_or_else(|| {
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

// ---------------------------------------------------------------------------
// Finding the header row

/// The report's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Number,
    Leaders,
    Project,
    Department,
    Progress,
    Problems,
    Plan,
    /// Optional: 项目标识, the cross-month identity (open data carries it).
    Key,
}

const REQUIRED: [Column; 7] = [
    Column::Number,
    Column::Leaders,
    Column::Project,
    Column::Department,
    Column::Progress,
    Column::Problems,
    Column::Plan,
];

impl Column {
    /// What a header cell names, in Chinese (as tables are) or English.
    fn from_header(cell: &str) -> Option<Column> {
        let h: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(f) = fields::lookup(ITEM, &h) {
            return match f.name {
                "number" => Some(Column::Number),
                "leaders" => Some(Column::Leaders),
                "project" => Some(Column::Project),
                "department" => Some(Column::Department),
                "key" => Some(Column::Key),
                _ => None,
            };
        }
        match Section::from_heading(&h)? {
            Section::Progress => Some(Column::Progress),
            Section::Problems => Some(Column::Problems),
            Section::Plan => Some(Column::Plan),
        }
    }

    fn name(self) -> String {
        let alias = |n: &str| fields::lookup(ITEM, n).map_or(n, |f| f.alias).to_owned();
        match self {
            Column::Number => alias("number"),
            Column::Leaders => alias("leaders"),
            Column::Project => alias("project"),
            Column::Department => alias("department"),
            Column::Key => alias("key"),
            Column::Progress => SECTION_PROGRESS.to_owned(),
            Column::Problems => SECTION_PROBLEMS.to_owned(),
            Column::Plan => format!("{SECTION_PLAN}（或 N月具体进度安排）"),
        }
    }
}

struct Header {
    /// Index of the header in `Table::rows`.
    index: usize,
    /// Sheet row number.
    row: usize,
    columns: HashMap<Column, usize>,
    ignored: Vec<String>,
    plan_heading: String,
}

/// The header is the first row naming 项目名称 and at least three other
/// report columns; the columns may come in any order and extra ones are ignored.
fn find_header<'t>(path: &Path, tables: &'t [Table]) -> Result<(&'t Table, Header)> {
    let expected = REQUIRED
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join("、");
    for table in tables {
        for (index, row) in table.rows.iter().enumerate() {
            let found: Vec<(usize, Column)> = row
                .cells
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Column::from_header(c).map(|col| (i, col)))
                .collect();
            if !found.iter().any(|(_, c)| *c == Column::Project) || found.len() < 4 {
                continue;
            }
            let at = |col: usize, msg: String| Diagnostic {
                line: row.number,
                column: col + 1,
                ..Diagnostic::error(path, msg)
            };
            let mut errors = Vec::new();
            let mut columns = HashMap::new();
            for (i, col) in &found {
                if let Some(first) = columns.insert(*col, *i) {
                    errors.push(
                        at(
                            *i,
                            format!(
                                "{}第 {} 行：表头里有两列“{}”（{} 列和 {} 列）",
                                table.label,
                                row.number,
                                row.cell(*i),
                                text::base26(first, true),
                                text::base26(*i, true)
                            ),
                        )
                        .help("删掉或改名其中一列，让每个栏目只出现一次"),
                    );
                }
            }
            let missing: Vec<String> = REQUIRED
                .iter()
                .filter(|c| !columns.contains_key(c))
                .map(|c| c.name())
                .collect();
            if !missing.is_empty() {
                errors.push(
                    at(
                        0,
                        format!(
                            "{}第 {} 行是表头，但缺少这些列：{}",
                            table.label,
                            row.number,
                            missing.join("、")
                        ),
                    )
                    .help(format!("表头需要这些列（顺序不限）：{expected}")),
                );
            }
            if !errors.is_empty() {
                return Err(Error::Content(Diagnostics(errors)));
            }
            let mut ignored = Vec::new();
            let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            for col in 0..width {
                if found.iter().any(|(i, _)| *i == col) {
                    continue;
                }
                let name = row.cell(col);
                if !name.is_empty() {
                    ignored.push(format!("{} 列“{name}”", text::base26(col, true)));
                } else if table.rows[index + 1..]
                    .iter()
                    .any(|r| !r.cell(col).is_empty())
                {
                    ignored.push(format!("{} 列（没有列名）", text::base26(col, true)));
                }
            }
            let plan_heading: String = row
                .cell(columns[&Column::Plan])
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            return Ok((
                table,
                Header {
                    index,
                    row: row.number,
                    columns,
                    ignored,
                    plan_heading,
                },
            ));
        }
    }
    let searched = tables
        .iter()
        .map(|t| {
            if t.label.is_empty() {
                "表格"
            } else {
                t.label.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join("、");
    Err(Error::Content(Diagnostics(vec![
        Diagnostic::error(path, format!("在{searched}里找不到表头行")).help(format!(
            "表头是包含这些列名的一行（顺序不限，可以不在第一行，多余的列会被忽略）：{expected}"
        )),
    ])))
}

// ---------------------------------------------------------------------------
// Reading the rows

struct Parsed {
    items: Vec<NewItem>,
    unnumbered: Vec<String>,
    carried_leaders: usize,
    carried_departments: usize,
    notes: Vec<String>,
}

fn parse_rows(path: &Path, table: &Table, header: &Header, month: YearMonth) -> Result<Parsed> {
    let col = |c: Column| header.columns.get(&c).copied();
    let report_cols: Vec<usize> = header.columns.values().copied().collect();
    let mut errors = Vec::new();
    let error = |row: usize, column: usize, msg: String| Diagnostic {
        line: row,
        column: column + 1,
        ..Diagnostic::error(path, format!("{}第 {row} 行：{msg}", table.label))
    };
    for (row, column, value) in &table.cell_errors {
        if *row > header.row && report_cols.contains(column) {
            errors.push(
                error(
                    *row,
                    *column,
                    format!("{} 列是 Excel 错误值 {value}", text::base26(*column, true)),
                )
                .help("在 Excel 里改正这个单元格的公式或换成文字"),
            );
        }
    }

    let mut out = Parsed {
        items: Vec::new(),
        unnumbered: Vec::new(),
        carried_leaders: 0,
        carried_departments: 0,
        notes: Vec::new(),
    };
    let plan_month = header
        .plan_heading
        .strip_suffix("月具体进度安排")
        .and_then(|m| m.parse::<u32>().ok());
    if plan_month.is_some_and(|m| m != month.next().month) {
        out.notes.push(format!(
            "表头是“{}”，而 {month} 的下月是 {} 月：请确认 --month 是否写对（条目里写作“{}”）",
            header.plan_heading,
            month.next().month,
            month.plan_heading()
        ));
    }

    let mut leaders: Option<Vec<String>> = None;
    let mut department: Option<String> = None;
    // (stem, sheet row) of the last row that had a 序号, and rows since.
    let mut last_numbered: Option<String> = None;
    let mut since_numbered = 0usize;
    let mut stems: HashMap<String, usize> = HashMap::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut keys: HashMap<String, usize> = HashMap::new();

    for row in &table.rows[header.index + 1..] {
        let cell = |c: Column| col(c).map(|i| row.cell(i)).unwrap_or("");
        if report_cols.iter().all(|&i| row.cell(i).is_empty()) {
            continue;
        }
        if Column::from_header(cell(Column::Project)) == Some(Column::Project)
            && Column::from_header(cell(Column::Number)) == Some(Column::Number)
        {
            out.notes
                .push(format!("第 {} 行是重复的表头，已跳过", row.number));
            continue;
        }
        let r = row.number;
        let number = Some(cell(Column::Number).to_owned()).filter(|n| !n.is_empty());

        let project: String = writer::cell_lines(cell(Column::Project)).collect();
        if project.is_empty() {
            errors.push(
                error(
                    r,
                    col(Column::Project).unwrap_or(0),
                    "没有项目名称".to_owned(),
                )
                .help("每一行都要有项目名称；标题、备注或合计行请从表格里删掉"),
            );
        }

        let named = split_names(cell(Column::Leaders));
        let row_leaders = if named.is_empty() {
            if leaders.is_some() {
                out.carried_leaders += 1;
            } else {
                errors.push(
                    error(
                        r,
                        col(Column::Leaders).unwrap_or(0),
                        "没有责任领导，上面也没有可以沿用的".to_owned(),
                    )
                    .help("空白或合并的责任领导格沿用上一行；第一行必须填写"),
                );
            }
            leaders.clone().unwrap_or_default()
        } else {
            leaders = Some(named.clone());
            named
        };
        let dept_cell = join_department(cell(Column::Department));
        let row_department = if dept_cell.is_empty() {
            if department.is_some() {
                out.carried_departments += 1;
            } else {
                errors.push(
                    error(
                        r,
                        col(Column::Department).unwrap_or(0),
                        "没有责任部门，上面也没有可以沿用的".to_owned(),
                    )
                    .help("空白或合并的责任部门格沿用上一行；第一行必须填写"),
                );
            }
            department.clone().unwrap_or_default()
        } else {
            department = Some(dept_cell.clone());
            dept_cell
        };

        let mut repeated_number = false;
        let stem = match &number {
            Some(n) => match number_stem(n) {
                Some(stem) => {
                    if let Some(first) = numbers.insert(stem.clone(), r) {
                        repeated_number = true;
                        errors.push(
                            error(r, col(Column::Number).unwrap_or(0), format!("序号 {n} 与第 {first} 行重复"))
                                .help("每个序号只能出现一次；没有序号的行留空即可，文件名接在上一行后面（如 30a）"),
                        );
                    }
                    last_numbered = Some(stem.clone());
                    since_numbered = 0;
                    stem
                }
                None => {
                    errors.push(
                        error(
                            r,
                            col(Column::Number).unwrap_or(0),
                            format!("序号“{n}”不能用作文件名"),
                        )
                        .help("序号请写数字，可以带一个小写字母，如 12 或 30a"),
                    );
                    continue;
                }
            },
            None => {
                since_numbered += 1;
                let stem = format!(
                    "{}{}",
                    last_numbered.as_deref().unwrap_or("00"),
                    text::base26(since_numbered - 1, false)
                );
                out.unnumbered.push(stem.clone());
                stem
            }
        };
        if let Some(first) = stems.insert(stem.clone(), r)
            && !repeated_number
        {
            errors.push(
                error(
                    r,
                    col(Column::Number).unwrap_or(0),
                    format!(
                        "文件名 {stem}.md 与第 {first} 行相同（没有序号的行接在上一个序号后面编号）"
                    ),
                )
                .help("给其中一行写上不同的序号"),
            );
        }

        let key_cell: String = writer::cell_lines(cell(Column::Key)).collect();
        let key = if key_cell.is_empty() {
            project.clone()
        } else {
            key_cell
        };
        if !project.is_empty()
            && let Some(first) = keys.insert(key.clone(), r)
        {
            errors.push(
                error(r, col(Column::Project).unwrap_or(0), format!("项目“{key}”与第 {first} 行相同"))
                    .help("同一个月里一个项目只能有一行；确实是两个项目时，加一列“项目标识”给它们不同的标识"),
            );
        }

        let mut sections = Vec::new();
        for (column, heading) in [
            (Column::Progress, SECTION_PROGRESS.to_owned()),
            (Column::Problems, SECTION_PROBLEMS.to_owned()),
            (Column::Plan, month.plan_heading()),
        ] {
            let body = writer::cell_paragraphs(cell(column));
            if !body.is_empty() {
                sections.push((heading, body));
            }
        }
        out.items.push(NewItem {
            stem,
            number,
            leaders: row_leaders,
            key: (key != project).then_some(key),
            project,
            department: row_department,
            draft: false,
            sections,
        });
    }
    if out.items.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic {
                line: header.row,
                ..Diagnostic::error(
                    path,
                    format!("{}第 {} 行的表头下面没有任何条目", table.label, header.row),
                )
            }
            .help("确认选对了工作表（--sheet 名称）"),
        );
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|d| (d.line, d.column));
        Err(Error::Content(Diagnostics(errors)))
    }
}

/// 责任领导 may hold several names, one a line or separated by 、 or commas.
/// Spaces stay: real names are written `章  平`.
fn split_names(cell: &str) -> Vec<String> {
    cell.split(['\n', '\r', '、', '，', ',', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A 责任部门 cell on one line: a line break between two departments reads
/// as 、, after punctuation as nothing.
fn join_department(cell: &str) -> String {
    let mut out = String::new();
    for line in writer::cell_lines(cell) {
        if !out.is_empty() && !out.ends_with([',', '，', '、', ';', '；']) {
            out.push('、');
        }
        out.push_str(line);
    }
    out
}

/// A 序号 as a file name: digits padded to two like the real content (`01`),
/// an optional letter kept (`30a`). `None` for anything else.
fn number_stem(n: &str) -> Option<String> {
    let digits = n.bytes().take_while(u8::is_ascii_digit).count();
    let (d, rest) = n.split_at(digits);
    if digits == 0 || digits > 9 || !rest.chars().all(|c| c.is_ascii_alphabetic()) || rest.len() > 2
    {
        return None;
    }
    let value: u64 = d.parse().ok()?;
    Some(format!("{value:02}{}", rest.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_numbers() {
        assert_eq!(number_stem("1").as_deref(), Some("01"));
        assert_eq!(number_stem("66").as_deref(), Some("66"));
        assert_eq!(number_stem("100").as_deref(), Some("100"));
        assert_eq!(number_stem("30A").as_deref(), Some("30a"));
        assert_eq!(number_stem("一"), None);
        assert_eq!(number_stem("1.5"), None);
    }

    #[test]
    fn headers_in_either_language_and_both_plan_names() {
        assert_eq!(Column::from_header("责任\n领导"), Some(Column::Leaders));
        assert_eq!(Column::from_header("project"), Some(Column::Project));
        assert_eq!(Column::from_header("8月具体进度安排"), Some(Column::Plan));
        assert_eq!(Column::from_header("下月安排"), Some(Column::Plan));
        assert_eq!(Column::from_header("项目标识"), Some(Column::Key));
        assert_eq!(Column::from_header("备注"), None);
        assert_eq!(Column::from_header("草稿"), None);
    }

    #[test]
    fn names_and_departments() {
        assert_eq!(split_names("甄  别\n童水林"), ["甄  别", "童水林"]);
        assert_eq!(split_names("甄  别、童水林"), ["甄  别", "童水林"]);
        assert_eq!(join_department("办公室\n财政局"), "办公室、财政局");
        assert_eq!(
            join_department("信访办牵头,\n综治办配合"),
            "信访办牵头,综治办配合"
        );
    }

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
