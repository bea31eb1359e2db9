//! The pipeline end to end: load → model → render → write. `gongkai build`,
//! `check` and `serve` are thin skins over these functions.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use rayon::prelude::*;

use crate::basics::portable;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::content::{self, LoadOptions};
use crate::model::Site;
use crate::publish::corrections;
use crate::publish::record::{self, Record, Written};
use crate::publish::staging::{Change, Staging};
use crate::render::keys::{self, Keys, debug_hash};
use crate::render::theme::{self, Theme};
use crate::render::{self, RenderOptions, Renderer};
use crate::urls::{self, Page};

/// What the command line decides about a build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub output: PathBuf,
    /// Theme name under the themes folder; `default` is built in.
    pub theme: String,
    /// Folder holding themes, default `./themes`.
    pub themes_dir: Option<PathBuf>,
    pub drafts: bool,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// Rewrite every file instead of keeping those whose bytes did not change.
    pub clean: bool,
    /// Publish even when month reports or item pages the output holds would
    /// be taken down (`--allow-removals`); else the build refuses.
    pub allow_removals: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            content: "content".into(),
            output: "public".into(),
            theme: "default".into(),
            themes_dir: None,
            drafts: false,
            base_url: None,
            strict: false,
            clean: false,
            allow_removals: false,
        }
    }
}

impl BuildOptions {
    pub(crate) fn theme_dir(&self) -> PathBuf {
        theme::theme_dir(self.themes_dir.as_deref(), &self.theme)
    }
}

/// What a successful build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    /// One-line notices for the user, e.g. QR codes left out.
    pub notes: Vec<String>,
    /// How long each stage took, for `gongkai build --timings`.
    pub timings: Timings,
    /// What the build added, modified and deleted in the output, in path order
    /// (empty when nothing changed: then the output was left untouched).
    pub changes: Vec<(Change, String)>,
    /// Pages rendered anew; the others were kept as the last build wrote them
    /// (their inputs unchanged, `record.rs`).
    pub rendered: usize,
}

/// Wall time of each stage of a build, in the order they ran. Stages that
/// run side by side (pages beside search index, feeds and open data) are
/// each timed on their own, so they can add up to more than the build.
#[derive(Debug, Default)]
pub struct Timings(pub Vec<(&'static str, std::time::Duration)>);

impl Timings {
    /// Runs `f`, recording its wall time under `stage`.
    pub(crate) fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = f();
        self.0.push((stage, start.elapsed()));
        out
    }
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (stage, d) in &self.0 {
            writeln!(f, "{:>9.1} ms  {stage}", d.as_secs_f64() * 1000.0)?;
        }
        Ok(())
    }
}

/// Loads content and theme and builds the model: everything `check` verifies.
pub fn load(opts: &BuildOptions) -> Result<(Site, Renderer, Diagnostics)> {
    load_timed(opts, &mut Timings::default())
}

/// [`load`], timing its stages.
pub(crate) fn load_timed(
    opts: &BuildOptions,
    timings: &mut Timings,
) -> Result<(Site, Renderer, Diagnostics)> {
    let (mut content, diags) = timings.time("读取内容（YAML、Markdown）", || {
        content::load(
            &opts.content,
            LoadOptions {
                drafts: opts.drafts,
            },
        )
    })?;
    apply_base_url(opts, &mut content)?;
    let renderer = timings.time("加载主题", || {
        load_theme(opts).and_then(|theme| Renderer::new(&theme, &content.site.views))
    })?;
    refuse_unportable_statics(opts, &renderer)?;
    let mut diags = diags;
    let site = timings.time("建立项目、部门、领导索引", || {
        Site::new(content)
    });
    // Only a build and `check` compare with the published output; the
    // preview has none of its own.
    diags.extend(crate::outputs::addresses::check(&site, &opts.output));
    let diags = timings.time("检查链接", || verify(opts, &site, diags))?;
    Ok((site, renderer, diags))
}

/// A theme's static file is published under its own name, so a name Windows
/// refuses, or one equal to another but for case, stops `check` and `build`
/// here, before anything is rendered (`Staging` would refuse it at the end).
fn refuse_unportable_statics(opts: &BuildOptions, renderer: &Renderer) -> Result<()> {
    let paths: Vec<String> = renderer
        .statics()
        .keys()
        .map(|k| format!("static/{k}"))
        .collect();
    match portable::first_problem(paths.iter().map(String::as_str)) {
        None => Ok(()),
        Some(problem) => Err(Error::Usage(format!(
            "主题 {} 的文件不能发布：{problem}；网站要能复制到 Windows、macOS 等任何系统，请给这个文件改名",
            opts.theme_dir().display()
        ))),
    }
}

