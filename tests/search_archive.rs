//! Search on a ten-year archive: 120 generated months of 70 items each. A
//! query must stay within 1 MB of downloads, because the index is split into
//! shards and a query fetches only the ones it needs.

mod cdp;
mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use cdp::{Browser, file_url};
use gongkai::build::BuildOptions;
use gongkai::search;

/// The budget of one query, in bytes.
const QUERY_BUDGET: usize = 1_000_000;

/// Two-character queries a citizen would type, common and rare: 工作 is in
/// every project name, 樱花 and 还建 in a few percent of the text.
const TYPICAL_QUERIES: [&str; 6] = ["工作", "景区", "东湖", "樱花", "还建", "防汛"];

const PHRASES: &str = "推进 完成 督促 落实 开展 协调 工作 项目 建设 改造 整治 检查 管理 方案 景区 东湖 绿道 磨山 \
    听涛 落雁 马鞍山 还建房 征地拆迁 疫情防控 常态化 复工复产 安全生产 监控点位 停车场 污水 管网 \
    雨污分流 示范河湖 智慧旅游 大数据 平台 审批 政务公开 营商环境 专项资金 债券 审计 整改 培训 \
    宣传 调研 验收 招标 施工 设计 规划 选址 补偿 结算 考核 督办 巡查 隐患 防汛 野泳 劝阻 \
    樱花园 湿地 博物馆 文化 演出 志愿者 云课堂 换届 网格化 普法 民法典 扫黑除恶 信访 维稳";
const LEADERS: &str = "章平 甄别 童水林 夏喜平 徐铁柱 万沐涛 秦新锋 吴汉泉";
const DEPARTMENTS: &str = "纪工委 组织部 建设局 自然资源与规划分局 统筹发展局 城管执法局 卫健办 政法综治办 办公室 \
    宣传部(教育局) 旅游局 机关党委 海事处 落雁管理处 市场监督管理局 环保分局 城乡工作 经发局 财政局 审计局 行政审批局";

/// A small deterministic generator (xorshift), so every run writes the same archive.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

fn paragraph(rng: &mut Rng, phrases: &[&str], sentences: usize) -> String {
    let mut s = String::new();
    for _ in 0..sentences {
        for _ in 0..rng.range(4, 12) {
            s.push_str(rng.pick(phrases));
        }
        if rng.below(10) < 4 {
            let _ = write!(s, "{}项,完成率{}%", rng.range(1, 999), rng.range(10, 100));
        }
        s.push('。');
    }
    s
}

/// Writes `months` months of `items` items, like the real reports in length
/// and character mix, into `dir`: html view only and no base URL, to keep
/// the build quick (the index does not depend on either).
fn generate(dir: &Path, months: usize, items: usize) {
    let phrases: Vec<&str> = PHRASES.split_whitespace().collect();
    let leaders: Vec<&str> = LEADERS.split_whitespace().collect();
    let depts: Vec<&str> = DEPARTMENTS.split_whitespace().collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let projects: Vec<(String, String, &str, &str)> = (0..150)
        .map(|p| {
            let mut name = String::new();
            for _ in 0..rng.range(2, 4) {
                name.push_str(rng.pick(&phrases));
            }
            name.push_str("工作");
            (
                format!("p{p:04}"),
                name,
                rng.pick(&leaders),
                rng.pick(&depts),
            )
        })
        .collect();
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("site.yaml"),
        "title: 示例风景区管委会 政府信息公开\npublisher: 示例风景区管委会\nviews: [html]\n",
    )
    .unwrap();
    let (mut year, mut month) = (2016, 1);
    for _ in 0..months {
        let d = dir.join(format!("{year:04}-{month:02}"));
        fs::create_dir_all(&d).unwrap();
        let next = month % 12 + 1;
        fs::write(
            d.join("_index.md"),
            format!(
                "---\ntitle: {month}月工作进展情况及{next}月安排\nissued: {year:04}-{month:02}-{:02}\n---\n",
                rng.range(1, 28)
            ),
        )
        .unwrap();
        let mut chosen: BTreeSet<usize> = BTreeSet::new();
        while chosen.len() < items {
            chosen.insert(rng.below(projects.len()));
        }
        for (i, p) in chosen.into_iter().enumerate() {
            let (key, name, leader, dept) = &projects[p];
            let n = rng.range(2, 6);
            let mut body = format!(
                "---\nnumber: {}\nleaders: [{leader}]\nproject: {name}\nkey: {key}\ndepartment: {dept}\n---\n## 本月进度情况\n\n{}\n\n",
                i + 1,
                paragraph(&mut rng, &phrases, n)
            );
            if rng.below(10) < 6 {
                let n = rng.range(1, 2);
                let _ = write!(
                    body,
                    "## 存在问题\n\n{}\n\n",
                    paragraph(&mut rng, &phrases, n)
                );
            }
            let n = rng.range(1, 4);
            let _ = write!(
                body,
                "## {next}月具体进度安排\n\n{}\n",
                paragraph(&mut rng, &phrases, n)
            );
            fs::write(d.join(format!("{:02}.md", i + 1)), body).unwrap();
        }
        month += 1;
        if month == 13 {
            (year, month) = (year + 1, 1);
        }
    }
}

/// The archive, generated and built once for every test here.
fn archive() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        generate(&dir.path().join("content"), 120, 70);
        let out = common::bin()
            .args(["build"])
            .current_dir(dir.path())
            .output()
            .expect("run gongkai");
        assert!(out.status.success(), "{}", common::stderr(&out));
        dir
    })
    .path()
}

