//! The corpus of bad input: every mistake a clerk can make in the content,
//! each with the exact error `check` and `build` must print (file, line and
//! the key words of the message), and for each the proof that a failing
//! `build` leaves the previous `public/` exactly as it was.

use std::fs;

use crate::common::{self, TestSite, stderr, tree};

/// A good month: the site every case starts from, built once before breaking it.
fn good_site() -> TestSite {
    let s = TestSite::new();
    s.write(
        "content/2020-07/_index.md",
        "---\n发文日期: 2020-10-27\n附件:\n  - 标题: 附件一\n    文件: a.pdf\n---\n",
    );
    s.write("content/2020-07/a.pdf", "%PDF-1.4\n");
    s.item(
        "2020-07",
        "01",
        "序号: 1\n责任领导: 章平\n项目名称: 智慧旅游\n责任部门: 纪工委\n",
        "## 本月进度情况\n\n完成。\n",
    );
    s
}

/// An item file `02.md` with these front matter lines and body.
fn item02(front: &str, body: &str) -> impl Fn(&TestSite) + use<> {
    let text = format!("---\n{front}---\n{body}");
    move |s: &TestSite| s.write("content/2020-07/02.md", &text)
}

/// Replaces July's `_index.md` with these front matter lines.
fn index(front: &str) -> impl Fn(&TestSite) + use<> {
    let text = format!("---\n{front}---\n");
    move |s: &TestSite| s.write("content/2020-07/_index.md", &text)
}

fn site_yaml(text: &'static str) -> impl Fn(&TestSite) + use<> {
    move |s: &TestSite| s.write("content/site.yaml", text)
}

/// A valid item apart from what `extra` adds.
const OK: &str = "责任领导: 李四\n项目名称: 招商引资\n责任部门: 办公室\n";

struct Case {
    name: &'static str,
    breaks: Box<dyn Fn(&TestSite)>,
    /// `content/…` path the message must name.
    file: &'static str,
    /// Line it must point at; 0 for problems of a whole file or folder.
    line: usize,
    /// Words the message must contain.
    words: &'static [&'static str],
}

fn case(
    name: &'static str,
    breaks: impl Fn(&TestSite) + 'static,
    file: &'static str,
    line: usize,
    words: &'static [&'static str],
) -> Case {
    Case {
        name,
        breaks: Box::new(breaks),
        file,
        line,
        words,
    }
}

const ITEM02: &str = "content/2020-07/02.md";
const INDEX: &str = "content/2020-07/_index.md";
const SITE: &str = "content/site.yaml";

