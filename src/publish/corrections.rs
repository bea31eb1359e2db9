//! Corrections leave a trace (issue 27): a month already published whose
//! content a build changes while its 更新时间 stays is named in a warning
//! that says to move 更新时间 and add a 更正记录 entry. What was published is
//! read from the output itself: each month's `data.json` there.

use std::sync::Mutex;

use crate::diagnostics::Diagnostic;
use crate::model::Site;

/// The month of an open-data file `YYYY-MM/data.json`.
pub(crate) fn month_data(rel: &str) -> Option<&str> {
    let ym = rel.strip_suffix("/data.json")?;
    crate::basics::dates::YearMonth::parse(ym).map(|_| ym)
}

/// A month already published whose content changed while its 更新时间 did
/// not: its `data.json` in the output (the record of what was published)
/// against the new one, all but the dates and the page's address compared.
/// Noted as (month, 更新时间) for a warning; never blocks the build.
pub(crate) fn note(
    output: &std::path::Path,
    rel: &str,
    bytes: &[u8],
    ym: &str,
    noted: &Mutex<Vec<(String, String)>>,
) {
    let Ok(old) = std::fs::read(output.join(rel)) else {
        return;
    };
    if old == bytes {
        return;
    }
    let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
    let (Some(mut old), Some(mut new)) = (parse(&old), parse(bytes)) else {
        return;
    };
    let updated = |v: &serde_json::Value| v.get("updated").cloned();
    if updated(&old) != updated(&new) {
        return;
    }
    for v in [&mut old, &mut new] {
        if let Some(o) = v.as_object_mut() {
            for key in ["updated", "published", "changes", "page"] {
                o.remove(key);
            }
        }
    }
    if old != new {
        let when = updated(&parse(bytes).unwrap_or_default())
            .and_then(|u| u.as_str().map(str::to_owned))
            .unwrap_or_default();
        noted
            .lock()
            .expect("no panics while held")
            .push((ym.to_owned(), when));
    }
}

/// The warning for a corrected month (issue 27): move 更新时间, note the correction.
pub(crate) fn warning(index: &std::path::Path, ym: &str, updated: &str) -> Diagnostic {
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

/// The warnings for the months [`note`] noted, in month order.
pub(crate) fn warnings(site: &Site, noted: Mutex<Vec<(String, String)>>) -> Vec<Diagnostic> {
    let mut noted = noted.into_inner().expect("no panics while held");
    noted.sort();
    noted
        .iter()
        .filter_map(|(ym, updated)| {
            let m = site
                .content
                .months
                .iter()
                .find(|m| m.ym.to_string() == *ym)?;
            Some(warning(&m.dir.join("_index.md"), ym, updated))
        })
        .collect()
}
