//! `site.yaml`: the site's title, publisher, address, views and identification.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::load::content::SiteConfig;
use crate::load::content::read::read_text;
use crate::load::fields::SITE;
use crate::load::front_matter::{Document, FrontMatter};
use crate::urls::View;

/// `site.yaml`, or the defaults when there is none.
pub(crate) fn load_site(dir: &Path, diags: &mut Diagnostics) -> Result<SiteConfig, Error> {
    let path = dir.join("site.yaml");
    let mut site = SiteConfig {
        title: "政府信息公开".into(),
        publisher: String::new(),
        base_url: None,
        language: "zh-CN".into(),
        views: View::ALL.to_vec(),
        organizer: String::new(),
        site_id_code: String::new(),
        icp: String::new(),
        police_record: String::new(),
        index_prefix: None,
    };
    if !path.exists() {
        diags.push(
            Diagnostic::warning(&path, "没有 site.yaml，使用默认设置")
                .help("写一个 site.yaml，至少包含 title、publisher 和 base_url"),
        );
        return Ok(site);
    }
    let Some(raw) = read_text(&path, diags)? else {
        return Ok(site);
    };
    // site.yaml is all front matter: wrap it so the same reader applies.
    let doc = Document::all_yaml(&raw);
    let mut errs = Vec::new();
    let fm = FrontMatter::parse(&path, &doc, SITE, &mut errs);
    if let Some(t) = fm.string(SITE, "title", &mut errs) {
        site.title = t;
    }
    if let Some(p) = fm.string(SITE, "publisher", &mut errs) {
        site.publisher = p;
    }
    let text = |name: &str, errs: &mut Vec<Diagnostic>| {
        fm.string(SITE, name, errs)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    site.organizer = text("organizer", &mut errs);
    site.site_id_code = text("site_id_code", &mut errs);
    site.icp = text("icp", &mut errs);
    site.police_record = text("police_record", &mut errs);
    site.index_prefix = Some(text("index_prefix", &mut errs))
        .map(|p| p.trim_end_matches('/').to_owned())
        .filter(|p| !p.is_empty());
    if let Some(lang) = fm
        .string(SITE, "language", &mut errs)
        .filter(|l| !l.is_empty())
    {
        site.language = lang;
    }
    if let Some(url) = fm
        .string(SITE, "base_url", &mut errs)
        .filter(|u| !u.trim().is_empty())
    {
        match normalise_base_url(&url, "base_url") {
            Ok(u) => site.base_url = Some(u),
            Err(msg) => {
                errs.push(Diagnostic::error(&path, msg).at(&doc.text, fm.line_of("base_url"), 1))
            }
        }
    }
    if let Some(views) = fm.string_list(SITE, "views", &mut errs) {
        let mut chosen = Vec::new();
        for v in views {
            match View::from_name(&v) {
                Some(view) if !chosen.contains(&view) => chosen.push(view),
                Some(_) => {}
                None => errs.push(
                    Diagnostic::error(&path, format!("未知视图 `{v}`"))
                        .at(&doc.text, fm.line_of("views"), 1)
                        .help("可用视图：html, print, mobile"),
                ),
            }
        }
        if !chosen.contains(&View::Html) {
            errs.push(Diagnostic::error(&path, "views 必须包含 html").at(
                &doc.text,
                fm.line_of("views"),
                1,
            ));
        }
        chosen.sort();
        site.views = chosen;
    }
    if site.organizer.is_empty() {
        site.organizer = site.publisher.clone();
    }
    diags.0.extend(errs);
    Ok(site)
}

/// One warning naming what of 网站标识码, ICP备案号 and 公安备案号 `site`
/// lacks: the 政府网站检查 (inspection of government websites) asks every
/// page's footer for all three. None when all are there, or when there is no
/// site.yaml at all (that is warned about already).
pub(crate) fn identification_warning(dir: &Path, site: &SiteConfig) -> Option<Diagnostic> {
    let path = dir.join("site.yaml");
    let missing: Vec<&str> = [
        (&site.site_id_code, "网站标识码 (site_id_code)"),
        (&site.icp, "ICP备案号 (icp)"),
        (&site.police_record, "公安备案号 (police_record)"),
    ]
    .into_iter()
    .filter(|(value, _)| value.is_empty())
    .map(|(_, name)| name)
    .collect();
    if missing.is_empty() || !path.exists() {
        return None;
    }
    Some(
        Diagnostic::warning(
            &path,
            format!(
                "site.yaml 缺少 {}：政府网站检查要求每个页面的页脚都有网站标识码、ICP备案号和公安备案号",
                missing.join("、")
            ),
        )
        .help(
            "在 site.yaml 里加上，例如 `网站标识码: '4201000001'`、`ICP备案号: 鄂ICP备12345678号`、`公安备案号: 鄂公网安备 42010202000099号`；网站标识码由政府网站主管单位分配，两个备案号在备案后取得",
        ),
    )
}

/// The longest `base_url`, in bytes: every page's QR code holds it plus the
/// page's path (at most a few hundred bytes), and the largest code holds 2,331.
pub(crate) const MAX_BASE_URL: usize = 1000;

/// Checks a base URL is absolute http(s) and not too long for a QR code, and
/// makes it end with `/`. `setting` names where it came from in the message.
pub(crate) fn normalise_base_url(url: &str, setting: &str) -> Result<String, String> {
    let url = url.trim();
    if url.len() > MAX_BASE_URL {
        let start: String = url.chars().take(40).collect();
        return Err(format!(
            "{setting} 太长（{} 字节，最多 {MAX_BASE_URL}）：“{start}…”。每页的二维码要装下网站地址加页面路径，请填写网站的实际地址",
            url.len()
        ));
    }
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.contains(char::is_whitespace)
    {
        return Err(format!(
            "{setting} “{url}” 应当是以 http:// 或 https:// 开头的完整网址"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}
