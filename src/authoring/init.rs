//! `gongkai init`: a new site that builds and passes `check` at once — a
//! `content/` folder with a `site.yaml` whose every key is explained in
//! Chinese, one example month, and a `themes/` note on overriding the theme.
//! `build`, `serve` and `check` run in the folder need no flags.

use std::fs;
use std::path::{Path, PathBuf};

use crate::authoring::writer::yaml_string;
use crate::basics::dates::{Date, YearMonth};
use crate::error::{Error, Result};

/// What `init` made.
#[derive(Debug)]
pub struct InitReport {
    /// The site folder.
    pub dir: PathBuf,
    /// The example month.
    pub month: YearMonth,
    /// Every file written, relative to `dir`, in order.
    pub files: Vec<String>,
}

/// Makes a new site in `dir`, which must be missing or empty; writes
/// nothing there otherwise. `today` dates the example month (the month
/// before it) and its 发文日期.
pub fn init(dir: &Path, title: &str, publisher: &str, today: Date) -> Result<InitReport> {
    let refuse = |why: String| {
        Err(Error::Usage(format!(
            "不能在 {} 新建站点：{why}。请换一个新的或空的文件夹",
            dir.display()
        )))
    };
    for (what, text) in [("站点名称", title), ("发布机构", publisher)] {
        if text.trim().is_empty() {
            return Err(Error::Usage(format!("{what}不能是空的")));
        }
    }
    if dir.is_file() {
        return refuse("这是一个文件".into());
    }
    if dir.is_dir()
        && fs::read_dir(dir)
            .map_err(|e| Error::io(e, dir))?
            .next()
            .is_some()
    {
        return refuse("文件夹不是空的".into());
    }
    let month = previous_month(today);
    let files = files(title, publisher, month, today);
    let made_dir = !dir.exists();
    let written = write_all(dir, &files);
    if let Err(e) = written {
        // Whatever was written goes again: the folder is as it was.
        for (rel, _) in files.iter().rev() {
            let _ = fs::remove_file(dir.join(rel));
        }
        for sub in [
            "content/".to_owned() + &month.to_string(),
            "content".into(),
            "themes".into(),
        ] {
            let _ = fs::remove_dir(dir.join(sub));
        }
        if made_dir {
            let _ = fs::remove_dir(dir);
        }
        return Err(e);
    }
    Ok(InitReport {
        dir: dir.to_path_buf(),
        month,
        files: files.into_iter().map(|(rel, _)| rel).collect(),
    })
}

fn write_all(dir: &Path, files: &[(String, String)]) -> Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(e, parent))?;
        }
        fs::write(&path, text).map_err(|e| Error::io(e, &path))?;
    }
    Ok(())
}

fn previous_month(today: Date) -> YearMonth {
    if today.month == 1 {
        YearMonth {
            year: today.year - 1,
            month: 12,
        }
    } else {
        YearMonth {
            year: today.year,
            month: today.month - 1,
        }
    }
}

