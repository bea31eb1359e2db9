//! Loading: reads `content/` into plain structs — the site settings, the
//! months and their items — with every cell's Markdown rendered once.
//! Problems found on the way are collected, not thrown, so `check` can
//! report them all at once.

use std::cmp::Ordering;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::basics::dates::{Date, YearMonth};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::load::fields::{self, ATTACHMENT, CHANGE, ITEM, MONTH, SITE, VALIDITY_VALUES};
use crate::load::front_matter::{self, Document, FrontMatter};
use crate::load::markdown::{self, Rendered};
use crate::urls::View;

/// Files larger than this are probably pasted by mistake (a whole document in one cell).
const LARGE_FILE: u64 = 1024 * 1024;

/// `site.yaml`.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub publisher: String,
    /// Always ends with `/` when set.
    pub base_url: Option<String>,
    pub language: String,
    pub views: Vec<View>,
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
        return Err(Error::Usage(format!(
            "找不到内容目录 {}：用 --content 指定内容所在的文件夹",
            dir.display()
        )));
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

/// The month folders of `dir` in date order; other folders are warned about.
pub fn month_dirs(dir: &Path, diags: &mut Diagnostics) -> Result<Vec<(YearMonth, PathBuf)>, Error> {
    let mut month_dirs = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| Error::io(e, dir))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(e, dir))?;
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored(&name) {
            continue;
        }
        match YearMonth::parse(&name) {
            Some(ym) => month_dirs.push((ym, path)),
            None => diags.push(
                Diagnostic::warning(
                    &path,
                    format!("文件夹 `{name}` 不是 YYYY-MM 格式的月份，已跳过"),
                )
                .help("月份文件夹应命名为 2020-07 这样的形式"),
            ),
        }
    }
    month_dirs.sort();
    Ok(month_dirs)
}

/// Puts loaded months (in date order) together and runs the checks that span
/// months. `gongkai serve` reloads single months and calls this too, so a
/// preview checks exactly what a build checks.
pub fn assemble(
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
    check_cross_month(&months, &mut diags);
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

/// Reads `site.yaml` and one month folder, ignoring the other months: what
/// `gongkai new month` needs of its source month, whatever state the rest is
/// in (a month still waiting for its 发文日期 must not block the next one).
pub fn load_month_only(
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

/// The `YYYY-MM` folders of a content folder, in date order.
pub fn month_folders(dir: &Path) -> Result<Vec<YearMonth>, Error> {
    let mut months: Vec<YearMonth> = fs::read_dir(dir)
        .map_err(|e| Error::io(e, dir))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| YearMonth::parse(&e.file_name().to_string_lossy()))
        .collect();
    months.sort();
    Ok(months)
}

/// Editor swap and backup files, hidden files: never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Reads a file as UTF-8, saying so plainly when it is GBK or another encoding.
fn read_text(path: &Path, diags: &mut Diagnostics) -> Result<Option<String>, Error> {
    let bytes = fs::read(path).map_err(|e| Error::io(e, path))?;
    if bytes.len() as u64 > LARGE_FILE {
        diags.push(
            Diagnostic::warning(
                path,
                format!(
                    "文件有 {} KiB，超过 1 MiB：是否误贴了整篇文档？",
                    bytes.len() / 1024
                ),
            )
            .help("一个单元格的内容通常只有几段话；长文档请作为附件放进月份文件夹"),
        );
    }
    match String::from_utf8(bytes) {
        Ok(s) => {
            if s.trim_start_matches('\u{feff}').trim().is_empty() {
                diags.push(
                    Diagnostic::error(path, "文件是空的")
                        .help("删除这个文件，或按格式填写 front matter 和正文"),
                );
                return Ok(None);
            }
            Ok(Some(s))
        }
        Err(e) => {
            let encoding = if looks_like_gbk(e.as_bytes()) {
                "看起来是 GBK/GB2312 编码（Windows 记事本、WPS 的默认编码）"
            } else {
                "编码无法识别"
            };
            // Shown as decoded with replacement characters: garbled, but it
            // tells the clerk which line of which file.
            let text = String::from_utf8_lossy(e.as_bytes());
            let upto = &text[..text.find('\u{fffd}').unwrap_or(0)];
            let line = upto.matches('\n').count() + 1;
            let column = upto.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            diags.push(
                Diagnostic::error(
                    path,
                    format!("文件不是 UTF-8 编码：{encoding}，第 {line} 行起无法读取"),
                )
                .at(&text, line, column)
                .help(format!(
                    "用编辑器“另存为”并选择 UTF-8 编码，或运行 `iconv -f GBK -t UTF-8 {0} > 新文件` 后替换 {0}",
                    path.display()
                )),
            );
            Ok(None)
        }
    }
}

/// True when every non-ASCII byte forms a GBK double-byte character: lead
/// 0x81–0xFE, trail 0x40–0xFE except 0x7F.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut wide = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x00..=0x7F => i += 1,
            0x81..=0xFE => match bytes.get(i + 1) {
                Some(0x40..=0x7E | 0x80..=0xFE) => {
                    wide += 1;
                    i += 2;
                }
                _ => return false,
            },
            _ => return false,
        }
    }
    wide > 0
}

