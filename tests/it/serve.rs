//! `gongkai serve` (issue 4): the real binary on a free port, spoken to over
//! plain TCP — pages, live reload over Server-Sent Events, the error overlay,
//! refused paths, folders deleted and recreated, drafts.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::cdp;
use crate::common::{self, TestSite, copy_dir};

/// Longest wait for anything: start-up, a rebuild, a response.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `gongkai serve`, killed when dropped.
struct Preview {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Preview {
    fn start(site: &TestSite, args: &[&str]) -> Preview {
        let mut child = common::bin()
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gongkai serve");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = channel();
        {
            let log = log.clone();
            thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                        let _ = tx.send(port.parse::<u16>().unwrap());
                    }
                    log.lock().unwrap().push_str(&(line + "\n"));
                }
            });
        }
        let port = match rx.recv_timeout(PATIENCE) {
            Ok(port) => port,
            Err(_) => {
                let _ = child.kill();
                panic!("serve did not start:\n{}", log.lock().unwrap());
            }
        };
        Preview { child, port, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Resp {
        request(self.port, "GET", path)
    }

    fn events(&self, page: &str) -> Events {
        Events::connect(self.port, page)
    }

    fn still_running_after_soak(mut self) {
        self.still_running();
    }

    fn still_running(&mut self) {
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "serve exited:\n{}",
            self.log()
        );
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        if thread::panicking() {
            let exited = self.child.try_wait().ok().flatten();
            eprintln!("serve (exited: {exited:?}) said:\n{}", self.log());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Resp {
    status: u16,
    head: String,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// One HTTP/1.1 request with the path sent exactly as given.
fn request(port: u16, method: &str, path: &str) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Resp {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

/// An open page's event stream.
struct Events {
    rx: Receiver<(String, String)>,
    _stream: TcpStream,
}

impl Events {
    fn connect(port: u16, page: &str) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let page: String = page
            .bytes()
            .map(|b| match b {
                b'/' => "%2F".to_owned(),
                b if b.is_ascii_alphanumeric() || b"-._".contains(&b) => (b as char).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect();
        write!(
            s,
            "GET /__gongkai/events?page={page} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let reader = BufReader::new(s.try_clone().unwrap());
        let (tx, rx) = channel();
        thread::spawn(move || {
            let mut name = String::new();
            for line in reader.lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_owned();
                } else if let Some(d) = line.strip_prefix("data: ")
                    && tx.send((std::mem::take(&mut name), d.to_owned())).is_err()
                {
                    return;
                }
            }
        });
        let events = Events { rx, _stream: s };
        events.next("hello");
        events
    }

    /// Waits for the next event, which must be `name`; returns its data.
    fn next(&self, name: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                // The server restating its state to a new stream.
                Ok((n, _)) if n == "hello" => continue,
                Ok((n, data)) => panic!("expected `{name}`, got `{n}`: {data}"),
                Err(_) => panic!("no `{name}` event within {PATIENCE:?}"),
            }
        }
    }
}

/// Saves as editors do: a temporary file renamed over the old one.
fn save(site: &TestSite, rel: &str, text: &str) {
    let path = site.root().join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let tmp = path.with_extension("md.tmp");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, &path).unwrap();
}

fn item_text(project: &str, progress: &str) -> String {
    format!(
        "---\nnumber: 1\nleaders: 章平\nproject: {project}\ndepartment: 纪工委\n---\n## 本月进度情况\n\n{progress}\n"
    )
}

/// Two months, two items each.
fn two_months() -> TestSite {
    let site = TestSite::new();
    for ym in ["2020-07", "2020-08"] {
        site.month(ym, "");
        site.item(
            ym,
            "01",
            "number: 1\nleaders: 章平\nproject: 东湖绿道\ndepartment: 纪工委\n",
            &format!("## 本月进度情况\n\n{ym}绿道推进。\n"),
        );
        site.item(
            ym,
            "02",
            "number: 2\nleaders: 甄别\nproject: 扫黑除恶\ndepartment: 建设局\n",
            "## 本月进度情况\n\n扫黑推进。\n",
        );
    }
    site
}

#[test]
fn pages_types_redirects_and_errors() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);

    let home = preview.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("<script src=\"/__gongkai/live.js\""));
    assert!(
        home.body.contains("2020年8月"),
        "the latest month is on the home page"
    );

    let month = preview.get("/2020-07/");
    assert_eq!(month.status, 200);
    assert!(month.body.contains("2020-07绿道推进。"));
    assert_eq!(preview.get("/2020-07/index.html").body, month.body);
    let folder = preview.get("/2020-07/01");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("Location").as_deref(), Some("/2020-07/01/"));

    let css = preview.get("/static/gongkai.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("Content-Type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    let live = preview.get("/__gongkai/live.js");
    assert_eq!(
        live.header("Content-Type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert!(live.body.contains("EventSource") && live.body.contains("scrollTo"));

    let missing = preview.get("/2021-01/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.body.contains("找不到这个页面"));

    for method in ["POST", "PUT", "DELETE"] {
        let r = request(preview.port, method, "/");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("Allow").as_deref(), Some("GET, HEAD"));
    }
    let head = request(preview.port, "HEAD", "/2020-07/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn paths_outside_the_site_are_refused() {
    let site = two_months();
    site.write("secret.txt", "TOPSECRET");
    site.write("content/2020-07/notes.txt", "TOPSECRET");
    std::os::unix::fs::symlink(
        site.root().join("secret.txt"),
        site.content().join("2020-07/leak.txt"),
    )
    .unwrap();
    let preview = Preview::start(&site, &[]);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/2020-07/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/2020-07/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2fetc%2fpasswd",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/index.html%00.txt",
        "//etc/passwd",
        "/etc/passwd",
        "http://127.0.0.1/../secret.txt",
        "/2020-07/leak.txt",
        "/2020-07/notes.txt",
        "/content/2020-07/01.md",
    ] {
        let r = request(preview.port, "GET", path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: {} {}",
            r.status,
            r.body
        );
        assert!(
            !r.body.contains("TOPSECRET") && !r.body.contains("root:"),
            "{path}"
        );
    }

    // Named as an attachment, a link leaving the content folder is an error:
    // never served.
    let open = preview.events("/2020-07/");
    save(
        &site,
        "content/2020-07/_index.md",
        "---\nissued: 2020-07-27\nattachments:\n  - title: 泄露\n    file: leak.txt\n---\n",
    );
    let data = open.next("broken");
    assert!(data.contains("leak.txt"), "{data}");
    let r = preview.get("/2020-07/leak.txt");
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("TOPSECRET"));
}

#[test]
fn an_edit_updates_the_open_page() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);
    assert!(
        preview
            .get("/2020-07/01/")
            .body
            .contains("2020-07绿道推进。")
    );
    let open = preview.events("/2020-07/01/");
    let other = preview.events("/2020-08/02/");

    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", "绿道二期完工。"),
    );
    open.next("update");
    // A page the edit does not touch is not updated.
    other.next("fixed");
    let page = preview.get("/2020-07/01/");
    assert!(page.body.contains("绿道二期完工。"), "{}", page.body);
    assert!(!page.body.contains("2020-07绿道推进。"));

    // Swap and backup files are not content.
    fs::write(site.content().join("2020-07/.01.md.swp"), "---\n[").unwrap();
    fs::write(site.content().join("2020-07/01.md~"), "---\n[").unwrap();
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", "第三次保存。"),
    );
    open.next("update");
    other.next("fixed");
    assert!(preview.get("/2020-07/01/").body.contains("第三次保存。"));

    // A theme's stylesheet: every open page reloads to use it.
    site.write(
        "themes/default/static/gongkai.css",
        "body { color: #222; }\n",
    );
    open.next("reload");
    other.next("reload");
    assert_eq!(
        preview.get("/static/gongkai.css").body,
        "body { color: #222; }\n"
    );
}

