//! The preview's incremental engine (issue 4), driven without HTTP: after any
//! sequence of edits, adds, deletes and renames, the site in memory is
//! byte-identical to a fresh `gongkai build` of the same content; and an edit
//! re-renders only the pages that show what changed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::TestSite;
use gongkai::{BuildOptions, Engine, RenderOptions, Update};

/// xorshift64*: a deterministic sequence without a dependency.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

// 章平 and 张平 share the slug zhang-ping: the first to appear keeps it, the other gets a hashed suffix.
const LEADERS: [&str; 4] = ["章平", "张平", "甄别", "童水林"];
const DEPARTMENTS: [&str; 4] = ["纪工委", "建设局", "办公室", "旅游局"];
const PROJECTS: [&str; 7] = [
    "东湖绿道",
    "扫黑除恶",
    "疫情防控",
    "还建房建设",
    "污水管网",
    "智慧旅游",
    "信访维稳",
];
const WORDS: [&str; 10] = [
    "推进",
    "完成",
    "督促",
    "落实",
    "**重点**",
    "整改",
    "验收",
    "1. 第一项",
    "巡查",
    "[链接](https://example.gov.cn/)",
];

#[derive(Clone, Debug)]
struct ItemSpec {
    number: Option<u32>,
    leaders: Vec<&'static str>,
    project: &'static str,
    key: Option<&'static str>,
    department: &'static str,
    draft: bool,
    text: String,
}

fn sentence(rng: &mut Rng) -> String {
    (0..1 + rng.below(4))
        .map(|_| *rng.pick(&WORDS))
        .collect::<Vec<_>>()
        .join("")
}

fn random_item(rng: &mut Rng, number: u32) -> ItemSpec {
    let mut leaders = vec![*rng.pick(&LEADERS)];
    if rng.chance(20) {
        let other = *rng.pick(&LEADERS);
        if !leaders.contains(&other) {
            leaders.push(other);
        }
    }
    ItemSpec {
        number: (!rng.chance(10)).then_some(number),
        leaders,
        project: PROJECTS[rng.below(PROJECTS.len())],
        key: None,
        department: DEPARTMENTS[rng.below(DEPARTMENTS.len())],
        draft: rng.chance(10),
        text: sentence(rng),
    }
}

fn item_file(it: &ItemSpec) -> String {
    let mut s = String::from("---\n");
    if let Some(n) = it.number {
        s += &format!("number: {n}\n");
    }
    s += &format!("leaders: [{}]\n", it.leaders.join(", "));
    s += &format!("project: {}\n", it.project);
    if let Some(k) = it.key {
        s += &format!("key: {k}\n");
    }
    s += &format!("department: {}\n", it.department);
    if it.draft {
        s += "draft: true\n";
    }
    s += &format!(
        "---\n## 本月进度情况\n\n{}\n\n## 存在问题\n\n{}\n\n## 下月安排\n\n{}\n",
        it.text,
        if it.text.len().is_multiple_of(2) {
            "无"
        } else {
            ""
        },
        it.text.chars().rev().collect::<String>()
    );
    s
}

fn month_file(ym: &str, title: &str, validity: &str) -> String {
    let mut s = format!(
        "---\nissued: {ym}-27\ndoc_number: 示管〔{}〕1号\n",
        &ym[..4]
    );
    if !title.is_empty() {
        s += &format!("title: {title}\n");
    }
    if validity != "有效" {
        s += &format!("validity: {validity}\nvalidity_changed: {ym}-28\n");
    }
    s += "---\n本月报告前言。\n";
    s
}

/// Files a step wrote or removed, for the engine.
#[derive(Default)]
pub(crate) struct Touched(pub(crate) Vec<PathBuf>);

pub(crate) struct World {
    pub(crate) site: TestSite,
    pub(crate) touched: Touched,
}