/// The files of a new site, paths relative to its folder.
fn files(title: &str, publisher: &str, month: YearMonth, today: Date) -> Vec<(String, String)> {
    let (title, publisher) = (yaml_string(title.trim()), yaml_string(publisher.trim()));
    let site = format!(
        "# 站点设置。每个键都可以写英文名或冒号前的中文名（如 title 或 站点名称）。\n\
         # 以 # 开头的行是说明，gongkai 不读；去掉行首的 # 即启用这一项。\n\
         \n\
         # 站点名称：显示在每页顶部和浏览器标签上。\n\
         title: {title}\n\
         # 发布机构：每月报告的默认发布机构（某月的 _index.md 可另写）。\n\
         publisher: {publisher}\n\
         # 网址：网站发布后的完整地址，以 / 结尾。二维码、订阅（feed.xml）和网站地图需要它；\n\
         # 不写时这些功能关闭，页面照常生成。\n\
         # base_url: https://www.example.gov.cn/zwgk/\n\
         # 语言：默认 zh-CN。\n\
         # language: zh-CN\n\
         # 视图：生成哪些版本，默认三种都生成（html 网页版、print 打印版、mobile 手机版）。\n\
         # views: [html, print, mobile]\n\
         # 主办单位：页脚的主办单位，默认同发布机构。\n\
         # organizer: 某某管委会办公室\n\
         # 网站标识码：政府网站检查要求页脚和网页标签带上它（全国政府网站基本信息数据库给出的 10 位码）。\n\
         # site_id_code: \"4201000000\"\n\
         # ICP备案号：页脚显示。\n\
         # icp: 鄂ICP备00000000号\n\
         # 公安备案号：页脚显示。\n\
         # police_record: 鄂公网安备 00000000000000号\n\
         # 索引号前缀：写了它，check 会核对每月索引号是否写成 <前缀>/<年>-<五位序号>。\n\
         # index_prefix: \"000000000\"\n"
    );
    let index = format!(
        "---\n\
         # 这一个月的文件信息。发文日期必填；其余不写时用默认值。\n\
         title: {report_title}\n\
         # 文号：没有文号写 \"\" 或 无。\n\
         doc_number: \"\"\n\
         # 索引号：由政务公开平台分配。\n\
         # index_number: 000000000/{year}-00001\n\
         publisher: {publisher}\n\
         # 发文日期、发布时间、更新时间：写成 YYYY-MM-DD。\n\
         issued: {today}\n\
         published: {today}\n\
         updated: {today}\n\
         # 有效性：有效、失效、废止、已修改 或 尚未生效。撤下一份文件时改这里，不要删文件夹。\n\
         validity: 有效\n\
         # 更正记录：发布后改了内容，在这里记一笔，并把更新时间改成当天。\n\
         # changes:\n\
         #   - date: {today}\n\
         #     note: 更正第 2 项的责任部门\n\
         # 附件：文件放在本文件夹里。\n\
         # attachments:\n\
         #   - title: 工作进展情况表\n\
         #     file: 进展情况表.xlsx\n\
         ---\n",
        report_title = yaml_string(&month.default_title()),
        year = month.year,
    );
    let plan = month.plan_heading();
    let item1 = format!(
        "---\n\
         # 表格的一行。序号、责任领导、项目名称、责任部门在这里；三栏正文在下面的 ## 小节里。\n\
         number: 1\n\
         leaders: 张三\n\
         project: 示例项目：政务公开标准化规范化建设\n\
         department: 办公室\n\
         ---\n\
         ## 本月进度情况\n\
         \n\
         完成本月政府信息公开目录的梳理，更新公开事项 12 项。\n\
         \n\
         ## 存在问题\n\
         \n\
         无\n\
         \n\
         ## {plan}\n\
         \n\
         继续推进公开目录标准化。\n"
    );
    let item2 = format!(
        "---\n\
         number: 2\n\
         # 几位领导时写成列表。\n\
         leaders: [张三, 李四]\n\
         project: 示例项目：适老化和无障碍改造\n\
         department: 信息中心\n\
         # draft: true 的条目只在预览（gongkai serve --drafts）中出现，不会发布。\n\
         ---\n\
         ## 本月进度情况\n\
         \n\
         完成长者模式和字号调节的测试。\n\
         \n\
         ## 存在问题\n\
         \n\
         部分附件为扫描件，读屏软件无法朗读。\n\
         \n\
         ## {plan}\n\
         \n\
         为扫描件补充文字版。\n"
    );
    let themes = "# 主题\n\
         \n\
         gongkai 自带默认主题（default）。要改某个模板或样式，把要改的文件放到\n\
         themes/default/ 下与自带主题相同的位置，例如：\n\
         \n\
         - themes/default/templates/html/month.html（网页版的月报页面）\n\
         - themes/default/static/gongkai.css（样式）\n\
         \n\
         没放的文件仍用自带的。也可以另起一个主题文件夹，用 gongkai build --theme 名字 选用。\n"
        .to_owned();
    let dir = format!("content/{month}");
    vec![
        ("content/site.yaml".into(), site),
        (format!("{dir}/_index.md"), index),
        (format!("{dir}/01.md"), item1),
        (format!("{dir}/02.md"), item2),
        ("themes/README.md".into(), themes),
    ]
}
