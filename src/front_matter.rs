//! Splits a content file into YAML front matter and Markdown body, and reads
//! typed values out of the YAML with positions for error messages. This is
//! the only module that touches the YAML library.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::Value;

use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::fields::{self, Field};

/// A content file, normalised (no BOM, `\n` line ends) and split.
pub struct Document {
    /// The whole normalised text, for snippets in errors.
    pub text: String,
    pub yaml: String,
    /// 1-based line of the first YAML line in `text`.
    pub yaml_line: usize,
    pub body: String,
    /// 1-based line of the first body line in `text`.
    pub body_line: usize,
}

/// Strips a UTF-8 BOM and turns CRLF (and lone CR) into LF.
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// Splits `---` fenced front matter from the body. A file without an opening
/// fence has no front matter; an opening fence without a closing one is an error.
pub fn split(path: &Path, raw: &str) -> Result<Document, Diagnostic> {
    let text = normalise(raw);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Ok(Document {
            body: text.clone(),
            text,
            yaml: String::new(),
            yaml_line: 1,
            body_line: 1,
        });
    }
    let mut offset = first.len();
    let yaml_start = offset;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let yaml = text[yaml_start..offset].to_owned();
            let body = text[offset + line.len()..].to_owned();
            return Ok(Document {
                yaml,
                body,
                yaml_line: 2,
                body_line: i + 3,
                text,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        "front matter 没有结束：开头的 `---` 之后找不到结束的 `---`",
    )
    .at(&text, 1, 1)
    .help("在元数据（front matter）最后一行之后另起一行写 `---`"))
}

/// The parsed front matter of one file: each known key, by canonical name,
/// with its value and line.
pub struct FrontMatter<'d> {
    pub doc: &'d Document,
    pub path: &'d Path,
    values: BTreeMap<&'static str, (Value, usize, usize)>,
    /// Line of the opening fence, where "missing key" errors point.
    fence_line: usize,
}