/// `site.yaml`, or the defaults when there is none.
pub fn load_site(dir: &Path, diags: &mut Diagnostics) -> Result<SiteConfig, Error> {
    let path = dir.join("site.yaml");
    let mut site = SiteConfig {
        title: "政府信息公开".into(),
        publisher: String::new(),
        base_url: None,
        language: "zh-CN".into(),
        views: View::ALL.to_vec(),
    };
    if !path.exists() {
        diags.push(
            Diagnostic::warning(&path, "没有 site.yaml，使用默认设置")
                .help("写一个 site.yaml，至少包含 title、publisher 和 base_url"),
        );
        return Ok(site);
    }
    let Some(raw) = read_text(&path, diags)? else {
        return Ok(site);
    };
    // site.yaml is all front matter: wrap it so the same reader applies.
    let doc = Document {
        yaml: front_matter::normalise(&raw),
        text: front_matter::normalise(&raw),
        yaml_line: 1,
        body: String::new(),
        body_line: 1,
    };
    let mut errs = Vec::new();
    let fm = FrontMatter::parse(&path, &doc, SITE, &mut errs);
    if let Some(t) = fm.string(SITE, "title", &mut errs) {
        site.title = t;
    }
    if let Some(p) = fm.string(SITE, "publisher", &mut errs) {
        site.publisher = p;
    }
    if let Some(lang) = fm
        .string(SITE, "language", &mut errs)
        .filter(|l| !l.is_empty())
    {
        site.language = lang;
    }
    if let Some(url) = fm
        .string(SITE, "base_url", &mut errs)
        .filter(|u| !u.trim().is_empty())
    {
        match normalise_base_url(&url) {
            Ok(u) => site.base_url = Some(u),
            Err(msg) => {
                errs.push(Diagnostic::error(&path, msg).at(&doc.text, fm.line_of("base_url"), 1))
            }
        }
    }
    if let Some(views) = fm.string_list(SITE, "views", &mut errs) {
        let mut chosen = Vec::new();
        for v in views {
            match View::from_name(&v) {
                Some(view) if !chosen.contains(&view) => chosen.push(view),
                Some(_) => {}
                None => errs.push(
                    Diagnostic::error(&path, format!("未知视图 `{v}`"))
                        .at(&doc.text, fm.line_of("views"), 1)
                        .help("可用视图：html, print, mobile"),
                ),
            }
        }
        if !chosen.contains(&View::Html) {
            errs.push(Diagnostic::error(&path, "views 必须包含 html").at(
                &doc.text,
                fm.line_of("views"),
                1,
            ));
        }
        chosen.sort();
        site.views = chosen;
    }
    diags.0.extend(errs);
    Ok(site)
}

