//! Publishing safety: a build either replaces `public/` whole or leaves it
//! exactly as it was — on a content error, on a failure halfway through
//! rendering, and when the process is killed. Dangerous output paths are
//! refused before anything is written. The same content always gives the
//! same bytes.

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{TestSite, bin, real_content, stderr, tree};

/// A site with `months` months of `items` items each, every cell a few
/// paragraphs long: big enough that a debug build takes a noticeable time.
fn big_site(months: u32, items: u32, word: &str) -> TestSite {
    let s = TestSite::new();
    for m in 1..=months {
        let ym = format!("{}-{:02}", 2015 + (m - 1) / 12, (m - 1) % 12 + 1);
        s.month(&ym, "");
        for i in 1..=items {
            s.item(
                &ym,
                &format!("{i:02}"),
                &format!(
                    "序号: {i}\n责任领导: 领导{}\n项目名称: 项目{i}\n责任部门: 部门{}\n",
                    i % 7,
                    i % 11
                ),
                &format!(
                    "## 本月进度情况\n\n{word}第{m}月第{i}项完成了**阶段**任务。\n\n1. 一\n2. 二\n\n## 存在问题\n\n无。\n\n## 下月安排\n\n继续{word}。\n"
                ),
            );
        }
    }
    s
}

#[test]
fn a_build_failing_halfway_through_rendering_leaves_public_untouched() {
    let site = big_site(3, 10, "甲");
    site.build();
    let before = tree::snapshot(&site.public());
    // Content changes, and a theme whose item pages fail to render: many
    // pages are written to the staging folder before the error.
    site.item(
        "2015-01",
        "01",
        "责任领导: 新\n项目名称: 新项目\n责任部门: 新部门\n",
        "",
    );
    site.write(
        "themes/broken/templates/html/item.html",
        "{% extends \"html/base.html\" %}{% block main %}{{ page.no_such_field.x }}{% endblock main %}",
    );
    let out = site.run(&["build", "--theme", "broken"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("模板出错"), "{err}");
    assert!(err.contains("templates/html/item.html"), "{err}");
    assert_eq!(tree::diff(&before, &tree::snapshot(&site.public())), None);
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
}

/// Folders a build leaves beside the output while it works (kept on purpose:
/// the spare, the output before last that the next build reuses, and the
/// record of what each page was made from).
fn staging_leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(".gongkai-")
                && !n.ends_with(".gongkai-spare")
                && !n.ends_with(".gongkai-pages")
        })
        .collect()
}

/// Builds `public/` again and a fresh copy into `fresh`: they must be equal.
fn rebuild_equals_a_fresh_build(site: &TestSite, fresh: &str) {
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = site.run(&["build", "--output", fresh]);
    assert!(out.status.success(), "{}", stderr(&out));
    let want = tree::snapshot(&site.root().join(fresh));
    assert_eq!(tree::diff(&want, &tree::snapshot(&site.public())), None);
}

/// The spare beside `public/` (the output before last).
fn spare(site: &TestSite) -> std::path::PathBuf {
    site.root().join(".public.gongkai-spare")
}

