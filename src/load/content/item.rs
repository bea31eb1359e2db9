//! One item file: a row of a report's table.

use std::path::Path;

use crate::basics::dates::YearMonth;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::content::Item;
use crate::load::content::read::{decode_text, split_front_matter};
use crate::load::fields::{self, ITEM};
use crate::load::front_matter::FrontMatter;
use crate::load::markdown;

/// Reads and checks one item file of month `ym`.
pub(crate) fn load_item(ym: YearMonth, stem: &str, path: &Path) -> (Option<Item>, Diagnostics) {
    match std::fs::read(path) {
        Ok(bytes) => item_from_bytes(ym, stem, path, bytes),
        Err(e) => {
            let e = crate::error::Error::io(e, path);
            (
                None,
                Diagnostics(vec![Diagnostic::error(path, e.to_string())]),
            )
        }
    }
}

/// Checks one item file's bytes, read from `path`.
pub(crate) fn item_from_bytes(
    ym: YearMonth,
    stem: &str,
    path: &Path,
    bytes: Vec<u8>,
) -> (Option<Item>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let source = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (ym, stem, path, &bytes).hash(&mut h);
        h.finish()
    };
    let Some(raw) = decode_text(path, bytes, &mut diags) else {
        return (None, diags);
    };
    let Some(doc) = split_front_matter(path, &raw, "责任领导: 张三", &mut diags) else {
        return (None, diags);
    };
    let mut errs = Vec::new();
    let fm = FrontMatter::parse(path, &doc, ITEM, &mut errs);
    if !fm.valid {
        diags.0.extend(errs);
        return (None, diags);
    }
    let number = fm
        .string(ITEM, "number", &mut errs)
        .filter(|n| !n.trim().is_empty());
    let leaders = match fm.string_list(ITEM, "leaders", &mut errs) {
        Some(l) if l.iter().any(|s| !s.trim().is_empty()) => Some(l),
        Some(_) => {
            errs.push(
                fm.error_at(
                    "leaders",
                    format!(
                        "必填字段 {} 是空的",
                        fields::label(fields::lookup(ITEM, "leaders").expect("declared"))
                    ),
                )
                .help("写上责任领导的名字，多位领导写成 `[张三, 李四]`"),
            );
            None
        }
        None if !fm.has("leaders") => {
            fm.report_missing(ITEM, "leaders", &mut errs);
            None
        }
        None => None,
    };
    let project = fm.required_string(ITEM, "project", &mut errs);
    let department = fm.required_string(ITEM, "department", &mut errs);
    let key = fm
        .string(ITEM, "key", &mut errs)
        .filter(|k| !k.trim().is_empty());
    let draft = fm.bool(ITEM, "draft", &mut errs).unwrap_or(false);

    let body = markdown::split_sections(&doc.body);
    for (line, heading) in &body.unknown_headings {
        diags.push(
            Diagnostic::warning(path, format!("正文小标题“{heading}”不是三个栏目之一，内容并入上一栏"))
                .at(&doc.text, doc.body_line + line - 1, 4)
                .help("栏目小标题只能是 `## 本月进度情况`、`## 存在问题`、`## 下月安排`（或 `## N月具体进度安排`）"),
        );
    }
    if let Some(line) = body.text_before_heading {
        diags.push(
            Diagnostic::warning(path, "正文在第一个栏目小标题之前，按“本月进度情况”处理")
                .at(&doc.text, doc.body_line + line - 1, 1)
                .help("在正文前加一行 `## 本月进度情况`"),
        );
    }
    let base = format!("{ym}/");
    let progress = markdown::render_in(&body.progress, Some(&base));
    let problems = markdown::render_in(&body.problems, Some(&base));
    let plan = markdown::render_in(&body.plan, Some(&base));
    if [&progress, &problems, &plan]
        .iter()
        .any(|r| r.leftover_markup)
    {
        let (line, col) = leftover_position(&doc.body);
        diags.push(
            Diagnostic::warning(path, "正文里有未生效的 `**` 或 `~~`，读者会看到这些符号")
                .at(&doc.text, doc.body_line + line - 1, col)
                .help("加粗写成 `**文字**`、删除线写成 `~~文字~~`，标记要成对"),
        );
    }
    diags.0.extend(errs);
    let item = match (leaders, project, department) {
        (Some(leaders), Some(project), Some(department)) if !diags.has_errors() => Some(Item {
            stem: stem.to_owned(),
            path: path.to_path_buf(),
            source,
            number,
            leaders: leaders
                .into_iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect(),
            key: key.unwrap_or_else(|| project.trim().to_owned()),
            project: project.trim().to_owned(),
            department: department.trim().to_owned(),
            draft,
            progress,
            problems,
            plan,
        }),
        _ => None,
    };
    (item, diags)
}

/// Where leftover `**` or `~~` sits in a body: the first line where a marker
/// has no partner, else the first marker. 1-based line within the body.
fn leftover_position(body: &str) -> (usize, usize) {
    let mut first = None;
    for (i, line) in body.lines().enumerate() {
        for d in ["**", "~~"] {
            if let Some(b) = line.find(d) {
                let pos = (i + 1, line[..b].chars().count() + 1);
                first.get_or_insert(pos);
                if line.matches(d).count() % 2 == 1 {
                    let last = line.rfind(d).unwrap_or(b);
                    return (i + 1, line[..last].chars().count() + 1);
                }
            }
        }
    }
    first.unwrap_or((1, 1))
}
