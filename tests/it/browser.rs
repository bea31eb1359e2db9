//! The three views in a real browser: headless chromium reads the built site
//! from disk, as a citizen opening `public/` would. One browser and one built
//! site serve every check here, run one after another in a single test. In CI
//! (`CI=true`) a missing chromium, axe-core or pdftotext fails; elsewhere the
//! test says loudly that it was skipped.
//!
//! The site is the real July 2020 report plus a June report that was 废止 and
//! replaced by July, with a change history, so every page kind and the
//! validity notice are on it.

use std::fs;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cdp::{Browser, file_url};
use crate::common::static_server::StaticServer;
use crate::common::{self, attrs, copy_dir, real_content};
use serde_json::{Value, json};

/// A phone: the width the issue names, the height of a common handset.
const PHONE: (u32, u32) = (360, 740);
const DESKTOP: (u32, u32) = (1280, 900);
/// The views a phone can land on (print is for paper).
const SCREEN_VIEWS: [&str; 2] = ["", "m/"];
const ALL_VIEWS: [&str; 3] = ["", "print/", "m/"];

struct Site {
    _dir: tempfile::TempDir,
    public: PathBuf,
    /// Every kind of page: (what it is, its path below a view's root).
    pages: Vec<(&'static str, String)>,
}

impl Site {
    fn url(&self, view: &str, page: &str) -> String {
        file_url(&self.public.join(format!("{view}{page}index.html")))
    }
}

const JUNE_INDEX: &str = "---
title: 6月工作进展情况及7月安排
文号: 东湖管〔2020〕6号
发文日期: 2020-07-28
有效性: 废止
有效性变更日期: 2020-10-27
替代文件: 2020-07
更正记录:
  - 日期: 2020-08-03
    说明: 更正第2项的责任部门
  - 日期: 2020-08-10
    说明: 补充第3项的存在问题
---
";

fn build_site() -> Site {
    {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_owned();
        let content = root.join("content");
        fs::create_dir_all(content.join("2020-06")).unwrap();
        copy_dir(&real_content(), &content);
        let june = content.join("2020-06");
        fs::write(june.join("_index.md"), JUNE_INDEX).unwrap();
        for (stem, n, leader, project, dept) in [
            ("01", 1, "章  平", "扫黑除恶", "纪工委"),
            ("02", 2, "章  平", "防疫督查工作", "纪工委"),
            ("03", 3, "甄  别", "编制工作", "组织部"),
        ] {
            fs::write(
                june.join(format!("{stem}.md")),
                format!(
                    "---\n序号: {n}\n责任领导: \"{leader}\"\n项目名称: {project}\n责任部门: {dept}\n---\n\
                     ## 本月进度情况\n\n6月{project}按计划推进。\n\n## 存在问题\n\n无。\n\n## 7月具体进度安排\n\n继续推进{project}。\n"
                ),
            )
            .unwrap();
        }
        let public = root.join("public");
        let out = common::bin()
            .args(["build", "--content"])
            .arg(&content)
            .arg("--output")
            .arg(&public)
            .current_dir(&root)
            .output()
            .expect("run gongkai");
        assert!(
            out.status.success(),
            "build failed:\n{}",
            common::stderr(&out)
        );
        let first_link = |page: &str, css: &str, contains: &str| -> String {
            let doc =
                scraper::Html::parse_document(&fs::read_to_string(public.join(page)).unwrap());
            let href = attrs(&doc, css, "href")
                .into_iter()
                .find(|h| h.contains(contains))
                .unwrap_or_else(|| panic!("no {css} link to {contains} on {page}"));
            // From the page's folder to the view root: keep what follows the last `../`.
            href.rsplit("../")
                .next()
                .unwrap()
                .trim_end_matches("index.html")
                .to_owned()
        };
        let project = first_link("2020-07/02/index.html", ".item-fields a", "projects/");
        let department = first_link("departments/index.html", ".group-list a", "departments/");
        let leader = first_link("leaders/index.html", ".group-list a", "leaders/");
        Site {
            _dir: dir,
            pages: vec![
                ("home", String::new()),
                ("month", "2020-07/".into()),
                ("month 废止", "2020-06/".into()),
                ("problems", "2020-07/problems/".into()),
                ("item", "2020-07/01/".into()),
                ("item 废止", "2020-06/02/".into()),
                ("projects", "projects/".into()),
                ("project", project),
                ("departments", "departments/".into()),
                ("department", department),
                ("leaders", "leaders/".into()),
                ("leader", leader),
                ("search", "search/".into()),
            ],
            public,
        }
    }
}

/// Says loudly that a check could not run here; in CI, fails instead.
fn skip(what: &str, why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true: {what} must run, but {why}");
    }
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    let _ = writeln!(
        std::io::stderr(),
        "\n******** SKIPPED: {what}: {why} (install it as .ci/run does) ********\n"
    );
}

/// One browser check: it panics to fail.
type Check = fn(&mut Browser, &Site);