#[test]
fn whatever_the_spare_holds_the_next_build_equals_a_fresh_one() {
    let site = big_site(3, 6, "甲");
    site.build();
    site.item(
        "2015-02",
        "03",
        "序号: 3\n责任领导: 领导3\n项目名称: 项目3\n责任部门: 部门3\n",
        "## 本月进度情况\n\n改过的一句话。\n",
    );
    site.build();
    // The second build kept the first one's output as the spare.
    let spare = spare(&site);
    assert!(spare.join(".gongkai-output").is_file(), "no spare kept");
    // Damage it every way: junk, a folder where a page goes, a file where a
    // folder goes, a page's bytes changed in place (breaking no link of the
    // output's: it is written as a new file), a symlink out of the tree.
    fs::write(spare.join("junk.html"), "junk").unwrap();
    fs::create_dir_all(spare.join("junk-dir/deeper")).unwrap();
    fs::remove_file(spare.join("index.html")).unwrap();
    fs::create_dir_all(spare.join("index.html/inside")).unwrap();
    fs::remove_dir_all(spare.join("2015-01")).unwrap();
    fs::write(spare.join("2015-01"), "a file where a folder goes").unwrap();
    let item = spare.join("2015-03/01/index.html");
    fs::remove_file(&item).unwrap();
    fs::write(&item, "stale").unwrap();
    std::os::unix::fs::symlink("/etc", spare.join("2015-02/01/index.html.lnk")).unwrap();
    let output_before = tree::snapshot(&site.public());
    site.item(
        "2015-03",
        "02",
        "序号: 2\n责任领导: 领导2\n项目名称: 项目2\n责任部门: 部门2\n",
        "## 本月进度情况\n\n又改了一句。\n",
    );
    rebuild_equals_a_fresh_build(&site, "fresh");
    // And the damaged tree, now the spare again, never touched the output it replaced.
    assert_ne!(output_before, tree::snapshot(&site.public()));
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    // Deleting the spare is always safe.
    fs::remove_dir_all(&spare).unwrap();
    site.item(
        "2015-03",
        "02",
        "序号: 2\n责任领导: 领导2\n项目名称: 项目2\n责任部门: 部门2\n",
        "## 本月进度情况\n\n第三次改。\n",
    );
    rebuild_equals_a_fresh_build(&site, "fresh2");
}

#[test]
fn a_build_killed_partway_leaves_the_previous_public_exactly_as_it_was() {
    killed_partway(&[]);
}

/// The same with the portable calls only (what Windows runs): a tree synced
/// file by file and the output swapped by three renames, not one exchange.
#[test]
fn a_build_killed_partway_on_the_portable_path_leaves_public_whole() {
    killed_partway(&[("GONGKAI_PORTABLE_OS", "1")]);
}

fn killed_partway(envs: &[(&str, &str)]) {
    // Three contents: the old one, a new one where every page differs, and
    // the new one with one item edited (an incremental rebuild).
    let site = big_site(8, 30, "旧");
    site.build();
    let new_site = big_site(8, 30, "新");
    fs::rename(new_site.content(), site.root().join("content-new")).unwrap();
    let edit = big_site(8, 30, "新");
    edit.item(
        "2015-03",
        "07",
        "责任领导: 改\n项目名称: 改项目\n责任部门: 改部门\n",
        "改。\n",
    );
    fs::rename(edit.content(), site.root().join("content-edit")).unwrap();
    let variants = ["content", "content-new", "content-edit"];
    let mut complete = Vec::new();
    let mut full_time = Duration::ZERO;
    for v in variants {
        let start = Instant::now();
        let (code, err) = build_into_from(&site, v, "complete");
        assert_eq!(code, Some(0), "{err}");
        full_time = full_time.max(start.elapsed());
        complete.push(tree::snapshot(&site.root().join("complete")));
        fs::remove_dir_all(site.root().join("complete")).unwrap();
    }
    let mut current = 0; // which content `public` holds
    assert_eq!(
        tree::diff(&complete[0], &tree::snapshot(&site.public())),
        None
    );

    // Fixed moments early in the build, then random ones up to past its end.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = crate::preview_incremental::Rng(seed | 1);
    let mut fractions = vec![0.02, 0.05, 0.1, 0.2, 0.3, 0.45];
    fractions.extend((0..6).map(|_| 0.3 + (rng.below(900) as f64) / 1000.0));
    let (mut killed_mid_build, mut killed_while_writing) = (0, 0);
    for (i, fraction) in fractions.iter().enumerate() {
        let target = (current + 1 + i % 2) % 3;
        let before = tree::snapshot(&site.public());
        let delay = full_time.mul_f64(*fraction);
        let mut child = bin()
            .args(["build", "--content", variants[target]])
            .envs(envs.iter().copied())
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL: no destructor, no cleanup runs.
        child.wait().unwrap();
        let now = tree::snapshot(&site.public());
        if running {
            killed_mid_build += 1;
            // SIGKILL leaves the staging folder: proof the kill hit the writing.
            if !staging_leftovers(site.root()).is_empty() {
                killed_while_writing += 1;
            }
        }
        // Killed after the swap, before the old tree was removed: the new one is whole.
        if now == complete[target] {
            current = target;
        } else if let Some(d) = tree::diff(&before, &now) {
            panic!(
                "seed {seed}: killed after {delay:?} ({fraction} of a build, running: {running}), public/ is neither the old nor the new tree:\n{d}"
            );
        }
    }
    assert!(
        killed_mid_build >= 4,
        "only {killed_mid_build} of {} kills landed during a build of {full_time:?}",
        fractions.len()
    );
    assert!(
        killed_while_writing >= 2,
        "only {killed_while_writing} kills landed while files were being written"
    );
    // The next build clears what the killed ones left and publishes whole.
    let (code, err) = build_into_from(&site, "content-new", "public");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    assert_eq!(
        tree::diff(&complete[1], &tree::snapshot(&site.public())),
        None
    );
    assert_manifest_matches(&site.public());
}

