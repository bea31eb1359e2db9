//! The YAML library's syntax errors made usable: pointed at the culprit
//! rather than where libyaml noticed, and explained with what to do.

use std::path::Path;

use crate::diagnostics::Diagnostic;

use super::Document;

/// A YAML syntax error in `doc` as a diagnostic at the line to fix.
pub(super) fn syntax_error(path: &Path, doc: &Document, e: &serde_yaml::Error) -> Diagnostic {
    let msg = e.to_string();
    // libyaml's reader errors (a control character, U+FFFE) are placed at the
    // start; only "at position N", a byte offset into the YAML, says where.
    let (line, col) = reader_position(&msg, &doc.yaml)
        .or_else(|| e.location().map(|l| (l.line(), l.column())))
        .unwrap_or((1, 1));
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    let (what, help) = explain_yaml_error(&msg);
    // libyaml notices an unclosed `[` or `{` only on a later line:
    // point at the bracket itself.
    let (line, col) = if msg.contains("',' or ']'") || msg.contains("',' or '}'") {
        let open = if msg.contains(']') {
            ('[', ']')
        } else {
            ('{', '}')
        };
        unclosed_bracket(&doc.yaml, line, open).unwrap_or((line, col))
    } else if msg.contains("end of stream") || msg.contains("quoted scalar") {
        unpaired_quote(&doc.yaml).unwrap_or((line, col))
    } else if msg.contains("could not find expected ':'") {
        // Reported where the next key starts (or at the end): the culprit
        // is the line before it that is no `key: value` (a colon without a
        // space after it, as in `key:value`, makes no key either).
        let before: Vec<&str> = doc.yaml.lines().take(line.saturating_sub(1)).collect();
        before
            .iter()
            .enumerate()
            .rev()
            .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .filter(|(_, l)| !l.contains(": ") && !l.trim_end().ends_with(':'))
            .map(|(i, _)| (i + 1, 1))
            .unwrap_or((line, col))
    } else {
        (line, col)
    };
    // A colon written the way a Chinese keyboard or a hurried hand writes
    // it: say so, at the colon, rather than what libyaml missed. libyaml
    // names the line a key started on ("while scanning a simple key at line N").
    let shapes = [
        "could not find expected ':'",
        "mapping values are not allowed",
        "expected key",
    ];
    if shapes.iter().any(|s| msg.contains(s)) {
        let started = e
            .to_string()
            .split("while scanning a simple key at line ")
            .nth(1)
            .and_then(|rest| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse::<usize>()
                    .ok()
            });
        let error_line = e.location().map_or(line, |l| l.line());
        let candidates = [
            Some(line),
            started,
            Some(error_line),
            error_line.checked_sub(1),
        ];
        let found = candidates
            .into_iter()
            .flatten()
            .filter(|l| *l >= 1)
            .find_map(|l| {
                let text = doc.yaml.lines().nth(l - 1)?;
                colon_mistake(text).map(|m| (l, m))
            });
        if let Some((line, m)) = found {
            return m.diagnostic(path, doc, line);
        }
    }
    if msg.contains("mapping values are not allowed")
        && let Some(text) = doc.yaml.lines().nth(line.saturating_sub(1))
        && let Some(at) = text.chars().position(|c| "“”‘’".contains(c))
    {
        let fixed: String = text
            .chars()
            .map(|c| match c {
                '“' | '”' => '"',
                '‘' | '’' => '\'',
                c => c,
            })
            .collect();
        return Diagnostic::error(
            path,
            "YAML 格式错误：这里用了中文引号“”，YAML 只认英文引号 \"\"，值里的冒号因此没有被引起来",
        )
        .at(&doc.text, doc.yaml_line + line.saturating_sub(1), at + 1)
        .help(format!("改成 `{}`", fixed.trim()));
    }
    Diagnostic::error(path, format!("YAML 格式错误：{what}（{msg}）"))
        .at(&doc.text, doc.yaml_line + line.saturating_sub(1), col)
        .help(help)
}

/// A line meant as `key: value` whose colon is written wrong.
pub(super) struct ColonMistake {
    /// 1-based column of the colon, in characters.
    column: usize,
    full_width: bool,
    /// The line as it should read.
    fixed: String,
}

impl ColonMistake {
    /// The diagnostic for this mistake on YAML line `line` of `doc`.
    pub(super) fn diagnostic(&self, path: &Path, doc: &Document, line: usize) -> Diagnostic {
        let what = if self.full_width {
            "这里用了中文冒号“：”，请改成英文冒号“:”并在后面加一个空格"
        } else {
            "冒号后面要有一个空格"
        };
        Diagnostic::error(path, format!("YAML 格式错误：{what}"))
            .at(
                &doc.text,
                doc.yaml_line + line.saturating_sub(1),
                self.column,
            )
            .help(format!("改成 `{}`", self.fixed))
    }
}

