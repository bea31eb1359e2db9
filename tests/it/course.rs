//! A project's course at a glance: the month's problems page, what changed
//! since the month before (本月变化), and the timelines drawn at build time.

// The ten-year archive test and its helpers need search_archive (Unix only).
#![cfg_attr(not(unix), allow(dead_code))]

use crate::common::{TestSite, attrs, stderr, texts};

/// Three months. 2020-06: 绿道 (problem), 还建房 (problem, 城建局), 码头.
/// 2020-07: 绿道 (no problem), 还建房 (problem), 新路 (new, no 序号, problem,
/// 规划分局 like 绿道), no 码头. 2020-08: 绿道 only.
fn three_months() -> TestSite {
    let s = TestSite::new();
    for ym in ["2020-06", "2020-07", "2020-08"] {
        s.month(ym, "");
    }
    let item = |ym: &str, stem: &str, n: Option<&str>, project: &str, dept: &str, problem: &str| {
        let number = n.map(|n| format!("序号: {n}\n")).unwrap_or_default();
        let body = if problem.is_empty() {
            "## 本月进度情况\n\n推进。\n".to_owned()
        } else {
            format!("## 本月进度情况\n\n推进。\n\n## 存在问题\n\n{problem}\n")
        };
        s.item(
            ym,
            stem,
            &format!("{number}责任领导: 章平\n项目名称: {project}\n责任部门: {dept}\n"),
            &body,
        );
    };
    item(
        "2020-06",
        "01",
        Some("1"),
        "绿道二期",
        "规划分局",
        "征地缓慢。",
    );
    item("2020-06", "02", Some("2"), "还建房", "城建局", "资金不足。");
    item("2020-06", "03", Some("3"), "码头改造", "城建局", "");
    item("2020-07", "01", Some("1"), "绿道二期", "规划分局", "");
    item(
        "2020-07",
        "02",
        Some("2"),
        "还建房",
        "城建局",
        "土地手续未办结。",
    );
    item("2020-07", "02a", None, "新路", "规划分局", "设计未批。");
    item("2020-08", "01", Some("1"), "绿道二期", "规划分局", "");
    s
}