/// Every check, one after another in one browser; all failures are reported together.
#[test]
fn the_views_in_a_real_browser() {
    let site = build_site();
    let Some(mut b) = Browser::launch("the_views_in_a_real_browser") else {
        return;
    };
    let checks: [(&str, Check); 10] = [
        (
            "no horizontal scrolling at 360 px",
            nothing_is_wider_than_a_360px_phone,
        ),
        (
            "axe-core, WCAG 2.1 AA",
            axe_finds_no_wcag_21_aa_violations_in_any_view_with_or_without_elder_mode,
        ),
        (
            "mobile text and tap targets",
            mobile_text_is_large_and_every_control_is_a_44px_target,
        ),
        (
            "字号 and 长者模式",
            text_size_and_elder_mode_work_by_keyboard_and_are_remembered_across_pages,
        ),
        (
            "语音朗读, 大鼠标, 十字线, 大字幕",
            accessibility_tools_work_by_keyboard_are_remembered_and_pass_axe,
        ),
        (
            "layout shift while the page script runs",
            nothing_moves_when_the_page_script_runs_in_any_view_with_or_without_elder_mode,
        ),
        ("script off", pages_are_complete_with_script_off),
        (
            "[打印] and [关闭]",
            print_button_prints_and_close_appears_only_where_a_script_may_close,
        ),
        (
            "printing the July report",
            the_july_report_prints_on_landscape_a4_with_its_header_on_every_page,
        ),
        (
            "printing the timelines",
            timelines_print_in_black_with_shapes_that_differ,
        ),
    ];
    let mut failed = Vec::new();
    for (name, check) in checks {
        // A fresh window for each check, whatever the last one left behind.
        b.open_window("about:blank");
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| check(&mut b, &site))) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(format!("--- {name} ---\n{msg}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} checks failed:\n{}",
        failed.len(),
        checks.len(),
        failed.join("\n")
    );
}

/// Sets the remembered reading settings as the page script stores them, then reloads.
fn set_reading(tab: &mut Browser, size: &str, elder: bool) {
    let state = json!({ "size": size, "elder": elder }).to_string();
    tab.eval(&format!(
        "localStorage.setItem('gongkai', {})",
        json!(state)
    ));
    let url = tab.eval("location.href").as_str().unwrap().to_owned();
    tab.goto(&url);
}

fn reading(tab: &mut Browser) -> (String, String) {
    let v = tab.eval("[document.documentElement.dataset.size || '', document.documentElement.dataset.elder || '']");
    (
        v[0].as_str().unwrap().to_owned(),
        v[1].as_str().unwrap().to_owned(),
    )
}

fn nothing_is_wider_than_a_360px_phone(tab: &mut Browser, site: &Site) {
    tab.set_viewport(PHONE.0, PHONE.1);
    tab.goto(&site.url("", ""));
    let mut failures = Vec::new();
    // Default text, 长者模式, and the largest text there is (大 + 长者模式).
    for (size, elder) in [("", false), ("", true), ("large", true)] {
        set_reading(tab, size, elder);
        for view in SCREEN_VIEWS {
            for (kind, page) in &site.pages {
                tab.goto(&site.url(view, page));
                assert_eq!(
                    reading(tab),
                    (
                        size.to_owned(),
                        if elder { "on".into() } else { String::new() }
                    )
                );
                let w = tab
                    .eval("document.documentElement.scrollWidth")
                    .as_u64()
                    .unwrap();
                if w > u64::from(PHONE.0) {
                    let wide = tab.eval(WIDEST_ELEMENTS);
                    failures.push(format!(
                        "{view}{page} ({kind}, 字号 {size:?}, 长者模式 {elder}): scrollWidth {w}; widest: {wide}"
                    ));
                }
            }
        }
    }
    set_reading(tab, "", false);
    assert!(
        failures.is_empty(),
        "pages scroll sideways at 360 px:\n{}",
        failures.join("\n")
    );
}

/// Names the elements sticking out on the right, to say what to fix.
/// What sticks out past the right edge: elements, and text that overflows its box.
const WIDEST_ELEMENTS: &str = "(() => { const w = document.documentElement.clientWidth + 0.5;
  const els = Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > w)
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' → ' + Math.round(e.getBoundingClientRect().right));
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let n = walk.nextNode(); n && texts.length < 5; n = walk.nextNode()) {
    const r = document.createRange(); r.selectNodeContents(n);
    const right = Math.max(0, ...Array.from(r.getClientRects()).map(x => x.right));
    if (right > w) texts.push(JSON.stringify(n.textContent.slice(0, 40)) + ' in ' + n.parentElement.tagName + '.' + n.parentElement.className + ' → ' + Math.round(right));
  }
  return els.concat(texts); })()";

fn axe_source() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    match fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            skip(
                "axe-core accessibility checks",
                &format!(
                    "{} is missing: run `npm ci --prefix tests/browser`",
                    path.display()
                ),
            );
            None
        }
    }
}

/// Runs axe-core on the loaded page with the WCAG 2.1 A/AA rules; returns the violations.
fn axe(tab: &mut Browser, source: &str) -> Vec<Value> {
    tab.eval(source);
    let v = tab.eval(
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                             resultTypes: ['violations'] })
           .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + n.failureSummary) })))",
    );
    v.as_array()
        .cloned()
        .unwrap_or_else(|| panic!("axe.run gave no list: {v}"))
}

