//! Incremental rebuilds. The engine keeps what it last read from every input
//! — site.yaml, each month folder, the theme — and, given the paths that
//! changed, reloads only those inputs, rebuilds the (cheap) site model, and
//! marks stale only the pages whose [`keys`](crate::render::keys) changed. Broken
//! input leaves the store as it was: the last good pages stay served.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::basics::dates::YearMonth;
use crate::basics::paths;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::content::{self, Item, LoadOptions, Month, SiteConfig};
use crate::model::Site;
use crate::publish::build::{self, BuildOptions};
use crate::render::theme::Theme;
use crate::render::{RenderOptions, Renderer};
use crate::urls::{self, Page, View};

use super::store::{Slot, Snapshot, Store};
use crate::render::keys::{self, Keys, debug_hash};

/// What one rebuild did.
#[derive(Debug)]
pub enum Update {
    /// Nothing any page shows changed.
    Unchanged,
    /// A good model. `changed` lists the pages (output paths, sorted) marked
    /// stale, added or removed; the other files follow in `Store::make_extras`.
    Rebuilt {
        generation: u64,
        changed: Vec<String>,
        warnings: Diagnostics,
    },
    /// The input is broken; the last good pages stay served.
    Broken(Diagnostics),
}

/// What a set of changed paths makes the engine reload.
#[derive(Debug, Default)]
struct Dirty {
    /// site.yaml or the content folder itself: every month depends on it.
    everything: bool,
    /// Something at the top of the content folder: list the month folders again.
    relist: bool,
    months: BTreeSet<YearMonth>,
    theme: bool,
}

/// One month folder as last read, broken or not.
struct LoadedMonth {
    month: Option<Month>,
    diags: Diagnostics,
    /// Its item files as parsed, to reuse while their bytes stay the same.
    parsed: HashMap<PathBuf, Parsed>,
}

/// One item file as parsed.
#[derive(Clone)]
struct Parsed {
    /// Of the file name and bytes.
    hash: u64,
    item: Option<Item>,
    diags: Diagnostics,
}

/// The last good build, which the next one is compared with.
struct Good {
    keys: Keys,
    /// site.yaml as loaded, plus the command line's changes to it.
    config: u64,
    views: Vec<View>,
    /// Template name → hash of its source.
    templates: BTreeMap<String, u64>,
}

pub struct Engine {
    opts: BuildOptions,
    render: RenderOptions,
    /// Absolute, to match the paths file watchers report.
    content_dir: PathBuf,
    theme_dir: PathBuf,
    site: Option<Result<(SiteConfig, Diagnostics), Diagnostics>>,
    listing: Diagnostics,
    months: BTreeMap<YearMonth, LoadedMonth>,
    theme: Option<Result<Theme, Diagnostics>>,
    /// Template name → hash of its source, for the loaded theme.
    templates: BTreeMap<String, u64>,
    /// The renderer for the current theme, and the views it was checked for.
    renderer: Option<(Vec<View>, Arc<Renderer>)>,
    good: Option<Good>,
    /// Why the input is broken, while it is.
    broken: Option<Diagnostics>,
    generation: u64,
    store: Arc<Store>,
    /// What the last rebuild replaced: freeing a whole site takes
    /// milliseconds, so it happens in [`Engine::tidy`], after the reload.
    retired: Option<(Option<Arc<Snapshot>>, Option<Good>)>,
    /// A copy of every loaded month made in [`Engine::tidy`], so the next
    /// rebuild copies only the months it reloads into the new model.
    spare: BTreeMap<YearMonth, (Option<Month>, Diagnostics)>,
}

impl Engine {
    /// An engine with nothing loaded yet; the first [`Engine::update`] loads everything.
    pub fn new(opts: BuildOptions, render: RenderOptions) -> Engine {
        Engine {
            content_dir: paths::absolute(&opts.content),
            theme_dir: paths::absolute(&opts.theme_dir()),
            opts,
            render,
            site: None,
            listing: Diagnostics::default(),
            months: BTreeMap::new(),
            theme: None,
            templates: BTreeMap::new(),
            renderer: None,
            retired: None,
            spare: BTreeMap::new(),
            good: None,
            broken: None,
            generation: 0,
            store: Arc::new(Store::default()),
        }
    }

    /// Frees what the last rebuild replaced and prepares the next one; call
    /// once open pages are told. Rebuilds are correct without it, only slower.
    pub fn tidy(&mut self) {
        self.retired = None;
        for (ym, m) in &self.months {
            self.spare
                .entry(*ym)
                .or_insert_with(|| (m.month.clone(), m.diags.clone()));
        }
    }