/// Checks a base URL is absolute http(s) and makes it end with `/`.
pub fn normalise_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.contains(char::is_whitespace)
    {
        return Err(format!(
            "base_url “{url}” 应当是以 http:// 或 https:// 开头的完整网址"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

/// One month folder: its `_index.md` and every item, with the checks within a month.
pub fn load_month(
    ym: YearMonth,
    dir: &Path,
    site: &SiteConfig,
    opts: LoadOptions,
) -> (Option<Month>, Diagnostics) {
    load_month_with(ym, dir, site, opts, &|stem, path| load_item(ym, stem, path))
}

/// Reads one item file: `(stem, path)` → the item, or why it is not one.
pub type ItemLoader<'a> = dyn Fn(&str, &Path) -> (Option<Item>, Diagnostics) + Sync + 'a;

/// [`load_month`] with another way to read items: `gongkai serve` passes one
/// that remembers files it parsed before and have not changed since.
pub fn load_month_with(
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

/// Reads and checks one item file of month `ym`.
pub fn load_item(ym: YearMonth, stem: &str, path: &Path) -> (Option<Item>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let raw = match read_text(path, &mut diags) {
        Ok(Some(raw)) => raw,
        Ok(None) => return (None, diags),
        Err(e) => {
            diags.push(Diagnostic::error(path, e.to_string()));
            return (None, diags);
        }
    };
    let Some(doc) = split_front_matter(path, &raw, "责任领导: 张三", &mut diags) else {
        return (None, diags);
    };
    let mut errs = Vec::new();
    let fm = FrontMatter::parse(path, &doc, ITEM, &mut errs);
    if !fm.valid {
        diags.0.extend(errs);
        return (None, diags);
    }
    let number = fm
        .string(ITEM, "number", &mut errs)
        .filter(|n| !n.trim().is_empty());
    let leaders = match fm.string_list(ITEM, "leaders", &mut errs) {
        Some(l) if l.iter().any(|s| !s.trim().is_empty()) => Some(l),
        Some(_) => {
            errs.push(
                fm.error_at(
                    "leaders",
                    format!(
                        "必填字段 {} 是空的",
                        fields::label(fields::lookup(ITEM, "leaders").expect("declared"))
                    ),
                )
                .help("写上责任领导的名字，多位领导写成 `[张三, 李四]`"),
            );
            None
        }
        None if !fm.has("leaders") => {
            fm.report_missing(ITEM, "leaders", &mut errs);
            None
        }
        None => None,
    };
    let project = fm.required_string(ITEM, "project", &mut errs);
    let department = fm.required_string(ITEM, "department", &mut errs);
    let key = fm
        .string(ITEM, "key", &mut errs)
        .filter(|k| !k.trim().is_empty());
    let draft = fm.bool(ITEM, "draft", &mut errs).unwrap_or(false);

    let body = markdown::split_sections(&doc.body);
    for (line, heading) in &body.unknown_headings {
        diags.push(
            Diagnostic::warning(path, format!("正文小标题“{heading}”不是三个栏目之一，内容并入上一栏"))
                .at(&doc.text, doc.body_line + line - 1, 4)
                .help("栏目小标题只能是 `## 本月进度情况`、`## 存在问题`、`## 下月安排`（或 `## N月具体进度安排`）"),
        );
    }
    if let Some(line) = body.text_before_heading {
        diags.push(
            Diagnostic::warning(path, "正文在第一个栏目小标题之前，按“本月进度情况”处理")
                .at(&doc.text, doc.body_line + line - 1, 1)
                .help("在正文前加一行 `## 本月进度情况`"),
        );
    }
    let base = format!("{ym}/");
    let progress = markdown::render_in(&body.progress, Some(&base));
    let problems = markdown::render_in(&body.problems, Some(&base));
    let plan = markdown::render_in(&body.plan, Some(&base));
    if [&progress, &problems, &plan]
        .iter()
        .any(|r| r.leftover_markup)
    {
        let (line, col) = leftover_position(&doc.body);
        diags.push(
            Diagnostic::warning(path, "正文里有未生效的 `**` 或 `~~`，读者会看到这些符号")
                .at(&doc.text, doc.body_line + line - 1, col)
                .help("加粗写成 `**文字**`、删除线写成 `~~文字~~`，标记要成对"),
        );
    }
    diags.0.extend(errs);
    let item = match (leaders, project, department) {
        (Some(leaders), Some(project), Some(department)) if !diags.has_errors() => Some(Item {
            stem: stem.to_owned(),
            path: path.to_path_buf(),
            number,
            leaders: leaders
                .into_iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect(),
            key: key.unwrap_or_else(|| project.trim().to_owned()),
            project: project.trim().to_owned(),
            department: department.trim().to_owned(),
            draft,
            progress,
            problems,
            plan,
        }),
        _ => None,
    };
    (item, diags)
}

/// Where leftover `**` or `~~` sits in a body: the first line where a marker
/// has no partner, else the first marker. 1-based line within the body.
fn leftover_position(body: &str) -> (usize, usize) {
    let mut first = None;
    for (i, line) in body.lines().enumerate() {
        for d in ["**", "~~"] {
            if let Some(b) = line.find(d) {
                let pos = (i + 1, line[..b].chars().count() + 1);
                first.get_or_insert(pos);
                if line.matches(d).count() % 2 == 1 {
                    let last = line.rfind(d).unwrap_or(b);
                    return (i + 1, line[..last].chars().count() + 1);
                }
            }
        }
    }
    first.unwrap_or((1, 1))
}

/// Splits a month or item file. A file with no front matter at all gets one
/// clear error instead of one per missing field.
fn split_front_matter(
    path: &Path,
    raw: &str,
    example: &str,
    diags: &mut Diagnostics,
) -> Option<Document> {
    match front_matter::split(path, raw) {
        Ok(d) if d.body_line > 1 => Some(d),
        Ok(d) => {
            diags.push(
                Diagnostic::error(path, "文件没有 front matter（开头用 `---` 围起来的字段）")
                    .at(&d.text, 1, 1)
                    .help(format!(
                        "文件第一行写 `---`，接着每行一个字段（如 `{example}`），再写一行 `---`，然后才是正文"
                    )),
            );
            None
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Points a diagnostic found after loading at a key of the file's front
/// matter. The file is read again: this happens only on error.
fn at_key(d: Diagnostic, path: &Path, field: &fields::Field) -> Diagnostic {
    let Ok(raw) = fs::read_to_string(path) else {
        return d;
    };
    let text = front_matter::normalise(&raw);
    match front_matter::find_key(&text, &[field.name, field.alias]) {
        Some((line, col)) => d.at(&text, line, col),
        None => d,
    }
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

/// Within one month: no two rows share a 序号 or a key.
fn check_month_items(items: &[Item], diags: &mut Diagnostics) {
    for (i, a) in items.iter().enumerate() {
        for b in &items[..i] {
            if a.number.is_some() && a.number == b.number {
                let d = Diagnostic::error(
                    &a.path,
                    format!(
                        "序号 (number) {} 与 {} 重复",
                        a.number.as_deref().unwrap_or(""),
                        b.path.display()
                    ),
                )
                .help("同一个月里序号不能重复；原表中没有序号的行，删掉 `序号:` 这一行即可");
                diags.push(at_key(
                    d,
                    &a.path,
                    fields::lookup(ITEM, "number").expect("declared"),
                ));
            }
            if a.key == b.key {
                let d = Diagnostic::error(
                    &a.path,
                    format!("项目标识 (key)“{}”与 {} 重复", a.key, b.path.display()),
                )
                .help("同一个月里两个条目不能是同一个项目：给其中一个写不同的 `项目标识:`（不写时用项目名称）");
                let written = fields::lookup(ITEM, "key").expect("declared");
                let project = fields::lookup(ITEM, "project").expect("declared");
                let d = at_key(d, &a.path, written);
                diags.push(if d.line == 0 {
                    at_key(d, &a.path, project)
                } else {
                    d
                });
            }
        }
    }
}

/// Across months: `superseded_by` must name a month that exists or a URL.
fn check_cross_month(months: &[Month], diags: &mut Diagnostics) {
    for m in months {
        if let Some(target) = &m.meta.superseded_by {
            let is_url = is_web_url(target);
            let month_exists =
                YearMonth::parse(target.trim()).is_some_and(|ym| months.iter().any(|o| o.ym == ym));
            if !is_url && !month_exists {
                let index = m.dir.join("_index.md");
                let d = Diagnostic::error(
                    &index,
                    format!("替代文件 (superseded_by)“{target}”找不到：没有这个月份"),
                )
                .help("写成已存在的月份文件夹名（如 2021-03），或以 https:// 开头的完整网址");
                let field = fields::lookup(MONTH, "superseded_by").expect("declared");
                diags.push(at_key(d, &index, field));
            }
        }
    }
}

/// An absolute http(s) address with no spaces: the only kind of external
/// address content may turn into a link.
pub fn is_web_url(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > "https://".len()
        && !s.contains(char::is_whitespace)
}

/// Orders file names as people do: `2` before `10`, `30` before `30a`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let a_digit = a.starts_with(|c: char| c.is_ascii_digit());
        let b_digit = b.starts_with(|c: char| c.is_ascii_digit());
        let take = |s: &str, digit: bool| {
            s.find(|c: char| c.is_ascii_digit() != digit)
                .unwrap_or(s.len())
        };
        let (la, lb) = (take(a, a_digit), take(b, b_digit));
        let (ca, cb) = (&a[..la], &b[..lb]);
        let ord = if a_digit && b_digit {
            let (ta, tb) = (ca.trim_start_matches('0'), cb.trim_start_matches('0'));
            ta.len()
                .cmp(&tb.len())
                .then(ta.cmp(tb))
                .then(ca.len().cmp(&cb.len()))
        } else {
            ca.cmp(cb)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        a = &a[la..];
        b = &b[lb..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["10", "2", "30a", "30", "01", "31", "9"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["01", "2", "9", "10", "30", "30a", "31"]);
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [".01.md.swp", "01.md~", ".#01.md", "#01.md#", ".hidden"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("01.md"));
    }
}
