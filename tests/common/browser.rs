//! A real browser for tests: Debian's `chromium`, headless, driven with the
//! DevTools protocol over a pipe (`--remote-debugging-pipe`: JSON messages
//! ending in NUL on fds 3 and 4). No websocket and no extra crates; the browser
//! exits by itself when the test process ends and the pipe closes.
//!
//! In CI (`CI=true`) a missing browser fails the test; elsewhere the test
//! prints a loud SKIPPED line and passes.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long one protocol call may take before the test fails: generous,
/// because two cores are shared with other builds.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// True when running in CI, where every browser test must really run.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Says loudly that a check could not run here; in CI, fails instead.
pub fn skip(what: &str, why: &str) {
    if in_ci() {
        panic!("CI=true: {what} must run, but {why}");
    }
    // Straight to the terminal: the test harness hides what eprintln! prints
    // from a test that passes.
    let _ = writeln!(
        std::io::stderr(),
        "\n******** SKIPPED: {what}: {why} ********\n\
         ******** (install it as .ci/run does; in CI this test fails) ********\n"
    );
}

/// The chromium binary: `$CHROMIUM`, else the first of the usual names on PATH.
pub fn chromium_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let names = ["chromium", "chromium-browser", "google-chrome"];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// One headless chromium and its protocol pipe.
pub struct Browser {
    child: Child,
    to_browser: File,
    from_browser: Receiver<Value>,
    next_id: u64,
    profile: PathBuf,
}

