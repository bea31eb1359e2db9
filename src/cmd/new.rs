//! `gongkai new month YYYY-MM [--from YYYY-MM]`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use gongkai::{Error, Result};

use super::parse_month;

#[derive(Args, Debug)]
pub struct NewArgs {
    #[command(subcommand)]
    what: NewWhat,
}

#[derive(Subcommand, Debug)]
enum NewWhat {
    /// Start a month's report from an earlier month: same items and file names,
    /// empty sections, last month's plan as a hidden reminder, every item a draft,
    /// 发文日期 left empty for `check` to flag until filled. Never touches an existing month.
    Month(MonthArgs),
}

#[derive(Args, Debug)]
struct MonthArgs {
    /// The month to create, e.g. 2020-08.
    #[arg(value_parser = parse_month)]
    month: gongkai::YearMonth,
    /// The month to copy the items from (default: the latest month before it).
    #[arg(long, value_parser = parse_month)]
    from: Option<gongkai::YearMonth>,
    /// Content folder: site.yaml plus one YYYY-MM folder per month.
    #[arg(long, default_value = "content")]
    content: PathBuf,
}

pub fn execute(args: NewArgs) -> Result<()> {
    match args.what {
        NewWhat::Month(a) => {
            let made = match gongkai::new_month(&a.content, a.month, a.from) {
                Ok(made) => made,
                Err(e @ Error::Content(_)) => {
                    eprintln!("作为模板的月份有错误，请先改正（或用 --from 选另一个月份）：\n");
                    return Err(e);
                }
                Err(e) => return Err(e),
            };
            eprintln!(
                "已从 {} 新建 {}：_index.md 和 {} 个条目（草稿）",
                made.from,
                made.dir.display(),
                made.items
            );
            eprintln!("下一步：");
            eprintln!(
                "  1. 在 {}/_index.md 填写发文日期（issued）",
                made.dir.display()
            );
            eprintln!(
                "  2. 逐条填写本月进度情况、存在问题和下月安排，写好的条目删掉 `draft: true`"
            );
            eprintln!("  3. gongkai serve --drafts 预览，gongkai check 检查，gongkai build 生成");
            Ok(())
        }
    }
}
