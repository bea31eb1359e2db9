//! The release binaries for the other systems we ship for (issue 26), run on
//! this Linux machine: the Windows .exe under Wine, the ARM64 Linux binary
//! under qemu-user. Each must do what the Linux binary does, byte for byte.
//!
//! Ignored in a plain `cargo test`: they need the cross builds, Wine, mingw
//! and qemu. `scripts/cross-check.sh` (run by `.ci/run`) builds the binaries
//! and runs `cargo test --test it cross:: -- --ignored`. The binaries are
//! taken from `GONGKAI_WINDOWS_EXE` and `GONGKAI_AARCH64_BIN`, by default the
//! release builds under `target/`.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::channel;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{bin, copy_dir, load, real_content, stderr, tree};

const WINE: &str = "/usr/lib/wine/wine64";

/// Longest wait for the preview under Wine to start or to show an edit.
const PATIENCE: Duration = Duration::from_secs(60);

/// The release binary for `target`: `env` names it, else it is cargo's.
fn release_binary(env: &str, target: &str, name: &str) -> PathBuf {
    let path = std::env::var_os(env).map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join(target)
                .join("release")
                .join(name)
        },
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "{}: build it with cargo build --release --target {target}",
        path.display()
    );
    path
}

/// The Windows release binary, copied beside the stand-in DLL Wine 8 lacks
/// (`scripts/cross/bcryptprimitives.c`), with a Wine prefix of its own.
struct Windows {
    dir: tempfile::TempDir,
}

fn windows() -> &'static Windows {
    static W: OnceLock<Windows> = OnceLock::new();
    W.get_or_init(|| {
        let exe = release_binary(
            "GONGKAI_WINDOWS_EXE",
            "x86_64-pc-windows-gnu",
            "gongkai.exe",
        );
        let dir = tempfile::tempdir().unwrap();
        fs::copy(&exe, dir.path().join("gongkai.exe")).unwrap();
        let dll = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-o"])
            .arg(dir.path().join("bcryptprimitives.dll"))
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/cross/bcryptprimitives.c"))
            .arg("-ladvapi32")
            .output()
            .expect("mingw-w64 (x86_64-w64-mingw32-gcc)");
        assert!(dll.status.success(), "{}", stderr(&dll));
        let w = Windows { dir };
        // The first run makes the prefix; later ones, in parallel, share it.
        let v = w.run(&["--version"]);
        assert!(v.status.success(), "wine: {}", stderr(&v));
        assert!(String::from_utf8_lossy(&v.stdout).starts_with("gongkai "));
        w
    })
}

impl Windows {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(WINE);
        c.arg(self.dir.path().join("gongkai.exe"))
            .args(args)
            .env("WINEPREFIX", self.dir.path().join("prefix"))
            .env("WINEDEBUG", "-all");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run wine64")
    }
}

/// `path` as a Windows program under Wine names it: `Z:\tmp\…`.
fn win(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

/// A folder as Windows users name theirs: Chinese, with a space.
fn office_folder() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("政务公开 2020");
    fs::create_dir_all(&dir).unwrap();
    (tmp, dir)
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: exit {:?}\n{}",
        out.status.code(),
        stderr(out)
    );
}

