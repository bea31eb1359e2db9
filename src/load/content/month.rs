//! One month folder: its `_index.md` (the report's metadata) and its items,
//! with the checks within a month.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::basics::dates::{Date, YearMonth};
use crate::basics::portable;
use crate::basics::text::{is_web_url, natural_cmp};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::load::content::checks::{check_month_items, check_reserved_stems};
use crate::load::content::folders::is_ignored;
use crate::load::content::item::load_item;
use crate::load::content::read::{read_text, split_front_matter};
use crate::load::content::site::load_site;
use crate::load::content::{Attachment, Change, Item, LoadOptions, Month, MonthMeta, SiteConfig};
use crate::load::fields::{ATTACHMENT, CHANGE, MONTH, VALIDITY_VALUES};
use crate::load::front_matter::FrontMatter;
use crate::load::markdown;

/// Reads `site.yaml` and one month folder, ignoring the other months: what
/// `gongkai new month` needs of its source month, whatever state the rest is
/// in (a month still waiting for its 发文日期 must not block the next one).
pub(crate) fn load_month_only(
    dir: &Path,
    ym: YearMonth,
    opts: LoadOptions,
) -> Result<(Month, Diagnostics), Error> {
    let mut diags = Diagnostics::default();
    let site = load_site(dir, &mut diags)?;
    let (month, d) = load_month(ym, &dir.join(ym.to_string()), &site, opts);
    diags.extend(d);
    diags.sort();
    match month {
        Some(m) if !diags.has_errors() => Ok((m, diags)),
        _ => Err(Error::Content(diags)),
    }
}

/// One month folder: its `_index.md` and every item, with the checks within a month.
pub(super) fn load_month(
    ym: YearMonth,
    dir: &Path,
    site: &SiteConfig,
    opts: LoadOptions,
) -> (Option<Month>, Diagnostics) {
    load_month_with(ym, dir, site, opts, &|stem, path| load_item(ym, stem, path))
}

/// Reads one item file: `(stem, path)` → the item, or why it is not one.
pub(crate) type ItemLoader<'a> = dyn Fn(&str, &Path) -> (Option<Item>, Diagnostics) + Sync + 'a;

/// [`load_month`] with another way to read items: `gongkai serve` passes one
/// that remembers files it parsed before and have not changed since.
pub(crate) fn load_month_with(
    ym: YearMonth,
    dir: &Path,
    site: &SiteConfig,
    opts: LoadOptions,
    load_item: &ItemLoader<'_>,
) -> (Option<Month>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let index = dir.join("_index.md");
    let meta = if index.exists() {
        load_month_meta(ym, &index, dir, site, &mut diags)
    } else {
        diags.push(
            Diagnostic::error(&index, format!("{ym} 月份缺少 _index.md"))
                .help("每个月份文件夹需要一个 _index.md，至少写明 发文日期（issued）"),
        );
        None
    };
    let mut files: Vec<(String, PathBuf)> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".md")?.to_owned();
                // The directory entry knows its type: no stat per file,
                // except to follow a symlink.
                let is_file = e
                    .file_type()
                    .is_ok_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file()));
                (name != "_index.md" && !is_ignored(&name) && is_file).then(|| (stem, e.path()))
            })
            .collect(),
        Err(e) => {
            diags.push(Diagnostic::error(dir, format!("无法读取文件夹：{e}")));
            Vec::new()
        }
    };
    files.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    check_reserved_stems(&mut files, &mut diags);
    let results: Vec<(Option<Item>, Diagnostics)> = files
        .par_iter()
        .map(|(stem, path)| load_item(stem, path))
        .collect();
    let mut items = Vec::new();
    for (item, d) in results {
        diags.extend(d);
        if let Some(item) = item
            && (opts.drafts || !item.draft)
        {
            items.push(item);
        }
    }
    check_month_items(&items, &mut diags);
    (
        meta.map(|meta| Month {
            ym,
            dir: dir.to_path_buf(),
            meta,
            items,
        }),
        diags,
    )
}

