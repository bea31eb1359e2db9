//! Per-item and per-month template values, made once and shared by pages.

use std::sync::OnceLock;

use tera::Value;

use super::ctx::{item_ctx, month_ctx, object};
use crate::model::{ItemRef, Site};

/// Values many pages show, made once per model on first use: an item
/// appears on its own page, its month's table, its project page and the
/// pages of its department and leaders, in every view. Building its
/// [`Value`] once and sharing it (tera values are reference counted) instead
/// of serializing it for each of those pages was the largest cost of a build.
pub struct Shared {
    months: Vec<OnceLock<Value>>,
    /// Per month, per item.
    items: Vec<Vec<OnceLock<Value>>>,
    /// Per month: its table rows, the item plus merged-cell spans.
    rows: Vec<OnceLock<Value>>,
}

impl Shared {
    /// An empty cache sized for `site`: cheap, values are made when asked for.
    pub fn new(site: &Site) -> Shared {
        let months = &site.content.months;
        Shared {
            months: months.iter().map(|_| OnceLock::new()).collect(),
            items: months
                .iter()
                .map(|m| m.items.iter().map(|_| OnceLock::new()).collect())
                .collect(),
            rows: months.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    pub(super) fn month(&self, site: &Site, mi: usize) -> Value {
        self.months[mi]
            .get_or_init(|| Value::from_serializable(&month_ctx(&site.content.months[mi])))
            .clone()
    }

    pub(super) fn item(&self, site: &Site, r: ItemRef) -> Value {
        self.items[r.month][r.item]
            .get_or_init(|| Value::from_serializable(&item_ctx(site, r)))
            .clone()
    }

    pub(super) fn rows(&self, site: &Site, month: usize) -> Value {
        self.rows[month]
            .get_or_init(|| {
                let rows: Vec<Value> = site.spans[month]
                    .iter()
                    .enumerate()
                    .map(|(item, s)| {
                        object([
                            ("item", self.item(site, ItemRef { month, item })),
                            ("leader_span", s.leaders.into()),
                            ("department_span", s.department.into()),
                        ])
                    })
                    .collect();
                Value::from(rows)
            })
            .clone()
    }
}
