//! The link check: every internal link of the content must reach a page or an
//! attachment the build writes. It needs the whole model (every page's
//! address), so it runs after loading; resolving links is `load::links`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::links::{Target, is_internal, resolve};
use crate::load::markdown::Rendered;
use crate::model::Site;

/// Every internal link of every month preface and item body must reach a
/// page or attachment that the build writes.
pub(crate) fn check(site: &Site) -> Diagnostics {
    let pages: BTreeSet<String> = site.pages().iter().map(|p| p.dir()).collect();
    let files: BTreeSet<String> = site
        .content
        .months
        .iter()
        .flat_map(|m| {
            m.meta
                .attachments
                .iter()
                .map(move |a| format!("{}/{}", m.ym, a.file))
        })
        .collect();
    let mut out = Diagnostics::default();
    for m in &site.content.months {
        let base = format!("{}/", m.ym);
        let index = m.dir.join("_index.md");
        let mut sources: Vec<(&Path, Vec<&Rendered>)> = vec![(&index, vec![&m.meta.preface])];
        for it in &m.items {
            sources.push((&it.path, vec![&it.progress, &it.problems, &it.plan]));
        }
        for (path, parts) in sources {
            for url in parts.iter().flat_map(|r| &r.links) {
                if !is_internal(url) {
                    continue;
                }
                let problem = match resolve(&base, url) {
                    Err(why) => Some(why),
                    Ok(Target::Page { dir, .. }) if !pages.contains(&dir) => Some(format!(
                        "页面 {dir} 不存在（按内容文件夹的位置，从 {base} 出发解析）"
                    )),
                    Ok(Target::File { path, .. }) if !files.contains(&path) => {
                        Some(format!("{path} 不是任何月份 _index.md 中列出的附件"))
                    }
                    Ok(_) => None,
                };
                if let Some(why) = problem {
                    out.push(link_error(path, url, &why));
                }
            }
        }
    }
    out.sort();
    out
}

/// Points at the link in its file: the file is read again only on error.
fn link_error(path: &Path, url: &str, why: &str) -> Diagnostic {
    let d = Diagnostic::error(path, format!("链接 `{url}` 指向的内容不存在：{why}")).help(
        "站内链接按内容文件夹的写法：同月条目写 `03.md`，别的月份写 `../2020-06/03.md`，月份报告写 `../2020-06/`，附件写文件名",
    );
    let Ok(raw) = std::fs::read_to_string(path) else {
        return d;
    };
    let text = crate::load::front_matter::normalise(&raw);
    for (i, line) in text.lines().enumerate() {
        if let Some(byte) = line
            .find(&format!("]({url}"))
            .map(|b| b + 2)
            .or_else(|| line.find(&format!("]: {url}")).map(|b| b + 3))
            .or_else(|| line.find(url))
        {
            let col = line[..byte].chars().count() + 1;
            return d.at(&text, i + 1, col);
        }
    }
    d
}
