//! Every page's address, computed here and nowhere else. Pages live at
//! `<view prefix><page dir>index.html`; links between pages are relative so
//! the site works under any path of a portal and when opened from disk.

use crate::basics::dates::YearMonth;

/// An output format: the same pages, laid out for desktop, paper or phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum View {
    Html,
    Print,
    Mobile,
}

impl View {
    pub(crate) const ALL: [View; 3] = [View::Html, View::Print, View::Mobile];

    /// The name used in `site.yaml` and as the theme's template folder.
    pub(crate) fn name(self) -> &'static str {
        match self {
            View::Html => "html",
            View::Print => "print",
            View::Mobile => "mobile",
        }
    }

    /// The folder the view's pages live under.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            View::Html => "",
            View::Print => "print/",
            View::Mobile => "m/",
        }
    }

    /// What a reader calls the view, for "other views" links.
    pub(crate) fn label(self) -> &'static str {
        match self {
            View::Html => "电脑版",
            View::Print => "打印版",
            View::Mobile => "手机版",
        }
    }

    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == name.trim())
    }
}

/// The feed's path from the site root.
pub(crate) const FEED: &str = "feed.xml";
/// The sitemap's path from the site root.
pub(crate) const SITEMAP: &str = "sitemap.xml";
/// Where the search index files go, relative to the site root: beside the html
/// view's search page. Every view's search page loads from here.
pub(crate) const SEARCH_DIR: &str = "search/";

/// The folder of a month's problems page, beside its items: no item file may
/// take this stem (`load::content::checks` says so).
pub(crate) const PROBLEMS_STEM: &str = "problems";

/// Every page template, as [`Page::template`] names them: a theme has one of
/// each in every view's folder.
pub(crate) const PAGE_TEMPLATES: [&str; 9] = [
    "home.html",
    "month.html",
    "problems.html",
    "item.html",
    "projects.html",
    "project.html",
    "groups.html",
    "group.html",
    "search.html",
];

/// One page of the site, independent of view.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    Home,
    Month(YearMonth),
    /// The month's items with 存在问题, by 责任部门.
    Problems(YearMonth),
    /// A month and the item's file stem.
    Item(YearMonth, String),
    Projects,
    Project(String),
    Departments,
    Department(String),
    Leaders,
    Leader(String),
    Search,
}

impl Page {
    /// The page's folder relative to its view's root: `2020-07/01/`, or `` for home.
    pub(crate) fn dir(&self) -> String {
        let dir = match self {
            Page::Home => String::new(),
            Page::Month(ym) => format!("{ym}/"),
            Page::Problems(ym) => format!("{ym}/{PROBLEMS_STEM}/"),
            Page::Item(ym, stem) => format!("{ym}/{stem}/"),
            Page::Projects => "projects/".into(),
            Page::Project(slug) => format!("projects/{slug}/"),
            Page::Departments => "departments/".into(),
            Page::Department(slug) => format!("departments/{slug}/"),
            Page::Leaders => "leaders/".into(),
            Page::Leader(slug) => format!("leaders/{slug}/"),
            Page::Search => "search/".into(),
        };
        // `load` refuses such item stems and `model::slug` such slugs.
        debug_assert!(
            crate::basics::portable::is_portable_path(&dir) || dir.is_empty(),
            "{dir} is a name Windows refuses"
        );
        dir
    }

    /// The template (within a view's folder) that renders this kind of page.
    pub(crate) fn template(&self) -> &'static str {
        match self {
            Page::Home => "home.html",
            Page::Month(_) => "month.html",
            Page::Problems(_) => "problems.html",
            Page::Item(..) => "item.html",
            Page::Projects => "projects.html",
            Page::Project(_) => "project.html",
            Page::Departments | Page::Leaders => "groups.html",
            Page::Department(_) | Page::Leader(_) => "group.html",
            Page::Search => "search.html",
        }
    }

    /// The link to this page from its view's root: `2020-07/01/index.html`.
    /// `index.html` is written out so links work from disk too.
    pub(crate) fn href(&self) -> String {
        let mut href = self.dir();
        href.push_str("index.html");
        href
    }
}

/// Where a page is written, relative to the output folder.
pub(crate) fn output_file(view: View, page: &Page) -> String {
    format!("{}{}", view.prefix(), page.href())
}

/// `../` once per folder level of `path`.
pub(crate) fn up(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// From a page to the root of its own view (where same-view links start).
pub(crate) fn to_view_root(page: &Page) -> String {
    up(&page.dir())
}

/// From a page to the site's root (where `static/` and other views live).
pub(crate) fn to_site_root(view: View, page: &Page) -> String {
    up(&format!("{}{}", view.prefix(), page.dir()))
}

/// The absolute address of a page in a view, for QR codes, feeds and sitemaps.
pub(crate) fn absolute_url(base_url: &str, view: View, page: &Page) -> String {
    format!("{base_url}{}{}", view.prefix(), page.dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_kind_has_its_template_listed() {
        let ym = YearMonth::parse("2020-07").unwrap();
        let pages = [
            Page::Home,
            Page::Month(ym),
            Page::Problems(ym),
            Page::Item(ym, "01".into()),
            Page::Projects,
            Page::Project("p".into()),
            Page::Departments,
            Page::Department("d".into()),
            Page::Leaders,
            Page::Leader("l".into()),
            Page::Search,
        ];
        let used: std::collections::BTreeSet<_> = pages.iter().map(Page::template).collect();
        let listed: std::collections::BTreeSet<_> = PAGE_TEMPLATES.into_iter().collect();
        assert_eq!(used, listed);
    }

    #[test]
    fn paths_and_relative_roots() {
        let ym = YearMonth::parse("2020-07").unwrap();
        let item = Page::Item(ym, "30a".into());
        assert_eq!(output_file(View::Mobile, &item), "m/2020-07/30a/index.html");
        assert_eq!(to_view_root(&item), "../../");
        assert_eq!(to_site_root(View::Print, &item), "../../../");
        assert_eq!(to_site_root(View::Html, &Page::Home), "");
        assert_eq!(
            absolute_url("https://x.gov.cn/a/", View::Mobile, &Page::Month(ym)),
            "https://x.gov.cn/a/m/2020-07/"
        );
    }
}
