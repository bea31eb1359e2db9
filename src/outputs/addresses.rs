//! `addresses.json`: the address of every project, department and leader
//! page, written with the site. A later `check` or `build` reads the one in
//! the output folder back and warns when the new content would move a
//! published address (SPEC §4), e.g. after an older month is inserted whose
//! name has the same pinyin as one already published.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{fields, front_matter};
use crate::model::{ItemRef, Site, slug};
use crate::urls::Page;

/// The record's file, relative to the output root.
pub(crate) const FILE: &str = "addresses.json";

/// Names the layout; bumped when a field changes meaning.
const SCHEMA: &str = "gongkai/addresses/1";

/// Name (a project's `key`) → page folder from the site root, per kind.
#[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
pub(crate) struct Record {
    schema: String,
    projects: BTreeMap<String, String>,
    departments: BTreeMap<String, String>,
    leaders: BTreeMap<String, String>,
}

impl Record {
    fn of(site: &Site) -> Record {
        Record {
            schema: SCHEMA.to_owned(),
            projects: site
                .projects
                .iter()
                .map(|p| (p.key.clone(), Page::Project(p.slug.clone()).dir()))
                .collect(),
            departments: site
                .departments
                .iter()
                .map(|g| (g.name.clone(), Page::Department(g.slug.clone()).dir()))
                .collect(),
            leaders: site
                .leaders
                .iter()
                .map(|g| (g.name.clone(), Page::Leader(g.slug.clone()).dir()))
                .collect(),
        }
    }
}

/// The record of `site`, to publish with it.
pub(crate) fn file(site: &Site) -> (String, Vec<u8>) {
    let mut json = serde_json::to_vec_pretty(&Record::of(site)).expect("strings serialize");
    json.push(b'\n');
    (FILE.to_owned(), json)
}

/// One kind of page: how to name it in a message, which front-matter keys
/// hold its name (English names, tried in order), and where each name first
/// appears.
struct Kind<'a> {
    label: &'static str,
    keys: &'static [&'static str],
    old: &'a BTreeMap<String, String>,
    new: &'a BTreeMap<String, String>,
    first: BTreeMap<&'a str, ItemRef>,
}

/// Warnings for every address of the record in `output` that `site` would
/// move or give to another page. No record (a first build, or an output
/// written before records existed) means nothing to compare.
pub(crate) fn check(site: &Site, output: &Path) -> Diagnostics {
    let mut out = Diagnostics::default();
    let path = output.join(FILE);
    let Ok(bytes) = std::fs::read(&path) else {
        return out;
    };
    let old: Record = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => {
            out.push(
                Diagnostic::warning(&path, format!("读不懂上次生成的地址记录（{e}）"))
                    .help("无法检查本次生成是否会改变已发布页面的地址；重新生成后会写入新的记录"),
            );
            return out;
        }
    };
    let new = Record::of(site);
    let kinds = [
        Kind {
            label: "项目",
            keys: &["key", "project"],
            old: &old.projects,
            new: &new.projects,
            first: site
                .projects
                .iter()
                .map(|p| (p.key.as_str(), p.entries[0]))
                .collect(),
        },
        Kind {
            label: "责任部门",
            keys: &["department"],
            old: &old.departments,
            new: &new.departments,
            first: site
                .departments
                .iter()
                .map(|g| (g.name.as_str(), g.entries[0]))
                .collect(),
        },
        Kind {
            label: "责任领导",
            keys: &["leaders"],
            old: &old.leaders,
            new: &new.leaders,
            first: site
                .leaders
                .iter()
                .map(|g| (g.name.as_str(), g.entries[0]))
                .collect(),
        },
    ];
    for kind in &kinds {
        let holder: BTreeMap<&str, &str> = kind
            .new
            .iter()
            .map(|(name, dir)| (dir.as_str(), name.as_str()))
            .collect();
        for (name, was) in kind.old {
            let now = kind.new.get(name);
            let taker = holder.get(was.as_str()).copied().filter(|t| t != name);
            let label = kind.label;
            let message = match (now, taker) {
                (Some(now), _) if now == was => continue,
                (Some(now), Some(t)) => format!(
                    "已发布的地址将改变：{label}“{name}”的页面从 {was} 移到 {now}，原地址改给了更早出现的同音名称“{t}”"
                ),
                (Some(now), None) => {
                    format!("已发布的地址将改变：{label}“{name}”的页面从 {was} 移到 {now}")
                }
                (None, Some(t)) => format!(
                    "已发布的地址将改变：{was} 原是{label}“{name}”的页面，将改为“{t}”的页面"
                ),
                // The name is gone from the content: its page goes, which
                // is not a move.
                (None, None) => continue,
            };
            // Point at where the name that now holds the address (or the
            // moved one) first appears: that is the file that decided it.
            let culprit = taker.unwrap_or(name);
            let Some(&first) = kind.first.get(culprit) else {
                continue;
            };
            let d = Diagnostic::warning(&site.item(first).path, message).help(
                "地址按名称首次出现的先后分配（最早的月份、表格中靠前的一行先得到不带后缀的地址）。\
                 若两者其实是同一名称的不同写法（如繁简体、错别字），请统一写法；\
                 否则请在门户上把旧地址跳转到新地址，已收藏的链接和搜索引擎才不会失效",
            );
            out.push(at_key(d, &site.item(first).path, kind.keys));
        }
    }
    out.sort();
    out
}

/// A warning for every project, department and leader whose plain slug is a
/// name Windows refuses (`CON`, `aux`, `com1`…), so its page got a suffixed
/// address (`model::slug::unique_slugs`): at the key in the file where the
/// name first appears, with the address it gets.
pub(crate) fn reserved_names(site: &Site) -> Diagnostics {
    let mut out = Diagnostics::default();
    let projects = site.projects.iter().map(|p| {
        let page = Page::Project(p.slug.clone());
        ("项目", &["key", "project"][..], &p.key, p.entries[0], page)
    });
    let departments = site.departments.iter().map(|g| {
        let page = Page::Department(g.slug.clone());
        ("责任部门", &["department"][..], &g.name, g.entries[0], page)
    });
    let leaders = site.leaders.iter().map(|g| {
        let page = Page::Leader(g.slug.clone());
        ("责任领导", &["leaders"][..], &g.name, g.entries[0], page)
    });
    for (label, keys, name, first, page) in projects.chain(departments).chain(leaders) {
        let plain = slug::slugify(name);
        if !slug::is_reserved(&plain) {
            continue;
        }
        let path = &site.item(first).path;
        let d = Diagnostic::warning(
            path,
            format!(
                "{label}“{name}”的地址 {plain} 是 Windows 的保留名，页面改用地址 {}",
                page.dir()
            ),
        )
        .help(
            "CON、PRN、AUX、NUL、COM1–COM9、LPT1–LPT9 在 Windows 上不能作文件夹名，\
             为了网站能复制到任何系统，这样的地址加了后缀；后缀只取决于名称本身，以后不会再变",
        );
        out.push(at_key(d, path, keys));
    }
    out.sort();
    out
}

/// Points a warning at the first of `keys` (or its alias) found in the
/// file's front matter. The file is read again: this happens only on a move.
fn at_key(d: Diagnostic, path: &Path, keys: &[&str]) -> Diagnostic {
    let Ok(raw) = std::fs::read_to_string(path) else {
        return d;
    };
    let text = front_matter::normalise(&raw);
    for f in keys.iter().filter_map(|k| fields::lookup(fields::ITEM, k)) {
        if let Some((line, col)) = front_matter::find_key(&text, &[f.name, f.alias]) {
            return d.at(&text, line, col);
        }
    }
    d
}