#[test]
fn a_burst_of_saves_is_one_rebuild() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);
    let open = preview.events("/2020-07/01/");
    for i in 0..10 {
        save(
            &site,
            "content/2020-07/01.md",
            &item_text("东湖绿道", &format!("第{i}次保存。")),
        );
    }
    open.next("update");
    // Anything still coming arrives within a second; a rebuild per save would be ten.
    let mut more = 0;
    while open.rx.recv_timeout(Duration::from_secs(1)).is_ok() {
        more += 1;
    }
    assert!(more <= 2, "{} updates for one burst of ten saves", more + 1);
    assert!(preview.get("/2020-07/01/").body.contains("第9次保存。"));
}

#[test]
fn broken_input_shows_an_overlay_until_fixed() {
    let site = two_months();
    let mut preview = Preview::start(&site, &[]);
    let open = preview.events("/2020-07/01/");

    // An unclosed list in the front matter: a YAML error on line 4.
    save(
        &site,
        "content/2020-07/01.md",
        "---\nnumber: 1\nleaders: 章平\nproject: [东湖绿道\ndepartment: 纪工委\n---\n坏了。\n",
    );
    let data = open.next("broken");
    assert!(data.contains("01.md:"), "{data}");
    let page = preview.get("/2020-07/01/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("2020-07绿道推进。"),
        "the last good page stays"
    );
    assert!(page.body.contains("id=\"gongkai-overlay\""));
    // Every error names its file, line and column; the YAML error is on line 4 or 5.
    let places: Vec<(String, u32, u32)> = page
        .body
        .split("class=\"gk-place\"")
        .skip(1)
        .filter_map(|s| s.split('>').nth(1)?.split('<').next())
        .filter_map(|place| {
            let (file, line_col) = place.split_once(".md:")?;
            let (line, col) = line_col.split_once(':')?;
            Some((file.to_owned(), line.parse().ok()?, col.parse().ok()?))
        })
        .collect();
    assert!(!places.is_empty(), "{}", page.body);
    assert!(
        places
            .iter()
            .all(|(f, _, _)| f.ends_with("content/2020-07/01"))
    );
    assert!(
        places.iter().any(|(_, line, col)| *line >= 4 && *col > 1),
        "{places:?}"
    );
    assert!(page.body.contains("gk-message"));
    // Other pages carry the overlay too.
    assert!(
        preview
            .get("/2020-08/")
            .body
            .contains("id=\"gongkai-overlay\"")
    );
    // A missing required field is reported the same way.
    save(
        &site,
        "content/2020-07/01.md",
        "---\nnumber: 1\nleaders: 章平\nproject: 东湖绿道\n---\n缺部门。\n",
    );
    let data = open.next("broken");
    assert!(data.contains("department"), "{data}");
    preview.still_running();

    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", "修好了。"),
    );
    open.next("update");
    let page = preview.get("/2020-07/01/");
    assert!(page.body.contains("修好了。"));
    assert!(!page.body.contains("gongkai-overlay"));
    assert!(!preview.get("/2020-08/").body.contains("gongkai-overlay"));
    preview.still_running();
}

