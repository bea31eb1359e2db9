//! Which index files each query loads before its first page of results, on
//! a built site: `cargo run --release --example search_bytes -- CONTENT Q…`
//! prints one line per query, `query<TAB>matches<TAB>file file …`, for
//! `scripts/search-bytes.sh` to sum (raw and gzipped) over the output.

fn main() {
    let mut args = std::env::args().skip(1);
    let content = args.next().expect("usage: search_bytes CONTENT QUERY…");
    let opts = gongkai::BuildOptions {
        content: content.into(),
        ..gongkai::BuildOptions::default()
    };
    let (site, _, _) = gongkai::load(&opts).expect("content loads");
    let t = std::time::Instant::now();
    let index = gongkai::internals::build_search_index(&site);
    eprintln!(
        "index built in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    for q in args {
        let plan = index.query_files(&q);
        let files: Vec<&str> = plan.first_page_at_most().map(String::as_str).collect();
        println!("{q}\t{}\t{}", index.matches(&q).len(), files.join(" "));
    }
}
