//! Checks that need more than one file: within a month (no two rows share a
//! 序号 or a key) and across months (`superseded_by` names a month that exists).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::basics::dates::YearMonth;
use crate::basics::portable;
use crate::basics::text::is_web_url;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::content::{Item, Month, SiteConfig};
use crate::load::fields::{self, ITEM, MONTH};
use crate::load::front_matter;
use crate::urls::PROBLEMS_STEM;

/// Within one month: no two rows share a 序号 or a key.
pub(super) fn check_month_items(items: &[Item], diags: &mut Diagnostics) {
    for (i, a) in items.iter().enumerate() {
        for b in &items[..i] {
            if a.number.is_some() && a.number == b.number {
                let d = Diagnostic::error(
                    &a.path,
                    format!(
                        "序号 (number) {} 与 {} 重复",
                        a.number.as_deref().unwrap_or(""),
                        b.path.display()
                    ),
                )
                .help("同一个月里序号不能重复；原表中没有序号的行，删掉 `序号:` 这一行即可");
                diags.push(at_key(
                    d,
                    &a.path,
                    fields::lookup(ITEM, "number").expect("declared"),
                ));
            }
            if a.key == b.key {
                let d = Diagnostic::error(
                    &a.path,
                    format!("项目标识 (key)“{}”与 {} 重复", a.key, b.path.display()),
                )
                .help("同一个月里两个条目不能是同一个项目：给其中一个写不同的 `项目标识:`（不写时用项目名称）");
                let written = fields::lookup(ITEM, "key").expect("declared");
                let project = fields::lookup(ITEM, "project").expect("declared");
                let d = at_key(d, &a.path, written);
                diags.push(if d.line == 0 {
                    at_key(d, &a.path, project)
                } else {
                    d
                });
            }
        }
    }
}

/// An item file may not take a stem the site uses for a page of its own
/// beside the items (`/YYYY-MM/problems/`), a stem Windows refuses as a
/// folder name (`CON`, `aux`, `a:b`, a trailing dot), nor one that differs
/// from another item's only by case (NTFS and APFS take them for one
/// folder); such files are reported and left out. `files` is in table order,
/// so of two stems that clash the later one is reported.
pub(super) fn check_reserved_stems(files: &mut Vec<(String, PathBuf)>, diags: &mut Diagnostics) {
    let mut kept: BTreeMap<String, PathBuf> = BTreeMap::new();
    files.retain(|(stem, path)| {
        let error = if stem.eq_ignore_ascii_case(PROBLEMS_STEM) {
            Diagnostic::error(
                path,
                format!(
                    "条目文件名“{stem}.md”是保留名：/{PROBLEMS_STEM}/ 是本月存在问题汇总页的地址"
                ),
            )
            .help("把这个文件改个名字（如 problems-1.md 或按序号命名的 31.md）；条目的地址取自文件名")
        } else if let Some(why) = portable::problem(stem) {
            Diagnostic::error(
                path,
                format!("条目文件名“{stem}.md”不能作网页地址：“{stem}”{why}，在 Windows 上不能作文件夹名"),
            )
            .help("把这个文件改个名字（如按序号命名的 31.md）；条目的地址取自文件名，网站要能复制到任何系统")
        } else if let Some(other) = kept.get(&portable::fold(stem)) {
            Diagnostic::error(
                path,
                format!(
                    "条目文件名“{stem}.md”与 {} 只有大小写不同：在 Windows 和 macOS 上两个条目的地址是同一个文件夹",
                    other.display()
                ),
            )
            .help("把其中一个文件改个名字；条目的地址取自文件名")
        } else {
            kept.insert(portable::fold(stem), path.clone());
            return true;
        };
        diags.push(error);
        false
    });
}

/// Across months: `superseded_by` must name a month that exists or a URL;
/// no two months share a 索引号, and with `index_prefix` each 索引号 reads
/// `<prefix>/<YYYY>-<NNNNN>`.
pub(super) fn check_cross_month(site: &SiteConfig, months: &[Month], diags: &mut Diagnostics) {
    check_index_numbers(site, months, diags);
    for m in months {
        if let Some(target) = &m.meta.superseded_by {
            let is_url = is_web_url(target);
            let month_exists =
                YearMonth::parse(target.trim()).is_some_and(|ym| months.iter().any(|o| o.ym == ym));
            if !is_url && !month_exists {
                let index = m.dir.join("_index.md");
                let d = Diagnostic::error(
                    &index,
                    format!("替代文件 (superseded_by)“{target}”找不到：没有这个月份"),
                )
                .help("写成已存在的月份文件夹名（如 2021-03），或以 https:// 开头的完整网址");
                let field = fields::lookup(MONTH, "superseded_by").expect("declared");
                diags.push(at_key(d, &index, field));
            }
        }
    }
}

/// A 索引号 is given once and names one document: a repeat is an error, a
/// number that does not follow the site's prefix and pattern a warning.
fn check_index_numbers(site: &SiteConfig, months: &[Month], diags: &mut Diagnostics) {
    let field = fields::lookup(MONTH, "index_number").expect("declared");
    for (i, m) in months.iter().enumerate() {
        let number = m.meta.index_number.trim();
        if number.is_empty() {
            continue;
        }
        let index = m.dir.join("_index.md");
        if let Some(first) = months[..i]
            .iter()
            .find(|o| o.meta.index_number.trim() == number)
        {
            let d = Diagnostic::error(
                &index,
                format!(
                    "索引号 (index_number)“{number}”与 {} 重复",
                    first.dir.join("_index.md").display()
                ),
            )
            .help("每份报告的索引号只能有一个，且不能与其他报告相同；`gongkai new month` 会写入当年下一个空闲的流水号");
            diags.push(at_key(d, &index, field));
        } else if let Some(prefix) = &site.index_prefix
            && index_serial(prefix, number).is_none()
        {
            let d = Diagnostic::warning(
                &index,
                format!("索引号 (index_number)“{number}”不符合 `{prefix}/YYYY-NNNNN`"),
            )
            .help(format!(
                "site.yaml 设置了索引号前缀 {prefix}：索引号写成 {prefix}/年份-五位流水号，如 {prefix}/{}-00001",
                m.ym.year
            ));
            diags.push(at_key(d, &index, field));
        }
    }
}

/// The year and serial of a 索引号 that reads `<prefix>/<YYYY>-<NNNNN>`:
/// the prefix, a four-digit year, a five-digit serial.
pub(crate) fn index_serial(prefix: &str, number: &str) -> Option<(i32, u32)> {
    let rest = number.strip_prefix(prefix)?.strip_prefix('/')?;
    let (year, serial) = rest.split_once('-')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(serial, 5)) {
        return None;
    }
    Some((year.parse().ok()?, serial.parse().ok()?))
}

/// Points a diagnostic found after loading at a key of the file's front
/// matter. The file is read again: this happens only on error.
fn at_key(d: Diagnostic, path: &Path, field: &fields::Field) -> Diagnostic {
    let Ok(raw) = fs::read_to_string(path) else {
        return d;
    };
    let text = front_matter::normalise(&raw);
    match front_matter::find_key(&text, &[field.name, field.alias]) {
        Some((line, col)) => d.at(&text, line, col),
        None => d,
    }
}