fn assert_same_tree(linux: &Path, other: &Path, what: &str) {
    if let Some(d) = tree::diff(&tree::snapshot(linux), &tree::snapshot(other)) {
        panic!("{what} differs from the Linux binary's:\n{d}");
    }
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/cross-check.sh"]
fn windows_build_and_check_equal_linux_from_a_chinese_folder_with_a_space() {
    let w = windows();
    let (_tmp, dir) = office_folder();
    let content = dir.join("content");
    copy_dir(&real_content(), &content);
    // Saved by Notepad: a BOM and CRLF line ends, in an item and in _index.md.
    for rel in ["2020-07/01.md", "2020-07/_index.md"] {
        let path = content.join(rel);
        let text = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
        fs::write(&path, [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat()).unwrap();
    }

    let linux = bin()
        .args(["build", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(dir.join("public-linux"))
        .output()
        .unwrap();
    ok(&linux, "linux build");
    let windows = w.run(&[
        "build",
        "--content",
        &win(&content),
        "--output",
        &win(&dir.join("public")),
    ]);
    ok(&windows, "windows build");
    assert!(stderr(&windows).contains("已生成"), "{}", stderr(&windows));
    assert_same_tree(&dir.join("public-linux"), &dir.join("public"), "the build");

    // A second build of unchanged content changes nothing, and the record
    // kept beside the output lets it render nothing (file identities work).
    let again = w.run(&[
        "build",
        "--content",
        &win(&content),
        "--output",
        &win(&dir.join("public")),
    ]);
    ok(&again, "windows rebuild");
    assert!(
        stderr(&again).contains("新增 0、修改 0、删除 0"),
        "{}",
        stderr(&again)
    );
    assert_same_tree(
        &dir.join("public-linux"),
        &dir.join("public"),
        "the rebuild",
    );

    let check = w.run(&["check", "--content", &win(&content)]);
    ok(&check, "windows check");
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/cross-check.sh"]
fn windows_new_month_equals_linux() {
    let w = windows();
    let (_tmp, dir) = office_folder();
    for who in ["linux", "windows"] {
        copy_dir(&real_content(), &dir.join(who));
    }
    let linux = bin()
        .args(["new", "month", "2020-08", "--content"])
        .arg(dir.join("linux"))
        .output()
        .unwrap();
    ok(&linux, "linux new month");
    let windows = w.run(&[
        "new",
        "month",
        "2020-08",
        "--content",
        &win(&dir.join("windows")),
    ]);
    ok(&windows, "windows new month");
    assert!(dir.join("windows/2020-08/_index.md").is_file());
    assert_same_tree(&dir.join("linux"), &dir.join("windows"), "new month");
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/cross-check.sh"]
fn windows_import_of_a_word_table_writes_its_68_items() {
    let w = windows();
    let (_tmp, dir) = office_folder();
    let real = load(&real_content());
    let docx = dir.join("7月 工作进展.docx");
    crate::import_pages::docx(&docx, &report_as_word(&real.months[0].items), None);
    for who in ["linux", "windows"] {
        fs::create_dir_all(dir.join(who)).unwrap();
        fs::copy(
            real_content().join("site.yaml"),
            dir.join(who).join("site.yaml"),
        )
        .unwrap();
    }
    let linux = bin()
        .arg("import")
        .arg(&docx)
        .args(["--month", "2020-07", "--content"])
        .arg(dir.join("linux"))
        .output()
        .unwrap();
    ok(&linux, "linux import");
    let windows = w.run(&[
        "import",
        &win(&docx),
        "--month",
        "2020-07",
        "--content",
        &win(&dir.join("windows")),
    ]);
    ok(&windows, "windows import");
    assert!(
        stderr(&windows).contains("导入 68 行"),
        "{}",
        stderr(&windows)
    );
    let items = fs::read_dir(dir.join("windows/2020-07"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.ends_with(".md") && name != "_index.md"
        })
        .count();
    assert_eq!(items, 68);
    assert_same_tree(&dir.join("linux"), &dir.join("windows"), "the import");
}

/// The real July table as a Word document: a title, the header, 68 rows.
fn report_as_word(items: &[gongkai::internals::Item]) -> String {
    use crate::import_pages::{p, tc};
    // Each line of a cell a paragraph, escaped for the XML.
    let cell = |text: &str| {
        let paras: String = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| p(&l.replace('&', "&amp;").replace('<', "&lt;")))
            .collect();
        tc("", if paras.is_empty() { "<w:p/>" } else { &paras })
    };
    let mut rows = vec![format!(
        "<w:tr>{}</w:tr>",
        crate::import::HEADER
            .iter()
            .map(|h| cell(h))
            .collect::<String>()
    )];
    for it in items {
        rows.push(format!(
            "<w:tr>{}{}{}{}{}{}{}</w:tr>",
            cell(it.number.as_deref().unwrap_or("")),
            cell(&it.leaders.join("、")),
            cell(&it.project),
            cell(&it.department),
            cell(&it.progress.text),
            cell(&it.problems.text),
            cell(&it.plan.text),
        ));
    }
    format!("{}<w:tbl>{}</w:tbl>", p("7月工作进展情况"), rows.concat())
}

/// A preview under Wine, killed when dropped.
struct WinePreview {
    child: Child,
    port: u16,
}

impl Drop for WinePreview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(PATIENCE))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, raw))
}

/// Waits until `path` answers with a body holding `text`.
fn wait_for(port: u16, path: &str, text: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok((200, body)) = get(port, path)
            && body.contains(text)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed {text:?} within {PATIENCE:?}"
        );
        thread::sleep(Duration::from_millis(250));
    }
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/cross-check.sh"]
fn windows_preview_shows_a_saved_edit_and_answers_after_40_idle_seconds() {
    let w = windows();
    let (_tmp, dir) = office_folder();
    let content = dir.join("content");
    copy_dir(&real_content(), &content);
    let mut child = w
        .command(&["serve", "--port", "0", "--content", &win(&content)])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = channel();
    let err = child.stderr.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = tx.send(port.parse::<u16>().unwrap());
            }
        }
    });
    let port = rx
        .recv_timeout(PATIENCE)
        .expect("the preview under Wine starts");
    let preview = WinePreview { child, port };
    wait_for(preview.port, "/2020-07/01/", "扶贫领域无腐败和作风问题");

    // Saved as editors do: a new file renamed over the old one.
    let item = content.join("2020-07/01.md");
    let edited = fs::read_to_string(&item).unwrap().replacen(
        "## 本月进度情况\n",
        "## 本月进度情况\n\n视窗下的修改。\n",
        1,
    );
    assert!(
        edited.contains("视窗下的修改。"),
        "the item has a progress section"
    );
    fs::write(item.with_extension("tmp"), &edited).unwrap();
    fs::rename(item.with_extension("tmp"), &item).unwrap();
    wait_for(preview.port, "/2020-07/01/", "视窗下的修改。");

    // Past the 30 s idle timeout, with no connection at all.
    thread::sleep(Duration::from_secs(40));
    let (status, body) = get(preview.port, "/2020-07/").expect("still accepting after 40 s");
    assert_eq!(status, 200, "{body}");
    fs::write(
        item.with_extension("tmp"),
        edited.replace("视窗下的修改。", "空闲后再改。"),
    )
    .unwrap();
    fs::rename(item.with_extension("tmp"), &item).unwrap();
    wait_for(preview.port, "/2020-07/01/", "空闲后再改。");
}

