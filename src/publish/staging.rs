//! Atomic, incremental publishing. A build fills a fresh staging folder beside
//! the output: files whose bytes equal the previous output's become hard links
//! to them (same inode, same modification time), the others are written fresh.
//! When every file is there and synced, the folder is swapped in with one
//! atomic rename. Until then, and if the process dies, the previous output is
//! exactly as it was. A lock beside the output keeps two builds of it apart.
//!
//! The swapped-out tree is not deleted (on a disk, deleting ten thousand
//! files costs more than the build): it is kept as the spare, and the next
//! build makes it its staging folder, rewriting only the files that differ
//! and re-linking the ones the output changed since.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::basics::{paths, portable};
use crate::error::{Error, Result};
use crate::os;
use crate::publish::build::Timings;

/// Written into every output folder so a later build knows it may replace it.
pub const MARKER: &str = ".gongkai-output";

/// Every file of the output with its size and SHA-256, one `<sha256> <size> <path>`
/// line per file in path order, so a portal can verify what it received.
pub const MANIFEST: &str = ".gongkai-manifest";

/// Ends the name of a previous output moved aside during a non-atomic swap.
const OLD_SUFFIX: &str = "-previous";

/// Ends the name of the output before last, kept beside the output after a
/// build (`.public.gongkai-spare`): the next build turns it into its staging
/// folder and changes only what differs, instead of writing a whole tree and
/// deleting a whole tree. Its files are mostly hard links to the output's, so
/// it takes the space of the files the last build changed. Deleting it is safe.
const SPARE: &str = "spare";

/// A reused staging folder with at most this many paths changed (written,
/// relinked, removed) is synced file by file and folder by folder; beyond it,
/// and for a fresh folder, its whole file system at once (`syncfs`). `syncfs`
/// also writes whatever else is waiting on the disk — another program's
/// output, seconds of it — which a rebuild that changed twenty files must not wait for.
const SYNC_EACH_MAX: usize = 2000;

/// What a build did to one file of the output, relative to the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

impl Change {
    /// The letter of `--changes` lines.
    pub fn letter(self) -> char {
        match self {
            Change::Added => 'A',
            Change::Modified => 'M',
            Change::Deleted => 'D',
        }
    }
}

/// A file of the previous output as it stands: its size (`u64::MAX` for
/// anything but a regular file, so it is never linked), its file number
/// (the inode on Unix, the file index on Windows; 0 where unknown) and mtime.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PreviousFile {
    pub size: u64,
    pub ino: u64,
    pub mtime: i64,
}

/// What a commit did: the changes, and every file of the new output with
/// its size and SHA-256, in path order, and its inode and mtime where it is
/// the previous output's file (linked, not written).
pub(crate) struct Committed {
    pub changes: Vec<(Change, String)>,
    pub files: Vec<(String, u64, [u8; 32], Option<PreviousFile>)>,
}

/// One file written to the staging folder or to be linked from the previous output.
struct Staged {
    rel: String,
    size: u64,
    sha256: [u8; 32],
    /// `None`: same bytes as the previous output's file, linked at commit.
    change: Option<Change>,
}

/// A folder being filled with a new build.
pub(crate) struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// Held until the staging folder is swapped in or removed.
    _lock: fs::File,
    /// `--clean`: write every file, link none.
    clean: bool,
    /// The staging folder is the spare tree: anything may be at any path, so
    /// every write replaces what is there and commit removes what is not staged.
    reused: bool,
    /// Where the staging folder goes when this build is done with it.
    spare: PathBuf,
    /// The previous output's files.
    previous: BTreeMap<String, PreviousFile>,
    staged: Mutex<Vec<Staged>>,
    /// Paths of a reused staging folder whose folder entry changed: written,
    /// relinked or removed (what a sync of only the changes must cover).
    touched: Mutex<Vec<String>>,
    committed: bool,
}

