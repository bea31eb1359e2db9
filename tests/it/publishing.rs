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

/// Folders a build leaves beside the output while it works.
fn staging_leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".gongkai-"))
        .collect()
}

#[test]
fn a_build_killed_partway_leaves_the_previous_public_exactly_as_it_was() {
    let site = big_site(8, 30, "旧");
    site.build();
    let old = tree::snapshot(&site.public());
    // New content, so a half-published build would show.
    let new_site = big_site(8, 30, "新");
    fs::remove_dir_all(site.content()).unwrap();
    fs::rename(new_site.content(), site.content()).unwrap();

    let start = Instant::now();
    let full = site.run(&["build", "--output", "complete"]);
    assert!(full.status.success(), "{}", stderr(&full));
    let full_time = start.elapsed();
    let complete = tree::snapshot(&site.root().join("complete"));
    fs::remove_dir_all(site.root().join("complete")).unwrap();

    let mut killed_mid_build = 0;
    let mut killed_while_writing = 0;
    for fraction in [0.02, 0.05, 0.1, 0.2, 0.3, 0.45] {
        let before = tree::snapshot(&site.public());
        let delay = full_time.mul_f64(fraction);
        let mut child = bin()
            .arg("build")
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
            if let Some(d) = tree::diff(&before, &now) {
                panic!("killed after {delay:?} ({fraction} of a build), public/ changed:\n{d}");
            }
        } else if let Some(d) = tree::diff(&complete, &now) {
            // It finished first (a busy machine): then it published whole.
            panic!("a finished build published a partial tree:\n{d}");
        }
    }
    assert!(
        killed_mid_build >= 4,
        "only {killed_mid_build} of 6 kills landed during a build of {full_time:?}"
    );
    assert!(
        killed_while_writing >= 2,
        "only {killed_while_writing} kills landed while files were being written"
    );
    if killed_mid_build == 6 {
        assert_eq!(tree::diff(&old, &tree::snapshot(&site.public())), None);
    }
    // The next build clears what the killed ones left and publishes whole.
    site.build();
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    assert_eq!(tree::diff(&complete, &tree::snapshot(&site.public())), None);
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
