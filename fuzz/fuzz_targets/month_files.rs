//! A month's metadata and the site's settings, as an editor's tool may leave them: `_index.md`
//! and `site.yaml` load into a month or are refused with diagnostics, never a panic; every
//! diagnostic is of a file of the content folder, and one of these two files is pointed at a
//! line it has.
//!
//! The input is `_index.md`; with a `\n--site--\n` line in it, what comes after is `site.yaml`
//! (the real report's otherwise). The month holds one item, the real report's first.
#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongkai::Error;
use gongkai::YearMonth;
use gongkai::internals::load_month_folder;
use gongkai_fuzz::file_lines;
use libfuzzer_sys::fuzz_target;

const SITE: &[u8] = include_bytes!("../../content/site.yaml");
const ITEM: &[u8] = include_bytes!("../../content/2020-07/01.md");
const SEPARATOR: &[u8] = b"\n--site--\n";

/// A content folder of this process's own, in memory when the machine has `/dev/shm`.
fn content() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("gongkai-fuzz-month-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("2020-07")).expect("month folder");
        fs::write(dir.join("2020-07/01.md"), ITEM).expect("item");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let (index, site) = match data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        Some(at) => (&data[..at], &data[at + SEPARATOR.len()..]),
        None => (data, SITE),
    };
    let dir = content();
    let index_path = dir.join("2020-07/_index.md");
    let site_path = dir.join("site.yaml");
    fs::write(&index_path, index).expect("write _index.md");
    fs::write(&site_path, site).expect("write site.yaml");
    let ym = YearMonth::parse("2020-07").expect("a month");
    let diags = match load_month_folder(dir, ym) {
        Ok((_, diags)) => diags,
        Err(Error::Content(diags)) => {
            assert!(diags.errors() > 0, "refused without an error: {diags}");
            diags
        }
        Err(e) => panic!("not a diagnostic: {e}"),
    };
    for d in &diags.0 {
        assert!(
            d.file.starts_with(dir),
            "a diagnostic outside the content: {d:?}"
        );
        let shown = d.to_string();
        let name = d.file.file_name().unwrap_or_default().to_string_lossy();
        assert!(shown.contains(&*name), "{shown}");
        let limit = if d.file == index_path {
            file_lines(index)
        } else if d.file == site_path {
            file_lines(site)
        } else {
            continue;
        };
        assert!(d.line <= limit, "line {} of {limit}: {d:?}", d.line);
    }
});