/// Runs `gongkai build --output OUT` in `site`'s root and returns (exit code, stderr).
fn build_into(site: &TestSite, out: &str, envs: &[(&str, &str)]) -> (Option<i32>, String) {
    let o = bin()
        .args(["build", "--output", out])
        .current_dir(site.root())
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    (o.status.code(), stderr(&o))
}

#[test]
fn dangerous_output_paths_are_refused() {
    let site = big_site(1, 2, "甲");
    let root = site.root();
    let home = root.join("home");
    fs::create_dir_all(home.join("文档")).unwrap();
    fs::create_dir_all(root.join("repo/.git")).unwrap();
    fs::write(root.join("repo/README.md"), "mine").unwrap();
    fs::create_dir_all(root.join("themes/mine/templates")).unwrap();
    fs::create_dir_all(root.join("notes")).unwrap();
    fs::write(root.join("notes/要紧.txt"), "do not lose").unwrap();
    fs::write(root.join("a-file"), "x").unwrap();
    let home_s = home.to_str().unwrap();
    let cases: &[(&str, &str)] = &[
        ("/", "根目录"),
        (home_s, "用户主目录"),
        ("repo", "代码仓库"),
        (".", "重叠"),
        ("content", "重叠"),
        ("content/2015-01", "重叠"),
        ("themes/mine", "重叠"),
        ("themes", "重叠"),
        ("notes", "不是空的，也不像是 gongkai 以前的输出"),
        ("a-file", "这是一个文件"),
    ];
    let before = tree::snapshot(root);
    for (out, why) in cases {
        let (code, err) = build_into(&site, out, &[("HOME", home_s)]);
        assert_eq!(code, Some(2), "--output {out}: {err}");
        assert!(err.contains("拒绝写入输出目录"), "--output {out}: {err}");
        assert!(
            err.contains(why),
            "--output {out}: expected “{why}” in {err}"
        );
        assert!(
            err.contains("--output"),
            "--output {out}: no advice in {err}"
        );
    }
    // Nothing was written anywhere, not even a staging folder.
    assert_eq!(tree::diff(&before, &tree::snapshot(root)), None);

    // What is allowed: a new folder, an empty one, and a previous output.
    fs::create_dir(root.join("empty")).unwrap();
    for out in ["public", "empty", "deep/new/site", "public"] {
        let (code, err) = build_into(&site, out, &[]);
        assert_eq!(code, Some(0), "--output {out}: {err}");
        assert!(root.join(out).join(".gongkai-output").is_file());
    }
}

#[test]
fn usage_errors_exit_with_2() {
    let site = big_site(1, 1, "甲");
    for args in [
        vec!["build", "--content", "no-such-folder"],
        vec!["check", "--theme", "no-such-theme"],
        vec!["build", "--base-url", "example.gov.cn"],
        vec!["build", "--no-such-flag"],
    ] {
        let out = site.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
}

#[test]
fn check_writes_nothing() {
    let site = big_site(2, 3, "甲");
    let before = tree::snapshot(site.root());
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("检查通过"));
    assert_eq!(tree::diff(&before, &tree::snapshot(site.root())), None);
}

