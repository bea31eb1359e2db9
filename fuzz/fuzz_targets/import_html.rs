//! A saved portal page (any encoding) through `gongkai import`: every problem is an error, never
//! a panic; every item file it would write loads back without an error, and the `_index.md` it
//! would write from the page's metadata is front matter the YAML library reads.
#![no_main]

use std::path::Path;

use gongkai::internals::{import_bytes, load_item_bytes, split_front_matter, yaml_readers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match import_bytes(Path::new("7月.html"), data.to_vec()) {
        Ok(files) => {
            for (name, text) in files {
                let path = Path::new("content/2020-07").join(&name);
                if name == "_index.md" {
                    let doc = split_front_matter(&path, &text)
                        .unwrap_or_else(|e| panic!("_index.md has no front matter: {e:?}\n{text}"));
                    let (_, library) = yaml_readers(&doc.yaml);
                    if let Err(e) = library {
                        panic!("_index.md is not YAML: {e}\n{text}");
                    }
                    continue;
                }
                let (item, diags) = load_item_bytes(&path, text.into_bytes());
                assert!(item.is_some(), "{name} does not load back: {diags}");
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