fn axe_finds_no_wcag_21_aa_violations_in_any_view_with_or_without_elder_mode(
    tab: &mut Browser,
    site: &Site,
) {
    let Some(source) = axe_source() else {
        return;
    };
    tab.set_viewport(DESKTOP.0, DESKTOP.1);
    tab.goto(&site.url("", ""));
    let mut failures = Vec::new();
    let mut checked = 0;
    for elder in [false, true] {
        set_reading(tab, "", elder);
        for view in ALL_VIEWS {
            // Each view at the size it is made for.
            let (w, h) = if view == "m/" { PHONE } else { DESKTOP };
            tab.set_viewport(w, h);
            for (kind, page) in &site.pages {
                tab.goto(&site.url(view, page));
                assert_eq!(
                    reading(tab).1 == "on",
                    elder,
                    "长者模式 not applied on {view}{page}"
                );
                for v in axe(tab, &source) {
                    failures.push(format!("{view}{page} ({kind}, 长者模式 {elder}): {v:#}"));
                }
                checked += 1;
            }
        }
    }
    set_reading(tab, "", false);
    assert_eq!(checked, 2 * ALL_VIEWS.len() * site.pages.len());
    assert!(
        failures.is_empty(),
        "axe-core found {} violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn mobile_text_is_large_and_every_control_is_a_44px_target(tab: &mut Browser, site: &Site) {
    tab.set_viewport(PHONE.0, PHONE.1);
    tab.goto(&site.url("m/", ""));
    let mut failures = Vec::new();
    for (elder, min_px) in [(false, 16.0), (true, 18.0)] {
        set_reading(tab, "", elder);
        for (kind, page) in &site.pages {
            tab.goto(&site.url("m/", page));
            let small = tab.eval(&format!("({SMALL_TEXT})({min_px})"));
            if !small.as_array().expect("a list").is_empty() {
                failures.push(format!(
                    "m/{page} ({kind}, 长者模式 {elder}): text under {min_px}px: {small}"
                ));
            }
            let tiny = tab.eval(SMALL_TARGETS);
            if !tiny.as_array().expect("a list").is_empty() {
                failures.push(format!(
                    "m/{page} ({kind}, 长者模式 {elder}): targets under 44×44: {tiny}"
                ));
            }
        }
    }
    set_reading(tab, "", false);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Elements whose own visible text is smaller than the argument (px), as
/// drawn: text in an SVG is scaled by the drawing's transform.
const SMALL_TEXT: &str = "(min) => { const px = e => parseFloat(getComputedStyle(e).fontSize)
    * (e instanceof SVGGraphicsElement && e.getScreenCTM() ? e.getScreenCTM().a : 1);
  return Array.from(document.querySelectorAll('body *'))
  .filter(e => Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
  .filter(e => e.getClientRects().length && !e.closest('.visually-hidden') && !e.closest('title'))
  .filter(e => px(e) < min)
  .slice(0, 5).map(e => e.tagName + '.' + e.getAttribute('class') + ' ' + px(e).toFixed(1) + 'px “' + e.textContent.trim().slice(0, 12) + '”') }";

/// Links, buttons and fields outside running text smaller than 44×44 CSS px.
const SMALL_TARGETS: &str = "Array.from(document.querySelectorAll('a[href], button, input, select, summary'))
  .filter(e => e.getClientRects().length && !e.closest('.prose'))
  .filter(e => { const r = e.getBoundingClientRect(); return r.width < 43.5 || r.height < 43.5; })
  .slice(0, 5).map(e => { const r = e.getBoundingClientRect();
    return e.tagName + ' “' + e.textContent.trim().slice(0, 12) + '” ' + Math.round(r.width) + '×' + Math.round(r.height); })";

fn text_size_and_elder_mode_work_by_keyboard_and_are_remembered_across_pages(
    tab: &mut Browser,
    site: &Site,
) {
    tab.set_viewport(DESKTOP.0, DESKTOP.1);
    tab.goto(&site.url("", "2020-07/"));
    set_reading(tab, "", false);
    let root_px = |tab: &mut Browser| {
        tab.eval("getComputedStyle(document.documentElement).fontSize")
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(root_px(tab), "18px");
    let focus = |tab: &mut Browser, css: &str| {
        for _ in 0..60 {
            tab.press("Tab");
            if tab.eval(&format!("document.activeElement.matches({})", json!(css))) == json!(true) {
                return;
            }
        }
        panic!("Tab never reached {css}");
    };
    focus(tab, "button[data-size=large]");
    tab.press("Enter");
    assert_eq!(reading(tab).0, "large");
    assert_eq!(root_px(tab), "22px");
    assert_eq!(
        tab.eval("document.querySelector('button[data-size=large]').getAttribute('aria-pressed')"),
        json!("true")
    );
    focus(tab, "button.elder-toggle");
    tab.press(" ");
    assert_eq!(reading(tab), ("large".into(), "on".into()));
    assert_eq!(root_px(tab), "28px");
    // Another page, in another view: the choice is already applied.
    tab.goto(&site.url("m/", "2020-07/01/"));
    assert_eq!(reading(tab), ("large".into(), "on".into()));
    assert_eq!(root_px(tab), "28px");
    assert_eq!(
        tab.eval("document.querySelector('.elder-toggle').getAttribute('aria-pressed')"),
        json!("true")
    );
    // Back to 中 and off, by keyboard again.
    focus(tab, "button[data-size='']");
    tab.press("Enter");
    focus(tab, "button.elder-toggle");
    tab.press("Enter");
    assert_eq!(reading(tab), (String::new(), String::new()));
    assert_eq!(root_px(tab), "18px");
    tab.goto(&site.url("", ""));
    assert_eq!(root_px(tab), "18px");
}

/// How late the server answers for a script: long enough that the page paints
/// before its deferred scripts run, as on a slow phone connection.
const SCRIPT_DELAY: std::time::Duration = std::time::Duration::from_millis(300);
/// The most a page may move, in total, while it loads (Lighthouse calls up to 0.1 good).
const MAX_LAYOUT_SHIFT: f64 = 0.05;

/// The layout shifts of the loaded page (`layout-shift` entries, buffered),
/// summed; and what moved. No test input happens meanwhile, but chromium marks
/// shifts `hadRecentInput` for a while after a phone's viewport is emulated, so
/// (as Lighthouse does) they count all the same.
const LAYOUT_SHIFTS: &str = "new Promise(done => {
  const seen = [];
  const po = new PerformanceObserver(list => seen.push(...list.getEntries()));
  po.observe({ type: 'layout-shift', buffered: true });
  setTimeout(() => {
    seen.push(...po.takeRecords());
    po.disconnect();
    done({ total: seen.reduce((sum, e) => sum + e.value, 0),
           moved: seen.flatMap(e => e.sources.map(s => s.node ? s.node.nodeName + '.' + (s.node.className || '') : '?')).slice(0, 6) });
  }, 250);
})";

/// When the page first painted and when gongkai.js arrived (ms, or null).
const PAINT_AND_SCRIPT: &str = "(() => {
  const paint = performance.getEntriesByName('first-paint')[0];
  const script = performance.getEntriesByType('resource').find(r => r.name.endsWith('/gongkai.js'));
  return [paint ? paint.startTime : null, script ? script.responseEnd : null]; })()";

