//! The 网页标签 of 《政府网站发展指引》 (国办发〔2017〕47号): the `<meta>` tags
//! the national platforms and their scrapers read. Column pages carry the
//! site and column tags; article pages (a report, an item) the article tags
//! too. A tag whose value is empty is left out, never written empty.

use serde::Serialize;

use crate::basics::dates::YearMonth;
use crate::load::content::{Item, Month, SiteConfig};
use crate::model::{Group, Site};
use crate::urls::{self, Page, View};

/// One `<meta name content>`.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(super) struct MetaTag {
    name: &'static str,
    content: String,
}

/// Every column's type: a disclosure site is one 信息公开 column tree.
const COLUMN_TYPE: &str = "信息公开";

/// Longest `Description`: search engines show about this many characters.
const DESCRIPTION_CHARS: usize = 120;

/// The tags of one page, the same in every view (`Url` is the html page's address).
pub(super) fn meta_tags(site: &Site, page: &Page) -> Vec<MetaTag> {
    let cfg = &site.content.site;
    let (column, column_description) = column(page);
    let mut tags = vec![
        ("SiteName", cfg.title.clone()),
        (
            "SiteDomain",
            cfg.base_url.as_deref().map(domain).unwrap_or_default(),
        ),
        ("SiteIDCode", cfg.site_id_code.clone()),
        ("ColumnName", column.to_owned()),
        (
            "ColumnDescription",
            format!("{}{column_description}", cfg.title),
        ),
        (
            "ColumnKeywords",
            join([column, &cfg.publisher, "政府信息公开"]),
        ),
        ("ColumnType", COLUMN_TYPE.to_owned()),
    ];
    match article(site, page) {
        Some(a) => {
            tags.extend([
                ("ArticleTitle", a.title),
                ("PubDate", a.month.meta.published.to_string()),
                ("ContentSource", a.month.meta.publisher.clone()),
                ("Keywords", a.keywords),
                ("Author", a.month.meta.publisher.clone()),
                ("Description", a.description),
                (
                    "Url",
                    cfg.base_url
                        .as_deref()
                        .map(|b| urls::absolute_url(b, View::Html, page))
                        .unwrap_or_default(),
                ),
            ]);
        }
        // Lighthouse and search engines read `description` on every page.
        None => tags.push(("Description", column_page_description(site, cfg, page))),
    }
    tags.into_iter()
        .filter(|(_, content)| !content.trim().is_empty())
        .map(|(name, content)| MetaTag { name, content })
        .collect()
}

/// The host of a base URL: `https://www.example.gov.cn/donghu/` → `www.example.gov.cn`.
fn domain(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_owned()
}

/// The column a page belongs to, and what the column holds.
fn column(page: &Page) -> (&'static str, &'static str) {
    match page {
        Page::Home => ("首页", "：最新一期工作进展报告和历年报告目录"),
        Page::Month(_) | Page::Item(..) | Page::Problems(_) => {
            ("工作进展", "各月工作进展情况及下月安排")
        }
        Page::Projects | Page::Project(_) => ("项目", "各项目历月的进度、存在问题和安排"),
        Page::Departments | Page::Department(_) => ("责任部门", "各责任部门负责的工作项目"),
        Page::Leaders | Page::Leader(_) => ("责任领导", "各责任领导负责的工作项目"),
        Page::Search => ("搜索", "各月工作进展报告的全文搜索"),
    }
}

/// What an article page's tags say of it.
struct Article<'a> {
    month: &'a Month,
    title: String,
    keywords: String,
    description: String,
}

