//! Search on the real July 2020 report, in a real browser: queries are typed
//! into the built search page and the results read back from the DOM.

use std::path::Path;
use std::time::Duration;

use std::sync::OnceLock;

use crate::cdp::{self, Browser, file_url};
use crate::common::search::{Folded, sample_queries};
use crate::common::{self, attrs, texts};
use gongkai::BuildOptions;
use gongkai::internals::{SearchIndex, build_search_index, searched_texts};
use serde_json::Value;

/// The real content's output, built once for the whole run and only read here.
fn public() -> &'static Path {
    common::real_public()
}

/// The real report's search index and its items' searched texts, in id order.
fn real_index() -> &'static (SearchIndex, Vec<Vec<String>>) {
    static INDEX: OnceLock<(SearchIndex, Vec<Vec<String>>)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let opts = BuildOptions {
            content: common::real_content(),
            ..BuildOptions::default()
        };
        let (site, _, _) = gongkai::load(&opts).expect("the real content loads");
        (build_search_index(&site), searched_texts(&site))
    })
}

/// The queries the issue found wrong, with the number of the real July
/// report's items that hold each as typed.
const EXACT_CASES: [(&str, usize); 3] = [("5人", 1), ("1户", 1), ("4个", 3)];

#[derive(Debug)]
struct Hit {
    project: String,
    href: String,
    /// The link resolved by the browser.
    url: String,
    meta: String,
    snippet_html: String,
    project_html: String,
}

struct Results {
    status: String,
    hits: Vec<Hit>,
    /// Index files the page loaded, e.g. `index terms/0003 docs/0001`.
    loaded: Vec<String>,
}

/// Waits for the search to finish and reads what the page shows.
fn read_results(b: &mut Browser) -> Results {
    let done = "(function(){var s=document.getElementById('search-status').textContent;\
        return s && s !== '正在搜索…' && (!s.startsWith('找到') || document.querySelectorAll('.search-hit').length > 0);})()";
    assert!(
        b.wait_for(done, Duration::from_secs(20)),
        "search did not finish"
    );
    let v = b.eval(
        "({status: document.getElementById('search-status').textContent,\
          loaded: document.getElementById('search-results').getAttribute('data-loaded') || '',\
          hits: Array.from(document.querySelectorAll('.search-hit')).map(function(li){\
            var a = li.querySelector('h2 a');\
            return {project: a.textContent, href: a.getAttribute('href'), url: a.href, project_html: a.innerHTML,\
                    meta: li.querySelector('.hit-meta').textContent,\
                    snippet: li.querySelector('.hit-snippet').innerHTML};})})",
    );
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    Results {
        status: s(&v["status"]),
        loaded: s(&v["loaded"])
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        hits: v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| Hit {
                project: s(&h["project"]),
                href: s(&h["href"]),
                url: s(&h["url"]),
                meta: s(&h["meta"]),
                snippet_html: s(&h["snippet"]),
                project_html: s(&h["project_html"]),
            })
            .collect(),
    }
}

/// Opens a view's search page, types the query into the box and presses Enter.
fn type_query(b: &mut Browser, page: &str, query: &str) -> Results {
    b.goto(&file_url(&public().join(page)));
    b.eval("document.getElementById('q').focus()");
    b.type_text(query);
    b.press("Enter");
    read_results(b)
}

fn projects(r: &Results) -> Vec<&str> {
    r.hits.iter().map(|h| h.project.as_str()).collect()
}

