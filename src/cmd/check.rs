//! `gongkai check`.

use clap::Args;
use gongkai::Result;

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
}

pub fn execute(args: CheckArgs) -> Result<()> {
    let diags = gongkai::check(&args.common.options("public".into()))?;
    eprint!("{diags}");
    eprintln!("检查通过：0 个错误、{} 个警告", diags.warnings());
    Ok(())
}
