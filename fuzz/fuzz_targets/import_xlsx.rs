//! A workbook's bytes through `gongkai import`: every problem is an error, never a panic, and
//! every item file it would write loads back without an error.
//!
//! An input that starts with `PK` (a zip: xlsx, xlsb, ods) or with the compound-file signature
//! (xls) is the whole workbook, read by whichever of calamine's readers takes it. Any other
//! input is the text of an xlsx's one worksheet, with `xl/sharedStrings.xml` after a
//! `\n--strings--\n` line when it has one, put into a workbook here without compression: the
//! zip's checksums would otherwise turn away nearly every mutation of the XML. An input that
//! starts with `<office:document-content` is an ods's `content.xml`, put into an ods the same way
//! (calamine reads every sheet of an ods at once, expanding repeated rows and cells).
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

const STRINGS: &[u8] = b"\n--strings--\n";
const ODS_CONTENT: &[u8] = b"<office:document-content";
const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
const CFB: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0];

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="7月" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

fn zipped(data: &[u8]) -> Vec<u8> {
    let (sheet, strings) = match data.windows(STRINGS.len()).position(|w| w == STRINGS) {
        Some(at) => (&data[..at], Some(&data[at + STRINGS.len()..])),
        None => (data, None),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text).unwrap();
    }
    if let Some(s) = strings {
        zip.start_file("xl/sharedStrings.xml", opts).unwrap();
        zip.write_all(s).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An ods holding `content` as its `content.xml`, stored.
fn ods(content: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
        ),
        ("META-INF/manifest.xml", ODS_MANIFEST.as_bytes()),
        ("content.xml", content),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let (name, bytes) = if data.starts_with(b"PK") || data.starts_with(CFB) {
        ("table.xlsx", data.to_vec())
    } else if data.starts_with(ODS_CONTENT) {
        ("table.ods", ods(data))
    } else {
        ("table.xlsx", zipped(data))
    };
    gongkai_fuzz::import_loads_back(name, bytes);
});
