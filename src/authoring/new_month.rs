//! `new month`: starts a month's report from an earlier month's list of
//! projects. Each item keeps its identity (序号, 责任领导, 项目名称, 责任部门,
//! key) and file name, gets empty sections, and carries the earlier month's
//! plan as an HTML comment under the progress heading — the renderer drops
//! comments, so the reminder is never published. Items are drafts until the
//! editor clears `draft`, and 发文日期 is left empty so `check` fails until
//! the editor fills it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::authoring::writer::{self, NewItem};
use crate::basics::dates::YearMonth;
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::load::content::{self, Item, LoadOptions};
use crate::load::fields::{self, MONTH, SECTION_PROBLEMS, SECTION_PROGRESS};
use crate::load::front_matter;
use crate::load::markdown;

/// What `new_month` made.
#[derive(Debug)]
pub struct NewMonth {
    pub dir: PathBuf,
    pub from: YearMonth,
    pub items: usize,
}

/// Creates `content/<month>/` from `from`, or from the latest month before
/// `month` when `from` is `None`. Never touches an existing folder.
pub fn new_month(
    content_dir: &Path,
    month: YearMonth,
    from: Option<YearMonth>,
) -> Result<NewMonth> {
    let target = content_dir.join(month.to_string());
    if target.exists() {
        return Err(writer::month_exists(&target));
    }
    if !content_dir.is_dir() {
        return Err(content::missing_content_dir(content_dir));
    }
    let from = pick_source(&content::month_folders(content_dir)?, month, from)?;
    // Only the source month is read: another month still waiting for its
    // 发文日期 must not block this one. Drafts count: a month still being
    // written can be the template for the next.
    let (source, _warnings) =
        content::load_month_only(content_dir, from, LoadOptions { drafts: true })?;
    let mut files = vec![(
        "_index.md".to_owned(),
        writer::month_index_text(
            month,
            Some(&source.meta),
            next_index_number(content_dir, month)?.as_deref(),
        ),
    )];
    for item in &source.items {
        let plan = source_plan(item)?;
        files.push((
            format!("{}.md", item.stem),
            scaffold_item(item, source.ym, month, &plan).to_text(),
        ));
    }
    let dir = writer::create_month_dir(content_dir, month, &files)?;
    Ok(NewMonth {
        dir,
        from: source.ym,
        items: source.items.len(),
    })
}

/// `<prefix>/<YYYY>-<NNNNN>` with the next serial of the month's year that
/// no month uses, when `site.yaml` sets `index_prefix`: assigned here once, so
/// it never changes. Only each month's 索引号 is read, so a month that does
/// not load yet does not block this one.
fn next_index_number(content_dir: &Path, month: YearMonth) -> Result<Option<String>> {
    let site = content::load_site(content_dir, &mut Diagnostics::default())?;
    let Some(prefix) = site.index_prefix else {
        return Ok(None);
    };
    let mut last = 0;
    for ym in content::month_folders(content_dir)? {
        let path = content_dir.join(ym.to_string()).join("_index.md");
        let Ok(raw) = fs::read_to_string(&path) else {
            continue;
        };
        let Ok(doc) = front_matter::split(&path, &raw) else {
            continue;
        };
        let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str(&doc.yaml) else {
            continue;
        };
        let field = fields::lookup(MONTH, "index_number").expect("declared");
        for key in [field.name, field.alias] {
            if let Some(n) = map.get(key).and_then(serde_yaml::Value::as_str)
                && let Some((year, serial)) = content::index_serial(&prefix, n.trim())
                && year == month.year
            {
                last = last.max(serial);
            }
        }
    }
    Ok(Some(format!("{prefix}/{}-{:05}", month.year, last + 1)))
}

fn pick_source(
    months: &[YearMonth],
    month: YearMonth,
    from: Option<YearMonth>,
) -> Result<YearMonth> {
    match from {
        Some(ym) if months.contains(&ym) => Ok(ym),
        Some(ym) => Err(Error::Usage(format!(
            "--from {ym}：内容目录里没有这个月份。已有的月份：{}",
            list(months)
        ))),
        None => months.iter().rev().find(|m| **m < month).copied().ok_or_else(|| {
            Error::Usage(format!(
                "没有早于 {month} 的月份可以作为模板（已有：{}）。\n  用 --from YYYY-MM 指定一个月份，或用 gongkai import 表格 --month {month} 从表格导入",
                list(months)
            ))
        }),
    }
}

fn list(months: &[YearMonth]) -> String {
    if months.is_empty() {
        return "无".to_owned();
    }
    months
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join("、")
}

/// The plan section of an item file as its editor wrote it (Markdown, not
/// rendered), to quote in the next month.
fn source_plan(item: &Item) -> Result<String> {
    let raw = fs::read_to_string(&item.path).map_err(|e| Error::io(e, &item.path))?;
    let doc = front_matter::split(&item.path, &raw)
        .map_err(|d| Error::Content(crate::diagnostics::Diagnostics(vec![d])))?;
    Ok(markdown::split_sections(&doc.body).plan.trim().to_owned())
}

/// The new month's item: same identity and file name, empty sections, the
/// earlier plan in a comment under the progress heading.
fn scaffold_item(item: &Item, from: YearMonth, month: YearMonth, plan: &str) -> NewItem {
    let reminder = if plan.is_empty() {
        String::new()
    } else {
        writer::html_comment(
            &format!(
                "{}的“{}”，供填写本月进度参考（注释不会发布，可以删除）：",
                from.chinese(),
                from.plan_heading()
            ),
            plan,
        )
    };
    NewItem {
        stem: item.stem.clone(),
        number: item.number.clone(),
        leaders: item.leaders.clone(),
        project: item.project.clone(),
        department: item.department.clone(),
        key: Some(item.key.clone()),
        draft: true,
        sections: vec![
            (SECTION_PROGRESS.to_owned(), reminder),
            (SECTION_PROBLEMS.to_owned(), String::new()),
            (month.plan_heading(), String::new()),
        ],
    }
}
