//! A Word document through `gongkai import`: every problem is an error, never a panic, and every
//! item file it would write loads back without an error.
//!
//! An input that starts with `PK` is the whole .docx (the zip). Any other input is the text of
//! `word/document.xml`, with `word/numbering.xml` after a `\n--numbering--\n` line when it has
//! one, put into a zip here without compression: the zip's checksums would otherwise turn away
//! nearly every mutation of the XML before the reader sees it.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

const NUMBERING: &[u8] = b"\n--numbering--\n";

fn zipped(data: &[u8]) -> Vec<u8> {
    let (document, numbering) = match data.windows(NUMBERING.len()).position(|w| w == NUMBERING) {
        Some(at) => (&data[..at], Some(&data[at + NUMBERING.len()..])),
        None => (data, None),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(document).unwrap();
    if let Some(n) = numbering {
        zip.start_file("word/numbering.xml", opts).unwrap();
        zip.write_all(n).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        zipped(data)
    };
    gongkai_fuzz::import_loads_back("7月.docx", bytes);
});