#[test]
fn two_builds_of_the_same_content_are_byte_identical() {
    // The real July 2020 report plus a generated archive, built twice with
    // different thread counts, into different folders, at different times.
    let site = big_site(4, 12, "甲");
    fs::create_dir_all(site.content().join("2020-07")).unwrap();
    for e in fs::read_dir(real_content().join("2020-07")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), site.content().join("2020-07").join(e.file_name())).unwrap();
    }
    let (code, err) = build_into(&site, "one", &[("RAYON_NUM_THREADS", "1"), ("TZ", "UTC")]);
    assert_eq!(code, Some(0), "{err}");
    std::thread::sleep(Duration::from_millis(1100));
    let (code, err) = build_into(
        &site,
        "two",
        &[("RAYON_NUM_THREADS", "8"), ("TZ", "Asia/Shanghai")],
    );
    assert_eq!(code, Some(0), "{err}");
    let one = tree::snapshot(&site.root().join("one"));
    let two = tree::snapshot(&site.root().join("two"));
    assert!(one.len() > 300, "only {} files", one.len());
    assert_eq!(tree::diff(&one, &two), None);
    // And rebuilding over a previous output gives the same bytes again.
    let (code, err) = build_into(&site, "one", &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        tree::diff(&one, &tree::snapshot(&site.root().join("one"))),
        None
    );
}

#[test]
fn an_output_caught_mid_swap_is_restored_by_the_next_build() {
    // Where renameat2 exchange is unsupported, the swap is two renames; a
    // build killed between them leaves the previous output moved aside.
    let site = big_site(1, 3, "甲");
    site.build();
    let before = tree::snapshot(&site.public());
    fs::rename(
        site.public(),
        site.root().join(".public.gongkai-new-999-previous"),
    )
    .unwrap();
    fs::create_dir_all(site.root().join(".public.gongkai-new-999/2015-01")).unwrap();
    // The next build (here one that fails while rendering) first puts it back.
    site.write(
        "themes/broken/templates/html/item.html",
        "{% extends \"html/base.html\" %}{% block main %}{{ page.no_such_field.x }}{% endblock main %}",
    );
    let out = site.run(&["build", "--theme", "broken"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(tree::diff(&before, &tree::snapshot(&site.public())), None);
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
}

/// Inode and modification time of every file under `root`.
fn identities(root: &Path) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            let rel = e.path().strip_prefix(root).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                (m.ino(), m.modified().unwrap()),
            )
        })
        .collect()
}

/// The `--changes` lines two snapshots of an output imply, in path order.
fn expected_changes(
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    after: &std::collections::BTreeMap<String, Vec<u8>>,
) -> String {
    let mut lines = std::collections::BTreeMap::new();
    for (k, v) in after.iter().filter(|(k, _)| !k.ends_with('/')) {
        match before.get(k) {
            None => lines.insert(k.clone(), 'A'),
            Some(w) if w != v => lines.insert(k.clone(), 'M'),
            _ => None,
        };
    }
    for k in before
        .keys()
        .filter(|k| !k.ends_with('/') && !after.contains_key(*k))
    {
        lines.insert(k.clone(), 'D');
    }
    lines.iter().map(|(k, c)| format!("{c} {k}\n")).collect()
}

