//! Subcommands. Each module turns its arguments into library calls and prints.

mod build;
mod check;
mod import;
mod init;
mod new;
mod serve;
mod upload;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use gongkai::BuildOptions;
use gongkai::Result;

/// gongkai（公开）：把按月的工作进展报告（Markdown + YAML）生成为政府信息公开静态网站。
///
/// Turns monthly work-progress reports kept as Markdown with YAML front matter
/// into a static disclosure site: month reports, item pages, project pages,
/// print and mobile views, search, feeds and open data.
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
    /// Check all content, then write the site to the output folder atomically.
    Build(build::BuildArgs),
    /// Validate content without writing anything; errors name file, line and column.
    Check(check::CheckArgs),
    /// Preview the site at http://127.0.0.1:1111/: rebuilds what a saved file
    /// changes and reloads open pages; errors show over the page.
    Serve(serve::ServeArgs),
    /// Scaffold content: `new month YYYY-MM` starts a month from the previous one.
    New(new::NewArgs),
    /// Make months from the office's tables and pages: Excel (.xlsx), CSV, Word (.docx) or saved portal pages (.html).
    Import(import::ImportArgs),
    /// 自上次上传以来要发送到门户的文件：清单（--list）、zip（--zip），上传后 --done。
    Upload(upload::UploadArgs),
}

/// Flags every subcommand that reads content shares.
#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// Content folder: site.yaml plus one YYYY-MM folder per month.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Theme name, looked up under the themes folder; `default` is built in.
    #[arg(long, default_value = "default")]
    theme: String,
    /// Folder holding themes (default ./themes); a theme there overrides the built-in one file by file.
    #[arg(long)]
    themes: Option<PathBuf>,
    /// Include items marked `draft: true` (草稿).
    #[arg(long)]
    drafts: bool,
    /// Absolute URL the site is published at; overrides base_url in site.yaml.
    #[arg(long)]
    base_url: Option<String>,
    /// Treat warnings as errors (for release pipelines).
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
