//! The site copies to any file system (SPEC §4): no output path holds a name
//! Windows refuses, no two differ only by case, a name that would give such
//! an address gets a suffixed one with a warning, and a portable address
//! already published keeps its place.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

use crate::common::{TestSite, attrs, stderr, texts};

/// Names Windows refuses as a folder name, or that only differ by case from
/// another: each is a project, a department and a leader (with a suffix per
/// kind, so the three stay different names).
const ODD: [&str; 12] = [
    "CON", "aux", "NUL.txt", "com1", "Lpt9", "prn", "工程.", "工程 ", "a:b", "何时?", "ABC", "abc",
];

/// The names whose plain slug is a Windows device name.
const RESERVED: [&str; 6] = ["CON", "aux", "com1", "Lpt9", "prn", "NUL"];

/// Every file under `root`, `/`-separated and relative to it.
fn files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// The rule written out again, independently of `basics::portable`.
fn windows_accepts(segment: &str) -> bool {
    let base = segment.split('.').next().unwrap().trim_end().to_uppercase();
    let device = ["CON", "PRN", "AUX", "NUL"].contains(&base.as_str())
        || (base.len() == 4
            && (base.starts_with("COM") || base.starts_with("LPT"))
            && base.as_bytes()[3].is_ascii_digit()
            && base.as_bytes()[3] != b'0');
    !segment.is_empty()
        && !device
        && !segment.ends_with(['.', ' '])
        && !segment
            .chars()
            .any(|c| c.is_control() || ":*?\"<>|\\".contains(c))
}

/// Asserts every segment of every output path is portable and no two paths
/// (files or folders) are equal under case folding.
fn assert_portable(root: &Path) {
    let all = files(root);
    let mut folded: BTreeMap<String, String> = BTreeMap::new();
    for f in &all {
        for s in f.split('/') {
            assert!(windows_accepts(s), "{f}: segment {s:?}");
        }
        let mut prefix = String::new();
        for s in f.split('/') {
            prefix.push_str(s);
            if let Some(other) = folded.insert(prefix.to_lowercase(), prefix.clone()) {
                assert_eq!(other, prefix, "differ only by case");
            }
            prefix.push('/');
        }
    }
}

/// Every page file reached from the home page by following relative links.
fn reachable(root: &Path) -> BTreeSet<String> {
    let mut seen = BTreeSet::from(["index.html".to_owned()]);
    let mut todo = VecDeque::from(["index.html".to_owned()]);
    while let Some(page) = todo.pop_front() {
        let html = fs::read_to_string(root.join(&page)).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let dir = Path::new(&page).parent().unwrap().to_path_buf();
        for href in attrs(&doc, "a", "href") {
            let href = href.split(['#', '?']).next().unwrap();
            if href.is_empty() || href.contains(':') || !href.ends_with(".html") {
                continue;
            }
            let mut parts: Vec<String> = dir
                .to_string_lossy()
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            for seg in href.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s.to_owned()),
                }
            }
            let target = parts.join("/");
            if root.join(&target).is_file() && seen.insert(target.clone()) {
                todo.push_back(target);
            }
        }
    }
    seen
}

fn odd_month(site: &TestSite, ym: &str) {
    site.month(ym, "");
    for (i, name) in ODD.iter().enumerate() {
        site.item(
            ym,
            &format!("{:02}", i + 1),
            &format!(
                "序号: {}\n责任领导: \"{name}\"\n项目名称: \"{name}\"\n责任部门: \"{name}\"\n",
                i + 1
            ),
            "## 本月进度情况\n推进。\n",
        );
    }
}

#[test]
fn names_windows_refuses_get_portable_addresses_and_published_ones_stay() {
    let site = TestSite::new();
    // July publishes portable names, `ABC` among them.
    site.month("2020-07", "");
    site.item(
        "2020-07",
        "01",
        "序号: 1\n责任领导: 张平\n项目名称: 东湖绿道\n责任部门: ABC\n",
        "## 本月进度情况\n推进。\n",
    );
    site.item(
        "2020-07",
        "02",
        "序号: 2\n责任领导: ABC\n项目名称: ABC\n责任部门: 建设局\n",
        "## 本月进度情况\n推进。\n",
    );
    site.build();
    let read = || -> serde_json::Value {
        serde_json::from_slice(&fs::read(site.public().join("addresses.json")).unwrap()).unwrap()
    };
    let july = read();
    assert_eq!(july["projects"]["ABC"], "projects/abc/");

    // August brings every odd name.
    odd_month(&site, "2020-08");
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let err = stderr(&check);
    // One warning per kind and reserved name, at the key of the file where
    // the name first appears, with the address it gets.
    let record_after = {
        site.build();
        read()
    };
    for (kind, label, key_line) in [
        ("projects", "项目", 4),
        ("departments", "责任部门", 5),
        ("leaders", "责任领导", 3),
    ] {
        for name in ODD
            .iter()
            .filter(|n| RESERVED.iter().any(|r| n.starts_with(r)))
        {
            if *name == "NUL.txt" {
                // Its slug is `nul-txt`: no dot reaches a slug, so it needs no suffix.
                assert_eq!(record_after[kind][name], format!("{kind}/nul-txt/"));
                continue;
            }
            let dir = record_after[kind][name].as_str().unwrap().to_owned();
            let plain = name.to_lowercase();
            assert!(dir.starts_with(&format!("{kind}/{plain}-")), "{dir}");
            let message =
                format!("{label}“{name}”的地址 {plain} 是 Windows 的保留名，页面改用地址 {dir}");
            assert!(err.contains(&message), "{message}\n{err}");
            let n = ODD.iter().position(|o| o == name).unwrap() + 1;
            let at = format!("2020-08/{n:02}.md:{key_line}:");
            let i = err.find(&message).unwrap();
            assert!(err[i..].contains(&at), "{at}\n{err}");
        }
    }
    // Five names, three kinds, and the site identification this test site lacks.
    assert!(err.contains("site.yaml 缺少 网站标识码"), "{err}");
    assert!(err.contains("16 个警告"), "five names, three kinds:\n{err}");

    // Every address July published is kept, `ABC`'s among them; the lower
    // case `abc` that came later gets a suffixed one.
    for kind in ["projects", "departments", "leaders"] {
        for (name, dir) in july[kind].as_object().unwrap() {
            assert_eq!(&record_after[kind][name], dir, "{kind} {name}");
        }
    }
    assert!(
        record_after["projects"]["abc"]
            .as_str()
            .unwrap()
            .starts_with("projects/abc-")
    );

    let public = site.public();
    assert_portable(&public);
    // Each name's page is reachable by links from the home page and shows it.
    let reached = reachable(&public);
    for kind in ["projects", "departments", "leaders"] {
        for (name, dir) in record_after[kind].as_object().unwrap() {
            let page = format!("{}index.html", dir.as_str().unwrap());
            assert!(reached.contains(&page), "{page} is linked");
            let h1 = texts(&site.page(&page), "h1").join(" ");
            assert!(h1.contains(name.trim()), "{page}: {h1}");
        }
    }
    for page in files(&public).iter().filter(|f| f.ends_with("index.html")) {
        assert!(reached.contains(page), "{page} is linked");
    }
}

