//! What each page shows, reduced to one number. After a rebuild, a page whose
//! key is unchanged renders to the same bytes, so the preview keeps it; every
//! other page is rendered again. This is how an edit to one item re-renders
//! that item's pages and the pages that list it, and nothing else.
//!
//! Two users: the preview (`preview/engine.rs`) re-renders the pages whose key
//! changed since its last rebuild; `gongkai build` (`publish/record.rs`) keeps
//! the files of pages whose key equals the one recorded by the last build.
//!
//! The keys mirror [`crate::render::page_data`]: when a page starts to show
//! something new, hash it here too. `tests/it/preview_incremental.rs` and
//! `tests/it/publishing.rs` replay random edits and compare the preview and the
//! incremental build with full builds, so a key that misses a field fails there.

use std::collections::hash_map::DefaultHasher;
use std::fmt::{self, Debug, Write};
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

use crate::model::{ItemRef, Site};
use crate::urls::Page;

/// Page → key. Fx hashing for the map itself: it only indexes, the keys are SipHash.
pub(crate) type Keys = FxHashMap<Page, u64>;

/// What one month's files said, as hashes ([`month_hashes`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MonthHashes {
    /// The month's metadata as loaded (`debug_hash` of `(ym, meta)`).
    pub meta: u64,
    /// Each item, in table order: its `source`, a hash of its month, file
    /// name and bytes, which are all an `Item` is made from.
    pub items: Vec<u64>,
}

