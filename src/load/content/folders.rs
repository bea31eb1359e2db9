//! Which folders and files of the content folder are content: month
//! folders named `YYYY-MM`, and never an editor's swap or backup file.

use std::fs;
use std::path::{Path, PathBuf};

use crate::basics::dates::YearMonth;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;

/// The month folders of `dir` in date order; other folders are warned about.
pub(crate) fn month_dirs(
    dir: &Path,
    diags: &mut Diagnostics,
) -> Result<Vec<(YearMonth, PathBuf)>, Error> {
    let mut month_dirs = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| Error::io(e, dir))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(e, dir))?;
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored(&name) {
            continue;
        }
        match YearMonth::parse(&name) {
            Some(ym) => month_dirs.push((ym, path)),
            None => diags.push(
                Diagnostic::warning(
                    &path,
                    format!("文件夹 `{name}` 不是 YYYY-MM 格式的月份，已跳过"),
                )
                .help("月份文件夹应命名为 2020-07 这样的形式"),
            ),
        }
    }
    month_dirs.sort();
    Ok(month_dirs)
}

/// The `YYYY-MM` folders of a content folder, in date order, without the
/// warnings about other folders: for commands that only pick a month.
pub(crate) fn month_folders(dir: &Path) -> Result<Vec<YearMonth>, Error> {
    let listed = month_dirs(dir, &mut Diagnostics::default())?;
    Ok(listed.into_iter().map(|(ym, _)| ym).collect())
}

/// Editor swap and backup files, hidden files: never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [".01.md.swp", "01.md~", ".#01.md", "#01.md#", ".hidden"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("01.md"));
    }
}
