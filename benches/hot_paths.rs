//! Micro-benchmarks of the paths a build profile shows as hot, so a regression
//! is visible: `cargo bench`. Inputs are the real July 2020 report.

use std::path::Path;

use gongkai::load::content::{self, LoadOptions};
use gongkai::load::front_matter::{self, FrontMatter};
use gongkai::publish::build::{self, BuildOptions};
use gongkai::render::{self, RenderOptions};
use gongkai::urls::{Page, View};

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
        let doc = front_matter::split(path, divan::black_box(&text)).unwrap();
        let mut errs = Vec::new();
        let fm = FrontMatter::parse(path, &doc, gongkai::load::fields::ITEM, &mut errs);
        fm.string_list(gongkai::load::fields::ITEM, "leaders", &mut errs)
    });
}

#[divan::bench]
fn markdown_render(b: divan::Bencher) {
    let text = july_item();
    b.bench(|| gongkai::load::markdown::render(divan::black_box(&text)));
}

#[divan::bench]
fn load_real_content() -> usize {
    let (c, _) = content::load(
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
    let (site, renderer, _) = build::load(&opts).unwrap();
    let page = Page::Month(site.content.months[0].ym);
    let view = View::from_name(view).unwrap();
    b.bench(|| {
        let data = render::page_data(&site, &render::Shared::new(&site), &page);
        renderer
            .render(&site, &page, view, &data, &RenderOptions::default())
            .unwrap()
            .len()
    });
}

#[divan::bench]
fn qr_svg() -> usize {
    gongkai::render::qr::svg(divan::black_box(
        "https://www.example.gov.cn/zwgk/m/2020-07/30a/",
    ))
    .len()
}
