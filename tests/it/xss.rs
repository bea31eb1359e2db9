//! Content cannot attack readers: script payloads in every front-matter field
//! of every file and in every body go through a real build, and no page may
//! then carry a script, event handler, `javascript:` URL or frame that the
//! theme did not put there itself.

use std::collections::BTreeSet;
use std::fs;

use crate::common::{TestSite, stderr, tree};
use scraper::{Html, Node};

/// Payloads for text fields: each tries to leave its context in a different way.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "'><iframe src=javascript:alert(1)></iframe>",
    "</title><script>alert(1)</script>",
    "javascript:alert(1)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "{{ frame }}{% raw %}<script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    "</textarea><script>alert(1)</script>",
];

/// Markdown bodies: raw HTML of every dangerous kind, and Markdown links and
/// images whose targets are script.
const BODY: &str = r#"## 本月进度情况

<script>alert(1)</script>
<img src=x onerror=alert(1)>
<iframe src="https://evil.example/"></iframe>
<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">
<a href="javascript:alert(1)">a</a> <a href=" JaVaScRiPt:alert(1)">b</a>
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">c</button></form>
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>
<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">d</a></svg>
<base href="javascript:alert(1)//"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<div style="background:url(javascript:alert(1))" onclick="alert(1)">e</div>

## 存在问题

