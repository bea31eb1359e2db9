//! ASCII slugs for Chinese names: pinyin syllables joined by `-`. The same
//! name always gives the same slug, so URLs are stable across builds.

use crate::basics::{portable, text};
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
///
/// Slugs are compared case-folded, as NTFS and APFS compare names, and a
/// plain slug Windows refuses (`con`, `aux`, `com1`: see [`is_reserved`])
/// is given to no one: every name of its group takes the suffixed form
/// (`CON` → `con-` and six hex digits of the name's hash), which depends
/// only on the name, so it never moves either.
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
    // Keyed by the folded slug; `slugify` lower-cases already, so the
    // folding only guards a future slug rule.
    let mut by_slug: BTreeMap<String, (String, Vec<&str>)> = BTreeMap::new();
    for n in first {
        let slug = slugify(n);
        by_slug
            .entry(portable::fold(&slug))
            .or_insert_with(|| (slug, Vec::new()))
            .1
            .push(n);
    }
    // A suffixed slug must not be some other name's plain one (a name can
    // be written `童水林59d7c5`): such a clash takes the whole hash.
    let plain: BTreeSet<String> = by_slug.keys().cloned().collect();
    let mut out = BTreeMap::new();
    for (slug, names) in by_slug.into_values() {
        let (oldest, later) = names.split_first().expect("a group has a name");
        let suffixed = if is_reserved(&slug) {
            names.as_slice()
        } else {
            out.insert((*oldest).to_owned(), slug.clone());
            later
        };
        for n in suffixed {
            let hash = text::fnv1a([n.as_bytes()]);
            let short = format!("{slug}-{:06x}", hash & 0xff_ffff);
            let suffixed = if plain.contains(&portable::fold(&short)) {
                format!("{slug}-{hash:016x}")
            } else {
                short
            };
            debug_assert!(!is_reserved(&suffixed), "{suffixed} is portable");
            out.insert((*n).to_owned(), suffixed);
        }
    }
    out
}

/// Whether a plain slug is a name Windows refuses, so that no page may take
/// it as its address (`gongkai check` warns about each name it suffixes).
pub(crate) fn is_reserved(slug: &str) -> bool {
    portable::problem(slug).is_some()
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
    fn names_windows_refuses_always_get_a_suffix() {
        let a = unique_slugs(["CON", "aux", "NUL.txt", "com1", "Lpt9", "con", "控制台"]);
        for name in ["CON", "aux", "com1", "Lpt9", "con"] {
            let slug = &a[name];
            assert!(
                !is_reserved(slug) && slug.len() == slugify(name).len() + 7,
                "{slug}"
            );
        }
        assert_ne!(a["CON"], a["con"]);
        assert!(a["CON"].starts_with("con-"));
        // Dots and other characters never reach a slug: `NUL.txt` is `nul-txt`.
        assert_eq!(a["NUL.txt"], "nul-txt");
        assert_eq!(a["控制台"], "kong-zhi-tai");
        // The suffix depends only on the name, whatever came before.
        assert_eq!(unique_slugs(["con"])["con"], a["con"]);
        assert_eq!(slugify("a:b?"), "a-b");
        assert_eq!(slugify("项目. "), "xiang-mu");
    }

    #[test]
    fn names_differing_only_by_case_get_different_slugs() {
        let a = unique_slugs(["ABC", "abc", "Abc"]);
        assert_eq!(a["ABC"], "abc");
        let folded: BTreeSet<String> = a.values().map(|s| s.to_lowercase()).collect();
        assert_eq!(folded.len(), 3);
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