impl Staging {
    /// Checks `target` is safe to replace, takes the output's lock (waiting for
    /// another build of it to finish) and creates the staging folder beside it.
    /// `protected` are folders the output must never be or contain (content, themes).
    pub(crate) fn new(target: &Path, protected: &[&Path], clean: bool) -> Result<Staging> {
        refuse_dangerous(target, protected)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(e, parent))?;
        let name = target
            .file_name()
            .ok_or_else(|| Error::Usage(format!("输出路径 {} 无效", target.display())))?
            .to_string_lossy()
            .into_owned();
        let lock = lock(&parent.join(format!(".{name}.gongkai.lock")), target)?;
        // Leftovers of builds that were killed: ours by name, and, since we
        // hold the lock, no live build's. A previous output caught mid-swap
        // (see `exchange`) is put back; the rest is half-written and removed.
        let stale_prefix = format!(".{name}.gongkai-");
        let spare = parent.join(format!("{stale_prefix}{SPARE}"));
        let record = crate::publish::record::path(target);
        let uploaded = crate::publish::upload::path(target);
        let kept = [spare.file_name(), record.file_name(), uploaded.file_name()];
        let mut stale: Vec<PathBuf> = fs::read_dir(parent)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(&stale_prefix))
                    .filter(|e| !kept.contains(&Some(e.file_name().as_os_str())))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        stale.sort();
        if !target.exists()
            && let Some(prev) = stale
                .iter()
                .find(|p| p.to_string_lossy().ends_with(OLD_SUFFIX))
        {
            fs::rename(prev, target).map_err(|e| Error::io(e, target))?;
        }
        for p in stale.iter().filter(|p| p.exists()) {
            let _ = fs::remove_dir_all(p);
        }
        let previous = previous_files(target)?;
        let dir = parent.join(format!("{stale_prefix}new-{}", std::process::id()));
        let reused =
            !clean && target.is_dir() && spare.is_dir() && fs::rename(&spare, &dir).is_ok();
        if !reused {
            if spare.exists() {
                let _ = fs::remove_dir_all(&spare);
            }
            fs::create_dir_all(&dir).map_err(|e| Error::io(e, &dir))?;
        }
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            _lock: lock,
            clean,
            reused,
            spare,
            previous,
            staged: Mutex::new(Vec::new()),
            touched: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Stages one file, `rel` relative to the output root with `/` separators:
    /// written now if its bytes differ from the previous output's, else linked at commit.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let change = match self.previous.get(rel) {
            None => Some(Change::Added),
            Some(_) if self.clean => Some(Change::Modified),
            Some(p) if p.size != bytes.len() as u64 => Some(Change::Modified),
            Some(_) => {
                let old = self.target.join(rel);
                let same = fs::read(&old).map_err(|e| Error::io(e, &old))? == bytes;
                (!same).then_some(Change::Modified)
            }
        };
        if change.is_some() {
            if self.reused {
                clear_path(&self.dir, rel)?;
            }
            write_file(&self.dir, rel, bytes)?;
            if self.reused {
                self.touch(rel);
            }
        }
        let staged = Staged {
            rel: rel.to_owned(),
            size: bytes.len() as u64,
            sha256: Sha256::digest(bytes).into(),
            change,
        };
        self.staged
            .lock()
            .expect("no panics while held")
            .push(staged);
        Ok(())
    }

    fn touch(&self, rel: &str) {
        self.touched
            .lock()
            .expect("no panics while held")
            .push(rel.to_owned());
    }

    /// The previous output's file at `rel`, as it stands.
    pub(crate) fn previous(&self, rel: &str) -> Option<&PreviousFile> {
        self.previous.get(rel)
    }

    /// Every file of the previous output, in path order.
    pub(crate) fn previous_paths(&self) -> impl Iterator<Item = &str> {
        self.previous.keys().map(String::as_str)
    }

    /// Stages `rel` as the previous output's file, unchanged, without its
    /// bytes: the caller knows them to be the same (`record.rs`).
    pub(crate) fn keep(&self, rel: &str, size: u64, sha256: [u8; 32]) {
        debug_assert!(portable::is_portable_path(rel), "{rel} was written before");
        self.staged
            .lock()
            .expect("no panics while held")
            .push(Staged {
                rel: rel.to_owned(),
                size,
                sha256,
                change: None,
            });
    }

    /// Completes the staging folder (marker, manifest, links to the unchanged
    /// files), syncs it and swaps it in. Returns what changed, in path order;
    /// when nothing did, the previous output stays as it is, untouched.
    pub(crate) fn commit(mut self, timings: &mut Timings) -> Result<Committed> {
        self.write(
            MARKER,
            b"This folder is written by gongkai build and replaced whole by the next build.\n",
        )?;
        let manifest = {
            let mut staged = self.staged.lock().expect("no panics while held");
            staged.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
            manifest(&staged)
        };
        self.write(MANIFEST, &manifest)?;
        let mut staged = std::mem::take(&mut *self.staged.lock().expect("no panics while held"));
        staged.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        // Last defence of SPEC §4: the site copies to any file system.
        let problem = timings.time("检查输出路径（Windows、大小写）", || {
            portable::first_problem(staged.iter().map(|s| s.rel.as_str()))
        });
        if let Some(problem) = problem {
            return Err(unportable(problem));
        }
        let files = staged
            .iter()
            .map(|s| {
                let same = s
                    .change
                    .is_none()
                    .then(|| self.previous.get(&s.rel).copied());
                (s.rel.clone(), s.size, s.sha256, same.flatten())
            })
            .collect();
        let mut changes: Vec<(Change, String)> = staged
            .iter()
            .filter_map(|s| s.change.map(|c| (c, s.rel.clone())))
            .collect();
        let mut new: Vec<&str> = staged.iter().map(|s| s.rel.as_str()).collect();
        new.sort_unstable();
        changes.extend(
            self.previous
                .keys()
                .filter(|k| new.binary_search(&k.as_str()).is_err())
                .map(|k| (Change::Deleted, k.clone())),
        );
        changes.sort_by(|a, b| a.1.cmp(&b.1));
        if changes.is_empty() {
            // Every file as it was: nothing to swap. A reused staging folder is
            // the spare again; a fresh one holds nothing worth keeping.
            if self.reused {
                self.keep_as_spare();
            } else {
                self.committed = true;
                let _ = fs::remove_dir_all(&self.dir);
            }
            return Ok(Committed { changes, files });
        }
        let reused = self.reused;
        timings.time("链接未变的文件", || {
            staged
                .par_iter()
                .filter(|s| s.change.is_none())
                .try_for_each(|s| {
                    if !reused {
                        return link_file(&self.target, &self.dir, &s.rel);
                    }
                    if relink_file(&self.target, &self.dir, &s.rel)? {
                        self.touch(&s.rel);
                    }
                    Ok(())
                })
        })?;
        if reused {
            timings.time("删除多余的文件", || {
                remove_unstaged(&self.dir, &new, &|rel| self.touch(rel))
            })?;
        }
        let touched = std::mem::take(&mut *self.touched.lock().expect("no panics while held"));
        timings.time("同步到磁盘", || {
            if reused && touched.len() <= SYNC_EACH_MAX {
                let written: Vec<&str> = staged
                    .iter()
                    .filter(|s| s.change.is_some())
                    .map(|s| s.rel.as_str())
                    .collect();
                sync_changes(&self.dir, &written, &touched).map(drop)
            } else {
                sync_tree(&self.dir)
            }
        })?;
        let parent = self.dir.parent().unwrap_or(Path::new(".")).to_path_buf();
        let had_previous = self.target.exists();
        timings.time("替换输出目录", || -> Result<()> {
            if had_previous {
                exchange(&self.dir, &self.target)?;
            } else {
                fs::rename(&self.dir, &self.target).map_err(|e| Error::io(e, &self.target))?;
            }
            self.committed = true;
            // The rename itself is durable once the folder holding both names is synced.
            sync_dir(&parent)
        })?;
        if had_previous {
            // The staging path now holds the previous output: the next build's spare.
            timings.time("保留上一版", || self.keep_as_spare());
        }
        Ok(Committed { changes, files })
    }

    /// Renames the staging folder to the spare, for the next build to reuse,
    /// whatever state it is in (a build that reuses it makes it exact). With
    /// no output beside it there is nothing to share files with: it is removed.
    fn keep_as_spare(&mut self) {
        self.committed = true;
        if !self.target.is_dir() || fs::rename(&self.dir, &self.spare).is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build: the previous output stands; keep the tree for the next build.
            self.keep_as_spare();
        }
    }
}

