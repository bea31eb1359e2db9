//! How text becomes search terms, for the indexer here and, mirrored line
//! for line, for `static/search.js`: the two must agree on every term.
//!
//! Every character of a text takes one position, and every character but
//! white space is a token, folded: full-width forms to ASCII (`１０％` is
//! `10%`), ASCII upper case to lower. White space only separates.
//!
//! The terms of the index are each token and each *pair* of adjacent tokens
//! (`樱花`, `5人`, `0%`); pairs also carry their positions. A query is cut
//! at white space into words, each a run of adjacent tokens (a word without
//! a letter, digit or CJK character is dropped). A word of one token is that
//! token's term, of two tokens its pair, exact as they are; a longer word is
//! pairs covering it, found where they stand at their offsets. So an item is
//! found exactly when its text holds every word as typed: `4个` in `共4个` and
//! in `1354个`, `完成率10%` in `完成率10%` but not in `完成率100%`.

use std::cmp::Ordering;

use crate::basics::text;

/// White space: what separates query words and breaks phrases in the text.
/// `search.js` uses the same set (`\s`, plus U+0085).
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Folds full-width forms to ASCII and ASCII upper case to lower, so
/// "１０ＫＶ" and "10kv" are the same tokens. `None` for white space.
fn normalise(c: char) -> Option<char> {
    if is_space(c) {
        return None;
    }
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    Some(c.to_ascii_lowercase())
}

/// Whether a query word holds something to look for: a letter, a digit or a
/// CJK character (punctuation alone is not a query).
fn searchable(word: &[char]) -> bool {
    word.iter()
        .any(|&c| c.is_ascii_alphanumeric() || text::is_cjk(c))
}

/// Calls `f` with each token of a text and its position, in text order.
/// Returns the number of positions the text takes (its characters).
fn each_token(text: &str, mut f: impl FnMut(char, u32)) -> u32 {
    let mut pos = 0;
    for c in text.chars() {
        if let Some(c) = normalise(c) {
            f(c, pos);
        }
        pos += 1;
    }
    pos
}

/// Every term of a text, repeats included (they are the term frequency), in
/// the order [`each_term`] gives them, with the position of each pair: the
/// plain statement of the rule, which the tests hold the indexer to.
#[cfg(test)]
pub(crate) fn tokens(text: &str) -> Vec<(String, Option<u32>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(a) = normalise(c) else { continue };
        out.push((a.to_string(), None));
        if let Some(b) = chars.get(i + 1).and_then(|&n| normalise(n)) {
            out.push((format!("{a}{b}"), Some(i as u32)));
        }
    }
    out
}

/// A term while the index is built: one or two characters packed into an
/// integer, or a pseudo-term (a department's items) as text. Nearly all of
/// the millions of term occurrences in an archive cost no allocation.
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

/// Calls `f` with every term of `text`, repeats included, each pair with its
/// position counted from `start`: the same terms in the same order as
/// [`tokens`]. Returns the position after the text.
pub(super) fn each_term(text: &str, start: u32, mut f: impl FnMut(Term, Option<u32>)) -> u32 {
    let mut prev: Option<(char, u32)> = None;
    let len = each_token(text, |c, p| {
        if let Some((a, q)) = prev
            && q + 1 == p
        {
            f(Term::chars(a, Some(c)), Some(start + q));
        }
        f(Term::chars(c, None), None);
        prev = Some((c, p));
    });
    start + len
}

/// One word of a query (a run of adjacent tokens), looked up as the terms
/// that find it (see the module comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    /// One term for a phrase of one or two tokens, else pairs that cover
    /// every token: the pairs at offsets 0, 2, 4 … and the last pair, since
    /// `ab` at p and `cd` at p + 2 already put `abcd` at p.
    pub terms: Vec<String>,
    /// Where each term stands in the phrase, in tokens.
    pub offsets: Vec<u32>,
}

impl Phrase {
    /// Whether the terms must be found at their offsets from one another.
    pub fn positional(&self) -> bool {
        self.terms.len() > 1
    }
}