#[test]
fn month_and_content_folders_deleted_and_recreated() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);
    let open = preview.events("/2020-08/");

    fs::remove_dir_all(site.content().join("2020-08")).unwrap();
    open.next("update");
    assert_eq!(preview.get("/2020-08/").status, 404);
    assert!(!preview.get("/").body.contains("2020年8月"));

    site.month("2020-08", "");
    site.item(
        "2020-08",
        "01",
        "leaders: 章平\nproject: 新项目\ndepartment: 纪工委\n",
        "## 本月进度情况\n\n重新建立。\n",
    );
    let deadline = Instant::now() + PATIENCE;
    while !preview.get("/2020-08/").body.contains("重新建立。") {
        assert!(Instant::now() < deadline, "recreated month not picked up");
        thread::sleep(Duration::from_millis(50));
    }

    // The whole content folder replaced, as a `git checkout` or a restore does.
    let backup = site.root().join("content-backup");
    copy_dir(&site.content(), &backup);
    fs::remove_dir_all(site.content()).unwrap();
    copy_dir(&backup, &site.content());
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", "恢复之后。"),
    );
    let deadline = Instant::now() + PATIENCE;
    while !preview.get("/2020-07/01/").body.contains("恢复之后。") {
        assert!(
            Instant::now() < deadline,
            "replaced content folder not watched:\n{}",
            preview.log()
        );
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_month_folder_misnamed_shows_in_the_overlay_and_the_log() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);
    let open = preview.events("/2020-07/");

    // A month renamed by hand: an error naming the rename, the last good pages stay.
    fs::rename(
        site.content().join("2020-08"),
        site.content().join("2020-8"),
    )
    .unwrap();
    let data = open.next("broken");
    assert!(data.contains("请改名为 2020-08"), "{data}");
    let page = preview.get("/2020-07/");
    assert!(
        page.body.contains("id=\"gongkai-overlay\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("月份文件夹 `2020-8` 的名字应写成 YYYY-MM：请改名为 2020-08"),
        "{}",
        page.body
    );
    assert_eq!(
        preview.get("/2020-08/").status,
        200,
        "the last good pages stay"
    );
    fs::rename(
        site.content().join("2020-8"),
        site.content().join("2020-08"),
    )
    .unwrap();
    // Back as it was: no page changed, the overlay goes.
    open.next("fixed");
    assert!(!preview.get("/2020-07/").body.contains("gongkai-overlay"));

    // A new folder written as a clerk would say the month.
    site.month("2020年9月", "");
    let data = open.next("broken");
    assert!(data.contains("请改名为 2020-09"), "{data}");
    let deadline = Instant::now() + PATIENCE;
    while !preview.log().contains("请改名为 2020-09") {
        assert!(
            Instant::now() < deadline,
            "not in the log:\n{}",
            preview.log()
        );
        thread::sleep(Duration::from_millis(50));
    }
    // A folder that is no month at all stays a warning: the pages are served.
    fs::remove_dir_all(site.content().join("2020年9月")).unwrap();
    open.next("fixed");
    fs::create_dir_all(site.content().join("附件")).unwrap();
    thread::sleep(Duration::from_millis(300));
    assert!(!preview.get("/2020-07/").body.contains("gongkai-overlay"));
}