/// Takes the exclusive lock of one output, waiting (with a message) while
/// another build holds it. The lock file stays; the lock dies with the process.
fn lock(path: &Path, target: &Path) -> Result<fs::File> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(e, path))?;
    os::lock_exclusive(&file, || {
        eprintln!(
            "另一个 gongkai build 正在写入 {}，等它完成后再开始……",
            target.display()
        );
    })
    .map_err(|e| Error::io(e, path))?;
    Ok(file)
}

/// The previous output's files: regular files with their sizes, inodes and
/// mtimes, anything else (a symlink someone put there) with size `u64::MAX`,
/// so it is never linked. Read a top-level folder per thread.
fn previous_files(target: &Path) -> Result<BTreeMap<String, PreviousFile>> {
    if !target.is_dir() {
        return Ok(BTreeMap::new());
    }
    let parts = subtrees(target, false, |entry, rel| {
        if entry.file_type().is_dir() {
            return Ok(None);
        }
        let file = match (entry.file_type().is_file(), entry.metadata()) {
            (true, Ok(m)) => PreviousFile {
                size: m.len(),
                ino: os::file_id(entry.path(), &m).map_or(0, |id| id.1),
                mtime: os::mtime_ns(&m),
            },
            _ => PreviousFile {
                size: u64::MAX,
                ino: 0,
                mtime: 0,
            },
        };
        Ok(Some((rel.to_owned(), file)))
    })?;
    Ok(parts.into_iter().flatten().collect())
}

