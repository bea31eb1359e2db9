//! Writing content files: the inverse of loading, used by `new month`
//! ([`crate::authoring::new_month`]) and `import` ([`crate::authoring::import`]).
//!
//! Keys are written with their English names from [`crate::load::fields`], like the
//! real content; values are quoted whenever YAML could read them as anything
//! but the exact text, and table text is escaped so it stays text in Markdown.

use std::fs;
use std::path::{Path, PathBuf};

use crate::basics::dates::YearMonth;
use crate::error::{Error, Result};
use crate::load::content::MonthMeta;
use crate::load::fields::{self, Field, ITEM, MONTH};

/// One item file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewItem {
    /// File name without `.md`.
    pub stem: String,
    pub number: Option<String>,
    pub leaders: Vec<String>,
    pub project: String,
    pub department: String,
    /// Written only when set: loading defaults it to the project name.
    pub key: Option<String>,
    pub draft: bool,
    /// `(heading, Markdown)` in order; an empty body leaves the heading for the editor.
    pub sections: Vec<(String, String)>,
}

impl NewItem {
    /// The file's text: front matter, then one `##` section per entry.
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::from("---\n");
        if let Some(n) = &self.number {
            push_key(&mut out, ITEM, "number", &yaml_number(n));
        }
        match self.leaders.as_slice() {
            [one] => push_key(&mut out, ITEM, "leaders", &yaml_string(one)),
            many => {
                out.push_str(key_name(ITEM, "leaders"));
                out.push_str(":\n");
                for l in many {
                    out.push_str("  - ");
                    out.push_str(&yaml_string(l));
                    out.push('\n');
                }
            }
        }
        push_key(&mut out, ITEM, "project", &yaml_string(&self.project));
        push_key(&mut out, ITEM, "department", &yaml_string(&self.department));
        if let Some(k) = &self.key {
            push_key(&mut out, ITEM, "key", &yaml_string(k));
        }
        if self.draft {
            push_key(&mut out, ITEM, "draft", "true");
        }
        out.push_str("---\n");
        for (heading, body) in &self.sections {
            out.push_str("## ");
            out.push_str(heading);
            out.push_str("\n\n");
            let body = body.trim();
            if !body.is_empty() {
                out.push_str(body);
                out.push_str("\n\n");
            }
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
        out
    }
}

/// A month's `_index.md` whose 发文日期 is left for the editor: `issued` is
/// present but empty, which `check` reports until it is filled. `carry` is
/// the month it was started from: its publisher, topic and source stay.
pub(crate) fn month_index_text(
    ym: YearMonth,
    carry: Option<&MonthMeta>,
    index_number: Option<&str>,
) -> String {
    let mut out = String::from("---\n");
    push_key(&mut out, MONTH, "title", &yaml_string(&ym.default_title()));
    push_key(&mut out, MONTH, "doc_number", "\"\"");
    if let Some(n) = index_number {
        push_key(&mut out, MONTH, "index_number", &yaml_string(n));
    }
    if let Some(meta) = carry {
        for (name, value) in [
            ("publisher", &meta.publisher),
            ("topic", &meta.topic),
            ("source", &meta.source),
        ] {
            if !value.trim().is_empty() {
                push_key(&mut out, MONTH, name, &yaml_string(value));
            }
        }
    }
    let issued = field(MONTH, "issued");
    out.push_str(&format!(
        "# {}（{}）：发布前必须填写，例如 {}: {}-27；留空时 gongkai check 会报错\n",
        issued.alias,
        issued.name,
        issued.name,
        ym.next()
    ));
    out.push_str(issued.name);
    out.push_str(":\n");
    push_key(&mut out, MONTH, "validity", fields::VALIDITY_VALUES[0]);
    out.push_str("---\n");
    out
}

