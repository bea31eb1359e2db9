//! The command line: parses arguments and calls the library. One module per
//! subcommand under `cmd/`.

mod cmd;

/// jemalloc rather than the system allocator where it builds and helps
/// (Cargo.toml and BENCHMARKS.md say why and where).
#[cfg(any(all(target_os = "linux", target_arch = "x86_64"), target_os = "macos"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    install_panic_hook();
    // The one way to see the hook at work, for its test: nothing else may panic.
    if std::env::var_os("GONGKAI_PANIC_FOR_TEST").is_some() {
        panic!("GONGKAI_PANIC_FOR_TEST");
    }
    #[cfg(windows)]
    if std::env::args_os().len() == 1 {
        return cmd::double_clicked();
    }
    let cli = match cmd::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// A panic is a bug in gongkai, never the user's doing: it prints one line
/// saying so, in Chinese and English, and exits 2 (usage or I/O, as an
/// internal error is neither the content's fault nor success). The backtrace
/// only with `RUST_BACKTRACE` set, for the report.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "内部错误：{what}{at}。这是 gongkai 的缺陷，不是内容的问题，请把这条信息和所用命令报告给维护者 / internal error: this is a bug in gongkai, please report it with the command you ran"
        );
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            eprintln!("{}", std::backtrace::Backtrace::force_capture());
        }
        std::process::exit(2);
    }));
}