/// Walks `root` one top-level entry per thread, calling `visit` with each
/// entry below it and its path relative to `root` (`contents_first`: a
/// folder after what it holds); returns what `visit` kept, in no order.
fn subtrees<T: Send>(
    root: &Path,
    contents_first: bool,
    visit: impl Fn(&walkdir::DirEntry, &str) -> Result<Option<T>> + Sync,
) -> Result<Vec<Vec<T>>> {
    let tops: Vec<PathBuf> = fs::read_dir(root)
        .map_err(|e| Error::io(e, root))?
        .map(|e| e.map(|e| e.path()).map_err(|e| Error::io(e, root)))
        .collect::<Result<_>>()?;
    tops.par_iter()
        .map(|top| {
            let mut out = Vec::new();
            for entry in walkdir::WalkDir::new(top).contents_first(contents_first) {
                let entry = entry.map_err(|e| Error::io(e.into(), root))?;
                let rel = paths::slash_relative(entry.path(), root)
                    .expect("walkdir stays under its root");
                if let Some(t) = visit(&entry, &rel)? {
                    out.push(t);
                }
            }
            Ok(out)
        })
        .collect()
}

/// An output path Windows refuses, or a case clash, found at commit: `load`
/// refuses such names in the content, so one reaching here is a theme's file
/// or a bug. Nothing is swapped in.
fn unportable(problem: String) -> Error {
    Error::Usage(format!(
        "{problem}：网站要能复制到 Windows、macOS 等任何系统，本次没有发布任何文件；\
         若这是主题里的文件，请给它改名，否则这是 gongkai 的缺陷，请报告"
    ))
}

/// A manifest's lines as path → (sha256, size), as [`manifest`] writes them.
pub(crate) fn read_manifest(text: &str) -> BTreeMap<&str, (&str, &str)> {
    text.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, ' ');
            let (sha, size, path) = (parts.next()?, parts.next()?, parts.next()?);
            Some((path, (sha, size)))
        })
        .collect()
}

/// `<sha256> <size> <path>` lines in path order (`staged` is sorted).
fn manifest(staged: &[Staged]) -> Vec<u8> {
    let mut out = Vec::with_capacity(staged.len() * 100);
    for s in staged.iter().filter(|s| s.rel != MANIFEST) {
        for b in s.sha256 {
            write!(out, "{b:02x}").expect("writing to a Vec");
        }
        writeln!(out, " {} {}", s.size, s.rel).expect("writing to a Vec");
    }
    out
}

