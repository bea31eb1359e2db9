//! The index as files: one `index.js` when it is small, else term shards,
//! position shards and doc shards beside the manifest, each a script (the scheme is in [`super`]).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::{DIR, DOCS_PER_SHARD, Doc, SINGLE_FILE_BYTES, TERM_SHARD_BYTES};

#[derive(Serialize)]
struct TermShard<'a> {
    terms: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct PosShard<'a> {
    positions: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct DocShard<'a> {
    docs: &'a [Doc<'a>],
}

/// Whether the whole index fits in `index.js`. The raw text is a lower bound
/// of its JSON, so big archives are told apart without serializing anything.
pub(super) fn fits_one_file(
    terms: &[(String, String)],
    positions: &[(String, String)],
    docs: &[Doc],
) -> bool {
    let raw: usize = terms
        .iter()
        .chain(positions)
        .map(|(t, p)| t.len() + p.len())
        .sum::<usize>()
        + docs
            .iter()
            .map(|d| d.sections.iter().map(|s| s.len()).sum::<usize>())
            .sum::<usize>();
    if raw > SINGLE_FILE_BYTES {
        return false;
    }
    let map = |list: &[(String, String)]| -> usize {
        let all: BTreeMap<&str, &str> =
            list.iter().map(|(t, p)| (t.as_str(), p.as_str())).collect();
        json(&all).len()
    };
    map(terms) + map(positions) + json(&docs).len() <= SINGLE_FILE_BYTES
}

/// Cuts the sorted terms (or pairs) into runs of about [`TERM_SHARD_BYTES`].
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

pub(super) fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("index data serializes")
}

fn entries(shard: &[(String, String)]) -> BTreeMap<&str, &str> {
    shard
        .iter()
        .map(|(t, p)| (t.as_str(), p.as_str()))
        .collect()
}

/// A file that registers its data with `search.js` when loaded as a script.
pub(super) fn script<T: Serialize>(name: &str, data: &T) -> (String, Vec<u8>) {
    let text = format!("gongkaiSearch.add({},{});\n", json(&name), json(data));
    (format!("{DIR}{name}.js"), text.into_bytes())
}

/// Writes the term shards, the position shards, then the doc shards, onto
/// `files`, and returns the first term of each term shard and the first
/// pair of each position shard, for the manifest.
pub(super) fn write(
    terms: &[(String, String)],
    positions: &[(String, String)],
    docs: &[Doc],
    files: &mut Vec<(String, Vec<u8>)>,
) -> (Vec<String>, Vec<String>) {
    let shards = term_shards(terms);
    files.par_extend(shards.par_iter().enumerate().map(|(n, shard)| {
        let data = TermShard {
            terms: entries(shard),
        };
        script(&format!("terms/{n:04}"), &data)
    }));
    let pos_shards = term_shards(positions);
    files.par_extend(pos_shards.par_iter().enumerate().map(|(n, shard)| {
        let data = PosShard {
            positions: entries(shard),
        };
        script(&format!("pos/{n:04}"), &data)
    }));
    files.par_extend(
        docs.par_chunks(DOCS_PER_SHARD)
            .enumerate()
            .map(|(n, chunk)| script(&format!("docs/{n:04}"), &DocShard { docs: chunk })),
    );
    let starts = |s: &[&[(String, String)]]| s.iter().map(|s| s[0].0.clone()).collect();
    (starts(&shards), starts(&pos_shards))
}
