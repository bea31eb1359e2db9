//! A raw request target in `gongkai serve`: whatever the preview looks up,
//! and whatever file it answers with, is a path inside the site.
#![no_main]

use std::path::{Component, Path};

use gongkai::internals::resolve_request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let exists = |p: &str| {
        assert_inside(raw, p);
        p.ends_with("index.html") || p.starts_with("static/") || p.ends_with(".pdf")
    };
    if let Some(p) = resolve_request(raw, &exists) {
        assert_inside(raw, &p);
    }
});

/// `p` names a file under the site root: plain names only, no `..`, no root,
/// no drive or backslash, no NUL.
fn assert_inside(raw: &str, p: &str) {
    assert!(
        !p.contains(['\\', '\0']) && !p.is_empty(),
        "{raw:?} looked up {p:?}"
    );
    assert!(
        Path::new(p)
            .components()
            .all(|c| matches!(c, Component::Normal(_))),
        "{raw:?} looked up {p:?}"
    );
    assert!(
        !p.split('/').any(|s| s.is_empty() || s == "." || s == ".."),
        "{raw:?} looked up {p:?}"
    );
}
