//! A real browser for tests: Debian's chromium, headless, driven over the
//! DevTools protocol on `--remote-debugging-pipe` (JSON messages ending in
//! NUL on file descriptors 3 and 4), so no websocket client and no browser
//! download are needed. Tests type with real key events and read the DOM.
//!
//! Without chromium a test prints SKIPPED and passes, except under CI=true,
//! where a missing browser fails the test: CI must install it (.ci/run).

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long one protocol call may take before the test fails.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Where the browser is: `$CHROMIUM` when set (only there), else the Debian
/// package's path.
fn chromium_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

pub struct Browser {
    child: Child,
    to_browser: std::io::PipeWriter,
    from_browser: Receiver<Value>,
    next_id: u64,
    session: String,
    /// The page `session` is attached to.
    target: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromium, or says SKIPPED and returns None when there is none
    /// (a failure under CI=true).
    pub fn launch(test: &str) -> Option<Browser> {
        let Some(path) = chromium_path() else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "{test}: chromium is not installed, and CI=true requires the browser tests to run (apt-get install -y chromium)"
                );
            }
            // Straight to stderr, past the test harness's capture, so the skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: no chromium at /usr/bin/chromium (set CHROMIUM=/path)"
            );
            return None;
        };
        let profile = tempfile::tempdir().expect("profile dir");
        let (their_in, to_browser) = std::io::pipe().expect("pipe");
        let (from_browser, their_out) = std::io::pipe().expect("pipe");
        let (rfd, wfd) = (their_in.as_raw_fd(), their_out.as_raw_fd());
        let mut cmd = Command::new(path);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--remote-debugging-pipe",
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // SAFETY: only async-signal-safe fcntl/dup2 calls between fork and exec.
        // The pipes are first moved above 3 and 4 so neither is overwritten by
        // the other's dup2, and the copies lose close-on-exec.
        unsafe {
            cmd.pre_exec(move || {
                let r = libc::fcntl(rfd, libc::F_DUPFD, 10);
                let w = libc::fcntl(wfd, libc::F_DUPFD, 10);
                if r < 0 || w < 0 || libc::dup2(r, 3) < 0 || libc::dup2(w, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start chromium");
        drop(their_in);
        drop(their_out);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(from_browser);
            let mut buf = Vec::new();
            while reader.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                buf.pop();
                if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                    && tx.send(v).is_err()
                {
                    break;
                }
                buf.clear();
            }
        });
        let mut b = Browser {
            child,
            to_browser,
            from_browser: rx,
            next_id: 0,
            session: String::new(),
            target: String::new(),
            _profile: profile,
        };
        b.open_window("about:blank");
        Some(b)
    }

    /// Continues in a new window that opens `url` as its first page (so its
    /// history holds one entry, as a window opened by a link to `_blank`),
    /// closing the window used so far. Waits until the page has loaded.
    pub fn open_window(&mut self, url: &str) {
        let old_target = std::mem::take(&mut self.target);
        self.session.clear();
        let target = self.call("Target.createTarget", json!({ "url": url }));
        self.target = target["targetId"].as_str().expect("target id").to_owned();
        let attached = self.call(
            "Target.attachToTarget",
            json!({ "targetId": self.target, "flatten": true }),
        );
        if !old_target.is_empty() {
            self.call("Target.closeTarget", json!({ "targetId": old_target }));
        }
        self.session = attached["sessionId"].as_str().expect("session").to_owned();
        assert!(
            self.wait_for(
                &format!(
                    "document.readyState === 'complete' && location.href === {}",
                    json!(url)
                ),
                Duration::from_secs(20),
            ),
            "{url} did not load"
        );
    }

    /// Opens `url` in a new tab, keeping the others open, and continues in
    /// it; returns its session (for `switch_to`). Waits until it has loaded.
    pub fn open_tab(&mut self, url: &str) -> String {
        self.session.clear();
        let target = self.call("Target.createTarget", json!({ "url": url }));
        self.target = target["targetId"].as_str().expect("target id").to_owned();
        let attached = self.call(
            "Target.attachToTarget",
            json!({ "targetId": self.target, "flatten": true }),
        );
        self.session = attached["sessionId"].as_str().expect("session").to_owned();
        let loaded = self.wait_for(
            &format!(
                "document.readyState === 'complete' && location.href === {}",
                json!(url)
            ),
            Duration::from_secs(20),
        );
        assert!(loaded, "{url} did not load in a new tab");
        self.session.clone()
    }

    /// Continues in the tab of `session` (from `open_tab`).
    pub fn switch_to(&mut self, session: &str) {
        self.session = session.to_owned();
    }

    /// Lays pages out for a screen `width`×`height` CSS px; up to 640 px wide
    /// it is a phone (the page's viewport meta tag applies).
    pub fn set_viewport(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width <= 640 }),
        );
    }

    /// Prints the page as the print dialog would, honouring CSS `@page` sizes: PDF bytes.
    pub fn pdf(&mut self) -> Vec<u8> {
        let r = self.call(
            "Page.printToPDF",
            json!({ "preferCSSPageSize": true, "printBackground": true, "displayHeaderFooter": false }),
        );
        base64_decode(r["data"].as_str().expect("pdf data"))
    }

    /// One protocol call; events that arrive meanwhile are dropped.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&msg).expect("json");
        bytes.push(0);
        self.to_browser
            .write_all(&bytes)
            .expect("write to chromium");
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .from_browser
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("chromium did not answer {method}"));
            if v["id"].as_u64() == Some(id) {
                if let Some(e) = v.get("error") {
                    panic!("{method} failed: {e}");
                }
                return v["result"].clone();
            }
        }
    }

    /// Evaluates a JavaScript expression in the page, returning its value.
    pub fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": js, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("script {js} threw: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Opens a URL and waits until the page has loaded.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        let loaded = self.wait_for(
            &format!(
                "document.readyState === 'complete' && location.href.startsWith({})",
                json!(url.split('?').next().unwrap_or(url))
            ),
            Duration::from_secs(20),
        );
        assert!(loaded, "{url} did not load");
    }

    /// Polls a JavaScript condition until it is true or time runs out.
    pub fn wait_for(&mut self, condition: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.eval(&format!("!!({condition})")) == json!(true) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Types text into the focused element, as an input method commits it.
    pub fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({ "text": text }));
    }

    /// Presses and releases a key: "Enter", "Tab", "Escape", " " or a printable character.
    pub fn press(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "Enter" => ("Enter", 13, "\r"),
            " " => ("Space", 32, " "),
            "Tab" => ("Tab", 9, ""),
            "Escape" => ("Escape", 27, ""),
            _ => ("", 0, key),
        };
        let mut down = json!({ "type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk });
        if !text.is_empty() {
            down["text"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", down);
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk }),
        );
    }
}

impl Drop for Browser {
    /// Asks the browser to close (so its helper processes exit with it), then
    /// makes sure it is gone.
    fn drop(&mut self) {
        let msg = json!({ "id": 0, "method": "Browser.close" });
        let mut bytes = serde_json::to_vec(&msg).expect("json");
        bytes.push(0);
        let _ = self.to_browser.write_all(&bytes);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `file://` URL for a path on disk, percent-encoding what a URL cannot hold.
pub fn file_url(path: &std::path::Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-encodes a query parameter value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes standard base64, the protocol's encoding of binary results.
pub fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(val(c)) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}