fn error_cases() -> Vec<Case> {
    vec![
        case(
            "month folder 2020-7",
            |s: &TestSite| s.write("content/2020-7/01.md", &format!("---\n{OK}---\n")),
            "content/2020-7",
            0,
            &["月份文件夹 `2020-7` 的名字应写成 YYYY-MM：请改名为 2020-07"],
        ),
        case(
            "month folder 2020年8月",
            |s: &TestSite| s.write("content/2020年8月/01.md", &format!("---\n{OK}---\n")),
            "content/2020年8月",
            0,
            &["请改名为 2020-08"],
        ),
        case(
            "month folder 202009",
            |s: &TestSite| s.write("content/202009/01.md", &format!("---\n{OK}---\n")),
            "content/202009",
            0,
            &["请改名为 2020-09"],
        ),
        case(
            "month folder 2020.10",
            |s: &TestSite| s.write("content/2020.10/01.md", &format!("---\n{OK}---\n")),
            "content/2020.10",
            0,
            &["请改名为 2020-10"],
        ),
        case(
            "month folder 2020-13",
            |s: &TestSite| s.write("content/2020-13/01.md", &format!("---\n{OK}---\n")),
            "content/2020-13",
            0,
            &["不是有效的月份"],
        ),
        case(
            "yaml: unclosed [",
            item02("项目名称: a\n责任领导: [a, b\n责任部门: y\n", ""),
            ITEM02,
            3,
            &["YAML 格式错误", "`]`"],
        ),
        case(
            "yaml: colon inside a value",
            item02("项目名称: 一期: 二期\n责任领导: a\n责任部门: y\n", ""),
            ITEM02,
            2,
            &["YAML 格式错误", "冒号", "引号"],
        ),
        case(
            "yaml: tab indentation",
            item02("项目名称: a\n\t责任领导: a\n责任部门: y\n", ""),
            ITEM02,
            3,
            &["Tab"],
        ),
        case(
            "yaml: unpaired quote",
            item02("项目名称: \"a\n责任领导: a\n责任部门: y\n", ""),
            ITEM02,
            2,
            &["引号没有配对"],
        ),
        case(
            "yaml: full-width colon",
            item02("项目名称: a\n责任部门：纪工委\n责任领导: b\n", ""),
            ITEM02,
            3,
            &[
                "这里用了中文冒号“：”，请改成英文冒号“:”并在后面加一个空格",
                "改成 `责任部门: 纪工委`",
            ],
        ),
        case(
            "yaml: full-width colon on the first line",
            item02("责任部门：纪工委\n项目名称: a\n责任领导: b\n", ""),
            ITEM02,
            2,
            &["中文冒号", "改成 `责任部门: 纪工委`"],
        ),
        case(
            "yaml: full-width colons on every line",
            item02("项目名称：a\n责任部门：纪工委\n责任领导：b\n", ""),
            ITEM02,
            2,
            &["中文冒号", "改成 `项目名称: a`"],
        ),
        case(
            "yaml: full-width colon in an attachment",
            index("发文日期: 2020-10-27\n附件:\n  - 标题：附件一\n    文件: a.pdf\n"),
            INDEX,
            4,
            &["中文冒号", "改成 `- 标题: 附件一`"],
        ),
        case(
            "yaml: no space after a colon",
            item02("项目名称: a\ndepartment:纪工委\n责任领导: b\n", ""),
            ITEM02,
            3,
            &["冒号后面要有一个空格", "改成 `department: 纪工委`"],
        ),
        case(
            "yaml: no space after a colon, last line",
            item02("项目名称: a\n责任领导: b\ndepartment:纪工委\n", ""),
            ITEM02,
            4,
            &["冒号后面要有一个空格"],
        ),
        case(
            "yaml: full-width quotes around a colon",
            item02("项目名称: “一期: 二期”\n责任领导: a\n责任部门: y\n", ""),
            ITEM02,
            2,
            &["中文引号", "改成 `项目名称: \"一期: 二期\"`"],
        ),
        case(
            "full-width brackets around a list",
            item02("项目名称: a\n责任领导: ［张三，李四］\n责任部门: y\n", ""),
            ITEM02,
            3,
            &["中文方括号", "改成 `责任领导: [张三, 李四]`"],
        ),
        case(
            "a line indented with a full-width space",
            item02("项目名称: a\n\u{3000}责任部门: y\n责任领导: b\n", ""),
            ITEM02,
            3,
            &["中文全角空格", "写成 `责任部门: …`"],
        ),
        case(
            "yaml: line without colon",
            item02("项目名称: a\n责任领导 a\n责任部门: y\n", ""),
            ITEM02,
            3,
            &["冒号"],
        ),
        case(
            "yaml: not a mapping",
            item02("- a\n- b\n", ""),
            ITEM02,
            2,
            &["键: 值"],
        ),
        case(
            "front matter never closed",
            |s: &TestSite| s.write(ITEM02, &format!("---\n{OK}\n## 本月进度情况\n")),
            ITEM02,
            1,
            &["没有结束", "`---`"],
        ),
        case(
            "no front matter at all",
            |s: &TestSite| s.write(ITEM02, "## 本月进度情况\n\n完成\n"),
            ITEM02,
            1,
            &["没有 front matter"],
        ),
        case(
            "unknown key, English typo",
            item02(&format!("{OK}departmnet: x\n"), ""),
            ITEM02,
            5,
            &["未知字段 `departmnet`", "`department`", "`责任部门`"],
        ),
        case(
            "unknown key, Chinese typo",
            item02("责任领导: 李四\n项目名称: 招商引资\n责任部們: 办公室\n", ""),
            ITEM02,
            4,
            &["未知字段 `责任部們`", "`department`", "`责任部门`"],
        ),
        case(
            "unknown key, nothing close",
            item02(&format!("{OK}颜色: 红\n"), ""),
            ITEM02,
            5,
            &["未知字段 `颜色`", "可用字段", "leaders/责任领导"],
        ),
        case(
            "key written in both languages",
            item02(&format!("{OK}department: 另一个\n"), ""),
            ITEM02,
            5,
            &["责任部门 (department) 写了两次", "第 4 行"],
        ),
        case(
            "missing leaders",
            item02("项目名称: 招商引资\n责任部门: 办公室\n", ""),
            ITEM02,
            4,
            &["缺少必填字段 责任领导 (leaders)", "`---` 之前"],
        ),
        case(
            "missing issued",
            index("文号: 无\n"),
            INDEX,
            3,
            &["缺少必填字段 发文日期 (issued)"],
        ),
        case(
            "required field empty",
            item02("责任领导: 李四\n项目名称: \"\"\n责任部门: 办公室\n", ""),
            ITEM02,
            3,
            &["必填字段 项目名称 (project) 是空的"],
        ),
        case(
            "wrong type: leaders: 3",
            item02("leaders: 3\n项目名称: 招商引资\n责任部门: 办公室\n", ""),
            ITEM02,
            2,
            &["责任领导 (leaders) 应当是一个名字或名字列表，这里是数字"],
        ),
        case(
            "wrong type: project is a list",
            item02("责任领导: 李四\n项目名称: [a, b]\n责任部门: 办公室\n", ""),
            ITEM02,
            3,
            &["项目名称 (project) 应当是文字，这里是列表"],
        ),
        case(
            "wrong type: draft",
            item02(&format!("{OK}草稿: 也许\n"), ""),
            ITEM02,
            5,
            &["草稿 (draft) 应当是 true 或 false"],
        ),
        case(
            "invalid date 2020-13-40",
            index("发文日期: 2020-13-40\n"),
            INDEX,
            2,
            &["发文日期 (issued)", "“2020-13-40” 不是有效日期"],
        ),
        case(
            "invalid date 2020年2月30日",
            index("发文日期: 2020年2月30日\n"),
            INDEX,
            2,
            &["2020年2月没有30日"],
        ),
        case(
            "invalid date in words",
            index("发文日期: 2020-10-27\n发布时间: 昨天\n"),
            INDEX,
            3,
            &["发布时间 (published)", "不是有效日期"],
        ),
        case(
            "validity outside the list",
            index("发文日期: 2020-10-27\n有效性: 作废\n"),
            INDEX,
            3,
            &["“作废”", "有效、失效、废止、已修改、尚未生效"],
        ),
        case(
            "attachment file missing",
            index(
                "发文日期: 2020-10-27\n附件:\n  - 标题: 附件一\n    文件: a.pdf\n  - 标题: 附件二\n    文件: b.pdf\n",
            ),
            INDEX,
            7,
            &["附件文件 `b.pdf` 不在月份文件夹"],
        ),
        case(
            "attachment with a path",
            index("发文日期: 2020-10-27\n附件:\n  - 标题: 系统文件\n    文件: ../site.yaml\n"),
            INDEX,
            5,
            &["不能含有路径"],
        ),
        case(
            "attachment without file",
            index("发文日期: 2020-10-27\n附件:\n  - 标题: 附件一\n"),
            INDEX,
            4,
            &["附件 (attachments) 的第 1 项缺少 文件 (file)"],
        ),
        case(
            "attachments not a list",
            index("发文日期: 2020-10-27\n附件: a.pdf\n"),
            INDEX,
            3,
            &["附件 (attachments) 应当是列表"],
        ),
        case(
            "change with a bad date",
            index("发文日期: 2020-10-27\n更正记录:\n  - 日期: 2020-11-31\n    说明: 更正错字\n"),
            INDEX,
            4,
            &["更正记录 (changes) 的日期", "2020年11月没有31日"],
        ),
        case(
            "superseded_by: a month that does not exist",
            index("发文日期: 2020-10-27\n有效性: 废止\n替代文件: 2021-03\n"),
            INDEX,
            4,
            &["“2021-03”找不到", "没有这个月份"],
        ),
        case(
            "superseded_by: javascript:",
            index("发文日期: 2020-10-27\n有效性: 废止\n替代文件: javascript:alert(1)\n"),
            INDEX,
            4,
            &["既不是月份也不是网址"],
        ),
        case(
            "duplicate 序号",
            item02(&format!("序号: 1\n{OK}"), ""),
            ITEM02,
            2,
            &["序号 (number) 1 与 content/2020-07/01.md 重复"],
        ),
        case(
            "duplicate key",
            item02(&format!("{OK}项目标识: 智慧旅游\n"), ""),
            ITEM02,
            5,
            &["项目标识 (key)“智慧旅游”与 content/2020-07/01.md 重复"],
        ),
        case(
            "duplicate key from the project name",
            item02("责任领导: 李四\n项目名称: 智慧旅游\n责任部门: 办公室\n", ""),
            ITEM02,
            3,
            &["项目标识 (key)“智慧旅游”", "重复"],
        ),
        case(
            "link to an item that does not exist",
            item02(OK, "## 本月进度情况\n\n见[六月](../2020-06/03.md)。\n"),
            ITEM02,
            8,
            &["链接 `../2020-06/03.md` 指向的内容不存在", "2020-06/03/"],
        ),
        case(
            "link to a missing attachment",
            item02(OK, "## 存在问题\n\n见[附件](b.pdf)\n"),
            ITEM02,
            8,
            &["链接 `b.pdf`", "不是任何月份 _index.md 中列出的附件"],
        ),
        case(
            "link above the site",
            item02(OK, "## 本月进度情况\n\n[上级](../../x)\n"),
            ITEM02,
            8,
            &["`../` 太多"],
        ),
        case(
            "link in a month preface",
            |s: &TestSite| {
                s.write(
                    INDEX,
                    "---\n发文日期: 2020-10-27\n---\n详见[第九项](09.md)。\n",
                )
            },
            INDEX,
            4,
            &["链接 `09.md`", "2020-07/09/"],
        ),
        case(
            "GBK file",
            |s: &TestSite| {
                fs::write(
                    s.root().join(ITEM02),
                    b"---\n\xcf\xee\xc4\xbf\xc3\xfb\xb3\xc6: a\n---\n",
                )
                .unwrap()
            },
            ITEM02,
            2,
            &[
                "不是 UTF-8",
                "GBK",
                "记事本",
                "另存为",
                "UTF-8 后保存",
                "项目名称: a",
            ],
        ),
        case(
            "empty file",
            |s: &TestSite| s.write(ITEM02, " \n\n"),
            ITEM02,
            0,
            &["文件是空的"],
        ),
        case(
            "month without _index.md",
            |s: &TestSite| s.write("content/2020-08/01.md", &format!("---\n{OK}---\n")),
            "content/2020-08/_index.md",
            0,
            &["2020-08 月份缺少 _index.md"],
        ),
        case(
            "site.yaml: unknown key",
            site_yaml("titel: 网站\n"),
            SITE,
            1,
            &["未知字段 `titel`", "`title`", "`站点名称`"],
        ),
        case(
            "site.yaml: base_url without scheme",
            site_yaml("网址: example.gov.cn\n"),
            SITE,
            1,
            &["http://"],
        ),
        case(
            "site.yaml: base_url too long for a QR code",
            |s: &TestSite| {
                let long = "a".repeat(2400);
                s.write(
                    SITE,
                    &format!("title: 网站\nbase_url: https://example.gov.cn/{long}/\n"),
                );
            },
            SITE,
            2,
            &["base_url 太长", "最多 1000", "二维码"],
        ),
        case(
            // Found by fuzzing (issue 19): libyaml put it on a line after the last.
            "site.yaml: a key without a space after its colon, last",
            site_yaml("title: 网站\nicp:鄂ICP备\n"),
            SITE,
            2,
            &[
                "YAML 格式错误",
                "冒号后面要有一个空格",
                "改成 `icp: 鄂ICP备`",
            ],
        ),
        case(
            "site.yaml: unknown view",
            site_yaml("视图: [html, pdf]\n"),
            SITE,
            1,
            &["未知视图 `pdf`"],
        ),
    ]
}