/// The words of a query, each once, in query order: white space separates
/// them, as it breaks runs of tokens in the text. `search.js` does the same.
pub(crate) fn query_phrases(query: &str) -> Vec<Phrase> {
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last: Option<u32> = None;
    each_token(query, |c, p| {
        match (runs.last_mut(), last) {
            (Some(run), Some(l)) if l + 1 == p => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = Some(p);
    });
    let mut out: Vec<Phrase> = Vec::new();
    for run in runs.into_iter().filter(|r| searchable(r)) {
        let mut offsets: Vec<usize> = (0..run.len().saturating_sub(1)).step_by(2).collect();
        if run.len() > 2 && offsets.last() != Some(&(run.len() - 2)) {
            offsets.push(run.len() - 2);
        }
        let terms = if run.len() == 1 {
            offsets = vec![0];
            vec![run[0].to_string()]
        } else {
            offsets
                .iter()
                .map(|&i| run[i..i + 2].iter().collect())
                .collect()
        };
        let phrase = Phrase {
            terms,
            offsets: offsets.into_iter().map(|i| i as u32).collect(),
        };
        if !out.contains(&phrase) {
            out.push(phrase);
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

    fn terms_of(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(t, _)| t).collect()
    }

    fn phrases(q: &str) -> Vec<Vec<String>> {
        query_phrases(q).into_iter().map(|p| p.terms).collect()
    }

    #[test]
    fn chinese_is_cut_into_pairs_and_characters() {
        assert_eq!(
            terms_of("樱花园"),
            ["樱", "樱花", "花", "花园", "园"].map(String::from)
        );
        assert_eq!(phrases("樱花"), [vec!["樱花".to_string()]]);
        assert_eq!(phrases("樱花园"), [["樱花", "花园"].map(String::from)]);
        // Every other pair covers a longer phrase, and the last pair ends it.
        let p = &query_phrases("东湖风景区")[0];
        assert_eq!(p.terms, ["东湖", "风景", "景区"].map(String::from));
        assert_eq!(p.offsets, [0, 2, 3]);
        assert_eq!(query_phrases("东湖风景")[0].offsets, [0, 2]);
        assert!(query_phrases("樱花园")[0].positional());
        assert!(!query_phrases("樱花")[0].positional());
        assert_eq!(phrases("园"), [vec!["园".to_string()]]);
    }

    #[test]
    fn pairs_carry_their_positions() {
        // 樱 0, 花 1, " " 2, 园 3: the space stands between 花 and 园.
        assert_eq!(
            tokens("樱花 园"),
            [
                ("樱".to_string(), None),
                ("樱花".to_string(), Some(0)),
                ("花".to_string(), None),
                ("园".to_string(), None),
            ]
        );
        let text = "地铁19号线，１０ＫＶ线路改造2020年";
        let mut packed = Vec::new();
        let end = each_term(text, 10, |t, p| packed.push((t.into_string(), p)));
        assert_eq!(end, 10 + text.chars().count() as u32);
        assert_eq!(
            packed,
            tokens(text)
                .into_iter()
                .map(|(s, p)| (s, p.map(|p| p + 10)))
                .collect::<Vec<_>>(),
            "the indexer's terms are the documented tokens"
        );
    }

    #[test]
    fn letters_and_digits_are_tokens_like_characters() {
        assert_eq!(phrases("19号线"), [["19", "号线"].map(String::from)]);
        assert_eq!(phrases("10KV"), [["10", "kv"].map(String::from)]);
        assert_eq!(phrases("１０ｋｖ"), phrases("10kv"));
        assert_eq!(phrases("5人"), [vec!["5人".to_string()]]);
        assert_eq!(phrases("4"), [vec!["4".to_string()]]);
        let t = terms_of("共1354个");
        assert!(t.iter().any(|x| x == "4个"), "{t:?}");
        assert!(!terms_of("4 个").iter().any(|x| x == "4个"));
        // Punctuation is typed too: 完成率10% is not 完成率100%.
        assert!(terms_of("完成率10％").iter().any(|x| x == "0%"));
    }

    #[test]
    fn white_space_separates_words_and_repeats_count_once() {
        assert_eq!(
            phrases("还建房　还建房"),
            [["还建", "建房"].map(String::from)]
        );
        assert_eq!(query_phrases("还建房")[0].offsets, [0, 1]);
        assert_eq!(
            phrases("完成率10%"),
            [["完成", "率1", "0%"].map(String::from)]
        );
        assert_eq!(
            phrases("樱花 还建"),
            [vec!["樱花".to_string()], vec!["还建".to_string()]]
        );
        // Punctuation alone is no query.
        assert!(query_phrases("，。 ！").is_empty());
        assert_eq!(phrases("樱花 ，"), [vec!["樱花".to_string()]]);
    }

    #[test]
    fn terms_sort_as_javascript_does() {
        // U+F900 sorts after a supplementary-plane character in UTF-16.
        assert_eq!(js_order("\u{f900}", "\u{20000}"), Ordering::Greater);
        assert_eq!(js_order("a", "樱"), Ordering::Less);
    }
}
