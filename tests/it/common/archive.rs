//! A deterministic synthetic archive in gongkai's content format, the same
//! shape as `shared/peerbench/gen.py`: site.yaml, one `_index.md` per month
//! and N item files drawn from a fixed pool of projects. Used by
//! `examples/gen-archive.rs` (benchmarks) and `tests/it/search_archive.rs`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// What to generate; [`Archive::default`] is peerbench's 120 months × 70 items.
pub struct Archive {
    pub months: usize,
    pub items: usize,
    pub projects: usize,
    pub seed: u64,
}

impl Default for Archive {
    fn default() -> Archive {
        Archive {
            months: 120,
            items: 70,
            projects: 150,
            seed: 1,
        }
    }
}

const PHRASES: &str = "推进 完成 督促 落实 开展 协调 工作 项目 建设 改造 整治 检查 管理 方案 景区 东湖 绿道 磨山 \
听涛 落雁 马鞍山 还建房 征地拆迁 疫情防控 常态化 复工复产 安全生产 监控点位 停车场 污水 管网 \
雨污分流 示范河湖 智慧旅游 大数据 平台 审批 政务公开 营商环境 专项资金 债券 审计 整改 培训 \
宣传 调研 验收 招标 施工 设计 规划 选址 补偿 结算 考核 督办 巡查 隐患 防汛 野泳 劝阻 \
樱花园 湿地 博物馆 文化 演出 志愿者 云课堂 换届 网格化 普法 民法典 扫黑除恶 信访 维稳";
const LEADERS: &str = "章平 甄别 童水林 夏喜平 徐铁柱 万沐涛 秦新锋 吴汉泉";
const DEPTS: &str = "纪工委 组织部 建设局 自然资源与规划分局 统筹发展局 城管执法局 卫健办 政法综治办 办公室 \
宣传部(教育局) 旅游局 机关党委 海事处 落雁管理处 市场监督管理局 环保分局 城乡工作 经发局 财政局 审计局 行政审批局";

/// SplitMix64: a tiny deterministic generator, stable across platforms and Rust versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in lo..=hi.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.range(0, list.len() - 1)]
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < p
    }
}

fn sentence(rng: &mut Rng, words: &[&str]) -> String {
    let mut s: String = (0..rng.range(4, 12)).map(|_| rng.pick(words)).collect();
    if rng.chance(0.4) {
        let _ = write!(s, "{}项,完成率{}%", rng.range(1, 999), rng.range(10, 100));
    }
    s + "。"
}

/// Between `lo` and `hi` sentences.
fn paragraph(rng: &mut Rng, words: &[&str], lo: usize, hi: usize) -> String {
    let sentences = rng.range(lo, hi);
    (0..sentences).map(|_| sentence(rng, words)).collect()
}

/// Writes the archive `a` into `out`, months from 2016-01 on.
pub fn write(out: &Path, a: &Archive) -> std::io::Result<()> {
    let words: Vec<&str> = PHRASES.split_whitespace().collect();
    let leaders: Vec<&str> = LEADERS.split_whitespace().collect();
    let depts: Vec<&str> = DEPTS.split_whitespace().collect();
    let mut rng = Rng(a.seed);
    let pool: Vec<(String, String, &str, &str)> = (0..a.projects)
        .map(|p| {
            let name: String = (0..rng.range(2, 4))
                .map(|_| rng.pick(&words))
                .collect::<String>()
                + "工作";
            (
                format!("p{p:04}"),
                name,
                rng.pick(&leaders),
                rng.pick(&depts),
            )
        })
        .collect();
    fs::create_dir_all(out)?;
    fs::write(
        out.join("site.yaml"),
        "title: 示例风景区管委会 政府信息公开\npublisher: 示例风景区管委会\nbase_url: https://www.example.gov.cn/zwgk/\nlanguage: zh-CN\n",
    )?;
    let (mut year, mut month) = (2016, 1);
    for _ in 0..a.months {
        let dir = out.join(format!("{year:04}-{month:02}"));
        fs::create_dir_all(&dir)?;
        let next = month % 12 + 1;
        let preface = paragraph(&mut rng, &words, 2, 2);
        fs::write(
            dir.join("_index.md"),
            format!(
                "---\ntitle: {month}月工作进展情况及{next}月安排\ndoc_number: 示管〔{year}〕{month}号\nissued: {year:04}-{month:02}-{:02}\nvalidity: 有效\n---\n{preface}\n",
                rng.range(1, 28)
            ),
        )?;
        // A sorted sample of `items` projects: partial Fisher-Yates over indices.
        let mut idx: Vec<usize> = (0..pool.len()).collect();
        let take = a.items.min(pool.len());
        for i in 0..take {
            let j = rng.range(i, idx.len() - 1);
            idx.swap(i, j);
        }
        let mut chosen = idx[..take].to_vec();
        chosen.sort();
        for (i, &p) in chosen.iter().enumerate() {
            let (key, name, leader, dept) = &pool[p];
            let mut body = format!(
                "## 本月进度情况\n\n{}\n\n",
                paragraph(&mut rng, &words, 2, 6)
            );
            if rng.chance(0.6) {
                let _ = write!(
                    body,
                    "## 存在问题\n\n{}\n\n",
                    paragraph(&mut rng, &words, 1, 2)
                );
            }
            let _ = writeln!(
                body,
                "## {next}月具体进度安排\n\n{}",
                paragraph(&mut rng, &words, 1, 4)
            );
            fs::write(
                dir.join(format!("{:02}.md", i + 1)),
                format!(
                    "---\nnumber: {}\nleaders: [{leader}]\nproject: {name}\nkey: {key}\ndepartment: {dept}\n---\n{body}",
                    i + 1
                ),
            )?;
        }
        month += 1;
        if month == 13 {
            year += 1;
            month = 1;
        }
    }
    Ok(())
}
