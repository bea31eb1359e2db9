//! The site model: the loaded months plus everything derived from them —
//! projects across months, departments, leaders, merged-cell spans. Built
//! once, then only read by rendering.

pub(crate) mod links;
pub(crate) mod slug;

use std::collections::BTreeMap;

use crate::load::content::{Content, Item, Month};
use crate::urls::Page;

/// Points at one item: `site.months[month].items[item]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub month: usize,
    pub item: usize,
}

/// One project (same `key`) across every month, oldest first.
#[derive(Debug, Clone)]
pub struct Project {
    pub key: String,
    pub slug: String,
    /// The name used in the latest month.
    pub name: String,
    pub entries: Vec<ItemRef>,
}

/// Every item of one department or one leader, oldest month first.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub slug: String,
    pub entries: Vec<ItemRef>,
}

/// How a row's merged cells look: `rowspan` of the 责任领导 and 责任部门
/// cells, 0 where the row is covered by a cell above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spans {
    pub leaders: usize,
    pub department: usize,
}

#[derive(Debug)]
pub struct Site {
    pub content: Content,
    pub projects: Vec<Project>,
    pub departments: Vec<Group>,
    pub leaders: Vec<Group>,
    /// Per month, per item: index into `projects`.
    pub project_of: Vec<Vec<usize>>,
    /// Per month, per item: index into `departments`.
    pub department_of: Vec<Vec<usize>>,
    /// Per month, per item: indexes into `leaders`.
    pub leaders_of: Vec<Vec<Vec<usize>>>,
    /// Per month, per item.
    pub spans: Vec<Vec<Spans>>,
}

impl Site {
    pub(crate) fn new(content: Content) -> Site {
        let all = || {
            content.months.iter().enumerate().flat_map(|(m, month)| {
                month
                    .items
                    .iter()
                    .enumerate()
                    .map(move |(i, item)| (ItemRef { month: m, item: i }, item))
            })
        };

        let project_slugs = slug::unique_slugs(all().map(|(_, it)| it.key.as_str()));
        let mut projects: BTreeMap<&str, Project> = BTreeMap::new();
        for (r, it) in all() {
            let p = projects.entry(&it.key).or_insert_with(|| Project {
                key: it.key.clone(),
                slug: project_slugs[&it.key].clone(),
                name: String::new(),
                entries: Vec::new(),
            });
            p.name = it.project.clone();
            p.entries.push(r);
        }
        let mut projects: Vec<Project> = projects.into_values().collect();
        projects.sort_by(|a, b| a.slug.cmp(&b.slug));

        let departments = groups(all().map(|(r, it)| (r, it.department.as_str())));
        let leaders =
            groups(all().flat_map(|(r, it)| it.leaders.iter().map(move |l| (r, l.as_str()))));

        let index_of = |list: &[Group], name: &str| {
            list.iter()
                .position(|g| g.name == name)
                .expect("every name has a group")
        };
        let project_index: BTreeMap<&str, usize> = projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.as_str(), i))
            .collect();
        let project_of = content
            .months
            .iter()
            .map(|m| {
                m.items
                    .iter()
                    .map(|it| project_index[it.key.as_str()])
                    .collect()
            })
            .collect();
        let department_of = content
            .months
            .iter()
            .map(|m| {
                m.items
                    .iter()
                    .map(|it| index_of(&departments, &it.department))
                    .collect()
            })
            .collect();
        let leaders_of = content
            .months
            .iter()
            .map(|m| {
                m.items
                    .iter()
                    .map(|it| it.leaders.iter().map(|l| index_of(&leaders, l)).collect())
                    .collect()
            })
            .collect();
        let spans = content
            .months
            .iter()
            .map(|m| merged_spans(&m.items))
            .collect();
        Site {
            content,
            projects,
            departments,
            leaders,
            project_of,
            department_of,
            leaders_of,
            spans,
        }
    }

    pub(crate) fn item(&self, r: ItemRef) -> &Item {
        &self.content.months[r.month].items[r.item]
    }

    pub(crate) fn month(&self, r: ItemRef) -> &Month {
        &self.content.months[r.month]
    }

    /// The items of month `mi` whose 存在问题 is not empty, in table order.
    pub(crate) fn problem_items(&self, mi: usize) -> impl Iterator<Item = usize> + '_ {
        let items = &self.content.months[mi].items;
        (0..items.len()).filter(|&ii| !items[ii].problems.is_empty())
    }

    /// 本月变化 of month `mi`: the projects new this month (not in the month
    /// before) in table order, and the previous month's projects not reported
    /// in this one, in that month's table order. Indexes into `projects`.
    pub(crate) fn month_changes(&self, mi: usize) -> (Vec<usize>, Vec<usize>) {
        let now = &self.project_of[mi];
        let Some(before) = mi.checked_sub(1).map(|p| &self.project_of[p]) else {
            return (Vec::new(), Vec::new());
        };
        let new = now
            .iter()
            .copied()
            .filter(|p| !before.contains(p))
            .collect();
        let gone = before
            .iter()
            .copied()
            .filter(|p| !now.contains(p))
            .collect();
        (new, gone)
    }

    /// Every page of the site, in a fixed order.
    pub(crate) fn pages(&self) -> Vec<Page> {
        let mut pages = vec![
            Page::Home,
            Page::Projects,
            Page::Departments,
            Page::Leaders,
            Page::Search,
        ];
        for m in &self.content.months {
            pages.push(Page::Month(m.ym));
            pages.push(Page::Problems(m.ym));
            pages.extend(m.items.iter().map(|it| Page::Item(m.ym, it.stem.clone())));
        }
        pages.extend(self.projects.iter().map(|p| Page::Project(p.slug.clone())));
        pages.extend(
            self.departments
                .iter()
                .map(|g| Page::Department(g.slug.clone())),
        );
        pages.extend(self.leaders.iter().map(|g| Page::Leader(g.slug.clone())));
        pages
    }
}

fn groups<'a>(pairs: impl Iterator<Item = (ItemRef, &'a str)> + Clone) -> Vec<Group> {
    let slugs = slug::unique_slugs(pairs.clone().map(|(_, n)| n));
    let mut by_name: BTreeMap<&str, Vec<ItemRef>> = BTreeMap::new();
    for (r, n) in pairs {
        by_name.entry(n).or_default().push(r);
    }
    let mut out: Vec<Group> = by_name
        .into_iter()
        .map(|(name, entries)| Group {
            slug: slugs[name].clone(),
            name: name.to_owned(),
            entries,
        })
        .collect();
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}

/// Consecutive rows with the same 责任领导 (or 责任部门) share one cell, as
/// in the original report where those columns were merged.
pub(crate) fn merged_spans(items: &[Item]) -> Vec<Spans> {
    let mut spans = vec![Spans::default(); items.len()];
    let mut run = |same: &dyn Fn(&Item, &Item) -> bool, set: &dyn Fn(&mut Spans, usize)| {
        let mut start = 0;
        for i in 1..=items.len() {
            if i == items.len() || !same(&items[start], &items[i]) {
                set(&mut spans[start], i - start);
                start = i;
            }
        }
    };
    run(&|a, b| a.leaders == b.leaders, &|s, n| s.leaders = n);
    run(&|a, b| a.department == b.department, &|s, n| {
        s.department = n
    });
    spans
}