#[test]
fn drafts_only_with_the_drafts_flag() {
    let site = two_months();
    site.item(
        "2020-08",
        "03",
        "leaders: 甄别\nproject: 未定稿项目\ndepartment: 建设局\ndraft: true\n",
        "## 本月进度情况\n\n草稿内容。\n",
    );
    {
        let preview = Preview::start(&site, &[]);
        assert_eq!(preview.get("/2020-08/03/").status, 404);
        assert!(!preview.get("/2020-08/").body.contains("未定稿项目"));
    }
    let preview = Preview::start(&site, &["--drafts"]);
    let page = preview.get("/2020-08/03/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("草稿内容。"));
    assert!(page.body.contains("草稿"));
    let month = preview.get("/2020-08/");
    assert!(month.body.contains("未定稿项目") && month.body.contains("draft-mark"));
}

#[test]
fn polling_picks_up_edits() {
    let site = two_months();
    let preview = Preview::start(&site, &["--poll"]);
    let open = preview.events("/2020-07/01/");
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", "轮询发现的修改。"),
    );
    open.next("update");
    assert!(
        preview
            .get("/2020-07/01/")
            .body
            .contains("轮询发现的修改。")
    );
}

#[test]
fn many_readers_at_once_and_a_network_warning() {
    let site = two_months();
    let preview = Preview::start(&site, &["--bind", "0.0.0.0"]);
    assert!(preview.log().contains("warning:"), "{}", preview.log());
    // Open event streams do not take up the threads that answer requests.
    let _streams: Vec<Events> = (0..12).map(|_| preview.events("/")).collect();
    let port = preview.port;
    let readers: Vec<_> = (0..16)
        .map(|i| {
            thread::spawn(move || {
                for j in 0..5 {
                    let path = ["/", "/2020-07/", "/2020-08/01/", "/m/2020-07/"][(i + j) % 4];
                    assert_eq!(request(port, "GET", path).status, 200, "{path}");
                }
            })
        })
        .collect();
    for r in readers {
        r.join().unwrap();
    }
}

#[test]
fn the_browser_updates_in_place_and_shows_the_overlay() {
    let site = two_months();
    let long: String = (1..=150).map(|i| format!("第{i}段进度。\n\n")).collect();
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", &long),
    );
    let preview = Preview::start(&site, &[]);
    let Some(mut b) = cdp::Browser::launch("the_browser_updates_in_place_and_shows_the_overlay")
    else {
        return;
    };
    let url = format!("http://127.0.0.1:{}/2020-07/01/", preview.port);
    b.goto(&url);
    let live = "document.documentElement.dataset.gongkaiLive === 'connected'";
    assert!(b.wait_for(live, PATIENCE), "live.js did not connect");
    b.eval("window.scrollTo(0, 1500); window.sameDocument = true; window.scrollY");
    assert!(b.wait_for("Math.abs(window.scrollY - 1500) < 2", PATIENCE));
    let body = "(document.body ? document.body.textContent : '')";
    let updates = "Number(document.documentElement.dataset.gongkaiUpdates || 0)";

    // A save updates the open page where the reader was, without a reload:
    // the same document, the new item text, the new title, and the page
    // equal to the preview's HTML of it.
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道改名", &format!("浏览器看到的修改。\n\n{long}")),
    );
    assert!(
        b.wait_for(
            &format!("{body}.includes('浏览器看到的修改') && {updates} === 1"),
            PATIENCE
        ),
        "the page was not updated: {}",
        b.eval(updates)
    );
    assert_eq!(
        b.eval("window.sameDocument === true && document.title.includes('东湖绿道改名')"),
        serde_json::json!(true),
        "reloaded instead of updated, or the title is old"
    );
    assert!(
        b.wait_for("Math.abs(window.scrollY - 1500) < 2", PATIENCE),
        "scroll position lost: {}",
        b.eval("window.scrollY")
    );
    // What the page holds now is what a fresh load of the served HTML holds.
    let served = serde_json::to_string(&preview.get("/2020-07/01/").body).unwrap();
    assert_eq!(
        b.eval(&format!(
            "(function () {{ var d = new DOMParser().parseFromString({served}, 'text/html'); \
             return ['main', 'footer', 'title'].filter(function (s) {{ \
               return d.querySelector(s).outerHTML !== document.querySelector(s).outerHTML; }}); }})()"
        )),
        serde_json::json!([]),
        "parts of the updated page differ from the served page's"
    );
    // The reading aids still work on the updated page: 长者模式 toggles.
    assert_eq!(
        b.eval(
            "document.querySelector('.elder-toggle').click(); \
             document.documentElement.dataset.elder === 'on' && \
             document.querySelector('.elder-toggle').getAttribute('aria-pressed') === 'true'"
        ),
        serde_json::json!(true),
        "长者模式 no longer toggles after the update"
    );
    b.eval("document.querySelector('.elder-toggle').click()");

    // Broken input: the overlay appears over the page, which is not reloaded.
    save(
        &site,
        "content/2020-07/01.md",
        "---\nleaders: 章平\nproject: [东湖绿道\ndepartment: 纪工委\n---\n",
    );
    assert!(
        b.wait_for(
            "document.getElementById('gongkai-overlay') !== null",
            PATIENCE
        ),
        "no overlay"
    );
    let overlay = b.eval("document.getElementById('gongkai-overlay').textContent");
    assert!(overlay.as_str().unwrap().contains("01.md:"), "{overlay}");
    assert_eq!(
        b.eval(&format!(
            "window.sameDocument === true && {body}.includes('浏览器看到的修改')"
        )),
        serde_json::json!(true),
        "the last good page stays"
    );

    // Fixed: the overlay goes and the page shows the fix, still in place.
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", "修好了。"),
    );
    assert!(
        b.wait_for(
            &format!("document.getElementById('gongkai-overlay') === null && {body}.includes('修好了') && window.sameDocument === true"),
            PATIENCE
        ),
        "overlay not cleared"
    );

    // A stylesheet the page loads changed: only a reload applies it.
    site.write(
        "themes/default/static/gongkai.css",
        "body { color: rgb(1, 2, 3); }\n",
    );
    assert!(
        b.wait_for(
            &format!("window.sameDocument !== true && document.body !== null && getComputedStyle(document.body).color === 'rgb(1, 2, 3)' && {live}"),
            PATIENCE
        ),
        "the new stylesheet was not loaded"
    );

    // The toolbar, whose buttons gongkai.js binds, changed: a reload too,
    // so the new buttons work.
    b.eval("window.sameDocument = true");
    let toolbar = include_str!("../../themes/default/templates/partials/toolbar.html").replacen(
        "<div class=\"toolbar\">",
        "<div class=\"toolbar\"><button type=\"button\" data-test-new>新按钮</button>",
        1,
    );
    site.write("themes/default/templates/partials/toolbar.html", &toolbar);
    assert!(
        b.wait_for(
            &format!("window.sameDocument !== true && document.querySelector('[data-test-new]') !== null && {live}"),
            PATIENCE
        ),
        "a changed toolbar was not reloaded"
    );
}