/// `--base-url` wins over `base_url` in site.yaml.
pub(crate) fn apply_base_url(opts: &BuildOptions, content: &mut content::Content) -> Result<()> {
    if let Some(url) = &opts.base_url {
        content.site.base_url =
            Some(content::normalise_base_url(url, "--base-url").map_err(Error::Usage)?);
    }
    Ok(())
}

/// The theme the options name: the built-in one overlaid with its folder.
pub(crate) fn load_theme(opts: &BuildOptions) -> Result<Theme> {
    let dir = opts.theme_dir();
    if opts.theme != "default" && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "找不到主题 {}：应在 {}",
            opts.theme,
            dir.display()
        )));
    }
    Theme::load(Some(&dir))
}

/// The checks that need the whole model, then `--strict`: the last step
/// before a model may be rendered. `gongkai serve` calls it after each rebuild.
pub(crate) fn verify(
    opts: &BuildOptions,
    site: &Site,
    mut diags: Diagnostics,
) -> Result<Diagnostics> {
    // Links between pages can only be checked once every page is known.
    diags.extend(crate::model::links::check(site));
    diags.extend(crate::outputs::addresses::reserved_names(site));
    diags.sort();
    if diags.has_errors() {
        return Err(Error::Content(diags));
    }
    if opts.strict && !diags.0.is_empty() {
        diags.make_strict();
        return Err(Error::Content(diags));
    }
    Ok(diags)
}

/// Validates everything without writing a file.
pub fn check(opts: &BuildOptions) -> Result<Diagnostics> {
    let (site, renderer, mut diags) = load(opts)?;
    // Only `check` says so: a site may build and be previewed long before
    // it has its codes, but the office should know before it goes public.
    let mut more: Vec<Diagnostic> =
        content::identification_warning(&opts.content, &site.content.site)
            .into_iter()
            .collect();
    // What `build` would refuse to take down, said before it is tried.
    let published = published_paths(&opts.output);
    let removed = removed_pages(&site, published.iter().map(String::as_str));
    if !removed.is_empty() {
        more.push(removals(opts, &removed, false));
    }
    // Corrections of published months without a new 更新时间, as `build` says them.
    if !published.is_empty() {
        let undated = site.content.months.iter().filter_map(|m| {
            let (rel, bytes) = crate::outputs::opendata::month_json(&site, m);
            Some((m.ym, corrections::undated(&opts.output, &rel, &bytes)?))
        });
        more.extend(corrections::warnings(&site, undated.collect()));
    }
    if !more.is_empty() {
        diags.0.extend(more);
        if opts.strict {
            diags.make_strict();
            return Err(Error::Content(diags));
        }
    }
    // Template errors that only show when data meets a template: render one
    // page of every kind in every view. All pages of a kind share their
    // template, so rendering the other thousands would only repeat the work
    // `build` does (and make `check` as slow as a build).
    let mut seen = std::collections::BTreeSet::new();
    let shared = render::Shared::new(&site);
    for page in site.pages().iter().filter(|p| seen.insert(p.template())) {
        render_page(
            &site,
            &shared,
            &renderer,
            &RenderOptions::default(),
            page,
            &|_, _| Ok(()),
        )?;
    }
    Ok(diags)
}

/// What a page's and the search index's files depend on beyond the content:
/// the settings, the theme, the drafts switch and the program itself (a new
/// gongkai may render the same content differently).
fn global_key(opts: &BuildOptions, site: &Site, renderer: &Renderer) -> u64 {
    let program = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| (m.len(), m.modified().ok()))
        .ok();
    debug_hash(&(
        env!("CARGO_PKG_VERSION"),
        program,
        renderer.theme_key(),
        &site.content.site,
        opts.drafts,
    ))
}

/// Which files the last build's record lets this build keep unrendered.
struct Reuse<'a> {
    record: Option<Record>,
    keys: Keys,
    staging: &'a Staging,
}