/// Hard-links the previous output's `rel` into the staging folder; copies it
/// where the file system has no hard links.
fn link_file(previous: &Path, dir: &Path, rel: &str) -> Result<()> {
    let (from, to) = (previous.join(rel), dir.join(rel));
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(e, parent))?;
    }
    if fs::hard_link(&from, &to).is_err() {
        fs::copy(&from, &to).map_err(|e| Error::io(e, &to))?;
    }
    Ok(())
}

/// Removes whatever is at `root/rel` (a file, a link, a folder) and any file
/// where one of its folders must be, so `rel` can be written fresh. Writing
/// into an existing file would change its inode, which the output may share.
fn clear_path(root: &Path, rel: &str) -> Result<()> {
    let path = root.join(rel);
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(&path).map_err(|e| Error::io(e, &path))?,
        Ok(_) => fs::remove_file(&path).map_err(|e| Error::io(e, &path))?,
        Err(_) => {
            // Missing: a folder on the way may be a file (a page that became a folder).
            let mut at = root.to_path_buf();
            for part in Path::new(rel)
                .parent()
                .into_iter()
                .flat_map(Path::components)
            {
                at.push(part);
                match fs::symlink_metadata(&at) {
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => fs::remove_file(&at).map_err(|e| Error::io(e, &at))?,
                    Err(_) => break,
                }
            }
        }
    }
    Ok(())
}

/// [`link_file`] into a reused staging folder: nothing to do where the file
/// already is the output's (same inode), else whatever is there is replaced.
/// Returns whether anything changed.
fn relink_file(previous: &Path, dir: &Path, rel: &str) -> Result<bool> {
    let (from, to) = (previous.join(rel), dir.join(rel));
    if let (Ok(a), Ok(b)) = (fs::symlink_metadata(&from), fs::symlink_metadata(&to))
        && b.is_file()
        && let Some(id) = os::file_id(&from, &a)
        && os::file_id(&to, &b) == Some(id)
    {
        return Ok(false);
    }
    clear_path(dir, rel)?;
    link_file(previous, dir, rel)?;
    Ok(true)
}

/// Removes from a reused staging folder every file the build did not stage
/// (`staged` sorted), then every folder left empty: a fresh build has none.
/// `removed` is told each path removed.
fn remove_unstaged(dir: &Path, staged: &[&str], removed: &(dyn Fn(&str) + Sync)) -> Result<()> {
    // The folders that hold a staged file stay; only the others may be empty.
    let needed: std::collections::HashSet<&str> = staged
        .iter()
        .flat_map(|rel| {
            rel.char_indices()
                .filter(|(_, c)| *c == '/')
                .map(move |(i, _)| &rel[..i])
        })
        .collect();
    // Contents first: a folder comes after what it holds, so it is empty by then if it can be.
    subtrees(dir, true, |entry, rel| {
        if entry.file_type().is_dir() {
            // Fails, as it should, for a folder that still holds something.
            if !needed.contains(rel) && fs::remove_dir(entry.path()).is_ok() {
                removed(rel);
            }
        } else if staged.binary_search(&rel).is_err() {
            fs::remove_file(entry.path()).map_err(|e| Error::io(e, entry.path()))?;
            removed(rel);
        }
        Ok(None::<()>)
    })?;
    Ok(())
}

/// Makes the staging folder's data and names durable ([`os::sync_tree`]).
fn sync_tree(dir: &Path) -> Result<()> {
    os::sync_tree(dir).map_err(|e| Error::io(e, dir))
}

