//! `gongkai check`.

use std::path::PathBuf;

use clap::Args;
use gongkai::Result;

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// 与之比较的已发布输出：生成会改变已公开的项目、部门或领导网址，或删除已发布的页面时，check 给出警告。
    #[arg(long, default_value = "public")]
    output: PathBuf,
}

pub fn execute(args: CheckArgs) -> Result<()> {
    let diags = gongkai::check(&args.common.options(args.output.clone()))?;
    eprint!("{diags}");
    eprintln!("检查通过：0 个错误、{} 个警告", diags.warnings());
    Ok(())
}
