//! `gongkai build`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use gongkai::{Error, Result};

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// 输出文件夹：只在生成成功时整体替换；内容没变的文件保持原来的修改时间。
    #[arg(long, default_value = "public")]
    output: PathBuf,
    /// 显示生成的每一步用了多少时间。
    #[arg(long)]
    timings: bool,
    /// 把这次生成新增、修改、删除的文件写到 FILE：每行 `A 路径`、`M 路径` 或 `D 路径`。
    /// 自上次上传以来的全部变化用 gongkai upload。
    #[arg(long, value_name = "FILE")]
    changes: Option<PathBuf>,
    /// 重写每一个文件，包括内容没变的。
    #[arg(long)]
    clean: bool,
    /// 允许删除上次已发布的页面（月份报告、条目页）
    ///
    /// 没有这个选项时，一次会让已发布的页面消失的生成（月份文件夹或条目文件改名、删除、标成草稿）列出这些页面并停止，输出文件夹不变。要让一份文件停止使用，把它的 有效性 改为 废止 或 失效：页面保留并注明。
    #[arg(long)]
    allow_removals: bool,
}

pub fn execute(args: BuildArgs) -> Result<()> {
    let start = Instant::now();
    let mut opts = args.common.options(args.output.clone());
    opts.clean = args.clean;
    opts.allow_removals = args.allow_removals;
    let report = gongkai::build(&opts)?;
    eprint!("{}", report.warnings);
    if args.timings {
        eprint!("{}", report.timings);
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    if let Some(path) = &args.changes {
        let text: String = report
            .changes
            .iter()
            .map(|(c, rel)| format!("{} {rel}\n", c.letter()))
            .collect();
        std::fs::write(path, text).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    }
    let changed = |c| report.changes.iter().filter(|(k, _)| *k == c).count();
    eprintln!(
        "已生成 {} 个页面、{} 个文件到 {}（新增 {}、修改 {}、删除 {}；{:.2} 秒，{} 个警告）",
        report.pages,
        report.files,
        args.output.display(),
        changed(gongkai::Change::Added),
        changed(gongkai::Change::Modified),
        changed(gongkai::Change::Deleted),
        start.elapsed().as_secs_f64(),
        report.warnings.warnings()
    );
    Ok(())
}
