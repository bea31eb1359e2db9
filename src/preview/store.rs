//! The preview's site in memory: output path → bytes, read by many request
//! threads at once. A rebuild marks the pages it changed as stale; a stale
//! page is rendered when it is first asked for — right away for pages a
//! browser has open — so a save costs only the pages someone looks at.
//! The files that are not pages (static files, attachments, the search
//! index, feeds, open data) are made whole for each good rebuild, after the
//! open pages are reloaded; until then requests get the last good ones (only
//! the very first are waited for).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::error::Error;
use crate::model::Site;
use crate::publish::build;
use crate::render::{self, RenderOptions, Renderer};
use crate::urls::{Page, View};

/// One good build of the model: what stale pages are rendered from.
pub(crate) struct Snapshot {
    /// Counts good rebuilds; a render started before a rebuild is not kept after it.
    pub generation: u64,
    pub site: Site,
    /// Values of `site` shared between pages, made as pages are rendered.
    pub shared: render::Shared,
    pub renderer: Arc<Renderer>,
    pub render: RenderOptions,
}

impl Snapshot {
    fn render(&self, page: &Page, views: &[View]) -> Vec<Result<Arc<[u8]>, Diagnostics>> {
        let data = render::page_data(&self.site, &self.shared, page);
        views
            .iter()
            .map(|view| {
                self.renderer
                    .render(&self.site, page, *view, &data, &self.render)
                    .map(Arc::from)
                    .map_err(into_diagnostics)
            })
            .collect()
    }
}

/// Render errors are template errors: already diagnostics, or made into one.
fn into_diagnostics(e: Error) -> Diagnostics {
    match e {
        Error::Content(d) => d,
        other => Diagnostics(vec![crate::diagnostics::Diagnostic::error(
            std::path::Path::new("templates"),
            other.to_string(),
        )]),
    }
}

/// Files rendered for one page: output path → bytes.
type Rendered = Vec<(String, Arc<[u8]>)>;

#[derive(Clone)]
pub(crate) enum Slot {
    Ready(Arc<[u8]>),
    /// To be rendered from the current snapshot; `previous` is served if that fails.
    Stale {
        page: Page,
        view: View,
        previous: Option<Arc<[u8]>>,
    },
}

impl Slot {
    /// The same page marked for rendering again, keeping what it showed.
    pub(crate) fn stale(old: Option<Slot>, page: &Page, view: View) -> Slot {
        let previous = match old {
            Some(Slot::Ready(b)) => Some(b),
            Some(Slot::Stale { previous, .. }) => previous,
            None => None,
        };
        Slot::Stale {
            page: page.clone(),
            view,
            previous,
        }
    }
}

#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) snapshot: Option<Arc<Snapshot>>,
    /// Pages, by output path.
    pub(crate) files: HashMap<String, Slot>,
    /// Every other file, by output path.
    extras: HashMap<String, Arc<[u8]>>,
    /// The generation `extras` were made for.
    extras_for: u64,
}

impl Inner {
    /// Whether the files that are not pages were made for some good build:
    /// then requests get those (the last good ones) while newer ones are
    /// made, and never wait for the search index, feeds or open data.
    fn extras_made(&self) -> bool {
        self.extras_for > 0 || self.snapshot.is_none()
    }

    fn extras_current(&self) -> bool {
        self.snapshot
            .as_ref()
            .is_none_or(|s| self.extras_for >= s.generation)
    }
}

/// What a request for one output path finds.
pub(crate) enum Fetch {
    Found(Arc<[u8]>),
    /// The page's template failed on the current model: the bytes it showed
    /// before, if any, and the error.
    Failed {
        previous: Option<Arc<[u8]>>,
        errors: Diagnostics,
        generation: u64,
    },
    Missing,
}

/// The served files. Shared between the rebuild thread and request threads.
#[derive(Default)]
pub struct Store {
    inner: RwLock<Inner>,
    /// Held while the other files are made, so they are made once per rebuild.
    making_extras: Mutex<()>,
}

impl Store {
    /// The generation of the current snapshot; 0 before the first good build.
    pub(crate) fn generation(&self) -> u64 {
        let inner = self.inner.read().expect("store lock");
        inner.snapshot.as_ref().map_or(0, |s| s.generation)
    }

    pub(crate) fn contains(&self, path: &str) -> bool {
        {
            let inner = self.inner.read().expect("store lock");
            if inner.files.contains_key(path) {
                return true;
            }
            if inner.extras_made() {
                return inner.extras.contains_key(path);
            }
        }
        let _ = self.make_extras();
        self.inner
            .read()
            .expect("store lock")
            .extras
            .contains_key(path)
    }

    /// The file at `path`, rendering it first when it is stale.
    pub(crate) fn get(&self, path: &str) -> Fetch {
        let (snapshot, page, view, previous) = {
            let inner = self.inner.read().expect("store lock");
            if !inner.files.contains_key(path) {
                let made = inner.extras_made();
                drop(inner);
                if !made {
                    let _ = self.make_extras();
                }
                return match self.inner.read().expect("store lock").extras.get(path) {
                    Some(bytes) => Fetch::Found(bytes.clone()),
                    None => Fetch::Missing,
                };
            }
            match (inner.files.get(path), &inner.snapshot) {
                (Some(Slot::Ready(bytes)), _) => return Fetch::Found(bytes.clone()),
                (
                    Some(Slot::Stale {
                        page,
                        view,
                        previous,
                    }),
                    Some(snapshot),
                ) => (snapshot.clone(), page.clone(), *view, previous.clone()),
                _ => return Fetch::Missing,
            }
        };
        let result = snapshot
            .render(&page, &[view])
            .pop()
            .expect("one view asked, one result");
        match result {
            Ok(bytes) => {
                self.keep(snapshot.generation, [(path.to_owned(), bytes.clone())]);
                Fetch::Found(bytes)
            }
            Err(errors) => Fetch::Failed {
                previous,
                errors,
                generation: snapshot.generation,
            },
        }
    }

