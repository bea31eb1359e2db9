//! A project's course at a glance: the month's problems page, what changed
//! since the month before (本月变化), and the timelines drawn at build time.

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
