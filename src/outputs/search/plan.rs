//! The query planner: which index files a query loads, worked out from the
//! shard scheme as `search.js` applies it. It exists so tests can bound the
//! bytes a query loads; only the integration tests (`tests/search_archive.rs`)
//! call it, so it is public for them and the site build never uses it.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::postings::decode_ids;
use super::tokens::{js_order, query_terms};
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
    fn size_of(&self, path: &str) -> usize {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map_or(0, |(_, b)| b.len())
    }
}