/// Hashes a value's `Debug` form, which covers every field — including
/// fields added to `Item` or `MonthMeta` later.
pub(crate) fn debug_hash<T: Debug + ?Sized>(value: &T) -> u64 {
    struct Sink(DefaultHasher);
    impl fmt::Write for Sink {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut sink = Sink(DefaultHasher::new());
    let _ = write!(sink, "{value:?}");
    sink.0.finish()
}

/// [`MonthHashes`] of every loaded month, from what was loaded: each item's
/// [`source`](crate::load::content::Item::source) hash.
pub(crate) fn month_hashes(site: &Site) -> Vec<MonthHashes> {
    site.content
        .months
        .iter()
        .map(|m| MonthHashes {
            meta: debug_hash(&(m.ym, &m.meta)),
            items: m.items.iter().map(|it| it.source).collect(),
        })
        .collect()
}

fn key(fill: impl FnOnce(&mut DefaultHasher)) -> u64 {
    let mut h = DefaultHasher::new();
    fill(&mut h);
    h.finish()
}

/// The key of every page of `site`. `hashes` is aligned with `site.content.months`.
pub(crate) fn page_keys(site: &Site, hashes: &[MonthHashes]) -> Keys {
    let months = &site.content.months;
    assert_eq!(months.len(), hashes.len(), "one MonthHashes per month");

    // What `render::month_ctx` shows: the metadata, the month, the item count.
    let month_ctx: Vec<u64> = months
        .iter()
        .zip(hashes)
        .map(|(m, h)| key(|k| (h.meta, m.ym, m.items.len()).hash(k)))
        .collect();
    // The names and slugs an item links to, hashed once per project or group.
    let link = |name: &str, slug: &str| key(|k| (name, slug).hash(k));
    let leader_links: Vec<u64> = site
        .leaders
        .iter()
        .map(|g| link(&g.name, &g.slug))
        .collect();
    let department_links: Vec<u64> = site
        .departments
        .iter()
        .map(|g| link(&g.name, &g.slug))
        .collect();
    let project_links: Vec<u64> = site
        .projects
        .iter()
        .map(|p| link(&p.key, &p.slug))
        .collect();
    // What `render::item_ctx` shows: the item plus the names and slugs it links to.
    let item_ctx: Vec<Vec<u64>> = months
        .iter()
        .enumerate()
        .map(|(mi, m)| {
            (0..m.items.len())
                .map(|ii| {
                    key(|k| {
                        hashes[mi].items[ii].hash(k);
                        // Lists mark items of reports no longer in force.
                        (m.ym, &m.meta.validity).hash(k);
                        for &l in &site.leaders_of[mi][ii] {
                            leader_links[l].hash(k);
                        }
                        department_links[site.department_of[mi][ii]].hash(k);
                        project_links[site.project_of[mi][ii]].hash(k);
                    })
                })
                .collect()
        })
        .collect();
    let row = |k: &mut DefaultHasher, mi: usize, ii: usize| {
        item_ctx[mi][ii].hash(k);
        let s = site.spans[mi][ii];
        (s.leaders, s.department).hash(k);
    };
    let entries = |k: &mut DefaultHasher, list: &[ItemRef]| {
        list.len().hash(k);
        for r in list {
            item_ctx[r.month][r.item].hash(k);
        }
    };

    // The archive's months: every timeline (`render::timeline`) draws them all.
    let archive = key(|k| {
        for m in months {
            m.ym.hash(k);
        }
    });

    let month_index: FxHashMap<_, usize> =
        months.iter().enumerate().map(|(i, m)| (m.ym, i)).collect();
    let item_index: Vec<FxHashMap<&str, usize>> = months
        .iter()
        .map(|m| {
            m.items
                .iter()
                .enumerate()
                .map(|(i, it)| (it.stem.as_str(), i))
                .collect()
        })
        .collect();
    let project_index: FxHashMap<&str, usize> = site
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.as_str(), i))
        .collect();
    let group_index = |groups: &[crate::model::Group]| -> FxHashMap<String, usize> {
        groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.slug.clone(), i))
            .collect()
    };
    let department_index = group_index(&site.departments);
    let leader_index = group_index(&site.leaders);

    let mut keys = Keys::default();
    for page in site.pages() {
        let k = match &page {
            Page::Home => key(|k| {
                month_ctx.hash(k);
                if let Some(mi) = months.len().checked_sub(1) {
                    for ii in 0..months[mi].items.len() {
                        row(k, mi, ii);
                    }
                }
            }),
            Page::Month(ym) => {
                let mi = month_index[ym];
                key(|k| {
                    month_ctx[mi].hash(k);
                    for ii in 0..months[mi].items.len() {
                        row(k, mi, ii);
                    }
                    // 本月变化: the projects new and gone since the month before, by name.
                    let (new, gone) = site.month_changes(mi);
                    for p in new.iter().chain(&gone) {
                        project_links[*p].hash(k);
                        site.projects[*p].name.hash(k);
                    }
                    (new.len(), gone.len()).hash(k);
                    // Previous and next month: their titles label the links.
                    mi.checked_sub(1).map(|p| month_ctx[p]).hash(k);
                    month_ctx.get(mi + 1).hash(k);
                })
            }
            // The month's metadata and every item with 存在问题 (its context
            // holds the problem text and the department it is grouped under).
            Page::Problems(ym) => {
                let mi = month_index[ym];
                key(|k| {
                    month_ctx[mi].hash(k);
                    for ii in site.problem_items(mi) {
                        (ii, item_ctx[mi][ii]).hash(k);
                    }
                })
            }
            Page::Item(ym, stem) => {
                let mi = month_index[ym];
                let items = &months[mi].items;
                let ii = item_index[mi][stem.as_str()];
                let r = ItemRef {
                    month: mi,
                    item: ii,
                };
                let project = &site.projects[site.project_of[mi][ii]];
                let pos = project.entries.iter().position(|e| *e == r).unwrap_or(0);
                let neighbour = |e: &ItemRef| (site.month(*e).ym, &site.item(*e).stem);
                key(|k| {
                    month_ctx[mi].hash(k);
                    item_ctx[mi][ii].hash(k);
                    // Previous and next row: linked by project name.
                    let link = |i: usize| (&items[i].project, &items[i].stem);
                    ii.checked_sub(1).map(link).hash(k);
                    (ii + 1 < items.len()).then(|| link(ii + 1)).hash(k);
                    // The same project's previous and next month, and its length.
                    pos.checked_sub(1)
                        .map(|p| neighbour(&project.entries[p]))
                        .hash(k);
                    project.entries.get(pos + 1).map(neighbour).hash(k);
                    project.entries.len().hash(k);
                })
            }
            Page::Projects => key(|k| {
                archive.hash(k);
                for p in &site.projects {
                    // The strip: the months reported, and those with 存在问题.
                    for r in &p.entries {
                        (r.month, site.item(*r).problems.is_empty()).hash(k);
                    }
                    let (first, last) = (p.entries[0], p.entries[p.entries.len() - 1]);
                    (&p.name, &p.slug, p.entries.len()).hash(k);
                    (site.month(first).ym, site.month(last).ym).hash(k);
                    site.item(last).department.hash(k);
                }
            }),
            Page::Project(slug) => {
                let p = &site.projects[project_index[slug.as_str()]];
                key(|k| {
                    archive.hash(k);
                    (&p.name, p.entries.len()).hash(k);
                    for (i, r) in p.entries.iter().enumerate() {
                        item_ctx[r.month][r.item].hash(k);
                        // The previous month's plan, shown beside this month's progress.
                        if let Some(prev) = i.checked_sub(1).map(|j| p.entries[j]) {
                            (hashes[prev.month].items[prev.item], site.month(prev).ym).hash(k);
                        }
                    }
                })
            }
            Page::Departments | Page::Leaders => {
                let groups = if page == Page::Departments {
                    &site.departments
                } else {
                    &site.leaders
                };
                key(|k| {
                    for g in groups {
                        (&g.name, &g.slug, g.entries.len()).hash(k);
                    }
                })
            }
            Page::Department(slug) | Page::Leader(slug) => {
                let g = if matches!(page, Page::Department(_)) {
                    &site.departments[department_index[slug]]
                } else {
                    &site.leaders[leader_index[slug]]
                };
                key(|k| {
                    archive.hash(k);
                    g.name.hash(k);
                    entries(k, &g.entries);
                })
            }
            // The filters: every month and every department.
            Page::Search => key(|k| {
                for m in months {
                    m.ym.hash(k);
                }
                for d in &site.departments {
                    d.name.hash(k);
                }
            }),
        };
        keys.insert(page, k);
    }
    keys
}
