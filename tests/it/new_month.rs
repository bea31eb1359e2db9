//! `gongkai new month`: a month started from an earlier one.

use std::fs;
use std::path::Path;

use crate::common::tree::snapshot;
use crate::common::{TestSite, copy_dir, real_content, stderr};
use gongkai::internals::{Content, LoadOptions, load_content};

/// Copies a folder tree.
/// A test site holding a copy of the real July 2020 report.
fn real_site() -> TestSite {
    let site = TestSite::new();
    fs::remove_dir_all(site.content()).unwrap();
    copy_dir(&real_content(), &site.content());
    site
}

fn load(dir: &Path, drafts: bool) -> Content {
    match load_content(dir, LoadOptions { drafts }) {
        Ok((c, _)) => c,
        Err(e) => panic!("load failed:\n{e}"),
    }
}

#[test]
fn august_from_the_real_july_keeps_every_item_and_waits_for_its_issue_date() {
    let site = real_site();
    let out = site.run(&["new", "month", "2020-08"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("68 个条目"), "{}", stderr(&out));

    // check refuses the month until 发文日期 is filled, and says where and what to do.
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let msg = stderr(&check);
    assert!(msg.contains("发文日期 (issued) 还没有填写"), "{msg}");
    assert!(msg.contains("2020-08/_index.md:"), "{msg}");
    assert!(msg.contains("issued: 2020-10-27"), "{msg}");
    assert!(msg.contains("发现 1 个错误"), "{msg}");

    let index = site.content().join("2020-08/_index.md");
    let text = fs::read_to_string(&index).unwrap();
    assert!(text.contains("title: 8月工作进展情况及9月安排\n"), "{text}");
    assert!(text.contains("validity: 有效\n"), "{text}");
    assert!(text.contains("\nissued:\n"), "{text}");
    fs::write(
        &index,
        text.replace("\nissued:\n", "\nissued: 2020-11-20\n"),
    )
    .unwrap();

    let c = load(&site.content(), true);
    let (july, august) = (&c.months[0], &c.months[1]);
    assert_eq!(august.ym.to_string(), "2020-08");
    assert_eq!(august.meta.title, "8月工作进展情况及9月安排");
    assert_eq!(august.meta.validity, "有效");
    assert_eq!(august.meta.publisher, july.meta.publisher);
    assert_eq!(august.items.len(), 68);
    for (j, a) in july.items.iter().zip(&august.items) {
        assert_eq!(a.stem, j.stem);
        assert_eq!(a.number, j.number, "{}", a.stem);
        assert_eq!(a.leaders, j.leaders, "{}", a.stem);
        assert_eq!(a.project, j.project, "{}", a.stem);
        assert_eq!(a.department, j.department, "{}", a.stem);
        assert_eq!(a.key, j.key, "{}", a.stem);
        assert!(a.draft, "{} should be a draft", a.stem);
        // The reminder is a comment: nothing of it is in the rendered cell.
        assert!(a.progress.is_empty(), "{}: {:?}", a.stem, a.progress);
        assert!(a.problems.is_empty() && a.plan.is_empty(), "{}", a.stem);
    }
    // Without --drafts nothing of August is published yet.
    assert!(load(&site.content(), false).months[1].items.is_empty());

    // The file carries July's plan for reference and the new plan heading.
    let item = fs::read_to_string(site.content().join("2020-08/02.md")).unwrap();
    assert!(item.contains("key: 扫黑除恶\ndraft: true\n"), "{item}");
    assert!(item.contains("<!-- 2020年7月的“8月具体进度安排”"), "{item}");
    assert!(
        item.contains("将移送其他区的涉黑涉恶线索继续深挖彻查,按期了结。\n-->"),
        "{item}"
    );
    assert!(
        item.contains("## 存在问题\n\n## 9月具体进度安排\n"),
        "{item}"
    );
    let no_plan = fs::read_to_string(site.content().join("2020-08/01.md")).unwrap();
    assert!(
        !no_plan.contains("<!--"),
        "01 had no plan in July: {no_plan}"
    );
}

#[test]
fn the_plan_reminder_is_never_published() {
    let site = TestSite::new();
    site.month("2020-07", "");
    site.item(
        "2020-07",
        "01",
        "number: 1\nleaders: 章平\nproject: 智慧旅游\ndepartment: 旅游局\n",
        "## 本月进度情况\n\n完成一期\n\n## 8月具体进度安排\n\n提醒甲乙丙 --> 仍是注释\n\n<b>第二段丁戊</b>\n",
    );
    let out = site.run(&["new", "month", "2020-08"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let index = site.content().join("2020-08/_index.md");
    let text = fs::read_to_string(&index)
        .unwrap()
        .replace("\nissued:\n", "\nissued: 2020-09-27\n");
    fs::write(&index, text).unwrap();
    // The editor writes this month's progress under the reminder and clears draft.
    let path = site.content().join("2020-08/01.md");
    let item = fs::read_to_string(&path)
        .unwrap()
        .replace("draft: true\n", "")
        .replace("-->\n", "-->\n\n八月完成二期\n");
    fs::write(&path, item).unwrap();
    site.build();

    let mut pages = 0;
    for e in walkdir::WalkDir::new(site.public()) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let bytes = fs::read(e.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for hidden in ["提醒甲乙丙", "仍是注释", "第二段丁戊", "供填写本月进度参考"]
        {
            let in_august = e.path().to_string_lossy().contains("2020-08");
            // July's own pages and the project page show July's plan legitimately.
            if in_august || hidden == "供填写本月进度参考" {
                assert!(
                    !text.contains(hidden),
                    "{} shows {hidden}",
                    e.path().display()
                );
            }
        }
        if e.path().to_string_lossy().contains("2020-08") && e.path().ends_with("index.html") {
            pages += 1;
            assert!(!text.contains("<!--"), "{}", e.path().display());
        }
    }
    assert!(
        pages >= 6,
        "expected the August report and item in three views, saw {pages}"
    );
    let page = site.page("2020-08/01/index.html");
    let body = page.root_element().text().collect::<String>();
    assert!(body.contains("八月完成二期"), "{body}");
}

#[test]
fn an_existing_month_is_never_touched() {
    let site = real_site();
    let before = snapshot(&site.content());
    let out = site.run(&["new", "month", "2020-07", "--from", "2020-07"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("已存在，没有改动任何文件"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&site.content()), before);
    // No staging folder left behind either.
    let names: Vec<_> = fs::read_dir(site.content())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn the_source_is_the_latest_earlier_month_unless_given() {
    let site = TestSite::new();
    for (ym, project) in [("2020-05", "五月项目"), ("2020-07", "七月项目")] {
        site.month(ym, "");
        site.item(
            ym,
            "01",
            &format!("leaders: 章平\nproject: {project}\ndepartment: 旅游局\n"),
            "",
        );
    }
    let project_of = |ym: &str| {
        fs::read_to_string(site.content().join(format!("{ym}/01.md")))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("project: ").map(str::to_owned))
            .unwrap()
    };
    assert!(site.run(&["new", "month", "2020-09"]).status.success());
    assert_eq!(project_of("2020-09"), "七月项目");
    assert!(site.run(&["new", "month", "2020-06"]).status.success());
    assert_eq!(project_of("2020-06"), "五月项目");
    // 2020-06 and 2020-09 wait for their 发文日期; that blocks neither a
    // month made from another source nor the command's own checks, but a
    // source that is not ready is refused with its error.
    let unready = site.run(&["new", "month", "2020-10"]);
    assert_eq!(unready.status.code(), Some(1), "{}", stderr(&unready));
    assert!(
        stderr(&unready).contains("2020-09/_index.md"),
        "{}",
        stderr(&unready)
    );
    assert!(
        stderr(&unready).contains("发文日期 (issued) 还没有填写"),
        "{}",
        stderr(&unready)
    );
    assert!(!site.content().join("2020-10").exists());
    assert!(
        site.run(&["new", "month", "2020-12", "--from", "2020-05"])
            .status
            .success()
    );
    assert_eq!(project_of("2020-12"), "五月项目");
    let index = fs::read_to_string(site.content().join("2020-12/_index.md")).unwrap();
    assert!(
        index.contains("title: 12月工作进展情况及1月安排"),
        "{index}"
    );
    assert!(
        fs::read_to_string(site.content().join("2020-12/01.md"))
            .unwrap()
            .contains("## 1月具体进度安排")
    );

    let none = site.run(&["new", "month", "2020-01"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).contains("没有早于 2020-01 的月份"),
        "{}",
        stderr(&none)
    );
    let missing = site.run(&["new", "month", "2021-01", "--from", "2019-01"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("--from 2019-01"),
        "{}",
        stderr(&missing)
    );
    let bad = site.run(&["new", "month", "2020-8"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("YYYY-MM"), "{}", stderr(&bad));
    assert!(!site.content().join("2020-01").exists() && !site.content().join("2021-01").exists());
}

#[test]
fn a_broken_source_is_reported_and_other_months_do_not_matter() {
    let site = TestSite::new();
    site.month("2020-05", "");
    site.item("2020-05", "01", "leaders: 章平\nproject: 智慧旅游\n", "");
    site.month("2020-07", "");
    site.item(
        "2020-07",
        "01",
        "leaders: 章平\nproject: 绿道\ndepartment: 旅游局\n",
        "",
    );
    let out = site.run(&["new", "month", "2020-06"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("作为模板的月份有错误"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("2020-05/01.md"), "{}", stderr(&out));
    assert!(stderr(&out).contains("责任部门"), "{}", stderr(&out));
    assert!(!site.content().join("2020-06").exists());
    // May's mistake does not stop August from being made from July.
    let out = site.run(&["new", "month", "2020-08"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.content().join("2020-08/01.md").is_file());
}
