//! `gongkai check`.

use std::path::PathBuf;

use clap::Args;
use gongkai::Result;

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The published output to compare with: `check` warns when building
    /// would move one of its project, department or leader addresses.
    #[arg(long, default_value = "public")]
    output: PathBuf,
}

pub fn execute(args: CheckArgs) -> Result<()> {
    let diags = gongkai::check(&args.common.options(args.output.clone()))?;
    eprint!("{diags}");
    eprintln!("检查通过：0 个错误、{} 个警告", diags.warnings());
    Ok(())
}
