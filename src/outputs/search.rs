//! Search: a full-text index built at build time and written as static
//! files that `static/search.js` loads on demand. No server, no service.
//!
//! Chinese has no spaces, so text is cut into overlapping character pairs
//! (bigrams) plus single characters; runs of ASCII letters and digits are
//! whole tokens, so "19号线" is `19` + `号线` and "10KV" is `10kv`. A query
//! matches the items that hold every one of its terms.
//!
//! The shard scheme (also in ARCHITECTURE.md): `search/index.js` holds the
//! manifest — months, departments, where each term shard starts. Terms are
//! sorted and cut into `search/terms/NNNN.js` of about [`TERM_SHARD_BYTES`];
//! the item records shown in results (project, department, text for the
//! snippet) go in `search/docs/NNNN.js`, [`DOCS_PER_SHARD`] items each. A
//! query loads the manifest, one term shard per term and the doc shards of
//! the results it shows. When everything fits in [`SINGLE_FILE_BYTES`], as
//! for one month's report, the manifest carries terms and docs itself and
//! `index.js` is the only file.
//!
//! Every file is a script that calls `gongkaiSearch.add(name, data)`, not
//! JSON: browsers refuse `fetch()` of local files, but load `<script>` tags
//! from disk, so search works on a site opened with `file://` too.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::basics::text;
use crate::model::Site;
use crate::urls::Page;

/// Where the index files go, relative to the site root: beside the html
/// view's search page. Every view's search page loads from here.
pub const DIR: &str = "search/";

/// A term shard is closed once it holds this many bytes of postings. A single
/// term larger than this (one in every item) gets a shard of its own.
pub const TERM_SHARD_BYTES: usize = 48 * 1024;

/// Items per doc shard. A result page of [`RESULTS_PER_PAGE`] items needs at
/// most that many doc shards; small shards keep scattered results cheap.
pub const DOCS_PER_SHARD: usize = 8;

/// Below this size the whole index is written as `index.js` alone.
pub const SINGLE_FILE_BYTES: usize = 320 * 1024;

/// How many results `search.js` shows before "显示更多".
pub const RESULTS_PER_PAGE: usize = 20;

