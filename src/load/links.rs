//! Links an editor writes in Markdown to other pages of the site.
//!
//! The rule: a link without a scheme (`http:`, `mailto:` …) is internal and
//! is written relative to the Markdown file, as the content folder is laid
//! out. From `content/2020-07/01.md`:
//!
//! | written | goes to |
//! |---|---|
//! | `03.md`, `03/`, `../2020-07/03.md` | item 03 of July |
//! | `../2020-06/03.md`, `../2020-06/03/` | item 03 of June |
//! | `_index.md`, `./`, `../2020-06/`, `../2020-06/_index.md` | a month's report |
//! | `附件.pdf`, `../2020-06/附件.pdf` | an attachment of that month |
//! | `../projects/`, `../departments/<slug>/`, `../` | any other page by its address |
//!
//! `model::links::check` refuses a link whose page does not exist. Because one cell is shown
//! on pages at different depths (the month's table, the item page, project
//! pages) and in three views, the link is stored with a marker for the root
//! and [`finish`] turns the marker into each page's own relative path.

use std::borrow::Cow;

/// Stands for "from this page to the root of its view" in rendered Markdown.
pub(crate) const VIEW_ROOT: &str = "@@gongkai-view-root/";
/// Stands for "from this page to the site root" (attachments live there once).
pub(crate) const SITE_ROOT: &str = "@@gongkai-site-root/";

/// How both markers start; text that only looks like one is kept as written.
const MARK: &str = "@@gongkai-";

/// Where an internal link goes, relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A page's folder (`2020-06/03/`, `` for home), plus `#fragment` if any.
    Page { dir: String, fragment: String },
    /// A file written once at the site root: `2020-06/附件.pdf`.
    File { path: String, fragment: String },
}

/// True for links that point inside the site: no scheme, not `//host`,
/// not a bare `#fragment` and not a site-absolute `/path`.
pub(crate) fn is_internal(url: &str) -> bool {
    let url = url.trim();
    if url.starts_with('#') || url.starts_with('/') || url.starts_with('\\') {
        return false;
    }
    let scheme_end = url.find(':');
    let path_end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match scheme_end {
        Some(i) if i < path_end => {
            let scheme = &url[..i];
            // `C:` style paths are not schemes, but they are not links either.
            !(scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        }
        _ => true,
    }
}

/// Resolves an internal link written in a file of month folder `base`
/// (`2020-07/`). Errors say why the link cannot be inside the site.
pub(crate) fn resolve(base: &str, url: &str) -> Result<Target, String> {
    let url = url.trim();
    let (path, fragment) = match url.find(['#', '?']) {
        Some(i) => (&url[..i], url[i..].to_owned()),
        None => (url, String::new()),
    };
    let joined = format!("{base}{path}");
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("链接跳出了网站的根目录（`../` 太多）".into());
                }
            }
            s => parts.push(s),
        }
    }
    if parts.last() == Some(&"index.html") {
        parts.pop();
    }
    let is_month = |s: &str| crate::basics::dates::YearMonth::parse(s).is_some();
    let page = |parts: &[&str]| Target::Page {
        dir: parts.iter().map(|p| format!("{p}/")).collect(),
        fragment: fragment.clone(),
    };
    Ok(match parts.as_slice() {
        [m, "_index.md"] if is_month(m) => page(&[m]),
        [m, file] if is_month(m) => match file.strip_suffix(".md") {
            Some(stem) => page(&[m, stem]),
            None if file.contains('.') => Target::File {
                path: format!("{m}/{file}"),
                fragment,
            },
            None => page(&[m, file]),
        },
        other => page(other),
    })
}

/// The href stored in rendered Markdown for an internal link: a root marker
/// plus the target's path from that root. `None` when it cannot resolve.
pub(crate) fn rewrite(base: &str, url: &str) -> Option<String> {
    Some(match resolve(base, url).ok()? {
        Target::Page { dir, fragment } => format!("{VIEW_ROOT}{dir}index.html{fragment}"),
        Target::File { path, fragment } => format!("{SITE_ROOT}{path}{fragment}"),
    })
}