    /// The served files; shared with the request threads.
    pub fn store(&self) -> Arc<Store> {
        self.store.clone()
    }

    /// The folders whose changes matter: the content folder and the theme folder.
    pub(crate) fn watched(&self) -> (&Path, &Path) {
        (&self.content_dir, &self.theme_dir)
    }

    /// Reloads whatever `changed` touches and updates the store.
    /// The first call loads everything, whatever `changed` says.
    pub fn update(&mut self, changed: &[PathBuf]) -> Update {
        let mut dirty = self.classify(changed);
        if self.site.is_none() {
            dirty.everything = true;
        }
        if self.theme.is_none() {
            dirty.theme = true;
        }
        if !dirty.everything && !dirty.relist && !dirty.theme && dirty.months.is_empty() {
            return match &self.broken {
                Some(diags) => Update::Broken(diags.clone()),
                None => Update::Unchanged,
            };
        }
        self.retired = None;
        self.reload(&dirty);
        match self.assemble() {
            Err(diags) => {
                self.broken = Some(diags.clone());
                Update::Broken(diags)
            }
            Ok((site, renderer, warnings)) => {
                let was_broken = self.broken.take().is_some();
                let changed = self.publish(site, renderer);
                if changed.is_empty() && !was_broken {
                    Update::Unchanged
                } else {
                    Update::Rebuilt {
                        generation: self.generation,
                        changed,
                        warnings,
                    }
                }
            }
        }
    }