/// A kept-alive connection: requests one after another, each response read
/// by its `Content-Length`.
struct KeptAlive {
    reader: BufReader<TcpStream>,
}

impl KeptAlive {
    fn open(port: u16) -> KeptAlive {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        KeptAlive {
            reader: BufReader::new(s),
        }
    }

    /// Sends `GET path` with `headers` (each ending in CRLF) and reads the answer.
    fn get(&mut self, path: &str, headers: &str) -> Resp {
        // One write, as a browser sends it (`write!` would make several,
        // and the test's own Nagle would stall).
        let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n");
        self.reader.get_mut().write_all(request.as_bytes()).unwrap();
        let mut head = String::new();
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "closed: {head}"
            );
            if line == "\r\n" {
                break;
            }
            head += &line;
        }
        let mut resp = Resp {
            status: head.split_whitespace().nth(1).unwrap().parse().unwrap(),
            head,
            body: String::new(),
        };
        let len: usize = resp
            .header("Content-Length")
            .map_or(0, |l| l.parse().unwrap());
        let mut body = vec![0; len];
        self.reader.read_exact(&mut body).unwrap();
        resp.body = String::from_utf8_lossy(&body).into_owned();
        resp
    }
}

#[test]
fn kept_alive_requests_do_not_stall() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);
    let mut conn = KeptAlive::open(preview.port);
    // Warm up: the first request renders the page.
    for path in ["/", "/static/gongkai.css"] {
        assert_eq!(conn.get(path, "").status, 200);
    }
    let mut times: Vec<Duration> = (0..20)
        .map(|i| {
            let path = ["/", "/static/gongkai.css"][i % 2];
            let start = Instant::now();
            let resp = conn.get(path, "");
            assert_eq!(resp.status, 200, "{path}");
            assert!(!resp.body.is_empty());
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[10];
    // Nagle against the client's delayed ACK costs ~40 ms on every request;
    // the bound is loose (and on the median, as other builds share the
    // machine) so only that stall fails it. The p95 figure is in BENCHMARKS.md.
    assert!(
        median < Duration::from_millis(30),
        "median {median:?}: {times:?}"
    );
}

#[test]
fn only_requests_for_our_host_names_are_answered() {
    let site = two_months();
    let preview = Preview::start(&site, &["--allow-host", "preview.example"]);
    let mut conn = KeptAlive::open(preview.port);
    let ask = |conn: &mut KeptAlive, path: &str, host: &str| {
        // `get` already sends `Host: 127.0.0.1`: send a raw request instead.
        write!(
            conn.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        // Up to the end of the head (an event stream stays open), and a
        // refusal's body.
        let mut raw = String::new();
        while !raw.ends_with("\r\n\r\n") {
            if conn.reader.read_line(&mut raw).unwrap() == 0 {
                break;
            }
        }
        if !raw.contains("event-stream") {
            conn.reader.read_to_string(&mut raw).unwrap();
        }
        raw
    };
    for (host, status) in [
        ("127.0.0.1", "200"),
        ("localhost:1111", "200"),
        ("[::1]:1111", "200"),
        ("preview.example:1111", "200"),
        ("attacker.example", "403"),
        ("localhost.attacker.example:1111", "403"),
    ] {
        for path in ["/", "/static/gongkai.css", "/__gongkai/events?page=%2F"] {
            let mut conn = KeptAlive::open(preview.port);
            let raw = ask(&mut conn, path, host);
            assert!(
                raw.starts_with(&format!("HTTP/1.1 {status} ")),
                "{host} {path}: {}",
                raw.lines().next().unwrap_or("")
            );
            if status == "403" {
                assert!(
                    !raw.contains("东湖绿道") && !raw.contains("event:"),
                    "{raw}"
                );
            }
        }
    }
    // No Host at all (HTTP/1.0 style) is refused too.
    write!(conn.reader.get_mut(), "GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    conn.reader.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        raw.starts_with("HTTP/1.1 403 ") || raw.starts_with("HTTP/1.0 403 "),
        "{raw}"
    );
}

#[test]
fn assets_revalidate_with_etags() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);
    let mut conn = KeptAlive::open(preview.port);
    for path in ["/static/gongkai.css", "/__gongkai/live.js", "/2020-07/"] {
        let first = conn.get(path, "");
        assert_eq!(first.status, 200, "{path}");
        assert_eq!(first.header("Cache-Control").as_deref(), Some("no-cache"));
        let tag = first.header("ETag").expect("an ETag");
        let again = conn.get(path, &format!("If-None-Match: {tag}\r\n"));
        assert_eq!(again.status, 304, "{path}: {}", again.head);
        assert!(again.body.is_empty());
        assert_eq!(again.header("ETag"), Some(tag.clone()));
        let other = conn.get(path, "If-None-Match: \"0000000000000000\"\r\n");
        assert_eq!((other.status, other.body), (200, first.body), "{path}");
    }
    // An edit changes the page's tag: the browser gets the new bytes.
    let tag = conn.get("/2020-07/01/", "").header("ETag").unwrap();
    let events = preview.events("/2020-07/01/");
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", "新的进度。"),
    );
    events.next("update");
    let after = conn.get("/2020-07/01/", &format!("If-None-Match: {tag}\r\n"));
    assert_eq!(after.status, 200);
    assert!(after.body.contains("新的进度"));
}