/// Whether the loaded page painted before its script arrived, else when each happened.
fn painted_before_script(tab: &mut Browser) -> Result<(), Value> {
    let v = tab.eval(PAINT_AND_SCRIPT);
    match (v[0].as_f64(), v[1].as_f64()) {
        (Some(paint), Some(script)) if paint < script => Ok(()),
        _ => Err(v),
    }
}

/// The script-only controls the <head> script's marks show or hide otherwise
/// than gongkai.js, which decides again (so that it still does where a
/// Content-Security-Policy refuses the inline script): visible must mean that
/// gongkai.js took `hidden` away.
const SHOWN_IFF_UNHIDDEN: &str = "Array.from(document.querySelectorAll('[data-needs-script], [data-needs-speech], [data-close]'))
  .filter(e => (e.getClientRects().length > 0) === !!e.closest('[hidden]'))
  .map(e => e.outerHTML.slice(0, 80))";

/// Issue 32: the reading tools hold their place from the first paint, and the
/// 字号 and 长者模式 a reader chose are there before it, so nothing moves when
/// gongkai.js runs. Served over HTTP with its scripts late, every page kind, in
/// every view, on a phone and (the html view) a desktop, 长者模式 off and on, in a
/// tab with history ([关闭] hidden) and in a fresh window ([关闭] shown).
fn nothing_moves_when_the_page_script_runs_in_any_view_with_or_without_elder_mode(
    tab: &mut Browser,
    site: &Site,
) {
    let server = StaticServer::start(&site.public, SCRIPT_DELAY, None);
    let mut failures = Vec::new();
    let mut record = |tab: &mut Browser, what: String| {
        let agree = tab.eval(SHOWN_IFF_UNHIDDEN);
        if agree != json!([]) {
            failures.push(format!(
                "{what}: shown by the CSS but not by gongkai.js, or the other way round: {agree}"
            ));
        }
        let v = tab.eval(LAYOUT_SHIFTS);
        let total = v["total"].as_f64().expect("a sum");
        if total > MAX_LAYOUT_SHIFT {
            failures.push(format!(
                "{what}: layout shift {total:.3}, moved: {}",
                v["moved"]
            ));
        }
    };
    let mut loads = 0;
    tab.goto(&server.url(""));
    for elder in [false, true] {
        set_reading(tab, "", elder);
        for (view, (w, h)) in [("", PHONE), ("", DESKTOP), ("print/", PHONE), ("m/", PHONE)] {
            tab.set_viewport(w, h);
            for (kind, page) in &site.pages {
                // Layout shifts are only reported after a first paint: the page must
                // paint before its script runs, or the check proves nothing. On a
                // busy machine it may not within SCRIPT_DELAY: load it again.
                let mut times = Vec::new();
                let painted = (0..3).any(|_| {
                    tab.goto(&server.url(&format!("{view}{page}")));
                    painted_before_script(tab)
                        .map_err(|v| times.push(v))
                        .is_ok()
                });
                assert!(
                    painted,
                    "{view}{page}: never painted before gongkai.js arrived (first paint, script, ms: {times:?})"
                );
                assert_eq!(
                    reading(tab).1 == "on",
                    elder,
                    "长者模式 not applied on {view}{page}"
                );
                record(
                    tab,
                    format!("{view}{page} ({kind}, {w}×{h}, 长者模式 {elder})"),
                );
                loads += 1;
            }
        }
        // A fresh window (as a QR code or [打印] opens one): [关闭] shows too.
        for view in ALL_VIEWS {
            let url = server.url(&format!("{view}2020-07/"));
            let mut times = Vec::new();
            let painted = (0..3).any(|_| {
                tab.open_window(&url);
                painted_before_script(tab)
                    .map_err(|v| times.push(v))
                    .is_ok()
            });
            assert!(
                painted,
                "{url}: never painted before gongkai.js arrived (first paint, script, ms: {times:?})"
            );
            assert_eq!(tab.eval("history.length"), json!(1));
            let close = "Array.from(document.querySelectorAll('[data-close]')).filter(e => e.getClientRects().length).length";
            assert_eq!(
                tab.eval(close),
                json!(1),
                "{view}2020-07/: [关闭] missing in a fresh window"
            );
            record(
                tab,
                format!("{view}2020-07/ (a fresh window, 长者模式 {elder})"),
            );
        }
    }
    set_reading(tab, "", false);
    assert_eq!(loads, 2 * 4 * site.pages.len());
    assert!(
        failures.is_empty(),
        "pages move after the first paint (more than {MAX_LAYOUT_SHIFT}), or the controls shown disagree:\n{}",
        failures.join("\n")
    );
    // A portal's Content-Security-Policy that refuses inline script: the page may
    // move (the settings and marks come late), but gongkai.js shows and binds
    // every control all the same, [关闭] in a fresh window too.
    let strict = StaticServer::start(
        &site.public,
        std::time::Duration::ZERO,
        Some("script-src 'self'"),
    );
    for view in ALL_VIEWS {
        tab.open_window(&strict.url(&format!("{view}2020-07/")));
        let v = tab.eval(&format!(
            "({{ marked: document.documentElement.dataset.js !== undefined,
                shown: Array.from(document.querySelectorAll('[data-needs-script], [data-close]')).filter(e => e.getClientRects().length).length,
                disagree: {SHOWN_IFF_UNHIDDEN} }})"
        ));
        assert_eq!(
            v["marked"],
            json!(false),
            "{view}: the inline script ran despite the policy"
        );
        let controls = if view == "print/" { 2 } else { 4 };
        assert_eq!(
            v["shown"],
            json!(controls),
            "{view}: controls missing under a CSP"
        );
        assert_eq!(v["disagree"], json!([]), "{view}");
    }
}

