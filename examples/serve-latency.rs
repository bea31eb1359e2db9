//! Preview latency benchmark (not a test): how long from saving one item to
//! the open page's `reload` event, against the time a full build takes.
//!
//! ```sh
//! python3 ../shared/peerbench/gen.py /tmp/archive      # 120 months × 70 items
//! cargo build --release
//! cargo run --release --example serve-latency -- /tmp/archive [--saves 15] [--interval 1000]
//! ```
//! Or `scripts/serve-latency.sh`, which does all three.
//!
//! It runs `target/release/gongkai build` once (wall time), starts
//! `gongkai serve` on a free port, opens the event stream for one item page
//! in the middle of the archive, then saves that item `--saves` times (write
//! a temporary file, rename it over, as vim and VS Code do), timing each save
//! to its `reload` event and to the new page's bytes.

mod common;

use common::{item_files, month_dirs};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(120);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let content = PathBuf::from(
        args.first()
            .expect("usage: serve-latency CONTENT_DIR [--saves N] [--bin PATH] [--skip-build]"),
    );
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let saves: usize = flag("--saves").map_or(15, |s| s.parse().expect("--saves N"));
    // An editor looks at the page between saves; --interval 300 saves faster.
    let interval = Duration::from_millis(
        flag("--interval").map_or(1000, |s| s.parse().expect("--interval MS")),
    );
    let bin = flag("--bin").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/gongkai"),
        PathBuf::from,
    );
    assert!(
        bin.is_file(),
        "{} missing: run cargo build --release",
        bin.display()
    );

    let items: usize = month_dirs(&content)
        .iter()
        .map(|m| item_files(m).len())
        .sum();
    println!(
        "archive: {} ({} months, {items} items)",
        content.display(),
        month_dirs(&content).len()
    );

    if !args.iter().any(|a| a == "--skip-build") {
        // Beside the archive: on the same file system (tmpfs in scripts/serve-latency.sh).
        let out = content.with_file_name(format!("serve-latency-out-{}", std::process::id()));
        let start = Instant::now();
        let status = Command::new(&bin)
            .arg("build")
            .arg("--content")
            .arg(&content)
            .arg("--output")
            .arg(&out)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        let wall = start.elapsed();
        assert!(status.success(), "build failed");
        let _ = std::fs::remove_dir_all(&out);
        println!("full build (gongkai build): {:.2} s", wall.as_secs_f64());
    }

    let start = Instant::now();
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--content"])
        .arg(&content)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (port_tx, port_rx) = channel();
    let (log_tx, log_rx) = channel::<String>();
    let stderr = child.stderr.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = port_tx.send(port.parse::<u16>().unwrap());
            }
            let _ = log_tx.send(line);
        }
    });
    let port = port_rx.recv_timeout(PATIENCE).expect("serve started");
    println!("serve ready after {:.2} s", start.elapsed().as_secs_f64());

    let months = month_dirs(&content);
    let month = &months[months.len() / 2];
    let file = item_files(month)[0].clone();
    let ym = month.file_name().unwrap().to_string_lossy().into_owned();
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let page = format!("/{ym}/{stem}/");
    let original = std::fs::read_to_string(&file).unwrap();
    // The first request renders the page; the editor has it open from then on.
    assert_eq!(get(port, &page).0, 200);
    let events = connect(port, &page);

    let (mut to_event, mut to_page) = (Vec::new(), Vec::new());
    for i in 0..saves {
        let marker = format!("基准修改第{i}次。");
        let text = original.replacen(
            "## 本月进度情况\n\n",
            &format!("## 本月进度情况\n\n{marker}"),
            1,
        );
        let tmp = file.with_extension("md.tmp");
        let t0 = Instant::now();
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &file).unwrap();
        wait_for(&events, "reload");
        to_event.push(t0.elapsed());
        let (status, body) = get(port, &page);
        to_page.push(t0.elapsed());
        assert!(status == 200 && body.contains(&marker), "page not updated");
        thread::sleep(interval);
    }
    std::fs::write(&file, &original).unwrap();
    thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();

    let rebuilds: Vec<Duration> = log_rx
        .try_iter()
        .filter_map(|l| {
            let ms = l
                .strip_prefix("已更新 ")?
                .split('（')
                .nth(1)?
                .strip_suffix(" ms）")?;
            Some(Duration::from_secs_f64(ms.parse::<f64>().ok()? / 1000.0))
        })
        .skip(1) // the initial build
        .collect();
    println!(
        "page {page}, {saves} saves, {} ms apart:",
        interval.as_millis()
    );
    report("save → SSE reload event", &mut to_event);
    report("save → new page received", &mut to_page);
    if !rebuilds.is_empty() {
        report("  of which rebuild in serve", &mut rebuilds.clone());
    }
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms (min {:.1}, max {:.1})",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, raw)
}

/// The page's event stream, read on a thread: (event name, arrival) pairs.
fn connect(port: u16, page: &str) -> Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let page = page.replace('/', "%2F");
    write!(
        s,
        "GET /__gongkai/events?page={page} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ")
                && tx.send(name.to_owned()).is_err()
            {
                return;
            }
        }
    });
    wait_for(&rx, "hello");
    rx
}

fn wait_for(events: &Receiver<String>, name: &str) {
    loop {
        let got = events.recv_timeout(PATIENCE).expect("event stream");
        if got == name {
            return;
        }
        assert_ne!(got, "broken", "the content broke");
    }
}
