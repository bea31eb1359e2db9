//! Markdown to safe HTML, and an item body split into its three sections.
//!
//! Each cell is rendered exactly once here; every page that shows it shares
//! the resulting `Arc<str>`.

use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::load::fields::{SECTION_PLAN, SECTION_PROBLEMS, SECTION_PROGRESS};

/// A rendered piece of Markdown: sanitized HTML plus plain text for search,
/// feeds and open data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: Arc<str>,
    pub text: Arc<str>,
    /// `**` or `~~` left in the text because Markdown could not pair them.
    pub leftover_markup: bool,
    /// Link targets, for `check` to verify internal links.
    pub links: Vec<String>,
}

impl Rendered {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.html.trim().is_empty()
    }
}

fn options() -> Options {
    // Smart punctuation stays off: it rewrites Chinese quotation marks.
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to sanitized HTML. Raw HTML goes through ammonia; links
/// with script schemes are neutralised even without raw HTML.
pub fn render(markdown: &str) -> Rendered {
    render_in(markdown, None)
}

/// Renders Markdown from a file of month folder `base` (`2020-07/`): internal
/// links are resolved as [`crate::load::links`] describes.
pub(crate) fn render_in(markdown: &str, base: Option<&str>) -> Rendered {
    let (events, leftover_markup) = cjk_emphasis(
        markdown,
        Parser::new_ext(markdown, options()).into_offset_iter(),
    );
    let mut has_raw_html = false;
    let mut text = String::new();
    let mut links = Vec::new();
    let events: Vec<Event> = events
        .into_iter()
        .map(|ev| match ev {
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                ev
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                text.push_str(t);
                ev
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push('\n');
                ev
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow | TagEnd::Heading(_),
            ) => {
                text.push('\n');
                ev
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                links.push(dest_url.to_string());
                let internal = base
                    .filter(|_| crate::load::links::is_internal(&dest_url))
                    .and_then(|b| crate::load::links::rewrite(b, &dest_url));
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: match internal {
                        Some(href) => CowStr::from(href),
                        None => safe_url(dest_url),
                    },
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            other => other,
        })
        .collect();
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if has_raw_html {
        out = ammonia::clean(&out);
    }
    Rendered {
        html: out.trim_end().into(),
        text: text.trim_end().into(),
        leftover_markup,
        links,
    }
}

/// Replaces script-capable URL schemes with an inert anchor.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    if scheme.starts_with("javascript:")
        || scheme.starts_with("vbscript:")
        || scheme.starts_with("data:")
    {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

/// CommonMark will not close `**注意：**正文` (a closing run after punctuation
/// must be followed by whitespace or punctuation), which Chinese text never
/// has. Pair such leftover `**` and `~~` runs inside one text run ourselves.
/// Also says whether a run the writer did not escape is still unpaired (the
/// "leftover `**`" warning): escaped runs and code spans are meant literally.
fn cjk_emphasis<'a>(
    source: &str,
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> (Vec<Event<'a>>, bool) {
    let mut out = Vec::new();
    let mut leftover = false;
    let mut pending = String::new();
    let mut span: Option<std::ops::Range<usize>> = None;
    // Delimiters the writer escaped (`\*\*`) stay literal: pair only runs
    // whose source has no backslash.
    let has_delimiter = |t: &str| t.contains("**") || t.contains("~~");
    let mut flush = |pending: &mut String,
                     span: &mut Option<std::ops::Range<usize>>,
                     out: &mut Vec<Event<'a>>| {
        if pending.is_empty() {
            return;
        }
        let src = span.take().and_then(|r| source.get(r));
        let escaped = src.is_none_or(|src| src.contains('\\'));
        if escaped {
            // What the writer typed: `\*\*` is no delimiter, `**` still is.
            leftover |= src.is_some_and(has_delimiter);
        }
        if !escaped && has_delimiter(pending) {
            let first = out.len();
            split_delimiters(pending, out);
            leftover |= out[first..]
                .iter()
                .any(|e| matches!(e, Event::Text(t) if has_delimiter(t)));
        } else {
            out.push(Event::Text(CowStr::from(std::mem::take(pending))));
        }
        pending.clear();
    };
    for (ev, range) in events {
        match ev {
            Event::Text(t) => {
                pending.push_str(&t);
                span = Some(span.map_or(range.clone(), |s| s.start..range.end));
            }
            other => {
                flush(&mut pending, &mut span, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut pending, &mut span, &mut out);
    (out, leftover)
}

fn split_delimiters(text: &str, out: &mut Vec<Event<'_>>) {
    let mut rest = text;
    while !rest.is_empty() {
        let next = ["**", "~~"]
            .iter()
            .filter_map(|d| rest.find(d).map(|i| (i, *d)))
            .min();
        let Some((start, delim)) = next else { break };
        let after = &rest[start + 2..];
        let Some(len) = after.find(delim).filter(|&l| l > 0) else {
            break;
        };
        if start > 0 {
            out.push(Event::Text(CowStr::from(rest[..start].to_owned())));
        }
        let (tag, end) = if delim == "**" {
            (Tag::Strong, TagEnd::Strong)
        } else {
            (Tag::Strikethrough, TagEnd::Strikethrough)
        };
        out.push(Event::Start(tag));
        out.push(Event::Text(CowStr::from(after[..len].to_owned())));
        out.push(Event::End(end));
        rest = &after[len + 2..];
    }
    if !rest.is_empty() {
        out.push(Event::Text(CowStr::from(rest.to_owned())));
    }
}

/// Which of the three cells a body heading names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Progress,
    Problems,
    Plan,
}

impl Section {
    /// `下月安排` and `N月具体进度安排` both name the plan.
    pub(crate) fn from_heading(h: &str) -> Option<Section> {
        let h = h.trim();
        if h == SECTION_PROGRESS {
            return Some(Section::Progress);
        }
        if h == SECTION_PROBLEMS {
            return Some(Section::Problems);
        }
        if h == SECTION_PLAN {
            return Some(Section::Plan);
        }
        let month = h.strip_suffix("月具体进度安排")?;
        let n: u32 = month.parse().ok()?;
        (1..=12).contains(&n).then_some(Section::Plan)
    }
}

/// An item body cut at its `##` headings.
#[derive(Debug, Default)]
pub(crate) struct SplitBody {
    pub progress: String,
    pub problems: String,
    pub plan: String,
    /// (line in body, heading text) of headings that name no section.
    pub unknown_headings: Vec<(usize, String)>,
    /// Line of the first non-blank text that comes before any heading.
    pub text_before_heading: Option<usize>,
}

/// Splits a body at level-2 headings outside code fences.
pub(crate) fn split_sections(body: &str) -> SplitBody {
    let mut out = SplitBody::default();
    let mut current: Option<Section> = None;
    let mut fence: Option<&str> = None;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(h) = line.strip_prefix("## ") {
            let h = h.trim().trim_end_matches('#').trim();
            match Section::from_heading(h) {
                Some(s) => {
                    current = Some(s);
                    continue;
                }
                None => out.unknown_headings.push((i + 1, h.to_owned())),
            }
        }
        let target = match current {
            Some(s) => s,
            None => {
                if !line.trim().is_empty() && out.text_before_heading.is_none() {
                    out.text_before_heading = Some(i + 1);
                }
                Section::Progress
            }
        };
        let buf = match target {
            Section::Progress => &mut out.progress,
            Section::Problems => &mut out.problems,
            Section::Plan => &mut out.plan,
        };
        buf.push_str(line);
        buf.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_bold_renders() {
        let r = render("**注意：**正文");
        assert_eq!(&*r.html, "<p><strong>注意：</strong>正文</p>");
        assert!(!r.leftover_markup);
        assert_eq!(&*render("~~旧~~新").html, "<p><del>旧</del>新</p>");
    }

    #[test]
    fn escaped_asterisks_stay_literal() {
        assert_eq!(&*render("\\*\\*不加粗\\*\\*").html, "<p>**不加粗**</p>");
    }

    #[test]
    fn unpaired_markup_is_flagged() {
        assert!(render("只有一个**星号").leftover_markup);
        assert!(render("**成对**，又一个**").leftover_markup);
        assert!(render("\\*\\*转义\\*\\*，但这里**没有转义").leftover_markup);
        // Meant literally: escaped, in code, or paired.
        assert!(!render("\\*\\*不加粗\\*\\*").leftover_markup);
        assert!(!render("写作 `**加粗**` 的方法").leftover_markup);
        assert!(!render("**注意：**正文~~旧~~").leftover_markup);
    }

    #[test]
    fn chinese_quotes_are_left_alone() {
        assert_eq!(
            &*render("“六清行动”和\"七个一\"").html,
            "<p>“六清行动”和\"七个一\"</p>"
        );
    }

    #[test]
    fn script_cannot_get_through() {
        for bad in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x]( JaVaScRiPt:alert(1))",
            "<iframe src=//evil></iframe>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "![x](data:text/html,<script>alert(1)</script>)",
        ] {
            let html = render(bad).html.to_lowercase();
            assert!(
                !html.contains("<script")
                    && !html.contains("onerror")
                    && !html.contains("javascript:")
                    && !html.contains("<iframe")
                    && !html.contains("data:"),
                "{bad} -> {html}"
            );
        }
    }

    #[test]
    fn sections_by_heading() {
        let s = split_sections(
            "## 本月进度情况\n\n完成\n\n## 存在问题\n\n没有\n\n## 8月具体进度安排\n\n继续\n## 其他\n文字\n",
        );
        assert_eq!(s.progress.trim(), "完成");
        assert_eq!(s.problems.trim(), "没有");
        assert!(s.plan.contains("继续") && s.plan.contains("## 其他"));
        assert_eq!(s.unknown_headings, vec![(12, "其他".to_owned())]);
        assert_eq!(Section::from_heading("下月安排"), Some(Section::Plan));
        assert_eq!(Section::from_heading("13月具体进度安排"), None);
    }
}