/// Prefix of the pseudo-term listing one department's items (`#3`), used by
/// the department filter. Text tokens never start with it.
const DEPARTMENT_TERM: char = '#';

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
pub fn tokens(text: &str) -> Vec<String> {
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
enum Term {
    Chars(u64),
    Word(String),
}

impl Term {
    fn chars(a: char, b: Option<char>) -> Term {
        // `b + 1` so that 0 means "no second character".
        Term::Chars(u64::from(a) | b.map_or(0, |b| (u64::from(b) + 1) << 32))
    }

    fn into_string(self) -> String {
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
fn each_term(text: &str, mut f: impl FnMut(Term)) {
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
pub fn query_terms(query: &str) -> Vec<String> {
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
fn js_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The manifest, `search/index.js`.
#[derive(Serialize)]
struct Manifest<'a> {
    /// Changes whenever any index file changes; `search.js` appends it to
    /// shard URLs so a browser never mixes shards of two builds.
    version: String,
    docs: usize,
    docs_per_shard: usize,
    results_per_page: usize,
    months: Vec<MonthEntry>,
    /// Department names; `#N` is the term listing the items of the N-th.
    departments: Vec<&'a str>,
    /// The first term of each term shard, in [`js_order`]; empty when `terms` is inline.
    term_shards: Vec<String>,
    /// Everything, when the index fits in one file.
    terms: Option<BTreeMap<String, String>>,
    doc_records: Option<Vec<Doc<'a>>>,
}

#[derive(Serialize)]
struct MonthEntry {
    ym: String,
    label: String,
    /// Heading of the plan section, for snippets from it.
    plan_heading: String,
    /// Id of the month's first item: ids run through the months in date
    /// order, so a month range is an id range.
    first: usize,
}

/// One item as a result shows it.
#[derive(Serialize, Clone)]
struct Doc<'a> {
    number: Option<&'a str>,
    project: &'a str,
    department: &'a str,
    /// Link from the view root, e.g. `2020-07/13/index.html`.
    href: String,
    /// The three sections' text, for the snippet.
    sections: [&'a str; 3],
}

#[derive(Serialize)]
struct TermShard<'a> {
    terms: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct DocShard<'a> {
    docs: &'a [Doc<'a>],
}

/// The built index: its files, and enough of its structure to say which
/// files a query needs.
pub struct SearchIndex {
    /// (path under the site root, bytes), sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
    /// First term of each shard, when sharded.
    shard_starts: Vec<String>,
    /// Every term and its encoded postings, in [`js_order`]: what the term
    /// shards hold, read back by [`SearchIndex::query_files`].
    terms: Vec<(String, String)>,
    docs: usize,
}

/// One term in one item: how often, and whether the project name holds it.
#[derive(Default, Clone, Copy)]
struct Hit {
    tf: u32,
    in_project: bool,
}

/// Builds the index of every item of the site.
pub fn build(site: &Site) -> SearchIndex {
    let mut docs: Vec<Doc> = Vec::new();
    let mut months = Vec::new();
    let mut items = Vec::new();
    for (mi, m) in site.content.months.iter().enumerate() {
        months.push(MonthEntry {
            ym: m.ym.to_string(),
            label: m.ym.chinese(),
            plan_heading: m.ym.plan_heading(),
            first: docs.len(),
        });
        for (ii, it) in m.items.iter().enumerate() {
            items.push((mi, ii, it));
            docs.push(Doc {
                number: it.number.as_deref(),
                project: &it.project,
                department: &it.department,
                href: Page::Item(m.ym, it.stem.clone()).href(),
                sections: [&it.progress.text, &it.problems.text, &it.plan.text],
            });
        }
    }
    // Items are indexed in parallel, a chunk at a time, each chunk into its
    // own postings; chunks are merged in order so every posting list ends up
    // with ascending doc ids (doc ids are positions in `items`).
    const CHUNK: usize = 256;
    // Each chunk's posting lists are encoded as soon as the chunk is done,
    // so the raw lists of only the chunks in progress are held at once.
    let chunks: Vec<Vec<(Term, Run)>> = items
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut p = Postings::default();
            for (k, &(mi, ii, it)) in chunk.iter().enumerate() {
                let doc = (c * CHUNK + k) as u32;
                each_term(&it.project, |t| p.add(t, doc, true));
                let leaders = it.leaders.join(" ");
                for text in [
                    it.department.as_str(),
                    &leaders,
                    &it.progress.text,
                    &it.problems.text,
                    &it.plan.text,
                ] {
                    each_term(text, |t| p.add(t, doc, false));
                }
                let dept = site.department_of[mi][ii];
                p.list(Term::Word(format!("{DEPARTMENT_TERM}{dept}")))
                    .push((doc, Hit::default()));
            }
            p.terms
                .into_iter()
                .zip(p.lists)
                .map(|(t, list)| (t, Run::encode(&list)))
                .collect()
        })
        .collect();
    let mut joined: FxHashMap<Term, (String, u32)> = FxHashMap::default();
    for chunk in chunks {
        for (t, run) in chunk {
            match joined.get_mut(&t) {
                Some((text, last)) => *last = run.append_to(text, Some(*last)),
                None => {
                    let mut text = String::new();
                    let last = run.append_to(&mut text, None);
                    joined.insert(t, (text, last));
                }
            }
        }
    }
    let mut terms: Vec<(String, String)> = joined
        .into_iter()
        .map(|(t, (text, _))| (t.into_string(), text))
        .collect();
    terms.sort_by(|a, b| js_order(&a.0, &b.0));
    let departments = site.departments.iter().map(|d| d.name.as_str()).collect();

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut manifest = Manifest {
        version: String::new(),
        docs: docs.len(),
        docs_per_shard: DOCS_PER_SHARD,
        results_per_page: RESULTS_PER_PAGE,
        months,
        departments,
        term_shards: Vec::new(),
        terms: None,
        doc_records: None,
    };
    if fits_one_file(&terms, &docs) {
        manifest.terms = Some(terms.iter().cloned().collect());
        manifest.doc_records = Some(docs.clone());
    } else {
        let shards = term_shards(&terms);
        manifest.term_shards = shards.iter().map(|s| s[0].0.clone()).collect();
        files.par_extend(shards.par_iter().enumerate().map(|(n, shard)| {
            let data = TermShard {
                terms: shard
                    .iter()
                    .map(|(t, p)| (t.as_str(), p.as_str()))
                    .collect(),
            };
            script(&format!("terms/{n:04}"), &data)
        }));
        files.par_extend(
            docs.par_chunks(DOCS_PER_SHARD)
                .enumerate()
                .map(|(n, chunk)| script(&format!("docs/{n:04}"), &DocShard { docs: chunk })),
        );
    }
    let unversioned = json(&manifest);
    manifest.version = format!(
        "{:016x}",
        text::fnv1a(
            std::iter::once(unversioned.as_bytes()).chain(files.iter().map(|(_, b)| b.as_slice()))
        )
    );
    let manifest_file = script("index", &manifest);
    files.push(manifest_file);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    SearchIndex {
        files,
        shard_starts: manifest.term_shards,
        terms,
        docs: docs.len(),
    }
}

