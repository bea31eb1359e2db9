//! Shared helpers for integration tests: build small sites in temporary
//! folders, run the real binary on them, read the HTML back with a parser.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use scraper::{Html, Selector};

#[cfg(unix)] // for the browser and archive modules only
pub mod archive;
#[cfg(unix)]
pub mod search;
#[cfg(unix)] // for the browser module only
pub mod static_server;
pub mod tree;

/// The real `gongkai` binary built by cargo for this test run.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

/// A content folder in a temporary directory, plus where output goes.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site with a `site.yaml` naming a base URL.
    pub fn new() -> TestSite {
        let s = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        s.write(
            "content/site.yaml",
            "title: 测试公开网站\npublisher: 测试管委会\nbase_url: https://example.gov.cn/gk/\n",
        );
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn content(&self) -> PathBuf {
        self.root().join("content")
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file under the site's root, creating folders.
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// A month `_index.md` with the given extra front matter lines.
    pub fn month(&self, ym: &str, extra: &str) {
        self.write(
            &format!("content/{ym}/_index.md"),
            &format!("---\nissued: {ym}-27\n{extra}---\n"),
        );
    }

    /// An item file with the given front matter lines and body.
    pub fn item(&self, ym: &str, stem: &str, front: &str, body: &str) {
        self.write(
            &format!("content/{ym}/{stem}.md"),
            &format!("---\n{front}---\n{body}"),
        );
    }

    /// Runs `gongkai ARGS` in the site's root.
    pub fn run(&self, args: &[&str]) -> Output {
        bin()
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run gongkai")
    }

    /// Runs `gongkai build` and asserts it succeeded.
    pub fn build(&self) -> Output {
        let out = self.run(&["build"]);
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Reads and parses an output page, e.g. `2020-07/index.html`.
    pub fn page(&self, rel: &str) -> Html {
        Html::parse_document(
            &fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
        )
    }
}

/// Text of every element matching `css`, whitespace-trimmed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// Values of `attr` of every element matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Builds the real content into a fresh temporary folder; returns the folder
/// (keep it alive) and the output path inside it.
pub fn build_real() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let res = bin()
        .args(["build", "--content"])
        .arg(real_content())
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run gongkai");
    assert!(res.status.success(), "{}", stderr(&res));
    (dir, out)
}

/// The real content built once for the whole test run: the output folder,
/// shared by every test that only reads it (none may write there; a test that
/// changes or rebuilds the output takes its own [`build_real`]). The folder is
/// left in the temp dir at exit, as statics are never dropped.
pub fn real_public() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE.get_or_init(build_real).1
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The repository's real content folder.
pub fn real_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// Loads a content folder, failing the test with the diagnostics.
pub(crate) fn load(dir: &Path) -> gongkai::internals::Content {
    use gongkai::internals::{LoadOptions, load_content};
    match load_content(dir, LoadOptions::default()) {
        Ok((c, _)) => c,
        Err(e) => panic!("load failed:\n{e}"),
    }
}

/// Every field of every item of `got` equals the same item of `want`, in order:
/// what an import round trip must give back.
pub(crate) fn assert_same_items(
    want: &[gongkai::internals::Item],
    got: &[gongkai::internals::Item],
) {
    assert_eq!(got.len(), want.len());
    for (x, y) in want.iter().zip(got) {
        assert_eq!(y.stem, x.stem);
        assert_eq!(y.number, x.number, "{}", x.stem);
        assert_eq!(y.leaders, x.leaders, "{}", x.stem);
        assert_eq!(y.project, x.project, "{}", x.stem);
        assert_eq!(y.department, x.department, "{}", x.stem);
        assert_eq!(y.key, x.key, "{}", x.stem);
        assert_eq!(y.draft, x.draft, "{}", x.stem);
        assert_eq!(y.progress, x.progress, "{} progress", x.stem);
        assert_eq!(y.problems, x.problems, "{} problems", x.stem);
        assert_eq!(y.plan, x.plan, "{} plan", x.stem);
    }
}