    /// Sorts changed paths into the inputs they belong to.
    fn classify(&self, changed: &[PathBuf]) -> Dirty {
        let mut dirty = Dirty::default();
        for path in changed {
            // Not canonicalized: a deleted file has no canonical path, and a
            // symlink inside the content folder would resolve out of it.
            let path = if path.is_absolute() {
                path.clone()
            } else {
                paths::absolute(path)
            };
            if let Ok(rel) = path.strip_prefix(&self.content_dir) {
                let parts: Vec<String> = rel
                    .components()
                    .filter_map(|c| match c {
                        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                        _ => None,
                    })
                    .collect();
                if parts.iter().any(|p| content::is_ignored(p)) {
                    continue;
                }
                match parts.as_slice() {
                    [] => dirty.everything = true,
                    [name] if name == "site.yaml" => dirty.everything = true,
                    [name, ..] => match YearMonth::parse(name) {
                        Some(ym) => {
                            dirty.months.insert(ym);
                        }
                        // Not a month: only the folder diagnostics can change
                        // (a misnamed month is an error while it is there).
                        None if parts.len() == 1 || content::meant_month(name).is_some() => {
                            dirty.relist = true
                        }
                        None => {}
                    },
                }
            } else if path.starts_with(&self.theme_dir) {
                let ignored = path
                    .file_name()
                    .is_some_and(|n| content::is_ignored(&n.to_string_lossy()));
                if !ignored {
                    dirty.theme = true;
                }
            }
        }
        dirty
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.opts.drafts,
        }
    }

    fn reload(&mut self, dirty: &Dirty) {
        let dir = self.opts.content.clone();
        if dirty.everything {
            self.months.clear();
            self.spare.clear();
            self.site = Some(if dir.is_dir() {
                let mut diags = Diagnostics::default();
                content::load_site(&dir, &mut diags)
                    .map(|site| (site, diags))
                    .map_err(|e| e.into_diagnostics(&dir))
            } else {
                Err(missing_content(&dir))
            });
        }
        if dirty.everything || dirty.relist {
            self.relist();
        }
        let wanted: Vec<YearMonth> = dirty
            .months
            .iter()
            .copied()
            .filter(|ym| !dirty.everything || !self.months.contains_key(ym))
            .collect();
        self.load_months(&wanted);
        if dirty.theme {
            let theme =
                build::load_theme(&self.opts).map_err(|e| e.into_diagnostics(&self.theme_dir));
            self.templates = match &theme {
                Ok(t) => t
                    .templates
                    .iter()
                    .map(|(name, (src, _))| (name.clone(), debug_hash(src)))
                    .collect(),
                Err(_) => BTreeMap::new(),
            };
            self.theme = Some(theme);
            self.renderer = None;
        }
    }

    /// Lists the month folders: loads new ones, forgets vanished ones.
    fn relist(&mut self) {
        let dir = self.opts.content.clone();
        let mut listing = Diagnostics::default();
        let found: Vec<YearMonth> = match content::month_dirs(&dir, &mut listing) {
            Ok(found) => found.into_iter().map(|(ym, _)| ym).collect(),
            Err(_) => Vec::new(),
        };
        self.listing = listing;
        self.months.retain(|ym, _| found.contains(ym));
        self.spare.retain(|ym, _| found.contains(ym));
        let new: Vec<YearMonth> = found
            .into_iter()
            .filter(|ym| !self.months.contains_key(ym))
            .collect();
        self.load_months(&new);
    }

    /// (Re)loads month folders; a folder that is gone is forgotten. Item
    /// files whose bytes did not change since the last load are not parsed again.
    fn load_months(&mut self, months: &[YearMonth]) {
        let Some(Ok((site, _))) = &self.site else {
            return;
        };
        let opts = self.load_options();
        let dir = &self.opts.content;
        let previous: Vec<HashMap<PathBuf, Parsed>> = months
            .iter()
            .map(|ym| {
                self.months
                    .get_mut(ym)
                    .map(|m| std::mem::take(&mut m.parsed))
                    .unwrap_or_default()
            })
            .collect();
        let loaded: Vec<(YearMonth, Option<LoadedMonth>)> = months
            .par_iter()
            .zip(previous)
            .map(|(ym, previous)| {
                let path = dir.join(ym.to_string());
                if !path.is_dir() {
                    return (*ym, None);
                }
                let parsed = Mutex::new(HashMap::new());
                let load_item = |stem: &str, file: &Path| {
                    let p = parse_cached(*ym, stem, file, &previous);
                    let out = (p.item.clone(), p.diags.clone());
                    parsed
                        .lock()
                        .expect("no panics while held")
                        .insert(file.to_path_buf(), p);
                    out
                };
                let (month, diags) = content::load_month_with(*ym, &path, site, opts, &load_item);
                let parsed = parsed.into_inner().expect("no panics while held");
                (
                    *ym,
                    Some(LoadedMonth {
                        month,
                        diags,
                        parsed,
                    }),
                )
            })
            .collect();
        for (ym, m) in loaded {
            self.spare.remove(&ym);
            match m {
                Some(m) => self.months.insert(ym, m),
                None => self.months.remove(&ym),
            };
        }
    }

    /// Puts the current inputs together exactly as `build::load` would.
    fn assemble(&mut self) -> Result<(Site, Arc<Renderer>, Diagnostics), Diagnostics> {
        let (site, site_diags) = match self.site.as_ref().expect("loaded before assembling") {
            Ok(s) => s.clone(),
            Err(d) => return Err(d.clone()),
        };
        let mut diags = site_diags;
        diags.extend(self.listing.clone());
        // The spare copy where there is one: then only reloaded months are copied.
        let mut spare = std::mem::take(&mut self.spare);
        let loaded = self
            .months
            .iter()
            .map(|(ym, m)| {
                spare
                    .remove(ym)
                    .unwrap_or_else(|| (m.month.clone(), m.diags.clone()))
            })
            .collect();
        let dir = self.opts.content.clone();
        let (mut content, diags) =
            content::assemble(&dir, site, loaded, diags).map_err(|e| e.into_diagnostics(&dir))?;
        build::apply_base_url(&self.opts, &mut content).map_err(|e| e.into_diagnostics(&dir))?;
        let renderer = self.renderer(&content.site.views)?;
        let site = Site::new(content);
        let diags =
            build::verify(&self.opts, &site, diags).map_err(|e| e.into_diagnostics(&dir))?;
        Ok((site, renderer, diags))
    }

    fn renderer(&mut self, views: &[View]) -> Result<Arc<Renderer>, Diagnostics> {
        if let Some((v, r)) = &self.renderer
            && v == views
        {
            return Ok(r.clone());
        }
        let theme = match self.theme.as_ref().expect("loaded before assembling") {
            Ok(t) => t,
            Err(d) => return Err(d.clone()),
        };
        let r =
            Arc::new(Renderer::new(theme, views).map_err(|e| e.into_diagnostics(&self.theme_dir))?);
        self.renderer = Some((views.to_vec(), r.clone()));
        Ok(r)
    }

    /// Swaps the new model into the store, marking stale what it changed.
    fn publish(&mut self, site: Site, renderer: Arc<Renderer>) -> Vec<String> {
        let keys = keys::page_keys(&site, &keys::month_hashes(&site));
        let views = site.content.site.views.clone();
        let config = debug_hash(&site.content.site);
        let templates = self.templates.clone();
        let old = self.good.take();
        let everything = old
            .as_ref()
            .is_none_or(|g| g.config != config || g.views != views);
        let retemplated = match &old {
            Some(g) if !everything => {
                template_changes(&g.templates, &templates, self.theme.as_ref())
            }
            _ => TemplateChanges::All,
        };

        self.generation += 1;
        let snapshot = Arc::new(Snapshot {
            generation: self.generation,
            shared: crate::render::Shared::new(&site),
            site,
            renderer,
            render: self.render.clone(),
        });
        let mut changed = Vec::new();
        let replaced = self.store.update(|inner| {
            let files = &mut inner.files;
            if let Some(g) = &old {
                // Pages that are gone, and every page of a view that is gone.
                for page in g.keys.keys() {
                    let gone = !keys.contains_key(page);
                    for view in &g.views {
                        if gone || !views.contains(view) {
                            let path = urls::output_file(*view, page);
                            if files.remove(&path).is_some() {
                                changed.push(path);
                            }
                        }
                    }
                }
            }
            for (page, key) in &keys {
                let shows_other =
                    everything || old.as_ref().and_then(|g| g.keys.get(page)) != Some(key);
                for view in &views {
                    if shows_other || retemplated.touches(*view, page) {
                        let path = urls::output_file(*view, page);
                        let slot = Slot::stale(files.remove(&path), page, *view);
                        files.insert(path.clone(), slot);
                        changed.push(path);
                    }
                }
            }
            inner.snapshot.replace(snapshot)
        });
        changed.sort();
        self.good = Some(Good {
            keys,
            config,
            views,
            templates,
        });
        self.retired = Some((replaced, old));
        changed
    }
}

