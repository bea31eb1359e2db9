//! Atomic publishing: a build writes into a fresh folder beside the output and
//! swaps it in only when every file is written. Until then, and if the process
//! dies, the previous output is exactly as it was.

use std::ffi::CString;
use std::fs;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::basics::paths;
use crate::error::{Error, Result};

/// Written into every output folder so a later build knows it may replace it.
pub const MARKER: &str = ".gongkai-output";

/// Ends the name of a previous output moved aside during a non-atomic swap.
const OLD_SUFFIX: &str = "-previous";

/// A folder being filled with a new build.
pub(crate) struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks `target` is safe to replace and creates the staging folder beside it.
    /// `protected` are folders the output must never be or contain (content, themes).
    pub(crate) fn new(target: &Path, protected: &[&Path]) -> Result<Staging> {
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
        // Leftovers of builds that were killed: ours by name. A previous
        // output caught mid-swap (see `exchange`) is put back; the rest is
        // half-written and removed.
        let stale_prefix = format!(".{name}.gongkai-");
        let mut stale: Vec<PathBuf> = fs::read_dir(parent)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(&stale_prefix))
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
        let dir = parent.join(format!("{stale_prefix}new-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| Error::io(e, &dir))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file, `rel` relative to the output root with `/` separators.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        write_file(&self.dir, rel, bytes)
    }

    /// Swaps the new build in. On Linux the swap is one atomic `renameat2`.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.write(
            MARKER,
            b"This folder is written by gongkai build and replaced whole by the next build.\n",
        )?;
        if self.target.exists() {
            exchange(&self.dir, &self.target)?;
            // The staging path now holds the previous output.
            let _ = fs::remove_dir_all(&self.dir);
        } else {
            fs::rename(&self.dir, &self.target).map_err(|e| Error::io(e, &self.target))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
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

fn exchange(a: &Path, b: &Path) -> Result<()> {
    let ca = CString::new(a.as_os_str().as_bytes())
        .map_err(|_| Error::Usage("路径含有 NUL 字符".into()))?;
    let cb = CString::new(b.as_os_str().as_bytes())
        .map_err(|_| Error::Usage("路径含有 NUL 字符".into()))?;
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    // File systems without RENAME_EXCHANGE: two renames, with a window where
    // the output is missing but never half-written. A build killed in that
    // window leaves the previous output under this name; the next one restores it.
    let mut old = a.as_os_str().to_owned();
    old.push(OLD_SUFFIX);
    let old = PathBuf::from(old);
    fs::rename(b, &old).map_err(|e| Error::io(e, b))?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&old, b);
        return Err(Error::io(e, b));
    }
    fs::rename(&old, a).map_err(|e| Error::io(e, a))
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
