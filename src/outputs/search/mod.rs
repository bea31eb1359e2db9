//! Search: a full-text index built at build time and written as static
//! files that `static/search.js` loads on demand. No server, no service.
//!
//! Chinese has no spaces, so text is cut into tokens (each CJK character,
//! letter and digit, folded: "１０ＫＶ" is `1`, `0`, `k`, `v`) and the index
//! holds every token and every pair of adjacent tokens (`樱花`, `5人`, `10`),
//! pairs with their positions ([`tokens`]). A query matches exactly the
//! items that hold each of its phrases as typed: a phrase of one or two
//! tokens is one term; a longer one is its pairs, standing one after another.
//!
//! The shard scheme (also in ARCHITECTURE.md): `search/index.js` holds the
//! manifest — months, departments, where each term shard starts. Terms are
//! sorted and cut into `search/terms/NNNN.js` of about [`TERM_SHARD_BYTES`];
//! the item records shown in results (project, department, text for the
//! snippet) go in `search/docs/NNNN.js`, [`DOCS_PER_SHARD`] items each; the
//! positions of the pairs, sorted and cut the same way, in
//! `search/pos/NNNN.js`. A query loads the manifest, one term shard per term,
//! the position shards of the pairs of its phrases longer than two tokens
//! and the doc shards of the results it shows. When everything fits in [`SINGLE_FILE_BYTES`], as
//! for one month's report, the manifest carries terms and docs itself and
//! `index.js` is the only file.
//!
//! Every file is a script that calls `gongkaiSearch.add(name, data)`, not
//! JSON: browsers refuse `fetch()` of local files, but load `<script>` tags
//! from disk, so search works on a site opened with `file://` too.

mod plan;
mod postings;
mod shards;
mod tokens;

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::basics::text;
use crate::load::content::Item;
use crate::model::Site;
use crate::urls::Page;

use postings::{Hit, Postings, Run};
use shards::{fits_one_file, json, script};
use tokens::{Term, each_term, js_order};

pub(crate) use crate::urls::SEARCH_DIR as DIR;

/// A term shard is closed once it holds this many bytes of postings. A single
/// term larger than this (one in every item) gets a shard of its own.
pub(crate) const TERM_SHARD_BYTES: usize = 48 * 1024;

/// Items per doc shard. A result page of [`RESULTS_PER_PAGE`] items needs at
/// most that many doc shards; small shards keep scattered results cheap.
pub(crate) const DOCS_PER_SHARD: usize = 8;

/// Below this size the whole index is written as `index.js` alone.
pub(crate) const SINGLE_FILE_BYTES: usize = 320 * 1024;

/// How many results `search.js` shows before "显示更多".
pub const RESULTS_PER_PAGE: usize = 20;

/// Prefix of the pseudo-term listing one department's items (`#3`), used by
/// the department filter. Text tokens never start with it.
const DEPARTMENT_TERM: char = '#';

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
    /// The first pair of each position shard, likewise.
    pos_shards: Vec<String>,
    /// Everything, when the index fits in one file.
    terms: Option<BTreeMap<String, String>>,
    positions: Option<BTreeMap<String, String>>,
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
    /// First pair of each position shard, when sharded.
    pos_starts: Vec<String>,
    /// Every pair and its encoded positions, in [`js_order`].
    positions: Vec<(String, String)>,
    docs: usize,
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
                let leaders = it.leaders.join(" ");
                // One position between fields, so no phrase runs across two.
                let mut pos = 0;
                for (f, text) in searched(it, &leaders).into_iter().enumerate() {
                    pos = each_term(text, pos, |t, at| p.add(t, doc, f == 0, at)) + 1;
                }
                let dept = site.department_of[mi][ii];
                p.list(Term::Word(format!("{DEPARTMENT_TERM}{dept}")))
                    .push((doc, Hit::default()));
            }
            p.into_runs()
        })
        .collect();
    let mut joined: FxHashMap<Term, (String, u32, String)> = FxHashMap::default();
    for chunk in chunks {
        for (t, run) in chunk {
            match joined.get_mut(&t) {
                Some((text, last, pos)) => {
                    *last = run.append_to(text, Some(*last));
                    if let Some(p) = &run.positions {
                        pos.push(',');
                        pos.push_str(p);
                    }
                }
                None => {
                    let mut text = String::new();
                    let last = run.append_to(&mut text, None);
                    joined.insert(t, (text, last, run.positions.unwrap_or_default()));
                }
            }
        }
    }
    let mut terms: Vec<(String, String)> = Vec::with_capacity(joined.len());
    let mut positions: Vec<(String, String)> = Vec::new();
    for (t, (text, _, pos)) in joined {
        let t = t.into_string();
        if !pos.is_empty() {
            positions.push((t.clone(), pos));
        }
        terms.push((t, text));
    }
    terms.sort_by(|a, b| js_order(&a.0, &b.0));
    positions.sort_by(|a, b| js_order(&a.0, &b.0));
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
        pos_shards: Vec::new(),
        terms: None,
        positions: None,
        doc_records: None,
    };
    if fits_one_file(&terms, &positions, &docs) {
        manifest.terms = Some(terms.iter().cloned().collect());
        manifest.positions = Some(positions.iter().cloned().collect());
        manifest.doc_records = Some(docs.clone());
    } else {
        (manifest.term_shards, manifest.pos_shards) =
            shards::write(&terms, &positions, &docs, &mut files);
    }
    // The version hashes each file's hash (the files hashed in parallel: an
    // archive's index is tens of megabytes), then the manifest's text.
    let unversioned = json(&manifest);
    let file_hashes: Vec<[u8; 8]> = files
        .par_iter()
        .map(|(_, b)| text::fnv1a([b.as_slice()]).to_le_bytes())
        .collect();
    manifest.version = format!(
        "{:016x}",
        text::fnv1a(
            std::iter::once(unversioned.as_bytes()).chain(file_hashes.iter().map(|h| h.as_slice()))
        )
    );
    let manifest_file = script("index", &manifest);
    files.push(manifest_file);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    SearchIndex {
        files,
        shard_starts: manifest.term_shards,
        terms,
        pos_starts: manifest.pos_shards,
        positions,
        docs: docs.len(),
    }
}

/// The texts of an item that search reads, the project name first.
fn searched<'a>(it: &'a Item, leaders: &'a str) -> [&'a str; 6] {
    [
        &it.project,
        &it.department,
        leaders,
        &it.progress.text,
        &it.problems.text,
        &it.plan.text,
    ]
}

/// Every item's searched texts, in doc id order: for tests that check what
/// the index finds against the text itself.
pub fn searched_texts(site: &Site) -> Vec<Vec<String>> {
    let items = site.content.months.iter().flat_map(|m| &m.items);
    items
        .map(|it| {
            let leaders = it.leaders.join(" ");
            searched(it, &leaders).map(String::from).to_vec()
        })
        .collect()
}

impl SearchIndex {
    /// How many items the index holds.
    pub fn docs(&self) -> usize {
        self.docs
    }
}