impl Reuse<'_> {
    /// Stages the files `rels`, made together from inputs whose key is `key`,
    /// as kept — all of them or, when the record does not allow one, none.
    /// Returns how many.
    fn keep_all<S: AsRef<str>>(&self, rels: impl Iterator<Item = S>, key: u64) -> Option<usize> {
        let record = self.record.as_ref()?;
        let kept: Vec<(S, u64, [u8; 32])> = rels
            .map(|rel| {
                let r = rel.as_ref();
                let (size, sha) = record.unchanged(r, key, self.staging.previous(r))?;
                Some((rel, size, sha))
            })
            .collect::<Option<_>>()?;
        for (rel, size, sha) in &kept {
            self.staging.keep(rel.as_ref(), *size, *sha);
        }
        Some(kept.len())
    }

    /// Stages every view of `page` as kept when the record allows all of them.
    fn keep_page(&self, site: &Site, page: &Page) -> bool {
        let Some(&key) = self.keys.get(page) else {
            return false;
        };
        let views = site.content.site.views.iter();
        self.keep_all(views.map(|v| urls::output_file(*v, page)), key)
            .is_some()
    }

    /// Stages the previous search index as kept when none of its inputs
    /// changed: every file the record lists under the search key. Returns how
    /// many, or `None` when the index must be made again.
    fn keep_search(&self, key: u64) -> Option<usize> {
        let files: Vec<&str> = self.record.as_ref()?.with_key(key).collect();
        if files.is_empty() {
            return None;
        }
        self.keep_all(files.into_iter(), key)
    }
}

/// Builds the site into `opts.output`, atomically, rendering only the pages
/// whose inputs changed since the build that wrote it (`record.rs`).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let mut timings = Timings::default();
    let (site, renderer, warnings) = load_timed(opts, &mut timings)?;
    let theme_root = opts.themes_dir.clone().unwrap_or_else(|| "themes".into());
    let staging = timings.time("读取上一版输出", || {
        Staging::new(&opts.output, &[&opts.content, &theme_root], opts.clean)
    })?;
    if !opts.allow_removals {
        refuse_removals(opts, &site, &staging, &warnings)?;
    }
    let (keys, global, search_key) = timings.time("比较页面的输入", || {
        let hashes = keys::month_hashes(&site);
        let global = global_key(opts, &site, &renderer);
        let search_key = debug_hash(&(global, &hashes));
        (keys::page_keys(&site, &hashes), global, search_key)
    });
    let reuse = Reuse {
        record: (!opts.clean)
            .then(|| record::load(&opts.output, global))
            .flatten(),
        keys,
        staging: &staging,
    };
    let search_kept = reuse.keep_search(search_key);
    let pages_kept = AtomicUsize::new(0);
    let corrected = Mutex::new(Vec::new());
    let files = search_kept.unwrap_or(0)
        + write_site(
            &site,
            &renderer,
            &RenderOptions::default(),
            &|rel, bytes| {
                if let Some(ym) = corrections::month_data(rel)
                    && let Some(updated) = corrections::undated(&opts.output, rel, bytes)
                {
                    corrected
                        .lock()
                        .expect("no panics while held")
                        .push((ym, updated));
                }
                staging.write(rel, bytes)
            },
            &|page| {
                let kept = reuse.keep_page(&site, page);
                pages_kept.fetch_add(usize::from(kept), Relaxed);
                kept
            },
            search_kept.is_none(),
            &mut timings,
        )?;
    let keys = reuse.keys;
    let (pages, pages_kept) = (keys.len(), pages_kept.into_inner());
    let committed = staging.commit(&mut timings)?;
    let changes = committed.changes;
    timings.time("记录各页的输入", || {
        let keyed: std::collections::HashMap<String, u64> = keys
            .iter()
            .flat_map(|(page, key)| {
                site.content
                    .site
                    .views
                    .iter()
                    .map(move |view| (urls::output_file(*view, page), *key))
            })
            .collect();
        let written: Vec<Written> = committed
            .files
            .into_iter()
            .filter_map(|(rel, size, sha, same)| {
                let key = match keyed.get(&rel) {
                    Some(k) => *k,
                    // The search index's files, made together from every item.
                    None if rel.starts_with(crate::urls::SEARCH_DIR) => search_key,
                    None => return None,
                };
                Some((rel, key, size, sha, same))
            })
            .collect();
        // Nothing made anew: the record already says all there is to say.
        if changes.is_empty() && search_kept.is_some() && pages_kept == pages {
            return;
        }
        // A record that cannot be written only costs the next build its shortcut.
        if record::save(&opts.output, global, &written).is_err() {
            record::forget(&opts.output);
        }
    });
    let mut notes = Vec::new();
    if site.content.site.base_url.is_none() {
        notes.push(
            "site.yaml 没有 base_url：二维码、订阅和站点地图需要网站的完整地址，本次未生成二维码、feed.xml 和 sitemap.xml"
                .to_owned(),
        );
    }
    let mut warnings = warnings;
    let corrected = corrected.into_inner().expect("no panics while held");
    warnings.0.extend(corrections::warnings(&site, corrected));
    drop_later((site, renderer));
    Ok(BuildReport {
        pages,
        files,
        warnings,
        notes,
        timings,
        changes,
        rendered: pages - pages_kept,
    })
}

