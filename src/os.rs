//! The operating system, reached from one place. Every call has a portable
//! implementation, on std alone, which is what Windows runs; the Linux and
//! macOS fast paths sit behind `cfg(target_os = …)` beside it. Setting
//! `GONGKAI_PORTABLE_OS=1` makes a Linux or macOS build take the portable
//! paths too: for file systems where the fast calls misbehave, and so the
//! tests run what Windows runs on every system.
//!
//! Publishing (`publish/staging.rs`, `publish/record.rs`) and the preview
//! (`preview/server.rs`, `preview/watch.rs`) use nothing of the OS but this
//! and std.

use std::fs::{self, File, Metadata};
use std::io;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// Whether the fast paths are turned off (`GONGKAI_PORTABLE_OS=1`).
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn portable_only() -> bool {
    static PORTABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PORTABLE.get_or_init(|| std::env::var_os("GONGKAI_PORTABLE_OS").is_some_and(|v| v == "1"))
}

/// Takes an exclusive lock on `file`, calling `waiting` first when another
/// process holds it. The lock dies with the process, however it ends.
pub(crate) fn lock_exclusive(file: &File, waiting: impl FnOnce()) -> io::Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock()
        }
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Makes the data and names of every file and folder under `dir` durable.
/// Linux: one `syncfs` of its file system instead of an `fsync` per file and
/// per folder (ten thousand of them). Elsewhere: each file, then each folder.
pub(crate) fn sync_tree(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    if !portable_only() {
        return rustix::fs::syncfs(File::open(dir)?).map_err(io::Error::from);
    }
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(io::Error::from)?;
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else if entry.file_type().is_file() {
            open_to_sync(entry.path())?.sync_all()?;
        }
    }
    // Deepest first: a folder's entry is synced after what it holds.
    for folder in folders.iter().rev() {
        sync_dir(folder)?;
    }
    Ok(())
}

/// Opens a file to sync it: Windows flushes only a file opened for writing
/// (`FlushFileBuffers` needs `GENERIC_WRITE`); nothing is written to it.
pub(crate) fn open_to_sync(path: &Path) -> io::Result<File> {
    fs::OpenOptions::new()
        .read(true)
        .write(cfg!(windows))
        .open(path)
}

/// Starts writing `file`'s data to the disk without waiting for it, so a
/// later `sync_data` of many files finds most of it written. Linux only
/// (`sync_file_range`); elsewhere the `sync_data` does all the work.
pub(crate) fn start_writeback(file: &File) {
    #[cfg(target_os = "linux")]
    if !portable_only() {
        use std::os::fd::AsRawFd;
        // SAFETY: `file` is an open descriptor for the duration of the call,
        // which reads no memory of ours. A failure only loses the head start.
        unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
    }
    let _ = file;
}

/// Makes the entries of folder `dir` (names created, renamed, removed in it)
/// durable. Windows: nothing to do, and nothing std can do (a folder cannot be
/// opened as a file); NTFS journals its metadata, renames included.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(windows) {
        return Ok(());
    }
    File::open(dir)?.sync_all()
}

/// Swaps the folders at `a` and `b` in one atomic step, where the system has
/// one: `renameat2(RENAME_EXCHANGE)` on Linux, `renamex_np(RENAME_SWAP)` on
/// macOS; `Unsupported` elsewhere. On an error (a file system without the
/// call, too) nothing moved, and the caller renames step by step
/// (`publish/staging.rs`, `swap`).
pub(crate) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    if !portable_only() {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        return renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from);
    }
    let _ = (a, b);
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange on this system",
    ))
}

/// Which file `path` is (device or volume, and file number): two paths with
/// the same identity are hard links to one file. `meta` is `path`'s
/// `symlink_metadata`, which holds the identity on Unix; on Windows the file
/// is asked. `None` where it cannot be told.
pub(crate) fn file_id(path: &Path, meta: &Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(windows)]
    {
        let _ = meta;
        let handle = winapi_util::Handle::from_path_any(path).ok()?;
        let info = winapi_util::file::information(&handle).ok()?;
        Some((info.volume_serial_number(), info.file_index()))
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (path, meta);
        None
    }
}

/// A file's modification time in nanoseconds since 1970 (negative before it).
pub(crate) fn mtime_ns(meta: &Metadata) -> i64 {
    let Ok(t) = meta.modified() else { return 0 };
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// Makes the calling thread yield to the others of the process: on Linux,
/// where a nice value belongs to a thread, it is raised by 10 for this one
/// thread. Elsewhere nothing changes (there is no per-thread nice value in std
/// or in the POSIX calls macOS has).
pub(crate) fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    {
        let tid = rustix::thread::gettid();
        let _ = rustix::process::setpriority_process(Some(tid), 10);
    }
}

/// An I/O error in the words of the rest of gongkai's messages: Chinese for
/// the errors a user meets (a port in use, no permission), else as the system
/// says it.
pub(crate) fn describe(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let text = match e.kind() {
        K::AddrInUse => "这个端口已被另一个程序占用",
        K::AddrNotAvailable => "这台电脑没有这个地址",
        K::PermissionDenied => "没有权限",
        K::NotFound => "找不到这个文件或文件夹",
        K::AlreadyExists => "已经存在同名的文件或文件夹",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::InvalidFilename => "文件名无效（含有系统不允许的字符或太长）",
        _ => return e.to_string(),
    };
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portable_tree_sync_and_the_identity_of_hard_links() {
        let tmp = tempdir("os");
        fs::create_dir_all(tmp.join("a/b")).unwrap();
        fs::write(tmp.join("a/b/f"), b"x").unwrap();
        fs::hard_link(tmp.join("a/b/f"), tmp.join("g")).unwrap();
        fs::write(tmp.join("h"), b"x").unwrap();
        sync_tree(&tmp).unwrap();
        let id = |p: &str| {
            let p = tmp.join(p);
            file_id(&p, &fs::symlink_metadata(&p).unwrap()).unwrap()
        };
        assert_eq!(id("a/b/f"), id("g"));
        assert_ne!(id("a/b/f"), id("h"));
        let m = fs::metadata(tmp.join("h")).unwrap();
        assert!(mtime_ns(&m) > 1_600_000_000 * 1_000_000_000);
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn a_held_lock_makes_the_second_taker_wait() {
        let tmp = tempdir("lock");
        fs::create_dir_all(&tmp).unwrap();
        let path = tmp.join("lock");
        let open = || {
            fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .unwrap()
        };
        let first = open();
        lock_exclusive(&first, || panic!("nobody holds it yet")).unwrap();
        let second = open();
        assert!(matches!(
            second.try_lock(),
            Err(fs::TryLockError::WouldBlock)
        ));
        drop(first);
        lock_exclusive(&second, || panic!("released")).unwrap();
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn errors_users_meet_are_told_in_chinese() {
        let e = io::Error::from(io::ErrorKind::AddrInUse);
        assert_eq!(describe(&e), "这个端口已被另一个程序占用");
    }

    fn tempdir(what: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("gongkai-{what}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }
}
