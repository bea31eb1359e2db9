//! The data each kind of page shows, the same for every view: one function
//! per page kind, and [`page_data`] picks the page's.

use serde::Serialize;
use tera::Value;

use super::ctx::{link_value, not_in_force, object};
use super::shared::Shared;
use super::timeline::{self, Layout};
use crate::basics::dates::YearMonth;
use crate::load::content::Month;
use crate::model::{Group, ItemRef, Site};
use crate::urls::Page;

/// The data a page shows, the same for every view.
pub fn page_data(site: &Site, shared: &Shared, page: &Page) -> Value {
    match page {
        Page::Home => home(site, shared),
        Page::Month(ym) => month(site, shared, *ym),
        Page::Problems(ym) => problems(site, shared, *ym),
        Page::Item(ym, stem) => item(site, shared, *ym, stem),
        Page::Projects => projects(site),
        Page::Project(slug) => project(site, shared, slug),
        Page::Departments => group_index(
            &site.departments,
            "责任部门",
            "责任部门一览",
            Page::Department,
        ),
        Page::Leaders => group_index(&site.leaders, "责任领导", "责任领导一览", Page::Leader),
        Page::Department(slug) => group(site, shared, &site.departments, "责任部门", slug),
        Page::Leader(slug) => group(site, shared, &site.leaders, "责任领导", slug),
        Page::Search => search(site),
    }
}

/// The latest report and its table, then every report by year, newest first.
fn home(site: &Site, shared: &Shared) -> Value {
    let months = &site.content.months;
    let mut years: Vec<(i32, Vec<Value>)> = Vec::new();
    for (mi, m) in months.iter().enumerate().rev() {
        let entry = shared.month(site, mi);
        match years.last_mut() {
            Some((y, list)) if *y == m.ym.year => list.push(entry),
            _ => years.push((m.ym.year, vec![entry])),
        }
    }
    let latest = months.len().checked_sub(1);
    object([
        ("title", Value::from(site.content.site.title.as_str())),
        ("latest", latest.map(|mi| shared.month(site, mi)).into()),
        (
            "latest_rows",
            latest
                .map(|mi| shared.rows(site, mi))
                .unwrap_or_else(|| Value::from(Vec::<Value>::new())),
        ),
        (
            "years",
            years
                .into_iter()
                .map(|(year, months)| object([("year", year.into()), ("months", months.into())]))
                .collect::<Vec<_>>()
                .into(),
        ),
    ])
}

/// A report: its metadata, its table, and links to the months either side.
fn month(site: &Site, shared: &Shared, ym: YearMonth) -> Value {
    let months = &site.content.months;
    let Some(mi) = months.iter().position(|m| m.ym == ym) else {
        return Value::none();
    };
    let m = &months[mi];
    let link = |m: &Month| {
        link_value(
            format!("{}（{}）", m.ym.chinese(), m.meta.title),
            Page::Month(m.ym).href(),
        )
    };
    object([
        ("title", m.meta.title.as_str().into()),
        ("prev", mi.checked_sub(1).map(|p| link(&months[p])).into()),
        ("next", months.get(mi + 1).map(link).into()),
        ("month", shared.month(site, mi)),
        ("rows", shared.rows(site, mi)),
        ("changes", month_changes(site, mi)),
        (
            "problems",
            link_value(site.problem_items(mi).count(), Page::Problems(m.ym).href()),
        ),
    ])
}

/// 本月变化: the projects new this month and those of the month before that
/// are not reported in this one, as links; `none` for the first month.
fn month_changes(site: &Site, mi: usize) -> Value {
    let Some(before) = mi.checked_sub(1).map(|p| &site.content.months[p]) else {
        return Value::none();
    };
    let (new, gone) = site.month_changes(mi);
    let links = |list: Vec<usize>| -> Value {
        list.into_iter()
            .map(|p| {
                let p = &site.projects[p];
                link_value(p.name.as_str(), Page::Project(p.slug.clone()).href())
            })
            .collect::<Vec<_>>()
            .into()
    };
    object([
        ("before", before.ym.chinese().into()),
        ("new", links(new)),
        ("gone", links(gone)),
    ])
}

