//! An item body: cut into its sections and rendered, no cell's HTML, as a
//! browser parses it, holds a script element, an `on*` event attribute or a
//! script URL.
#![no_main]

use gongkai::internals::{render_item_body, render_markdown};
use libfuzzer_sys::fuzz_target;
use scraper::{Html, Node};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    for cell in render_item_body(body) {
        check(&cell.html);
    }
    check(&render_markdown(body).html);
});

/// Elements that run or load code, or change where the page's links go.
const ACTIVE: [&str; 9] = [
    "script", "iframe", "frame", "object", "embed", "base", "meta", "link", "form",
];
/// Attributes a browser follows as a URL.
const URLS: [&str; 10] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "cite",
];

fn check(html: &str) {
    let doc = Html::parse_fragment(html);
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let name = el.name().to_ascii_lowercase();
        assert!(!ACTIVE.contains(&name.as_str()), "<{name}> in {html:?}");
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(!attr.starts_with("on"), "{attr}= in {html:?}");
            if URLS.contains(&attr.as_str()) {
                // What a browser's URL parser does before it reads the scheme.
                let url: String = value
                    .trim_matches(|c: char| c <= ' ')
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!url.starts_with(scheme), "{attr}={value:?} in {html:?}");
                }
            }
        }
    }
}
