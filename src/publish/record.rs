//! What the last build wrote, file by file, so the next build renders only
//! the pages whose inputs changed. Kept beside the output, not in it
//! (`.public.gongkai-pages`): a first line with the build's global key (the
//! settings, the theme and the program), then one line per page or search
//! file: `<key> <inode> <mtime ns> <size> <sha256> <path>`.
//!
//! A file is kept without rendering only when all three hold: the global key
//! is the recorded one, the page's key ([`crate::render::keys`]) is the
//! recorded one, and the file in the output is still the recorded file (same
//! inode, modification time and size). Anything else — no record, a damaged
//! one, an output someone replaced or edited — and the page is rendered.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::publish::staging::PreviousFile;

/// The record of one output.
pub(crate) struct Record {
    files: HashMap<String, Entry>,
}

struct Entry {
    key: u64,
    ino: u64,
    mtime: i64,
    size: u64,
    sha256: [u8; 32],
}

/// One file for the next build's record: path, key, size, SHA-256, and its
/// identity when it is the previous output's file (else it is read from the disk).
pub(crate) type Written = (String, u64, u64, [u8; 32], Option<PreviousFile>);

/// `.<name>.gongkai-pages` beside `target`.
pub(crate) fn path(target: &Path) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!(".{name}.gongkai-pages"))
}

/// The record of the build that wrote `target`, if it was made with the same
/// global key; `None` when there is none or it cannot be read.
pub(crate) fn load(target: &Path, global: u64) -> Option<Record> {
    let text = fs::read_to_string(path(target)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != format!("global {global:016x}") {
        return None;
    }
    let mut files = HashMap::new();
    for line in lines {
        let mut f = line.splitn(6, ' ');
        let mut next = || f.next();
        let key = u64::from_str_radix(next()?, 16).ok()?;
        let ino = next()?.parse().ok()?;
        let mtime = next()?.parse().ok()?;
        let size = next()?.parse().ok()?;
        let sha = next()?;
        let rel = next()?;
        let mut sha256 = [0u8; 32];
        if sha.len() != 64 {
            return None;
        }
        for (i, b) in sha256.iter_mut().enumerate() {
            *b = u8::from_str_radix(&sha[2 * i..2 * i + 2], 16).ok()?;
        }
        files.insert(
            rel.to_owned(),
            Entry {
                key,
                ino,
                mtime,
                size,
                sha256,
            },
        );
    }
    Some(Record { files })
}

impl Record {
    /// The size and SHA-256 of `rel` when it may be kept: recorded with `key`
    /// and still the same file in the output (`now`).
    pub(crate) fn unchanged(
        &self,
        rel: &str,
        key: u64,
        now: Option<&PreviousFile>,
    ) -> Option<(u64, [u8; 32])> {
        let e = self.files.get(rel)?;
        let now = now?;
        (e.key == key && now.size == e.size && now.ino == e.ino && now.mtime == e.mtime)
            .then_some((e.size, e.sha256))
    }

    /// Every recorded path with `key`: the files of a group made together.
    pub(crate) fn with_key(&self, key: u64) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .filter(move |(_, e)| e.key == key)
            .map(|(k, _)| k.as_str())
    }
}

/// Writes the record of the output now at `target`: `written` as the build
/// staged them, each with its file's identity in the output. Written to a
/// temporary file and renamed, so a record is whole or absent; a record that
/// is lost only makes the next build render everything.
pub(crate) fn save(target: &Path, global: u64, written: &[Written]) -> std::io::Result<()> {
    // All or nothing: the build keeps a group of files (the search index)
    // by what the record lists, so it must list every one.
    let lines: Vec<String> = written
        .par_iter()
        .map(|(rel, key, size, sha, same)| {
            let (ino, mtime) = match same {
                Some(p) => (p.ino, p.mtime),
                None => {
                    let path = target.join(rel);
                    let m = fs::symlink_metadata(&path)?;
                    let ino = crate::os::file_id(&path, &m).map_or(0, |id| id.1);
                    (ino, crate::os::mtime_ns(&m))
                }
            };
            let mut line = format!("{key:016x} {ino} {mtime} {size} ");
            for b in sha {
                let _ = write!(line, "{b:02x}");
            }
            let _ = write!(line, " {rel}");
            Ok(line)
        })
        .collect::<std::io::Result<_>>()?;
    let mut text = format!("global {global:016x}\n");
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    let file = path(target);
    let tmp = file.with_extension("tmp");
    fs::write(&tmp, text)?;
    fs::rename(&tmp, &file)
}

/// Removes the record: the output it described is gone or was rebuilt whole.
pub(crate) fn forget(target: &Path) {
    let _ = fs::remove_file(path(target));
}
