//! `gongkai build`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use gongkai::Result;

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder; replaced whole, and only when the build succeeds.
    #[arg(long, default_value = "public")]
    output: PathBuf,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
}

pub fn execute(args: BuildArgs) -> Result<()> {
    let start = Instant::now();
    let report = gongkai::build(&args.common.options(args.output.clone()))?;
    eprint!("{}", report.warnings);
    if args.timings {
        eprint!("{}", report.timings);
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    eprintln!(
        "已生成 {} 个页面、{} 个文件到 {}（{:.2} 秒，{} 个警告）",
        report.pages,
        report.files,
        args.output.display(),
        start.elapsed().as_secs_f64(),
        report.warnings.warnings()
    );
    Ok(())
}
