//! Posting lists: which items hold a term, built per chunk of items and
//! written as compact text that `search.js` decodes; for pairs, also where
//! in each item they stand.

use rustc_hash::FxHashMap;

use super::tokens::Term;

/// One term in one item: how often, and whether the project name holds it.
#[derive(Default, Clone, Copy)]
pub(super) struct Hit {
    tf: u32,
    in_project: bool,
}

/// Posting lists while the index is built: term → (doc id, hit) in doc order.
#[derive(Default)]
pub(super) struct Postings {
    /// Term numbers of single characters of the main CJK block, by code
    /// point: half of all occurrences, looked up without hashing.
    common: Vec<u32>,
    ids: FxHashMap<Term, usize>,
    terms: Vec<Term>,
    lists: Vec<Vec<(u32, Hit)>>,
    /// Per term, the positions of its occurrences in add order (pairs only;
    /// empty for other terms): each doc's `tf` of them, doc after doc.
    positions: Vec<Vec<u32>>,
}

/// The CJK Unified Ideographs block, which holds nearly every character of a report.
const COMMON: std::ops::Range<u32> = 0x4e00..0xa000;

impl Postings {
    pub(super) fn list(&mut self, t: Term) -> &mut Vec<(u32, Hit)> {
        let n = self.number(t);
        &mut self.lists[n]
    }

    /// The term's number, given on first sight.
    fn number(&mut self, t: Term) -> usize {
        let slot = match t {
            Term::Chars(k) if COMMON.contains(&(k as u32)) && k >> 32 == 0 => {
                if self.common.is_empty() {
                    self.common = vec![u32::MAX; COMMON.len()];
                }
                Some((k as u32 - COMMON.start) as usize)
            }
            _ => None,
        };
        let known = match slot {
            Some(i) => Some(self.common[i])
                .filter(|&n| n != u32::MAX)
                .map(|n| n as usize),
            None => self.ids.get(&t).copied(),
        };
        known.unwrap_or_else(|| {
            let n = self.terms.len();
            match slot {
                Some(i) => self.common[i] = n as u32,
                None => {
                    self.ids.insert(t.clone(), n);
                }
            }
            self.terms.push(t);
            self.lists.push(Vec::new());
            self.positions.push(Vec::new());
            n
        })
    }

    /// One occurrence of `t` in `doc`, at `pos` for a pair: items are added
    /// one after another, so the doc's hit, if any, is the last of the list.
    pub(super) fn add(&mut self, t: Term, doc: u32, in_project: bool, pos: Option<u32>) {
        let n = self.number(t);
        if let Some(p) = pos {
            self.positions[n].push(p);
        }
        let list = &mut self.lists[n];
        match list.last_mut() {
            Some((d, hit)) if *d == doc => {
                hit.tf += 1;
                hit.in_project |= in_project;
            }
            _ => list.push((doc, Hit { tf: 1, in_project })),
        }
    }

    /// Each term with its list encoded, in the order terms were first seen,
    /// ready to be joined after the previous chunk's.
    pub(super) fn into_runs(self) -> Vec<(Term, Run)> {
        self.terms
            .into_iter()
            .zip(self.lists.into_iter().zip(self.positions))
            .map(|(t, (list, pos))| (t, Run::encode(&list, &pos)))
            .collect()
    }
}

/// Postings as text: `id[:tf][!]` per item, ids as deltas from the previous
/// one, numbers in base 36, `!` when the term is in the project name.
#[cfg(test)]
fn encode_postings(list: &[(u32, Hit)]) -> String {
    let mut out = String::new();
    Run::encode(list, &[]).append_to(&mut out, None);
    out
}

/// Part of a term's postings (one chunk of items), encoded but for its first
/// id: that one is a delta from the previous part's last id, known only
/// when the parts are joined in order.
pub(super) struct Run {
    first: u32,
    last: u32,
    /// The first entry's `[:tf][!]`, then `,id[:tf][!]` for the others.
    tail: String,
    /// For a pair, its positions: per item `p.d.d…` (the first position,
    /// then deltas, base 36), items in posting order, joined by `,`.
    pub(super) positions: Option<String>,
}

