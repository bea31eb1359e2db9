//! `gongkai import FILE… [--month YYYY-MM] [--sheet NAME] [--table N] [--force]`.

use std::path::PathBuf;

use clap::Args;
use gongkai::Result;
use gongkai::{ImportOptions, IndexFile};

use super::parse_month;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// 要导入的表格：.xlsx（Excel）、.csv（UTF-8 或 GBK）、.docx（Word 或 WPS）、
    /// 旧门户另存的网页（.html、.htm）。可以一次给多个：全部检查无误才写文件。
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// 表格报告的月份，例如 2020-07（.xlsx、.csv、.docx 必须给）；网页的月份取自标题和发文日期。
    #[arg(long, value_parser = parse_month)]
    month: Option<gongkai::YearMonth>,
    /// 读哪个工作表（默认：第一个有表头的）。
    #[arg(long)]
    sheet: Option<String>,
    /// 读 Word 文档或网页的第几个表格（从 1 数起）；有几个表格都有表头时需要。
    #[arg(long)]
    table: Option<usize>,
    /// 替换已有月份的条目；它的 _index.md 和附件保留。
    #[arg(long)]
    force: bool,
    /// 表格标题或“N月具体进度安排”写的月份与 --month 不一致时仍然导入（没有这个选项时拒绝导入）。
    #[arg(long)]
    allow_month_mismatch: bool,
    /// 内容文件夹：site.yaml 和每月一个 YYYY-MM 文件夹。
    #[arg(long, default_value = "content")]
    content: PathBuf,
}

pub fn execute(args: ImportArgs) -> Result<()> {
    let reports = gongkai::import(&ImportOptions {
        files: args.files,
        content: args.content,
        month: args.month,
        sheet: args.sheet,
        table: args.table,
        force: args.force,
        allow_month_mismatch: args.allow_month_mismatch,
    })?;
    for r in &reports {
        eprintln!(
            "已从 {}（{}，表头在第 {} 行）导入 {} 行到 {}",
            r.file.display(),
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
            "  沿用上一行（合并或空白的单元格）：责任领导 {} 行{}，责任部门 {} 行{}",
            r.carried_leaders.len(),
            row_list(&r.carried_leaders),
            r.carried_departments.len(),
            row_list(&r.carried_departments)
        );
        if !r.ignored_columns.is_empty() {
            eprintln!("  忽略的列：{}", r.ignored_columns.join("，"));
        }
        if !r.metadata.is_empty() {
            let (found, missing): (Vec<_>, Vec<_>) = r.metadata.iter().partition(|(_, f)| *f);
            let names =
                |v: &[&(&str, bool)]| v.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("、");
            eprintln!("  页面上的文件信息：{}", names(&found));
            if !missing.is_empty() {
                eprintln!("  页面上没有的：{}", names(&missing));
            }
        }
        if r.removed > 0 {
            eprintln!("  替换了原有的 {} 个条目文件", r.removed);
        }
        match r.index {
            IndexFile::Kept => eprintln!("  _index.md 保持原样"),
            IndexFile::FromPage if r.metadata.iter().any(|(n, f)| *n == "发文日期" && *f) => {
                eprintln!("  新建了 _index.md，文件信息取自页面")
            }
            IndexFile::Created | IndexFile::FromPage => eprintln!(
                "  新建了 _index.md：发布前请填写发文日期（issued），在此之前 gongkai check 会报错"
            ),
        }
        for note in &r.notes {
            eprintln!("note: {note}");
        }
    }
    if reports.len() > 1 {
        let rows: usize = reports.iter().map(|r| r.items.len()).sum();
        eprintln!(
            "共导入 {} 个文件、{} 个月、{rows} 行",
            reports.len(),
            reports.len()
        );
    }
    Ok(())
}

/// "（第 3–5、8 行）" for table rows 3, 4, 5 and 8; nothing for none.
fn row_list(rows: &[usize]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            rows[i].to_string()
        } else {
            format!("{}–{}", rows[i], rows[j])
        });
        i = j + 1;
    }
    format!("（第 {} 行）", parts.join("、"))
}