/// A month's `_index.md` from what a saved page states: `(key, value)` pairs
/// by the English names of [`MONTH`], in that table's order. Without an
/// `issued` the 发文日期 is left for the editor as in [`month_index_text`];
/// without a `title` the default one is written.
pub(crate) fn month_index_from(ym: YearMonth, values: &[(&str, String)]) -> String {
    let get = |name: &str| values.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
    let mut out = String::from("---\n");
    for f in MONTH {
        match (f.name, get(f.name)) {
            ("title", None) => {
                push_key(&mut out, MONTH, "title", &yaml_string(&ym.default_title()))
            }
            ("doc_number", None) => push_key(&mut out, MONTH, "doc_number", "\"\""),
            ("issued", None) => {
                out.push_str(&format!(
                    "# {}（{}）：页面上没有找到，发布前必须填写，例如 {}: {}-27\n{}:\n",
                    f.alias,
                    f.name,
                    f.name,
                    ym.next(),
                    f.name
                ));
            }
            ("validity", None) => push_key(&mut out, MONTH, "validity", fields::VALIDITY_VALUES[0]),
            (name, Some(v)) if name == "doc_number" && v.is_empty() => {
                push_key(&mut out, MONTH, name, "\"\"")
            }
            (name, Some(v)) => push_key(&mut out, MONTH, name, &yaml_string(v)),
            _ => {}
        }
    }
    out.push_str("---\n");
    out
}

