//! Finding one's way through the archive: home by year and month, month to
//! month, a project from month to month, departments and leaders by month.

use crate::common::{TestSite, attrs, texts};

/// Four months over three years. 樱花园 (key yhy) runs in 2019-12, 2020-01
/// and 2021-03 under different file names, skipping 2020-02; its name
/// changes in the last month.
fn archive() -> TestSite {
    let s = TestSite::new();
    for ym in ["2019-12", "2020-01", "2020-02", "2021-03"] {
        s.month(ym, "");
        s.item(
            ym,
            "01",
            "number: 1\nleaders: 章平\nproject: 扶贫\ndepartment: 纪工委\n",
            "## 本月进度情况\n\n无问题。\n",
        );
    }
    s.item(
        "2019-12",
        "02",
        "number: 2\nleaders: 甄别\nproject: 樱花园扩建\nkey: yhy\ndepartment: 建设局\n",
        "",
    );
    s.item(
        "2020-01",
        "05",
        "number: 5\nleaders: 甄别\nproject: 樱花园扩建\nkey: yhy\ndepartment: 建设局\n",
        "",
    );
    s.item(
        "2021-03",
        "03",
        "number: 3\nleaders: 甄别\nproject: 樱花园二期\nkey: yhy\ndepartment: 建设局\n",
        "",
    );
    s.build();
    s
}

#[test]
fn home_shows_the_latest_report_and_every_year_with_its_months() {
    let s = archive();
    for prefix in ["", "m/"] {
        let home = s.page(&format!("{prefix}index.html"));
        assert_eq!(
            attrs(&home, ".latest h2 a", "href"),
            ["2021-03/index.html"],
            "{prefix}"
        );
        assert_eq!(
            texts(&home, ".latest-items a"),
            ["扶贫", "樱花园二期"],
            "{prefix}"
        );
        assert_eq!(texts(&home, ".archive h3"), ["2021年", "2020年", "2019年"]);
        assert_eq!(
            attrs(&home, ".archive .month-list a", "href"),
            [
                "2021-03/index.html",
                "2020-02/index.html",
                "2020-01/index.html",
                "2019-12/index.html"
            ]
        );
    }
}

#[test]
fn month_pages_link_the_previous_and_next_month() {
    let s = archive();
    let nav = |ym: &str, rel: &str| {
        attrs(
            &s.page(&format!("{ym}/index.html")),
            &format!(".pager a[rel={rel}]"),
            "href",
        )
    };
    assert!(
        nav("2019-12", "prev").is_empty(),
        "the first month has no previous"
    );
    assert_eq!(nav("2019-12", "next"), ["../2020-01/index.html"]);
    assert_eq!(nav("2020-02", "prev"), ["../2020-01/index.html"]);
    // The next report is the next one that exists, across a gap of a year.
    assert_eq!(nav("2020-02", "next"), ["../2021-03/index.html"]);
    assert!(
        nav("2021-03", "next").is_empty(),
        "the last month has no next"
    );
    let mobile = s.page("m/2020-02/index.html");
    assert_eq!(
        attrs(&mobile, ".pager a[rel=next]", "href"),
        ["../2021-03/index.html"]
    );
    assert!(texts(&mobile, ".pager a[rel=next]")[0].contains("2021年3月"));
}

#[test]
fn item_pages_link_the_same_project_in_other_months() {
    let s = archive();
    let links = |rel: &str| {
        let doc = s.page(rel);
        (
            texts(&doc, "nav[aria-label='本项目的其他月份'] a"),
            attrs(&doc, "nav[aria-label='本项目的其他月份'] a", "href"),
        )
    };
    let (t, h) = links("2019-12/02/index.html");
    assert_eq!(h[0], "../../projects/yhy/index.html", "{t:?}");
    assert_eq!(h[1], "../../2020-01/05/index.html");
    assert!(
        t[1].contains("下一月") && t[1].contains("2020年1月"),
        "{t:?}"
    );
    assert_eq!(h.len(), 2, "no previous month for the first entry");
    // 2020-02 has no 樱花园: the next entry is 2021-03, whatever its file name.
    let (t, h) = links("2020-01/05/index.html");
    assert_eq!(
        h,
        [
            "../../2019-12/02/index.html",
            "../../projects/yhy/index.html",
            "../../2021-03/03/index.html"
        ],
        "{t:?}"
    );
    assert!(t[1].contains("3 个月"), "{t:?}");
    let (_, h) = links("2021-03/03/index.html");
    assert_eq!(
        h,
        [
            "../../2020-01/05/index.html",
            "../../projects/yhy/index.html"
        ]
    );
    // The mobile view links stay in the mobile view (relative to its root).
    let doc = s.page("m/2020-01/05/index.html");
    let h = attrs(&doc, "nav[aria-label='本项目的其他月份'] a", "href");
    assert_eq!(h[2], "../../2021-03/03/index.html");
    assert!(s.public().join("m/2020-01/05").join(&h[2]).is_file());
}

#[test]
fn department_and_leader_pages_group_items_by_month_newest_first() {
    let s = archive();
    let home = s.page("departments/index.html");
    let hrefs = attrs(&home, "main a", "href");
    let jianshe = hrefs
        .iter()
        .zip(texts(&home, "main a"))
        .find(|(_, t)| t.contains("建设局"))
        .map(|(h, _)| h.clone())
        .expect("建设局 listed");
    let dept = s.page(&format!("departments/{jianshe}"));
    assert_eq!(
        texts(&dept, ".group-month h2"),
        ["2021年3月", "2020年1月", "2019年12月"]
    );
    assert_eq!(
        texts(&dept, ".group-month h3"),
        ["3. 樱花园二期", "5. 樱花园扩建", "2. 樱花园扩建"]
    );
    let leaders = s.page("leaders/index.html");
    let zhang = attrs(&leaders, "main a", "href")
        .into_iter()
        .zip(texts(&leaders, "main a"))
        .find(|(_, t)| t.contains("章平"))
        .map(|(h, _)| h)
        .expect("章平 listed");
    let leader = s.page(&format!("leaders/{zhang}"));
    assert_eq!(
        texts(&leader, ".group-month h2"),
        ["2021年3月", "2020年2月", "2020年1月", "2019年12月"]
    );
}
