//! `gongkai upload` (issue 30): everything to send since the last upload
//! marked done, however many builds came between — as a list and as a zip.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;

use crate::common::{TestSite, stderr};

fn site() -> TestSite {
    let site = TestSite::new();
    site.month("2020-07", "");
    for (stem, project) in [("01", "东湖绿道"), ("02", "扫黑除恶"), ("03", "还建房")] {
        site.item(
            "2020-07",
            stem,
            &format!(
                "number: {}\nleaders: 章平\nproject: {project}\ndepartment: 纪工委\n",
                &stem[1..]
            ),
            &format!("## 本月进度情况\n\n{project}推进。\n"),
        );
    }
    site
}

fn lines(text: &str) -> BTreeSet<String> {
    text.lines().map(str::to_owned).collect()
}

fn ok(out: &std::process::Output) {
    assert!(out.status.success(), "{}", stderr(out));
}

#[test]
fn three_builds_between_uploads_send_everything_since_the_last() {
    let site = site();
    ok(&site.build());
    // Never marked: everything is to send.
    let first = site.run(&["upload"]);
    ok(&first);
    assert!(
        stderr(&first).contains("还没有标记过上传"),
        "{}",
        stderr(&first)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("A 2020-07/01/index.html"));
    ok(&site.run(&["upload", "--done"]));
    ok(&site.run(&["upload", "--list", "none.txt"]));
    assert_eq!(
        fs::read_to_string(site.root().join("none.txt")).unwrap(),
        ""
    );

    // Three builds: an edit, another edit, an item removed.
    site.item(
        "2020-07",
        "01",
        "number: 1\nleaders: 章平\nproject: 东湖绿道\ndepartment: 纪工委\n",
        "## 本月进度情况\n\n绿道二期完工。\n",
    );
    ok(&site.build());
    site.item(
        "2020-07",
        "02",
        "number: 2\nleaders: 章平\nproject: 扫黑除恶\ndepartment: 纪工委\n",
        "## 本月进度情况\n\n扫黑收官。\n",
    );
    ok(&site.build());
    fs::remove_file(site.content().join("2020-07/03.md")).unwrap();
    ok(&site.run(&["build", "--allow-removals", "--changes", "last.txt"]));
    let last = lines(&fs::read_to_string(site.root().join("last.txt")).unwrap());
    // The last build alone knows nothing of the first edit …
    assert!(!last.contains("M 2020-07/01/index.html"));

    let out = site.run(&["upload", "--list", "send.txt", "--zip", "send.zip"]);
    ok(&out);
    let send = lines(&fs::read_to_string(site.root().join("send.txt")).unwrap());
    // … the upload list has all three builds' changes.
    for l in [
        "M 2020-07/01/index.html",
        "M 2020-07/02/index.html",
        "D 2020-07/03/index.html",
        "M .gongkai-manifest",
    ] {
        assert!(send.contains(l), "{l} in {send:?}");
    }
    assert!(last.is_subset(&send), "{last:?} ⊄ {send:?}");

    // The zip holds every A and M file as the output has it, and the deletions.
    let mut zip =
        zip::ZipArchive::new(fs::File::open(site.root().join("send.zip")).unwrap()).unwrap();
    let mut names = BTreeSet::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == gongkai::upload::DELETIONS {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("2020-07/03/index.html"), "{text}");
        } else {
            assert_eq!(
                bytes,
                fs::read(site.public().join(&name)).unwrap(),
                "{name}"
            );
        }
        names.insert(name);
    }
    let sent: BTreeSet<String> = send
        .iter()
        .filter(|l| !l.starts_with("D "))
        .map(|l| l[2..].to_owned())
        .collect();
    let zipped: BTreeSet<String> = names
        .iter()
        .filter(|n| *n != gongkai::upload::DELETIONS)
        .cloned()
        .collect();
    assert_eq!(zipped, sent);

    // Marked done: nothing left to send, and a build that changes nothing keeps it so.
    ok(&site.run(&["upload", "--done"]));
    ok(&site.build());
    let after = site.run(&["upload"]);
    ok(&after);
    assert_eq!(String::from_utf8_lossy(&after.stdout), "");
}

#[test]
fn an_output_gongkai_did_not_write_is_refused() {
    let site = site();
    fs::create_dir_all(site.public()).unwrap();
    let out = site.run(&["upload"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("请先运行 gongkai build"),
        "{}",
        stderr(&out)
    );
}
