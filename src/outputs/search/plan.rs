//! The query planner: which items a query finds and which index files it
//! loads, worked out from the index and the shard scheme as `search.js`
//! applies them. It exists so tests can bound the
//! bytes a query loads; only the integration tests (`tests/search_archive.rs`)
//! call it, so it is public for them and the site build never uses it.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use super::postings::{decode_ids, decode_positions};
use super::tokens::{Phrase, js_order, query_phrases};
use super::{DIR, DOCS_PER_SHARD, RESULTS_PER_PAGE, SearchIndex};

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
        for phrase in query_phrases(query) {
            for t in &phrase.terms {
                let shard = shard_of(&self.shard_starts, t);
                fixed.insert(format!("{DIR}terms/{shard:04}.js"));
                if phrase.positional() {
                    let shard = shard_of(&self.pos_starts, t);
                    fixed.insert(format!("{DIR}pos/{shard:04}.js"));
                }
            }
        }
        let shards: BTreeSet<usize> = self
            .matches(query)
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

    /// The ids of the items a query finds, ascending: those that hold every
    /// phrase of it, worked out from the index as `search.js` does.
    pub fn matches(&self, query: &str) -> Vec<usize> {
        let mut found: Option<BTreeSet<usize>> = None;
        for phrase in query_phrases(query) {
            let ids = self.phrase_matches(&phrase);
            found = Some(match found {
                None => ids,
                Some(m) => m.intersection(&ids).copied().collect(),
            });
        }
        found.unwrap_or_default().into_iter().collect()
    }

    fn phrase_matches(&self, phrase: &Phrase) -> BTreeSet<usize> {
        let ids =
            |t: &str| -> Vec<usize> { lookup(&self.terms, t).map(decode_ids).unwrap_or_default() };
        if !phrase.positional() {
            return ids(&phrase.terms[0]).into_iter().collect();
        }
        // Each pair's positions by item, then the items where every pair
        // stands at its offset from the first.
        let at: Vec<HashMap<usize, Vec<u32>>> = phrase
            .terms
            .iter()
            .map(|t| {
                let pos = lookup(&self.positions, t)
                    .map(decode_positions)
                    .unwrap_or_default();
                ids(t).into_iter().zip(pos).collect()
            })
            .collect();
        at[0]
            .iter()
            .filter(|(doc, first)| {
                first.iter().any(|&p| {
                    at.iter().zip(&phrase.offsets).skip(1).all(|(m, off)| {
                        m.get(doc)
                            .is_some_and(|ps| ps.binary_search(&(p + off)).is_ok())
                    })
                })
            })
            .map(|(&doc, _)| doc)
            .collect()
    }

    /// Every term with the length of its encoded postings, for tests that
    /// look for the heaviest queries.
    pub fn term_sizes(&self) -> impl Iterator<Item = (&str, usize)> {
        self.terms.iter().map(|(t, p)| (t.as_str(), p.len()))
    }

    /// Bytes of one index file, 0 when there is none.
    fn size_of(&self, path: &str) -> usize {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map_or(0, |(_, b)| b.len())
    }
}

/// The shard that holds `term`, given the first term of each shard.
fn shard_of(starts: &[String], term: &str) -> usize {
    starts
        .partition_point(|s| js_order(s, term) != Ordering::Greater)
        .saturating_sub(1)
}

/// The encoded entry of `term` in a list sorted in [`js_order`].
fn lookup<'a>(list: &'a [(String, String)], term: &str) -> Option<&'a str> {
    list.binary_search_by(|(t, _)| js_order(t, term))
        .ok()
        .map(|i| list[i].1.as_str())
}
