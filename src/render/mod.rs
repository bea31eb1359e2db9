//! Rendering: turns the site model into pages. For each page the data is
//! prepared once in Rust (URLs, merged-cell spans, formatted dates, notices)
//! and handed to the view's template; templates only lay it out.

pub mod qr;
pub mod theme;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::basics::dates::YearMonth;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::content::{Item, Month};
use crate::load::fields::VALIDITY_VALUES;
use crate::model::{ItemRef, Site};
use crate::render::theme::Theme;
use crate::urls::{self, Page, View};

/// Rendering settings that are not content.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Injects the live-reload script (preview server only).
    pub live_reload: bool,
}

/// The loaded templates, ready to render any page in any view.
pub struct Renderer {
    tera: Tera,
    statics: std::collections::BTreeMap<String, Vec<u8>>,
    /// Derived page template → the html one it was made from ([`Theme::derived`]).
    derived: std::collections::BTreeMap<String, String>,
}

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
struct MonthCtx<'a> {
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
struct ItemCtx<'a> {
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

#[derive(Serialize)]
struct ViewLink {
    /// `html`, `print` or `mobile`.
    name: &'static str,
    label: &'static str,
    href: String,
    current: bool,
}

/// Everything that frames a page: where it is, its other views, its QR code.
#[derive(Serialize)]
struct Frame<'a> {
    view: &'static str,
    /// The page's kind (`month`, `item`, …): the template's name, and a body
    /// class so the print stylesheet can lay a report out in landscape.
    kind: &'static str,
    /// From this page to its view's root: prefix of every same-view link.
    root: String,
    /// From this page to the site root: prefix of `static/` and attachments.
    site_root: String,
    title: String,
    views: Vec<ViewLink>,
    print_href: Option<String>,
    /// The html page's address, declared by print and mobile pages.
    canonical: Option<String>,
    /// The mobile page's address, which the QR code encodes.
    mobile_url: Option<String>,
    /// The html page's absolute address, printed on paper (needs `base_url`).
    address: Option<String>,
    /// The mobile version an html page declares (absolute with a base URL).
    mobile_alternate: Option<String>,
    /// The Atom feed, which exists only with a base URL.
    feed_href: Option<String>,
    qr_svg: Option<String>,
    live_reload: bool,
    site_title: &'a str,
    publisher: &'a str,
    language: &'a str,
}

impl Renderer {
    pub fn new(theme: &Theme, views: &[View]) -> Result<Renderer> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let sources: Vec<(String, String)> = theme
            .templates
            .iter()
            .map(|(name, (src, _))| (name.clone(), src.clone()))
            .collect();
        if let Err(e) = tera.add_raw_templates(sources) {
            return Err(Error::Content(Diagnostics(template_errors(theme, &e))));
        }
        for view in views {
            for kind in urls::PAGE_TEMPLATES {
                let name = format!("{}/{kind}", view.name());
                if !tera.contains_template(&name) {
                    return Err(Error::Usage(format!(
                        "主题缺少模板 templates/{name}（视图 {} 需要它）",
                        view.name()
                    )));
                }
            }
        }
        Ok(Renderer {
            tera,
            statics: theme.statics.clone(),
            derived: theme.derived.clone(),
        })
    }

    /// The theme's static files, by path under `static/`.
    pub fn statics(&self) -> &std::collections::BTreeMap<String, Vec<u8>> {
        &self.statics
    }

    /// Renders one page in one view.
    pub fn render(
        &self,
        site: &Site,
        page: &Page,
        view: View,
        data: &Value,
        opts: &RenderOptions,
    ) -> Result<Vec<u8>> {
        let frame = frame(site, page, view, data, opts);
        let mut ctx = Context::new();
        ctx.insert("frame", &frame);
        ctx.insert_value("page", data.clone());
        let name = format!("{}/{}", view.name(), page.template());
        // Rendered as bytes: the pages are written as bytes, and a String
        // would only add a UTF-8 check over every page.
        let mut html = Vec::with_capacity(64 * 1024);
        self.tera.render_to(&name, &ctx, &mut html).map_err(|e| {
            let file = format!("templates/{}", self.derived.get(&name).unwrap_or(&name));
            Error::Content(Diagnostics(vec![Diagnostic::error(
                std::path::Path::new(&file),
                format!(
                    "渲染 {} 时模板出错：{}",
                    urls::output_file(view, page),
                    full_error(&e)
                ),
            )]))
        })?;
        // Links written in Markdown carry root markers: make them this page's paths.
        Ok(crate::load::links::finish_bytes(
            html,
            &frame.root,
            &frame.site_root,
        ))
    }
}

