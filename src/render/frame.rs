//! The frame around every page: where it is, its other views, its QR code.

use serde::Serialize;
use tera::Value;

use super::RenderOptions;
use super::meta_tags::{MetaTag, meta_tags};
use super::qr;
use crate::model::Site;
use crate::urls::{self, Page, View};

/// One line of the footer's site identification: 主办单位, 网站标识码, ….
#[derive(Serialize)]
struct Identity<'a> {
    label: &'static str,
    value: &'a str,
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
pub(super) struct Frame<'a> {
    view: &'static str,
    /// The page's kind (`month`, `item`, …): the template's name, and a body
    /// class so the print stylesheet can lay a report out in landscape.
    kind: &'static str,
    /// From this page to its view's root: prefix of every same-view link.
    pub(super) root: String,
    /// From this page to the site root: prefix of `static/` and attachments.
    pub(super) site_root: String,
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
    /// The 网页标签 (`SiteName`, `ColumnName`, `ArticleTitle`, …), none empty.
    meta: Vec<MetaTag>,
    /// 主办单位, 网站标识码, ICP备案号, 公安备案号: those `site.yaml` gives.
    identity: Vec<Identity<'a>>,
    /// The 党政机关网站标识 image, when the theme holds the office's file.
    badge_src: Option<String>,
    site_title: &'a str,
    publisher: &'a str,
    language: &'a str,
}

/// The frame of one page in one view; `data` gives the page title.
pub(super) fn frame<'a>(
    site: &'a Site,
    page: &Page,
    view: View,
    data: &Value,
    opts: &RenderOptions,
    badge: Option<&str>,
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
            qr::svg_cached(url)
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
        .map(|_| format!("{site_root}{}", crate::urls::FEED));
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
        badge_src: badge.map(|file| format!("{site_root}static/{file}")),
        site_root,
        title,
        views,
        canonical,
        mobile_url,
        mobile_alternate,
        feed_href,
        qr_svg,
        live_reload: opts.live_reload,
        meta: meta_tags(site, page),
        identity: [
            ("主办单位", &cfg.organizer),
            ("网站标识码", &cfg.site_id_code),
            ("ICP备案号", &cfg.icp),
            ("公安备案号", &cfg.police_record),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(label, value)| Identity { label, value })
        .collect(),
        site_title: &cfg.title,
        publisher: &cfg.publisher,
        language: &cfg.language,
    }
}