fn public() -> PathBuf {
    archive().join("public")
}

fn index() -> &'static search::SearchIndex {
    static INDEX: OnceLock<search::SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let opts = BuildOptions {
            content: archive().join("content"),
            ..BuildOptions::default()
        };
        let (site, _, _) = gongkai::build::load(&opts).expect("archive loads");
        search::build(&site)
    })
}

fn size(rel: &str) -> usize {
    fs::metadata(public().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .len() as usize
}

#[test]
fn a_typical_query_downloads_less_than_one_megabyte() {
    let idx = index();
    assert_eq!(idx.docs(), 120 * 70);
    // What the build wrote is what the library describes, byte for byte.
    for (path, bytes) in &idx.files {
        assert_eq!(
            &fs::read(public().join(path)).unwrap(),
            bytes,
            "{path} differs"
        );
    }
    let total: usize = idx.files.iter().map(|(_, b)| b.len()).sum();
    eprintln!(
        "archive index: {} files, {total} bytes in all",
        idx.files.len()
    );
    for q in TYPICAL_QUERIES {
        let plan = idx.query_files(q);
        let files: Vec<&String> = plan.first_page_at_most().collect();
        let bytes: usize = files.iter().map(|f| size(f)).sum();
        let terms = files.iter().filter(|f| f.contains("/terms/")).count();
        let docs = files.iter().filter(|f| f.contains("/docs/")).count();
        eprintln!(
            "query {q}: at most {bytes} bytes in {} files ({terms} term shard, {docs} doc shards; matches in {} doc shards)",
            files.len(),
            plan.doc_shards.len()
        );
        assert_eq!(terms, 1, "{q}: a two-character query is one term");
        assert!(docs <= search::RESULTS_PER_PAGE, "{q}: {docs} doc shards");
        assert!(
            bytes <= QUERY_BUDGET,
            "{q}: {bytes} bytes over the {QUERY_BUDGET} budget"
        );
        // Far less than the whole index: the point of sharding.
        assert!(bytes * 10 < total, "{q}: {bytes} of {total}");
    }
}

#[test]
fn the_browser_fetches_only_the_shards_a_query_needs() {
    let Some(mut b) = Browser::launch("the_browser_fetches_only_the_shards_a_query_needs") else {
        return;
    };
    let idx = index();
    for q in ["樱花", "还建"] {
        let url = format!(
            "{}?q={}",
            file_url(&public().join("search/index.html")),
            cdp::encode(q)
        );
        b.goto(&url);
        assert!(
            b.wait_for(
                "document.querySelectorAll('.search-hit').length > 0",
                Duration::from_secs(30)
            ),
            "{q}: no results"
        );
        let loaded =
            b.eval("document.getElementById('search-results').getAttribute('data-loaded')");
        let loaded: Vec<String> = loaded
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .map(|n| format!("search/{n}.js"))
            .collect();
        let plan = idx.query_files(q);
        for f in &loaded {
            assert!(
                plan.index_and_terms.contains(f) || plan.doc_shards.contains(f),
                "{q}: {f} is not a file the query needs: {plan:?}"
            );
        }
        for f in &plan.index_and_terms {
            assert!(loaded.contains(f), "{q}: {f} was not loaded");
        }
        let bytes: usize = loaded.iter().map(|f| size(f)).sum();
        let bound: usize = plan.first_page_at_most().map(|f| size(f)).sum();
        eprintln!(
            "browser query {q}: {bytes} bytes in {} files (bound {bound})",
            loaded.len()
        );
        assert!(
            bytes <= bound && bound <= QUERY_BUDGET,
            "{q}: {bytes}, bound {bound}"
        );
        let shown = b.eval("document.querySelectorAll('.search-hit').length");
        assert_eq!(
            shown,
            search::RESULTS_PER_PAGE as u64,
            "{q}: one page at first"
        );
    }
}

#[test]
fn the_month_range_keeps_results_inside_it() {
    let Some(mut b) = Browser::launch("the_month_range_keeps_results_inside_it") else {
        return;
    };
    let url = format!(
        "{}?q={}&from=2020-01&to=2020-03",
        file_url(&public().join("search/index.html")),
        cdp::encode("樱花园")
    );
    b.goto(&url);
    assert!(
        b.wait_for(
            "document.querySelectorAll('.search-hit').length > 0",
            Duration::from_secs(30)
        ),
        "no results"
    );
    let metas = b.eval(
        "Array.from(document.querySelectorAll('.search-hit .hit-meta')).map(function(p){return p.textContent})",
    );
    for m in metas.as_array().unwrap() {
        let m = m.as_str().unwrap();
        assert!(
            ["2020年1月", "2020年2月", "2020年3月"]
                .iter()
                .any(|l| m.starts_with(l)),
            "{m}"
        );
    }
    // "Show more" loads the next page of results, from the same range.
    let before = metas.as_array().unwrap().len();
    b.eval(
        "document.querySelector('.search-more') && document.querySelector('.search-more').click()",
    );
    let more = b.wait_for(
        &format!("document.querySelectorAll('.search-hit').length > {before}"),
        Duration::from_secs(20),
    );
    let status = b.eval("document.getElementById('search-status').textContent");
    let total: usize = status
        .as_str()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(total > 0, "{status}");
    assert_eq!(more, total > before, "{status}");
}