fn pages_are_complete_with_script_off(tab: &mut Browser, site: &Site) {
    tab.set_viewport(PHONE.0, PHONE.1);
    tab.call(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    );
    for view in ALL_VIEWS {
        tab.goto(&site.url(view, "2020-07/"));
        let v = tab.eval(
            "({ text: document.body.innerText.includes('截止现在,扶贫领域无腐败和作风问题'),
                shown: Array.from(document.querySelectorAll('[data-needs-script], [data-close]')).filter(e => e.getClientRects().length).length,
                size: document.documentElement.dataset.size === undefined })",
        );
        assert_eq!(
            v["text"],
            json!(true),
            "{view}: report text not readable without script"
        );
        assert_eq!(
            v["shown"],
            json!(0),
            "{view}: script-only controls shown without script"
        );
        assert_eq!(
            v["size"],
            json!(true),
            "{view}: the page script ran although scripts were off"
        );
    }
}

fn print_button_prints_and_close_appears_only_where_a_script_may_close(
    tab: &mut Browser,
    site: &Site,
) {
    // [打印] on the html page opens the print view in a new window.
    tab.set_viewport(DESKTOP.0, DESKTOP.1);
    tab.goto(&site.url("", "2020-07/"));
    let link = tab.eval("(() => { const a = document.querySelector('a.print-link'); return [a.href, a.target]; })()");
    assert_eq!(link, json!([site.url("print/", "2020-07/"), "_blank"]));
    // A window opened on the print view has nothing to go back to: [关闭] works there.
    tab.open_window(&site.url("print/", "2020-07/"));
    tab.set_viewport(DESKTOP.0, DESKTOP.1);
    let visible = "Array.from(document.querySelectorAll('[data-close]')).filter(e => e.getClientRects().length).length";
    assert_eq!(
        tab.eval(visible),
        json!(1),
        "[关闭] missing in a fresh window"
    );
    tab.eval("window.__printed = 0; window.print = () => { window.__printed += 1; }");
    tab.eval("document.querySelector('button[data-print]').click()");
    assert_eq!(
        tab.eval("window.__printed"),
        json!(1),
        "打印本页 does not call window.print()"
    );
    // After following a link a script may no longer close the window: no [关闭].
    tab.goto(&site.url("print/", "2020-07/01/"));
    assert_eq!(tab.eval("history.length"), json!(2));
    assert_eq!(
        tab.eval(visible),
        json!(0),
        "[关闭] shown where window.close() cannot work"
    );
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdftotext(pdf: &Path) -> Option<Vec<String>> {
    let out = match Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
    {
        Ok(o) => o,
        Err(_) => {
            skip(
                "printing the July report",
                "pdftotext (Debian's poppler-utils) is not installed",
            );
            return None;
        }
    };
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 text");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

/// Page sizes in points, (width, height), from `pdfinfo`.
fn pdf_page_sizes(pdf: &Path, pages: usize) -> Vec<(f64, f64)> {
    let out = Command::new("pdfinfo")
        .args(["-f", "1", "-l", &pages.to_string()])
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let nums: Vec<f64> = l
                .split_once("size:")
                .unwrap()
                .1
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (nums[0], nums[1])
        })
        .collect()
}

