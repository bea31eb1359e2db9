//! `gongkai serve`.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Args;
use gongkai::Result;
use gongkai::{Reporter, ServeOptions, Update};

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// 监听的地址。除 127.0.0.1（或 ::1）以外的地址会让网络上的其他电脑也看到预览（包括草稿）。
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// 端口；0 表示自动选一个空闲的。
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// 用默认浏览器打开预览。
    #[arg(long)]
    open: bool,
    /// 定时扫描文件夹：用于收不到文件变化通知的地方（网络共享文件夹等）。
    #[arg(long)]
    poll: bool,
    /// 另外允许用这个主机名访问（可以给多次），例如本机在网络上的名字；其他名字一律拒绝（403）。
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
    /// Seconds a connection may send nothing before the preview closes it
    /// (default 30; the tests set it short to run past it).
    #[arg(long, value_name = "SECONDS", default_value_t = gongkai::PREVIEW_IDLE.as_secs(), hide = true)]
    idle_timeout: u64,
}

pub fn execute(args: ServeArgs) -> Result<()> {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: 预览绑定在 {}，同一网络中的其他人也能看到它（包括草稿）",
            args.bind
        );
    }
    let opts = ServeOptions {
        build: args.common.options("public".into()),
        bind: args.bind,
        port: args.port,
        poll: args.poll,
        allow_hosts: args.allow_host,
        idle: std::time::Duration::from_secs(args.idle_timeout.max(1)),
    };
    gongkai::serve(
        opts,
        Console {
            open: args.open,
            warnings: String::new(),
        },
    )
}

/// Prints the preview's progress to the terminal.
struct Console {
    open: bool,
    /// The warnings last printed, so an unchanged list is not repeated.
    warnings: String,
}

impl Reporter for Console {
    fn ready(&mut self, addr: SocketAddr) {
        let host = match addr.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let url = format!("http://{host}:{}/", addr.port());
        eprintln!("预览地址 {url}（保存文件后页面自动刷新；按 Ctrl+C 停止）");
        if self.open {
            open_browser(&url);
        }
    }

    fn update(&mut self, update: &Update, elapsed: Duration) {
        let ms = elapsed.as_secs_f64() * 1000.0;
        match update {
            Update::Unchanged => {}
            Update::Broken(errors) => {
                eprint!("{errors}");
                eprintln!(
                    "内容有 {} 个错误：预览仍显示上次正确的页面（{ms:.0} ms）",
                    errors.errors()
                );
            }
            Update::Rebuilt {
                changed, warnings, ..
            } => {
                let shown = warnings.to_string();
                if shown != self.warnings {
                    eprint!("{shown}");
                    self.warnings = shown;
                }
                eprintln!("已更新 {} 个页面（{ms:.0} ms）", changed.len());
            }
        }
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("无法打开浏览器（{program}：{e}），请手动访问 {url}");
    }
}