/// A result link must lead to a page that exists on disk.
fn assert_links_resolve(r: &Results) {
    for h in &r.hits {
        let path = h
            .url
            .strip_prefix("file://")
            .unwrap_or_else(|| panic!("not a file URL: {}", h.url));
        let path = String::from_utf8(percent_decode(path)).expect("utf-8 path");
        assert!(
            Path::new(&path).is_file(),
            "{} links to missing {path}",
            h.project
        );
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn typed_queries_find_the_items_that_mention_them() {
    let Some(mut b) = Browser::launch("typed_queries_find_the_items_that_mention_them") else {
        return;
    };
    let cases: [(&str, &[&str]); 3] = [
        (
            "樱花园",
            &["东湖风景区城建领域复工复产工作", "智慧旅游项目"],
        ),
        ("还建房", &["东湖绿道二期及周边环境整治", "逾期还建房项目"]),
        ("19号线", &["地铁19号线"]),
    ];
    for (query, wanted) in cases {
        let r = type_query(&mut b, "search/index.html", query);
        let found = projects(&r);
        for w in wanted {
            assert!(
                found.contains(w),
                "{query}: {w} not among {found:?} ({})",
                r.status
            );
        }
        assert!(
            r.status.contains(&format!("找到 {} 项", r.hits.len())),
            "{query}: status {}",
            r.status
        );
        for h in &r.hits {
            assert!(
                h.meta.contains("2020年7月") && h.meta.contains("序号"),
                "{query}: meta {}",
                h.meta
            );
            let marked = format!("<mark>{query}</mark>");
            assert!(
                h.snippet_html.contains(&marked) || h.project_html.contains(&marked),
                "{query}: no highlight in {} / {}",
                h.project_html,
                h.snippet_html
            );
            assert!(
                h.href.starts_with("../2020-07/"),
                "html view links to html items: {}",
                h.href
            );
        }
        assert_links_resolve(&r);
        // The real July report's whole index is one file.
        assert_eq!(r.loaded, ["index"], "{query}");
    }
}

#[test]
fn results_rank_project_names_first_then_frequency() {
    let Some(mut b) = Browser::launch("results_rank_project_names_first_then_frequency") else {
        return;
    };
    // 逾期还建房项目 has 还建房 in its name; the others only in their text.
    let r = type_query(&mut b, "search/index.html", "还建房");
    assert_eq!(projects(&r)[0], "逾期还建房项目");
    assert!(r.hits[0].project_html.contains("<mark>还建房</mark>"));
    // Neither name holds 樱花园: 智慧旅游项目 mentions it twice, the other once.
    let r = type_query(&mut b, "search/index.html", "樱花园");
    assert_eq!(
        projects(&r),
        ["智慧旅游项目", "东湖风景区城建领域复工复产工作"]
    );
}

#[test]
fn a_query_without_hits_says_so() {
    let Some(mut b) = Browser::launch("a_query_without_hits_says_so") else {
        return;
    };
    let r = type_query(&mut b, "search/index.html", "量子计算机");
    assert!(r.hits.is_empty());
    assert!(
        r.status.contains("没有找到") && r.status.contains("量子计算机"),
        "{}",
        r.status
    );
    // Punctuation alone is no query, and the page says what to type.
    let r = type_query(&mut b, "search/index.html", "，。！");
    assert!(r.hits.is_empty());
    assert!(r.status.contains("请输入"), "{}", r.status);
}

#[test]
fn every_query_term_must_match() {
    let Some(mut b) = Browser::launch("every_query_term_must_match") else {
        return;
    };
    let one = type_query(&mut b, "search/index.html", "还建房");
    let both = type_query(&mut b, "search/index.html", "还建房 滨湖村");
    assert!(!both.hits.is_empty());
    assert!(both.hits.len() < one.hits.len());
    assert_eq!(projects(&both), ["逾期还建房项目"]);
    // Letters and digits are found as typed, and case does not matter.
    let r = type_query(&mut b, "search/index.html", "10kv");
    assert!(!r.hits.is_empty(), "{}", r.status);
    let upper = type_query(&mut b, "search/index.html", "10KV");
    assert_eq!(projects(&r), projects(&upper));
}

#[test]
fn the_department_filter_narrows_results() {
    let Some(mut b) = Browser::launch("the_department_filter_narrows_results") else {
        return;
    };
    b.goto(&file_url(&public().join("search/index.html")));
    b.eval("document.getElementById('search-dept').value = '统筹发展局'");
    b.eval("document.getElementById('q').focus()");
    b.type_text("还建房");
    b.press("Enter");
    let r = read_results(&mut b);
    let mut found = projects(&r);
    found.sort();
    assert_eq!(found, ["东湖绿道二期及周边环境整治", "逾期还建房项目"]);
    assert!(r.status.contains("统筹发展局"), "{}", r.status);
    // The filter is in the address, so the result can be bookmarked.
    let href = b.eval("location.search");
    assert!(
        href.as_str().unwrap_or_default().contains("dept="),
        "{href}"
    );
}

#[test]
fn mobile_search_works_by_keyboard_alone() {
    let Some(mut b) = Browser::launch("mobile_search_works_by_keyboard_alone") else {
        return;
    };
    b.goto(&file_url(&public().join("m/search/index.html")));
    // Tab from the top of the page until the search box has focus.
    let mut tabs = 0;
    while b.eval("document.activeElement && document.activeElement.id") != "q" {
        b.press("Tab");
        tabs += 1;
        assert!(tabs < 40, "the search box cannot be reached with Tab");
    }
    b.type_text("19号线");
    b.press("Enter");
    let r = read_results(&mut b);
    assert_eq!(projects(&r), ["地铁19号线"]);
    assert!(
        r.hits[0].href.starts_with("../2020-07/"),
        "{}",
        r.hits[0].href
    );
    assert!(
        r.hits[0].url.contains("/m/2020-07/"),
        "mobile view links stay in the mobile view: {}",
        r.hits[0].url
    );
    assert_links_resolve(&r);
    // Tab on to the result and follow it with Enter.
    let mut tabs = 0;
    while b.eval("document.activeElement && document.activeElement.closest('.search-hit') !== null")
        != true
    {
        b.press("Tab");
        tabs += 1;
        assert!(tabs < 20, "the result cannot be reached with Tab");
    }
    b.press("Enter");
    assert!(
        b.wait_for(
            "location.pathname.includes('/m/2020-07/') && document.readyState === 'complete'",
            Duration::from_secs(10)
        ),
        "Enter on a result opens it"
    );
    let h1 = b.eval("document.querySelector('h1').textContent");
    assert!(
        h1.as_str().unwrap_or_default().contains("地铁19号线"),
        "{h1}"
    );
}

#[test]
fn the_address_carries_the_query() {
    let Some(mut b) = Browser::launch("the_address_carries_the_query") else {
        return;
    };
    let url = format!(
        "{}?q={}",
        file_url(&public().join("search/index.html")),
        cdp::encode("樱花园")
    );
    b.goto(&url);
    let r = read_results(&mut b);
    assert_eq!(r.hits.len(), 2, "{}", r.status);
    assert_eq!(b.eval("document.getElementById('q').value"), "樱花园");
}

#[test]
fn without_script_the_search_page_says_what_to_do() {
    let Some(mut b) = Browser::launch("without_script_the_search_page_says_what_to_do") else {
        return;
    };
    b.call(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({ "value": true }),
    );
    b.goto(&file_url(&public().join("search/index.html")));
    let text = b.eval("document.body.innerText");
    let text = text.as_str().unwrap_or_default();
    assert!(text.contains("搜索需要浏览器启用 JavaScript"), "{text}");
    assert!(text.contains("按月份浏览"), "{text}");
}

#[test]
fn search_pages_offer_filters_and_a_no_script_message() {
    for page in ["search/index.html", "m/search/index.html"] {
        let doc = scraper::Html::parse_document(
            &std::fs::read_to_string(public().join(page)).expect("search page"),
        );
        assert_eq!(attrs(&doc, "form.search-form", "action"), ["index.html"]);
        assert_eq!(attrs(&doc, "label[for=q]", "for"), ["q"]);
        assert_eq!(
            texts(&doc, "#search-from option"),
            ["最早的月份", "2020年7月"]
        );
        let depts = texts(&doc, "#search-dept option");
        assert!(
            depts.contains(&"统筹发展局".to_owned()) && depts[0] == "全部部门",
            "{depts:?}"
        );
        let noscript = texts(&doc, "noscript");
        assert!(noscript[0].contains("搜索需要浏览器启用 JavaScript"));
        let scripts = attrs(&doc, "script[src]", "src");
        assert!(
            scripts.iter().any(|s| s.ends_with("static/search.js")),
            "{scripts:?}"
        );
        let index = attrs(&doc, "form.search-form", "data-index");
        let index_js = public()
            .join(page)
            .parent()
            .unwrap()
            .join(&index[0])
            .join("index.js");
        assert!(index_js.is_file(), "{page}: {}", index_js.display());
    }
}

#[test]
fn the_mobile_search_page_fits_a_360_pixel_phone() {
    let Some(mut b) = Browser::launch("the_mobile_search_page_fits_a_360_pixel_phone") else {
        return;
    };
    b.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": true }),
    );
    // The longest department name is in the filter; the results hold long snippets.
    let r = type_query(&mut b, "m/search/index.html", "还建房");
    assert_eq!(r.hits.len(), 3, "{}", r.status);
    let widths =
        b.eval("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
    let (scroll, width) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
    assert!(scroll <= width, "scrolls sideways: {scroll} > {width}");
}

#[test]
fn the_index_finds_exactly_the_items_that_hold_the_query() {
    let (idx, raw) = real_index();
    let text = Folded::new(raw);
    for (q, n) in EXACT_CASES {
        assert_eq!(
            text.finds(q).len(),
            n,
            "{q}: the items that say it: {:?}",
            text.finds(q)
        );
    }
    let mut queries: Vec<(String, bool)> = EXACT_CASES
        .iter()
        .map(|(q, _)| (q.to_string(), true))
        .collect();
    let more = [
        "樱花园",
        "还建房 滨湖村",
        "19号线",
        "10KV",
        "１０ｋｖ",
        "完成率",
        "2020年",
    ];
    queries.extend(more.map(|q| (q.to_string(), true)));
    queries.extend(sample_queries(raw, 600));
    for (q, held) in &queries {
        let want = text.finds(q);
        assert_eq!(idx.matches(q), want, "{q:?}");
        // A query cut from an item's text is found at least there.
        assert!(!held || !want.is_empty(), "{q:?} is in the text");
    }
}

#[test]
fn the_browser_finds_exactly_the_items_that_hold_the_query() {
    let Some(mut b) = Browser::launch("the_browser_finds_exactly_the_items_that_hold_the_query")
    else {
        return;
    };
    let (_, raw) = real_index();
    let text = Folded::new(raw);
    let mut queries: Vec<String> = EXACT_CASES.iter().map(|(q, _)| q.to_string()).collect();
    // Longer phrases, which the page checks by the positions of their pairs.
    queries.extend(["樱花园", "完成率", "19号线"].map(String::from));
    let sampled = sample_queries(raw, 24).into_iter().map(|(q, _)| q);
    queries.extend(sampled.filter(|q| q.chars().count() >= 3));
    for q in &queries {
        let want = text.finds(q);
        let r = type_query(&mut b, "search/index.html", q);
        if want.is_empty() {
            assert!(r.status.contains("没有找到"), "{q:?}: {}", r.status);
            continue;
        }
        assert!(
            r.status.contains(&format!("找到 {} 项", want.len())),
            "{q:?}: {} (the text holds it in {} items)",
            r.status,
            want.len()
        );
        let projects: Vec<&str> = want.iter().map(|&i| raw[i][0].as_str()).collect();
        for h in &r.hits {
            assert!(
                projects.contains(&h.project.as_str()),
                "{q:?}: {} does not hold it",
                h.project
            );
        }
    }
}