/// How many of the pages a build would take down its refusal lists by name.
const REMOVALS_LISTED: usize = 10;

/// Stops the build when the output holds month reports or item pages (html
/// view) this build would not write: a renamed or deleted month folder or
/// item file, an item made a draft. Public documents are retired by their
/// 有效性, not by vanishing; `--allow-removals` says the removal is meant.
fn refuse_removals(
    opts: &BuildOptions,
    site: &Site,
    staging: &Staging,
    warnings: &Diagnostics,
) -> Result<()> {
    let removed = removed_pages(site, staging.previous_paths());
    if removed.is_empty() {
        return Ok(());
    }
    let mut diags = warnings.clone();
    diags.push(removals(opts, &removed, true));
    Err(Error::Content(diags))
}

/// What a build refuses (`build`: an error) or would refuse (`check`: a
/// warning): the first pages it would take down, how many, what to do.
fn removals(opts: &BuildOptions, removed: &[(String, String)], build: bool) -> Diagnostic {
    let mut list: Vec<String> = removed
        .iter()
        .take(REMOVALS_LISTED)
        .map(|(rel, what)| format!("  {rel}（{what}）"))
        .collect();
    if removed.len() > REMOVALS_LISTED {
        list.push(format!("  ……另有 {} 个", removed.len() - REMOVALS_LISTED));
    }
    let (head, then) = if build {
        (
            format!(
                "这次生成会删除上次已发布的 {} 个页面，已停止，{} 没有改动",
                removed.len(),
                opts.output.display()
            ),
            "确实要删除这些页面，加 --allow-removals 再运行 gongkai build",
        )
    } else {
        (
            format!(
                "生成时会删除上次已发布（{}）的 {} 个页面，gongkai build 会因此停止",
                opts.output.display(),
                removed.len()
            ),
            "确实要删除这些页面，生成时加 --allow-removals",
        )
    };
    let help = format!(
        "月份文件夹或条目文件是否改了名、被移走、被删除，或被标成了草稿？恢复它们即可。\
         要让一份文件停止使用，在它的 _index.md 里把 有效性 改为 废止 或 失效：页面保留并注明。{then}"
    );
    let message = format!("{head}：\n{}", list.join("\n"));
    if build {
        Diagnostic::error(&opts.output, message).help(help)
    } else {
        Diagnostic::warning(&opts.output, message).help(help)
    }
}

/// Every file the last build published in the output folder (its
/// manifest), in path order: what `check` compares with; none without one.
fn published_paths(output: &std::path::Path) -> Vec<String> {
    let manifest = output.join(crate::publish::staging::MANIFEST);
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return Vec::new();
    };
    crate::publish::staging::read_manifest(&text)
        .into_keys()
        .map(str::to_owned)
        .collect()
}

/// The month reports and item pages among `previous` (paths in the output)
/// that `site` does not have, each with what it was, in path order.
fn removed_pages<'a>(
    site: &Site,
    previous: impl Iterator<Item = &'a str>,
) -> Vec<(String, String)> {
    let html = site.content.site.views.contains(&urls::View::Html);
    let kept: std::collections::HashSet<String> = site
        .pages()
        .iter()
        .filter(|_| html)
        .map(|p| urls::output_file(urls::View::Html, p))
        .collect();
    previous
        .filter(|rel| !kept.contains(*rel))
        .filter_map(|rel| {
            let what = match rel.split('/').collect::<Vec<_>>().as_slice() {
                [ym, "index.html"] => {
                    format!(
                        "{}的报告",
                        crate::basics::dates::YearMonth::parse(ym)?.chinese()
                    )
                }
                [ym, stem, "index.html"] if *stem != urls::PROBLEMS_STEM => format!(
                    "{}的条目 {stem}",
                    crate::basics::dates::YearMonth::parse(ym)?.chinese()
                ),
                _ => return None,
            };
            Some((rel.to_owned(), what))
        })
        .collect()
}