/// `.gongkai-manifest` lists every other file with its size and SHA-256.
fn assert_manifest_matches(root: &Path) {
    let manifest = fs::read_to_string(root.join(gongkai::internals::MANIFEST)).unwrap();
    let listed: Vec<(String, u64, String)> = manifest
        .lines()
        .map(|l| {
            let mut p = l.splitn(3, ' ');
            let (h, s, path) = (p.next().unwrap(), p.next().unwrap(), p.next().unwrap());
            (path.to_owned(), s.parse().unwrap(), h.to_owned())
        })
        .collect();
    let files: Vec<String> = tree::snapshot(root)
        .into_keys()
        .filter(|k| !k.ends_with('/') && k != gongkai::internals::MANIFEST)
        .collect();
    assert_eq!(
        listed.iter().map(|l| l.0.clone()).collect::<Vec<_>>(),
        files
    );
    for (path, size, hash) in listed.iter().step_by(7) {
        // Checked against the system's sha256sum, not the code under test.
        let out = std::process::Command::new("sha256sum")
            .arg(root.join(path))
            .output()
            .unwrap();
        let sum = String::from_utf8(out.stdout).unwrap();
        assert_eq!(sum.split(' ').next().unwrap(), hash, "{path}");
        assert_eq!(
            fs::metadata(root.join(path)).unwrap().len(),
            *size,
            "{path}"
        );
    }
}