/// The month's items whose 存在问题 is not empty, grouped by 责任部门 in the
/// order the departments first appear in the report's table.
fn problems(site: &Site, shared: &Shared, ym: YearMonth) -> Value {
    let months = &site.content.months;
    let Some(mi) = months.iter().position(|m| m.ym == ym) else {
        return Value::none();
    };
    let m = &months[mi];
    let mut groups: Vec<(usize, Vec<Value>)> = Vec::new();
    for ii in site.problem_items(mi) {
        let d = site.department_of[mi][ii];
        let item = shared.item(
            site,
            ItemRef {
                month: mi,
                item: ii,
            },
        );
        match groups.iter_mut().find(|(g, _)| *g == d) {
            Some((_, list)) => list.push(item),
            None => groups.push((d, vec![item])),
        }
    }
    let count: usize = groups.iter().map(|(_, l)| l.len()).sum();
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(d, items)| {
            let g = &site.departments[d];
            object([
                ("name", g.name.as_str().into()),
                ("href", Page::Department(g.slug.clone()).href().into()),
                ("items", items.into()),
            ])
        })
        .collect();
    object([
        ("title", format!("{}存在问题汇总", m.ym.chinese()).into()),
        ("month", shared.month(site, mi)),
        ("count", count.into()),
        ("groups", groups.into()),
    ])
}

/// One item: links to its neighbours in the report and in its project.
fn item(site: &Site, shared: &Shared, ym: YearMonth, stem: &str) -> Value {
    let months = &site.content.months;
    let Some(mi) = months.iter().position(|m| m.ym == ym) else {
        return Value::none();
    };
    let m = &months[mi];
    let Some(ii) = m.items.iter().position(|it| it.stem == stem) else {
        return Value::none();
    };
    let r = ItemRef {
        month: mi,
        item: ii,
    };
    let item_link = |i: usize| {
        link_value(
            m.items[i].project.as_str(),
            Page::Item(m.ym, m.items[i].stem.clone()).href(),
        )
    };
    let project = &site.projects[site.project_of[mi][ii]];
    let pos = project.entries.iter().position(|e| *e == r).unwrap_or(0);
    let project_link = |e: &ItemRef| {
        link_value(
            site.month(*e).ym.chinese(),
            Page::Item(site.month(*e).ym, site.item(*e).stem.clone()).href(),
        )
    };
    object([
        (
            "title",
            format!("{} - {}", m.items[ii].project, m.meta.title).into(),
        ),
        ("prev", ii.checked_sub(1).map(item_link).into()),
        (
            "next",
            (ii + 1 < m.items.len()).then(|| item_link(ii + 1)).into(),
        ),
        (
            "project_prev",
            pos.checked_sub(1)
                .map(|p| project_link(&project.entries[p]))
                .into(),
        ),
        (
            "project_next",
            project.entries.get(pos + 1).map(project_link).into(),
        ),
        ("project_months", project.entries.len().into()),
        ("month", shared.month(site, mi)),
        ("item", shared.item(site, r)),
    ])
}

/// Every project with its span of months and latest department.
fn projects(site: &Site) -> Value {
    #[derive(Serialize)]
    struct Entry<'a> {
        name: &'a str,
        href: String,
        count: usize,
        first: String,
        last: String,
        department: &'a str,
        /// The months drawn in one line (`timeline::strip`).
        strip: String,
    }
    let list: Vec<Entry> = site
        .projects
        .iter()
        .map(|p| Entry {
            name: &p.name,
            href: Page::Project(p.slug.clone()).href(),
            count: p.entries.len(),
            first: site.month(p.entries[0]).ym.chinese(),
            last: site
                .month(*p.entries.last().expect("a project has an entry"))
                .ym
                .chinese(),
            department: &site
                .item(*p.entries.last().expect("a project has an entry"))
                .department,
            strip: timeline::strip(site, &p.entries),
        })
        .collect();
    Value::from_serializable(&serde_json::json!({ "title": "项目一览", "projects": list }))
}

