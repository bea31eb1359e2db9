//! Every page of every view is valid HTML (SPEC §4): the W3C Nu HTML Checker
//! (vnu-jar from tests/browser/, on Debian's Java) reports no error on the real
//! content nor on a multi-month fixture that uses every feature a page can show.
//! The checker starts a JVM, which is slow, so it runs once over one folder
//! holding every built site. In CI (`CI=true`) a missing java or vnu.jar fails;
//! elsewhere the test says loudly that it was skipped.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{TestSite, bin, real_content, stderr};

/// The checker's jar, installed by `npm ci --prefix tests/browser` (.ci/run).
fn vnu_jar() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar")
}

/// Says loudly that the check could not run here; in CI, fails instead.
fn skip(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true: the Nu HTML Checker must run, but {why}");
    }
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    let _ = writeln!(
        std::io::stderr(),
        "\n******** SKIPPED: Nu HTML Checker: {why} (install it as .ci/run does) ********\n"
    );
}

/// Three months using what pages can show: merged cells over several rows, rows
/// without 序号, several leaders, a draft (built with `--drafts`), lists, tables
/// and links in cells, attachments, a change history, a repealed month replaced
/// by a later one, empty sections, and a project that stops and one that starts.
fn fixture() -> TestSite {
    let s = TestSite::new();
    s.month(
        "2020-06",
        "doc_number: 测管〔2020〕6号\nvalidity: 废止\nvalidity_changed: 2020-08-01\nsuperseded_by: 2020-08\n\
         index_number: 011043/2020-00006\ntopic: 综合政务\nsource: 办公室\nattachments:\n  - title: 附表\n    file: table.pdf\n\
         changes:\n  - date: 2020-07-01\n    note: 更正第2项的责任部门\n",
    );
    s.write("content/2020-06/table.pdf", "%PDF-1.4\n");
    s.month("2020-07", "doc_number: 无\n");
    s.month("2020-08", "title: 八月的报告\n");
    let items: [(&str, &str, &str); 5] = [
        (
            "01",
            "number: 1\nleaders: [张三, 李四]\nproject: 绿道建设\ndepartment: 建设局\nkey: lvdao\n",
            "## 本月进度情况\n\n1. 完成设计\n2. 开始施工，详见[安全生产](10.md)\n\n## 存在问题\n\n| 项 | 数 |\n|---|---|\n| 资金 | 5 |\n\n## 下月安排\n\n> 继续推进\n",
        ),
        (
            "02",
            "number: 2\nleaders: [张三, 李四]\nproject: 污水管网\ndepartment: 建设局\n",
            "## 本月进度情况\n\n- 一\n- 二\n\n## 下月安排\n\n=HYPERLINK(\"x\")\n",
        ),
        (
            "02a",
            "leaders: 王五\nproject: 无序号的一项\ndepartment: 信访办牵头,综治办配合\n",
            "## 存在问题\n\n**无**\n",
        ),
        (
            "03",
            "number: 3\nleaders: 王五\nproject: 草稿中的一项\ndepartment: 信访办牵头,综治办配合\ndraft: true\n",
            "",
        ),
        (
            "10",
            "number: 10\nleaders: 赵六\nproject: 安全生产\ndepartment: 办公室\n",
            "## 本月进度情况\n\n检查 `3` 次，<b>整改</b> 完毕。<script>alert(1)</script>\n",
        ),
    ];
    for (n, month) in ["2020-06", "2020-07", "2020-08"].iter().enumerate() {
        // Each month drops one project and keeps the rest, so "new" and "stopped" both show.
        for (i, (stem, front, body)) in items.iter().enumerate() {
            if i != n + 1 {
                s.item(month, stem, front, body);
            }
        }
    }
    s
}

/// Builds `content` with `args` into `out`.
fn build(content: &Path, out: &Path, args: &[&str]) {
    let res = bin()
        .arg("build")
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(out)
        .args(args)
        .output()
        .expect("run gongkai");
    assert!(res.status.success(), "{}", stderr(&res));
}

#[test]
fn the_nu_checker_finds_no_error_on_any_page_of_any_view() {
    let jar = vnu_jar();
    if !jar.is_file() {
        return skip(&format!(
            "{} is missing (npm ci --prefix tests/browser)",
            jar.display()
        ));
    }
    if Command::new("java").arg("-version").output().is_err() {
        return skip("java is not installed (apt-get install -y default-jre-headless)");
    }
    let sites = tempfile::tempdir().expect("temp dir");
    let fixture = fixture();
    build(&real_content(), &sites.path().join("real"), &[]);
    build(
        &fixture.content(),
        &sites.path().join("fixture"),
        &["--drafts"],
    );
    let pages = walk(sites.path())
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    // Every view of both sites: the real month has 30-odd items, the fixture three months.
    assert!(pages > 300, "only {pages} pages were built");

    let res = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(sites.path())
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&res.stderr).replace(&*sites.path().to_string_lossy(), "");
    assert!(
        res.status.success() && report.trim().is_empty(),
        "the Nu HTML Checker found {} errors in {pages} pages (exit {:?}):\n{report}",
        report.lines().count(),
        res.status.code()
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
