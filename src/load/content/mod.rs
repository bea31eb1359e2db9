//! Loading: reads `content/` into plain structs — the site settings, the
//! months and their items — with every cell's Markdown rendered once.
//! Problems found on the way are collected, not thrown, so `check` can
//! report them all at once.

mod checks;
mod folders;
mod item;
mod month;
mod read;
mod site;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::basics::dates::{Date, YearMonth};
use crate::diagnostics::Diagnostics;
use crate::error::Error;
use crate::load::markdown::Rendered;
use crate::urls::View;

use checks::check_cross_month;
pub(crate) use checks::index_serial;
pub(crate) use folders::{is_ignored, meant_month, month_dirs, month_folders};
pub(crate) use item::{item_from_bytes, load_item};
use month::load_month;
pub(crate) use month::{load_month_only, load_month_with};
#[cfg(test)]
pub(crate) use site::MAX_BASE_URL;
pub(crate) use site::{identification_warning, load_site, normalise_base_url};

/// `site.yaml`.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub publisher: String,
    /// Always ends with `/` when set.
    pub base_url: Option<String>,
    pub language: String,
    pub views: Vec<View>,
    /// 主办单位: the office that runs the site; the publisher unless given.
    pub organizer: String,
    /// 网站标识码, ICP备案号, 公安备案号: empty when not given.
    pub site_id_code: String,
    pub icp: String,
    pub police_record: String,
    /// 索引号前缀: when set, every 索引号 should read `<prefix>/<YYYY>-<NNNNN>`.
    pub index_prefix: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub title: String,
    pub file: String,
}

#[derive(Debug, Clone)]
pub struct Change {
    pub date: Date,
    pub note: String,
}

/// A month's `_index.md`: the report's official metadata.
#[derive(Debug, Clone)]
pub struct MonthMeta {
    pub title: String,
    pub doc_number: String,
    pub index_number: String,
    pub publisher: String,
    pub issued: Date,
    pub published: Date,
    pub updated: Date,
    pub validity: String,
    pub validity_changed: Option<Date>,
    pub superseded_by: Option<String>,
    pub topic: String,
    pub source: String,
    pub attachments: Vec<Attachment>,
    pub changes: Vec<Change>,
    pub preface: Rendered,
}

/// One row of a report's table.
#[derive(Debug, Clone)]
pub struct Item {
    /// File name without `.md`: the item's URL segment.
    pub stem: String,
    pub path: PathBuf,
    /// A hash of the month, the file's name and its bytes: all the item is
    /// made from, so two items with the same `source` are the same.
    pub source: u64,
    pub number: Option<String>,
    pub leaders: Vec<String>,
    pub project: String,
    pub department: String,
    /// Cross-month identity; the project name unless given.
    pub key: String,
    pub draft: bool,
    pub progress: Rendered,
    pub problems: Rendered,
    pub plan: Rendered,
}

#[derive(Debug, Clone)]
pub struct Month {
    pub ym: YearMonth,
    pub dir: PathBuf,
    pub meta: MonthMeta,
    /// Items in table order (natural file-name order).
    pub items: Vec<Item>,
}

/// Everything read from the content folder.
#[derive(Debug, Clone)]
pub struct Content {
    pub dir: PathBuf,
    pub site: SiteConfig,
    /// Months in date order.
    pub months: Vec<Month>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include items marked `draft`.
    pub drafts: bool,
}

/// Reads and checks the whole content folder. Warnings come back with the
/// content; any error fails the load with every diagnostic found.
pub fn load(dir: &Path, opts: LoadOptions) -> Result<(Content, Diagnostics), Error> {
    if !dir.is_dir() {
        return Err(missing_content_dir(dir));
    }
    let mut diags = Diagnostics::default();
    let site = load_site(dir, &mut diags)?;
    let month_dirs = month_dirs(dir, &mut diags)?;
    let loaded: Vec<(Option<Month>, Diagnostics)> = month_dirs
        .par_iter()
        .map(|(ym, path)| load_month(*ym, path, &site, opts))
        .collect();
    assemble(dir, site, loaded, diags)
}

/// Puts loaded months (in date order) together and runs the checks that span
/// months. `gongkai serve` reloads single months and calls this too, so a
/// preview checks exactly what a build checks.
pub(crate) fn assemble(
    dir: &Path,
    site: SiteConfig,
    loaded: Vec<(Option<Month>, Diagnostics)>,
    mut diags: Diagnostics,
) -> Result<(Content, Diagnostics), Error> {
    let mut months = Vec::new();
    for (m, d) in loaded {
        diags.extend(d);
        months.extend(m);
    }
    check_cross_month(&site, &months, &mut diags);
    diags.sort();
    if diags.has_errors() {
        return Err(Error::Content(diags));
    }
    Ok((
        Content {
            dir: dir.to_path_buf(),
            site,
            months,
        },
        diags,
    ))
}

/// The content folder is not there: said the same way by every command that needs one.
pub(crate) fn missing_content_dir(dir: &Path) -> Error {
    Error::Usage(format!(
        "找不到内容目录 {}：用 --content 指定内容所在的文件夹",
        dir.display()
    ))
}
