//! Paths as the user typed them, made absolute for comparing.

use std::path::{Path, PathBuf};

/// The path made absolute and cleaned of `.` and `..`, without touching the disk
/// beyond resolving symlinks of the parts that exist.
pub(crate) fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = base;
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