/// A project's items month by month, each beside the plan it followed.
fn project(site: &Site, shared: &Shared, slug: &str) -> Value {
    let Some(p) = site.projects.iter().find(|p| p.slug == slug) else {
        return Value::none();
    };
    let entries: Vec<Value> = p
        .entries
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let prev = i.checked_sub(1).map(|j| p.entries[j]);
            object([
                ("item", shared.item(site, *r)),
                (
                    "prev_plan_html",
                    prev.map(|pr| &*site.item(pr).plan.html).into(),
                ),
                (
                    "prev_label",
                    prev.map(|pr| {
                        format!(
                            "{}的{}",
                            site.month(pr).ym.chinese(),
                            site.month(pr).ym.plan_heading()
                        )
                    })
                    .into(),
                ),
            ])
        })
        .collect();
    object([
        ("title", format!("项目：{}", p.name).into()),
        ("name", p.name.as_str().into()),
        // Both drawings: the mobile view shows the narrow one (`partials/page-project.html`).
        (
            "timeline",
            timeline::project(site, &p.entries, Layout::Wide).into(),
        ),
        (
            "timeline_narrow",
            timeline::project(site, &p.entries, Layout::Narrow).into(),
        ),
        ("entries", entries.into()),
    ])
}

/// The list of departments or of leaders, with their item counts.
fn group_index(groups: &[Group], kind: &str, title: &str, page_of: fn(String) -> Page) -> Value {
    let list: Vec<_> = groups.iter().map(|g| serde_json::json!({ "name": g.name, "href": page_of(g.slug.clone()).href(), "count": g.entries.len() })).collect();
    Value::from_serializable(&serde_json::json!({ "title": title, "kind": kind, "groups": list }))
}

/// A department's or leader's items, grouped by month.
fn group(site: &Site, shared: &Shared, groups: &[Group], kind: &str, slug: &str) -> Value {
    let Some(g) = groups.iter().find(|g| g.slug == slug) else {
        return Value::none();
    };
    // Newest month first; a month's items in report order.
    let mut by_month: Vec<(&Month, Vec<Value>)> = Vec::new();
    for r in g.entries.iter().rev() {
        let m = site.month(*r);
        if by_month.last().is_none_or(|(last, _)| last.ym != m.ym) {
            by_month.push((m, Vec::new()));
        }
        let items = &mut by_month.last_mut().expect("just pushed").1;
        items.push(shared.item(site, *r));
    }
    let by_month: Vec<Value> = by_month
        .into_iter()
        .map(|(m, mut items)| {
            items.reverse();
            object([
                ("label", m.ym.chinese().into()),
                // The anchor the timeline's marks link to.
                ("ym", m.ym.to_string().into()),
                ("href", Page::Month(m.ym).href().into()),
                // 有效性 when not 有效, marked beside the month.
                ("validity", not_in_force(m).into()),
                ("plan_heading", m.ym.plan_heading().into()),
                ("items", items.into()),
            ])
        })
        .collect();
    object([
        ("title", format!("{kind}：{}", g.name).into()),
        ("kind", kind.into()),
        ("name", g.name.as_str().into()),
        ("count", g.entries.len().into()),
        (
            "timeline",
            timeline::group(site, &g.entries, Layout::Wide).into(),
        ),
        (
            "timeline_narrow",
            timeline::group(site, &g.entries, Layout::Narrow).into(),
        ),
        ("months", by_month.into()),
    ])
}

/// The search page: the choices of its month and department filters.
fn search(site: &Site) -> Value {
    let months = &site.content.months;
    // The filters' choices: months newest first, departments by name.
    let months: Vec<_> = months
        .iter()
        .rev()
        .map(|m| serde_json::json!({ "ym": m.ym.to_string(), "label": m.ym.chinese() }))
        .collect();
    let departments: Vec<&str> = site.departments.iter().map(|d| d.name.as_str()).collect();
    Value::from_serializable(&serde_json::json!({
        "title": "搜索",
        "months": months,
        "departments": departments,
        "index_dir": crate::urls::SEARCH_DIR,
    }))
}
