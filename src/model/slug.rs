//! ASCII slugs for Chinese names: pinyin syllables joined by `-`. The same
//! name always gives the same slug, so URLs are stable across builds.

use crate::basics::text;
use std::collections::BTreeMap;

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

/// Slugs for a set of names, unique within the set. Names whose slugs collide
/// all get a suffix hashed from the name itself, so adding a name elsewhere
/// never renames an unrelated page.
pub(crate) fn unique_slugs<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, String> {
    // Names repeat once per item: convert each distinct name to pinyin once.
    let distinct: std::collections::BTreeSet<&str> = names.into_iter().collect();
    let mut by_slug: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in distinct {
        by_slug.entry(slugify(n)).or_default().push(n);
    }
    let mut out = BTreeMap::new();
    for (slug, names) in by_slug {
        if names.len() == 1 {
            out.insert(names[0].to_owned(), slug);
        } else {
            for n in names {
                out.insert(
                    n.to_owned(),
                    format!("{slug}-{:06x}", text::fnv1a([n.as_bytes()]) & 0xff_ffff),
                );
            }
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
    fn collisions_get_stable_suffixes() {
        let a = unique_slugs(["章平", "张平", "扫黑除恶"]);
        assert_ne!(a["章平"], a["张平"]);
        assert!(a["章平"].starts_with("zhang-ping-"));
        let b = unique_slugs(["张平", "章平"]);
        assert_eq!(a["章平"], b["章平"]);
        assert_eq!(a["扫黑除恶"], "sao-hei-chu-e");
    }
}
