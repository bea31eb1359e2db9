//! The three views as files: QR codes, validity notices, change history, and
//! what each view carries or leaves out. (How they look and behave in a real
//! browser is browser.rs.)

use std::fs;
use std::path::Path;

use crate::common::{TestSite, attrs, stderr, texts};

const BASE: &str = "https://example.gov.cn/gk/";
const VIEWS: [&str; 3] = ["", "print/", "m/"];

/// Two months: June, 废止 on 2021-03-01 and replaced by July, with a change
/// history; July, in force. Two projects run through both months.
fn two_months() -> TestSite {
    let s = TestSite::new();
    s.month(
        "2020-06",
        "有效性: 废止\n有效性变更日期: 2021-03-01\n替代文件: 2020-07\n更正记录:\n  - 日期: 2020-07-02\n    说明: 更正第1项的责任部门\n  - {date: 2020-07-09, note: 补充第2项的存在问题}\n",
    );
    s.month("2020-07", "");
    for ym in ["2020-06", "2020-07"] {
        s.item(
            ym,
            "01",
            "序号: 1\n责任领导: 章平\n项目名称: 绿道二期\n责任部门: 规划分局\n",
            "## 本月进度情况\n\n推进。\n",
        );
        s.item(
            ym,
            "02",
            "序号: 2\n责任领导: 章平\n项目名称: 还建房\n责任部门: 规划分局\n",
            "## 存在问题\n\n土地手续。\n",
        );
    }
    s
}