impl World {
    fn content(&self) -> PathBuf {
        self.site.content()
    }
    fn write(&mut self, rel: &str, text: &str) {
        // Editors save atomically: write a temporary file, then rename it over.
        let path = self.content().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let tmp = path.with_extension("md.tmp");
        fs::write(&tmp, text).unwrap();
        fs::rename(&tmp, &path).unwrap();
        self.touched.0.push(tmp);
        self.touched.0.push(path);
    }
    fn remove(&mut self, rel: &str) {
        let path = self.content().join(rel);
        if path.is_dir() {
            fs::remove_dir_all(&path).unwrap();
        } else {
            fs::remove_file(&path).unwrap();
        }
        self.touched.0.push(path);
    }
    fn rename(&mut self, from: &str, to: &str) {
        let (a, b) = (self.content().join(from), self.content().join(to));
        fs::rename(&a, &b).unwrap();
        self.touched.0.push(a);
        self.touched.0.push(b);
    }
    fn months(&self) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.content())
            .unwrap()
            .filter_map(|e| {
                let e = e.unwrap();
                e.path()
                    .is_dir()
                    .then(|| e.file_name().to_string_lossy().into_owned())
            })
            .collect();
        v.sort();
        v
    }
    /// Numbers and project keys the month's other items use (each must be unique in a month).
    fn used(&self, ym: &str, except: Option<&str>) -> (BTreeSet<String>, BTreeSet<String>) {
        let (mut numbers, mut keys) = (BTreeSet::new(), BTreeSet::new());
        for name in self.items(ym) {
            if Some(name.as_str()) == except {
                continue;
            }
            let text = fs::read_to_string(self.content().join(ym).join(&name)).unwrap();
            let field = |k: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(k).map(|v| v.trim().to_owned()))
            };
            numbers.extend(field("number:"));
            keys.extend(field("key:").or_else(|| field("project:")));
        }
        (numbers, keys)
    }
    /// An item that fits among the month's others, so most edits keep the site valid.
    fn fitting_item(&self, rng: &mut Rng, ym: &str, stem: &str) -> ItemSpec {
        let (numbers, keys) = self.used(ym, Some(&format!("{stem}.md")));
        let number = 1 + rng.below(20) as u32;
        let mut it = random_item(rng, number);
        if it.number.is_some_and(|n| numbers.contains(&n.to_string())) {
            it.number = None;
        }
        if keys.contains(it.project) {
            it.key = Some(["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"][rng.below(9)]);
            if keys.contains(it.key.unwrap()) {
                it.key = None;
                it.project = "临时项目";
                if keys.contains("临时项目") {
                    it.project = "另一临时项目";
                }
            }
        }
        it
    }
    fn items(&self, ym: &str) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.content().join(ym))
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                (name.ends_with(".md") && name != "_index.md").then_some(name)
            })
            .collect();
        v.sort();
        v
    }
}

fn options(site: &TestSite, drafts: bool) -> BuildOptions {
    BuildOptions {
        content: site.content(),
        output: site.root().join("public"),
        themes_dir: Some(site.root().join("themes")),
        drafts,
        // The random steps delete and rename items and months on purpose.
        allow_removals: true,
        ..BuildOptions::default()
    }
}

/// Every file of a fresh build, or the build's error.
fn fresh_build(opts: &BuildOptions) -> Result<BTreeMap<String, Vec<u8>>, String> {
    gongkai::build(opts).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&opts.output) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&opts.output).unwrap();
            let rel = rel.to_string_lossy().into_owned();
            if rel != gongkai::internals::MARKER && rel != gongkai::internals::MANIFEST {
                out.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
    }
    Ok(out)
}

fn preview_files(engine: &Engine) -> BTreeMap<String, Vec<u8>> {
    engine
        .store()
        .files()
        .unwrap_or_else(|e| panic!("preview render failed:\n{e}"))
        .into_iter()
        .map(|(k, v)| (k, v.to_vec()))
        .collect()
}