/// Frees `value` on a thread of its own. The model and the page values of a
/// ten-year archive are hundreds of thousands of small allocations: freeing
/// them takes longer than writing a hundred pages, and nothing waits for it
/// (the command line exits right after a build).
fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Renders every page and hands it with the other outputs to `sink`,
/// timing the stages. Returns the number of files.
pub(crate) fn write_site(
    site: &Site,
    renderer: &Renderer,
    opts: &RenderOptions,
    sink: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    kept: &(dyn Fn(&Page) -> bool + Sync),
    search: bool,
    timings: &mut Timings,
) -> Result<usize> {
    // Pages and the other outputs (search index, feeds, open data) are
    // independent: building them side by side keeps both cores busy.
    let (mut t_pages, mut t_extra) = (Timings::default(), Timings::default());
    let (pages, extra) = rayon::join(
        || {
            t_pages.time("生成并写入页面", || {
                render_all(site, renderer, opts, sink, kept)
            })
        },
        || -> Result<usize> {
            let files = extra_files(site, renderer, search, &mut t_extra)?;
            t_extra.time("写入其他文件", || {
                files
                    .par_iter()
                    .try_for_each(|(rel, bytes)| sink(rel, bytes))
            })?;
            Ok(files.len())
        },
    );
    timings.0.extend(t_pages.0.into_iter().chain(t_extra.0));
    Ok(pages? + extra?)
}

/// Files other than pages: static assets, attachments, the search index
/// (unless `search` is false: the build kept the last one), feeds and open data.
pub(crate) fn extra_files(
    site: &Site,
    renderer: &Renderer,
    search: bool,
    timings: &mut Timings,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out: Vec<(String, Vec<u8>)> = renderer
        .statics()
        .iter()
        .map(|(k, v)| (format!("static/{k}"), v.clone()))
        .collect();
    for m in &site.content.months {
        for a in &m.meta.attachments {
            let src = m.dir.join(&a.file);
            let bytes = std::fs::read(&src).map_err(|e| Error::io(e, &src))?;
            out.push((format!("{}/{}", m.ym, a.file), bytes));
        }
    }
    if search {
        out.extend(timings.time("搜索索引", || crate::outputs::search::build(site).files));
    }
    out.extend(timings.time("订阅与站点地图", || {
        crate::outputs::feeds::files(site)
    }));
    out.extend(timings.time("开放数据", || crate::outputs::opendata::files(site)));
    out.push(crate::outputs::addresses::file(site));
    Ok(out)
}

/// Renders every page in every view in parallel, handing each to `sink`;
/// a page `kept` says was kept as it is is not rendered (but counted).
pub(crate) fn render_all(
    site: &Site,
    renderer: &Renderer,
    opts: &RenderOptions,
    sink: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    kept: &(dyn Fn(&Page) -> bool + Sync),
) -> Result<usize> {
    let views = site.content.site.views.len();
    let pages = site.pages();
    let shared = render::Shared::new(site);
    let first_error: Mutex<Option<Error>> = Mutex::new(None);
    let count: usize = pages
        .par_iter()
        .map(|page| {
            if kept(page) {
                return views;
            }
            match render_page(site, &shared, renderer, opts, page, sink) {
                Ok(n) => n,
                Err(e) => {
                    first_error
                        .lock()
                        .expect("no panics while held")
                        .get_or_insert(e);
                    0
                }
            }
        })
        .sum();
    match first_error.into_inner().expect("no panics while held") {
        Some(e) => Err(e),
        None => Ok(count),
    }
}

/// One page in every view of the site.
pub(crate) fn render_page(
    site: &Site,
    shared: &render::Shared,
    renderer: &Renderer,
    opts: &RenderOptions,
    page: &Page,
    sink: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
) -> Result<usize> {
    let data = render::page_data(site, shared, page);
    let mut n = 0;
    for view in &site.content.site.views {
        let html = renderer.render(site, page, *view, &data, opts)?;
        sink(&urls::output_file(*view, page), &html)?;
        n += 1;
    }
    Ok(n)
}
