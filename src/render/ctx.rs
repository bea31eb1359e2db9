//! What templates see of a report and its rows: the month's metadata and
//! each item, with their links and notices ready to show.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::basics::dates::YearMonth;
use crate::load::content::{Item, Month};
use crate::load::fields::VALIDITY_VALUES;
use crate::model::{ItemRef, Site};
use crate::urls::Page;

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct AttachmentCtx<'a> {
    title: &'a str,
    /// Relative to the site root: attachments are written once, beside the html month page.
    href: String,
}

#[derive(Serialize)]
struct ChangeCtx {
    date: String,
    note: String,
}

/// A report's metadata as every template shows it.
#[derive(Serialize)]
pub(super) struct MonthCtx<'a> {
    ym: String,
    label: String,
    title: &'a str,
    doc_number: &'a str,
    index_number: &'a str,
    publisher: &'a str,
    issued: String,
    published: String,
    updated: String,
    validity: &'a str,
    /// "本文件已于2021年3月1日废止" when not 有效.
    notice: Option<String>,
    /// Same-view link to the month that replaces this one.
    superseded_href: Option<String>,
    /// External address that replaces this one.
    superseded_url: Option<&'a str>,
    superseded_label: Option<String>,
    topic: &'a str,
    source: &'a str,
    attachments: Vec<AttachmentCtx<'a>>,
    changes: Vec<ChangeCtx>,
    preface_html: &'a str,
    href: String,
    plan_heading: String,
    item_count: usize,
}

/// One row of a report as every template shows it.
#[derive(Serialize)]
pub(super) struct ItemCtx<'a> {
    stem: &'a str,
    number: Option<&'a str>,
    leaders: Vec<Link>,
    leaders_text: String,
    project: &'a str,
    department: Link,
    draft: bool,
    progress_html: &'a str,
    problems_html: &'a str,
    plan_html: &'a str,
    href: String,
    project_href: String,
    month_label: String,
    month_href: String,
    /// The report's 有效性 when it is not 有效, to mark the item in lists.
    month_validity: Option<&'a str>,
    plan_heading: String,
}

/// A link as templates see it: `{name, href}`, the same as [`Link`].
pub(super) fn link_value(name: impl Into<Value>, href: String) -> Value {
    object([("name", name.into()), ("href", href.into())])
}

/// A template map from its fields.
pub(super) fn object<const N: usize>(fields: [(&'static str, Value); N]) -> Value {
    Value::from(BTreeMap::from(fields))
}

/// A report's metadata, its notice and links resolved.
pub(super) fn month_ctx(m: &Month) -> MonthCtx<'_> {
    let meta = &m.meta;
    let notice =
        not_in_force(m).map(|v| validity_notice(v, meta.validity_changed.map(|d| d.chinese())));
    let superseded_month = meta
        .superseded_by
        .as_deref()
        .and_then(|s| YearMonth::parse(s.trim()));
    MonthCtx {
        ym: m.ym.to_string(),
        label: m.ym.chinese(),
        title: &meta.title,
        doc_number: &meta.doc_number,
        index_number: &meta.index_number,
        publisher: &meta.publisher,
        issued: meta.issued.to_string(),
        published: meta.published.to_string(),
        updated: meta.updated.to_string(),
        validity: &meta.validity,
        notice,
        superseded_href: superseded_month.map(|ym| Page::Month(ym).href()),
        superseded_url: meta
            .superseded_by
            .as_deref()
            .filter(|_| superseded_month.is_none()),
        superseded_label: meta.superseded_by.as_ref().map(|s| {
            superseded_month
                .map(|ym| format!("{}的报告", ym.chinese()))
                .unwrap_or_else(|| s.clone())
        }),
        topic: &meta.topic,
        source: &meta.source,
        attachments: meta
            .attachments
            .iter()
            .map(|a| AttachmentCtx {
                title: &a.title,
                href: format!("{}/{}", m.ym, a.file),
            })
            .collect(),
        changes: meta
            .changes
            .iter()
            .map(|c| ChangeCtx {
                date: c.date.to_string(),
                note: c.note.clone(),
            })
            .collect(),
        preface_html: &meta.preface.html,
        href: Page::Month(m.ym).href(),
        plan_heading: m.ym.plan_heading(),
        item_count: m.items.len(),
    }
}

/// The report's 有效性 when it is anything but 有效 (the default, first of
/// [`VALIDITY_VALUES`]): such a report carries a notice and is marked in lists.
pub(super) fn not_in_force(m: &Month) -> Option<&str> {
    (m.meta.validity != VALIDITY_VALUES[0]).then_some(&*m.meta.validity)
}

/// "本文件已于2021年3月1日废止" — the notice a non-有效 document carries.
fn validity_notice(validity: &str, date: Option<String>) -> String {
    let verb = match validity {
        "已修改" => "修改",
        "尚未生效" => return "本文件尚未生效".to_owned(),
        other => other,
    };
    match date {
        Some(d) => format!("本文件已于{d}{verb}"),
        None => format!("本文件已{verb}"),
    }
}

/// An item with its leaders, department and project as links.
pub(super) fn item_ctx(site: &Site, r: ItemRef) -> ItemCtx<'_> {
    let m = site.month(r);
    let it: &Item = site.item(r);
    let dept = &site.departments[site.department_of[r.month][r.item]];
    ItemCtx {
        stem: &it.stem,
        number: it.number.as_deref(),
        leaders: site.leaders_of[r.month][r.item]
            .iter()
            .map(|&l| Link {
                name: site.leaders[l].name.clone(),
                href: Page::Leader(site.leaders[l].slug.clone()).href(),
            })
            .collect(),
        leaders_text: it.leaders.join("、"),
        project: &it.project,
        department: Link {
            name: dept.name.clone(),
            href: Page::Department(dept.slug.clone()).href(),
        },
        draft: it.draft,
        progress_html: &it.progress.html,
        problems_html: &it.problems.html,
        plan_html: &it.plan.html,
        href: Page::Item(m.ym, it.stem.clone()).href(),
        project_href: Page::Project(site.projects[site.project_of[r.month][r.item]].slug.clone())
            .href(),
        month_label: m.ym.chinese(),
        month_href: Page::Month(m.ym).href(),
        month_validity: not_in_force(m),
        plan_heading: m.ym.plan_heading(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_naturally() {
        assert_eq!(
            validity_notice("废止", Some("2021年3月1日".into())),
            "本文件已于2021年3月1日废止"
        );
        assert_eq!(validity_notice("失效", None), "本文件已失效");
        assert_eq!(validity_notice("已修改", None), "本文件已修改");
        assert_eq!(validity_notice("尚未生效", None), "本文件尚未生效");
    }
}
