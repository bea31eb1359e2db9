//! Search on a ten-year archive: 120 generated months of 70 items each. A
//! query must stay within 1 MB of downloads, because the index is split into
//! shards and a query fetches only the ones it needs.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use crate::cdp::{self, Browser, file_url};
use crate::common;
use crate::common::search::{Folded, sample_queries};
use gongkai::BuildOptions;
use gongkai::internals::{self as search, SearchIndex};

/// The budget of one two-character query's first page of results, in bytes:
/// what a citizen on a phone downloads for the commonest queries (issue 14).
const QUERY_BUDGET: usize = 200 * 1024;

/// Two-character queries a citizen would type, common and rare: 工作 is in
/// every project name, 樱花 and 还建 in a few percent of the text.
const TYPICAL_QUERIES: [&str; 6] = ["工作", "景区", "东湖", "樱花", "还建", "防汛"];

/// Writes the 120-month × 70-item benchmark archive into `dir`: html view
/// only and no base URL, to keep the build quick (the index depends on neither).
fn generate(dir: &Path) {
    common::archive::write(dir, &common::archive::Archive::default()).expect("write archive");
    fs::write(
        dir.join("site.yaml"),
        "title: 示例风景区管委会 政府信息公开\npublisher: 示例风景区管委会\nviews: [html]\n",
    )
    .unwrap();
}

/// The archive, generated and built once for every test here.
pub(crate) fn archive() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        generate(&dir.path().join("content"));
        let out = common::bin()
            .args(["build"])
            .current_dir(dir.path())
            .output()
            .expect("run gongkai");
        assert!(out.status.success(), "{}", common::stderr(&out));
        dir
    })
    .path()
}

pub(crate) fn public() -> PathBuf {
    archive().join("public")
}

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let opts = BuildOptions {
            content: archive().join("content"),
            ..BuildOptions::default()
        };
        let (site, _, _) = gongkai::load(&opts).expect("archive loads");
        search::build_search_index(&site)
    })
}