fn assert_same(
    step: usize,
    log: &[String],
    preview: &BTreeMap<String, Vec<u8>>,
    built: &BTreeMap<String, Vec<u8>>,
) {
    if preview == built {
        return;
    }
    let a: BTreeSet<&String> = preview.keys().collect();
    let b: BTreeSet<&String> = built.keys().collect();
    let only_preview: Vec<_> = a.difference(&b).take(5).collect();
    let only_build: Vec<_> = b.difference(&a).take(5).collect();
    let differ: Vec<_> = a
        .intersection(&b)
        .filter(|p| preview[**p] != built[**p])
        .take(5)
        .collect();
    panic!(
        "step {step}: preview differs from a fresh build\nonly in preview: {only_preview:?}\nonly in build: {only_build:?}\ndiffer: {differ:?}\nsteps:\n{}",
        log.join("\n")
    );
}

pub(crate) fn seed_site(world: &mut World, rng: &mut Rng) {
    world.write("site.yaml", "title: 测试公开网站\npublisher: 测试管委会\n");
    for ym in ["2019-11", "2019-12", "2020-01", "2020-02"] {
        world.write(&format!("{ym}/_index.md"), &month_file(ym, "", "有效"));
        let mut used = BTreeSet::new();
        for n in 1..=5u32 {
            let mut it = random_item(rng, n);
            if !used.insert(it.project) {
                it.key = Some(["k1", "k2", "k3", "k4", "k5"][n as usize - 1]);
            }
            world.write(&format!("{ym}/{n:02}.md"), &item_file(&it));
        }
    }
}

