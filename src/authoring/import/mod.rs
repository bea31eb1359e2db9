//! `import`: makes a month from the table the departments send, as an Excel
//! workbook (calamine) or a CSV file (UTF-8, UTF-8 with BOM, or the GBK/GB18030
//! Excel writes for Chinese).
//!
//! table file → `table::Table` (rows of text with their sheet row numbers) →
//! header row found by column names (`header`) → one item per row, 责任领导
//! and 责任部门 carried down over merged or blank cells (`rows`) → files.
//! Every bad row is reported with its sheet row number, and nothing is
//! written unless the whole table is good.

mod header;
mod rows;
mod table;

use std::fs;
use std::path::{Path, PathBuf};

use self::header::find_header;
use self::rows::parse_rows;
use self::table::read_tables;
use crate::authoring::writer;
use crate::basics::dates::YearMonth;
use crate::error::{Error, Result};
use crate::load::content;

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
            writer::month_index_text(opts.month, None, None),
        )];
        all.extend(files);
        writer::create_month_dir(&opts.content, opts.month, &all)?;
    }
    Ok(report)
}

/// What `import` would write for a table file's bytes (CSV when `csv`, else
/// a workbook), as (file name, text), without touching the disk. For the fuzz
/// targets: every problem must come back as an error, never a panic.
pub(crate) fn item_files(
    path: &Path,
    bytes: Vec<u8>,
    csv: bool,
    month: YearMonth,
) -> Result<Vec<(String, String)>> {
    let tables = if csv {
        vec![table::csv_table(path, &bytes)?]
    } else {
        table::workbook_bytes(path, bytes)?
    };
    let (table, header) = find_header(path, &tables)?;
    let parsed = parse_rows(path, table, &header, month)?;
    Ok(parsed
        .items
        .iter()
        .map(|i| (format!("{}.md", i.stem), i.to_text()))
        .collect())
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
