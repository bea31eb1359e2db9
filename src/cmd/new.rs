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
    /// 照以前的月份新建一个月：同样的条目和文件名，三栏留空，上月的下月安排作为提示，
    /// 每项先标为草稿，发文日期留空待填。已有的月份不会被改动。
    Month(MonthArgs),
}

#[derive(Args, Debug)]
struct MonthArgs {
    /// 要新建的月份，例如 2020-08。
    #[arg(value_parser = parse_month)]
    month: gongkai::YearMonth,
    /// 照哪个月份（默认：它之前最近的一个月）。
    #[arg(long, value_parser = parse_month)]
    from: Option<gongkai::YearMonth>,
    /// 内容文件夹：site.yaml 和每月一个 YYYY-MM 文件夹。
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