#[test]
fn eight_tabs_all_load_and_all_update() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);
    let Some(mut b) = cdp::Browser::launch("eight_tabs_all_load_and_all_update") else {
        return;
    };
    let pages = [
        "/2020-07/01/",
        "/2020-07/",
        "/print/2020-07/01/",
        "/m/2020-07/01/",
    ];
    let live = "document.documentElement.dataset.gongkaiLive === 'connected'";
    // Each tab holding a stream of its own would leave the seventh unloaded
    // (six connections a host); `open_tab` fails when a tab does not load.
    let tabs: Vec<(String, &str)> = (0..8)
        .map(|i| {
            let page = pages[i % pages.len()];
            let session = b.open_tab(&format!("http://127.0.0.1:{}{page}", preview.port));
            assert!(b.wait_for(live, PATIENCE), "tab {i} ({page}) not live");
            b.eval("window.sameDocument = true");
            (session, page)
        })
        .collect();
    // Every tab shows the item (its page in three views, its month): one
    // edit updates all eight in place.
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道八个标签", "八个标签都更新。"),
    );
    for (i, (session, page)) in tabs.iter().enumerate() {
        b.switch_to(session);
        assert!(
            b.wait_for(
                &format!("window.sameDocument === true && (document.body ? document.body.textContent : '').includes('东湖绿道八个标签') && {live}"),
                PATIENCE
            ),
            "tab {i} ({page}) was not updated in place"
        );
    }
    // A second edit still reaches the first tab.
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道再改", "再改。"),
    );
    b.switch_to(&tabs[0].0);
    assert!(
        b.wait_for(
            "(document.body ? document.body.textContent : '').includes('东湖绿道再改')",
            PATIENCE
        ),
        "the first tab stopped updating"
    );
}

/// Sends raw bytes on a fresh connection and reads the status line of the
/// answer, then whether the server closed the connection.
fn raw_exchange(port: u16, head: &[u8]) -> (String, bool) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    // The server may answer and close before all of it is written.
    let _ = s.write_all(head);
    let mut answer = Vec::new();
    // Ends without error only when the server closes the connection (a read
    // timeout is an error).
    let closed = s.read_to_end(&mut answer).is_ok();
    let text = String::from_utf8_lossy(&answer).to_string();
    let status = text.lines().next().unwrap_or_default().to_string();
    (status, closed)
}

