//! A CSV file's bytes (any encoding) through `gongkai import`: every problem is an error, never
//! a panic, and every item file it would write loads back without an error.
#![no_main]

use std::path::Path;

use gongkai::internals::{import_bytes, load_item_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match import_bytes(Path::new("table.csv"), data.to_vec()) {
        Ok(files) => {
            for (name, text) in files {
                let path = Path::new("content/2020-07").join(&name);
                let (item, diags) = load_item_bytes(&path, text.into_bytes());
                assert!(item.is_some(), "{name} does not load back: {diags}");
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
