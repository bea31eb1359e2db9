//! Watching the content and theme folders. Editors save in bursts (a temp
//! file, a rename, a backup), so changes are gathered until the folders have
//! been quiet for a moment and handed over as one batch. A watched folder
//! that is deleted and created again is watched again; `--poll` uses
//! notify's polling watcher for file systems without native events.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode};

use crate::error::{Error, Result};
use crate::load::content::is_ignored;

/// How long the folders must be quiet before a batch is handed over: longer
/// than the gaps inside one editor save, short enough to feel instant.
const QUIET: Duration = Duration::from_millis(15);
/// A stream of changes (a `git checkout`) is cut into batches this long.
const LONGEST: Duration = Duration::from_millis(500);
/// How often a missing or replaced watched folder is looked for.
const ROOT_CHECK: Duration = Duration::from_millis(500);
/// How often `--poll` scans the folders.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// A watched folder and the identity (device, file number) it had when watched.
struct Root {
    path: PathBuf,
    id: Option<(u64, u64)>,
}

pub(crate) struct Watcher {
    events: Receiver<notify::Result<Event>>,
    inner: Box<dyn notify::Watcher + Send>,
    roots: Vec<Root>,
    /// Roots watched anew, to report once more when this moment passes.
    settling: Vec<(PathBuf, Instant)>,
}

/// How long after a root is watched anew it is reported changed once more: a
/// folder being copied in (a restore, a `git checkout`) has files written in
/// subfolders before the recursive watch reaches them, whose events are lost;
/// the second reading finds them.
const SETTLE: Duration = Duration::from_millis(1000);

impl Watcher {
    /// Watches `roots` recursively; a root that does not exist yet is watched once it appears.
    pub(crate) fn new(roots: &[&Path], poll: bool) -> Result<Watcher> {
        let (tx, events) = channel();
        let inner: Box<dyn notify::Watcher + Send> = if poll {
            // notify's poller compares modification times in whole seconds: two saves
            // within a second look the same, so it must compare contents too.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Box::new(notify::PollWatcher::new(tx, config).map_err(watch_error)?)
        } else {
            Box::new(notify::recommended_watcher(tx).map_err(watch_error)?)
        };
        let mut w = Watcher {
            events,
            inner,
            roots: roots
                .iter()
                .map(|p| Root {
                    path: p.to_path_buf(),
                    id: None,
                })
                .collect(),
            settling: Vec::new(),
        };
        w.check_roots();
        // Read once at start: nothing is being copied in yet.
        w.settling.clear();
        Ok(w)
    }

    /// Blocks until something changed, then gathers the rest of the burst;
    /// with `idle`, gives up after that long without a change (an empty batch).
    pub(crate) fn next_batch(&mut self, idle: Option<Duration>) -> Vec<PathBuf> {
        let mut batch = Vec::new();
        let waiting = Instant::now();
        while batch.is_empty() {
            let wait = match idle {
                Some(idle) => match idle.checked_sub(waiting.elapsed()) {
                    Some(left) => left.min(ROOT_CHECK),
                    None => return batch,
                },
                None => ROOT_CHECK,
            };
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    add(&mut batch, event);
                }
                Err(RecvTimeoutError::Timeout) => batch.extend(self.check_roots()),
                Err(RecvTimeoutError::Disconnected) => return batch,
            }
        }
        let start = Instant::now();
        let mut quiet_until = start + QUIET;
        loop {
            let now = Instant::now();
            if now >= quiet_until || now >= start + LONGEST {
                break;
            }
            match self.events.recv_timeout(quiet_until - now) {
                Ok(event) => {
                    if add(&mut batch, event) {
                        quiet_until = Instant::now() + QUIET;
                    }
                }
                Err(_) => break,
            }
        }
        batch.extend(self.check_roots());
        batch.sort();
        batch.dedup();
        batch
    }

    /// Watches roots that appeared or were replaced; returns them as changed.
    fn check_roots(&mut self) -> Vec<PathBuf> {
        let mut changed = Vec::new();
        for root in &mut self.roots {
            let id = identity(&root.path);
            if id == root.id {
                continue;
            }
            if root.id.is_some() {
                let _ = self.inner.unwatch(&root.path);
            }
            root.id = id;
            if id.is_some()
                && self
                    .inner
                    .watch(&root.path, RecursiveMode::Recursive)
                    .is_err()
            {
                root.id = None;
            }
            changed.push(root.path.clone());
            if id.is_some() {
                self.settling
                    .push((root.path.clone(), Instant::now() + SETTLE));
            }
        }
        let now = Instant::now();
        self.settling.retain(|(path, at)| {
            if *at > now {
                return true;
            }
            changed.push(path.clone());
            false
        });
        changed
    }
}

/// Adds an event's paths to `batch`; false when the event does not matter.
fn add(batch: &mut Vec<PathBuf>, event: notify::Result<Event>) -> bool {
    let Ok(event) = event else {
        return false;
    };
    if event.need_rescan() {
        // The watcher lost events: treat every watched path as changed.
        batch.extend(event.paths);
        return true;
    }
    match event.kind {
        // Our own reads open files too: only a write that finished counts.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
        EventKind::Access(_) => return false,
        _ => {}
    }
    let before = batch.len();
    batch.extend(event.paths.into_iter().filter(|p| {
        !p.file_name()
            .is_some_and(|n| is_ignored(&n.to_string_lossy()))
    }));
    batch.len() > before
}

fn identity(path: &Path) -> Option<(u64, u64)> {
    let m = std::fs::metadata(path).ok()?;
    if !m.is_dir() {
        return None;
    }
    crate::os::file_id(path, &m)
}

fn watch_error(e: notify::Error) -> Error {
    Error::Io(format!("无法监视文件变化：{e}"))
}
