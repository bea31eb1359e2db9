//! Writes a deterministic synthetic archive in gongkai's content format, the
//! same shape as `shared/peerbench/gen.py` (the generator is
//! `tests/it/common/archive.rs`, shared with the search tests).
//!
//! usage: cargo run --release --example gen-archive -- DIR [--months 120] [--items 70] [--projects 150] [--seed 1]

#[path = "../tests/it/common/archive.rs"]
mod archive;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let mut a = archive::Archive::default();
    while let Some(flag) = args.next() {
        let mut num = || {
            args.next()
                .and_then(|v| v.parse::<u64>().ok())
                .expect("a number after the flag")
        };
        match flag.as_str() {
            "--months" => a.months = num() as usize,
            "--items" => a.items = num() as usize,
            "--projects" => a.projects = num() as usize,
            "--seed" => a.seed = num(),
            _ => out = Some(PathBuf::from(flag)),
        }
    }
    let out =
        out.expect("usage: gen-archive DIR [--months N] [--items N] [--projects N] [--seed N]");
    archive::write(&out, &a)
}