#[test]
fn a_one_item_edit_rewrites_only_the_files_that_show_it() {
    let site = big_site(3, 10, "甲");
    site.build();
    let before = tree::snapshot(&site.public());
    let ids = identities(&site.public());
    assert_manifest_matches(&site.public());
    site.item(
        "2015-02",
        "03",
        "序号: 3\n责任领导: 领导3\n项目名称: 项目3\n责任部门: 部门3\n",
        "## 本月进度情况\n\n改过的一句话。\n",
    );
    let out = site.run(&["build", "--changes", "changes.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = tree::snapshot(&site.public());
    let now = identities(&site.public());
    let mut changed = Vec::new();
    for (path, bytes) in after.iter().filter(|(k, _)| !k.ends_with('/')) {
        if before.get(path) == Some(bytes) {
            assert_eq!(
                now[path], ids[path],
                "{path}: same bytes, new inode or mtime"
            );
        } else {
            assert_ne!(now[path].0, ids[path].0, "{path}");
            changed.push(path.clone());
        }
    }
    let slug = |s: &str| gongkai::internals::slugify(s);
    let mut expected: Vec<String> = ["", "print/", "m/"]
        .iter()
        .flat_map(|v| {
            [
                format!("{v}2015-02/03/index.html"),
                format!("{v}2015-02/index.html"),
                // The edit leaves the item without its 存在问题.
                format!("{v}2015-02/problems/index.html"),
                format!("{v}projects/{}/index.html", slug("项目3")),
                format!("{v}departments/{}/index.html", slug("部门3")),
                format!("{v}leaders/{}/index.html", slug("领导3")),
                // Its strip on the project index loses the month's problem mark.
                format!("{v}projects/index.html"),
            ]
        })
        .chain([".gongkai-manifest", "2015-02/data.csv", "2015-02/data.json"].map(String::from))
        .collect();
    // The search index: the shards holding the item's old and new words.
    expected.extend(changed.iter().filter(|p| p.starts_with("search/")).cloned());
    expected.sort();
    assert!(
        changed.iter().any(|p| p.starts_with("search/")),
        "{changed:?}"
    );
    assert_eq!(changed, expected);
    let changes = fs::read_to_string(site.root().join("changes.txt")).unwrap();
    assert_eq!(changes, expected_changes(&before, &after));
    assert_manifest_matches(&site.public());

    // Nothing changed: nothing is touched, not even the folder.
    use std::os::unix::fs::MetadataExt;
    let folder = fs::metadata(site.public()).unwrap().ino();
    let out = site.run(&["build", "--changes", "changes.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(site.root().join("changes.txt")).unwrap(),
        ""
    );
    assert_eq!(fs::metadata(site.public()).unwrap().ino(), folder);
    assert_eq!(identities(&site.public()), now);

    // --clean rewrites every file, to the same bytes.
    let out = site.run(&["build", "--clean", "--changes", "changes.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let clean = identities(&site.public());
    assert!(clean.iter().all(|(k, v)| v.0 != now[k].0));
    assert_eq!(tree::diff(&after, &tree::snapshot(&site.public())), None);
    let all_modified: String = after
        .keys()
        .filter(|k| !k.ends_with('/'))
        .map(|k| format!("M {k}\n"))
        .collect();
    assert_eq!(
        fs::read_to_string(site.root().join("changes.txt")).unwrap(),
        all_modified
    );
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn changes_lists_added_and_deleted_files() {
    let site = big_site(2, 4, "甲");
    site.build();
    let before = tree::snapshot(&site.public());
    fs::remove_file(site.content().join("2015-01/02.md")).unwrap();
    site.month("2016-05", "");
    site.item(
        "2016-05",
        "01",
        "责任领导: 新领导\n项目名称: 新项目\n责任部门: 新部门\n",
        "新的。\n",
    );
    let out = site.run(&["build", "--changes", "changes.txt", "--allow-removals"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = tree::snapshot(&site.public());
    let changes = fs::read_to_string(site.root().join("changes.txt")).unwrap();
    assert_eq!(changes, expected_changes(&before, &after));
    for line in [
        "D 2015-01/02/index.html",
        "D m/2015-01/02/index.html",
        "A 2016-05/01/index.html",
        "A print/2016-05/index.html",
        "M index.html",
    ] {
        assert!(
            changes.lines().any(|l| l == line),
            "no “{line}” in\n{changes}"
        );
    }
    let paths: Vec<&str> = changes.lines().map(|l| &l[2..]).collect();
    assert!(
        paths.windows(2).all(|w| w[0] < w[1]),
        "not sorted:\n{changes}"
    );
}

/// Holds the lock of `public` the way a running build does.
fn hold_lock(site: &TestSite) -> fs::File {
    use std::os::unix::io::AsRawFd;
    let f = fs::File::create(site.root().join(".public.gongkai.lock")).unwrap();
    // SAFETY: an open descriptor.
    assert_eq!(unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) }, 0);
    f
}

#[test]
fn a_second_build_of_one_output_waits_and_leaves_the_first_builds_staging_alone() {
    let site = big_site(2, 3, "甲");
    site.build();
    let lock = hold_lock(&site);
    // What a running build has written so far.
    site.write(".public.gongkai-new-4242/2015-01/index.html", "half");
    let mut child = bin()
        .arg("build")
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in std::io::BufRead::lines(std::io::BufReader::new(err)) {
            let line = line.unwrap();
            let _ = tx.send(line.clone());
            all += &line;
            all += "\n";
        }
        all
    });
    // The build reaches the lock once the content is loaded, and says it waits.
    let said = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the build said nothing");
    assert!(said.contains("另一个 gongkai build 正在写入"), "{said}");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build did not wait"
    );
    assert_eq!(
        fs::read_to_string(
            site.root()
                .join(".public.gongkai-new-4242/2015-01/index.html")
        )
        .unwrap(),
        "half"
    );
    drop(lock);
    assert!(child.wait().unwrap().success());
    let err = reader.join().unwrap();
    assert!(err.contains("已生成"), "{err}");
    // Once the lock is free, whoever left a staging folder is gone: it is removed.
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn two_builds_at_once_never_mix() {
    let site = big_site(6, 20, "甲");
    let other = big_site(6, 20, "乙");
    fs::rename(other.content(), site.root().join("content-b")).unwrap();
    for (content, out) in [("content", "a"), ("content-b", "b")] {
        let (code, err) = build_into_from(&site, content, out);
        assert_eq!(code, Some(0), "{err}");
    }
    let a = tree::snapshot(&site.root().join("a"));
    let b = tree::snapshot(&site.root().join("b"));
    let mut waited = 0;
    for round in 0..3 {
        let spawn = |content: &str| {
            bin()
                .args(["build", "--content", content])
                .current_dir(site.root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (one, two) = (spawn("content"), spawn("content-b"));
        let (one, two) = (
            one.wait_with_output().unwrap(),
            two.wait_with_output().unwrap(),
        );
        assert!(
            one.status.success() && two.status.success(),
            "{}{}",
            stderr(&one),
            stderr(&two)
        );
        waited += [&one, &two]
            .iter()
            .filter(|o| stderr(o).contains("另一个 gongkai build 正在写入"))
            .count();
        let now = tree::snapshot(&site.public());
        assert!(now == a || now == b, "round {round}: a mixed tree");
        assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
        assert_manifest_matches(&site.public());
    }
    // Builds of seconds started together: at least once one of them waited.
    assert!(waited >= 1, "the builds never overlapped");
}

fn build_into_from(site: &TestSite, content: &str, out: &str) -> (Option<i32>, String) {
    let o = bin()
        .args(["build", "--content", content, "--output", out])
        .current_dir(site.root())
        .output()
        .unwrap();
    (o.status.code(), stderr(&o))
}

/// Every file and folder of an output.
fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree::snapshot(dir)
}

fn replay_builds(seed: u64, steps: usize) {
    use crate::preview_incremental::{Rng, Touched, World, random_step, seed_site};
    let mut rng = Rng(seed);
    let mut world = World {
        site: TestSite::new(),
        touched: Touched::default(),
    };
    seed_site(&mut world, &mut rng);
    let root = world.site.root().to_path_buf();
    let mut opts = gongkai::BuildOptions {
        content: world.site.content(),
        output: root.join("public"),
        themes_dir: Some(root.join("themes")),
        // The random steps delete and rename items and months on purpose.
        allow_removals: true,
        ..gongkai::BuildOptions::default()
    };
    gongkai::build(&opts).expect("the seed site builds");
    let mut public = files_of(&opts.output);
    let (mut log, mut broken, mut good) = (Vec::new(), None, 0);
    // Pages the incremental builds rendered, of the pages they built.
    let (mut rendered, mut built) = (0, 0);
    for step in 0..steps {
        let mut what = random_step(&mut world, &mut rng, &mut broken);
        world.touched.0.clear();
        if rng.chance(10) {
            opts.drafts = !opts.drafts;
            what += &format!(", drafts {}", opts.drafts);
        }
        log.push(format!("{step}: {what}"));
        let incremental = gongkai::build(&opts);
        let fresh_opts = gongkai::BuildOptions {
            output: root.join(format!("fresh-{step}")),
            ..opts.clone()
        };
        let fresh = gongkai::build(&fresh_opts);
        match (incremental, fresh) {
            (Ok(report), Ok(_)) => {
                good += 1;
                rendered += report.rendered;
                built += report.pages;
                let now = files_of(&opts.output);
                let want = files_of(&fresh_opts.output);
                if let Some(d) = tree::diff(&want, &now) {
                    panic!(
                        "step {step}: incremental ≠ fresh:\n{d}\nsteps:\n{}",
                        log.join("\n")
                    );
                }
                let listed: String = report
                    .changes
                    .iter()
                    .map(|(c, p)| format!("{} {p}\n", c.letter()))
                    .collect();
                assert_eq!(listed, expected_changes(&public, &now), "step {step}");
                public = now;
                fs::remove_dir_all(&fresh_opts.output).unwrap();
            }
            (Err(_), Err(_)) => {
                assert_eq!(
                    tree::diff(&public, &files_of(&opts.output)),
                    None,
                    "step {step}"
                );
            }
            (a, b) => panic!(
                "step {step}: incremental {:?}, fresh {:?}\nsteps:\n{}",
                a.map(|_| ()),
                b.map(|_| ()),
                log.join("\n")
            ),
        }
    }
    assert!(good > steps / 2, "{good} good steps of {steps}");
    // The incremental builds kept most pages unrendered, and still equalled fresh builds.
    assert!(
        rendered * 2 < built,
        "rendered {rendered} of {built} pages: the record kept too few"
    );
    assert_manifest_matches(&opts.output);
    assert_eq!(staging_leftovers(&root), Vec::<String>::new());
}

#[test]
fn random_edits_rebuilt_incrementally_match_fresh_builds() {
    replay_builds(0x51f1_5eed_0bad_cafe, 300);
}

#[test]
fn pages_kept_unrendered_are_only_those_the_output_still_holds_as_written() {
    let site = big_site(2, 4, "甲");
    site.build();
    site.build();
    // Someone edits a page of the output by hand, keeping its size, and
    // replaces another with a new file: the record no longer describes them.
    let page = site.public().join("2015-01/index.html");
    let mut bytes = fs::read(&page).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    fs::write(&page, &bytes).unwrap();
    let other = site.public().join("2015-02/index.html");
    fs::remove_file(&other).unwrap();
    fs::write(&other, "replaced").unwrap();
    // A lost or garbled record only means rendering everything.
    let record = site.root().join(".public.gongkai-pages");
    assert!(record.is_file(), "the build keeps a record of its pages");
    rebuild_equals_a_fresh_build(&site, "fresh");
    fs::write(&record, "global 0\ngarbage").unwrap();
    site.item(
        "2015-02",
        "01",
        "序号: 1\n责任领导: 领导1\n项目名称: 项目1\n责任部门: 部门1\n",
        "## 本月进度情况\n\n改了。\n",
    );
    rebuild_equals_a_fresh_build(&site, "fresh2");
}

#[test]
fn a_build_that_would_take_down_published_pages_stops_unless_told() {
    let site = big_site(3, 12, "甲");
    site.build();
    let before = tree::snapshot(&site.public());
    // A month folder gone, most items of another, one item made a draft.
    fs::remove_dir_all(site.content().join("2015-02")).unwrap();
    for i in 1..=10 {
        fs::remove_file(site.content().join(format!("2015-01/{i:02}.md"))).unwrap();
    }
    site.item(
        "2015-03",
        "01",
        "序号: 1\n责任领导: 领导1\n项目名称: 项目1\n责任部门: 部门1\n草稿: true\n",
        "## 本月进度情况\n\n还没定。\n",
    );
    // `check` says so first, as a warning: it publishes nothing.
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: 生成时会删除上次已发布（public）的 24 个页面"),
        "{err}"
    );
    assert!(
        err.contains("2015-01/01/index.html（2015年1月的条目 01）"),
        "{err}"
    );
    assert_eq!(site.run(&["check", "--strict"]).status.code(), Some(1));
    for args in [&["build"][..], &["build", "--clean"]] {
        let out = site.run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        // 1 month report and 12 items of 2015-02, 10 items of 2015-01, 1 draft.
        assert!(
            err.contains("这次生成会删除上次已发布的 24 个页面"),
            "{err}"
        );
        // The first ten in path order, then how many more.
        assert!(
            err.contains("2015-01/01/index.html（2015年1月的条目 01）"),
            "{err}"
        );
        assert!(err.contains("2015-01/10/index.html"), "{err}");
        assert!(!err.contains("2015-02/index.html"), "{err}");
        assert!(err.contains("另有 14 个"), "{err}");
        assert!(err.contains("--> public"), "{err}");
        for words in ["有效性", "废止", "--allow-removals"] {
            assert!(err.contains(words), "{words}: {err}");
        }
        assert_eq!(tree::diff(&before, &tree::snapshot(&site.public())), None);
        assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    }
    let out = site.run(&["build", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--allow-removals") && help.contains("允许删除上次已发布的页面"),
        "{help}"
    );

    // Told: the pages go; the next build has nothing more to take down.
    let out = site.run(&["build", "--allow-removals"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.public().join("2015-02/index.html").exists());
    assert!(!site.public().join("2015-03/01/index.html").exists());
    assert!(site.public().join("2015-03/02/index.html").exists());
    site.build();
    let out = site.run(&["check"]);
    assert!(!stderr(&out).contains("生成时会删除"), "{}", stderr(&out));

    // Retiring a document is the normal way: its pages stay, with the notice.
    site.month("2015-03", "有效性: 废止\n");
    site.build();
    assert!(site.public().join("2015-03/index.html").exists());
    let notice = crate::common::texts(&site.page("2015-03/index.html"), "body").concat();
    assert!(notice.contains("废止"), "{notice}");
}