/// One random edit of the kinds an editor makes. Returns what it did.
pub(crate) fn random_step(
    world: &mut World,
    rng: &mut Rng,
    broken: &mut Option<(String, String)>,
) -> String {
    // A file left broken by the previous step is fixed first, half of the time.
    if let Some((rel, good)) = broken.take() {
        if rng.chance(50) {
            world.write(&rel, &good);
            return format!("fix {rel}");
        }
        *broken = Some((rel, good));
    }
    let months = world.months();
    let ym = rng.pick(&months).clone();
    let items = world.items(&ym);
    let item = (!items.is_empty()).then(|| rng.pick(&items).clone());
    let n = items.len() as u32 + 1 + rng.below(3) as u32;
    // While a file is broken, only text edits happen, so the fix still applies.
    let op = if broken.is_some() { 14 } else { rng.below(15) };
    match op {
        0..=2 if item.is_some() => {
            let name = item.unwrap();
            let it = world.fitting_item(rng, &ym, name.trim_end_matches(".md"));
            let rel = format!("{ym}/{name}");
            world.write(&rel, &item_file(&it));
            format!("rewrite {rel}")
        }
        3 => {
            let stem = format!("{:02}", n + 10);
            let it = world.fitting_item(rng, &ym, &stem);
            let rel = format!("{ym}/{stem}.md");
            world.write(&rel, &item_file(&it));
            format!("add {rel}")
        }
        4 if item.is_some() => {
            let rel = format!("{ym}/{}", item.unwrap());
            world.remove(&rel);
            format!("delete {rel}")
        }
        5 if item.is_some() => {
            let from = format!("{ym}/{}", item.unwrap());
            let to = format!("{ym}/{}a.md", 1 + rng.below(9));
            if world.content().join(&to).exists() {
                return "nothing".into();
            }
            world.rename(&from, &to);
            format!("rename {from} → {to}")
        }
        6 => {
            let title = if rng.chance(50) {
                ""
            } else {
                "专项工作报告"
            };
            let validity = *rng.pick(&["有效", "有效", "废止", "失效"]);
            let rel = format!("{ym}/_index.md");
            world.write(&rel, &month_file(&ym, title, validity));
            format!("edit {rel} ({title} {validity})")
        }
        7 => {
            let new = format!("{}-{:02}", 2018 + rng.below(4), 1 + rng.below(12));
            if world.content().join(&new).exists() {
                return "nothing".into();
            }
            world.write(&format!("{new}/_index.md"), &month_file(&new, "", "有效"));
            for i in 1..=1 + rng.below(3) as u32 {
                let it = world.fitting_item(rng, &new, &format!("{i:02}"));
                world.write(&format!("{new}/{i:02}.md"), &item_file(&it));
            }
            format!("add month {new}")
        }
        8 if months.len() > 1 => {
            world.remove(&ym);
            format!("delete month {ym}")
        }
        9 => {
            let new = format!("{}-{:02}", 2018 + rng.below(4), 1 + rng.below(12));
            if world.content().join(&new).exists() {
                return "nothing".into();
            }
            // The month's dates now belong to another month: rewrite its _index.md too.
            world.rename(&ym, &new);
            world.write(&format!("{new}/_index.md"), &month_file(&new, "", "有效"));
            format!("rename month {ym} → {new}")
        }
        10 if item.is_some() && broken.is_none() => {
            let rel = format!("{ym}/{}", item.unwrap());
            let good = fs::read_to_string(world.content().join(&rel)).unwrap();
            let bad = if rng.chance(50) {
                good.replacen("project:", "project: [未闭合", 1)
            } else {
                good.replacen("department:", "dept:", 1)
            };
            world.write(&rel, &bad);
            *broken = Some((rel.clone(), good));
            format!("break {rel}")
        }
        11 => {
            // A theme override: one page template, or a shared partial.
            let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
            let name = *rng.pick(&["html/item.html", "print/month.html", "partials/meta.html"]);
            let rel = format!("themes/default/templates/{name}");
            let path = world.site.root().join(&rel);
            if path.exists() && rng.chance(50) {
                fs::remove_file(&path).unwrap();
                world.touched.0.push(path);
                return format!("remove override {name}");
            }
            let src = fs::read_to_string(builtin.join(name)).unwrap();
            let mark = format!("<!-- override {} -->", rng.below(1000));
            let marked = match src.rfind("{% endblock") {
                Some(at) => format!("{}{mark}{}", &src[..at], &src[at..]),
                None => format!("{src}{mark}\n"),
            };
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, marked).unwrap();
            world.touched.0.push(path);
            format!("override {name}")
        }
        12 => {
            let title = *rng.pick(&["测试公开网站", "另一个标题"]);
            // With a base URL every page carries a QR code: slow in debug builds, so rarely.
            let base = if rng.chance(20) {
                "base_url: https://example.gov.cn/gk/\n"
            } else {
                ""
            };
            world.write(
                "site.yaml",
                &format!("title: {title}\npublisher: 测试管委会\n{base}"),
            );
            format!("site.yaml {title} {base:?}")
        }
        13 if item.is_some() => {
            // Editor leftovers and an unchanged save: nothing to rebuild.
            let rel = format!("{ym}/{}", item.unwrap());
            let text = fs::read_to_string(world.content().join(&rel)).unwrap();
            world.write(&rel, &text);
            fs::write(
                world.content().join(format!("{ym}/.{}.swp", rel.len())),
                "x",
            )
            .unwrap();
            fs::write(world.content().join(format!("{rel}~")), "x").unwrap();
            world
                .touched
                .0
                .push(world.content().join(format!("{rel}~")));
            format!("touch {rel}")
        }
        _ if item.is_some() => {
            // The most common edit: one item's text.
            let rel = format!("{ym}/{}", item.unwrap());
            let text = fs::read_to_string(world.content().join(&rel)).unwrap();
            let edited = text.replacen(
                "## 本月进度情况\n\n",
                &format!("## 本月进度情况\n\n{}", sentence(rng)),
                1,
            );
            world.write(&rel, &edited);
            format!("edit text {rel}")
        }
        _ => "nothing".into(),
    }
}

