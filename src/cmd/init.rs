//! `gongkai init [DIR] [--title T] [--publisher P]`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use gongkai::{Date, Result};

#[derive(Args, Debug)]
pub struct InitArgs {
    /// 新站点的文件夹（不存在或为空；默认当前文件夹）。
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// 站点名称（在终端里不给时会询问）。
    #[arg(long)]
    title: Option<String>,
    /// 发布机构（在终端里不给时会询问）。
    #[arg(long)]
    publisher: Option<String>,
}

const DEFAULT_TITLE: &str = "政府信息公开";
const DEFAULT_PUBLISHER: &str = "（请填写发布机构）";

pub fn execute(args: InitArgs) -> Result<()> {
    // Asked only on a terminal: a script or a pipe gets the flags or the defaults.
    let interactive = std::io::stdin().is_terminal();
    let title = args
        .title
        .unwrap_or_else(|| ask(interactive, "站点名称", DEFAULT_TITLE));
    let publisher = args
        .publisher
        .unwrap_or_else(|| ask(interactive, "发布机构", DEFAULT_PUBLISHER));
    let made = gongkai::init(&args.dir, &title, &publisher, Date::today_in_china())?;
    eprintln!("已在 {} 新建站点：", made.dir.display());
    for f in &made.files {
        eprintln!("  {f}");
    }
    let cd = if args.dir == std::path::Path::new(".") {
        String::new()
    } else {
        format!("cd {} 后", made.dir.display())
    };
    eprintln!("下一步（{cd}不用加任何参数）：");
    eprintln!("  gongkai serve    预览：在浏览器打开 http://127.0.0.1:1111/，改文件后页面自动更新");
    eprintln!("  gongkai check    检查内容");
    eprintln!("  gongkai build    生成网站到 public/，把它上传到门户");
    eprintln!(
        "示例月份 content/{}/ 可以照着改，也可以删掉后用 gongkai import 导入各部门的表格。",
        made.month
    );
    Ok(())
}

fn ask(interactive: bool, what: &str, default: &str) -> String {
    if !interactive {
        return default.to_owned();
    }
    eprint!("{what}（直接回车用“{default}”）：");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(n) if n > 0 && !line.trim().is_empty() => line.trim().to_owned(),
        _ => default.to_owned(),
    }
}
