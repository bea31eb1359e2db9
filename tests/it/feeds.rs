//! The Atom feed, the sitemap, robots.txt, and the links between a page's
//! html and mobile versions.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::common::{self, TestSite, attrs};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const BASE: &str = "https://example.gov.cn/gk/";

/// Three months over two years, one with characters XML must escape.
fn three_months() -> TestSite {
    let s = TestSite::new();
    s.month("2019-12", "updated: 2020-01-30\n");
    s.month("2020-01", "title: 1月工作进展 & <安排>\n");
    s.month("2020-02", "validity: 废止\n");
    for ym in ["2019-12", "2020-01", "2020-02"] {
        s.item(
            ym,
            "01",
            "number: 1\nleaders: 章平\nproject: 樱花园扩建 & 改造\ndepartment: 建设局\n",
            "## 本月进度情况\n\n进展<顺利>。\n",
        );
        s.item(
            ym,
            "02",
            "number: 2\nleaders: 甄别\nproject: 地铁19号线\ndepartment: 统筹发展局\n",
            "## 本月进度情况\n\n正常。\n",
        );
    }
    s.build();
    s
}

fn read(s: &TestSite, rel: &str) -> String {
    fs::read_to_string(s.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    node.children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .and_then(|c| c.text())
        .unwrap_or_else(|| panic!("no <{name}>"))
}

#[test]
fn the_feed_lists_reports_newest_first() {
    let s = three_months();
    let xml = read(&s, "feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    assert_eq!(child_text(feed, "id"), BASE);
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    let ids: Vec<&str> = entries.iter().map(|e| child_text(*e, "id")).collect();
    assert_eq!(
        ids,
        [
            "https://example.gov.cn/gk/2020-02/",
            "https://example.gov.cn/gk/2020-01/",
            "https://example.gov.cn/gk/2019-12/"
        ]
    );
    let jan = entries[1];
    assert_eq!(
        child_text(jan, "title"),
        "1月工作进展 & <安排>（2020年1月）"
    );
    assert_eq!(child_text(jan, "published"), "2020-01-27T00:00:00+08:00");
    let link = jan
        .children()
        .find(|c| c.has_tag_name((ATOM, "link")))
        .unwrap();
    assert_eq!(
        link.attribute("href"),
        Some("https://example.gov.cn/gk/2020-01/")
    );
    let summary = child_text(jan, "summary");
    assert!(summary.contains("发文日期：2020年1月27日"), "{summary}");
    assert!(summary.contains("樱花园扩建 & 改造"), "{summary}");
    assert!(
        child_text(entries[0], "summary").contains("有效性：废止"),
        "a repealed report says so"
    );
    // The feed's own <updated> is the latest 更新时间 of any report.
    assert_eq!(child_text(feed, "updated"), "2020-02-27T00:00:00+08:00");
    assert_eq!(
        child_text(entries[2], "updated"),
        "2020-01-30T00:00:00+08:00"
    );
    // Pages point feed readers at it.
    let home = s.page("index.html");
    assert_eq!(
        attrs(&home, "link[type='application/atom+xml']", "href"),
        ["feed.xml"]
    );
}

/// Every html-view page written, as the address the sitemap should give it.
fn html_pages(public: &Path, base: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in walkdir::WalkDir::new(public) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if e.file_name() == "index.html" && !rel.starts_with("m/") && !rel.starts_with("print/") {
            out.insert(format!("{base}{}", rel.trim_end_matches("index.html")));
        }
    }
    out
}

#[test]
fn the_sitemap_lists_every_html_page_once() {
    let s = three_months();
    let xml = read(&s, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    assert!(doc.root_element().has_tag_name((SITEMAP, "urlset")));
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
        .collect();
    let locs: Vec<String> = urls
        .iter()
        .map(|u| {
            u.children()
                .find(|c| c.has_tag_name((SITEMAP, "loc")))
                .and_then(|c| c.text())
                .expect("loc")
                .to_owned()
        })
        .collect();
    let unique: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(unique.len(), locs.len(), "no page twice");
    assert_eq!(unique, html_pages(&s.public(), BASE));
    assert!(unique.contains("https://example.gov.cn/gk/2020-01/02/"));
    assert!(unique.contains("https://example.gov.cn/gk/search/"));
    // Each page names its mobile version, and month pages their 更新时间.
    let jan = urls
        .iter()
        .find(|u| {
            u.descendants()
                .any(|c| c.text() == Some("https://example.gov.cn/gk/2019-12/"))
        })
        .unwrap();
    let alt = jan
        .children()
        .find(|c| c.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
        .expect("xhtml:link");
    assert_eq!(
        alt.attribute("href"),
        Some("https://example.gov.cn/gk/m/2019-12/")
    );
    let lastmod = jan
        .children()
        .find(|c| c.has_tag_name((SITEMAP, "lastmod")))
        .and_then(|c| c.text());
    assert_eq!(lastmod, Some("2020-01-30"));
    // robots.txt points at it.
    let robots = read(&s, "robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.gov.cn/gk/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn html_and_mobile_pages_point_at_each_other() {
    let s = three_months();
    for dir in ["", "2020-01/", "2020-01/02/", "search/", "projects/"] {
        let html = s.page(&format!("{dir}index.html"));
        assert_eq!(
            attrs(&html, "link[rel=alternate][media]", "href"),
            [format!("{BASE}m/{dir}")],
            "{dir}"
        );
        assert_eq!(
            attrs(&html, "link[rel=alternate][media]", "media"),
            ["only screen and (max-width: 640px)"]
        );
        assert!(attrs(&html, "link[rel=canonical]", "href").is_empty());
        let mobile = s.page(&format!("m/{dir}index.html"));
        assert_eq!(
            attrs(&mobile, "link[rel=canonical]", "href"),
            [format!("{BASE}{dir}")],
            "{dir}"
        );
        assert!(attrs(&mobile, "link[rel=alternate][media]", "href").is_empty());
    }
}

#[test]
fn without_a_base_url_there_is_no_feed_or_sitemap_and_the_build_says_why() {
    let s = TestSite::new();
    s.write("content/site.yaml", "title: 测试\npublisher: 测试管委会\n");
    s.month("2020-07", "");
    s.item(
        "2020-07",
        "01",
        "leaders: 章平\nproject: 项目\ndepartment: 建设局\n",
        "",
    );
    let out = s.build();
    assert!(!s.public().join("feed.xml").exists());
    assert!(!s.public().join("sitemap.xml").exists());
    let robots = read(&s, "robots.txt");
    assert!(robots.contains("User-agent: *") && !robots.contains("Sitemap"));
    let said = format!(
        "{}{}",
        common::stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(said.contains("sitemap.xml"), "{said}");
    // Pages still name their mobile version, relatively, and it exists.
    let item = s.page("2020-07/01/index.html");
    let alt = attrs(&item, "link[rel=alternate][media]", "href");
    assert_eq!(alt, ["../../m/2020-07/01/index.html"]);
    assert!(s.public().join("2020-07/01").join(&alt[0]).is_file());
    assert!(attrs(&item, "link[type='application/atom+xml']", "href").is_empty());
}

#[test]
fn without_the_mobile_view_no_page_points_at_it() {
    let s = TestSite::new();
    s.write(
        "content/site.yaml",
        "title: 测试\nbase_url: https://example.gov.cn/gk/\nviews: [html, print]\n",
    );
    s.month("2020-07", "");
    s.item(
        "2020-07",
        "01",
        "leaders: 章平\nproject: 项目\ndepartment: 建设局\n",
        "",
    );
    s.build();
    let home = s.page("index.html");
    assert!(attrs(&home, "link[rel=alternate][media]", "href").is_empty());
    let xml = read(&s, "sitemap.xml");
    assert!(!xml.contains("/m/"), "{xml}");
}

#[test]
fn the_real_report_has_a_feed_entry_and_a_full_sitemap() {
    let public = common::real_public();
    let feed = fs::read_to_string(public.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        child_text(entries[0], "title"),
        "7月工作进展情况及8月安排（2020年7月）"
    );
    assert_eq!(
        child_text(entries[0], "published"),
        "2020-10-27T00:00:00+08:00"
    );
    assert!(child_text(entries[0], "summary").contains("共 68 项工作"));
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((SITEMAP, "loc")))
        .map(|n| n.text().unwrap().to_owned())
        .collect();
    let pages = html_pages(public, "https://example.gov.cn/donghu/");
    assert_eq!(locs, pages);
    let items = pages
        .iter()
        .filter(|p| {
            p.matches('/').count() == 6 && p.contains("/2020-07/") && !p.ends_with("/problems/")
        })
        .count();
    assert_eq!(items, 68);
}
