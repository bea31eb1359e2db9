//! The preview as an editor's browser sees it (issue 15; a benchmark, not a
//! test), on a content folder such as the 120 × 70 archive:
//!
//! 1. **save → shown**: chromium has an item page open from `gongkai serve`;
//!    the item is saved (temporary file renamed over it, as editors do) and
//!    the time runs from the save to the first frame after live.js updated
//!    the page in place (its CSS and scripts stay loaded; a reload would
//!    fail the run), with when live.js asked for the new HTML.
//! 2. **navigation**: 20 item pages opened one after another (after a warm-up
//!    pass), each to its `load` event, from the preview and from a plain
//!    static server of the built site (`python3 -m http.server`, which
//!    revalidates with `Last-Modified`), alternating rounds.
//! 3. **64 clients**: 64 kept-alive connections GET pages and the stylesheet
//!    for 5 s while an item is saved every second; errors, p50/p99, and
//!    whether the last edit shows.
//!
//! `scripts/serve-browser.sh` builds it and makes the archive.
//! usage: serve-browser CONTENT [--bin PATH] [--saves N]

// chromium is driven over Unix pipes (tests/it/cdp.rs): elsewhere this
// benchmark only says so.
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

#[cfg(unix)]
#[path = "../tests/it/cdp.rs"]
#[allow(dead_code)]
mod cdp;
mod common;

use common::{item_files, month_dirs};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc::channel};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const PATIENCE: Duration = Duration::from_secs(120);

#[cfg(not(unix))]
fn main() {
    eprintln!("serve-browser drives chromium over Unix pipes: it runs on Linux and macOS");
}

