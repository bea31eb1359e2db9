//! `import`: makes a month from the table the departments send, as an Excel
//! workbook (calamine) or a CSV file (UTF-8, UTF-8 with BOM, or the GBK/GB18030
//! Excel writes for Chinese).
//!
//! Also a Word document (`docx`) and a saved portal page (`html`, with its
//! metadata header for `_index.md`), several files in one run.
//!
//! file → `table::Table` (rows of text with their sheet row numbers) →
//! header row found by column names (`header`) → one item per row, 责任领导
//! and 责任部门 carried down over merged or blank cells (`rows`) → files.
//! Every bad row is reported with its sheet row number, and nothing is
//! written unless the whole table is good.

mod docx;
mod header;
mod html;
mod ods;
mod rows;
mod table;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use self::header::{find_header, has_header};
use self::html::PageMeta;
use self::rows::parse_rows;
use self::table::{Source, Table, read_source};
use crate::authoring::writer;
use crate::basics::dates::YearMonth;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::content;

/// What the command line decides about an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The tables or pages, one month each.
    pub files: Vec<PathBuf>,
    pub content: PathBuf,
    /// The month of a single file; a saved page knows its own month.
    pub month: Option<YearMonth>,
    /// Worksheet to read; default the first one with a header row.
    pub sheet: Option<String>,
    /// Table of a Word document or page to read (1-based); needed when
    /// several tables have a header row.
    pub table: Option<usize>,
    /// Replace the items of an existing month (its `_index.md` stays).
    pub force: bool,
    /// Import even when the table's title or plan heading names another month.
    pub allow_month_mismatch: bool,
}