#[test]
fn problems_page_lists_the_items_with_problems_by_department() {
    let s = three_months();
    s.build();
    for view in ["", "print/", "m/"] {
        let doc = s.page(&format!("{view}2020-07/problems/index.html"));
        // Departments in the order of their first item with a problem (规划分局's
        // first row, 绿道二期, has none this month).
        assert_eq!(
            texts(&doc, ".problems-group h2"),
            ["城建局（1 项）", "规划分局（1 项）"],
            "{view}"
        );
        assert_eq!(
            texts(&doc, ".problems-group h3"),
            ["2. 还建房", "新路"],
            "{view}"
        );
        let problems = texts(&doc, ".problems-group .prose");
        assert_eq!(problems, ["土地手续未办结。", "设计未批。"], "{view}");
        // 绿道二期 has no problem in July: not listed.
        assert!(!doc.html().contains("绿道二期"), "{view}");
        let links = attrs(&doc, ".problems-group h3 a", "href");
        assert_eq!(
            links,
            [
                "../../2020-07/02/index.html",
                "../../2020-07/02a/index.html"
            ],
            "{view}"
        );
        // Each item's 序号, project and leaders, label and value.
        let meta: Vec<String> = texts(&doc, ".problems-group .card-meta")
            .iter()
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert!(
            meta[0].starts_with("序号2 项目还建房 责任领导章平"),
            "{view}: {meta:?}"
        );
        assert!(
            meta[1].starts_with("序号（无） 项目新路"),
            "{view}: {meta:?}"
        );
        let project_links = attrs(&doc, ".problems-group .card-meta a", "href");
        assert_eq!(project_links.len(), 2);
        assert!(
            project_links
                .iter()
                .all(|h| h.starts_with("../../projects/"))
        );
    }
    // A month without problems still has its page, saying so.
    let doc = s.page("2020-08/problems/index.html");
    assert!(texts(&doc, ".problems-group").is_empty());
    assert_eq!(
        texts(&doc, "main p.empty"),
        ["本月没有写有存在问题的条目。"]
    );
    // Linked from the month report in every view, with the count.
    for view in ["", "print/", "m/"] {
        let doc = s.page(&format!("{view}2020-07/index.html"));
        let sel = ".month-course a[href=\"../2020-07/problems/index.html\"]";
        assert_eq!(texts(&doc, sel), ["2 项，查看汇总"], "{view}");
    }
    // In the sitemap, with its mobile alternate.
    let sitemap = std::fs::read_to_string(s.public().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.gov.cn/gk/2020-07/problems/</loc>"));
    assert!(sitemap.contains("href=\"https://example.gov.cn/gk/m/2020-07/problems/\""));
}

#[test]
fn an_item_file_named_problems_is_refused() {
    let s = three_months();
    s.item(
        "2020-07",
        "problems",
        "责任领导: 章平\n项目名称: 问题\n责任部门: 规划分局\n",
        "",
    );
    for cmd in ["check", "build"] {
        let out = s.run(&[cmd]);
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        let err = stderr(&out);
        assert!(err.contains("problems.md"), "{cmd}: {err}");
        assert!(err.contains("保留名"), "{cmd}: {err}");
    }
    assert!(!s.public().exists(), "nothing published");
}

#[test]
fn month_reports_say_what_changed_since_the_month_before() {
    let s = three_months();
    s.build();
    let links = |doc: &scraper::Html, css: &str| -> Vec<(String, String)> {
        texts(doc, &format!("{css} a"))
            .into_iter()
            .zip(attrs(doc, &format!("{css} a"), "href"))
            .collect()
    };
    for view in ["", "print/", "m/"] {
        let july = s.page(&format!("{view}2020-07/index.html"));
        let new = links(&july, ".month-course .course-new");
        assert_eq!(new.len(), 1, "{view}: {new:?}");
        assert_eq!(new[0].0, "新路");
        assert!(new[0].1.starts_with("../projects/") && new[0].1.ends_with("/index.html"));
        let gone = links(&july, ".month-course .course-gone");
        assert_eq!(gone.len(), 1, "{view}: {gone:?}");
        assert_eq!(gone[0].0, "码头改造");
        assert!(texts(&july, ".course-gone")[0].starts_with("2020年6月有、本月未报告的项目"));
        let august = s.page(&format!("{view}2020-08/index.html"));
        assert_eq!(
            texts(&august, ".course-new"),
            ["本月新增项目：无"],
            "{view}"
        );
        let gone: Vec<String> = links(&august, ".course-gone")
            .into_iter()
            .map(|l| l.0)
            .collect();
        assert_eq!(
            gone,
            ["还建房", "新路"],
            "{view}: the month before's table order"
        );
        // The first month has nothing to compare with.
        let june = s.page(&format!("{view}2020-06/index.html"));
        assert!(texts(&june, ".course-new").is_empty(), "{view}");
        assert_eq!(
            texts(&june, ".course-problems a"),
            ["2 项，查看汇总"],
            "{view}"
        );
        assert_eq!(
            texts(&august, ".course-problems a"),
            ["本月没有，查看汇总页"],
            "{view}"
        );
    }
}

/// The text of the first element matching `css` inside `el`, trimmed.
fn text_in(el: scraper::ElementRef, css: &str) -> String {
    let sel = scraper::Selector::parse(css).unwrap();
    el.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .unwrap_or_else(|| panic!("no {css}"))
}

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel).collect()
}

/// How many closed shapes (`z`) a path's data draws.
fn shapes(d: &str) -> usize {
    d.matches('z').count()
}

