//! `gongkai init` (issue 30): a new site that builds and passes `check` at
//! once, with no flags, and a folder that is not empty left untouched.

use std::fs;
use std::process::Stdio;

use crate::common::{bin, stderr, tree};

#[test]
fn a_new_site_checks_and_builds_with_no_flags() {
    let tmp = tempfile::tempdir().unwrap();
    // YAML's special characters in the names stay text.
    let title = "测试区 政府信息公开: #1 \"试行\"";
    let out = bin()
        .args([
            "init",
            "新站点",
            "--title",
            title,
            "--publisher",
            "测试区人民政府办公室",
        ])
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let site = tmp.path().join("新站点");
    let yaml = fs::read_to_string(site.join("content/site.yaml")).unwrap();
    // Every key of site.yaml is explained, in Chinese.
    for key in [
        "网站标识码",
        "ICP备案号",
        "公安备案号",
        "索引号前缀",
        "base_url",
        "views",
    ] {
        assert!(yaml.contains(key), "site.yaml explains {key}");
    }
    assert!(site.join("themes/README.md").is_file());

    let check = bin().arg("check").current_dir(&site).output().unwrap();
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stderr(&check).contains("0 个错误"), "{}", stderr(&check));
    let build = bin().arg("build").current_dir(&site).output().unwrap();
    assert!(build.status.success(), "{}", stderr(&build));
    let month = fs::read_dir(site.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| gongkai::YearMonth::parse(n).is_some())
        .expect("an example month");
    let page = fs::read_to_string(site.join("public").join(&month).join("index.html")).unwrap();
    assert!(page.contains("测试区人民政府办公室"));
    let home = fs::read_to_string(site.join("public/index.html")).unwrap();
    // The title as typed, escaped for HTML.
    assert!(
        home.contains("测试区 政府信息公开: #1 &quot;试行&quot;"),
        "the title as typed"
    );
    // Both example items are published, with their sections.
    assert!(page.contains("适老化和无障碍改造") && page.contains("公开目录标准化"));
}

#[test]
fn without_a_terminal_or_flags_the_defaults_are_taken() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bin()
        .arg("init")
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = fs::read_to_string(tmp.path().join("content/site.yaml")).unwrap();
    assert!(yaml.contains("title: 政府信息公开"), "{yaml}");
    let check = bin().arg("check").current_dir(tmp.path()).output().unwrap();
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_left_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("old");
    fs::create_dir_all(dir.join("content")).unwrap();
    fs::write(dir.join("content/site.yaml"), "title: 旧站点\n").unwrap();
    let before = tree::snapshot(&dir);
    let out = bin()
        .args(["init", "old", "--title", "新", "--publisher", "新"])
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("不是空的"), "{}", stderr(&out));
    assert_eq!(tree::diff(&before, &tree::snapshot(&dir)), None);
    // A file where the folder should be is refused too.
    fs::write(tmp.path().join("file"), "x").unwrap();
    let out = bin()
        .args(["init", "file"])
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(tmp.path().join("file")).unwrap(), "x");
}