fn the_july_report_prints_on_landscape_a4_with_its_header_on_every_page(
    tab: &mut Browser,
    site: &Site,
) {
    let header = [
        "序号",
        "责任领导",
        "项目名称",
        "责任部门",
        "本月进度情况",
        "存在问题",
        "8月具体进度安排",
    ];
    let chrome = [
        "跳到正文",
        "网站导航",
        "首页",
        "字号",
        "长者模式",
        "[打印]",
        "[关闭]",
        "打印本页",
        "返回电脑版",
        "电脑版",
        "手机版",
        "上一月",
        "下一月",
    ];
    let pdf_dir = tempfile::tempdir().unwrap();
    // The print view, and the html page printed from the browser's menu.
    for view in ["print/", ""] {
        tab.set_viewport(DESKTOP.0, DESKTOP.1);
        tab.goto(&site.url(view, "2020-07/"));
        let pdf = pdf_dir
            .path()
            .join(format!("july-{}.pdf", view.trim_end_matches('/')));
        fs::write(&pdf, tab.pdf()).unwrap();
        let Some(pages) = pdftotext(&pdf) else {
            return;
        };
        assert!(
            pages.len() > 1,
            "{view}: the 68-row report fits on {} page",
            pages.len()
        );
        // pdftotext lays text out with spaces of its own: compare without any.
        let pages: Vec<String> = pages.iter().map(|p| squash(p)).collect();
        for (i, text) in pages.iter().enumerate() {
            for h in header {
                assert!(
                    text.contains(h),
                    "{view}: page {} lacks the table header {h}:\n{text}",
                    i + 1
                );
            }
            for c in chrome {
                assert!(
                    !text.contains(c),
                    "{view}: page {} prints navigation “{c}”:\n{text}",
                    i + 1
                );
            }
        }
        // The metadata header opens the first page; the page's address and
        // the QR code are printed (the print view puts them on top).
        for want in [
            "文号",
            "发文日期2020-10-27",
            "发布机构",
            "有效性有效",
            "标题7月工作进展情况及8月安排",
        ] {
            assert!(
                pages[0].contains(want),
                "{view}: {want} not on page 1:\n{}",
                pages[0]
            );
        }
        let all = pages.concat();
        let top = if view == "print/" { &pages[0] } else { &all };
        for want in [
            "本页网址：https://example.gov.cn/donghu/2020-07/",
            "扫一扫在手机上查看当前页面",
        ] {
            assert!(top.contains(want), "{view}: {want} not printed");
        }
        // Every row is printed, the first and the last.
        assert!(
            all.contains("截止现在,扶贫领域无腐败和作风问题") && all.contains("智慧旅游"),
            "{view}: rows missing"
        );
        for (w, h) in pdf_page_sizes(&pdf, pages.len()) {
            assert!(
                (w - 842.0).abs() < 2.0 && (h - 595.0).abs() < 2.0,
                "{view}: page is {w}×{h} pt, not landscape A4"
            );
        }
    }
}

/// Each mark's shape (its path's commands) and paint, as printed.
const MARK_PAINT: &str = "Array.from(document.querySelectorAll('svg.tl path')).map(p => {
  const s = getComputedStyle(p);
  return [p.getAttribute('class') || '', p.getAttribute('d').replace(/[^a-zA-Z]/g, '').slice(0, 6), s.fill, s.stroke]; })";