fn replay(seed: u64, steps: usize, drafts: bool) {
    let mut rng = Rng(seed);
    let site = TestSite::new();
    let mut world = World {
        site,
        touched: Touched::default(),
    };
    seed_site(&mut world, &mut rng);
    let opts = options(&world.site, drafts);
    let mut engine = Engine::new(opts.clone(), RenderOptions::default());
    let first = engine.update(&[]);
    assert!(matches!(first, Update::Rebuilt { .. }), "{first:?}");
    let mut log = Vec::new();
    let mut broken = None;
    let mut last_good = fresh_build(&opts).expect("the seed site builds");
    let (mut rebuilt, mut failed) = (0, 0);
    for step in 0..steps {
        let what = random_step(&mut world, &mut rng, &mut broken);
        log.push(format!("{step}: {what}"));
        let touched = std::mem::take(&mut world.touched.0);
        let update = engine.update(&touched);
        // The server tidies after each rebuild; rebuilds must be right either way.
        if step % 3 != 0 {
            engine.tidy();
        }
        match (fresh_build(&opts), update) {
            (Ok(built), Update::Rebuilt { .. } | Update::Unchanged) => {
                rebuilt += 1;
                assert_same(step, &log, &preview_files(&engine), &built);
                last_good = built;
            }
            (Err(_), Update::Broken(_)) => {
                failed += 1;
                // The last good pages stay served.
                assert_same(step, &log, &preview_files(&engine), &last_good);
            }
            (built, update) => panic!(
                "step {step}: build {:?} but preview {update:?}\nsteps:\n{}",
                built.map(|_| "succeeded"),
                log.join("\n")
            ),
        }
    }
    // The sequence exercised both outcomes.
    assert!(rebuilt > steps / 2, "{rebuilt} good steps of {steps}");
    assert!(failed > 0, "no step broke the content");
}

#[test]
fn random_edits_match_fresh_builds() {
    replay(0x9e37_79b9_7f4a_7c15, 120, false);
}

#[test]
fn random_edits_match_fresh_builds_with_drafts() {
    replay(0x0123_4567_89ab_cdef, 80, true);
}

/// Three months of three items, each item with its own project, leader and department.
fn small_site() -> (TestSite, Engine) {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        "title: 测试公开网站\npublisher: 测试管委会\n",
    );
    let rows = [
        ("东湖绿道", "章平", "纪工委"),
        ("扫黑除恶", "甄别", "建设局"),
        ("疫情防控", "童水林", "办公室"),
    ];
    for ym in ["2020-01", "2020-02", "2020-03"] {
        site.month(ym, "");
        for (i, (project, leader, dept)) in rows.iter().enumerate() {
            site.item(
                ym,
                &format!("{:02}", i + 1),
                &format!(
                    "number: {}\nleaders: {leader}\nproject: {project}\ndepartment: {dept}\n",
                    i + 1
                ),
                "## 本月进度情况\n\n推进。\n",
            );
        }
    }
    let mut engine = Engine::new(options(&site, false), RenderOptions::default());
    assert!(matches!(engine.update(&[]), Update::Rebuilt { .. }));
    engine.store().files().unwrap();
    (site, engine)
}

/// The output paths of page folders in every view.
fn in_views(dirs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = ["", "print/", "m/"]
        .iter()
        .flat_map(|v| dirs.iter().map(move |d| format!("{v}{d}index.html")))
        .collect();
    out.sort();
    out
}

/// The pages (not the other files) a rebuild changed.
fn changed(update: Update) -> Vec<String> {
    match update {
        Update::Rebuilt { changed, .. } => changed
            .into_iter()
            .filter(|p| p.ends_with(".html"))
            .collect(),
        other => panic!("expected a rebuild, got {other:?}"),
    }
}

fn slug(name: &str) -> String {
    gongkai::internals::slugify(name)
}

