//! `gongkai import FILE --month YYYY-MM [--sheet NAME] [--force]`.

use std::path::PathBuf;

use clap::Args;
use gongkai::Result;
use gongkai::{ImportOptions, IndexFile};

use super::parse_month;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The table: .xlsx (Excel) or .csv (UTF-8, UTF-8 with BOM, or GBK/GB18030).
    file: PathBuf,
    /// The month the table reports on, e.g. 2020-07.
    #[arg(long, value_parser = parse_month)]
    month: gongkai::YearMonth,
    /// Worksheet to read (default: the first one with a header row).
    #[arg(long)]
    sheet: Option<String>,
    /// Replace the items of a month that already exists; its _index.md is kept.
    #[arg(long)]
    force: bool,
    /// Content folder: site.yaml plus one YYYY-MM folder per month.
    #[arg(long, default_value = "content")]
    content: PathBuf,
}

pub fn execute(args: ImportArgs) -> Result<()> {
    let r = gongkai::import(&ImportOptions {
        file: args.file.clone(),
        content: args.content,
        month: args.month,
        sheet: args.sheet,
        force: args.force,
    })?;
    eprintln!(
        "已从 {}（{}，表头在第 {} 行）导入 {} 行到 {}",
        args.file.display(),
        r.source,
        r.header_row,
        r.items.len(),
        r.dir.display()
    );
    if let (Some(first), Some(last)) = (r.items.first(), r.items.last()) {
        eprintln!("  条目文件：{first}.md … {last}.md");
    }
    if !r.unnumbered.is_empty() {
        eprintln!(
            "  没有序号的行：{}",
            r.unnumbered
                .iter()
                .map(|s| format!("{s}.md"))
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    eprintln!(
        "  沿用上一行：责任领导 {} 行，责任部门 {} 行",
        r.carried_leaders, r.carried_departments
    );
    if !r.ignored_columns.is_empty() {
        eprintln!("  忽略的列：{}", r.ignored_columns.join("，"));
    }
    if r.removed > 0 {
        eprintln!("  替换了原有的 {} 个条目文件", r.removed);
    }
    match r.index {
        IndexFile::Kept => eprintln!("  _index.md 保持原样"),
        IndexFile::Created => eprintln!(
            "  新建了 _index.md：发布前请填写发文日期（issued），在此之前 gongkai check 会报错"
        ),
    }
    for note in &r.notes {
        eprintln!("note: {note}");
    }
    Ok(())
}
