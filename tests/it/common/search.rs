//! What search must find, stated on the text itself (SPEC §7) and written
//! apart from the index: an item is found exactly when, for every word of the
//! query, one of the item's texts holds that word as typed.
//!
//! Words are what white space separates; full-width forms count as ASCII and
//! ASCII case does not matter; a word without a letter, digit or CJK character
//! asks for nothing. `4个` is in `1354个`, `完成率10%` is not in `完成率100%`.

/// Full-width forms as ASCII, ASCII upper case as lower.
fn fold(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2fa1f)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// The words of a query, folded.
pub fn phrases(query: &str) -> Vec<Vec<char>> {
    query
        .split(is_space)
        .map(|w| w.chars().map(fold).collect::<Vec<char>>())
        .filter(|w| w.iter().any(|&c| c.is_ascii_alphanumeric() || is_cjk(c)))
        .collect()
}

/// Texts folded once, for many queries.
pub struct Folded(Vec<Vec<Vec<char>>>);

impl Folded {
    /// Every item's texts, as `searched_texts` gives them.
    pub fn new(items: &[Vec<String>]) -> Folded {
        Folded(
            items
                .iter()
                .map(|texts| {
                    texts
                        .iter()
                        .map(|t| t.chars().map(fold).collect())
                        .collect()
                })
                .collect(),
        )
    }

    /// The ids of the items that hold every phrase of `query`.
    pub fn finds(&self, query: &str) -> Vec<usize> {
        let ps = phrases(query);
        if ps.is_empty() {
            return Vec::new();
        }
        (0..self.0.len())
            .filter(|&i| ps.iter().all(|p| self.0[i].iter().any(|t| holds(t, p))))
            .collect()
    }
}

/// Whether `text` holds `phrase`.
fn holds(text: &[char], phrase: &[char]) -> bool {
    text.windows(phrase.len()).any(|w| w == phrase)
}

/// Queries cut from the texts themselves, deterministic: substrings of one to
/// seven characters at pseudo-random places (punctuation and all), and every
/// fourth query two of them, from two items, joined by a space. With each,
/// whether it was cut from one item (so some item holds it).
pub fn sample_queries(raw: &[Vec<String>], n: usize) -> Vec<(String, bool)> {
    let mut rng = Lcg(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|k| {
            let a = rng.cut(raw);
            if k % 4 == 3 {
                (format!("{a} {}", rng.cut(raw)), false)
            } else {
                (a, true)
            }
        })
        .collect()
}

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, m: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % m.max(1)
    }

    /// A substring of some item's text that holds at least one phrase.
    fn cut(&mut self, raw: &[Vec<String>]) -> String {
        loop {
            let item = self.below(raw.len());
            let field = self.below(raw[item].len());
            let chars: Vec<char> = raw[item][field].chars().collect();
            if chars.is_empty() {
                continue;
            }
            let len = 1 + self.below(7);
            let start = self.below(chars.len());
            let s: String = chars[start..(start + len).min(chars.len())]
                .iter()
                .collect();
            if !phrases(&s).is_empty() {
                return s;
            }
        }
    }
}