#[test]
fn editing_an_item_rerenders_only_the_pages_that_show_it() {
    let (site, mut engine) = small_site();
    let path = site.content().join("2020-02/02.md");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("推进。", "推进，已完成。");
    fs::write(&path, text).unwrap();
    let update = engine.update(std::slice::from_ref(&path));
    // Of the files that are not pages: the month's open data and the search index.
    let others = engine.store().make_extras().unwrap();
    assert!(!others.is_empty());
    assert!(
        others
            .iter()
            .all(|p| p.starts_with("2020-02/") || p.starts_with("search/")),
        "{others:?}"
    );
    let got = changed(update);
    let want = in_views(&[
        "2020-02/02/".into(),
        "2020-02/".into(),
        format!("projects/{}/", slug("扫黑除恶")),
        format!("departments/{}/", slug("建设局")),
        format!("leaders/{}/", slug("甄别")),
    ]);
    assert_eq!(got, want);
    assert_eq!(
        engine.store().stale(),
        want,
        "exactly these wait to be rendered"
    );
    let page = engine.store().files().unwrap()["2020-02/02/index.html"].clone();
    assert!(String::from_utf8_lossy(&page).contains("推进，已完成。"));

    // The latest month's items are on the home page too.
    let path = site.content().join("2020-03/01.md");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("推进。", "推进中。");
    fs::write(&path, text).unwrap();
    let got = changed(engine.update(std::slice::from_ref(&path)));
    let want = in_views(&[
        "".into(),
        "2020-03/01/".into(),
        "2020-03/".into(),
        format!("projects/{}/", slug("东湖绿道")),
        format!("departments/{}/", slug("纪工委")),
        format!("leaders/{}/", slug("章平")),
    ]);
    assert_eq!(got, want);
}

#[test]
fn month_metadata_template_and_noise_rerender_what_they_touch() {
    let (site, mut engine) = small_site();
    // A month's title: its pages (its problems page too), the home page's
    // archive, and the neighbours' links.
    site.month("2020-02", "title: 专项工作报告\n");
    let index = site.content().join("2020-02/_index.md");
    let got = changed(engine.update(std::slice::from_ref(&index)));
    let want = in_views(&[
        "".into(),
        "2020-01/".into(),
        "2020-02/".into(),
        "2020-02/01/".into(),
        "2020-02/02/".into(),
        "2020-02/03/".into(),
        "2020-02/problems/".into(),
        "2020-03/".into(),
    ]);
    assert_eq!(got, want);
    engine.store().files().unwrap();

    // One view's page template: those pages in that view, and in mobile,
    // whose item page is made from it; print has its own.
    let builtin = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/html/item.html"),
    )
    .unwrap();
    site.write(
        "themes/default/templates/html/item.html",
        &builtin.replace(
            "{% endblock main %}",
            "<p>改过的模板</p>{% endblock main %}",
        ),
    );
    let template = site.root().join("themes/default/templates/html/item.html");
    let mut got = changed(engine.update(std::slice::from_ref(&template)));
    got.sort();
    let mut want: Vec<String> = ["", "m/"]
        .iter()
        .flat_map(|v| ["2020-01", "2020-02", "2020-03"].map(|ym| (v, ym)))
        .flat_map(|(v, ym)| (1..=3).map(move |i| format!("{v}{ym}/{i:02}/index.html")))
        .collect();
    want.sort();
    assert_eq!(got, want);
    let files = engine.store().files().unwrap();
    assert!(String::from_utf8_lossy(&files["2020-01/01/index.html"]).contains("改过的模板"));
    assert!(String::from_utf8_lossy(&files["m/2020-01/01/index.html"]).contains("改过的模板"));
    assert!(!String::from_utf8_lossy(&files["print/2020-01/01/index.html"]).contains("改过的模板"));

    // A static file of the theme: no page, only the file.
    site.write(
        "themes/default/static/gongkai.css",
        "body { color: #111; }\n",
    );
    let css = site.root().join("themes/default/static/gongkai.css");
    let update = engine.update(std::slice::from_ref(&css));
    assert!(matches!(update, Update::Unchanged), "{update:?}");
    assert_eq!(
        engine.store().make_extras().unwrap(),
        ["static/gongkai.css"]
    );

    // Editor leftovers and a save that changes nothing rebuild nothing.
    let item = site.content().join("2020-01/01.md");
    let swap = site.content().join("2020-01/.01.md.swp");
    let backup = site.content().join("2020-01/01.md~");
    fs::write(&swap, "x").unwrap();
    fs::write(&backup, "x").unwrap();
    let same = fs::read(&item).unwrap();
    fs::write(&item, same).unwrap();
    assert!(matches!(
        engine.update(&[swap, backup, item]),
        Update::Unchanged
    ));
    assert!(engine.store().stale().is_empty());
}