fn size(rel: &str) -> usize {
    fs::metadata(public().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .len() as usize
}

#[test]
fn a_two_character_query_downloads_at_most_200_kb() {
    let idx = index();
    assert_eq!(idx.docs(), 120 * 70);
    // What the build wrote is what the library describes, byte for byte.
    for (path, bytes) in &idx.files {
        assert_eq!(
            &fs::read(public().join(path)).unwrap(),
            bytes,
            "{path} differs"
        );
    }
    let total: usize = idx.files.iter().map(|(_, b)| b.len()).sum();
    eprintln!(
        "archive index: {} files, {total} bytes in all",
        idx.files.len()
    );
    for q in TYPICAL_QUERIES {
        let plan = idx.query_files(q);
        let files: Vec<&String> = plan.first_page_at_most().collect();
        let bytes: usize = files.iter().map(|f| size(f)).sum();
        let terms = files.iter().filter(|f| f.contains("/terms/")).count();
        let docs = files.iter().filter(|f| f.contains("/docs/")).count();
        eprintln!(
            "query {q}: at most {bytes} bytes in {} files ({terms} term shard, {docs} doc shards; matches in {} doc shards)",
            files.len(),
            plan.doc_shards.len()
        );
        assert_eq!(terms, 1, "{q}: a two-character query is one term");
        assert!(docs <= search::RESULTS_PER_PAGE, "{q}: {docs} doc shards");
        assert!(
            bytes <= QUERY_BUDGET,
            "{q}: {bytes} bytes over the {QUERY_BUDGET} budget"
        );
        // Far less than the whole index: the point of sharding.
        assert!(bytes * 10 < total, "{q}: {bytes} of {total}");
    }
    // The heaviest two-character queries: the pairs with the longest postings.
    let mut pairs: Vec<(&str, usize)> = idx
        .term_sizes()
        .filter(|(t, _)| t.chars().count() == 2 && t.chars().all(|c| !c.is_ascii()))
        .collect();
    pairs.sort_by_key(|p| std::cmp::Reverse(p.1));
    let mut worst = (0, "");
    for &(q, _) in pairs.iter().take(40) {
        let bytes: usize = idx
            .query_files(q)
            .first_page_at_most()
            .map(|f| size(f))
            .sum();
        worst = worst.max((bytes, q));
    }
    eprintln!(
        "heaviest two-character query: {} with {} bytes",
        worst.1, worst.0
    );
    assert!(worst.0 <= QUERY_BUDGET, "{}: {} bytes", worst.1, worst.0);
}

#[test]
fn archive_search_finds_exactly_the_items_that_hold_the_query() {
    let opts = BuildOptions {
        content: archive().join("content"),
        ..BuildOptions::default()
    };
    let (site, _, _) = gongkai::load(&opts).expect("archive loads");
    let raw = search::searched_texts(&site);
    let text = Folded::new(&raw);
    let idx = index();
    let mut queries: Vec<String> = ["完成率10%", "樱花园", "5人", "工作进展"]
        .map(String::from)
        .to_vec();
    let sampled = sample_queries(&raw, 300);
    queries.extend(sampled.iter().map(|(q, _)| q.clone()));
    for q in &queries {
        assert_eq!(idx.matches(q), text.finds(q), "{q:?}");
    }
    assert!(
        sampled
            .iter()
            .all(|(q, held)| !held || !text.finds(q).is_empty())
    );
}

#[test]
fn the_browser_fetches_only_the_shards_a_query_needs() {
    let Some(mut b) = Browser::launch("the_browser_fetches_only_the_shards_a_query_needs") else {
        return;
    };
    let idx = index();
    for q in ["樱花", "还建", "完成率10%"] {
        let url = format!(
            "{}?q={}",
            file_url(&public().join("search/index.html")),
            cdp::encode(q)
        );
        b.goto(&url);
        assert!(
            b.wait_for(
                "document.querySelectorAll('.search-hit').length > 0",
                Duration::from_secs(30)
            ),
            "{q}: no results"
        );
        let loaded =
            b.eval("document.getElementById('search-results').getAttribute('data-loaded')");
        let loaded: Vec<String> = loaded
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .map(|n| format!("search/{n}.js"))
            .collect();
        let plan = idx.query_files(q);
        for f in &loaded {
            assert!(
                plan.index_and_terms.contains(f) || plan.doc_shards.contains(f),
                "{q}: {f} is not a file the query needs: {plan:?}"
            );
        }
        for f in &plan.index_and_terms {
            assert!(loaded.contains(f), "{q}: {f} was not loaded");
        }
        let bytes: usize = loaded.iter().map(|f| size(f)).sum();
        let bound: usize = plan.first_page_at_most().map(|f| size(f)).sum();
        eprintln!(
            "browser query {q}: {bytes} bytes in {} files (bound {bound})",
            loaded.len()
        );
        assert!(bytes <= bound, "{q}: {bytes}, bound {bound}");
        if q.chars().count() == 2 {
            assert!(bound <= QUERY_BUDGET, "{q}: bound {bound}");
        }
        let shown = b.eval("document.querySelectorAll('.search-hit').length");
        let found = idx.matches(q).len();
        assert_eq!(
            shown,
            found.min(search::RESULTS_PER_PAGE) as u64,
            "{q}: one page at first"
        );
        let status = b.eval("document.getElementById('search-status').textContent");
        assert!(
            status
                .as_str()
                .unwrap_or_default()
                .contains(&format!("找到 {found} 项")),
            "{q}: {status} ({found} items hold it)"
        );
    }
}

#[test]
fn the_month_range_keeps_results_inside_it() {
    let Some(mut b) = Browser::launch("the_month_range_keeps_results_inside_it") else {
        return;
    };
    let url = format!(
        "{}?q={}&from=2020-01&to=2020-03",
        file_url(&public().join("search/index.html")),
        cdp::encode("樱花园")
    );
    b.goto(&url);
    assert!(
        b.wait_for(
            "document.querySelectorAll('.search-hit').length > 0",
            Duration::from_secs(30)
        ),
        "no results"
    );
    let metas = b.eval(
        "Array.from(document.querySelectorAll('.search-hit .hit-meta')).map(function(p){return p.textContent})",
    );
    for m in metas.as_array().unwrap() {
        let m = m.as_str().unwrap();
        assert!(
            ["2020年1月", "2020年2月", "2020年3月"]
                .iter()
                .any(|l| m.starts_with(l)),
            "{m}"
        );
    }
    // "Show more" loads the next page of results, from the same range.
    let before = metas.as_array().unwrap().len();
    b.eval(
        "document.querySelector('.search-more') && document.querySelector('.search-more').click()",
    );
    let more = b.wait_for(
        &format!("document.querySelectorAll('.search-hit').length > {before}"),
        Duration::from_secs(20),
    );
    let status = b.eval("document.getElementById('search-status').textContent");
    let total: usize = status
        .as_str()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(total > 0, "{status}");
    assert_eq!(more, total > before, "{status}");
}