/// Replaces the root markers in rendered HTML with the paths from where it
/// is shown; borrowed as it is when it has no marker.
pub(crate) fn finish<'a>(html: &'a str, view_root: &str, site_root: &str) -> Cow<'a, str> {
    if memchr::memmem::find(html.as_bytes(), MARK.as_bytes()).is_none() {
        return Cow::Borrowed(html);
    }
    Cow::Owned(
        String::from_utf8(finish_bytes(html.as_bytes().to_vec(), view_root, site_root))
            .expect("replacing one str by another keeps UTF-8"),
    )
}

/// [`finish`] on the bytes a template wrote. Most pages carry no marker and
/// are returned as they are, after one fast scan.
pub(crate) fn finish_bytes(html: Vec<u8>, view_root: &str, site_root: &str) -> Vec<u8> {
    let finder = memchr::memmem::Finder::new(MARK);
    let Some(first) = finder.find(&html) else {
        return html;
    };
    let mut out = Vec::with_capacity(html.len());
    out.extend_from_slice(&html[..first]);
    let mut rest = &html[first..];
    loop {
        let (marker, with) = if rest.starts_with(VIEW_ROOT.as_bytes()) {
            (VIEW_ROOT, view_root)
        } else if rest.starts_with(SITE_ROOT.as_bytes()) {
            (SITE_ROOT, site_root)
        } else {
            (MARK, MARK)
        };
        out.extend_from_slice(with.as_bytes());
        rest = &rest[marker.len()..];
        match finder.find(rest) {
            Some(next) => {
                out.extend_from_slice(&rest[..next]);
                rest = &rest[next..];
            }
            None => {
                out.extend_from_slice(rest);
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(dir: &str) -> Result<Target, String> {
        Ok(Target::Page {
            dir: dir.into(),
            fragment: String::new(),
        })
    }

    #[test]
    fn links_resolve_as_the_content_folder_is_laid_out() {
        let b = "2020-07/";
        assert_eq!(resolve(b, "03.md"), page("2020-07/03/"));
        assert_eq!(resolve(b, "../2020-06/03.md"), page("2020-06/03/"));
        assert_eq!(resolve(b, "../2020-06/03/"), page("2020-06/03/"));
        assert_eq!(resolve(b, "../2020-06/_index.md"), page("2020-06/"));
        assert_eq!(resolve(b, "../2020-06/"), page("2020-06/"));
        assert_eq!(resolve(b, "./"), page("2020-07/"));
        assert_eq!(resolve(b, "../"), page(""));
        assert_eq!(resolve(b, "../projects/index.html"), page("projects/"));
        assert_eq!(
            resolve(b, "a.pdf#p2"),
            Ok(Target::File {
                path: "2020-07/a.pdf".into(),
                fragment: "#p2".into()
            })
        );
        assert!(resolve(b, "../../x").is_err());
    }

    #[test]
    fn only_scheme_less_links_are_internal() {
        for url in ["03.md", "../2020-06/", "a.pdf", "", "x:y/../z"] {
            assert!(is_internal(url), "{url}");
        }
        for url in [
            "https://a.cn/",
            "mailto:a@b.cn",
            "tel:12345",
            "#top",
            "/abs",
            "//cdn",
            "javascript:alert(1)",
        ] {
            assert!(!is_internal(url), "{url}");
        }
    }

    #[test]
    fn markers_become_each_pages_own_paths() {
        let html = format!(
            r#"<a href="{}2020-06/03/index.html">a</a><a href="{}2020-06/a.pdf">b</a>"#,
            VIEW_ROOT, SITE_ROOT
        );
        assert_eq!(
            finish(&html, "../../", "../../../"),
            r#"<a href="../../2020-06/03/index.html">a</a><a href="../../../2020-06/a.pdf">b</a>"#
        );
    }

    #[test]
    fn text_that_only_looks_like_a_marker_is_kept() {
        let html = format!("邮箱 a@@gongkai-x，{VIEW_ROOT}a/index.html @@gongkai-");
        assert_eq!(
            finish(&html, "../", "../../"),
            "邮箱 a@@gongkai-x，../a/index.html @@gongkai-"
        );
        let plain = "没有标记".as_bytes().to_vec();
        assert_eq!(finish_bytes(plain.clone(), "../", "../"), plain);
    }
}