#[test]
fn a_project_page_draws_every_month_of_the_archive_with_its_problems_marked() {
    let s = three_months();
    s.build();
    let projects = s.page("projects/index.html");
    let href = |name: &str| -> String {
        let a = select(&projects, ".listing th a")
            .into_iter()
            .find(|a| a.text().collect::<String>() == name)
            .unwrap_or_else(|| panic!("{name} not listed"));
        let h = a.value().attr("href").unwrap();
        h.trim_start_matches("../").to_owned()
    };
    for view in ["", "print/", "m/"] {
        // 还建房: June and July, both with 存在问题; not in August.
        let doc = s.page(&format!("{view}{}", href("还建房")));
        let svg = select(&doc, "figure.timeline svg.tl-project");
        assert_eq!(svg.len(), 1, "{view}: one drawing");
        assert!(!svg[0].html().contains("<script"), "{view}");
        assert_eq!(
            text_in(svg[0], "svg > title"),
            "本项目在 3 个月中的 2 个月有报告，其中 2 个月存在问题",
            "{view}"
        );
        let marks = select(&doc, "svg.tl-project a");
        let named: Vec<(String, String)> = marks
            .iter()
            .map(|a| {
                (
                    text_in(*a, "title"),
                    a.value().attr("href").unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                ("2020年6月，存在问题".to_owned(), "#pe-1".to_owned()),
                ("2020年7月，存在问题".to_owned(), "#pe-2".to_owned()),
            ],
            "{view}"
        );
        // Each mark leads to that month's entry, and is a triangle, not a square.
        for i in 0..marks.len() {
            let target = select(&doc, &format!("h2#pe-{}", i + 1));
            assert_eq!(target.len(), 1, "{view}: #pe-{} exists", i + 1);
            let month = ["2020年6月", "2020年7月"][i];
            assert!(target[0].text().collect::<String>().starts_with(month));
            let path = select(
                &doc,
                &format!("svg.tl-project a[href='#pe-{}'] path", i + 1),
            );
            assert_eq!(path[0].value().attr("class"), Some("tl-p"), "{view}");
        }
        // August, not reported: one empty square; no colour-only mark.
        let empty = attrs(&doc, "svg.tl-project path.tl-n", "d");
        assert_eq!(empty.len(), 1, "{view}");
        assert_eq!(shapes(&empty[0]), 1, "{view}");
        // The legend says what each shape means.
        let caption = texts(&doc, "figure.timeline figcaption")[0].clone();
        for words in ["有报告", "存在问题", "未报告"] {
            assert!(caption.contains(words), "{view}: {caption}");
        }

        // 绿道二期: every month, a problem only in June: one triangle, two squares.
        let doc = s.page(&format!("{view}{}", href("绿道二期")));
        let classes: Vec<Option<String>> = select(&doc, "svg.tl-project a path")
            .iter()
            .map(|p| p.value().attr("class").map(str::to_owned))
            .collect();
        assert_eq!(classes, [Some("tl-p".to_owned()), None, None], "{view}");
        assert!(attrs(&doc, "svg.tl-project path.tl-n", "d").is_empty());
        // One row: 2020, its year label hidden beside marks that name their month.
        assert_eq!(texts(&doc, "svg.tl-project .tl-axis > text"), ["2020年"]);
    }
}

#[test]
fn the_project_index_draws_a_strip_per_project() {
    let s = three_months();
    s.build();
    for view in ["", "print/", "m/"] {
        let doc = s.page(&format!("{view}projects/index.html"));
        let rows = select(&doc, ".listing tbody tr");
        assert_eq!(rows.len(), 4, "{view}");
        for row in rows {
            let name = text_in(row, "th");
            let title = text_in(row, "svg.tl-strip[role=img] > title");
            let expected = match name.as_str() {
                "绿道二期" => {
                    "2020年6月至2020年8月间 3 个月有报告，其中 1 个月存在问题（较高的竖条）"
                }
                "还建房" => {
                    "2020年6月至2020年7月间 2 个月有报告，其中 2 个月存在问题（较高的竖条）"
                }
                "码头改造" => "2020年6月有报告",
                "新路" => "2020年7月有报告，其中 1 个月存在问题（较高的竖条）",
                other => panic!("unexpected project {other}"),
            };
            assert_eq!(title, expected, "{view}{name}");
            // A bar for each run of months, a taller mark for each month with problems.
            let bar = attr_in(row, "path.tl-bar", "d").expect("a bar");
            // Every project's months here are consecutive: one run each.
            assert_eq!(bar.matches('h').count(), 1, "{view}{name}: {bar}");
            let tall = attr_in(row, "path.tl-tall", "d").map_or(0, |d| d.matches('h').count());
            let problems = match name.as_str() {
                "绿道二期" | "新路" => 1,
                "还建房" => 2,
                _ => 0,
            };
            assert_eq!(tall, problems, "{view}{name}");
        }
    }
}

#[test]
fn department_and_leader_pages_draw_items_and_problems_per_month() {
    let s = three_months();
    s.build();
    let departments = s.page("departments/index.html");
    let href = attrs(&departments, ".group-list a", "href")
        .into_iter()
        .zip(texts(&departments, ".group-list a"))
        .find(|(_, t)| t.starts_with("规划分局"))
        .expect("规划分局 listed")
        .0;
    let href = href.trim_start_matches("../").to_owned();
    for view in ["", "print/", "m/"] {
        // 规划分局: June 1 item (problem), July 2 (新路 with a problem), August 1.
        let doc = s.page(&format!("{view}{href}"));
        let rows = select(&doc, "svg.tl-group > g.tl-year");
        assert_eq!(rows.len(), 1, "{view}: one year");
        assert_eq!(
            text_in(rows[0], "title"),
            "2020年：6月1项（1项存在问题）、7月2项（1项存在问题）、8月1项",
            "{view}"
        );
        let bars = attrs(&doc, "svg.tl-group path.tl-b", "d");
        // Three outlined bars: July's is full height (the most, 2 items), June's and August's half.
        assert_eq!(bars[0].matches("v-").count(), 3, "{view}: {}", bars[0]);
        let heights: Vec<&str> = bars[0]
            .split("v-")
            .skip(1)
            .map(|s| s.split('h').next().unwrap())
            .collect();
        assert_eq!(heights, ["15", "30", "15"], "{view}");
        let solid = attrs(&doc, "svg.tl-group path.tl-p", "d");
        assert_eq!(shapes(&solid[0]), 2, "{view}: June and July have problems");
        // Each month's section has the id the drawing's months are named by.
        for ym in ["2020-06", "2020-07", "2020-08"] {
            assert_eq!(
                select(&doc, &format!("section#gm-{ym}")).len(),
                1,
                "{view}{ym}"
            );
        }
    }
    // A leader's page has the same drawing: 章平 leads every item.
    let leaders = s.page("leaders/index.html");
    let href = attrs(&leaders, ".group-list a", "href")[0]
        .trim_start_matches("../")
        .to_owned();
    let doc = s.page(&href);
    assert_eq!(
        texts(&doc, "svg.tl-group > g.tl-year > title"),
        ["2020年：6月3项（2项存在问题）、7月3项（2项存在问题）、8月1项"]
    );
}

/// The largest drawing allowed on the ten-year archive, raw bytes (gzip
/// makes them a fifth): a project's months, a department's bars, a strip.
const PROJECT_DRAWING_BUDGET: usize = 10 * 1024;
const GROUP_DRAWING_BUDGET: usize = 12 * 1024;
const STRIP_BUDGET: usize = 1024;

fn svg_source<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
    let open = format!("<svg class=\"tl {class}\"");
    html.match_indices(&open)
        .map(|(at, _)| &html[at..at + html[at..].find("</svg>").unwrap() + 6])
        .collect()
}

