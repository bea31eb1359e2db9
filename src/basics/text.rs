//! Small text facts every stage shares: what counts as a Chinese character,
//! a stable hash, escaping for HTML and XML, spreadsheet-style letters,
//! web addresses and the order people sort file names in.

use std::cmp::Ordering;

/// CJK ideographs: the unified blocks, extension A, the compatibility block
/// and the supplementary planes. `search.js` uses the same ranges.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2fa1f}')
}

/// FNV-1a over the bytes of every part, in order: tiny and stable across Rust
/// versions and platforms (unlike `DefaultHasher`), so the same input always
/// gives byte-identical output.
pub(crate) fn fnv1a<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    h
}

/// Escapes text for HTML content and attribute values (what Tera's autoescape
/// does for templates, for the few strings Rust writes as HTML itself).
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for XML content and attribute values; drops the control
/// characters XML 1.0 does not allow.
pub(crate) fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The `n`-th (0-based) name in the sequence a, b, … z, aa, ab, …, in upper
/// case as spreadsheets name columns (`A`, `AA`) or lower case for row suffixes.
pub(crate) fn base26(n: usize, upper: bool) -> String {
    let first = if upper { b'A' } else { b'a' };
    let mut s = Vec::new();
    let mut n = n + 1;
    while n > 0 {
        n -= 1;
        s.push(first + (n % 26) as u8);
        n /= 26;
    }
    s.reverse();
    s.into_iter().map(char::from).collect()
}

/// An absolute http(s) address with no spaces: the only kind of external
/// address content may turn into a link.
pub(crate) fn is_web_url(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > "https://".len()
        && !s.contains(char::is_whitespace)
}

/// Orders file names as people do: `2` before `10`, `30` before `30a`.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let a_digit = a.starts_with(|c: char| c.is_ascii_digit());
        let b_digit = b.starts_with(|c: char| c.is_ascii_digit());
        let take = |s: &str, digit: bool| {
            s.find(|c: char| c.is_ascii_digit() != digit)
                .unwrap_or(s.len())
        };
        let (la, lb) = (take(a, a_digit), take(b, b_digit));
        let (ca, cb) = (&a[..la], &b[..lb]);
        let ord = if a_digit && b_digit {
            let (ta, tb) = (ca.trim_start_matches('0'), cb.trim_start_matches('0'));
            ta.len()
                .cmp(&tb.len())
                .then(ta.cmp(tb))
                .then(ca.len().cmp(&cb.len()))
        } else {
            ca.cmp(cb)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        a = &a[la..];
        b = &b[lb..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["10", "2", "30a", "30", "01", "31", "9"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["01", "2", "9", "10", "30", "30a", "31"]);
    }

    #[test]
    fn base26_counts_like_a_spreadsheet() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .iter()
            .map(|&n| base26(n, true))
            .collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
        assert_eq!(base26(0, false), "a");
        assert_eq!(base26(26, false), "aa");
    }

    #[test]
    fn escapers() {
        assert_eq!(escape_html("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape_xml("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;");
    }

    #[test]
    fn fnv1a_is_the_published_function() {
        // FNV-1a 64 of "a", from the reference tables.
        assert_eq!(fnv1a([b"a".as_slice()]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a([b"ab".as_slice()]), fnv1a([b"a".as_slice(), b"b"]));
    }
}