fn load_month_meta(
    ym: YearMonth,
    path: &Path,
    dir: &Path,
    site: &SiteConfig,
    diags: &mut Diagnostics,
) -> Option<MonthMeta> {
    let raw = match read_text(path, diags) {
        Ok(raw) => raw?,
        Err(e) => {
            diags.push(Diagnostic::error(path, e.to_string()));
            return None;
        }
    };
    let doc = split_front_matter(path, &raw, "发文日期: 2020-10-27", diags)?;
    let mut errs = Vec::new();
    let fm = FrontMatter::parse(path, &doc, MONTH, &mut errs);
    if !fm.valid {
        diags.0.extend(errs);
        return None;
    }
    let text =
        |name: &str, errs: &mut Vec<Diagnostic>| fm.string(MONTH, name, errs).unwrap_or_default();
    let issued = if !fm.has("issued") {
        fm.report_missing(MONTH, "issued", &mut errs);
        None
    } else if fm
        .string(MONTH, "issued", &mut errs)
        .is_some_and(|s| s.trim().is_empty())
    {
        // `gongkai new month` leaves it empty on purpose, for the editor to fill.
        errs.push(
            Diagnostic::error(path, "发文日期 (issued) 还没有填写")
                .at(&doc.text, fm.line_of("issued"), 1)
                .help("发布前填上这份报告的发文日期，例如 `issued: 2020-10-27`"),
        );
        None
    } else {
        fm.date(MONTH, "issued", &mut errs)
    };
    let published = fm
        .has("published")
        .then(|| fm.date(MONTH, "published", &mut errs))
        .flatten();
    let updated = fm
        .has("updated")
        .then(|| fm.date(MONTH, "updated", &mut errs))
        .flatten();
    let validity_changed = fm
        .has("validity_changed")
        .then(|| fm.date(MONTH, "validity_changed", &mut errs))
        .flatten();
    let mut validity = text("validity", &mut errs);
    if validity.trim().is_empty() {
        validity = VALIDITY_VALUES[0].to_owned();
    } else if !VALIDITY_VALUES.contains(&validity.trim()) {
        errs.push(
            fm.error_at(
                "validity",
                format!("有效性 (validity) 的值“{validity}”不在允许的范围内"),
            )
            .help(format!("只能写以下之一：{}", VALIDITY_VALUES.join("、"))),
        );
    }
    let mut attachments = Vec::new();
    for r in fm.records(MONTH, "attachments", ATTACHMENT, &mut errs) {
        let a = Attachment {
            title: r.values.get("title").cloned().unwrap_or_default(),
            file: r.values.get("file").cloned().unwrap_or_default(),
        };
        let (line, col) = r.position("file");
        if a.file.contains(['/', '\\']) || a.file.starts_with('.') {
            errs.push(
                Diagnostic::error(path, format!("附件文件名 `{}` 不能含有路径", a.file))
                    .at(&doc.text, line, col)
                    .help("把附件放进这个月份的文件夹，文件 (file) 只写文件名，例如 `文件: 附件1.pdf`"),
            );
        } else if let Some(why) = (!a.file.is_empty())
            .then(|| portable::problem(&a.file))
            .flatten()
        {
            errs.push(
                Diagnostic::error(
                    path,
                    format!("附件文件名 `{}` {why}，在 Windows 上不能作文件名", a.file),
                )
                .at(&doc.text, line, col)
                .help("给附件文件改个名字（文件夹里的文件和这里写的文件名都要改），网站要能复制到任何系统"),
            );
        } else if let Some(other) = attachments.iter().find(|o: &&Attachment| {
            o.file != a.file && portable::fold(&o.file) == portable::fold(&a.file)
        }) {
            errs.push(
                Diagnostic::error(
                    path,
                    format!(
                        "附件文件名 `{}` 与 `{}` 只有大小写不同：在 Windows 和 macOS 上是同一个文件",
                        a.file, other.file
                    ),
                )
                .at(&doc.text, line, col)
                .help("给其中一个附件文件改个名字"),
            );
        } else if !a.file.is_empty() && !dir.join(&a.file).is_file() {
            errs.push(
                Diagnostic::error(
                    path,
                    format!("附件文件 `{}` 不在月份文件夹 {} 中", a.file, dir.display()),
                )
                .at(&doc.text, line, col)
                .help("把附件文件放进这个月份的文件夹，或改正文件名（大小写和扩展名都要一致）"),
            );
        } else if !a.file.is_empty() && leaves_content(dir, &a.file) {
            // Published as given, it would put a file from elsewhere on the portal.
            errs.push(
                Diagnostic::error(
                    path,
                    format!("附件 `{}` 是指向内容文件夹以外的链接", a.file),
                )
                .at(&doc.text, line, col)
                .help("把文件本身复制进这个月份的文件夹，不要用链接"),
            );
        }
        attachments.push(a);
    }
    let mut changes = Vec::new();
    for r in fm.records(MONTH, "changes", CHANGE, &mut errs) {
        let date = r.values.get("date").map(|d| Date::parse(d));
        match date {
            Some(Ok(date)) => changes.push(Change {
                date,
                note: r.values.get("note").cloned().unwrap_or_default(),
            }),
            Some(Err(msg)) => {
                let (line, col) = r.position("date");
                errs.push(
                    Diagnostic::error(path, format!("更正记录 (changes) 的日期：{msg}"))
                        .at(&doc.text, line, col)
                        .help("日期写成 2020-10-27 或 2020年10月27日"),
                )
            }
            None => {}
        }
    }
    changes.sort_by_key(|c| c.date);
    let superseded_by = fm
        .string(MONTH, "superseded_by", &mut errs)
        .filter(|s| !s.trim().is_empty());
    // Only a month or a web address may become a link: never `javascript:`.
    let superseded_by = match superseded_by {
        Some(t) if !is_web_url(&t) && YearMonth::parse(t.trim()).is_none() => {
            errs.push(
                fm.error_at(
                    "superseded_by",
                    format!("替代文件 (superseded_by)“{t}”既不是月份也不是网址"),
                )
                .help("写成月份（如 2021-03）或以 https:// 开头的完整网址"),
            );
            None
        }
        other => other,
    };
    let title = text("title", &mut errs);
    let publisher = text("publisher", &mut errs);
    let meta = issued.map(|issued| {
        let published = published.unwrap_or(issued);
        MonthMeta {
            title: if title.trim().is_empty() {
                ym.default_title()
            } else {
                title
            },
            doc_number: text("doc_number", &mut errs),
            index_number: text("index_number", &mut errs),
            publisher: if publisher.trim().is_empty() {
                site.publisher.clone()
            } else {
                publisher
            },
            issued,
            published,
            updated: updated.unwrap_or(published),
            validity: validity.trim().to_owned(),
            validity_changed,
            superseded_by,
            topic: text("topic", &mut errs),
            source: text("source", &mut errs),
            attachments,
            changes,
            preface: markdown::render_in(&doc.body, Some(&format!("{ym}/"))),
        }
    });
    diags.0.extend(errs);
    meta
}

/// A symlink in month folder `dir` whose target is outside the content folder.
fn leaves_content(dir: &Path, file: &str) -> bool {
    let path = dir.join(file);
    let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    let root = dir.parent().and_then(|c| fs::canonicalize(c).ok());
    match (is_link, root, fs::canonicalize(&path)) {
        (true, Some(root), Ok(target)) => !target.starts_with(root),
        _ => false,
    }
}
