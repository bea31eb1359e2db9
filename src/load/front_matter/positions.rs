//! Where a key sits in the text: the YAML library keeps no positions, so
//! diagnostics find their line and column by scanning the lines.

use super::Document;

/// Line and value column of a top-level key (keys start at column 1).
pub(super) fn key_position(doc: &Document, key: &str) -> Option<(usize, usize)> {
    for (i, line) in doc.yaml.lines().enumerate() {
        if let Some(value_col) = key_on_line(line, key) {
            return Some((doc.yaml_line + i, value_col));
        }
    }
    None
}

/// Lines (in the file) of the `- ` entries of a block list whose key is on
/// `key_line`.
pub(super) fn entry_lines(doc: &Document, key_line: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut indent = None;
    let first = key_line + 1 - doc.yaml_line;
    for (i, line) in doc.yaml.lines().enumerate().skip(first) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let ind = line.len() - trimmed.len();
        let is_entry = trimmed == "-" || trimmed.starts_with("- ");
        match indent {
            None if is_entry => indent = Some(ind),
            None => break,
            Some(n) if ind < n || (ind == n && !is_entry) => break,
            _ => {}
        }
        if is_entry && Some(ind) == indent {
            out.push(doc.yaml_line + i);
        }
    }
    out
}

/// Line and value column of `key` inside an entry spanning lines
/// `start..end` of the file.
pub(super) fn sub_key_position(
    doc: &Document,
    key: &str,
    start: usize,
    end: usize,
) -> (usize, usize) {
    let text_lines: Vec<&str> = doc.text.lines().collect();
    for l in start..end.min(text_lines.len() + 1) {
        let line = text_lines[l - 1];
        let trimmed = line.trim_start();
        let after_dash = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
        let lead = line.chars().count() - after_dash.chars().count();
        if let Some(col) = key_on_line(after_dash, key) {
            return (l, lead + col);
        }
    }
    (start, 1)
}

/// Line and value column of the first of `keys` in the front matter of a
/// file's normalised text (or in the whole text when it has no fences), for
/// checks that run after loading, such as duplicates across files.
pub(crate) fn find_key(text: &str, keys: &[&str]) -> Option<(usize, usize)> {
    let fenced = text.starts_with("---\n");
    for (i, line) in text.lines().enumerate().skip(usize::from(fenced)) {
        if fenced && line.trim_end() == "---" {
            break;
        }
        if let Some(col) = keys.iter().find_map(|k| key_on_line(line, k)) {
            return Some((i + 1, col));
        }
    }
    None
}

/// If `line` starts with `key:` (quotes allowed), the 1-based column of the
/// value after it, or of the colon when the value is on later lines.
fn key_on_line(line: &str, key: &str) -> Option<usize> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let bare = line.trim_start_matches(['"', '\'']);
    let rest = bare.strip_prefix(key)?;
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    let after = rest.strip_prefix(':')?;
    let value = after.trim_start();
    let before = line.chars().count() - value.chars().count();
    if value.is_empty() || value.starts_with('#') {
        Some(line.chars().count() - after.chars().count())
    } else {
        Some(before + 1)
    }
}
