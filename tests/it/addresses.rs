//! Addresses never move (SPEC §4): a later month's name with the same pinyin
//! as a published one gets the suffixed address, and `check` and `build`
//! warn when new content would move a published address.

use std::fs;

use crate::common::{TestSite, stderr, texts};

/// 童水林, 统筹发展局 and 还建房建设 in July; August brings names with the
/// same pinyin (童水琳, 统筹發展局, 还建房建設).
const JULY: (&str, &str, &str) = ("童水林", "统筹发展局", "还建房建设");
const AUGUST: (&str, &str, &str) = ("童水琳", "统筹發展局", "还建房建設");

fn month_with(site: &TestSite, ym: &str, (leader, dept, project): (&str, &str, &str)) {
    site.month(ym, "");
    site.item(
        ym,
        "01",
        &format!("序号: 1\n责任领导: {leader}\n项目名称: {project}\n责任部门: {dept}\n"),
        "## 本月进度情况\n推进。\n",
    );
}

/// The `<h1>` of an output page.
/// A site whose `check` warns of nothing but moved addresses: it has the
/// identification the inspection asks for.
fn identified_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        "title: 测试公开网站\nbase_url: https://example.gov.cn/gk/\n网站标识码: '4201000099'\n\
         ICP备案号: 鄂ICP备12345678号\n公安备案号: 鄂公网安备 42010202000099号\n",
    );
    site
}

fn heading(site: &TestSite, rel: &str) -> String {
    texts(&site.page(rel), "h1").join(" ")
}

const PLAIN: [&str; 3] = [
    "leaders/tong-shui-lin/index.html",
    "departments/tong-chou-fa-zhan-ju/index.html",
    "projects/hai-jian-fang-jian-she/index.html",
];

/// The folder of every page under `kind/` whose slug starts with `plain`.
fn suffixed(site: &TestSite, kind: &str, plain: &str) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(site.public().join(kind))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!("{plain}-")))
        .collect();
    out.sort();
    out
}

#[test]
fn a_later_month_never_moves_a_published_page() {
    let site = identified_site();
    month_with(&site, "2020-07", JULY);
    site.build();
    let before: Vec<String> = PLAIN.iter().map(|p| heading(&site, p)).collect();
    assert!(before[0].contains("童水林"), "{before:?}");
    assert!(before[1].contains("统筹发展局"), "{before:?}");
    assert!(before[2].contains("还建房建设"), "{before:?}");

    month_with(&site, "2020-08", AUGUST);
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("0 个警告"),
        "a later month moves nothing:\n{}",
        stderr(&check)
    );
    let build = site.build();
    assert!(!stderr(&build).contains("地址将改变"), "{}", stderr(&build));

    // The July names keep their pages, in every view.
    for (p, was) in PLAIN.iter().zip(&before) {
        assert_eq!(&heading(&site, p), was, "{p}");
        for view in ["print/", "m/"] {
            assert!(site.public().join(view).join(p).is_file(), "{view}{p}");
        }
    }
    // The newcomers get suffixed addresses that show them.
    for (kind, plain, name) in [
        ("leaders", "tong-shui-lin", AUGUST.0),
        ("departments", "tong-chou-fa-zhan-ju", AUGUST.1),
        ("projects", "hai-jian-fang-jian-she", AUGUST.2),
    ] {
        let got = suffixed(&site, kind, plain);
        assert_eq!(got.len(), 1, "{kind}: {got:?}");
        let rel = format!("{kind}/{}/index.html", got[0]);
        assert!(heading(&site, &rel).contains(name), "{rel}");
    }
    // The record published with the site says the same.
    let record: serde_json::Value =
        serde_json::from_slice(&fs::read(site.public().join("addresses.json")).unwrap()).unwrap();
    assert_eq!(record["leaders"]["童水林"], "leaders/tong-shui-lin/");
    assert_eq!(
        record["departments"]["统筹发展局"],
        "departments/tong-chou-fa-zhan-ju/"
    );
    assert_eq!(
        record["projects"]["还建房建设"],
        "projects/hai-jian-fang-jian-she/"
    );
    let suffix = suffixed(&site, "leaders", "tong-shui-lin").remove(0);
    assert_eq!(record["leaders"]["童水琳"], format!("leaders/{suffix}/"));
}

#[test]
fn addresses_are_the_same_whatever_the_build_history() {
    // Built in one go, the two months give the addresses built month by month.
    let stepwise = TestSite::new();
    month_with(&stepwise, "2020-07", JULY);
    stepwise.build();
    month_with(&stepwise, "2020-08", AUGUST);
    stepwise.build();
    let at_once = TestSite::new();
    month_with(&at_once, "2020-07", JULY);
    month_with(&at_once, "2020-08", AUGUST);
    at_once.build();
    let read = |s: &TestSite| fs::read(s.public().join("addresses.json")).unwrap();
    assert_eq!(read(&stepwise), read(&at_once));
}

#[test]
fn inserting_an_older_month_warns_before_an_address_moves() {
    let site = identified_site();
    month_with(&site, "2020-07", JULY);
    site.build();

    // An older month whose names have the July names' pinyin: by first
    // appearance they now claim the plain addresses.
    month_with(&site, "2020-06", AUGUST);
    let check = site.run(&["check"]);
    assert!(check.status.success(), "warnings only:\n{}", stderr(&check));
    let err = stderr(&check);
    assert!(err.contains("3 个警告"), "{err}");
    for (kind, name, taker, plain) in [
        ("责任领导", "童水林", "童水琳", "leaders/tong-shui-lin/"),
        (
            "责任部门",
            "统筹发展局",
            "统筹發展局",
            "departments/tong-chou-fa-zhan-ju/",
        ),
        (
            "项目",
            "还建房建设",
            "还建房建設",
            "projects/hai-jian-fang-jian-she/",
        ),
    ] {
        let line = format!("{kind}“{name}”的页面从 {plain} 移到");
        assert!(err.contains(&line), "{line}\n{err}");
        assert!(err.contains(&format!("“{taker}”")), "{taker}\n{err}");
    }
    // Each warning points at the key in the inserted month's file.
    let file = "2020-06/01.md";
    for line in [":3:", ":4:", ":5:"] {
        assert!(
            err.contains(&format!("{file}{line}")),
            "{file}{line}\n{err}"
        );
    }

    // `--strict` makes the move an error: the published site stays.
    let strict = site.run(&["build", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(heading(&site, PLAIN[0]).contains("童水林"));

    // A plain build warns the same way, then publishes; afterwards the
    // record holds the new addresses and nothing is left to warn about.
    let build = site.build();
    assert!(
        stderr(&build).contains("已发布的地址将改变"),
        "{}",
        stderr(&build)
    );
    assert!(heading(&site, PLAIN[0]).contains("童水琳"));
    let again = site.run(&["check"]);
    assert!(stderr(&again).contains("0 个警告"), "{}", stderr(&again));
}

#[test]
fn an_unreadable_record_is_a_warning_naming_it() {
    let site = TestSite::new();
    month_with(&site, "2020-07", JULY);
    site.build();
    fs::write(site.public().join("addresses.json"), "{ not json").unwrap();
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let err = stderr(&check);
    assert!(err.contains("public/addresses.json"), "{err}");
    assert!(err.contains("读不懂上次生成的地址记录"), "{err}");
}