/// `责任部门：纪工委` (a full-width colon) or `department:纪工委` (no space
/// after the colon): a key, then a colon YAML does not take for one. Lines
/// that are fine, comments and anything whose part before the colon is no
/// key (it holds a space, a quote, a bracket) are `None`.
pub(super) fn colon_mistake(line: &str) -> Option<ColonMistake> {
    let body = line.trim_start_matches(' ');
    if body.starts_with('#') {
        return None;
    }
    let body = body.strip_prefix("- ").unwrap_or(body);
    let indent = &line[..line.len() - body.len()];
    let end = body.find([':', '：'])?;
    let (key, rest) = body.split_at(end);
    if key.is_empty()
        || key.contains(char::is_whitespace)
        || key.starts_with(['"', '\'', '[', '{', '&', '*', '!', '|', '>', '%', '@', '`'])
    {
        return None;
    }
    let column = indent.chars().count() + key.chars().count() + 1;
    let fixed_with = |value: &str| {
        let value = value.trim();
        let sep = if value.is_empty() { ":" } else { ": " };
        format!("{}{key}{sep}{value}", indent.trim_start())
    };
    if let Some(value) = rest.strip_prefix('：') {
        return Some(ColonMistake {
            column,
            full_width: true,
            fixed: fixed_with(value),
        });
    }
    let value = rest.strip_prefix(':')?;
    match value.chars().next() {
        Some(c) if !c.is_whitespace() => Some(ColonMistake {
            column,
            full_width: false,
            fixed: fixed_with(value),
        }),
        _ => None,
    }
}

/// The first line of `doc`'s YAML whose colon is written wrong, as a
/// diagnostic: why a front matter that YAML read as one string is no
/// `key: value` list (`责任部门：纪工委` alone is a string).
pub(super) fn colon_mistake_in(path: &Path, doc: &Document) -> Option<Diagnostic> {
    doc.yaml
        .lines()
        .enumerate()
        .find_map(|(i, text)| colon_mistake(text).map(|m| m.diagnostic(path, doc, i + 1)))
}

/// The line and column of "at position N" (a byte offset) in `yaml`.
fn reader_position(msg: &str, yaml: &str) -> Option<(usize, usize)> {
    let rest = msg.split(" at position ").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let mut at = digits.parse::<usize>().ok()?.min(yaml.len());
    while !yaml.is_char_boundary(at) {
        at -= 1;
    }
    let before = &yaml[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, col))
}

/// The last bracket opened and not closed at or before YAML line `upto`.
fn unclosed_bracket(
    yaml: &str,
    upto: usize,
    (open, close): (char, char),
) -> Option<(usize, usize)> {
    let lines: Vec<&str> = yaml.lines().take(upto).collect();
    for (i, line) in lines.iter().enumerate().rev() {
        let mut depth = 0i32;
        for (col, c) in line
            .chars()
            .enumerate()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            if c == close {
                depth += 1;
            } else if c == open {
                if depth == 0 {
                    return Some((i + 1, col + 1));
                }
                depth -= 1;
            }
        }
    }
    None
}

/// The first line with an odd number of `"` (or `'` when it starts a value).
fn unpaired_quote(yaml: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        ['"', '\''].into_iter().find_map(|q| {
            let n = line.matches(q).count();
            let starts_value = line
                .split_once(':')
                .is_some_and(|(_, v)| v.trim_start().starts_with(q));
            (n % 2 == 1 && (q == '"' || starts_value))
                .then(|| (i + 1, line.chars().position(|c| c == q).unwrap_or(0) + 1))
        })
    })
}