impl Run {
    /// `list`: one or more entries, ascending doc ids; `positions`: as
    /// [`Postings::positions`], empty for a term that is not a pair.
    fn encode(list: &[(u32, Hit)], positions: &[u32]) -> Run {
        let mut tail = String::with_capacity(list.len() * 3);
        push_hit(&mut tail, list[0].1);
        for pair in list.windows(2) {
            tail.push(',');
            push_base36(&mut tail, pair[1].0 - pair[0].0);
            push_hit(&mut tail, pair[1].1);
        }
        Run {
            first: list[0].0,
            last: list[list.len() - 1].0,
            tail,
            positions: (!positions.is_empty()).then(|| encode_positions(list, positions)),
        }
    }

    /// Appends this run to a term's text, after the run that ended at
    /// `prev_last`. Returns this run's last id.
    pub(super) fn append_to(&self, out: &mut String, prev_last: Option<u32>) -> u32 {
        if prev_last.is_some() {
            out.push(',');
        }
        push_base36(out, self.first - prev_last.unwrap_or(0));
        out.push_str(&self.tail);
        self.last
    }
}

/// Each doc's `tf` positions, ascending, as `p.d.d…`; docs joined by `,`.
fn encode_positions(list: &[(u32, Hit)], positions: &[u32]) -> String {
    let mut out = String::with_capacity(positions.len() * 3);
    let mut rest = positions;
    for (i, (_, hit)) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (mine, others) = rest.split_at(hit.tf as usize);
        let mut prev = 0;
        for (k, &p) in mine.iter().enumerate() {
            if k > 0 {
                out.push('.');
            }
            push_base36(&mut out, p - prev);
            prev = p;
        }
        rest = others;
    }
    out
}

/// The positions of each doc of a pair's postings, in posting order.
pub(super) fn decode_positions(text: &str) -> Vec<Vec<u32>> {
    text.split(',')
        .map(|doc| {
            let mut p = 0;
            doc.split('.')
                .map(|d| {
                    p += u32::from_str_radix(d, 36).expect("written by encode_positions");
                    p
                })
                .collect()
        })
        .collect()
}

/// `:tf` when a term occurs more than once, `!` when the project name holds it.
fn push_hit(out: &mut String, hit: Hit) {
    if hit.tf > 1 {
        out.push(':');
        push_base36(out, hit.tf);
    }
    if hit.in_project {
        out.push('!');
    }
}

/// The doc ids of encoded postings: what `search.js` reads from a term shard.
pub(super) fn decode_ids(postings: &str) -> Vec<usize> {
    let mut id = 0;
    postings
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let delta = p.split([':', '!']).next().unwrap_or("");
            id += usize::from_str_radix(delta, 36).expect("written by encode_postings");
            id
        })
        .collect()
}

fn push_base36(out: &mut String, n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    // Most deltas and counts are one digit.
    if n >= 36 {
        push_base36(out, n / 36);
    }
    out.push(char::from(DIGITS[(n % 36) as usize]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_compact_deltas() {
        let list = [
            (
                3,
                Hit {
                    tf: 1,
                    in_project: false,
                },
            ),
            (
                40,
                Hit {
                    tf: 12,
                    in_project: true,
                },
            ),
        ];
        assert_eq!(encode_postings(&list), "3,11:c!");
        assert_eq!(decode_ids("3,11:c!"), [3, 40]);
        // Chunks encoded apart and joined read as one list encoded whole.
        let hit = |tf, in_project| Hit { tf, in_project };
        let whole = [
            (2, hit(1, false)),
            (5, hit(3, true)),
            (300, hit(1, true)),
            (301, hit(2, false)),
        ];
        let mut joined = String::new();
        let last = Run::encode(&whole[..2], &[]).append_to(&mut joined, None);
        Run::encode(&whole[2..], &[]).append_to(&mut joined, Some(last));
        assert_eq!(joined, encode_postings(&whole));
        assert_eq!(decode_ids(&encode_postings(&[(0, Hit::default())])), [0]);
    }

    #[test]
    fn positions_are_deltas_per_item() {
        let mut p = Postings::default();
        let t = || Term::Word("5人".into());
        p.add(t(), 0, false, Some(4));
        p.add(t(), 0, false, Some(40));
        p.add(t(), 2, true, Some(1));
        let runs = p.into_runs();
        let text = runs[0].1.positions.clone().expect("a pair has positions");
        assert_eq!(text, "4.10,1");
        assert_eq!(decode_positions(&text), [vec![4, 40], vec![1]]);
        let mut q = Postings::default();
        q.add(Term::Word("5".into()), 0, false, None);
        assert!(q.into_runs()[0].1.positions.is_none());
    }
}