fn article<'a>(site: &'a Site, page: &Page) -> Option<Article<'a>> {
    let find = |ym: &YearMonth| site.content.months.iter().find(|m| m.ym == *ym);
    match page {
        Page::Month(ym) => {
            let m = find(ym)?;
            let description = first_chars(&m.meta.preface.text).unwrap_or_else(|| {
                format!(
                    "{}《{}》，共{}项工作的进度情况、存在问题和下月安排。",
                    m.meta.publisher,
                    m.meta.title,
                    m.items.len()
                )
            });
            Some(Article {
                month: m,
                title: m.meta.title.clone(),
                keywords: join([
                    m.meta.topic.as_str(),
                    &m.ym.chinese(),
                    "工作进展",
                    &m.meta.publisher,
                ]),
                description,
            })
        }
        Page::Item(ym, stem) => {
            let m = find(ym)?;
            let it: &Item = m.items.iter().find(|it| it.stem == *stem)?;
            let description = first_chars(&it.progress.text)
                .unwrap_or_else(|| format!("{}：{}{}", it.project, m.ym.chinese(), "工作进展情况"));
            let mut words = vec![it.project.as_str(), &it.department];
            words.extend(it.leaders.iter().map(String::as_str));
            let label = m.ym.chinese();
            words.push(&label);
            Some(Article {
                month: m,
                title: format!("{} - {}", it.project, m.meta.title),
                keywords: join(words),
                description,
            })
        }
        _ => None,
    }
}

/// A column page's `Description`: what this page lists.
fn column_page_description(site: &Site, cfg: &SiteConfig, page: &Page) -> String {
    let group = |groups: &[Group], slug: &str, kind: &str| {
        groups
            .iter()
            .find(|g| g.slug == slug)
            .map(|g| {
                format!(
                    "{kind}{}负责的{}项工作，按月列出。",
                    g.name,
                    g.entries.len()
                )
            })
            .unwrap_or_default()
    };
    match page {
        Page::Home => format!(
            "{}：{}份月度工作进展报告，最新一期在前。",
            cfg.title,
            site.content.months.len()
        ),
        Page::Projects => format!("{}的{}个项目及其报告月份。", cfg.title, site.projects.len()),
        Page::Project(slug) => site
            .projects
            .iter()
            .find(|p| p.slug == *slug)
            .map(|p| {
                format!(
                    "项目“{}”在{}个月里的进度情况、存在问题和安排。",
                    p.name,
                    p.entries.len()
                )
            })
            .unwrap_or_default(),
        Page::Departments => format!("{}的{}个责任部门。", cfg.title, site.departments.len()),
        Page::Leaders => format!("{}的{}位责任领导。", cfg.title, site.leaders.len()),
        Page::Department(slug) => group(&site.departments, slug, "责任部门"),
        Page::Leader(slug) => group(&site.leaders, slug, "责任领导"),
        Page::Search => format!("在{}的全部月度报告中搜索。", cfg.title),
        Page::Problems(ym) => site
            .content
            .months
            .iter()
            .find(|m| m.ym == *ym)
            .map(|m| {
                let n = m.items.iter().filter(|it| !it.problems.is_empty()).count();
                format!(
                    "{}工作进展报告中存在问题的{}项工作，按责任部门列出。",
                    ym.chinese(),
                    n
                )
            })
            .unwrap_or_default(),
        Page::Month(_) | Page::Item(..) => String::new(),
    }
}

/// The non-empty words, comma-separated, each once.
fn join<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for w in words.into_iter().map(str::trim).filter(|w| !w.is_empty()) {
        if !seen.contains(&w) {
            seen.push(w);
        }
    }
    seen.join(",")
}

/// The text's first [`DESCRIPTION_CHARS`] characters on one line, `…` when cut;
/// `None` for empty text.
fn first_chars(text: &str) -> Option<String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return None;
    }
    let mut out: String = flat.chars().take(DESCRIPTION_CHARS).collect();
    if flat.chars().count() > DESCRIPTION_CHARS {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_is_the_host_alone() {
        assert_eq!(
            domain("https://www.example.gov.cn/donghu/"),
            "www.example.gov.cn"
        );
        assert_eq!(domain("http://example.gov.cn:8080/"), "example.gov.cn:8080");
    }

    #[test]
    fn keywords_skip_empty_and_repeated_words() {
        assert_eq!(
            join(["", "扫黑除恶", " 纪工委 ", "扫黑除恶"]),
            "扫黑除恶,纪工委"
        );
    }

    #[test]
    fn descriptions_are_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(first_chars("  \n "), None);
        assert_eq!(first_chars("一\n\n二").as_deref(), Some("一 二"));
        let long = "字".repeat(DESCRIPTION_CHARS + 5);
        let cut = first_chars(&long).unwrap();
        assert_eq!(cut.chars().count(), DESCRIPTION_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