/// The YAML library's messages in words a clerk can act on, with what to do.
fn explain_yaml_error(msg: &str) -> (&'static str, &'static str) {
    let m = msg.to_ascii_lowercase();
    if m.contains("tab") {
        (
            "用了 Tab 缩进",
            "YAML 只能用空格缩进：把这一行开头的 Tab 换成两个空格",
        )
    } else if m.contains("expected ',' or ']'") {
        (
            "方括号 `[` 没有配对的 `]`",
            "列表写成 `[张三, 李四]`，结尾的 `]` 不能少",
        )
    } else if m.contains("expected ',' or '}'") {
        ("花括号 `{` 没有配对的 `}`", "在同一行补上结尾的 `}`")
    } else if m.contains("mapping values are not allowed") {
        (
            "这里不能再出现冒号",
            "值里含有英文冒号时，给整个值加上引号，例如 `项目名称: \"一期: 二期\"`",
        )
    } else if m.contains("could not find expected ':'") || m.contains("expected key") {
        (
            "这一行缺少“键: 值”里的冒号，或缩进不一致",
            "每行写成 `键: 值`（英文冒号后加空格），同一层的行缩进要对齐",
        )
    } else if m.contains("cannot start any plain scalar") {
        (
            "值以 YAML 不允许的字符开头",
            "给整个值加上引号，例如 `文号: \"@2020\"`",
        )
    } else if m.contains("end of stream") || m.contains("quoted scalar") {
        ("引号没有配对", "检查这一行的引号是否成对")
    } else if m.contains("duplicate") {
        ("同一个字段写了两次", "删掉重复的那一行")
    } else {
        (
            "无法读取",
            "检查冒号后是否有空格、缩进是否一致、含冒号或引号的值是否加了引号",
        )
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::load::fields::{ITEM, SITE};
    use crate::load::front_matter::{Document, FrontMatter, split};

    #[test]
    fn yaml_syntax_errors_are_positioned_in_the_file() {
        let p = Path::new("x.md");
        let doc = split(p, "---\nproject: a\nleaders: [a, b\n---\n").unwrap();
        let mut errs = Vec::new();
        FrontMatter::parse(p, &doc, ITEM, &mut errs);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].line >= 3, "{:?}", errs[0]);
    }

    #[test]
    fn a_character_yaml_refuses_is_placed_on_its_line() {
        // Found by fuzzing (issue 19): libyaml gives only a byte offset.
        let p = Path::new("x.md");
        let doc = split(p, "---\nnumber: 1\nproject: a\u{ffff}b\n---\n").unwrap();
        let mut errs = Vec::new();
        FrontMatter::parse(p, &doc, ITEM, &mut errs);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 3, "{:?}", errs[0]);
    }

    #[test]
    fn a_key_without_a_space_after_its_colon_is_the_line_pointed_at() {
        // Found by fuzzing (issue 19, month_files): at the end of a
        // site.yaml, libyaml reports a line after the last one.
        let p = Path::new("site.yaml");
        let last = "title: 测试\nissued: 2020-07-27\nicp:鄂ICP备\n";
        // Not last: libyaml reports the next key's line.
        let inside = "title: 测试\nicp:鄂ICP备\nbase_url: https://example.gov.cn/\n";
        for (text, line) in [(last, 3), (inside, 2)] {
            let mut errs = Vec::new();
            FrontMatter::parse(p, &Document::all_yaml(text), SITE, &mut errs);
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert_eq!(errs[0].line, line, "{text:?}: {:?}", errs[0]);
            assert_eq!(errs[0].source_line.as_deref(), Some("icp:鄂ICP备"));
        }
    }

    #[test]
    fn a_colon_written_wrong_is_named_at_the_colon() {
        let p = Path::new("x.md");
        for (yaml, line, column, words) in [
            (
                "project: a\n责任部门：纪工委\nleaders: b\n",
                3,
                5,
                "中文冒号",
            ),
            ("责任部门：纪工委\nproject: a\n", 2, 5, "中文冒号"),
            ("责任部门：纪工委\n", 2, 5, "中文冒号"),
            (
                "project: a\ndepartment:纪工委\nleaders: b\n",
                3,
                11,
                "冒号后面要有一个空格",
            ),
            ("department:纪工委\n", 2, 11, "冒号后面要有一个空格"),
        ] {
            let doc = split(p, &format!("---\n{yaml}---\n")).unwrap();
            let mut errs = Vec::new();
            FrontMatter::parse(p, &doc, ITEM, &mut errs);
            assert_eq!(errs.len(), 1, "{yaml:?}: {errs:?}");
            let e = &errs[0];
            assert_eq!((e.line, e.column), (line, column), "{yaml:?}: {e:?}");
            assert!(e.message.contains(words), "{yaml:?}: {e:?}");
        }
    }

    #[test]
    fn only_colons_written_wrong_are_mistakes() {
        use super::colon_mistake;
        for fine in [
            "项目名称: 一期：二期",
            "base_url: https://example.gov.cn/",
            "附件:",
            "  - 标题: 附件一",
            "# 备注：这是注释",
            "责任领导 张三",
            "\"a\":b",
            "完成了 3：2 的目标",
            "",
        ] {
            assert!(colon_mistake(fine).is_none(), "{fine:?}");
        }
        for (bad, fixed) in [
            ("责任部门：纪工委", "责任部门: 纪工委"),
            ("附件：", "附件:"),
            ("  - 标题：附件一", "- 标题: 附件一"),
            ("department:纪工委", "department: 纪工委"),
            (
                "base_url:https://example.gov.cn/",
                "base_url: https://example.gov.cn/",
            ),
        ] {
            assert_eq!(
                colon_mistake(bad).map(|m| m.fixed).as_deref(),
                Some(fixed),
                "{bad:?}"
            );
        }
    }
}