[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1)) [z](&#106;avascript:alert(1))
![i](javascript:alert(1)) <javascript:alert(1)> [r][ref]
[w](vbscript:msgbox(1)) [d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

[ref]: javascript:alert(1)

## 8月具体进度安排

<p onmouseover="alert(1)">f</p><input autofocus onfocus=alert(1)>
"#;

/// A YAML scalar holding `s` exactly (JSON strings are YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A site where every field of every file holds payload `p`, or a harmless
/// word when `p` is `None` (the control build the theme's own scripts come from).
fn site_with(p: Option<&str>) -> TestSite {
    let v = |n: usize| q(&p.map_or(format!("字段{n}"), |p| format!("{p}{n}")));
    let s = TestSite::new();
    let url_payload = p.map_or("x".to_owned(), |_| {
        "%22%3E%3Cscript%3E\"><script>alert(1)</script>".to_owned()
    });
    s.write(
        "content/site.yaml",
        &format!(
            "title: {}\npublisher: {}\nbase_url: {}\nlanguage: {}\n",
            v(1),
            v(2),
            q(&format!("https://example.gov.cn/{url_payload}/")),
            q(&p.map_or("zh-CN".to_owned(), |p| format!("zh\"{p}"))),
        ),
    );
    // Attachment files named with what the payload may hold in a file name:
    // a name with `/`, `<`, `>`, `"` or another character Windows refuses is
    // an error (`portable_names`), so those become `_`.
    let file = p.map_or("附件.pdf".to_owned(), |p| {
        let portable = p.replace(['/', '<', '>', '"', ':', '*', '?', '|', '\\'], "_");
        format!("{portable}.pdf")
    });
    fs::create_dir_all(s.content().join("2020-06")).unwrap();
    fs::write(s.content().join("2020-06").join(&file), "%PDF").unwrap();
    s.write(
        "content/2020-06/_index.md",
        &format!(
            "---\n标题: {}\n文号: {}\n索引号: {}\n发布机构: {}\n发文日期: 2020-09-27\n有效性: 废止\n有效性变更日期: 2020-10-01\n替代文件: {}\n主题分类: {}\n来源: {}\n附件:\n  - 标题: {}\n    文件: {}\n更正记录:\n  - 日期: 2020-09-28\n    说明: {}\n---\n{}\n",
            v(3),
            v(4),
            v(5),
            v(6),
            q(&format!("https://example.gov.cn/new/\"onmouseover=\"alert(1){}", p.map_or("", |_| "<script>"))),
            v(7),
            v(8),
            v(9),
            q(&file),
            v(10),
            p.map_or("前言".to_owned(), |_| BODY.to_owned()),
        ),
    );
    s.write(
        "content/2020-07/_index.md",
        &format!(
            "---\n标题: {}\n发文日期: 2020-10-27\n有效性: 已修改\n替代文件: 2020-06\n---\n",
            v(11)
        ),
    );
    for (i, month) in ["2020-06", "2020-07"].iter().enumerate() {
        for n in 1..=2 {
            s.item(
                month,
                &format!("0{n}"),
                &format!(
                    "序号: {}\n责任领导: [{}, {}]\n项目名称: {}\n责任部门: {}\n项目标识: {}\n",
                    v(20 + n),
                    v(30 + n),
                    v(40 + i),
                    v(50 + n),
                    v(60 + n),
                    v(70 + n),
                ),
                if p.is_some() {
                    BODY
                } else {
                    "## 本月进度情况\n\n完成。\n"
                },
            );
        }
    }
    s
}

/// Every `<script>` of every page: (src, inline text).
fn scripts(doc: &Html) -> Vec<(String, String)> {
    let sel = scraper::Selector::parse("script").unwrap();
    doc.select(&sel)
        .map(|e| {
            (
                e.value().attr("src").unwrap_or("").to_owned(),
                e.text().collect::<String>(),
            )
        })
        .collect()
}

/// A URL that would run script when followed or loaded.
fn is_script_url(v: &str) -> bool {
    let v: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:text/html")
}

/// Everything wrong with one parsed document, besides its scripts.
fn dangers(doc: &Html, what: &str) -> Vec<String> {
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let name = el.name();
        if matches!(
            name,
            "iframe" | "frame" | "frameset" | "object" | "embed" | "base" | "applet"
        ) {
            out.push(format!("{what}: <{name}>"));
        }
        if name == "meta"
            && el
                .attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
        {
            out.push(format!("{what}: <meta http-equiv=refresh>"));
        }
        for (attr, value) in el.attrs() {
            if attr.to_ascii_lowercase().starts_with("on") {
                out.push(format!("{what}: <{name} {attr}=\"{value}\">"));
            }
            let url_attr = matches!(
                attr,
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "xlink:href"
                    | "data"
                    | "poster"
                    | "background"
                    | "cite"
                    | "srcset"
            );
            let css = attr == "style" && value.to_ascii_lowercase().contains("javascript:");
            if (url_attr && is_script_url(value)) || css {
                out.push(format!("{what}: <{name} {attr}=\"{value}\">"));
            }
        }
    }
    out
}

/// Undoes one level of XML escaping, for HTML carried inside a feed.
fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[test]
fn payloads_in_every_field_and_body_cannot_run() {
    let control = site_with(None);
    control.build();
    let mut own_scripts = BTreeSet::new();
    for (rel, bytes) in tree::snapshot(&control.public()) {
        if rel.ends_with(".html") {
            own_scripts.extend(scripts(&Html::parse_document(
                &String::from_utf8(bytes).unwrap(),
            )));
        }
    }
    assert!(
        !own_scripts.is_empty(),
        "the theme's own scripts were not found"
    );

    let mut problems = Vec::new();
    let mut pages = 0;
    for p in PAYLOADS {
        let site = site_with(Some(p));
        let out = site.run(&["build"]);
        assert!(out.status.success(), "payload {p}: {}", stderr(&out));
        for (rel, bytes) in tree::snapshot(&site.public()) {
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            if rel.ends_with(".html") {
                pages += 1;
                let doc = Html::parse_document(&text);
                for s in scripts(&doc) {
                    if !own_scripts.contains(&s) {
                        problems.push(format!("{rel}: foreign <script src={:?}>{}", s.0, s.1));
                    }
                }
                problems.extend(dangers(&doc, &rel));
            } else if rel.ends_with(".xml") {
                // Raw markup in the XML itself (a payload as escaped text is harmless;
                // as an element or a link target it is not), then HTML carried escaped inside it.
                let lower = text.to_ascii_lowercase();
                for bad in [
                    "<script",
                    "<iframe",
                    "href=\"javascript:",
                    "src=\"javascript:",
                    "<loc>javascript:",
                ] {
                    if lower.contains(bad) {
                        problems.push(format!("{rel}: raw {bad}"));
                    }
                }
                for part in text.split("type=\"html\">").skip(1) {
                    let html = xml_unescape(part.split("</").next().unwrap_or(""));
                    let doc = Html::parse_fragment(&html);
                    if !scripts(&doc).is_empty() {
                        problems.push(format!("{rel}: <script> in html content"));
                    }
                    problems.extend(dangers(&doc, &rel));
                }
            }
        }
    }
    assert!(pages > 50, "only {pages} pages checked");
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn payloads_reach_the_page_as_text() {
    // Escaping must not lose the words: the clerk's text is shown as written.
    let p = "<script>alert(1)</script>";
    let site = site_with(Some(p));
    site.build();
    let doc = site.page("2020-07/01/index.html");
    let text: String = doc.root_element().text().collect();
    assert!(text.contains(&format!("{p}51")), "project name lost");
    let month = site.page("2020-06/index.html");
    let text: String = month.root_element().text().collect();
    for n in [4, 5, 6, 7, 8, 9, 10] {
        assert!(text.contains(&format!("{p}{n}")), "field {n} lost:\n{text}");
    }
}

#[test]
fn script_links_in_content_are_refused_or_made_inert() {
    // `superseded_by: javascript:` is an error, never a link.
    let site = TestSite::new();
    site.month(
        "2020-07",
        "有效性: 废止\n替代文件: \"javascript:alert(1)\"\n",
    );
    site.item(
        "2020-07",
        "01",
        "责任领导: 甲\n项目名称: 乙\n责任部门: 丙\n",
        "",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("既不是月份也不是网址"),
        "{}",
        stderr(&out)
    );
    assert!(!site.public().exists());
}

#[test]
fn the_checker_catches_what_it_should() {
    let bad = Html::parse_document(
        r#"<p onclick="x">a</p><a href=" javascript:alert(1)">b</a><iframe></iframe><div style="background:url(javascript:x)"></div><a href="/ok" aria-label="javascript: is text here">c</a>"#,
    );
    let found = dangers(&bad, "t");
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!(
        scripts(&Html::parse_document("<script>x</script>")).len(),
        1
    );
}