/// An item file, parsed again only when its bytes changed since `previous`.
fn parse_cached(
    ym: YearMonth,
    stem: &str,
    file: &Path,
    previous: &HashMap<PathBuf, Parsed>,
) -> Parsed {
    let hash = match std::fs::read(file) {
        Ok(bytes) => {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (stem, bytes).hash(&mut h);
            h.finish()
        }
        // Unreadable now: parse, so the error says why.
        Err(_) => 0,
    };
    if let Some(p) = previous.get(file)
        && p.hash == hash
        && hash != 0
    {
        return p.clone();
    }
    let (item, diags) = content::load_item(ym, stem, file);
    Parsed { hash, item, diags }
}

/// Which pages a theme change re-renders.
enum TemplateChanges {
    /// Only pages of these kinds in these views: their own template changed.
    Kinds(BTreeSet<(View, &'static str)>),
    /// A shared template (base, partials) changed: every page.
    All,
}

impl TemplateChanges {
    fn touches(&self, view: View, page: &Page) -> bool {
        match self {
            TemplateChanges::All => true,
            TemplateChanges::Kinds(kinds) => kinds.contains(&(view, page.template())),
        }
    }
}

/// Compares template sources. A page template (`html/item.html`) that no
/// other template names touches only its own pages; any other change is
/// treated as touching every page. Derived page templates are in the theme's
/// list, so a change to `html/<kind>.html` also touches the views made from it.
fn template_changes(
    old: &BTreeMap<String, u64>,
    new: &BTreeMap<String, u64>,
    theme: Option<&Result<Theme, Diagnostics>>,
) -> TemplateChanges {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut kinds = BTreeSet::new();
    for name in names {
        if old.get(name) == new.get(name) {
            continue;
        }
        let Some((view, file)) = name.split_once('/') else {
            return TemplateChanges::All;
        };
        let Some(view) = View::from_name(view) else {
            return TemplateChanges::All;
        };
        let Some(kind) = crate::urls::PAGE_TEMPLATES.iter().find(|k| **k == file) else {
            return TemplateChanges::All;
        };
        let used_elsewhere = match theme {
            Some(Ok(t)) => t
                .templates
                .iter()
                .any(|(other, (src, _))| other != name && src.contains(file)),
            _ => true,
        };
        if used_elsewhere {
            return TemplateChanges::All;
        }
        kinds.insert((view, *kind));
    }
    TemplateChanges::Kinds(kinds)
}

fn missing_content(dir: &Path) -> Diagnostics {
    Diagnostics(vec![
        Diagnostic::error(dir, format!("找不到内容目录 {}", dir.display()))
            .help("内容目录被删除或改名了：恢复它，预览会自动继续"),
    ])
}