    /// Renders the stale files among `paths` (every stale file when `None`),
    /// in parallel, one page's views together. Returns the template errors met.
    pub(crate) fn render_stale(&self, paths: Option<&[String]>) -> Option<Diagnostics> {
        let (snapshot, work) = {
            let inner = self.inner.read().expect("store lock");
            let snapshot = inner.snapshot.clone()?;
            let mut work: BTreeMap<Page, Vec<(String, View)>> = BTreeMap::new();
            let mut add = |path: &String, slot: &Slot| {
                if let Slot::Stale { page, view, .. } = slot {
                    work.entry(page.clone())
                        .or_default()
                        .push((path.clone(), *view));
                }
            };
            match paths {
                Some(paths) => {
                    for p in paths {
                        if let Some(slot) = inner.files.get(p) {
                            add(p, slot);
                        }
                    }
                }
                None => inner.files.iter().for_each(|(p, s)| add(p, s)),
            }
            (snapshot, work)
        };
        let work: Vec<_> = work.into_iter().collect();
        let results: Vec<(Rendered, Diagnostics)> = work
            .par_iter()
            .map(|(page, targets)| {
                let views: Vec<View> = targets.iter().map(|(_, v)| *v).collect();
                let mut done = Vec::new();
                let mut errors = Diagnostics::default();
                for ((path, _), result) in targets.iter().zip(snapshot.render(page, &views)) {
                    match result {
                        Ok(bytes) => done.push((path.clone(), bytes)),
                        Err(e) => errors.extend(e),
                    }
                }
                (done, errors)
            })
            .collect();
        let mut errors = Diagnostics::default();
        let mut done = Vec::new();
        for (d, e) in results {
            done.extend(d);
            errors.extend(e);
        }
        self.keep(snapshot.generation, done);
        errors.sort();
        (!errors.0.is_empty()).then_some(errors)
    }

    /// Makes the files that are not pages for the current snapshot, unless
    /// that is done; returns the paths that changed.
    pub fn make_extras(&self) -> Result<Vec<String>, Error> {
        let _one_at_a_time = self.making_extras.lock().expect("extras lock");
        let snapshot = {
            let inner = self.inner.read().expect("store lock");
            match &inner.snapshot {
                Some(s) if !inner.extras_current() => s.clone(),
                _ => return Ok(Vec::new()),
            }
        };
        let made = build::extra_files(
            &snapshot.site,
            &snapshot.renderer,
            true,
            &mut build::Timings::default(),
        );
        let mut inner = self.inner.write().expect("store lock");
        if inner.snapshot.as_ref().map(|s| s.generation) != Some(snapshot.generation) {
            // A newer rebuild came in: its files are made next.
            return Ok(Vec::new());
        }
        // The first files made replace nothing anyone has seen.
        let first = inner.extras_for == 0;
        inner.extras_for = snapshot.generation;
        let made: HashMap<String, Arc<[u8]>> =
            made?.into_iter().map(|(p, b)| (p, Arc::from(b))).collect();
        let mut changed: Vec<String> = made
            .iter()
            .filter(|(p, b)| inner.extras.get(*p) != Some(*b))
            .map(|(p, _)| p.clone())
            .collect();
        changed.extend(
            inner
                .extras
                .keys()
                .filter(|p| !made.contains_key(*p))
                .cloned(),
        );
        changed.sort();
        inner.extras = made;
        Ok(if first { Vec::new() } else { changed })
    }

    /// Every file, rendering stale pages first: the site as a build would write it.
    pub fn files(&self) -> Result<BTreeMap<String, Arc<[u8]>>, Diagnostics> {
        self.make_extras()
            .map_err(|e| e.into_diagnostics(std::path::Path::new("")))?;
        if let Some(errors) = self.render_stale(None) {
            return Err(errors);
        }
        let inner = self.inner.read().expect("store lock");
        Ok(inner
            .files
            .iter()
            .filter_map(|(p, s)| match s {
                Slot::Ready(b) => Some((p.clone(), b.clone())),
                Slot::Stale { .. } => None,
            })
            .chain(inner.extras.iter().map(|(p, b)| (p.clone(), b.clone())))
            .collect())
    }

    /// Output paths still waiting to be rendered.
    pub fn stale(&self) -> Vec<String> {
        let inner = self.inner.read().expect("store lock");
        let mut out: Vec<String> = inner
            .files
            .iter()
            .filter(|(_, s)| matches!(s, Slot::Stale { .. }))
            .map(|(p, _)| p.clone())
            .collect();
        out.sort();
        out
    }

    /// Stores rendered files, unless a rebuild happened since they were started.
    fn keep(&self, generation: u64, rendered: impl IntoIterator<Item = (String, Arc<[u8]>)>) {
        let mut inner = self.inner.write().expect("store lock");
        if inner.snapshot.as_ref().map(|s| s.generation) != Some(generation) {
            return;
        }
        for (path, bytes) in rendered {
            if let Some(slot @ Slot::Stale { .. }) = inner.files.get_mut(&path) {
                *slot = Slot::Ready(bytes);
            }
        }
    }

    /// Lets the engine swap in a new snapshot and its file changes at once.
    pub(crate) fn update<T>(&self, change: impl FnOnce(&mut Inner) -> T) -> T {
        change(&mut self.inner.write().expect("store lock"))
    }
}