fn timelines_print_in_black_with_shapes_that_differ(tab: &mut Browser, site: &Site) {
    let page = |kind: &str| {
        site.pages
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, p)| p.clone())
            .unwrap()
    };
    let pdf_dir = tempfile::tempdir().unwrap();
    for (kind, legend) in [
        ("project", "有报告且存在问题"),
        ("department", "实心部分为其中存在问题的事项"),
    ] {
        tab.set_viewport(DESKTOP.0, DESKTOP.1);
        tab.goto(&site.url("print/", &page(kind)));
        tab.call("Emulation.setEmulatedMedia", json!({ "media": "print" }));
        let marks = tab.eval(MARK_PAINT);
        tab.call("Emulation.setEmulatedMedia", json!({ "media": "" }));
        let marks = marks.as_array().expect("a list").clone();
        assert!(!marks.is_empty(), "{kind}: no drawing");
        let black = "rgb(0, 0, 0)";
        for m in &marks {
            let (class, fill, stroke) = (
                m[0].as_str().unwrap(),
                m[2].as_str().unwrap(),
                m[3].as_str().unwrap(),
            );
            match class {
                // Reported and problem marks are solid black; outlines black on white.
                "" | "tl-p" => assert_eq!(fill, black, "{kind}: {m}"),
                "tl-n" | "tl-line" => assert_eq!((fill, stroke), ("none", black), "{kind}: {m}"),
                "tl-b" => assert_eq!((fill, stroke), ("rgb(255, 255, 255)", black), "{kind}: {m}"),
                other => panic!("{kind}: unexpected mark {other}"),
            }
        }
        if kind == "project" {
            // In black, a problem month still differs by shape: a triangle, not a square.
            let shape = |class: &str| {
                marks
                    .iter()
                    .find(|m| m[0] == class)
                    .map(|m| m[1].as_str().unwrap().to_owned())
            };
            let square = shape("").expect("a month reported without problems");
            let triangle = shape("tl-p").expect("a month with problems");
            assert!(square.starts_with("Mhvhz"), "{square}");
            assert!(triangle.starts_with("Mlhz"), "{triangle}");
        }
        let pdf = pdf_dir.path().join(format!("{kind}.pdf"));
        fs::write(&pdf, tab.pdf()).unwrap();
        let Some(pages) = pdftotext(&pdf) else {
            return;
        };
        let all = squash(&pages.concat());
        // The drawing's year and month numbers and its legend are printed as text.
        for want in ["2020年", "123456789101112", legend] {
            assert!(all.contains(want), "{kind}: {want} not printed:\n{all}");
        }
    }
}

/// Stands in for the browser's speech synthesis: records what would be said.
const SPEECH_STUB: &str = "(() => {
  const synth = { speaking: false, pending: false,
    speak(u) { window.__spoken.push({ text: u.text, lang: u.lang }); this.speaking = true; },
    cancel() { window.__cancelled += 1; this.speaking = false; },
    getVoices() { return []; } };
  window.__spoken = []; window.__cancelled = 0;
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
})();";

/// A browser without speech synthesis.
const NO_SPEECH: &str = "Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: undefined, configurable: true });";

/// Presses Tab until `css` has the focus (no press when it has it already).
fn focus(tab: &mut Browser, css: &str) {
    for _ in 0..80 {
        if tab.eval(&format!("document.activeElement.matches({})", json!(css))) == json!(true) {
            return;
        }
        tab.press("Tab");
    }
    panic!("Tab never reached {css}");
}

fn pressed(tab: &mut Browser, css: &str) -> bool {
    tab.eval(&format!(
        "document.querySelector({}).getAttribute('aria-pressed')",
        json!(css)
    )) == json!("true")
}

fn mouse_to(tab: &mut Browser, x: f64, y: f64) {
    tab.call(
        "Input.dispatchMouseEvent",
        json!({ "type": "mouseMoved", "x": x, "y": y }),
    );
}