/// Makes a reused staging folder durable where it changed: the data of
/// each file `written`, then every folder on the way to each path `touched`
/// (their entries), the root included. Writeback of all the files is started
/// before any is waited for, so the disk gets them in one go.
/// Returns the folders synced.
fn sync_changes<'a>(dir: &Path, written: &[&str], touched: &'a [String]) -> Result<Vec<&'a str>> {
    let files: Vec<(PathBuf, fs::File)> = written
        .iter()
        .map(|rel| {
            let path = dir.join(rel);
            let f = os::open_to_sync(&path).map_err(|e| Error::io(e, &path))?;
            os::start_writeback(&f);
            Ok((path, f))
        })
        .collect::<Result<_>>()?;
    for (path, f) in &files {
        f.sync_data().map_err(|e| Error::io(e, path))?;
    }
    let mut folders = std::collections::BTreeSet::from([""]);
    for rel in touched {
        let mut at = rel.as_str();
        while let Some(i) = at.rfind('/') {
            at = &at[..i];
            folders.insert(at);
        }
    }
    // A folder removed after a path in it changed is gone: its entry is in its parent.
    let folders: Vec<&str> = folders
        .into_iter()
        .filter(|f| dir.join(f).is_dir())
        .collect();
    for folder in &folders {
        sync_dir(&dir.join(folder))?;
    }
    Ok(folders)
}

fn sync_dir(dir: &Path) -> Result<()> {
    os::sync_dir(dir).map_err(|e| Error::io(e, dir))
}

/// Writes `root/rel`, creating its folders.
pub(crate) fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(e, parent))?;
    }
    let mut f = fs::File::create(&path).map_err(|e| Error::io(e, &path))?;
    f.write_all(bytes).map_err(|e| Error::io(e, &path))
}

/// Swaps the staging folder `a` and the output `b`: in one step where the
/// system can ([`os::exchange`]), else by [`swap_steps`].
fn exchange(a: &Path, b: &Path) -> Result<()> {
    if os::exchange(a, b).is_ok() {
        return Ok(());
    }
    let steps = swap_steps(a, b);
    let [aside, publish, keep] = &steps;
    fs::rename(&aside.0, &aside.1).map_err(|e| Error::io(e, &aside.0))?;
    if let Err(e) = fs::rename(&publish.0, &publish.1) {
        let _ = fs::rename(&aside.1, &aside.0);
        return Err(Error::io(e, &publish.1));
    }
    // The new output stands; a previous one left aside is the next build's leftover.
    let _ = fs::rename(&keep.0, &keep.1);
    Ok(())
}

/// The renames that swap staging folder `a` and output `b` where no atomic
/// exchange exists (Windows; Linux and macOS file systems without one):
/// the output moves aside to `a` + [`OLD_SUFFIX`], the staging folder
/// becomes the output, the previous output takes the staging folder's name.
/// A crash between any two leaves a state the next [`Staging::new`] repairs:
/// after the first, the output is missing but whole beside it, and is moved
/// back (the new tree is removed as half-made, though it was whole); after
/// the second, the new output stands and the previous one is removed as a
/// leftover. At no step is the output half-written.
fn swap_steps(a: &Path, b: &Path) -> [(PathBuf, PathBuf); 3] {
    let mut old = a.as_os_str().to_owned();
    old.push(OLD_SUFFIX);
    let old = PathBuf::from(old);
    [
        (b.to_path_buf(), old.clone()),
        (a.to_path_buf(), b.to_path_buf()),
        (old, a.to_path_buf()),
    ]
}

