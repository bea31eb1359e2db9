//! Micro-benchmarks of the paths a build profile shows as hot, so a regression
//! is visible: `cargo bench`. Inputs are the real July 2020 report.

use std::path::Path;

use gongkai::internals::{
    FrontMatter, ITEM_FIELDS, LoadOptions, Shared, load_content, page_data, render_markdown,
    split_front_matter,
};
use gongkai::{BuildOptions, Page, RenderOptions, View};

fn main() {
    divan::main();
}

fn july_item() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/2020-07/12.md"))
        .unwrap()
}

#[divan::bench]
fn front_matter_parse(b: divan::Bencher) {
    let text = july_item();
    let path = Path::new("12.md");
    b.bench(|| {
        let doc = split_front_matter(path, divan::black_box(&text)).unwrap();
        let mut errs = Vec::new();
        let fm = FrontMatter::parse(path, &doc, ITEM_FIELDS, &mut errs);
        fm.string_list(ITEM_FIELDS, "leaders", &mut errs)
    });
}

#[divan::bench]
fn markdown_render(b: divan::Bencher) {
    let text = july_item();
    b.bench(|| render_markdown(divan::black_box(&text)));
}

#[divan::bench]
fn load_real_content() -> usize {
    let (c, _) = load_content(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        LoadOptions::default(),
    )
    .unwrap();
    c.months[0].items.len()
}

#[divan::bench(args = ["html", "print", "mobile"])]
fn month_page_render(b: divan::Bencher, view: &str) {
    let opts = BuildOptions {
        content: Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        ..BuildOptions::default()
    };
    let (site, renderer, _) = gongkai::load(&opts).unwrap();
    let page = Page::Month(site.content.months[0].ym);
    let view = View::from_name(view).unwrap();
    b.bench(|| {
        let data = page_data(&site, &Shared::new(&site), &page);
        renderer
            .render(&site, &page, view, &data, &RenderOptions::default())
            .unwrap()
            .len()
    });
}

#[divan::bench]
fn qr_svg() -> usize {
    gongkai::internals::qr_svg(divan::black_box(
        "https://www.example.gov.cn/zwgk/m/2020-07/30a/",
    ))
    .map_or(0, |svg| svg.len())
}
