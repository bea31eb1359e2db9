//! Which folders and files of the content folder are content: month
//! folders named `YYYY-MM`, and never an editor's swap or backup file.

use std::fs;
use std::path::{Path, PathBuf};

use crate::basics::dates::YearMonth;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;

/// The month folders of `dir` in date order. A folder meant as a month but
/// not named `YYYY-MM` is an error (skipped, its report would vanish from
/// the site); any other folder is warned about and skipped.
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
            None => diags.push(misnamed(&path, &name, dir)),
        }
    }
    month_dirs.sort();
    Ok(month_dirs)
}

/// What is said about a folder of the content folder that is not a month.
fn misnamed(path: &Path, name: &str, dir: &Path) -> Diagnostic {
    match meant_month(name) {
        Some(Ok(ym)) => {
            let right = ym.to_string();
            let help = if dir.join(&right).is_dir() {
                format!("已经有 {right} 文件夹：把这里的文件移进去，再删除 `{name}`")
            } else {
                "月份文件夹写成四位年份、短横线、两位月份，例如 2020-07；名字不对的文件夹不会被读取，它的报告不会发布".to_owned()
            };
            Diagnostic::error(
                path,
                format!("月份文件夹 `{name}` 的名字应写成 YYYY-MM：请改名为 {right}"),
            )
            .help(help)
        }
        Some(Err(())) => Diagnostic::error(
            path,
            format!("文件夹 `{name}` 像是月份，但不是有效的月份（月份只能是 01 到 12）"),
        )
        .help("月份文件夹写成四位年份、短横线、两位月份，例如 2020-07"),
        None => Diagnostic::warning(
            path,
            format!("文件夹 `{name}` 不是 YYYY-MM 格式的月份，已跳过"),
        )
        .help("月份文件夹应命名为 2020-07 这样的形式"),
    }
}

/// The month a folder name was meant to be though it is not `YYYY-MM`:
/// `2020-7`, `2020.07`, `2020_07`, `2020年7月`, `2020-7月`, `202007`, full-width
/// digits, spaces around. `Some(Err)` when it has that shape but no such
/// month (`2020-13`); `None` when it does not look like a month at all
/// (`images`, `附件`, `2020`, `2020-07 副本`).
pub(crate) fn meant_month(name: &str) -> Option<Result<YearMonth, ()>> {
    let folded: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' | '–' | '．' | '。' | '·' | '、' | '／' => '-',
            '.' | '_' | ' ' | '\u{3000}' | '/' => '-',
            c => c,
        })
        .collect();
    // `2020 年 7 月份`: spaces around 年 and 月 say nothing.
    let folded = folded
        .replace("-年", "年")
        .replace("年-", "年")
        .replace("-月", "月");
    let folded = folded.strip_suffix('份').unwrap_or(&folded);
    let rest = folded.strip_suffix('月').unwrap_or(folded);
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let (year, month) = match rest.split_once(['-', '年']) {
        Some((y, m)) => (y, m.trim_start_matches('-')),
        // `202007`, `20207`.
        None if digits(rest) && (5..=6).contains(&rest.len()) => rest.split_at(4),
        None => return None,
    };
    if year.len() != 4 || !digits(year) || !digits(month) || month.len() > 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    if !(1900..=2999).contains(&year) {
        return None;
    }
    if !(1..=12).contains(&month) {
        return Some(Err(()));
    }
    Some(Ok(YearMonth { year, month }))
}

/// The `YYYY-MM` folders of a content folder, in date order, without the
/// diagnostics about other folders: for commands that only pick a month.
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

    #[test]
    fn names_meant_as_months_are_recognised() {
        for name in [
            "2020-7",
            "2020.07",
            "2020年7月",
            "2020年07月",
            "202007",
            "20207",
            "2020_07",
            "2020-7月",
            "2020 07",
            "２０２０-０７",
            "2020-07 ",
            "2020.7",
            "2020－07",
            "2020年7",
            "2020 年 7 月",
            "2020年7月份",
        ] {
            let ym = meant_month(name).and_then(Result::ok);
            assert_eq!(
                ym.map(|m| m.to_string()).as_deref(),
                Some("2020-07"),
                "{name}"
            );
        }
        for name in ["2020-13", "2020-00", "202013"] {
            assert_eq!(meant_month(name), Some(Err(())), "{name}");
        }
        for name in [
            "images",
            "附件",
            "2020",
            "2020-07 副本",
            "07",
            "2020-07-01",
            "old-2020-07",
            "12345",
        ] {
            assert_eq!(meant_month(name), None, "{name}");
        }
    }
}
