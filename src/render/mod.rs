//! Rendering: turns the site model into pages. For each page the data is
//! prepared once in Rust (URLs, merged-cell spans, formatted dates, notices)
//! and handed to the view's template; templates only lay it out.

mod ctx;
mod frame;
pub(crate) mod keys;
mod meta_tags;
mod page_data;
pub(crate) mod qr;
mod shared;
pub(crate) mod theme;
mod timeline;

use tera::{Context, Tera, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::model::Site;
use crate::render::frame::frame;
use crate::render::theme::Theme;
use crate::urls::{self, Page, View};

pub use page_data::page_data;
pub use shared::Shared;

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
    /// The 党政机关网站标识 file among the statics, if the office gave one.
    badge: Option<&'static str>,
    /// A hash of every template and static file of the theme: part of what
    /// every page depends on (`publish/record.rs`).
    theme_key: u64,
}

/// Where a theme holds the office's 党政机关网站标识 (the image the 开办
/// registration issues): `static/` of the site's theme, first found wins.
pub(crate) const BADGE_FILES: [&str; 2] = ["dzjg.svg", "dzjg.png"];

impl Renderer {
    pub(crate) fn new(theme: &Theme, views: &[View]) -> Result<Renderer> {
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
            theme_key: keys::debug_hash(theme),
            statics: theme.statics.clone(),
            derived: theme.derived.clone(),
            badge: BADGE_FILES
                .into_iter()
                .find(|f| theme.statics.contains_key(*f)),
        })
    }

    /// A hash of the theme the renderer was made from.
    pub(crate) fn theme_key(&self) -> u64 {
        self.theme_key
    }

    /// The theme's static files, by path under `static/`.
    pub(crate) fn statics(&self) -> &std::collections::BTreeMap<String, Vec<u8>> {
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
        let frame = frame(site, page, view, data, opts, self.badge);
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