/// What an import did with one file, for the summary.
#[derive(Debug)]
pub struct ImportReport {
    pub file: PathBuf,
    pub month: YearMonth,
    pub dir: PathBuf,
    /// "工作表“Sheet1”", the CSV's encoding, "网页，GBK，第 2 个表格".
    pub source: String,
    pub header_row: usize,
    /// File stems written, in table order.
    pub items: Vec<String>,
    /// Stems of rows that had no 序号 (`30a`).
    pub unnumbered: Vec<String>,
    /// Table rows whose 责任领导 / 责任部门 came from a merged or blank cell above.
    pub carried_leaders: Vec<usize>,
    pub carried_departments: Vec<usize>,
    /// Columns that are not part of the report: "H 列“备注”".
    pub ignored_columns: Vec<String>,
    /// For a saved page: each metadata label and whether the page stated it.
    pub metadata: Vec<(&'static str, bool)>,
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
    /// The month is new and its `_index.md` holds the page's metadata.
    FromPage,
    /// `--force` on an existing month: its `_index.md` was left as it was.
    Kept,
}

/// One file read and checked, ready to write.
struct Planned {
    report: ImportReport,
    index_text: String,
    files: Vec<(String, String)>,
    exists: bool,
}

/// Reads every file, checks every row of every one, and only then writes
/// the months, each folder whole.
pub fn import(opts: &ImportOptions) -> Result<Vec<ImportReport>> {
    if !opts.content.is_dir() {
        return Err(content::missing_content_dir(&opts.content));
    }
    if opts.files.is_empty() {
        return Err(Error::Usage("没有给出要导入的文件".to_owned()));
    }
    if opts.files.len() > 1
        && (opts.month.is_some() || opts.table.is_some() || opts.sheet.is_some())
    {
        return Err(Error::Usage(
            "--month、--table 和 --sheet 只用于导入一个文件；一次导入多个网页时，每个网页的月份从它的标题和发文日期得出".to_owned(),
        ));
    }
    let mut planned: Vec<Planned> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    for file in &opts.files {
        match plan(opts, file) {
            Ok(p) => planned.push(p),
            // Usage errors (a file that cannot be read at all) stop at once.
            Err(Error::Content(d)) => errors.extend(d.0),
            Err(e) => return Err(e),
        }
    }
    let mut by_month: BTreeMap<YearMonth, &Path> = BTreeMap::new();
    for p in &planned {
        if let Some(first) = by_month.insert(p.report.month, &p.report.file) {
            errors.push(
                Diagnostic::error(
                    &p.report.file,
                    format!(
                        "{} 与 {} 都是 {} 的报告",
                        p.report.file.display(),
                        first.display(),
                        p.report.month
                    ),
                )
                .help("一个月只能导入一个文件：去掉其中一个，或用 --month 分别导入"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(Diagnostics(errors)));
    }
    // Months are written in parallel: on a disk, creating thousands of files
    // is most of an archive's import. Each month is whole or absent.
    planned
        .into_par_iter()
        .map(|p| {
            let mut report = p.report;
            if p.exists {
                let (removed, index) = replace_items(&report.dir, report.month, &p.files)?;
                report.removed = removed;
                report.index = index;
            } else {
                let mut all = vec![("_index.md".to_owned(), p.index_text)];
                all.extend(p.files);
                writer::create_month_dir(&opts.content, report.month, &all)?;
            }
            Ok(report)
        })
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect()
}

/// One file: read, its table chosen, its month found, every row checked.
fn plan(opts: &ImportOptions, file: &Path) -> Result<Planned> {
    let source = read_source(file, opts.sheet.as_deref())?;
    let tables = choose_table(file, &source, opts.table)?;
    let (table, header) = find_header(file, tables)?;
    let month = match (opts.month, &source.meta) {
        (Some(m), _) => m,
        (None, Some(meta)) => meta.month().ok_or_else(|| no_month(file, meta))?,
        (None, None) => {
            return Err(Error::Usage(format!(
                "{}：请用 --month YYYY-MM 说明这是哪个月的报告（只有保存的网页能从标题和发文日期得出月份）",
                file.display()
            )));
        }
    };
    let dir = opts.content.join(month.to_string());
    let exists = dir.exists();
    if exists && !opts.force {
        return Err(Error::Usage(format!(
            "{} 已存在，没有改动任何文件。\n  要用 {} 替换这个月的条目，加上 --force（_index.md 会保留，原有的条目文件会被替换）",
            dir.display(),
            file.display()
        )));
    }
    if exists && !dir.is_dir() {
        return Err(Error::Usage(format!("{} 不是文件夹", dir.display())));
    }
    // A saved page's month is its own; a table's is --month, checked against its title.
    let strict = source.meta.is_none() && !opts.allow_month_mismatch;
    let parsed = parse_rows(file, table, &header, month, strict)?;
    let (index_text, index, metadata, mut notes) = match &source.meta {
        Some(meta) => {
            let (values, notes) = index_values(meta);
            (
                writer::month_index_from(month, &values),
                IndexFile::FromPage,
                meta.presence(),
                notes,
            )
        }
        None => (
            writer::month_index_text(month, None, None),
            IndexFile::Created,
            Vec::new(),
            Vec::new(),
        ),
    };
    notes.extend(parsed.notes);
    let files = parsed
        .items
        .iter()
        .map(|i| (format!("{}.md", i.stem), i.to_text()))
        .collect();
    Ok(Planned {
        report: ImportReport {
            file: file.to_owned(),
            month,
            dir,
            source: table.source.clone(),
            header_row: header.row,
            items: parsed.items.iter().map(|i| i.stem.clone()).collect(),
            unnumbered: parsed.unnumbered,
            carried_leaders: parsed.carried_leaders,
            carried_departments: parsed.carried_departments,
            ignored_columns: header.ignored.clone(),
            metadata,
            notes,
            index,
            removed: 0,
        },
        index_text,
        files,
        exists,
    })
}

/// What `import` would write for a file's bytes, read by its extension (a
/// workbook for one that is not .csv, .docx or .html), as (file name, text),
/// without touching the disk: `_index.md` first for a saved page, then the
/// items, with the month they are for: a page's own month when it has one,
/// else `month`. For the
/// fuzz targets: every problem must come back as an error, never a panic.
pub(crate) fn item_files(
    path: &Path,
    bytes: Vec<u8>,
    month: YearMonth,
) -> Result<(YearMonth, Vec<(String, String)>)> {
    let source = table::source_bytes(path, bytes)?;
    let tables = choose_table(path, &source, None)?;
    let (table, header) = find_header(path, tables)?;
    let month = source
        .meta
        .as_ref()
        .and_then(PageMeta::month)
        .unwrap_or(month);
    let parsed = parse_rows(path, table, &header, month, false)?;
    let mut files = Vec::new();
    if let Some(meta) = &source.meta {
        let (values, _) = index_values(meta);
        files.push((
            "_index.md".to_owned(),
            writer::month_index_from(month, &values),
        ));
    }
    files.extend(
        parsed
            .items
            .iter()
            .map(|i| (format!("{}.md", i.stem), i.to_text())),
    );
    Ok((month, files))
}

/// The tables to look for the header in: the one `--table N` names, or all
/// when at most one of them has a header row.
fn choose_table<'s>(file: &Path, source: &'s Source, table: Option<usize>) -> Result<&'s [Table]> {
    let tables = &source.tables;
    if !source.numbered_tables {
        if table.is_some() {
            return Err(Error::Usage(format!(
                "{}：--table 只用于 Word 文档和网页；Excel 文件用 --sheet 选择工作表",
                file.display()
            )));
        }
        return Ok(tables);
    }
    let candidates: Vec<usize> = (0..tables.len())
        .filter(|&i| has_header(&tables[i]))
        .collect();
    match table {
        Some(n) if n == 0 || n > tables.len() => Err(Error::Usage(format!(
            "{}：--table {n}：文件里只有 {} 个表格（从 1 数起）",
            file.display(),
            tables.len()
        ))),
        Some(n) => Ok(std::slice::from_ref(&tables[n - 1])),
        None if candidates.len() > 1 => Err(Error::Usage(format!(
            "{} 里有 {} 个表格都像工作表：{}\n  用 --table N 选择要导入的一个",
            file.display(),
            candidates.len(),
            candidates
                .iter()
                .map(|&i| format!("第 {} 个表格（{} 行）", i + 1, tables[i].rows.len()))
                .collect::<Vec<_>>()
                .join("，")
        ))),
        None => Ok(tables),
    }
}

fn no_month(file: &Path, meta: &PageMeta) -> Error {
    let why = match (&meta.title, meta.issued) {
        (None, _) => "页面上没有找到标题".to_owned(),
        (Some(t), None) => format!("标题是“{t}”，但页面上没有找到发文日期"),
        (Some(t), Some(_)) => format!("标题“{t}”里没有“N月”"),
    };
    Error::Content(Diagnostics(vec![
        Diagnostic::error(file, format!("无法得出这个网页是哪个月的报告：{why}"))
            .help("用 --month YYYY-MM 说明月份（一次只导入这一个文件）"),
    ]))
}

/// The page's metadata as `_index.md` values, and notes on what cannot be used.
fn index_values(meta: &PageMeta) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut values = Vec::new();
    let mut notes = Vec::new();
    let mut text = |name: &'static str, v: &Option<String>| {
        if let Some(v) = v {
            values.push((name, v.clone()));
        }
    };
    text("title", &meta.title);
    text("doc_number", &meta.doc_number);
    text("index_number", &meta.index_number);
    text("publisher", &meta.publisher);
    text("topic", &meta.topic);
    text("source", &meta.source);
    for (name, d) in [
        ("issued", meta.issued),
        ("published", meta.published),
        ("updated", meta.updated),
    ] {
        if let Some(d) = d {
            values.push((name, d.to_string()));
        }
    }
    if let Some(v) = &meta.validity {
        if crate::load::fields::VALIDITY_VALUES.contains(&v.as_str()) {
            values.push(("validity", v.clone()));
        } else {
            notes.push(format!(
                "有效性“{v}”不是 gongkai 认识的值，写成了“有效”：请在 _index.md 里改正"
            ));
        }
    }
    (values, notes)
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
        let text = writer::month_index_text(month, None, None);
        fs::write(&index, text).map_err(|e| Error::io(e, &index))?;
        Ok((removed, IndexFile::Created))
    }
}