#[cfg(unix)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let content = PathBuf::from(
        args.first()
            .expect("usage: serve-browser CONTENT [--bin PATH] [--saves N]"),
    );
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let saves: usize = flag("--saves").map_or(15, |s| s.parse().expect("--saves N"));
    let bin = flag("--bin").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/gongkai"),
        PathBuf::from,
    );
    let months = month_dirs(&content);
    let month = &months[months.len() / 2];
    let ym = month.file_name().unwrap().to_string_lossy().into_owned();
    let items = item_files(month);
    let file = items[0].clone();
    let stem = |f: &Path| f.file_stem().unwrap().to_string_lossy().into_owned();
    let page = format!("/{ym}/{}/", stem(&file));
    let original = std::fs::read_to_string(&file).unwrap();

    let (mut serve, port) = start_serve(&bin, &content);
    let base = format!("http://127.0.0.1:{port}");
    let mut b = cdp::Browser::launch("serve-browser").expect("chromium at /usr/bin/chromium");
    b.goto(&format!("{base}{page}"));

    // 1. save → the open page shows the edit, painted. live.js updates the
    // page in place (no reload: its CSS and scripts stay loaded), so the
    // time runs to the frame after the update: a listener on live.js's
    // `gongkai:updated` event stamps the time after the next animation frame.
    let live = "document.documentElement.dataset.gongkaiLive === 'connected'";
    assert!(b.wait_for(live, PATIENCE), "live.js did not connect");
    b.eval(
        "window.sameDocument = true; window.painted = 0; \
         document.addEventListener('gongkai:updated', function () { \
           requestAnimationFrame(function () { setTimeout(function () { \
             window.painted = performance.timeOrigin + performance.now(); }, 0); }); });",
    );
    let (mut shown, mut fetched) = (Vec::new(), Vec::new());
    for i in 0..saves {
        b.eval("window.painted = 0; performance.clearResourceTimings()");
        let marker = format!("浏览器基准修改第{i}次。");
        let text = original.replacen(
            "## 本月进度情况\n\n",
            &format!("## 本月进度情况\n\n{marker}"),
            1,
        );
        let tmp = file.with_extension("md.tmp");
        std::fs::write(&tmp, text).unwrap();
        let t0 = epoch_ms();
        std::fs::rename(&tmp, &file).unwrap();
        let done = "window.sameDocument !== true || window.painted > 0";
        assert!(b.wait_for(done, PATIENCE), "save {i}: no update");
        assert_eq!(
            b.eval("window.sameDocument === true"),
            serde_json::json!(true),
            "save {i}: the page reloaded instead of updating in place"
        );
        let at = b.eval("window.painted").as_f64().unwrap();
        let shows = b.eval(&format!("document.body.textContent.includes({marker:?})"));
        assert_eq!(
            shows,
            serde_json::json!(true),
            "save {i}: the updated page lacks the edit"
        );
        shown.push(at - t0);
        // When live.js asked for the page: save → the server's `update` event.
        let asked = b
            .eval(&format!(
                "(function(){{var r=performance.getEntriesByType('resource').filter(function(e){{\
                   return e.name.indexOf({page:?}) >= 0;}});\
                 return r.length ? performance.timeOrigin + r[r.length-1].startTime : 0;}})()"
            ))
            .as_f64()
            .unwrap();
        if asked > 0.0 {
            fetched.push(asked - t0);
        }
        thread::sleep(Duration::from_millis(800));
    }
    report("save → the open page updated in place, painted", &mut shown);
    report("  of which save → live.js asks for the page", &mut fetched);

    // 2. navigation, preview against a static server of the built site.
    let out = content.with_file_name(format!("serve-browser-out-{}", std::process::id()));
    let status = Command::new(&bin)
        .args(["build", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let (mut stat, stat_port) = start_static(&out);
    let pages: Vec<String> = items
        .iter()
        .take(20)
        .map(|f| format!("/{ym}/{}/", stem(f)))
        .collect();
    let (mut preview_nav, mut static_nav) = (Vec::new(), Vec::new());
    for round in 0..6 {
        for (base, into) in [
            (format!("http://127.0.0.1:{port}"), &mut preview_nav),
            (format!("http://127.0.0.1:{stat_port}"), &mut static_nav),
        ] {
            for p in &pages {
                let url = format!("{base}{p}");
                b.call("Page.navigate", serde_json::json!({ "url": url }));
                let ok = b.wait_for(
                    &format!("document.readyState === 'complete' && location.href === {url:?}"),
                    Duration::from_secs(20),
                );
                if !ok {
                    let state = b.eval(
                        "JSON.stringify({href: location.href, ready: document.readyState, \
                         res: performance.getEntriesByType('resource').map(function(e){return [e.name, Math.round(e.startTime), Math.round(e.responseEnd)]})})",
                    );
                    panic!("{url} did not load: {state}");
                }
                let ms = b
                    .eval("(function(){var n=performance.getEntriesByType('navigation')[0];return n.loadEventEnd - n.startTime;})()")
                    .as_f64()
                    .unwrap();
                // Round 0 warms caches and renders pages on demand.
                if round > 0 {
                    into.push(ms);
                }
            }
        }
    }
    let p = median(&mut preview_nav);
    let s = median(&mut static_nav);
    println!(
        "navigation to an item page's load event, median of {}: preview {p:.1} ms, static server {s:.1} ms, ratio {:.2}",
        preview_nav.len(),
        p / s
    );
    drop(b);
    let _ = stat.kill();
    let _ = stat.wait();
    let _ = std::fs::remove_dir_all(&out);

    // 3. 64 kept-alive clients while edits land.
    let stop = Arc::new(AtomicBool::new(false));
    let began = Instant::now();
    let (tx, rx) = channel::<(Vec<f64>, usize)>();
    for c in 0..64 {
        let (stop, tx, pages) = (stop.clone(), tx.clone(), pages.clone());
        thread::spawn(move || {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let (mut times, mut errors) = (Vec::new(), 0);
            let mut k = c;
            while !stop.load(Ordering::Relaxed) {
                let path = if k % 2 == 0 {
                    pages[k / 2 % pages.len()].clone()
                } else {
                    "/static/gongkai.css".to_string()
                };
                k += 1;
                let t = Instant::now();
                match get(&mut s, &mut r, &path) {
                    Some(200) => {
                        let ms = t.elapsed().as_secs_f64() * 1000.0;
                        if ms > 1000.0 {
                            eprintln!(
                                "slow: client {c}, request {k}, {path}: {ms:.0} ms, ended {:.2} s in",
                                began.elapsed().as_secs_f64()
                            );
                        }
                        times.push(ms)
                    }
                    _ => {
                        errors += 1;
                        s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                        r = BufReader::new(s.try_clone().unwrap());
                    }
                }
            }
            let _ = tx.send((times, errors));
        });
    }
    drop(tx);
    let mut last = String::new();
    for i in 0..5 {
        thread::sleep(Duration::from_millis(1000));
        last = format!("并发基准修改第{i}次。");
        let text = original.replacen(
            "## 本月进度情况\n\n",
            &format!("## 本月进度情况\n\n{last}"),
            1,
        );
        let tmp = file.with_extension("md.tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &file).unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let (mut all, mut errors) = (Vec::new(), 0);
    for (t, e) in rx {
        all.extend(t);
        errors += e;
    }
    all.sort_by(f64::total_cmp);
    let pct = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    // The edit shows once its rebuild is done.
    let shows = (0..100).any(|_| {
        thread::sleep(Duration::from_millis(100));
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("serve still listening");
        let mut r = BufReader::new(s.try_clone().unwrap());
        let mut body = String::new();
        get_body(&mut s, &mut r, &page, &mut body) == Some(200) && body.contains(&last)
    });
    println!(
        "64 kept-alive clients, 5 s, 5 saves: {} requests, {errors} errors, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; last edit shows: {shows}",
        all.len(),
        pct(0.5),
        pct(0.99),
        all.last().copied().unwrap_or(0.0)
    );
    std::fs::write(&file, &original).unwrap();
    thread::sleep(Duration::from_millis(500));
    let _ = serve.kill();
    let _ = serve.wait();
}

fn report(what: &str, v: &mut [f64]) {
    let m = median(v);
    v.sort_by(f64::total_cmp);
    let all: Vec<String> = v.iter().map(|x| format!("{x:.0}")).collect();
    println!(
        "{what}: median {m:.1} ms over {} saves ({} ms)",
        v.len(),
        all.join(" ")
    );
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

fn start_serve(bin: &Path, content: &Path) -> (Child, u16) {
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--content"])
        .arg(content)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = channel();
    let stderr = child.stderr.take().unwrap();
    let log = content.with_file_name("serve-browser.log");
    println!("serve's messages: {}", log.display());
    let mut log = std::fs::File::create(log).unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = tx.send(port.parse::<u16>().unwrap());
            }
            let _ = writeln!(log, "{line}");
        }
    });
    let port = rx.recv_timeout(PATIENCE).expect("serve started");
    (child, port)
}

fn start_static(root: &Path) -> (Child, u16) {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + PATIENCE;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "static server did not start");
        thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

fn get(s: &mut TcpStream, r: &mut BufReader<TcpStream>, path: &str) -> Option<u16> {
    let mut body = String::new();
    get_body(s, r, path, &mut body)
}

/// One GET on a kept-alive connection; the status, the body in `body`.
fn get_body(
    s: &mut TcpStream,
    r: &mut BufReader<TcpStream>,
    path: &str,
    body: &mut String,
) -> Option<u16> {
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .ok()?;
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let status: u16 = line.split_whitespace().nth(1)?.parse().ok()?;
    let mut len = 0;
    loop {
        line.clear();
        r.read_line(&mut line).ok()?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().ok()?;
        }
    }
    let mut buf = vec![0; len];
    r.read_exact(&mut buf).ok()?;
    *body = String::from_utf8_lossy(&buf).into_owned();
    Some(status)
}
