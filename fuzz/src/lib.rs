//! What more than one target asserts, in one place.

use std::path::Path;

use gongkai::Error;
use gongkai::internals::{import_bytes, load_item_bytes};

/// Imports `bytes` as the file `name`: a problem is an error naming the file,
/// never a panic, and every item file the import would write loads back
/// without an error.
pub fn import_loads_back(name: &str, bytes: Vec<u8>) {
    match import_bytes(Path::new(name), bytes) {
        Ok(files) => {
            for (file, text) in files {
                let path = Path::new("content/2020-07").join(&file);
                let (item, diags) = load_item_bytes(&path, text.into_bytes());
                assert!(item.is_some(), "{file} does not load back: {diags}");
            }
        }
        Err(e) => names_the_file(name, &e),
    }
}

/// What import says of a file it refuses tells the editor which file: each
/// diagnostic is of that file, and the message shown names it.
pub fn names_the_file(name: &str, e: &Error) {
    if let Error::Content(diags) = e {
        for d in &diags.0 {
            assert_eq!(d.file, Path::new(name), "{d:?}");
        }
    }
    let shown = e.to_string();
    assert!(
        shown.contains(name),
        "the error does not name {name}: {shown}"
    );
}

/// How many lines a file of these bytes has, counted as the loader counts
/// them (CRLF, LF and a lone CR each end one; the text after the last is one).
pub fn file_lines(bytes: &[u8]) -> usize {
    String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .matches(['\n', '\r'])
        .count()
        + 1
}