/// Problems that only warn: a normal build succeeds, `--strict` fails.
fn warning_cases() -> Vec<Case> {
    vec![
        case(
            "a folder that is not a month",
            |s: &TestSite| s.write("content/资料/说明.txt", "内部资料\n"),
            "content/资料",
            0,
            &["`资料` 不是 YYYY-MM", "已跳过"],
        ),
        case(
            "unknown body heading",
            item02(OK, "## 本月进度情况\n\n完成\n\n## 其他事项\n\n无\n"),
            ITEM02,
            10,
            &["正文小标题“其他事项”不是三个栏目之一"],
        ),
        case(
            "leftover **",
            item02(
                OK,
                "## 本月进度情况\n\n**注意：**按期完成，这里**没有闭合\n",
            ),
            ITEM02,
            8,
            &["未生效的 `**` 或 `~~`"],
        ),
        case(
            "leftover ~~",
            item02(OK, "## 存在问题\n\n~~删除线没有闭合\n"),
            ITEM02,
            8,
            &["未生效的 `**` 或 `~~`"],
        ),
        case(
            "text before the first heading",
            item02(OK, "完成了。\n"),
            ITEM02,
            6,
            &["第一个栏目小标题之前"],
        ),
        case(
            "file over 1 MiB",
            item02(
                OK,
                &format!("## 本月进度情况\n\n{}\n", "很长的内容。".repeat(70_000)),
            ),
            ITEM02,
            0,
            &["超过 1 MiB"],
        ),
        case(
            "no site.yaml",
            |s: &TestSite| fs::remove_file(s.root().join(SITE)).unwrap(),
            SITE,
            0,
            &["没有 site.yaml"],
        ),
    ]
}