#[test]
#[ignore = "needs the ARM64 build and qemu-user: scripts/cross-check.sh"]
fn arm64_build_equals_x86_64() {
    let arm = release_binary(
        "GONGKAI_AARCH64_BIN",
        "aarch64-unknown-linux-gnu",
        "gongkai",
    );
    let tmp = tempfile::tempdir().unwrap();
    let x86 = bin()
        .args(["build", "--content"])
        .arg(real_content())
        .arg("--output")
        .arg(tmp.path().join("x86_64"))
        .output()
        .unwrap();
    ok(&x86, "x86_64 build");
    let out = Command::new("qemu-aarch64")
        .args(["-L", "/usr/aarch64-linux-gnu"])
        .arg(&arm)
        .args(["build", "--content"])
        .arg(real_content())
        .arg("--output")
        .arg(tmp.path().join("aarch64"))
        .output()
        .expect("qemu-aarch64 (Debian's qemu-user)");
    ok(&out, "aarch64 build");
    assert_same_tree(
        &tmp.path().join("x86_64"),
        &tmp.path().join("aarch64"),
        "the ARM64 build",
    );
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/cross-check.sh"]
fn windows_exe_started_with_no_arguments_explains_and_waits() {
    let w = windows();
    let mut child = w
        .command(&[])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // It waits for Enter: still running a moment later.
    thread::sleep(Duration::from_secs(3));
    assert!(
        child.try_wait().unwrap().is_none(),
        "it must wait for a key"
    );
    child.stdin.take().unwrap().write_all(b"\r\n").unwrap();
    let out = child.wait_with_output().unwrap();
    ok(&out, "no arguments");
    let err = stderr(&out);
    assert!(
        err.contains("不能双击运行") && err.contains("gongkai serve"),
        "{err}"
    );
}