/// Names the template file behind a load error: each template is parsed on
/// its own so a syntax error points at its file.
fn template_errors(theme: &Theme, whole: &tera::Error) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // A derived template's errors are its html source's, already reported.
    for (name, (src, origin)) in theme
        .templates
        .iter()
        .filter(|(n, _)| !theme.derived.contains_key(*n))
    {
        let mut single = Tera::new();
        if let Err(e) = single.add_raw_template(name, src) {
            let msg = full_error(&e);
            // Parsed alone, a template cannot find the ones it extends or
            // includes: those errors say nothing about this file. A template
            // really missing shows in the whole theme's error (below).
            let alone = ["inheriting from", "doesn't exist", "Unknown template"];
            if !alone.iter().any(|m| msg.contains(m)) {
                out.push(Diagnostic::error(
                    std::path::Path::new(origin),
                    format!("模板错误：{msg}"),
                ));
            }
        }
    }
    if out.is_empty() {
        out.push(Diagnostic::error(
            std::path::Path::new("themes"),
            format!("模板错误：{}", full_error(whole)),
        ));
    }
    out
}

fn full_error(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

fn frame<'a>(
    site: &'a Site,
    page: &Page,
    view: View,
    data: &Value,
    opts: &RenderOptions,
) -> Frame<'a> {
    let cfg = &site.content.site;
    let site_root = urls::to_site_root(view, page);
    let views = cfg
        .views
        .iter()
        .map(|v| ViewLink {
            name: v.name(),
            label: v.label(),
            href: format!("{site_root}{}", urls::output_file(*v, page)),
            current: *v == view,
        })
        .collect();
    let mobile_url = cfg
        .base_url
        .as_deref()
        .map(|b| urls::absolute_url(b, View::Mobile, page));
    let qr_svg = match (&mobile_url, view) {
        (Some(url), View::Html | View::Print) if cfg.views.contains(&View::Mobile) => {
            Some(qr::svg_cached(url))
        }
        _ => None,
    };
    let canonical = match view {
        View::Html => None,
        _ => Some(
            cfg.base_url
                .as_deref()
                .map(|b| urls::absolute_url(b, View::Html, page))
                .unwrap_or_else(|| format!("{site_root}{}", urls::output_file(View::Html, page))),
        ),
    };
    let mobile_alternate = (view == View::Html && cfg.views.contains(&View::Mobile)).then(|| {
        mobile_url
            .clone()
            .unwrap_or_else(|| format!("{site_root}{}", urls::output_file(View::Mobile, page)))
    });
    let feed_href = cfg
        .base_url
        .as_ref()
        .map(|_| format!("{site_root}{}", crate::outputs::feeds::FEED));
    let title = data
        .get_from_path("title")
        .and_then(Value::as_str)
        .unwrap_or(&cfg.title)
        .to_owned();
    Frame {
        view: view.name(),
        kind: page.template().trim_end_matches(".html"),
        address: cfg
            .base_url
            .as_deref()
            .map(|b| urls::absolute_url(b, View::Html, page)),
        root: urls::to_view_root(page),
        print_href: cfg
            .views
            .contains(&View::Print)
            .then(|| format!("{site_root}{}", urls::output_file(View::Print, page))),
        site_root,
        title,
        views,
        canonical,
        mobile_url,
        mobile_alternate,
        feed_href,
        qr_svg,
        live_reload: opts.live_reload,
        site_title: &cfg.title,
        publisher: &cfg.publisher,
        language: &cfg.language,
    }
}

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

    fn month(&self, site: &Site, mi: usize) -> Value {
        self.months[mi]
            .get_or_init(|| Value::from_serializable(&month_ctx(&site.content.months[mi])))
            .clone()
    }

    fn item(&self, site: &Site, r: ItemRef) -> Value {
        self.items[r.month][r.item]
            .get_or_init(|| Value::from_serializable(&item_ctx(site, r)))
            .clone()
    }

    fn rows(&self, site: &Site, month: usize) -> Value {
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

/// A link as templates see it: `{name, href}`, the same as [`Link`].
fn link_value(name: impl Into<Value>, href: String) -> Value {
    object([("name", name.into()), ("href", href.into())])
}

/// A template map from its fields.
fn object<const N: usize>(fields: [(&'static str, Value); N]) -> Value {
    Value::from(BTreeMap::from(fields))
}

/// The data a page shows, the same for every view.
pub fn page_data(site: &Site, shared: &Shared, page: &Page) -> Value {
    let months = &site.content.months;
    match page {
        Page::Home => {
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
                        .map(|(year, months)| {
                            object([("year", year.into()), ("months", months.into())])
                        })
                        .collect::<Vec<_>>()
                        .into(),
                ),
            ])
        }
        Page::Month(ym) => {
            let Some(mi) = months.iter().position(|m| m.ym == *ym) else {
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
            ])
        }
        Page::Item(ym, stem) => {
            let Some(mi) = months.iter().position(|m| m.ym == *ym) else {
                return Value::none();
            };
            let m = &months[mi];
            let Some(ii) = m.items.iter().position(|it| &it.stem == stem) else {
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
        Page::Projects => {
            #[derive(Serialize)]
            struct Entry<'a> {
                name: &'a str,
                href: String,
                count: usize,
                first: String,
                last: String,
                department: &'a str,
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
                })
                .collect();
            Value::from_serializable(&serde_json::json!({ "title": "项目一览", "projects": list }))
        }
        Page::Project(slug) => {
            let Some(p) = site.projects.iter().find(|p| &p.slug == slug) else {
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
                ("entries", entries.into()),
            ])
        }
        Page::Departments | Page::Leaders => {
            let (groups, kind, title, page_of): (_, _, _, fn(String) -> Page) =
                if *page == Page::Departments {
                    (
                        &site.departments,
                        "责任部门",
                        "责任部门一览",
                        Page::Department,
                    )
                } else {
                    (&site.leaders, "责任领导", "责任领导一览", Page::Leader)
                };
            let list: Vec<_> = groups.iter().map(|g| serde_json::json!({ "name": g.name, "href": page_of(g.slug.clone()).href(), "count": g.entries.len() })).collect();
            Value::from_serializable(
                &serde_json::json!({ "title": title, "kind": kind, "groups": list }),
            )
        }
        Page::Department(slug) | Page::Leader(slug) => {
            let (groups, kind) = if matches!(page, Page::Department(_)) {
                (&site.departments, "责任部门")
            } else {
                (&site.leaders, "责任领导")
            };
            let Some(g) = groups.iter().find(|g| &g.slug == slug) else {
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
                ("months", by_month.into()),
            ])
        }
        Page::Search => {
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
                "index_dir": crate::outputs::search::DIR,
            }))
        }
    }
}

fn month_ctx(m: &Month) -> MonthCtx<'_> {
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
fn not_in_force(m: &Month) -> Option<&str> {
    (m.meta.validity != VALIDITY_VALUES[0]).then_some(&*m.meta.validity)
}

/// "本文件已于2021年3月1日废止" — the notice a non-有效 document carries.
pub fn validity_notice(validity: &str, date: Option<String>) -> String {
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

fn item_ctx(site: &Site, r: ItemRef) -> ItemCtx<'_> {
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
