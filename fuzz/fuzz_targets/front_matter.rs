//! An item file's bytes: the fast front-matter reader and the YAML library
//! agree whenever the fast reader answers, and the whole item loader reports
//! every problem as a diagnostic of the file, at a line the file has.
#![no_main]

use std::path::Path;

use gongkai::internals::{load_item_bytes, split_front_matter, yaml_readers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("content/2020-07/01.md");
    if let Ok(text) = std::str::from_utf8(data) {
        // The YAML between the fences, or the whole input when it has none.
        let yaml = split_front_matter(path, text).map_or_else(|_| text.to_owned(), |d| d.yaml);
        let (fast, library) = yaml_readers(&yaml);
        if let Some(fast) = fast {
            match library {
                Ok(library) => assert_eq!(fast, library, "the readers disagree on {yaml:?}"),
                Err(e) => panic!("the fast reader accepted {yaml:?}, the library says {e}"),
            }
        }
    }
    let lines = gongkai_fuzz::file_lines(data);
    let (item, diags) = load_item_bytes(path, data.to_vec());
    for d in &diags.0 {
        assert_eq!(d.file, path);
        assert!(d.line <= lines, "line {} of {lines}: {}", d.line, d.message);
        let shown = d.to_string();
        assert!(shown.contains("content/2020-07/01.md"), "{shown}");
    }
    assert_eq!(
        item.is_some(),
        diags.errors() == 0,
        "an item is refused exactly when there is an error: {diags}"
    );
});
