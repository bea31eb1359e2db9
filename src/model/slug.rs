//! ASCII slugs for Chinese names: pinyin syllables joined by `-`. The same
//! name always gives the same slug, so URLs are stable across builds.

use crate::basics::text;
use std::collections::{BTreeMap, BTreeSet};

use pinyin::ToPinyin;

/// Longest slug kept before it is cut (long project names make long URLs).
const MAX_LEN: usize = 60;

/// `东湖绿道` → `dong-hu-lv-dao`; ASCII letters and digits are kept.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    let push = |part: &str, out: &mut String| {
        if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        out.push_str(part);
    };
    let mut ascii = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
            continue;
        }
        if !ascii.is_empty() {
            push(&ascii, &mut out);
            ascii.clear();
        }
        if let Some(p) = c.to_pinyin() {
            push(&p.plain().replace('ü', "v"), &mut out);
        }
    }
    if !ascii.is_empty() {
        push(&ascii, &mut out);
    }
    if out.len() > MAX_LEN {
        let cut = out[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        out.truncate(cut);
    }
    if out.is_empty() { "x".to_owned() } else { out }
}

/// Slugs for a set of names, unique within the set, given in order of
/// appearance (oldest month first, then table order; repeats allowed).
/// Among names whose pinyin collide, the one that appeared first keeps the
/// plain slug and every later one gets a suffix hashed from the name itself.
/// Adding later months therefore never moves a page: a newcomer can only
/// take a suffixed address (SPEC §4). Inserting an older month can, which
/// `gongkai check` reports (`outputs::addresses`).
pub(crate) fn unique_slugs<'a>(
    names_in_order: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, String> {
    // Names repeat once per item: convert each distinct name to pinyin once,
    // remembering where it first appeared.
    let mut first: Vec<&str> = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for n in names_in_order {
        if seen.insert(n) {
            first.push(n);
        }
    }
    let mut by_slug: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in first {
        by_slug.entry(slugify(n)).or_default().push(n);
    }
    // A suffixed slug must not be some other name's plain one (a name can
    // be written `童水林59d7c5`): such a clash takes the whole hash.
    let plain: BTreeSet<String> = by_slug.keys().cloned().collect();
    let mut out = BTreeMap::new();
    for (slug, names) in by_slug {
        let (oldest, later) = names.split_first().expect("a group has a name");
        out.insert((*oldest).to_owned(), slug.clone());
        for n in later {
            let hash = text::fnv1a([n.as_bytes()]);
            let short = format!("{slug}-{:06x}", hash & 0xff_ffff);
            let suffixed = if plain.contains(&short) {
                format!("{slug}-{hash:016x}")
            } else {
                short
            };
            out.insert((*n).to_owned(), suffixed);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_become_pinyin() {
        assert_eq!(slugify("东湖绿道二期"), "dong-hu-lv-dao-er-qi");
        assert_eq!(slugify("地铁19号线"), "di-tie-19-hao-xian");
        assert_eq!(slugify("章 \u{a0}平"), "zhang-ping");
        assert_eq!(slugify("p0001"), "p0001");
        assert_eq!(
            slugify("旅游局"),
            "lv-you-ju",
            "ü is written v, as on keyboards"
        );
        assert_eq!(slugify("“四办”"), "si-ban");
    }

    #[test]
    fn the_first_name_keeps_the_plain_slug() {
        let a = unique_slugs(["张平", "扫黑除恶", "章平", "张平"]);
        assert_eq!(a["张平"], "zhang-ping");
        assert!(a["章平"].starts_with("zhang-ping-") && a["章平"].len() == 17);
        assert_eq!(a["扫黑除恶"], "sao-hei-chu-e");
        // The other order gives the other name the plain slug, and the
        // suffix depends only on the name.
        let b = unique_slugs(["章平", "张平"]);
        assert_eq!(b["章平"], "zhang-ping");
        assert_eq!(b["张平"][..11], *"zhang-ping-");
        let c = unique_slugs(["章平", "李四", "张平"]);
        assert_eq!(b["张平"], c["张平"]);
    }

    #[test]
    fn a_suffix_never_equals_another_names_slug() {
        let a = unique_slugs(["张平", "章平"]);
        let lookalike = format!("张平{}", &a["章平"]["zhang-ping-".len()..]);
        let b = unique_slugs(["张平", &lookalike, "章平"]);
        assert_eq!(b[lookalike.as_str()], a["章平"]);
        assert_ne!(b["章平"], a["章平"]);
        let all: BTreeSet<&String> = b.values().collect();
        assert_eq!(all.len(), 3);
    }
}