/// Every page file of the output below `view` (`""`, `print/` or `m/`), as paths below that view.
fn pages_of(public: &Path, view: &str) -> Vec<String> {
    let root = public.join(view);
    let mut out = Vec::new();
    for entry in walk(&root) {
        let rel = entry
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top_view = rel.starts_with("print/") || rel.starts_with("m/");
        if rel.ends_with("index.html") && (!view.is_empty() || !top_view) {
            out.push(rel);
        }
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Reads the text a QR code in `html` encodes, by scanning its module matrix
/// drawn as an image, as a phone camera would.
fn decode_qr(html: &str) -> Option<String> {
    // The QR code's figure; a page may hold other drawings (timelines).
    let figure = html.find("<figure class=\"qr-box\">")?;
    let start = figure + html[figure..].find("<svg")?;
    let end = start + html[start..].find("</svg>")?;
    let modules = gongkai::internals::modules_from_svg(&html[start..end])?;
    let (scale, quiet) = (4, 4);
    let n = modules.len();
    let side = (n + 2 * quiet) * scale;
    let mut img = rqrr::PreparedImage::prepare_from_bitmap(side, side, |x, y| {
        let (mx, my) = (
            (x / scale).checked_sub(quiet),
            (y / scale).checked_sub(quiet),
        );
        matches!((mx, my), (Some(mx), Some(my)) if mx < n && my < n && modules[my][mx])
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code per page");
    Some(grids[0].decode().expect("QR code decodes").1)
}

#[test]
fn every_html_and_print_page_has_a_qr_code_of_its_mobile_address() {
    let s = two_months();
    s.build();
    let public = s.public();
    let mut decoded = 0;
    for view in ["", "print/"] {
        for page in pages_of(&public, view) {
            let html = fs::read_to_string(public.join(view).join(&page)).unwrap();
            assert_eq!(
                html.matches("class=\"qr-box\"").count(),
                1,
                "{view}{page}: one QR code"
            );
            let dir = page.trim_end_matches("index.html");
            assert_eq!(
                decode_qr(&html).as_deref(),
                Some(format!("{BASE}m/{dir}").as_str()),
                "{view}{page}"
            );
            assert!(
                public.join("m").join(&page).is_file(),
                "the QR code of {view}{page} points to a page that exists"
            );
            assert!(html.contains("扫一扫在手机上查看当前页面"));
            decoded += 1;
        }
    }
    // home, 2 months, their 2 problems pages, 4 items, projects + 2, departments + 1,
    // leaders + 1, search; in 2 views
    assert_eq!(decoded, 2 * 17);
    // The phone already shows the mobile page: no QR code there.
    for page in pages_of(&public, "m/") {
        let html = fs::read_to_string(public.join("m").join(&page)).unwrap();
        assert!(!html.contains("qr-box"), "m/{page} has a QR code");
    }
}

#[test]
fn without_base_url_the_build_says_so_once_and_leaves_qr_codes_out() {
    let s = two_months();
    s.write(
        "content/site.yaml",
        "title: 测试公开网站\npublisher: 测试管委会\n",
    );
    let out = s.build();
    let err = stderr(&out);
    assert_eq!(
        err.matches("base_url").count(),
        1,
        "one note about base_url:\n{err}"
    );
    assert!(err.contains("二维码"), "{err}");
    for view in VIEWS {
        for page in pages_of(&s.public(), view) {
            let html = fs::read_to_string(s.public().join(view).join(&page)).unwrap();
            assert!(
                !html.contains("qr-box") && !html.contains("扫一扫"),
                "{view}{page}: QR code without base_url"
            );
            assert!(
                !html.contains("本页网址"),
                "{view}{page}: a printed address that is not an address"
            );
        }
    }
    // Given on the command line, the address is used at once.
    let out = s.run(&["build", "--base-url", "https://gk.example.cn/sub"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("base_url"), "{}", stderr(&out));
    let html = fs::read_to_string(s.public().join("print/2020-07/01/index.html")).unwrap();
    assert_eq!(
        decode_qr(&html).as_deref(),
        Some("https://gk.example.cn/sub/m/2020-07/01/")
    );
    assert!(html.contains("本页网址：https://gk.example.cn/sub/2020-07/01/"));
}

#[test]
fn a_report_not_in_force_carries_a_notice_at_the_top_of_every_view() {
    let s = two_months();
    s.build();
    for view in VIEWS {
        for page in [
            "2020-06/index.html",
            "2020-06/01/index.html",
            "2020-06/02/index.html",
        ] {
            let doc = s.page(&format!("{view}{page}"));
            let notice = texts(&doc, "main > .validity-notice");
            assert_eq!(
                notice.len(),
                1,
                "{view}{page}: one notice at the top of main"
            );
            assert_eq!(
                notice[0], "本文件已于2021年3月1日废止。现行文件：2020年7月的报告",
                "{view}{page}"
            );
            assert_eq!(
                texts(&doc, "main > *").first().map(String::as_str),
                Some(notice[0].as_str()),
                "{view}{page}: the notice comes first"
            );
            // The replacement is linked within the same view.
            let href = attrs(&doc, ".validity-notice a", "href");
            let depth = page.matches('/').count();
            assert_eq!(
                href,
                [format!("{}2020-07/index.html", "../".repeat(depth))],
                "{view}{page}"
            );
        }
        for page in ["2020-07/index.html", "2020-07/01/index.html"] {
            assert!(
                texts(&s.page(&format!("{view}{page}")), ".validity-notice").is_empty(),
                "{view}{page}"
            );
        }
        // In lists the title of the report is marked.
        let home = s.page(&format!("{view}index.html"));
        let archive = texts(&home, ".archive li");
        assert_eq!(archive.len(), 2);
        assert!(
            archive[0].starts_with("2020年7月") && !archive[0].contains("废止"),
            "{archive:?}"
        );
        assert!(
            archive[1].starts_with("2020年6月") && archive[1].ends_with("废止"),
            "{archive:?}"
        );
        assert_eq!(texts(&home, ".archive .badge-invalid"), ["废止"]);
        let project = s.page(&format!("{view}projects/lv-dao-er-qi/index.html"));
        let heads = texts(&project, ".project-entry h2");
        assert!(
            heads[0].contains("2020年6月") && heads[0].contains("废止"),
            "{heads:?}"
        );
        assert!(!heads[1].contains("废止"), "{heads:?}");
        let leader = s.page(&format!("{view}leaders/zhang-ping/index.html"));
        assert_eq!(
            texts(&leader, ".group-month h2"),
            ["2020年7月", "2020年6月 废止"]
        );
    }
}

#[test]
fn notices_name_the_validity_with_or_without_date_and_link() {
    let s = TestSite::new();
    s.month("2020-01", "有效性: 失效\n");
    s.month("2020-02", "有效性: 已修改\n有效性变更日期: 2020年5月6日\n替代文件: https://www.example.gov.cn/new.html\n");
    s.month("2020-03", "有效性: 尚未生效\n");
    for ym in ["2020-01", "2020-02", "2020-03"] {
        s.item(
            ym,
            "01",
            "责任领导: 甲\n项目名称: 某项\n责任部门: 某部\n",
            "",
        );
    }
    s.build();
    for view in VIEWS {
        let notice = |ym: &str| {
            texts(
                &s.page(&format!("{view}{ym}/index.html")),
                ".validity-notice",
            )
        };
        assert_eq!(notice("2020-01"), ["本文件已失效。"]);
        assert_eq!(
            notice("2020-02"),
            ["本文件已于2020年5月6日修改。现行文件：https://www.example.gov.cn/new.html"]
        );
        assert_eq!(notice("2020-03"), ["本文件尚未生效。"]);
        let doc = s.page(&format!("{view}2020-02/01/index.html"));
        assert_eq!(
            attrs(&doc, ".validity-notice a", "href"),
            ["https://www.example.gov.cn/new.html"]
        );
    }
}

#[test]
fn the_change_history_is_on_the_report_page_in_every_view() {
    let s = two_months();
    s.build();
    for view in VIEWS {
        let june = s.page(&format!("{view}2020-06/index.html"));
        assert_eq!(texts(&june, ".changes h2"), ["更正记录"], "{view}");
        assert_eq!(
            texts(&june, ".changes tbody tr"),
            [
                "2020-07-02更正第1项的责任部门",
                "2020-07-09补充第2项的存在问题"
            ],
            "{view}"
        );
        assert_eq!(
            attrs(&june, ".changes time", "datetime"),
            ["2020-07-02", "2020-07-09"]
        );
        let july = s.page(&format!("{view}2020-07/index.html"));
        assert!(
            texts(&july, ".changes").is_empty(),
            "{view}: no history, no section"
        );
    }
}

#[test]
fn each_view_carries_what_it_is_for() {
    let s = two_months();
    s.build();
    for page in [
        "index.html",
        "2020-07/index.html",
        "2020-07/01/index.html",
        "projects/lv-dao-er-qi/index.html",
    ] {
        let html = s.page(page);
        let print = s.page(&format!("print/{page}"));
        let mobile = s.page(&format!("m/{page}"));
        let depth = page.matches('/').count();
        let up = "../".repeat(depth);
        // Every page links to its other views.
        assert_eq!(
            attrs(&html, ".views a", "href"),
            [format!("{up}print/{page}"), format!("{up}m/{page}")]
        );
        assert_eq!(
            attrs(&mobile, ".views a", "href"),
            [format!("{up}../{page}"), format!("{up}../print/{page}")]
        );
        // [打印] opens the print view in a window of its own.
        assert_eq!(
            attrs(&html, "a.print-link", "href"),
            [format!("{up}print/{page}")]
        );
        assert_eq!(attrs(&html, "a.print-link", "target"), ["_blank"]);
        // The print view: no navigation, no reading controls; the address,
        // the QR code and the buttons (which do not print) instead.
        for gone in [
            ".site-nav",
            ".toolbar",
            ".skip-link",
            ".pager",
            ".site-footer",
        ] {
            assert!(texts(&print, gone).is_empty(), "print/{page} has {gone}");
        }
        assert_eq!(
            texts(&print, ".print-header .page-address"),
            [format!(
                "本页网址：{BASE}{}",
                page.trim_end_matches("index.html")
            )]
        );
        assert_eq!(
            texts(&print, ".print-header .qr-box figcaption"),
            ["扫一扫在手机上查看当前页面"]
        );
        assert_eq!(
            texts(&print, ".print-actions button[data-print]"),
            ["打印本页"]
        );
        assert_eq!(
            attrs(&print, ".print-actions a", "href"),
            [format!("{up}../{page}")]
        );
        // [关闭] starts hidden everywhere; the script shows it only where it can work.
        for doc in [&html, &print, &mobile] {
            assert_eq!(
                attrs(doc, "[data-close]", "hidden").len(),
                texts(doc, "[data-close]").len()
            );
            assert!(!texts(doc, "[data-close]").is_empty());
        }
    }
    // A report is laid out for landscape paper: its body is marked for `@page report`.
    assert_eq!(
        attrs(&s.page("print/2020-07/index.html"), "body", "class"),
        ["view-print page-month"]
    );
    let css = fs::read_to_string(s.public().join("static/gongkai.css")).unwrap();
    assert!(
        css.contains("@page report { size: A4 landscape;")
            && css.contains("body.page-month { page: report; }")
    );
}

#[test]
fn the_mobile_report_is_one_light_card_per_item() {
    let s = two_months();
    s.build();
    let doc = s.page("m/2020-07/index.html");
    assert!(
        texts(&doc, "table.report").is_empty(),
        "no seven-column table on a phone"
    );
    assert_eq!(
        texts(&doc, "ol.cards > li.card h2 a"),
        ["绿道二期", "还建房"]
    );
    assert_eq!(
        texts(&doc, "li.card .sections h3"),
        [
            "本月进度情况",
            "存在问题",
            "8月具体进度安排",
            "本月进度情况",
            "存在问题",
            "8月具体进度安排"
        ]
    );
    assert_eq!(
        texts(&doc, "li.card dl.card-meta dd"),
        ["章平", "规划分局", "章平", "规划分局"]
    );
    // Light: one small script, one stylesheet, no fonts, no images, nothing from elsewhere.
    assert_eq!(
        attrs(&doc, "script[src]", "src"),
        ["../../static/gongkai.js"]
    );
    assert_eq!(
        attrs(&doc, "link[rel=stylesheet]", "href"),
        ["../../static/gongkai.css"]
    );
    assert!(texts(&doc, "img, iframe, video").is_empty());
    let js = fs::metadata(s.public().join("static/gongkai.js"))
        .unwrap()
        .len();
    // 字号, 长者模式 and the 无障碍 tools (语音朗读, 大鼠标, 十字线, 大字幕).
    assert!(js < 8192, "gongkai.js is {js} bytes");
    let css = fs::read_to_string(s.public().join("static/gongkai.css")).unwrap();
    // The only url() is the 大鼠标 pointer, inline.
    assert!(
        !css.contains("@font-face")
            && css.matches("url(").count() == css.matches("url(\"data:").count(),
        "no web fonts or remote files"
    );
}