/// Checks one diagnostic in `err`: the `-->` line with file and line, and the words.
fn assert_reported(c: &Case, err: &str, kind: &str) {
    let location = if c.line == 0 {
        format!("--> {}", c.file)
    } else {
        format!("--> {}:{}:", c.file, c.line)
    };
    let at = |b: &str| {
        b.lines().any(|l| {
            let l = l.trim();
            if c.line == 0 {
                l == location
            } else {
                l.starts_with(&location)
            }
        })
    };
    let block = err
        .split("\n\n")
        .find(|b| at(b) && c.words.iter().all(|w| b.contains(w)))
        .unwrap_or_else(|| {
            panic!(
                "[{}] expected a diagnostic at `{location}` with {:?}, got:\n{err}",
                c.name, c.words
            )
        });
    assert!(
        block.starts_with(&format!("{kind}: ")),
        "[{}] expected {kind}:\n{block}",
        c.name
    );
    if c.line > 0 {
        // The snippet shows the line itself with a caret under it.
        assert!(
            block.contains(&format!("\n{} | ", c.line)) && block.contains('^'),
            "[{}] no snippet:\n{block}",
            c.name
        );
    }
}

#[test]
fn every_error_is_reported_with_file_and_line_and_output_is_untouched() {
    let cases = error_cases();
    assert!(
        cases.len() >= 30,
        "the corpus has {} error cases",
        cases.len()
    );
    for c in &cases {
        let site = good_site();
        site.build();
        let before = tree::snapshot(&site.public());
        (c.breaks)(&site);

        let out = site.run(&["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "[{}] check:\n{err}", c.name);
        assert_reported(c, &err, "error");
        assert!(err.contains("发现 "), "[{}] no summary:\n{err}", c.name);

        let out = site.run(&["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "[{}] build:\n{err}", c.name);
        assert_reported(c, &err, "error");
        let after = tree::snapshot(&site.public());
        if let Some(d) = tree::diff(&before, &after) {
            panic!("[{}] a failing build changed public/:\n{d}", c.name);
        }
        let leftovers: Vec<_> = fs::read_dir(site.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            // The spare and the record of the last good build stay on purpose.
            .filter(|n| n.contains("gongkai-") && !n.ends_with("-spare") && !n.ends_with("-pages"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "[{}] staging left behind: {leftovers:?}",
            c.name
        );
    }
}

#[test]
fn warnings_are_printed_and_fail_only_with_strict() {
    for c in &warning_cases() {
        let site = good_site();
        site.build();
        (c.breaks)(&site);

        let out = site.run(&["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "[{}] check:\n{err}", c.name);
        assert_reported(c, &err, "warning");

        let before = tree::snapshot(&site.public());
        let out = site.run(&["build", "--strict"]);
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "[{}] build --strict:\n{err}",
            c.name
        );
        assert_reported(c, &err, "error");
        assert!(
            tree::diff(&before, &tree::snapshot(&site.public())).is_none(),
            "[{}] a failing strict build changed public/",
            c.name
        );

        let out = site.run(&["check", "--strict"]);
        assert_eq!(out.status.code(), Some(1), "[{}] check --strict", c.name);

        let out = site.run(&["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "[{}] build:\n{err}", c.name);
        assert_reported(c, &err, "warning");
    }
}

#[test]
fn all_errors_come_back_at_once() {
    let site = good_site();
    item02("leaders: 3\n项目名称: 招商引资\ndepartmnet: 办公室\n", "")(&site);
    index("发文日期: 2020-13-40\n有效性: 作废\n")(&site);
    site.write("content/2020-07/03.md", "");
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for loc in [
        "--> content/2020-07/02.md:2:",
        "--> content/2020-07/02.md:4:",
        "--> content/2020-07/_index.md:2:",
        "--> content/2020-07/_index.md:3:",
        "--> content/2020-07/03.md\n",
    ] {
        assert!(err.contains(loc), "missing {loc}:\n{err}");
    }
    assert!(err.contains("发现 5 个错误、0 个警告"), "{err}");
    // A misspelt key that names a required field is one error, not two.
    assert!(!err.contains("缺少必填字段 责任部门"), "{err}");
}

#[test]
fn both_date_formats_are_accepted() {
    let site = good_site();
    index("发文日期: 2020年10月27日\n发布时间: 2020-10-28\n更新时间: 2020年11月1日\n")(
        &site,
    );
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn internal_links_work_from_every_page_that_shows_them() {
    let site = good_site();
    site.write(
        "content/2020-06/_index.md",
        "---\n发文日期: 2020-09-27\n---\n",
    );
    site.item("2020-06", "03", OK, "## 本月进度情况\n\n完成。\n");
    item02(
        OK,
        "## 本月进度情况\n\n见[六月第三项](../2020-06/03.md)、[本月报告](_index.md)、[附件](a.pdf)和[项目一览](../projects/)。\n",
    )(&site);
    site.build();
    // The same cell on pages at different depths and in different views.
    for (page, prefix, attach) in [
        ("2020-07/02/index.html", "../../", "../../"),
        ("2020-07/index.html", "../", "../"),
        ("print/2020-07/02/index.html", "../../", "../../../"),
        ("m/2020-07/index.html", "../", "../../"),
    ] {
        let doc = site.page(page);
        let hrefs = common::attrs(&doc, "a", "href");
        for want in [
            format!("{prefix}2020-06/03/index.html"),
            format!("{prefix}2020-07/index.html"),
            format!("{attach}2020-07/a.pdf"),
            format!("{prefix}projects/index.html"),
        ] {
            assert!(hrefs.contains(&want), "{page}: no {want} in {hrefs:?}");
        }
        // Every relative link of the page reaches a file that was written.
        let dir = site.public().join(page);
        let dir = dir.parent().unwrap();
        for h in hrefs.iter().filter(|h| h.starts_with("../")) {
            let path = h.split('#').next().unwrap();
            assert!(dir.join(path).exists(), "{page}: {h} leads nowhere");
        }
    }
    // No root marker survives anywhere in the output (pages, feeds, data).
    for (rel, bytes) in tree::snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("@@gongkai-"),
            "{rel} still holds a link marker"
        );
    }
}

#[test]
fn a_base_url_too_long_for_a_qr_code_is_an_error_naming_the_setting_not_a_panic() {
    let s = good_site();
    let long = format!("https://example.gov.cn/{}/", "a".repeat(2400));
    let out = s.run(&["build", "--base-url", &long]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--base-url 太长"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("内部错误"),
        "{err}"
    );
    assert!(!s.public().exists(), "nothing is written");
}

#[test]
fn a_panic_is_one_line_asking_for_a_report_and_exit_2() {
    let s = good_site();
    for (backtrace, lines) in [("0", 1), ("1", 2)] {
        let out = common::bin()
            .arg("check")
            .current_dir(s.root())
            .env("GONGKAI_PANIC_FOR_TEST", "1")
            .env("RUST_BACKTRACE", backtrace)
            .output()
            .expect("run gongkai");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.starts_with("内部错误："), "{err}");
        assert!(
            err.contains("internal error") && err.contains("report"),
            "{err}"
        );
        assert!(!err.contains("panicked at"), "{err}");
        if lines == 1 {
            assert_eq!(
                err.lines().count(),
                1,
                "one line without RUST_BACKTRACE: {err}"
            );
        } else {
            assert!(
                err.lines().count() > 2,
                "a backtrace with RUST_BACKTRACE=1: {err}"
            );
        }
    }
}
