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
    Diagnostic::error(path, format!("YAML 格式错误：{what}（{msg}）"))
        .at(&doc.text, doc.yaml_line + line.saturating_sub(1), col)
        .help(help)
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
}