/// Posting lists while the index is built: term → (doc id, hit) in doc order.
#[derive(Default)]
struct Postings {
    /// Term numbers of single characters of the main CJK block, by code
    /// point: half of all occurrences, looked up without hashing.
    common: Vec<u32>,
    ids: FxHashMap<Term, usize>,
    terms: Vec<Term>,
    lists: Vec<Vec<(u32, Hit)>>,
}

/// The CJK Unified Ideographs block, which holds nearly every character of a report.
const COMMON: std::ops::Range<u32> = 0x4e00..0xa000;

impl Postings {
    fn list(&mut self, t: Term) -> &mut Vec<(u32, Hit)> {
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
        let n = known.unwrap_or_else(|| {
            let n = self.terms.len();
            match slot {
                Some(i) => self.common[i] = n as u32,
                None => {
                    self.ids.insert(t.clone(), n);
                }
            }
            self.terms.push(t);
            self.lists.push(Vec::new());
            n
        });
        &mut self.lists[n]
    }

    /// One occurrence of `t` in `doc`: items are added one after another,
    /// so the doc's hit, if any, is the last of the list.
    fn add(&mut self, t: Term, doc: u32, in_project: bool) {
        let list = self.list(t);
        match list.last_mut() {
            Some((d, hit)) if *d == doc => {
                hit.tf += 1;
                hit.in_project |= in_project;
            }
            _ => list.push((doc, Hit { tf: 1, in_project })),
        }
    }
}

/// Postings as text: `id[:tf][!]` per item, ids as deltas from the previous
/// one, numbers in base 36, `!` when the term is in the project name.
#[cfg(test)]
fn encode_postings(list: &[(u32, Hit)]) -> String {
    let mut out = String::new();
    Run::encode(list).append_to(&mut out, None);
    out
}

/// Part of a term's postings (one chunk of items), encoded but for its first
/// id: that one is a delta from the previous part's last id, known only
/// when the parts are joined in order.
struct Run {
    first: u32,
    last: u32,
    /// The first entry's `[:tf][!]`, then `,id[:tf][!]` for the others.
    tail: String,
}

impl Run {
    /// `list`: one or more entries, ascending doc ids.
    fn encode(list: &[(u32, Hit)]) -> Run {
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
        }
    }

    /// Appends this run to a term's text, after the run that ended at
    /// `prev_last`. Returns this run's last id.
    fn append_to(&self, out: &mut String, prev_last: Option<u32>) -> u32 {
        if prev_last.is_some() {
            out.push(',');
        }
        push_base36(out, self.first - prev_last.unwrap_or(0));
        out.push_str(&self.tail);
        self.last
    }
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
fn decode_ids(postings: &str) -> Vec<usize> {
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

/// Whether the whole index fits in `index.js`. The raw text is a lower bound
/// of its JSON, so big archives are told apart without serializing anything.
fn fits_one_file(terms: &[(String, String)], docs: &[Doc]) -> bool {
    let raw: usize = terms.iter().map(|(t, p)| t.len() + p.len()).sum::<usize>()
        + docs
            .iter()
            .map(|d| d.sections.iter().map(|s| s.len()).sum::<usize>())
            .sum::<usize>();
    if raw > SINGLE_FILE_BYTES {
        return false;
    }
    let all_terms: BTreeMap<&str, &str> = terms
        .iter()
        .map(|(t, p)| (t.as_str(), p.as_str()))
        .collect();
    json(&all_terms).len() + json(&docs).len() <= SINGLE_FILE_BYTES
}

/// Cuts the sorted terms into runs of about [`TERM_SHARD_BYTES`].
fn term_shards(terms: &[(String, String)]) -> Vec<&[(String, String)]> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (t, p)) in terms.iter().enumerate() {
        let entry = t.len() + p.len() + 6;
        if size > 0 && size + entry > TERM_SHARD_BYTES {
            out.push(&terms[start..i]);
            (start, size) = (i, 0);
        }
        size += entry;
    }
    if start < terms.len() {
        out.push(&terms[start..]);
    }
    out
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("index data serializes")
}