/// The centre of the first element matching `css`, in viewport px.
fn centre(tab: &mut Browser, css: &str) -> (f64, f64) {
    let v = tab.eval(&format!(
        "(() => {{ const e = document.querySelector({}); e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }})()",
        json!(css)
    ));
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

fn accessibility_tools_work_by_keyboard_are_remembered_and_pass_axe(
    tab: &mut Browser,
    site: &Site,
) {
    tab.set_viewport(DESKTOP.0, DESKTOP.1);
    tab.goto(&site.url("", "2020-07/"));
    set_reading(tab, "", false);
    let month = site.url("", "2020-07/");

    // Without speech synthesis there is no 语音朗读, the other tools remain.
    // (Scripts for new documents run only once the page domain is on.)
    tab.call("Page.enable", json!({}));
    let id = tab.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": NO_SPEECH }),
    )["identifier"]
        .clone();
    // Away first: a navigation to the page already open could be read before it commits.
    tab.goto("about:blank");
    tab.goto(&month);
    let shown = "(css) => Array.from(document.querySelectorAll(css)).filter(e => e.getClientRects().length).length";
    assert_eq!(
        tab.eval(&format!("({shown})('.speech-tools, button[data-speech]')")),
        json!(0),
        "语音朗读 shown without speech synthesis"
    );
    assert_eq!(
        tab.eval(&format!("({shown})('button[data-tool]')")),
        json!(3)
    );
    tab.call(
        "Page.removeScriptToEvaluateOnNewDocument",
        json!({ "identifier": id }),
    );

    // 连读: the whole report, in zh-CN; Esc stops it, and so does a second press.
    tab.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": SPEECH_STUB }),
    );
    tab.goto("about:blank");
    tab.goto(&month);
    focus(tab, "button[data-speech=all]");
    tab.press("Enter");
    assert!(pressed(tab, "button[data-speech=all]"));
    let spoken = tab.eval("window.__spoken");
    let spoken = spoken.as_array().expect("a list");
    assert!(spoken.len() > 1, "连读 queued {} pieces", spoken.len());
    assert!(
        spoken.iter().all(|u| u["lang"] == json!("zh-CN")),
        "{spoken:?}"
    );
    let all: String = spoken.iter().map(|u| u["text"].as_str().unwrap()).collect();
    for part in [
        "7月工作进展情况及8月安排",
        "截止现在,扶贫领域无腐败和作风问题",
    ] {
        assert!(all.contains(part), "连读 did not read {part}");
    }
    tab.press("Escape");
    assert!(!pressed(tab, "button[data-speech=all]"), "Esc did not stop");
    assert!(tab.eval("window.__cancelled").as_u64().unwrap() >= 2);
    tab.press("Enter");
    assert!(pressed(tab, "button[data-speech=all]"));
    let before = tab.eval("window.__cancelled").as_u64().unwrap();
    tab.press("Enter");
    assert!(
        !pressed(tab, "button[data-speech=all]"),
        "a second press did not stop"
    );
    assert!(tab.eval("window.__cancelled").as_u64().unwrap() > before);

    // 指读: what gets the focus, then what is under the pointer.
    focus(tab, "button[data-speech=point]");
    tab.press("Enter");
    assert!(pressed(tab, "button[data-speech=point]"));
    tab.eval("window.__spoken.length = 0");
    tab.press("Tab");
    let last =
        "(() => { const s = window.__spoken; return s.length ? s[s.length - 1].text : null; })()";
    assert_eq!(tab.eval(last), json!("大鼠标"));
    let (x, y) = centre(tab, "main h1");
    mouse_to(tab, x, y);
    assert_eq!(
        tab.eval(last),
        tab.eval("document.querySelector('main h1').innerText.replace(/\\s+/g, ' ').trim()")
    );

    // 大鼠标, 十字线, 大字幕, each by keyboard.
    for tool in ["cursor", "cross", "caption"] {
        focus(tab, &format!("button[data-tool={tool}]"));
        tab.press(" ");
        assert!(pressed(tab, &format!("button[data-tool={tool}]")), "{tool}");
    }
    let cursor = tab.eval("getComputedStyle(document.querySelector('main a')).cursor");
    assert!(
        cursor
            .as_str()
            .unwrap()
            .starts_with("url(\"data:image/svg+xml"),
        "大鼠标: {cursor}"
    );
    mouse_to(tab, 300.0, 200.0);
    let lines = tab.eval(
        "['.cross-h', '.cross-v'].map(c => { const r = document.querySelector(c).getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)]; })",
    );
    assert_eq!(lines[0][1], json!(199), "十字线 horizontal: {lines}");
    let screen =
        tab.eval("[document.documentElement.clientWidth, document.documentElement.clientHeight]");
    assert_eq!(lines[0][2], screen[0], "十字线 horizontal: {lines}");
    assert_eq!(lines[1][0], json!(299), "十字线 vertical: {lines}");
    assert_eq!(lines[1][3], screen[1], "十字线 vertical: {lines}");
    tab.eval("Array.from(document.querySelectorAll('main td p')).find(p => p.innerText.includes('扶贫领域无腐败')).setAttribute('data-probe', '')");
    let (x, y) = centre(tab, "[data-probe]");
    mouse_to(tab, x, y);
    let caption = tab.eval(
        "(() => { const p = document.querySelector('.caption-panel'); return [p.textContent, parseFloat(getComputedStyle(p).fontSize), p.getClientRects().length]; })()",
    );
    assert_eq!(caption[2], json!(1), "大字幕 not shown");
    assert!(caption[1].as_f64().unwrap() >= 32.0, "大字幕 {caption}");
    assert_eq!(caption[0], json!("截止现在,扶贫领域无腐败和作风问题。"));
    // The keyboard focus is captioned too.
    tab.press("Tab");
    assert_eq!(
        tab.eval("document.querySelector('.caption-panel').textContent"),
        tab.eval("document.activeElement.innerText.replace(/\\s+/g, ' ').trim()")
    );

    // Remembered on another page, in another view; axe still finds nothing.
    let source = axe_source();
    let mut failures = Vec::new();
    for (view, page) in [
        ("", ""),
        ("", "2020-07/01/"),
        ("m/", "2020-07/"),
        ("m/", ""),
    ] {
        let (w, h) = if view == "m/" { PHONE } else { DESKTOP };
        tab.set_viewport(w, h);
        tab.goto(&site.url(view, page));
        let on = tab
            .eval("['cursor', 'cross', 'caption'].map(t => document.documentElement.dataset[t])");
        assert_eq!(on, json!(["on", "on", "on"]), "{view}{page}");
        assert!(pressed(tab, "button[data-speech=point]"), "{view}{page}");
        let w = tab
            .eval("document.documentElement.scrollWidth")
            .as_u64()
            .unwrap();
        assert!(
            w <= u64::from(tab_width(view)),
            "{view}{page}: scrollWidth {w}"
        );
        if let Some(source) = &source {
            for v in axe(tab, source) {
                failures.push(format!("{view}{page} (tools on): {v:#}"));
            }
        }
        // Nothing but the site's own files is loaded.
        let foreign = tab.eval("performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('file:'))");
        assert_eq!(foreign, json!([]), "{view}{page}");
    }
    assert!(
        failures.is_empty(),
        "axe-core with the tools on:\n{}",
        failures.join("\n")
    );
    tab.goto(&site.url("", ""));
    set_reading(tab, "", false);
}

fn tab_width(view: &str) -> u32 {
    if view == "m/" { PHONE.0 } else { DESKTOP.0 }
}
