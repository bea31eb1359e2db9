//! What tells readers and search engines that the site exists and changed:
//! the Atom feed of reports (`feed.xml`), the sitemap of every html page
//! (`sitemap.xml`) and `robots.txt`.
//!
//! Both XML files need absolute addresses (Atom ids, sitemap `<loc>`), so
//! they are written only when `base_url` is known; `robots.txt` is always
//! written and names the sitemap when there is one.

use std::fmt::Write;

use crate::basics::dates::Date;
use crate::basics::text;
use crate::load::content::Month;
use crate::model::Site;
use crate::urls::{self, FEED, Page, SITEMAP, View};

/// China Standard Time: report dates are Beijing dates, and Atom wants an offset.
const TIME_ZONE: &str = "T00:00:00+08:00";

/// How many project names a feed summary lists before "等".
const SUMMARY_PROJECTS: usize = 5;

/// `feed.xml`, `sitemap.xml` (with a base URL) and `robots.txt`.
pub(crate) fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let base = site.content.site.base_url.as_deref();
    if let Some(base) = base {
        out.push((FEED.to_owned(), atom(site, base).into_bytes()));
        out.push((SITEMAP.to_owned(), sitemap(site, base).into_bytes()));
    }
    out.push(("robots.txt".to_owned(), robots(base).into_bytes()));
    out
}

fn stamp(d: Date) -> String {
    format!("{d}{TIME_ZONE}")
}

/// The title a report goes by outside its month: the month's own title
/// names no year, and a feed lists many years.
pub(crate) fn report_title(m: &Month) -> String {
    format!("{}（{}）", m.meta.title, m.ym.chinese())
}

/// "发文日期：2020年10月27日。发布机构：…。共 68 项工作：…等。"
pub(crate) fn report_summary(m: &Month) -> String {
    let meta = &m.meta;
    let mut s = format!("发文日期：{}。", meta.issued.chinese());
    if !meta.publisher.is_empty() {
        let _ = write!(s, "发布机构：{}。", meta.publisher);
    }
    if !meta.doc_number.trim().is_empty() {
        let _ = write!(s, "文号：{}。", meta.doc_number.trim());
    }
    if meta.validity != "有效" {
        let _ = write!(s, "有效性：{}。", meta.validity);
    }
    let names: Vec<&str> = m
        .items
        .iter()
        .take(SUMMARY_PROJECTS)
        .map(|i| i.project.as_str())
        .collect();
    let _ = write!(s, "共 {} 项工作", m.items.len());
    if !names.is_empty() {
        let more = if m.items.len() > names.len() {
            "等"
        } else {
            ""
        };
        let _ = write!(s, "：{}{more}", names.join("、"));
    }
    s.push('。');
    s
}

/// Atom feed of reports, newest first.
fn atom(site: &Site, base: &str) -> String {
    let cfg = &site.content.site;
    let months: Vec<&Month> = site.content.months.iter().rev().collect();
    let updated = months.iter().map(|m| m.meta.updated).max();
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        text::escape_xml(&cfg.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", text::escape_xml(&cfg.title));
    let _ = writeln!(x, "  <id>{}</id>", text::escape_xml(base));
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{FEED}\"/>",
        text::escape_xml(base)
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        text::escape_xml(base)
    );
    // A feed with no entries still needs <updated>: the epoch of the format is as good as any fixed date.
    let _ = writeln!(
        x,
        "  <updated>{}</updated>",
        updated.map_or_else(|| "2000-01-01T00:00:00+08:00".to_owned(), stamp)
    );
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        text::escape_xml(if cfg.publisher.is_empty() {
            &cfg.title
        } else {
            &cfg.publisher
        })
    );
    for m in months {
        let url = urls::absolute_url(base, View::Html, &Page::Month(m.ym));
        x.push_str("  <entry>\n");
        let _ = writeln!(
            x,
            "    <title>{}</title>",
            text::escape_xml(&report_title(m))
        );
        let _ = writeln!(x, "    <id>{}</id>", text::escape_xml(&url));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            text::escape_xml(&url)
        );
        let _ = writeln!(x, "    <published>{}</published>", stamp(m.meta.issued));
        let _ = writeln!(x, "    <updated>{}</updated>", stamp(m.meta.updated));
        if !m.meta.publisher.is_empty() {
            let _ = writeln!(
                x,
                "    <author><name>{}</name></author>",
                text::escape_xml(&m.meta.publisher)
            );
        }
        let _ = writeln!(
            x,
            "    <summary>{}</summary>",
            text::escape_xml(&report_summary(m))
        );
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// When a page last changed: its month's 更新时间, or the latest of the months it shows.
fn last_modified(site: &Site, page: &Page) -> Option<Date> {
    let month_updated = |ym| {
        site.content
            .months
            .iter()
            .find(|m| m.ym == ym)
            .map(|m| m.meta.updated)
    };
    let latest_of = |entries: &[crate::model::ItemRef]| {
        entries.iter().map(|r| site.month(*r).meta.updated).max()
    };
    match page {
        Page::Month(ym) | Page::Problems(ym) | Page::Item(ym, _) => month_updated(*ym),
        Page::Project(slug) => site
            .projects
            .iter()
            .find(|p| &p.slug == slug)
            .and_then(|p| latest_of(&p.entries)),
        Page::Department(slug) => site
            .departments
            .iter()
            .find(|g| &g.slug == slug)
            .and_then(|g| latest_of(&g.entries)),
        Page::Leader(slug) => site
            .leaders
            .iter()
            .find(|g| &g.slug == slug)
            .and_then(|g| latest_of(&g.entries)),
        Page::Home | Page::Projects | Page::Departments | Page::Leaders | Page::Search => {
            site.content.months.iter().map(|m| m.meta.updated).max()
        }
    }
}

/// Every html-view page, each with its mobile alternate when the mobile view is written.
fn sitemap(site: &Site, base: &str) -> String {
    let mobile = site.content.site.views.contains(&View::Mobile);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if mobile {
        x.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    x.push_str(">\n");
    for page in site.pages() {
        x.push_str("  <url>\n");
        let _ = writeln!(
            x,
            "    <loc>{}</loc>",
            text::escape_xml(&urls::absolute_url(base, View::Html, &page))
        );
        if let Some(d) = last_modified(site, &page) {
            let _ = writeln!(x, "    <lastmod>{d}</lastmod>");
        }
        if mobile {
            let _ = writeln!(
                x,
                "    <xhtml:link rel=\"alternate\" media=\"only screen and (max-width: 640px)\" href=\"{}\"/>",
                text::escape_xml(&urls::absolute_url(base, View::Mobile, &page))
            );
        }
        x.push_str("  </url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

fn robots(base: Option<&str>) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = base {
        let _ = write!(s, "\nSitemap: {base}{SITEMAP}\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_names_the_sitemap_only_when_there_is_one() {
        assert!(robots(Some("https://x.cn/")).contains("Sitemap: https://x.cn/sitemap.xml"));
        assert!(!robots(None).contains("Sitemap"));
    }
}