fn field(table: &'static [Field], name: &str) -> &'static Field {
    fields::lookup(table, name).expect("field names used in code are declared in fields.rs")
}

fn key_name(table: &'static [Field], name: &str) -> &'static str {
    field(table, name).name
}

fn push_key(out: &mut String, table: &'static [Field], name: &str, value: &str) {
    out.push_str(key_name(table, name));
    out.push_str(": ");
    out.push_str(value);
    out.push('\n');
}

/// A 序号 such as 12 as it is: YAML reads it as a number, which the loader
/// takes as "12" for `number`; anything else as `yaml_string`.
fn yaml_number(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0') {
        return s.to_owned();
    }
    yaml_string(s)
}

/// A YAML scalar that reads back as exactly `s`, as a string. Plain only when
/// nothing in it can mean something else to YAML: Chinese text with ASCII
/// letters and digits. Everything else is double-quoted, with invisible and
/// unusual spaces (NBSP, zero-width, BOM) written as `\uXXXX` so editors see them.
/// Digits are quoted too: a 责任领导 of `12` must stay a string, and the
/// loader refuses a number there.
pub(crate) fn yaml_string(s: &str) -> String {
    if is_plain_safe(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ' ' => out.push(' '),
            c if c.is_whitespace() || c.is_control() || is_invisible(c) || !yaml_printable(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(s: &str) -> bool {
    !s.is_ascii()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || (!c.is_ascii()
                    && !c.is_whitespace()
                    && !c.is_control()
                    && !is_invisible(c)
                    && yaml_printable(c))
        })
}

/// A character YAML lets a file hold as it is (its `c-printable`): not the
/// noncharacters U+FFFE and U+FFFF, which the YAML library refuses anywhere in
/// a file, even quoted; those are written as `\u` escapes.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Characters that show nothing but change the text.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// A table cell as Markdown: each line of the cell becomes a paragraph, and
/// characters Markdown would read as markup are escaped so the text stays text.
pub(crate) fn cell_paragraphs(cell: &str) -> String {
    cell_lines(cell)
        .map(escape_markdown_line)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The non-empty lines of a cell, trimmed; `\r\n` and lone `\r` count as breaks.
pub(crate) fn cell_lines(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// Escapes one line of plain text for Markdown. Inline markup characters are
/// escaped everywhere; block markers (`#`, `-`, `1.`) only at the line start,
/// so ordinary text such as `1.7月3日` stays as written.
pub(crate) fn escape_markdown_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let list_marker = digits > 0
        && digits <= 9
        && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(line.as_bytes().get(digits + 1), None | Some(b' ' | b'\t'));
    for (i, c) in line.char_indices() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|' | '&' => true,
            '#' | '-' | '+' | '=' => i == 0,
            '.' | ')' => list_marker && i == digits,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text kept in an HTML comment, which the renderer drops: `-->` inside it
/// would end the comment early, so it is broken up.
pub(crate) fn html_comment(heading: &str, text: &str) -> String {
    let safe = |s: &str| s.replace("--!>", "--! >").replace("-->", "-- >");
    format!("<!-- {}\n{}\n-->", safe(heading), safe(text.trim()))
}

/// Creates `content/YYYY-MM/` holding `files` (name, text) in one step: the
/// files are written into a hidden folder that is then renamed into place,
/// so a month folder is either complete or absent.
pub(crate) fn create_month_dir(
    content: &Path,
    ym: YearMonth,
    files: &[(String, String)],
) -> Result<PathBuf> {
    let target = content.join(ym.to_string());
    if target.exists() {
        return Err(month_exists(&target));
    }
    // Hidden, so a loader running meanwhile ignores it.
    let staging = content.join(format!(".{ym}.gongkai-new-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::io(e, &staging))?;
    }
    fs::create_dir(&staging).map_err(|e| Error::io(e, &staging))?;
    let written = write_files(&staging, files).and_then(|()| {
        if target.exists() {
            return Err(month_exists(&target));
        }
        fs::rename(&staging, &target).map_err(|e| Error::io(e, &target))
    });
    if written.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    written.map(|()| target)
}

/// The refusal both commands give for a month that is already there.
pub(crate) fn month_exists(dir: &Path) -> Error {
    Error::Usage(format!(
        "{} 已存在，没有改动任何文件。\n  new month 只新建月份；要用表格覆盖已有月份的条目，运行 gongkai import 表格 --month … --force（保留 _index.md）",
        dir.display()
    ))
}

/// Writes each file under `dir`.
pub(crate) fn write_files(dir: &Path, files: &[(String, String)]) -> Result<()> {
    for (name, text) in files {
        let path = dir.join(name);
        fs::write(&path, text).map_err(|e| Error::io(e, &path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::front_matter::{FrontMatter, split};

    /// What the loader reads back from `key: <yaml_string(s)>`.
    fn read_back(s: &str) -> String {
        let text = format!("---\nproject: {}\n---\n", yaml_string(s));
        let p = Path::new("x.md");
        let doc = split(p, &text).unwrap();
        let mut errs = Vec::new();
        let fm = FrontMatter::parse(p, &doc, ITEM, &mut errs);
        let v = fm.string(ITEM, "project", &mut errs);
        assert!(errs.is_empty(), "{text}: {errs:?}");
        v.unwrap()
    }

    #[test]
    fn yaml_values_read_back_exactly() {
        for s in [
            "章 \u{a0}平",
            "章  平",
            "信访办牵头,综治办、公安分局配合",
            "项目: 一期 \"试点\"",
            "'单引号'",
            "- 不是列表",
            "# 不是注释",
            "true",
            "null",
            "01",
            "1.10",
            "30a",
            "反斜杠\\和\t制表",
            " 前后空格 ",
            "零宽\u{200b}字符",
            // Noncharacters, from a fuzzed CSV (fuzz/corpus/import_csv/seed-crash-noncharacter.csv).
            "章\u{ffff}平",
            "\u{fffe}",
            "“四办”考核与“一张网”的建设和使用",
            "@开头",
            "a: b",
            "~",
        ] {
            assert_eq!(read_back(s), s, "{s:?} written as {}", yaml_string(s));
        }
    }

    #[test]
    fn plain_when_safe_quoted_otherwise() {
        assert_eq!(
            yaml_string("扶贫领域腐败和作风问题专项治理"),
            "扶贫领域腐败和作风问题专项治理"
        );
        assert_eq!(yaml_string("章 \u{a0}平"), "\"章 \\u00A0平\"");
        assert_eq!(yaml_string("12"), "\"12\"");
        assert_eq!(yaml_number("12"), "12");
        assert_eq!(yaml_number("01"), "\"01\"");
        assert_eq!(yaml_string("30a"), "\"30a\"");
    }

    #[test]
    fn markup_in_cells_stays_text() {
        assert_eq!(escape_markdown_line("1.7月3日,开会"), "1.7月3日,开会");
        assert_eq!(escape_markdown_line("1. 开会"), "1\\. 开会");
        assert_eq!(escape_markdown_line("# 标题"), "\\# 标题");
        assert_eq!(escape_markdown_line("a*b*_c_<d>"), "a\\*b\\*\\_c\\_\\<d\\>");
        // Not `**粗**`: markdown::cjk_emphasis pairs `**` after parsing, so
        // even escaped asterisks turn bold (a renderer limitation).
        for line in [
            "1. 开会",
            "- 列表",
            "*斜*",
            "<b>x</b>",
            "&nbsp;",
            "[链接](x)",
            "---",
            "> 引用",
        ] {
            let r = crate::load::markdown::render(&cell_paragraphs(line));
            assert_eq!(&*r.text, line, "{line}");
            assert_eq!(
                &*r.html,
                format!(
                    "<p>{}</p>",
                    line.replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                )
            );
        }
    }

    #[test]
    fn cell_lines_become_paragraphs() {
        assert_eq!(
            cell_paragraphs("  第一段\r\n\n第二段 \r第三段"),
            "第一段\n\n第二段\n\n第三段"
        );
    }

    #[test]
    fn comments_are_not_rendered() {
        let c = html_comment("上月安排：", "继续 --> 推进\n\n<b>第二段</b>");
        let r = crate::load::markdown::render(&format!("{c}\n\n正文"));
        assert_eq!(r.html.trim(), "<p>正文</p>");
        assert_eq!(&*r.text, "正文");
    }

    /// A 责任领导 of `1` from a fuzzed CSV (fuzz/corpus/import_csv/seed-crash-digit-leader.csv)
    /// was written as a YAML number, which the loader refuses for a name.
    #[test]
    fn digits_in_text_fields_load_back_as_text() {
        let item = NewItem {
            stem: "01".into(),
            number: Some("12".into()),
            leaders: vec!["1".into()],
            project: "2".into(),
            department: "3".into(),
            key: None,
            draft: false,
            sections: Vec::new(),
        };
        let text = item.to_text();
        assert!(
            text.starts_with("---\nnumber: 12\nleaders: \"1\"\n"),
            "{text}"
        );
        let ym = crate::basics::dates::YearMonth::parse("2020-07").unwrap();
        let path = Path::new("content/2020-07/01.md");
        let (loaded, diags) =
            crate::load::content::item_from_bytes(ym, "01", path, text.into_bytes());
        let loaded = loaded.unwrap_or_else(|| panic!("{diags}"));
        assert_eq!(loaded.leaders, ["1"]);
        assert_eq!(loaded.project, "2");
        // Two leaders, as a list.
        let two = NewItem {
            leaders: vec!["1".into(), "22".into()],
            ..item
        };
        let (loaded, diags) =
            crate::load::content::item_from_bytes(ym, "01", path, two.to_text().into_bytes());
        assert_eq!(
            loaded.unwrap_or_else(|| panic!("{diags}")).leaders,
            ["1", "22"]
        );
    }

    #[test]
    fn item_text_loads_back() {
        let item = NewItem {
            stem: "01".into(),
            number: Some("1".into()),
            leaders: vec!["甄  别".into(), "童水林".into()],
            project: "地铁19号线".into(),
            department: "统筹发展局".into(),
            key: Some("地铁".into()),
            draft: true,
            sections: vec![
                ("本月进度情况".into(), "完成".into()),
                ("存在问题".into(), String::new()),
            ],
        };
        assert_eq!(
            item.to_text(),
            "---\nnumber: 1\nleaders:\n  - \"甄  别\"\n  - 童水林\nproject: 地铁19号线\ndepartment: 统筹发展局\nkey: 地铁\ndraft: true\n---\n## 本月进度情况\n\n完成\n\n## 存在问题\n"
        );
    }
}
