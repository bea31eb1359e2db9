//! Corrections leave a trace (issue 27): a month already published whose
//! content changes while its 更新时间 stays is named in a warning that says
//! to move 更新时间 and add a 更正记录 entry. What was published is read from
//! the output itself: each month's `data.json` there.

use std::path::Path;

use crate::basics::dates::YearMonth;
use crate::diagnostics::Diagnostic;
use crate::model::Site;

/// The month of an open-data file `YYYY-MM/data.json`.
pub(crate) fn month_data(rel: &str) -> Option<YearMonth> {
    YearMonth::parse(rel.strip_suffix("/data.json")?)
}

/// The 更新时间 of a month's `data.json` (`rel`, to be `bytes`) when the
/// output's copy differs from it in anything but the dates and the page's
/// address while its 更新时间 is the same: a correction without its date.
pub(crate) fn undated(output: &Path, rel: &str, bytes: &[u8]) -> Option<String> {
    let old = std::fs::read(output.join(rel)).ok()?;
    if old == bytes {
        return None;
    }
    let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
    let (mut old, mut new) = (parse(&old)?, parse(bytes)?);
    let updated = new.get("updated").cloned();
    if old.get("updated") != updated.as_ref() {
        return None;
    }
    for v in [&mut old, &mut new] {
        if let Some(o) = v.as_object_mut() {
            for key in ["updated", "published", "changes", "page"] {
                o.remove(key);
            }
        }
    }
    (old != new).then(|| {
        updated
            .and_then(|u| u.as_str().map(str::to_owned))
            .unwrap_or_default()
    })
}

/// The warnings for the months `undated` found, as (month, 更新时间), in month order.
pub(crate) fn warnings(site: &Site, mut found: Vec<(YearMonth, String)>) -> Vec<Diagnostic> {
    found.sort();
    found
        .iter()
        .filter_map(|(ym, updated)| {
            let m = site.content.months.iter().find(|m| m.ym == *ym)?;
            Some(warning(&m.dir.join("_index.md"), *ym, updated))
        })
        .collect()
}

/// The warning for a corrected month: move 更新时间, note the correction.
fn warning(index: &Path, ym: YearMonth, updated: &str) -> Diagnostic {
    let was = if updated.is_empty() {
        "没有写".to_owned()
    } else {
        format!("还是 {updated}")
    };
    Diagnostic::warning(
        index,
        format!("{ym} 已发布的内容改了，但更新时间（updated）{was}"),
    )
    .help(
        "发布更正时把 updated 改成当天，并在 changes（更正记录）里记一笔，例如：\n  changes:\n    - date: 2020-11-03\n      note: 更正第 2 项的责任部门",
    )
}