/// A file that registers its data with `search.js` when loaded as a script.
fn script<T: Serialize>(name: &str, data: &T) -> (String, Vec<u8>) {
    let text = format!("gongkaiSearch.add({},{});\n", json(&name), json(data));
    (format!("{DIR}{name}.js"), text.into_bytes())
}

/// The files a query may load: what it always needs, and the doc shards
/// that hold its matches (the ones it loads depend on the ranking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryFiles {
    /// The manifest and the term shard of each term.
    pub index_and_terms: Vec<String>,
    /// Every doc shard holding a match, largest first.
    pub doc_shards: Vec<String>,
}

impl QueryFiles {
    /// The files a query can load before showing its first page of results,
    /// at the most: the manifest, its term shards and the
    /// [`RESULTS_PER_PAGE`] largest doc shards among its matches.
    pub fn first_page_at_most(&self) -> impl Iterator<Item = &String> {
        self.index_and_terms
            .iter()
            .chain(self.doc_shards.iter().take(RESULTS_PER_PAGE))
    }
}

impl SearchIndex {
    /// Which files a query needs, computed from the shard scheme as
    /// `search.js` applies it.
    pub fn query_files(&self, query: &str) -> QueryFiles {
        let mut fixed: BTreeSet<String> = BTreeSet::new();
        fixed.insert(format!("{DIR}index.js"));
        if self.shard_starts.is_empty() {
            return QueryFiles {
                index_and_terms: fixed.into_iter().collect(),
                doc_shards: Vec::new(),
            };
        }
        let mut matches: Option<BTreeSet<usize>> = None;
        for t in query_terms(query) {
            let shard = self
                .shard_starts
                .partition_point(|s| js_order(s, &t) != Ordering::Greater)
                .saturating_sub(1);
            fixed.insert(format!("{DIR}terms/{shard:04}.js"));
            let ids: BTreeSet<usize> = self
                .terms
                .binary_search_by(|(term, _)| js_order(term, &t))
                .map(|i| decode_ids(&self.terms[i].1).into_iter().collect())
                .unwrap_or_default();
            matches = Some(match matches {
                None => ids,
                Some(m) => m.intersection(&ids).copied().collect(),
            });
        }
        let shards: BTreeSet<usize> = matches
            .unwrap_or_default()
            .into_iter()
            .map(|id| id / DOCS_PER_SHARD)
            .collect();
        let mut docs: Vec<(usize, String)> = shards
            .into_iter()
            .map(|s| {
                let name = format!("{DIR}docs/{s:04}.js");
                (self.size_of(&name), name)
            })
            .collect();
        docs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        QueryFiles {
            index_and_terms: fixed.into_iter().collect(),
            doc_shards: docs.into_iter().map(|(_, n)| n).collect(),
        }
    }

    /// Bytes of one index file, 0 when there is none.
    pub fn size_of(&self, path: &str) -> usize {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map_or(0, |(_, b)| b.len())
    }

    /// How many items the index holds.
    pub fn docs(&self) -> usize {
        self.docs
    }
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
        let last = Run::encode(&whole[..2]).append_to(&mut joined, None);
        Run::encode(&whole[2..]).append_to(&mut joined, Some(last));
        assert_eq!(joined, encode_postings(&whole));
        assert_eq!(decode_ids(&encode_postings(&[(0, Hit::default())])), [0]);
    }

    #[test]
    fn terms_sort_as_javascript_does() {
        // U+F900 sorts after a supplementary-plane character in UTF-16.
        assert_eq!(js_order("\u{f900}", "\u{20000}"), Ordering::Greater);
        assert_eq!(js_order("a", "樱"), Ordering::Less);
    }
}