#[test]
fn oversized_request_lines_and_headers_are_refused() {
    let site = two_months();
    let mut preview = Preview::start(&site, &[]);
    let port = preview.port;
    // A request line of 20 MB without an end: refused after 8 KB, not read to the end.
    let mut endless = b"GET /".to_vec();
    endless.extend(std::iter::repeat_n(b'a', 20 << 20));
    let started = Instant::now();
    let (status, closed) = raw_exchange(port, &endless);
    assert!(status.starts_with("HTTP/1.1 414"), "{status}");
    assert!(closed && started.elapsed() < PATIENCE);
    // One header line over the limit.
    let big = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {}\r\n\r\n",
        "c".repeat(10_000)
    );
    let (status, closed) = raw_exchange(port, big.as_bytes());
    assert!(status.starts_with("HTTP/1.1 431") && closed, "{status}");
    // Too many header lines.
    let mut many = String::from("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for i in 0..200 {
        many.push_str(&format!("X-{i}: {i}\r\n"));
    }
    many.push_str("\r\n");
    let (status, closed) = raw_exchange(port, many.as_bytes());
    assert!(status.starts_with("HTTP/1.1 431") && closed, "{status}");
    // Requests of ordinary size, a long address included, are still answered.
    let path = format!("/{}", "b".repeat(4000));
    assert_eq!(preview.get(&path).status, 404);
    assert_eq!(preview.get("/").status, 200);
    preview.still_running();
}

#[test]
fn a_new_connection_is_answered_while_others_stay_open() {
    let site = two_months();
    let preview = Preview::start(&site, &[]);
    // Connections opened together and kept open, as 64 browsers' are: each
    // first request is answered at once. (tiny_http's pool once queued a new
    // connection behind the kept-alive ones until one of them closed.)
    let mut open = Vec::new();
    let mut slowest = Duration::ZERO;
    for round in 0..4 {
        let started: Vec<(KeptAlive, Instant)> = (0..16)
            .map(|_| {
                let c = KeptAlive::open(preview.port);
                (c, Instant::now())
            })
            .collect();
        for (mut c, t) in started {
            let resp = c.get("/static/gongkai.css", "");
            assert_eq!(resp.status, 200, "round {round}");
            slowest = slowest.max(t.elapsed());
            open.push(c);
        }
    }
    // Far below the 30 s a queued connection waited for another to close.
    assert!(
        slowest < Duration::from_secs(5),
        "slowest first answer {slowest:?}"
    );
    assert_eq!(open.len(), 64);
}

/// Issue 26: the listener once inherited the connections' read timeout, and
/// on Linux that made `accept()` fail after that long without a connection,
/// which ended the accepting for good. Here the timeout is 2 s, and the
/// preview is left alone for more than twice that.
#[test]
fn the_preview_answers_after_idling_past_its_timeout() {
    let site = two_months();
    let mut preview = Preview::start(&site, &["--idle-timeout", "2"]);
    assert_eq!(preview.get("/2020-07/").status, 200);

    // A connection that sends nothing is still closed after the timeout:
    // the setting moved from the listener to each connection, it did not go.
    let mut quiet = TcpStream::connect(("127.0.0.1", preview.port)).unwrap();
    quiet.set_read_timeout(Some(PATIENCE)).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 64];
    let closed = matches!(quiet.read(&mut buf), Ok(0) | Err(_));
    assert!(closed, "a silent connection must be closed");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(10),
        "closed after {waited:?}, not after the 2 s timeout"
    );

    thread::sleep(Duration::from_secs(5));
    preview.still_running();
    let page = preview.get("/2020-07/01/");
    assert_eq!(page.status, 200, "{}", preview.log());
    assert!(page.body.contains("2020-07绿道推进。"));
    let open = preview.events("/2020-07/01/");
    // The event stream itself outlives the timeout: heartbeats are writes,
    // and a stream reads nothing after its request.
    thread::sleep(Duration::from_secs(3));
    save(
        &site,
        "content/2020-07/01.md",
        &item_text("东湖绿道", "空闲之后的保存。"),
    );
    open.next("update");
    assert!(
        preview
            .get("/2020-07/01/")
            .body
            .contains("空闲之后的保存。")
    );
    assert!(
        !preview.log().contains("接受连接时出错"),
        "no accept errors: {}",
        preview.log()
    );
}

