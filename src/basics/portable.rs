//! Names every file system we copy a site to accepts (SPEC §4): no name
//! Windows refuses, and no two paths that differ only by case, which NTFS
//! and APFS fold together.

use std::collections::BTreeMap;

/// Device names Windows reserves, with or without an extension.
const DEVICES: [&str; 6] = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// Characters Windows refuses in a name (besides control characters and `/`).
const FORBIDDEN: [char; 8] = [':', '*', '?', '"', '<', '>', '|', '\\'];

/// Why Windows refuses `segment` as a file or folder name, or `None` when
/// it accepts it. `segment` is one part of a path, without `/`.
pub(crate) fn problem(segment: &str) -> Option<&'static str> {
    if segment.is_empty() || segment == "." || segment == ".." {
        return Some("名称为空或是 . / ..");
    }
    if let Some(c) = segment
        .chars()
        .find(|c| c.is_control() || *c == '/' || FORBIDDEN.contains(c))
    {
        return Some(if c.is_control() {
            "含有控制字符"
        } else {
            "含有 Windows 不允许的字符 : * ? \" < > | \\ /"
        });
    }
    if segment.ends_with(['.', ' ']) {
        return Some("以句点或空格结尾");
    }
    if is_device_name(segment) {
        return Some("是 Windows 的保留设备名（CON、PRN、AUX、NUL、COM1–9、LPT1–9）");
    }
    None
}

/// Whether every segment of `path` (`/`-separated; a trailing `/` allowed)
/// is a name Windows accepts.
pub(crate) fn is_portable_path(path: &str) -> bool {
    path.strip_suffix('/')
        .unwrap_or(path)
        .split('/')
        .all(|s| problem(s).is_none())
}

/// `CON`, `aux.txt`, `Com1.tar.gz`, `LPT¹`, `nul .x`: what comes before the
/// first dot, without trailing spaces, is a device name in any case.
fn is_device_name(segment: &str) -> bool {
    let base = segment
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end_matches(' ');
    if DEVICES.iter().any(|d| base.eq_ignore_ascii_case(d)) {
        return true;
    }
    let (Some(head), Some(n)) = (base.get(..3), base.get(3..)) else {
        return false;
    };
    let mut n = n.chars();
    (head.eq_ignore_ascii_case("COM") || head.eq_ignore_ascii_case("LPT"))
        && matches!(
            (n.next(), n.next()),
            (Some('1'..='9' | '¹' | '²' | '³'), None)
        )
}

/// The form two names share when a case-folding file system takes them for
/// the same one (simple case folding: enough for the names a site holds).
pub(crate) fn fold(name: &str) -> String {
    name.to_lowercase()
}

/// Whether folding changes `name` (it holds a capital letter).
fn fold_changes(name: &str) -> bool {
    !name
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        && fold(name) != name
}

/// The first path of `paths` (files, `/`-separated) that is not portable,
/// with why; or else the first two paths — or a path and a folder of
/// another — that differ only by case.
pub(crate) fn first_problem<'a>(paths: impl IntoIterator<Item = &'a str>) -> Option<String> {
    // Every file and folder once: the folders a path shares with the one
    // before were taken with it (sorted paths share most).
    let mut names: Vec<&str> = Vec::new();
    let mut before = "";
    for path in paths {
        for (i, segment) in path.split('/').enumerate() {
            if let Some(why) = problem(segment) {
                return Some(format!("输出路径“{path}”的第 {} 段“{segment}”{why}", i + 1));
            }
        }
        let mut end = 0;
        for segment in path.split('/') {
            end += segment.len();
            let prefix = &path[..end];
            end += 1;
            let shared = before.len() > prefix.len()
                && before.starts_with(prefix)
                && before.as_bytes()[prefix.len()] == b'/';
            if !shared {
                names.push(prefix);
            }
        }
        before = path;
    }
    // Two names can only clash when folding changes one of them: fold those
    // (few, most often none), then look every other name up among them.
    let clash = |a: &str, b: &str| {
        format!("输出路径“{a}”与“{b}”只有大小写不同，在 Windows 和 macOS 上是同一个文件")
    };
    let mut changed: BTreeMap<String, &str> = BTreeMap::new();
    for &name in names.iter().filter(|n| fold_changes(n)) {
        match changed.get(&fold(name)) {
            Some(other) if *other != name => return Some(clash(name, other)),
            Some(_) => {}
            None => {
                changed.insert(fold(name), name);
            }
        }
    }
    if changed.is_empty() {
        return None;
    }
    names
        .iter()
        .find_map(|&name| changed.get(name).map(|other| clash(name, other)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_device_names_in_any_case_and_with_any_extension() {
        for name in [
            "CON",
            "con",
            "Con",
            "PRN",
            "aux",
            "NUL",
            "nul.txt",
            "NUL.tar.gz",
            "com1",
            "COM9",
            "Lpt9",
            "lpt1.md",
            "COM¹",
            "lpt³",
            "con .txt",
            "CONIN$",
            "conout$",
        ] {
            assert!(problem(name).is_some(), "{name} is reserved");
        }
        for name in [
            "com",
            "com0",
            "com10",
            "lpt",
            "lpt0",
            "console",
            "con-1",
            "nul-txt",
            "aux1",
            "xcon",
            "a.con",
            "con_",
            "com1x",
            "prn-xiang-mu",
        ] {
            assert_eq!(problem(name), None, "{name} is accepted");
        }
    }

    #[test]
    fn forbidden_characters_and_endings() {
        for name in [
            "a:b", "a*", "?", "a\"b", "<a>", "a|b", "a\\b", "a/b", "a\u{1}b", "tab\t", "a.", "a ",
            "...", "", ".", "..",
        ] {
            assert!(problem(name).is_some(), "{name:?} is refused");
        }
        for name in [
            "dong-hu-lv-dao",
            "2020-07",
            "index.html",
            ".gongkai-manifest",
            "附件 1.pdf",
            "a.b",
            " a",
        ] {
            assert_eq!(problem(name), None, "{name:?} is accepted");
        }
        assert!(is_portable_path("projects/dong-hu/"));
        assert!(is_portable_path("m/2020-07/30a/index.html"));
        assert!(!is_portable_path("projects/con/"));
        assert!(!is_portable_path("projects//index.html"));
    }

    #[test]
    fn paths_that_differ_only_by_case_clash() {
        assert_eq!(
            first_problem(["a/b/index.html", "a/c/index.html", "a"]),
            None
        );
        let clash = first_problem(["2020-07/ABC/index.html", "2020-07/abc/index.html"]);
        assert!(clash.unwrap().contains("2020-07/abc"));
        // A folder and a file of another path clash too.
        assert!(first_problem(["x/Data.json", "x/data.json/index.html"]).is_some());
        assert!(first_problem(["static/ok.css", "static/NUL.css"]).is_some());
        assert_eq!(first_problem(["x/a", "x/a"]), None, "the same path twice");
        // Folders shared with the path before are skipped, not forgotten.
        assert!(first_problem(["A/b/c", "A/b/d", "a/e"]).is_some());
        assert!(first_problem(["A/b/c", "A/b/d", "A/B/e"]).is_some());
    }
}
