//! A saved portal page (any encoding) through `gongkai import`: every problem is an error naming
//! the file, never a panic; every item file it would write loads back without an error; and the
//! month folder it would write (`_index.md` from the page's metadata, and the items) loads as a
//! month. The one error allowed there is the one import means to leave: 发文日期 left empty for
//! the editor when the page did not give it. Every diagnostic names a file of the folder and a
//! line.
#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongkai::Error;
use gongkai::internals::{import_month_bytes, load_item_bytes, load_month_folder};
use libfuzzer_sys::fuzz_target;

/// A content folder of this process's own, with a `site.yaml`.
fn content() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("gongkai-fuzz-html-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp folder");
        fs::write(
            dir.join("site.yaml"),
            "title: 测试网站\npublisher: 测试管委会\n",
        )
        .expect("site.yaml");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let (ym, files) = match import_month_bytes(Path::new("7月.html"), data.to_vec()) {
        Ok(imported) => imported,
        Err(e) => return gongkai_fuzz::names_the_file("7月.html", &e),
    };
    let month = content().join(ym.to_string());
    let _ = fs::remove_dir_all(&month);
    fs::create_dir_all(&month).expect("month folder");
    let mut issued_left_empty = false;
    for (name, text) in &files {
        let path = month.join(name);
        if name == "_index.md" {
            issued_left_empty = text.lines().any(|l| l == "issued:");
        } else {
            let (item, diags) = load_item_bytes(&path, text.clone().into_bytes());
            assert!(item.is_some(), "{name} does not load back: {diags}");
        }
        fs::write(&path, text).expect("write");
    }
    if !files.iter().any(|(n, _)| n == "_index.md") {
        // A page without metadata writes items only; the editor adds `_index.md`.
        return;
    }
    let diags = match load_month_folder(content(), ym) {
        Ok((_, diags)) => diags,
        Err(Error::Content(diags)) => diags,
        Err(e) => panic!("the month folder does not load: {e}"),
    };
    for d in &diags.0 {
        assert!(
            d.file.starts_with(&month),
            "a diagnostic outside the month: {d:?}"
        );
        assert!(d.line >= 1, "a diagnostic without a line: {d:?}");
        let expected = issued_left_empty && d.message.contains("发文日期");
        if d.severity == gongkai::Severity::Error && !expected {
            let index = &files[0].1;
            panic!("the imported month does not load: {d:?}\n_index.md:\n{index}");
        }
    }
});
