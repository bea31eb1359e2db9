//! Subcommands. Each module turns its arguments into library calls and prints.

mod build;
mod check;
mod import;
mod init;
mod new;
mod serve;
mod upload;

use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use gongkai::BuildOptions;
use gongkai::Result;

/// gongkai（公开）：把按月的工作进展报告（Markdown + YAML）生成为政府信息公开静态网站。
///
/// 月份报告、每一项工作的页面、跨月的项目页面、打印版和手机版（带二维码）、搜索、订阅和开放数据。
/// 使用手册：docs/使用手册.md。
#[derive(Parser, Debug)]
#[command(name = "gongkai", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 新建站点：content/ 和 site.yaml（每项都有中文说明）、一个示例月份。
    Init(init::InitArgs),
    /// 检查全部内容，然后把网站生成到输出文件夹（整体替换，不会只写一半）。
    Build(build::BuildArgs),
    /// 只检查内容，不写任何文件；每个问题都写明文件、行和列。
    Check(check::CheckArgs),
    /// 在 http://127.0.0.1:1111/ 预览网站：保存文件后打开的页面自动更新，错误显示在页面上。
    Serve(serve::ServeArgs),
    /// 新建内容：`new month YYYY-MM` 照上一个月新建一个月份。
    New(new::NewArgs),
    /// 从各部门的表格和旧门户的网页导入月份：Excel（.xlsx）、CSV、Word（.docx）或另存的网页（.html）。
    Import(import::ImportArgs),
    /// 自上次上传以来要发送到门户的文件：清单（--list）、zip（--zip），上传后 --done。
    Upload(upload::UploadArgs),
}

/// Flags every subcommand that reads content shares.
#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// 内容文件夹：site.yaml 和每月一个 YYYY-MM 文件夹。
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// 主题名，在主题文件夹里找；`default` 是自带的。
    #[arg(long, default_value = "default")]
    theme: String,
    /// 主题文件夹（默认 ./themes）；其中的文件逐个替换自带主题的同名文件。
    #[arg(long)]
    themes: Option<PathBuf>,
    /// 包括标为草稿（`draft: true`）的条目。
    #[arg(long)]
    drafts: bool,
    /// 网站发布后的完整地址；代替 site.yaml 的 base_url。
    #[arg(long)]
    base_url: Option<String>,
    /// 把警告当作错误（用于正式发布前的把关）。
    #[arg(long)]
    strict: bool,
}

impl CommonArgs {
    fn options(&self, output: PathBuf) -> BuildOptions {
        BuildOptions {
            content: self.content.clone(),
            output,
            theme: self.theme.clone(),
            themes_dir: self.themes.clone(),
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            strict: self.strict,
            ..BuildOptions::default()
        }
    }
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build(a) => build::execute(a),
        Command::Check(a) => check::execute(a),
        Command::Serve(a) => serve::execute(a),
        Command::Init(a) => init::execute(a),
        Command::New(a) => new::execute(a),
        Command::Import(a) => import::execute(a),
        Command::Upload(a) => upload::execute(a),
    }
}

/// A `YYYY-MM` month on the command line.
fn parse_month(s: &str) -> std::result::Result<gongkai::YearMonth, String> {
    gongkai::YearMonth::parse(s)
        .ok_or_else(|| format!("月份应写成 YYYY-MM，例如 2020-08，而不是“{s}”"))
}

/// `gongkai.exe` started with no arguments on Windows — double-clicked in
/// Explorer, most likely, where a console opens for it and closes the moment
/// it exits: it says what to do, in Chinese, and waits for Enter instead of
/// flashing clap's usage and vanishing.
#[cfg(windows)]
pub fn double_clicked() -> std::process::ExitCode {
    use std::io::{BufRead, IsTerminal};
    eprintln!(
        "gongkai（公开）是命令行程序，不能双击运行。请这样使用：\n\
         \n\
         1. 在这个文件夹的地址栏输入 cmd 并回车，打开命令提示符；\n\
         2. 输入下面的命令之一并回车：\n\
         \n\
         \x20  gongkai init 我的站点      新建站点（然后 cd 我的站点）\n\
         \x20  gongkai serve             预览：浏览器打开 http://127.0.0.1:1111/\n\
         \x20  gongkai check             检查内容\n\
         \x20  gongkai build             生成网站到 public 文件夹\n\
         \x20  gongkai --help            全部命令\n\
         \n\
         详见随附的使用手册。"
    );
    if std::io::stdin().is_terminal() {
        eprintln!("\n按回车键关闭这个窗口……");
    }
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    std::process::ExitCode::SUCCESS
}

/// The command line, with clap's own words in Chinese: the help's headings
/// and flags, and the errors (an unknown flag, a bad value, a missing
/// argument) said in the user's language with what to run next. Help and
/// version exit 0; a usage error prints its message and exits 2.
pub fn parse() -> std::result::Result<Cli, std::process::ExitCode> {
    let mut command = chinese(Cli::command(), true);
    let matches = command.try_get_matches_from_mut(std::env::args_os());
    let e = match matches.and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return Err(std::process::ExitCode::SUCCESS);
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return Err(std::process::ExitCode::from(2));
    }
    eprintln!("{}", usage_error(&e));
    Err(std::process::ExitCode::from(2))
}

/// One command and its subcommands with Chinese help.
fn chinese(command: clap::Command, root: bool) -> clap::Command {
    let mut command = command
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if root {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    let command = command.mut_args(|mut a| {
        // clap says "[default: x]": said here in Chinese instead.
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() && !a.is_hide_default_value_set() {
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            a = a
                .help(format!("{help}（默认：{}）", defaults.join(" ")))
                .hide_default_value(true);
        }
        if a.get_help_heading().is_some() {
            return a;
        }
        let heading = if a.is_positional() {
            "参数"
        } else {
            "选项"
        };
        a.help_heading(heading)
    });
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    names
        .into_iter()
        .fold(command, |c, n| c.mut_subcommand(n, |s| chinese(s, false)))
}

/// A usage error in Chinese, with the way to the help.
fn usage_error(e: &clap::Error) -> String {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let (arg, value) = (
        text(ContextKind::InvalidArg),
        text(ContextKind::InvalidValue),
    );
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .map(text)
        .find(|s| !s.is_empty());
    let mut message = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            // A value parser's own reason (parse_month's) is already Chinese.
            let reason = std::error::Error::source(e)
                .map(|r| format!("：{r}"))
                .unwrap_or_default();
            format!("{arg} 的值“{value}”无效{reason}")
        }
        ErrorKind::UnknownArgument => format!("不认识的参数 {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!("没有 {} 这个命令", text(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必须给出的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_owned(),
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能和别的参数一起用"),
        ErrorKind::TooManyValues => format!("多余的参数“{value}”"),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        _ => "命令行参数有误".to_owned(),
    };
    if let Some(s) = suggested {
        message += &format!("；是不是要写 {s}？");
    }
    format!("error: {message}\n运行 gongkai --help（或 gongkai 命令 --help）查看用法")
}
