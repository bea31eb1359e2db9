//! What to send to the portal since the last upload, however many builds
//! came between (issue 30): `gongkai upload`. When an upload is marked done,
//! the output's manifest (`.gongkai-manifest`: every file's SHA-256, size
//! and path) is copied beside the output (`.<name>.gongkai-uploaded`); what
//! to send next is the difference between that copy and the manifest now.
//! The builds themselves keep nothing for it, so no build can lose it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::publish::staging::{Change, MANIFEST, read_manifest};

/// File in a zip that lists what the portal must delete.
pub const DELETIONS: &str = "gongkai-删除清单.txt";

/// `.<name>.gongkai-uploaded` beside `target`: the manifest as last uploaded.
pub(crate) fn path(target: &Path) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!(".{name}.gongkai-uploaded"))
}

/// What changed in the output since the upload last marked done.
#[derive(Debug)]
pub struct Pending {
    /// `(change, path)` in path order, paths relative to the output.
    pub changes: Vec<(Change, String)>,
    /// No upload was ever marked done: every file is new.
    pub first: bool,
}

fn manifest(output: &Path) -> Result<String> {
    let file = output.join(MANIFEST);
    fs::read_to_string(&file).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(format!(
                "{} 里没有 {MANIFEST}：它不是 gongkai build 生成的输出文件夹，请先运行 gongkai build",
                output.display()
            ))
        } else {
            Error::io(e, &file)
        }
    })
}

/// What to send: files added or modified since the last marked upload, and
/// files to delete. The manifest itself is sent whenever anything changed.
pub fn pending(output: &Path) -> Result<Pending> {
    let now_text = manifest(output)?;
    let before_text = fs::read_to_string(path(output)).ok();
    let first = before_text.is_none();
    let before_text = before_text.unwrap_or_default();
    let (now, before) = (read_manifest(&now_text), read_manifest(&before_text));
    let mut changes: Vec<(Change, String)> = Vec::new();
    for (p, id) in &now {
        match before.get(p) {
            None => changes.push((Change::Added, (*p).to_owned())),
            Some(old) if old != id => changes.push((Change::Modified, (*p).to_owned())),
            _ => {}
        }
    }
    for p in before.keys().filter(|p| !now.contains_key(*p)) {
        changes.push((Change::Deleted, (*p).to_owned()));
    }
    if !changes.is_empty() {
        let change = if first {
            Change::Added
        } else {
            Change::Modified
        };
        changes.push((change, MANIFEST.to_owned()));
    }
    changes.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Pending { changes, first })
}

/// The `--changes` style list: `A path`, `M path`, `D path` lines.
pub fn list(p: &Pending) -> String {
    p.changes
        .iter()
        .map(|(c, path)| format!("{} {path}\n", c.letter()))
        .collect()
}

/// Writes a zip of the files to send (as they are in the output) and, when
/// some are to be deleted, [`DELETIONS`] listing them. Written to a
/// temporary file and renamed: a zip is whole or absent.
pub fn write_zip(output: &Path, p: &Pending, to: &Path) -> Result<usize> {
    let tmp = to.with_extension("zip.tmp");
    let result = (|| -> Result<usize> {
        let file = fs::File::create(&tmp).map_err(|e| Error::io(e, &tmp))?;
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let zerr = |e: zip::result::ZipError| Error::Io(format!("{}: {e}", tmp.display()));
        let mut n = 0;
        for (c, rel) in &p.changes {
            if *c == Change::Deleted {
                continue;
            }
            let src = output.join(rel);
            let bytes = fs::read(&src).map_err(|e| Error::io(e, &src))?;
            zip.start_file(rel.as_str(), opts).map_err(zerr)?;
            zip.write_all(&bytes).map_err(|e| Error::io(e, &tmp))?;
            n += 1;
        }
        let deleted: String = p
            .changes
            .iter()
            .filter(|(c, _)| *c == Change::Deleted)
            .map(|(_, rel)| format!("{rel}\r\n"))
            .collect();
        if !deleted.is_empty() {
            zip.start_file(DELETIONS, opts).map_err(zerr)?;
            zip.write_all("请在门户上删除下列文件：\r\n".as_bytes())
                .and_then(|()| zip.write_all(deleted.as_bytes()))
                .map_err(|e| Error::io(e, &tmp))?;
        }
        zip.finish().map_err(zerr)?;
        Ok(n)
    })();
    match result {
        Ok(n) => {
            fs::rename(&tmp, to).map_err(|e| Error::io(e, to))?;
            Ok(n)
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Marks the output as it is now uploaded: the next list starts from here.
pub fn mark_done(output: &Path) -> Result<()> {
    let text = manifest(output)?;
    let file = path(output);
    let mut tmp = file.clone().into_os_string();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    fs::write(&tmp, text).map_err(|e| Error::io(e, &tmp))?;
    fs::rename(&tmp, &file).map_err(|e| Error::io(e, &file))
}