fn pipe() -> (RawFd, RawFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` is a valid array of two ints, as pipe2 requires.
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    assert_eq!(rc, 0, "pipe2: {}", std::io::Error::last_os_error());
    // Move both ends above 10 so that dup2 onto fds 3 and 4 in the child can
    // neither clobber them nor be a no-op that keeps close-on-exec.
    let high = |fd: RawFd| {
        // SAFETY: fd is open and ours; F_DUPFD_CLOEXEC returns a new fd or -1.
        let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
        assert!(new >= 10, "fcntl: {}", std::io::Error::last_os_error());
        // SAFETY: the old fd is ours and no longer used.
        unsafe { libc::close(fd) };
        new
    };
    (high(fds[0]), high(fds[1]))
}

impl Browser {
    /// Starts chromium, or returns `None` after [`skip`] when there is none.
    pub fn launch(what: &str) -> Option<Browser> {
        let Some(bin) = chromium_path() else {
            skip(
                what,
                "no chromium found (set $CHROMIUM or install Debian's chromium)",
            );
            return None;
        };
        Some(Browser::launch_at(&bin))
    }

    pub fn launch_at(bin: &Path) -> Browser {
        // One fixed profile per test binary under target/ (cargo runs test
        // binaries one at a time): a browser kept in a static is never
        // dropped, so its profile is cleared here rather than piling up.
        let profile = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("chromium-profile-{}", env!("CARGO_CRATE_NAME")));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).expect("browser profile dir");
        // Commands go down one pipe (the browser's fd 3), answers come up the other (fd 4).
        let (cmd_read, cmd_write) = pipe();
        let (ans_read, ans_write) = pipe();
        let mut command = Command::new(bin);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--mute-audio",
                "--remote-debugging-pipe",
                "about:blank",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls (dup2) between fork and exec.
        unsafe {
            command.pre_exec(move || {
                if libc::dup2(cmd_read, 3) < 0 || libc::dup2(ans_write, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
        // SAFETY: these fds came from pipe2 above and are owned by nobody else.
        let (to_browser, mut answers) = unsafe {
            libc::close(cmd_read);
            libc::close(ans_write);
            (File::from_raw_fd(cmd_write), File::from_raw_fd(ans_read))
        };
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut chunk = vec![0u8; 1 << 16];
            loop {
                let n = match answers.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                buf.extend_from_slice(&chunk[..n]);
                while let Some(end) = buf.iter().position(|&b| b == 0) {
                    let msg: Vec<u8> = buf.drain(..=end).collect();
                    let Ok(v) = serde_json::from_slice::<Value>(&msg[..msg.len() - 1]) else {
                        continue;
                    };
                    // Only answers matter here; events are dropped.
                    if v.get("id").is_some() && tx.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        Browser {
            child,
            to_browser,
            from_browser: rx,
            next_id: 0,
            profile,
        }
    }

    /// Sends one protocol command and waits for its answer.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).expect("json");
        bytes.push(0);
        self.to_browser
            .write_all(&bytes)
            .unwrap_or_else(|e| panic!("browser pipe closed while sending {method}: {e}"));
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.from_browser.recv_timeout(left) {
                Ok(v) if v["id"] == json!(id) => {
                    if let Some(err) = v.get("error") {
                        panic!("{method} failed: {err}");
                    }
                    return v["result"].clone();
                }
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => panic!("{method}: no answer in {CALL_TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("{method}: the browser went away"),
            }
        }
    }

    /// A new tab showing `url`, sized `width`×`height`.
    pub fn tab(&mut self, url: &str, width: u32, height: u32) -> Tab<'_> {
        let target = self.call(None, "Target.createTarget", json!({ "url": url }))["targetId"]
            .as_str()
            .expect("targetId")
            .to_owned();
        let session = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
        )["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_owned();
        let mut tab = Tab {
            browser: self,
            session,
            target,
        };
        tab.set_viewport(width, height);
        tab.wait_loaded(url);
        tab
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// One page in the browser.
pub struct Tab<'a> {
    browser: &'a mut Browser,
    session: String,
    target: String,
}

impl Tab<'_> {
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.browser.call(Some(&session), method, params)
    }

    /// Lays the page out as on a screen `width` CSS pixels wide (a phone when ≤ 640).
    pub fn set_viewport(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width <= 640 }),
        );
    }

    /// Opens `url` in this tab and waits until it has loaded and its scripts ran.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_loaded(url);
    }

    fn wait_loaded(&mut self, url: &str) {
        let deadline = Instant::now() + CALL_TIMEOUT;
        let check = format!(
            "document.readyState === 'complete' && location.href === {}",
            json!(url)
        );
        while !self.eval(&check).as_bool().unwrap_or(false) {
            assert!(
                Instant::now() < deadline,
                "{url} did not load in {CALL_TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs JavaScript in the page (awaiting a promise) and returns its value.
    pub fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": js, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!(
                "script failed: {ex}\n--- script ---\n{}",
                &js[..js.len().min(400)]
            );
        }
        r["result"]["value"].clone()
    }

    /// Presses one key (e.g. "Tab", "Enter", " ") as a real keyboard would.
    pub fn press(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "Tab" => ("Tab", 9, ""),
            "Enter" => ("Enter", 13, "\r"),
            " " => ("Space", 32, " "),
            other => panic!("press: unknown key {other}"),
        };
        let mut down =
            json!({ "type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk });
        if !text.is_empty() {
            down["text"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", down);
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk }),
        );
    }

    /// Prints the page as the browser's print dialog would, honouring CSS `@page` sizes.
    pub fn pdf(&mut self) -> Vec<u8> {
        let r = self.call(
            "Page.printToPDF",
            json!({ "preferCSSPageSize": true, "printBackground": true, "displayHeaderFooter": false }),
        );
        base64(r["data"].as_str().expect("pdf data"))
    }

    /// A PNG of the viewport, or of the whole page when `full` is true.
    pub fn screenshot(&mut self, full: bool) -> Vec<u8> {
        let r = self.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": full }),
        );
        base64(r["data"].as_str().expect("png data"))
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        // While a test is failing, leave the tab: the browser goes with the process.
        if !std::thread::panicking() {
            let target = self.target.clone();
            self.browser
                .call(None, "Target.closeTarget", json!({ "targetId": target }));
        }
    }
}

/// Decodes standard base64 (the protocol's encoding of PDFs and PNGs).
pub fn base64(s: &str) -> Vec<u8> {
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

/// A `file://` URL for a path on disk (the built site works from disk).
pub fn file_url(path: &Path) -> String {
    let p = path
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    format!("file://{}", p.display())
}