#[test]
fn a_published_address_windows_refuses_moves_with_a_warning() {
    let site = TestSite::new();
    odd_month(&site, "2020-07");
    site.build();
    // An older gongkai published `CON` at `projects/con/`.
    let path = site.public().join("addresses.json");
    let mut record: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let now = record["projects"]["CON"].as_str().unwrap().to_owned();
    record["projects"]["CON"] = "projects/con/".into();
    fs::write(&path, serde_json::to_vec(&record).unwrap()).unwrap();
    let err = stderr(&site.run(&["check"]));
    let moved = format!("已发布的地址将改变：项目“CON”的页面从 projects/con/ 移到 {now}");
    assert!(err.contains(&moved), "{moved}\n{err}");
}

#[test]
fn item_files_and_attachments_windows_refuses_are_errors() {
    let site = TestSite::new();
    site.month(
        "2020-07",
        "附件:\n  - 标题: 表\n    文件: nul.pdf\n  - 标题: 表一\n    文件: A.pdf\n  - 标题: 表二\n    文件: a.pdf\n",
    );
    for f in ["nul.pdf", "A.pdf", "a.pdf"] {
        site.write(&format!("content/2020-07/{f}"), "%PDF-1.4\n");
    }
    for (i, stem) in ["01", "CON", "aux", "a:b", "x.", "Com1", "AB", "ab"]
        .iter()
        .enumerate()
    {
        site.item(
            "2020-07",
            stem,
            &format!(
                "序号: {}\n责任领导: 张平\n项目名称: 项目{i}\n责任部门: 建设局\n",
                i + 1
            ),
            "",
        );
    }
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let err = stderr(&check);
    for stem in ["CON", "aux", "a:b", "x.", "Com1"] {
        let message = format!("条目文件名“{stem}.md”不能作网页地址");
        assert!(err.contains(&message), "{message}\n{err}");
    }
    assert!(
        err.contains("条目文件名“ab.md”与") && err.contains("AB.md 只有大小写不同"),
        "{err}"
    );
    assert!(
        err.contains("附件文件名 `nul.pdf` 是 Windows 的保留设备名"),
        "{err}"
    );
    assert!(
        err.contains("附件文件名 `a.pdf` 与 `A.pdf` 只有大小写不同"),
        "{err}"
    );
    assert!(err.contains("2020-07/_index.md:"), "{err}");
    assert!(err.contains("8 个错误"), "{err}");
    let build = site.run(&["build"]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(!site.public().exists());
}

#[test]
fn a_theme_file_windows_refuses_stops_check_and_build() {
    let site = TestSite::new();
    odd_month(&site, "2020-07");
    site.build();
    let before = crate::common::tree::snapshot(&site.public());
    for (file, said) in [
        (
            "aux.css",
            "“static/aux.css”的第 2 段“aux.css”是 Windows 的保留设备名",
        ),
        // The built-in theme has `gongkai.css`: the two would be one file.
        (
            "GONGKAI.css",
            "“static/gongkai.css”与“static/GONGKAI.css”只有大小写不同",
        ),
    ] {
        let theme = format!("t-{file}");
        site.write(&format!("themes/{theme}/static/{file}"), "body{}\n");
        for cmd in ["check", "build"] {
            let out = site.run(&[cmd, "--theme", &theme]);
            assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains(said), "{cmd}: {said}\n{err}");
            assert!(err.contains(&format!("{theme} 的文件不能发布")), "{err}");
        }
        let after = crate::common::tree::snapshot(&site.public());
        assert_eq!(crate::common::tree::diff(&before, &after), None, "{file}");
    }
}
