//! What the preview benchmarks share: the archive's month folders and item files.

use std::path::{Path, PathBuf};

/// The `YYYY-MM` folders of a content folder, in order.
pub fn month_dirs(content: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(content)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().len() == 7)
        })
        .collect();
    v.sort();
    v
}

/// A month's item files, in order.
pub fn item_files(month: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(month)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    v.sort();
    v
}
