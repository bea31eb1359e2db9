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

/// `path` below `root` as the output's paths are named: its parts joined
/// with `/` on every system (on Windows `Path` joins them with `\`, which
/// would make `2020-07\index.html` a different file from the one staged).
pub(crate) fn slash_relative(path: &Path, root: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<std::borrow::Cow<'_, str>> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    Some(parts.join("/"))
}
