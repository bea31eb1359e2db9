//! Whole output trees, read into memory to compare byte for byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every file under `root` (relative path with `/`) and its bytes. Symlinks
/// and folders are listed too, so a missing or extra empty folder is noticed.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let rel = p
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if p.is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
            walk(root, &p, out);
        } else {
            out.insert(rel, fs::read(&p).unwrap());
        }
    }
}

/// Describes how two snapshots differ, or `None` when identical.
pub fn diff(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let mut out = Vec::new();
    for (k, v) in a {
        match b.get(k) {
            None => out.push(format!("missing after: {k}")),
            Some(w) if w != v => out.push(format!("changed: {k}")),
            _ => {}
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(format!("new: {k}"));
    }
    (!out.is_empty()).then(|| out.join("\n"))
}