/// Refuses output paths whose replacement would destroy something that is not
/// a previous build: `/`, home, a repository, the content or a theme folder,
/// or any non-empty folder without our marker.
fn refuse_dangerous(target: &Path, protected: &[&Path]) -> Result<()> {
    let abs = paths::absolute(target);
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "拒绝写入输出目录 {}：{why}。请用 --output 指定一个新的或以前由 gongkai 生成的文件夹",
            target.display()
        )))
    };
    if abs.parent().is_none() {
        return refuse("这是根目录");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && paths::absolute(&home) == abs
    {
        return refuse("这是用户主目录");
    }
    for p in protected {
        let p = paths::absolute(p);
        if p == abs || p.starts_with(&abs) || abs.starts_with(&p) {
            return refuse(&format!("它与 {} 重叠", p.display()));
        }
    }
    if abs.is_file() {
        return refuse("这是一个文件");
    }
    if abs.is_dir() {
        if abs.join(".git").exists() || abs.join("Cargo.toml").exists() {
            return refuse("这是一个代码仓库");
        }
        let non_empty = fs::read_dir(&abs)
            .map(|mut rd| rd.next().is_some())
            .unwrap_or(true);
        if non_empty && !abs.join(MARKER).exists() {
            return refuse("文件夹不是空的，也不像是 gongkai 以前的输出");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The portable swap stopped after each of its renames (a crash there):
    /// the next build's start finds the output whole, old or new, and no
    /// leftover but the spare.
    #[test]
    fn a_swap_stopped_after_any_rename_is_repaired_by_the_next_build() {
        for done in 0..=3 {
            let tmp =
                std::env::temp_dir().join(format!("gongkai-swap-{}-{done}", std::process::id()));
            let _ = fs::remove_dir_all(&tmp);
            let target = tmp.join("public");
            let staging = tmp.join(".public.gongkai-new-77");
            for (dir, text) in [(&target, "old"), (&staging, "new")] {
                write_file(dir, MARKER, b"x").unwrap();
                write_file(dir, "2020-07/index.html", text.as_bytes()).unwrap();
            }
            for (from, to) in swap_steps(&staging, &target).iter().take(done) {
                fs::rename(from, to).unwrap();
            }
            let next = Staging::new(&target, &[], false).unwrap();
            let page = fs::read_to_string(target.join("2020-07/index.html")).unwrap();
            // Before the output stands renamed, it is the old one; after, the new.
            assert_eq!(page, if done < 2 { "old" } else { "new" }, "after {done}");
            let mut left: Vec<String> = fs::read_dir(&tmp)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n != "public" && !n.ends_with(".lock"))
                .collect();
            left.sort();
            // Only the next build's own staging folder, which it made.
            assert_eq!(left.len(), 1, "after {done}: {left:?}");
            assert!(left[0].starts_with(".public.gongkai-"), "{left:?}");
            drop(next);
            fs::remove_dir_all(&tmp).unwrap();
        }
    }

    #[test]
    fn a_sync_of_the_changes_covers_every_folder_on_the_way_to_each() {
        let tmp = std::env::temp_dir().join(format!("gongkai-sync-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        write_file(&tmp, "2020-07/01/index.html", b"new").unwrap();
        write_file(&tmp, "index.html", b"home").unwrap();
        fs::create_dir_all(tmp.join("x")).unwrap();
        // Written: a page in new folders and the home page; relinked: a page
        // in `x`; removed: a file of a folder then removed too.
        let touched: Vec<String> = [
            "2020-07/01/index.html",
            "index.html",
            "x/index.html",
            "gone/deep/a.html",
            "gone/deep",
        ]
        .map(String::from)
        .to_vec();
        let synced =
            sync_changes(&tmp, &["2020-07/01/index.html", "index.html"], &touched).unwrap();
        // Every existing folder on the way, the root first; `gone` no longer exists.
        assert_eq!(synced, ["", "2020-07", "2020-07/01", "x"]);
        // A written file that is missing is an error, not skipped.
        assert!(sync_changes(&tmp, &["missing.html"], &[]).is_err());
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn a_path_windows_refuses_is_never_published() {
        let tmp = std::env::temp_dir().join(format!("gongkai-portable-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).unwrap();
        let out = tmp.join("public");
        let write = |files: &[&str]| -> Result<Committed> {
            let staging = Staging::new(&out, &[], false)?;
            for f in files {
                staging.write(f, b"x")?;
            }
            staging.commit(&mut Timings::default())
        };
        write(&["index.html", "projects/con-5d684b/index.html"]).unwrap();
        let before = fs::read_dir(&out).unwrap().count();
        for (files, said) in [
            (
                &["index.html", "projects/con/index.html"][..],
                "“con”是 Windows 的保留设备名",
            ),
            (&["index.html", "a./index.html"][..], "以句点或空格结尾"),
            (&["Index.html", "index.html"][..], "只有大小写不同"),
        ] {
            let Err(Error::Usage(msg)) = write(files) else {
                panic!("{files:?} published");
            };
            assert!(
                msg.contains(said) && msg.contains("没有发布任何文件"),
                "{msg}"
            );
            // The published output is as it was.
            assert_eq!(fs::read_dir(&out).unwrap().count(), before);
            assert!(out.join("projects/con-5d684b/index.html").is_file());
        }
        fs::remove_dir_all(&tmp).unwrap();
    }
}