/// Issue 26: the preview as an editor runs it for a morning, compressed.
/// `GONGKAI_SOAK_SECS` long (10 minutes by default; `.ci/run` runs it): the
/// real report, a save every 3 s that the open page must be told of, fresh
/// connections several times a second, a kept-alive client, event streams
/// opened and dropped, and once a quiet spell past the default 30 s idle
/// timeout. Every request must be answered, and resident memory and open
/// descriptors must stay flat after the first minute.
#[test]
#[ignore = "10 minutes: run by .ci/run (cargo test --test it serve::soak -- --ignored)"]
fn soak_the_preview_answers_everything_and_stays_flat() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
    let secs: u64 = std::env::var("GONGKAI_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let site = TestSite::new();
    copy_dir(&common::real_content(), &site.content());
    let preview = Preview::start(&site, &[]);
    let (port, pid) = (preview.port, preview.child.id());
    let started = Instant::now();
    let deadline = started + Duration::from_secs(secs);
    let quiet_at = started + Duration::from_secs(secs / 2);
    let quiet = Duration::from_secs(35);

    let answered = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let paused = Arc::new(AtomicBool::new(false));
    // Readers on fresh connections, as new tabs and link clicks make them.
    let pages = [
        "/",
        "/2020-07/",
        "/2020-07/01/",
        "/2020-07/35/",
        "/static/gongkai.css",
    ];
    let mut readers = Vec::new();
    for r in 0..2 {
        let (answered, failed, stop, paused) = (
            answered.clone(),
            failed.clone(),
            stop.clone(),
            paused.clone(),
        );
        readers.push(thread::spawn(move || {
            let mut i = r;
            while !stop.load(Relaxed) {
                if paused.load(Relaxed) {
                    thread::sleep(Duration::from_millis(100));
                    continue;
                }
                let path = pages[i % pages.len()];
                i += 1;
                match std::panic::catch_unwind(|| request(port, "GET", path)) {
                    Ok(r) if r.status == 200 => {
                        answered.fetch_add(1, Relaxed);
                    }
                    Ok(r) => failed.lock().unwrap().push(format!("{path}: {}", r.status)),
                    Err(_) => failed.lock().unwrap().push(format!("{path}: no answer")),
                }
                thread::sleep(Duration::from_millis(150));
            }
        }));
    }

    let sample = || {
        let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let rss_kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap();
        let fds = fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count();
        (rss_kib, fds)
    };
    let mut samples: Vec<(u64, u64, usize)> = Vec::new();
    let mut kept = KeptAlive::open(port);
    let mut events = preview.events("/2020-07/01/");
    let mut saves = 0u64;
    let mut last_sample = Instant::now() - Duration::from_secs(10);
    let mut quieted = false;
    while Instant::now() < deadline {
        if !quieted && Instant::now() >= quiet_at {
            // Nothing at all for longer than the idle timeout; then on.
            quieted = true;
            paused.store(true, Relaxed);
            drop(events);
            thread::sleep(quiet);
            paused.store(false, Relaxed);
            kept = KeptAlive::open(port);
            events = preview.events("/2020-07/01/");
        }
        saves += 1;
        save(
            &site,
            "content/2020-07/01.md",
            &format!(
                "---\nnumber: 1\nleaders: \"章  平\"\nproject: 扶贫领域腐败和作风问题专项治理\ndepartment: 纪工委\n---\n## 本月进度情况\n\n第{saves}次保存。\n"
            ),
        );
        events.next("update");
        let page = kept.get("/2020-07/01/", "");
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains(&format!("第{saves}次保存。")),
            "save {saves}"
        );
        answered.fetch_add(1, Relaxed);
        if saves.is_multiple_of(10) {
            // A tab closed, another opened.
            events = preview.events("/2020-07/01/");
        }
        if last_sample.elapsed() >= Duration::from_secs(10) {
            last_sample = Instant::now();
            let (rss, fds) = sample();
            samples.push((started.elapsed().as_secs(), rss, fds));
        }
        thread::sleep(Duration::from_secs(3));
    }
    stop.store(true, Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    let failed = failed.lock().unwrap();
    let answered = answered.load(Relaxed);
    eprintln!(
        "soak: {secs} s, {saves} saves, {answered} requests answered, {} failed",
        failed.len()
    );
    for (t, rss, fds) in &samples {
        eprintln!(
            "soak: t={t:>4} s  rss={:>6.1} MiB  fds={fds}",
            *rss as f64 / 1024.0
        );
    }
    assert!(
        failed.is_empty(),
        "unanswered: {:?}",
        &failed[..failed.len().min(20)]
    );
    // Flat: the last samples against those after the first minute, when
    // every page has been rendered and the caches are warm.
    let warm: Vec<_> = samples.iter().filter(|s| s.0 >= 60).collect();
    assert!(warm.len() >= 3, "run at least a few minutes: {samples:?}");
    let (first, last) = (warm[0], warm[warm.len() - 1]);
    let peak_early = warm.iter().take(3).map(|s| s.1).max().unwrap();
    assert!(
        last.1 <= peak_early + 24 * 1024,
        "resident memory grew from {} to {} KiB",
        first.1,
        last.1
    );
    assert!(
        last.2 <= first.2 + 8,
        "open descriptors grew from {} to {}",
        first.2,
        last.2
    );
    preview.still_running_after_soak();
}
