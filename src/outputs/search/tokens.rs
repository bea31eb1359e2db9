//! How text becomes search terms, for the indexer here and, mirrored line
//! for line, for `static/search.js`: the two must agree on every term.

use std::cmp::Ordering;

use crate::basics::text;

/// Folds full-width letters and digits to ASCII and upper case to lower, so
/// "１０ＫＶ" and "10kv" are the same token. `None` for characters that only
/// separate tokens (punctuation, spaces).
fn normalise(c: char) -> Option<(char, bool)> {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii_alphanumeric() {
        Some((c.to_ascii_lowercase(), false))
    } else if text::is_cjk(c) {
        Some((c, true))
    } else {
        None
    }
}

/// Runs of one kind: ASCII words and CJK runs, in text order.
fn runs(text: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut current: Option<(String, bool)> = None;
    for c in text.chars() {
        match (normalise(c), &mut current) {
            (Some((c, cjk)), Some((run, run_cjk))) if *run_cjk == cjk => run.push(c),
            (Some((c, cjk)), _) => {
                out.extend(current.take());
                current = Some((c.to_string(), cjk));
            }
            (None, _) => out.extend(current.take()),
        }
    }
    out.extend(current);
    out
}

/// Every token of a text, repeats included (they are the term frequency):
/// each ASCII word, and each character and each overlapping pair of a CJK run.
/// The index is built by [`each_term`] without these strings; the tests check
/// both against this plain statement of the rule.
#[cfg(test)]
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (run, cjk) in runs(text) {
        if !cjk {
            out.push(run);
            continue;
        }
        let chars: Vec<char> = run.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            out.push(c.to_string());
            if let Some(next) = chars.get(i + 1) {
                out.push(format!("{c}{next}"));
            }
        }
    }
    out
}

/// A term while the index is built: one or two CJK characters packed into an
/// integer, an ASCII word as text. Most terms are CJK, so most of the millions
/// of term occurrences in an archive cost no allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Term {
    Chars(u64),
    Word(String),
}

impl Term {
    fn chars(a: char, b: Option<char>) -> Term {
        // `b + 1` so that 0 means "no second character".
        Term::Chars(u64::from(a) | b.map_or(0, |b| (u64::from(b) + 1) << 32))
    }

    pub(super) fn into_string(self) -> String {
        match self {
            Term::Word(w) => w,
            Term::Chars(k) => {
                let a = char::from_u32((k & 0xffff_ffff) as u32).expect("packed from a char");
                let mut s = String::from(a);
                if k >> 32 != 0 {
                    s.push(char::from_u32((k >> 32) as u32 - 1).expect("packed from a char"));
                }
                s
            }
        }
    }
}

/// Calls `f` with every term of `text`, repeats included: the same terms in
/// the same order as [`tokens`], without building the strings of CJK terms.
pub(super) fn each_term(text: &str, mut f: impl FnMut(Term)) {
    let mut word = String::new();
    let mut prev_cjk: Option<char> = None;
    for c in text.chars() {
        match normalise(c) {
            Some((c, true)) => {
                if !word.is_empty() {
                    f(Term::Word(std::mem::take(&mut word)));
                }
                if let Some(p) = prev_cjk {
                    f(Term::chars(p, Some(c)));
                }
                f(Term::chars(c, None));
                prev_cjk = Some(c);
            }
            Some((c, false)) => {
                word.push(c);
                prev_cjk = None;
            }
            None => {
                if !word.is_empty() {
                    f(Term::Word(std::mem::take(&mut word)));
                }
                prev_cjk = None;
            }
        }
    }
    if !word.is_empty() {
        f(Term::Word(word));
    }
}

/// The terms a query looks up, each once: ASCII words, the pairs of CJK runs,
/// and a CJK run of one character as itself. `search.js` does the same.
pub(crate) fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (run, cjk) in runs(query) {
        let chars: Vec<char> = run.chars().collect();
        let terms: Vec<String> = if cjk && chars.len() > 1 {
            chars.windows(2).map(|w| w.iter().collect()).collect()
        } else {
            vec![run]
        };
        for t in terms {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// Terms are ordered as JavaScript compares strings (UTF-16 code units), so
/// `search.js` finds a term's shard with the same comparison.
pub(super) fn js_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_cut_into_pairs_and_characters() {
        assert_eq!(
            tokens("樱花园"),
            ["樱", "樱花", "花", "花园", "园"].map(String::from)
        );
        assert_eq!(query_terms("樱花园"), ["樱花", "花园"].map(String::from));
        assert_eq!(query_terms("园"), ["园"].map(String::from));
    }

    #[test]
    fn ascii_words_and_numbers_stay_whole() {
        assert_eq!(query_terms("19号线"), ["19", "号线"].map(String::from));
        assert_eq!(query_terms("10KV"), ["10kv"].map(String::from));
        assert_eq!(
            query_terms("１０ＫＶ线路"),
            ["10kv", "线路"].map(String::from)
        );
        assert_eq!(query_terms("2020年"), ["2020", "年"].map(String::from));
        let text = "地铁19号线，10KV线路改造2020年";
        let mut packed = Vec::new();
        each_term(text, |t| packed.push(t.into_string()));
        assert_eq!(
            packed,
            tokens(text),
            "the indexer's terms are the documented tokens"
        );
        let t = tokens(text);
        for want in ["19", "号线", "10kv", "2020", "地铁"] {
            assert!(t.iter().any(|x| x == want), "{want} in {t:?}");
        }
        assert!(!t.iter().any(|x| x == "铁1" || x == "线，"));
    }

    #[test]
    fn punctuation_separates_and_repeats_count_once_in_queries() {
        assert_eq!(
            query_terms("还建房，还建房"),
            ["还建", "建房"].map(String::from)
        );
        assert!(query_terms("，。 ！").is_empty());
    }

    #[test]
    fn terms_sort_as_javascript_does() {
        // U+F900 sorts after a supplementary-plane character in UTF-16.
        assert_eq!(js_order("\u{f900}", "\u{20000}"), Ordering::Greater);
        assert_eq!(js_order("a", "樱"), Ordering::Less);
    }
}