impl<'d> FrontMatter<'d> {
    /// Parses the YAML against a field table; unknown keys and YAML syntax errors
    /// become diagnostics.
    pub fn parse(
        path: &'d Path,
        doc: &'d Document,
        table: &'static [Field],
        errors: &mut Vec<Diagnostic>,
    ) -> FrontMatter<'d> {
        let mut fm = FrontMatter {
            doc,
            path,
            values: BTreeMap::new(),
            fence_line: 1,
        };
        if doc.yaml.trim().is_empty() {
            return fm;
        }
        let parsed: Value = match serde_yaml::from_str(&doc.yaml) {
            Ok(v) => v,
            Err(e) => {
                let (line, col) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((1, 1));
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
                errors.push(
                    Diagnostic::error(path, format!("YAML 格式错误：{msg}"))
                        .at(&doc.text, doc.yaml_line + line.saturating_sub(1), col)
                        .help("检查冒号后是否有空格、缩进是否一致、含冒号或引号的值是否加了引号"),
                );
                return fm;
            }
        };
        let Value::Mapping(map) = parsed else {
            errors.push(
                Diagnostic::error(path, "front matter 应当是“键: 值”的列表")
                    .at(&doc.text, doc.yaml_line, 1)
                    .help("每行写一个字段，例如 `项目名称: 智慧旅游`"),
            );
            return fm;
        };
        for (k, v) in map {
            let key = match &k {
                Value::String(s) => s.clone(),
                other => yaml_scalar(other).unwrap_or_default(),
            };
            let (line, col) = fm.key_position(&key);
            match fields::lookup(table, &key) {
                Some(f) => {
                    fm.values.insert(f.name, (v, line, col));
                }
                None => {
                    let mut d = Diagnostic::error(path, format!("未知字段 `{key}`"))
                        .at(&doc.text, line, col);
                    d = match fields::suggest(table, &key) {
                        Some(f) => d.help(format!("是不是想写 `{}`（{}）？", f.name, f.alias)),
                        None => d.help(format!(
                            "可用字段：{}",
                            table
                                .iter()
                                .map(|f| format!("{}/{}", f.name, f.alias))
                                .collect::<Vec<_>>()
                                .join("，")
                        )),
                    };
                    errors.push(d);
                }
            }
        }
        fm
    }

    /// Line and column of a top-level key in the file, found by scanning the YAML
    /// text (the YAML library keeps no positions for values).
    fn key_position(&self, key: &str) -> (usize, usize) {
        for (i, line) in self.doc.yaml.lines().enumerate() {
            let bare = line.trim_start_matches(['"', '\'']);
            if !line.starts_with([' ', '\t', '#', '-'])
                && let Some(rest) = bare.strip_prefix(key)
                && rest
                    .trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            {
                return (self.doc.yaml_line + i, 1);
            }
        }
        (self.fence_line, 1)
    }

    /// Line of a key in the file, for diagnostics about its value.
    pub fn line_of(&self, name: &str) -> usize {
        self.values
            .get(name)
            .map(|(_, l, _)| *l)
            .unwrap_or(self.fence_line)
    }

    fn error_at(&self, name: &str, message: String) -> Diagnostic {
        let (line, col) = self
            .values
            .get(name)
            .map(|(_, l, c)| (*l, *c))
            .unwrap_or((self.fence_line, 1));
        Diagnostic::error(self.path, message).at(&self.doc.text, line, col)
    }

    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    fn field(table: &'static [Field], name: &str) -> &'static Field {
        table
            .iter()
            .find(|f| f.name == name)
            .expect("field names used in code are declared in fields.rs")
    }

    /// A required field that is absent: the error points at the front matter.
    pub fn missing(&self, table: &'static [Field], name: &str) -> Diagnostic {
        let f = Self::field(table, name);
        Diagnostic::error(self.path, format!("缺少必填字段 {}", fields::label(f)))
            .at(&self.doc.text, self.fence_line, 1)
            .help(format!(
                "在 front matter 中加一行 `{}: …`（{}）",
                f.alias, f.meaning
            ))
    }

    /// A text field; numbers are accepted as text, null is empty.
    pub fn string(
        &self,
        table: &'static [Field],
        name: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let (v, _, _) = self.values.get(name)?;
        match v {
            Value::Null => Some(String::new()),
            other => match yaml_scalar(other) {
                Some(s) => Some(s),
                None => {
                    let f = Self::field(table, name);
                    errors.push(self.error_at(
                        name,
                        format!("{} 应当是文字，这里是{}", fields::label(f), type_name(v)),
                    ));
                    None
                }
            },
        }
    }

    /// A required, non-empty text field.
    pub fn required_string(
        &self,
        table: &'static [Field],
        name: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        match self.string(table, name, errors) {
            Some(s) if !s.trim().is_empty() => Some(s),
            Some(_) => {
                let f = Self::field(table, name);
                errors.push(self.error_at(name, format!("必填字段 {} 是空的", fields::label(f))));
                None
            }
            None if !self.has(name) => {
                errors.push(self.missing(table, name));
                None
            }
            None => None,
        }
    }

    /// A name or a list of names. Numbers are refused: `leaders: 3` is a mistake.
    pub fn string_list(
        &self,
        table: &'static [Field],
        name: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Vec<String>> {
        let (v, _, _) = self.values.get(name)?;
        let f = Self::field(table, name);
        let wrong = |v: &Value| {
            self.error_at(
                name,
                format!(
                    "{} 应当是一个名字或名字列表，这里是{}",
                    fields::label(f),
                    type_name(v)
                ),
            )
        };
        match v {
            Value::String(s) => Some(vec![s.clone()]),
            Value::Sequence(seq) => {
                let mut out = Vec::new();
                for x in seq {
                    match x {
                        Value::String(s) => out.push(s.clone()),
                        other => {
                            errors.push(wrong(other));
                            return None;
                        }
                    }
                }
                Some(out)
            }
            other => {
                errors.push(wrong(other));
                None
            }
        }
    }

    pub fn bool(
        &self,
        table: &'static [Field],
        name: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<bool> {
        let (v, _, _) = self.values.get(name)?;
        match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "是" => Some(true),
            Value::String(s) if s == "否" => Some(false),
            other => {
                let f = Self::field(table, name);
                errors.push(self.error_at(
                    name,
                    format!(
                        "{} 应当是 true 或 false，这里是{}",
                        fields::label(f),
                        type_name(other)
                    ),
                ));
                None
            }
        }
    }

    pub fn date(
        &self,
        table: &'static [Field],
        name: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Date> {
        let s = self.string(table, name, errors)?;
        match Date::parse(&s) {
            Ok(d) => Some(d),
            Err(msg) => {
                let f = Self::field(table, name);
                errors.push(self.error_at(name, format!("{}：{msg}", fields::label(f))));
                None
            }
        }
    }

    /// A list of small records such as attachments, each read with its own table.
    pub fn records(
        &self,
        table: &'static [Field],
        name: &str,
        record: &'static [Field],
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<BTreeMap<&'static str, String>> {
        let Some((v, _, _)) = self.values.get(name) else {
            return Vec::new();
        };
        let f = Self::field(table, name);
        let line = self.line_of(name);
        let items = match v {
            Value::Null => return Vec::new(),
            Value::Sequence(seq) => seq,
            other => {
                errors.push(self.error_at(
                    name,
                    format!(
                        "{} 应当是列表（每项以 `- ` 开头），这里是{}",
                        fields::label(f),
                        type_name(other)
                    ),
                ));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Value::Mapping(m) = item else {
                errors.push(self.error_at(
                    name,
                    format!(
                            "{} 的第 {} 项应当写成 {}",
                            fields::label(f),
                            i + 1,
                            record
                                .iter()
                                .map(|r| format!("{}: …", r.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                ));
                continue;
            };
            let mut rec = BTreeMap::new();
            for (k, v) in m {
                let key = yaml_scalar(k).unwrap_or_default();
                match fields::lookup(record, &key) {
                    Some(rf) => {
                        rec.insert(rf.name, yaml_scalar(v).unwrap_or_default());
                    }
                    None => errors.push(
                        Diagnostic::error(
                            self.path,
                            format!("{} 的第 {} 项有未知字段 `{key}`", fields::label(f), i + 1),
                        )
                        .at(&self.doc.text, line, 1)
                        .help(format!(
                            "可用字段：{}",
                            record
                                .iter()
                                .map(|r| format!("{}/{}", r.name, r.alias))
                                .collect::<Vec<_>>()
                                .join("，")
                        )),
                    ),
                }
            }
            for rf in record.iter().filter(|rf| rf.required) {
                if rec.get(rf.name).is_none_or(|s| s.trim().is_empty()) {
                    errors.push(
                        Diagnostic::error(
                            self.path,
                            format!(
                                "{} 的第 {} 项缺少 {}",
                                fields::label(f),
                                i + 1,
                                fields::label(rf)
                            ),
                        )
                        .at(&self.doc.text, line, 1),
                    );
                }
            }
            out.push(rec);
        }
        out
    }
}

/// A scalar as text: strings, numbers and booleans.
fn yaml_scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "空值",
        Value::Bool(_) => "布尔值",
        Value::Number(_) => "数字",
        Value::String(_) => "文字",
        Value::Sequence(_) => "列表",
        Value::Mapping(_) => "键值表",
        Value::Tagged(_) => "带标签的值",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::ITEM;

    fn parse(text: &str) -> (Vec<Diagnostic>, Option<Vec<String>>, Option<String>) {
        let p = Path::new("x.md");
        let doc = split(p, text).unwrap();
        let mut errs = Vec::new();
        let fm = FrontMatter::parse(p, &doc, ITEM, &mut errs);
        let leaders = fm.string_list(ITEM, "leaders", &mut errs);
        let dept = fm.required_string(ITEM, "department", &mut errs);
        (errs, leaders, dept)
    }

    #[test]
    fn bom_crlf_and_chinese_keys() {
        let (errs, leaders, dept) =
            parse("\u{feff}---\r\n责任领导: [章平, 甄别]\r\ndepartment: 纪工委\r\n---\r\n正文\r\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(leaders.unwrap(), ["章平", "甄别"]);
        assert_eq!(dept.unwrap(), "纪工委");
    }

    #[test]
    fn errors_point_at_the_right_line() {
        let (errs, _, _) = parse("---\nproject: a\nleaders: 3\ndepartmnet: x\n---\n");
        let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
        assert!(
            errs.iter()
                .any(|e| e.line == 3 && e.message.contains("leaders")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.line == 4 && e.help.as_deref().unwrap_or("").contains("department")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.message.contains("缺少必填字段") && e.line == 1),
            "{lines:?}"
        );
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        assert!(split(Path::new("x.md"), "---\ntitle: a\n").is_err());
    }

    #[test]
    fn yaml_syntax_errors_are_positioned_in_the_file() {
        let p = Path::new("x.md");
        let doc = split(p, "---\nproject: a\nleaders: [a, b\n---\n").unwrap();
        let mut errs = Vec::new();
        FrontMatter::parse(p, &doc, ITEM, &mut errs);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].line >= 3, "{:?}", errs[0]);
    }
}