#[cfg(unix)] // the archive is built by search_archive, a Unix-only module
#[test]
fn timelines_on_the_ten_year_archive_are_small_and_draw_what_the_pages_list() {
    let public = crate::search_archive::public();
    let months = 120;
    let mut checked = 0;
    for e in std::fs::read_dir(public.join("projects")).unwrap() {
        let dir = e.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let html = page_with_one_drawing(&dir, "tl-project", PROJECT_DRAWING_BUDGET);
        // The months the page lists, and those whose entry has 存在问题.
        let doc = scraper::Html::parse_document(&html);
        let mut listed: Vec<(String, bool)> = Vec::new();
        for entry in select(&doc, "section.project-entry") {
            let month = text_in(entry, "h2 a");
            let problem = select_in(entry, ".compare > div:nth-child(3) .prose")
                .iter()
                .all(|p| !p.contains("（无）"));
            match listed.last_mut() {
                Some((m, p)) if *m == month => *p |= problem,
                _ => listed.push((month, problem)),
            }
        }
        let marks: Vec<(String, bool)> = select(&doc, "svg.tl-project a")
            .iter()
            .map(|a| {
                let t = text_in(*a, "title");
                let problem = t.ends_with("，存在问题");
                (t.trim_end_matches("，存在问题").to_owned(), problem)
            })
            .collect();
        assert_eq!(marks, listed, "{}", dir.display());
        let empty = attrs(&doc, "svg.tl-project path.tl-n", "d");
        assert_eq!(
            empty.iter().map(|d| shapes(d)).sum::<usize>(),
            months - listed.len(),
            "{}",
            dir.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 150, "every project of the archive");

    for e in std::fs::read_dir(public.join("departments")).unwrap() {
        let dir = e.unwrap().path();
        if dir.is_dir() {
            let html = page_with_one_drawing(&dir, "tl-group", GROUP_DRAWING_BUDGET);
            // One row per year of the archive.
            let doc = scraper::Html::parse_document(&html);
            assert_eq!(select(&doc, "svg.tl-group > g.tl-year").len(), 10);
        }
    }

    // Each strip's bars add up to the months the row states.
    let index = std::fs::read_to_string(public.join("projects/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&index);
    let rows = select(&doc, ".listing tbody tr");
    assert_eq!(rows.len(), 150);
    for (row, strip) in rows.iter().zip(svg_source(&index, "tl-strip")) {
        assert!(strip.len() <= STRIP_BUDGET, "{} bytes", strip.len());
        let cell = text_in(*row, "td:last-child");
        let count: usize = cell
            .split('，')
            .nth(1)
            .map(|c| c.split("个月").next().unwrap().trim().parse().unwrap())
            .unwrap_or(1);
        let data = attr_in(*row, "path.tl-bar", "d").expect("a bar");
        let total: usize = data
            .split('h')
            .skip(1)
            .map(|n| n.split('m').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(total, count, "{cell}: {data}");
    }
}

/// The page in `dir`, after checking it holds one drawing of `class` within `budget` bytes.
fn page_with_one_drawing(dir: &std::path::Path, class: &str, budget: usize) -> String {
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let drawing = svg_source(&html, class);
    assert_eq!(drawing.len(), 1, "{}", dir.display());
    assert!(
        drawing[0].len() <= budget,
        "{}: {} bytes",
        dir.display(),
        drawing[0].len()
    );
    html
}

/// `attr` of the first element matching `css` inside `el`.
fn attr_in(el: scraper::ElementRef, css: &str, attr: &str) -> Option<String> {
    let sel = scraper::Selector::parse(css).unwrap();
    el.select(&sel)
        .next()
        .and_then(|e| e.value().attr(attr).map(str::to_owned))
}

/// The HTML of every element matching `css` inside `el`.
fn select_in(el: scraper::ElementRef, css: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(css).unwrap();
    el.select(&sel).map(|e| e.html()).collect()
}
