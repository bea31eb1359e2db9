//! Splits a content file into YAML front matter and Markdown body, and reads
//! typed values out of the YAML with positions for error messages. This is
//! the only module that touches the YAML library.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::Value;

use crate::basics::dates::Date;
use crate::basics::text;
use crate::diagnostics::Diagnostic;
use crate::load::fields::{self, Field};

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

/// One known key as written: its value and where it and its value sit.
struct Entry {
    value: Value,
    line: usize,
    /// Column of the value when it is on the key's line, else the key's.
    value_col: usize,
}

/// One entry of a list of records such as `attachments`, with the line of
/// each key so errors can point inside the entry.
pub struct Record {
    pub values: BTreeMap<&'static str, String>,
    /// Line and column of the entry's `- `.
    pub line: usize,
    pub col: usize,
    positions: BTreeMap<&'static str, (usize, usize)>,
}

impl Record {
    /// Line and column of a key's value in this entry, or of the entry itself.
    pub fn position(&self, name: &str) -> (usize, usize) {
        self.positions
            .get(name)
            .copied()
            .unwrap_or((self.line, self.col))
    }
}

/// The parsed front matter of one file: each known key, by canonical name,
/// with its value and position.
pub struct FrontMatter<'d> {
    pub doc: &'d Document,
    pub path: &'d Path,
    values: BTreeMap<&'static str, Entry>,
    /// False when the YAML could not be read: nothing else is worth reporting.
    pub valid: bool,
    /// Fields suggested for misspelt keys: no "missing" error for those, the
    /// "unknown key" error already says what to fix.
    suggested: Vec<&'static str>,
}

impl<'d> FrontMatter<'d> {
    /// Parses the YAML against a field table; unknown keys, keys written twice
    /// and YAML syntax errors become diagnostics.
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
            valid: true,
            suggested: Vec::new(),
        };
        if doc.yaml.trim().is_empty() {
            return fm;
        }
        let simple = simple_yaml(&doc.yaml);
        let parsed: Value = match simple
            .map(Ok)
            .unwrap_or_else(|| serde_yaml::from_str(&doc.yaml))
        {
            Ok(v) => v,
            Err(e) => {
                fm.valid = false;
                let (line, col) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((1, 1));
                let msg = e.to_string();
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
                    // Reported where the next key starts: the culprit is the
                    // line before it that has no colon.
                    let before: Vec<&str> = doc.yaml.lines().take(line.saturating_sub(1)).collect();
                    before
                        .iter()
                        .enumerate()
                        .rev()
                        .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                        .filter(|(_, l)| !l.contains(':'))
                        .map(|(i, _)| (i + 1, 1))
                        .unwrap_or((line, col))
                } else {
                    (line, col)
                };
                errors.push(
                    Diagnostic::error(path, format!("YAML 格式错误：{what}（{msg}）"))
                        .at(&doc.text, doc.yaml_line + line.saturating_sub(1), col)
                        .help(help),
                );
                return fm;
            }
        };
        let Value::Mapping(map) = parsed else {
            fm.valid = false;
            errors.push(
                Diagnostic::error(path, "front matter 应当是“键: 值”的列表")
                    .at(&doc.text, doc.yaml_line, 1)
                    .help("每行写一个字段，键和值之间用英文冒号加空格，例如 `项目名称: 智慧旅游`"),
            );
            return fm;
        };
        for (k, v) in map {
            let key = match &k {
                Value::String(s) => s.clone(),
                other => yaml_scalar(other).unwrap_or_default(),
            };
            let (line, value_col) = fm.key_position(&key);
            match fields::lookup(table, &key) {
                Some(f) => {
                    if let Some(first) = fm.values.get(f.name) {
                        errors.push(
                            Diagnostic::error(
                                path,
                                format!(
                                    "字段 {} 写了两次（第 {} 行已经有了）",
                                    fields::label(f),
                                    first.line
                                ),
                            )
                            .at(&doc.text, line, 1)
                            .help(format!(
                                "`{}` 和 `{}` 是同一个字段，只保留一行",
                                f.name, f.alias
                            )),
                        );
                        continue;
                    }
                    fm.values.insert(
                        f.name,
                        Entry {
                            value: v,
                            line,
                            value_col,
                        },
                    );
                }
                None => {
                    let mut d =
                        Diagnostic::error(path, format!("未知字段 `{key}`")).at(&doc.text, line, 1);
                    d = match fields::suggest(table, &key) {
                        Some(f) => {
                            fm.suggested.push(f.name);
                            d.help(format!(
                                "是不是想写 `{}` 或 `{}`（{}）？",
                                f.name, f.alias, f.meaning
                            ))
                        }
                        None => d.help(format!("可用字段：{}", field_list(table))),
                    };
                    errors.push(d);
                }
            }
        }
        fm
    }

    /// Line and value column of a top-level key (keys start at column 1),
    /// found by scanning the YAML text: the YAML library keeps no positions.
    fn key_position(&self, key: &str) -> (usize, usize) {
        for (i, line) in self.doc.yaml.lines().enumerate() {
            if let Some(value_col) = key_on_line(line, key) {
                return (self.doc.yaml_line + i, value_col);
            }
        }
        (self.front_matter_line(), 1)
    }

    /// Where problems about the front matter as a whole point: the closing
    /// `---`, just where a missing line would go.
    pub fn front_matter_line(&self) -> usize {
        if self.doc.body_line > 1 {
            self.doc.body_line - 1
        } else {
            1
        }
    }

    /// Line of a key in the file, for diagnostics about its value.
    pub fn line_of(&self, name: &str) -> usize {
        self.values
            .get(name)
            .map(|e| e.line)
            .unwrap_or(self.front_matter_line())
    }

    /// An error about a key's value, pointing at the value.
    pub fn error_at(&self, name: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self
            .values
            .get(name)
            .map(|e| (e.line, e.value_col))
            .unwrap_or((self.front_matter_line(), 1));
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

    /// A required field that is absent: the error points at the end of the
    /// front matter, where the line belongs.
    pub fn missing(&self, table: &'static [Field], name: &str) -> Diagnostic {
        let f = Self::field(table, name);
        Diagnostic::error(self.path, format!("缺少必填字段 {}", fields::label(f)))
            .at(&self.doc.text, self.front_matter_line(), 1)
            .help(format!(
                "在结束的 `---` 之前加一行 `{}: …`（{}）",
                f.alias, f.meaning
            ))
    }

    /// Reports a missing required field, unless a misspelt key already
    /// accounts for it or the YAML could not be read at all.
    pub fn report_missing(
        &self,
        table: &'static [Field],
        name: &str,
        errors: &mut Vec<Diagnostic>,
    ) {
        if self.valid && !self.suggested.contains(&name) {
            errors.push(self.missing(table, name));
        }
    }

    /// A text field; numbers are accepted as text, null is empty.
    pub fn string(
        &self,
        table: &'static [Field],
        name: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let v = &self.values.get(name)?.value;
        match v {
            Value::Null => Some(String::new()),
            other => match yaml_scalar(other) {
                Some(s) => Some(s),
                None => {
                    let f = Self::field(table, name);
                    errors.push(
                        self.error_at(
                            name,
                            format!("{} 应当是文字，这里是{}", fields::label(f), type_name(v)),
                        )
                        .help(format!("写成一行文字：`{}: …`", f.alias)),
                    );
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
                errors.push(
                    self.error_at(name, format!("必填字段 {} 是空的", fields::label(f)))
                        .help(format!("在冒号后写上{}", f.meaning)),
                );
                None
            }
            None if !self.has(name) => {
                self.report_missing(table, name, errors);
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
        let v = &self.values.get(name)?.value;
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
            .help(format!(
                "写成 `{}: 张三` 或 `{}: [张三, 李四]`",
                f.alias, f.alias
            ))
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
        let v = &self.values.get(name)?.value;
        match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "是" => Some(true),
            Value::String(s) if s == "否" => Some(false),
            other => {
                let f = Self::field(table, name);
                errors.push(
                    self.error_at(
                        name,
                        format!(
                            "{} 应当是 true 或 false，这里是{}",
                            fields::label(f),
                            type_name(other)
                        ),
                    )
                    .help("写 true/false，或 是/否"),
                );
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
                errors.push(
                    self.error_at(name, format!("{}：{msg}", fields::label(f)))
                        .help("日期写成 2020-10-27 或 2020年10月27日"),
                );
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
    ) -> Vec<Record> {
        let Some(entry) = self.values.get(name) else {
            return Vec::new();
        };
        let f = Self::field(table, name);
        let example = record
            .iter()
            .map(|r| format!("{}: …", r.alias))
            .collect::<Vec<_>>()
            .join(", ");
        let items = match &entry.value {
            Value::Null => return Vec::new(),
            Value::Sequence(seq) => seq,
            other => {
                errors.push(
                    self.error_at(
                        name,
                        format!(
                            "{} 应当是列表（每项以 `- ` 开头），这里是{}",
                            fields::label(f),
                            type_name(other)
                        ),
                    )
                    .help(format!("每项另起一行，写成 `  - {example}`")),
                );
                return Vec::new();
            }
        };
        let starts = self.entry_lines(entry.line);
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            // Flow-style lists (`[...]`) have no line per entry: use the key's.
            let line = starts.get(i).copied().unwrap_or(entry.line);
            let end = starts.get(i + 1).copied().unwrap_or(usize::MAX);
            let col = self.doc.text.lines().nth(line - 1).map_or(1, |l| {
                l.chars().take_while(|c| c.is_whitespace()).count() + 1
            });
            let Value::Mapping(m) = item else {
                errors.push(
                    Diagnostic::error(
                        self.path,
                        format!("{} 的第 {} 项应当写成 {example}", fields::label(f), i + 1),
                    )
                    .at(&self.doc.text, line, col),
                );
                continue;
            };
            let mut rec = Record {
                values: BTreeMap::new(),
                line,
                col,
                positions: BTreeMap::new(),
            };
            for (k, v) in m {
                let key = yaml_scalar(k).unwrap_or_default();
                let pos = self.sub_key_position(&key, line, end);
                match fields::lookup(record, &key) {
                    Some(rf) => {
                        rec.values
                            .insert(rf.name, yaml_scalar(v).unwrap_or_default());
                        rec.positions.insert(rf.name, pos);
                    }
                    None => {
                        let mut d = Diagnostic::error(
                            self.path,
                            format!("{} 的第 {} 项有未知字段 `{key}`", fields::label(f), i + 1),
                        )
                        .at(&self.doc.text, pos.0, 1);
                        d = match fields::suggest(record, &key) {
                            Some(rf) => {
                                d.help(format!("是不是想写 `{}` 或 `{}`？", rf.name, rf.alias))
                            }
                            None => d.help(format!("可用字段：{}", field_list(record))),
                        };
                        errors.push(d);
                    }
                }
            }
            for rf in record.iter().filter(|rf| rf.required) {
                if rec.values.get(rf.name).is_none_or(|s| s.trim().is_empty()) {
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
                        .at(&self.doc.text, line, col)
                        .help(format!("每项都要写 {example}")),
                    );
                }
            }
            out.push(rec);
        }
        out
    }

    /// Lines (in the file) of the `- ` entries of a block list whose key is on
    /// `key_line`.
    fn entry_lines(&self, key_line: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut indent = None;
        let first = key_line + 1 - self.doc.yaml_line;
        for (i, line) in self.doc.yaml.lines().enumerate().skip(first) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let ind = line.len() - trimmed.len();
            let is_entry = trimmed == "-" || trimmed.starts_with("- ");
            match indent {
                None if is_entry => indent = Some(ind),
                None => break,
                Some(n) if ind < n || (ind == n && !is_entry) => break,
                _ => {}
            }
            if is_entry && Some(ind) == indent {
                out.push(self.doc.yaml_line + i);
            }
        }
        out
    }

    /// Line and value column of `key` inside an entry spanning lines
    /// `start..end` of the file.
    fn sub_key_position(&self, key: &str, start: usize, end: usize) -> (usize, usize) {
        let text_lines: Vec<&str> = self.doc.text.lines().collect();
        for l in start..end.min(text_lines.len() + 1) {
            let line = text_lines[l - 1];
            let trimmed = line.trim_start();
            let after_dash = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
            let lead = line.chars().count() - after_dash.chars().count();
            if let Some(col) = key_on_line(after_dash, key) {
                return (l, lead + col);
            }
        }
        (start, 1)
    }
}

/// Line and value column of the first of `keys` in the front matter of a
/// file's normalised text (or in the whole text when it has no fences), for
/// checks that run after loading, such as duplicates across files.
pub fn find_key(text: &str, keys: &[&str]) -> Option<(usize, usize)> {
    let fenced = text.starts_with("---\n");
    for (i, line) in text.lines().enumerate().skip(usize::from(fenced)) {
        if fenced && line.trim_end() == "---" {
            break;
        }
        if let Some(col) = keys.iter().find_map(|k| key_on_line(line, k)) {
            return Some((i + 1, col));
        }
    }
    None
}

/// If `line` starts with `key:` (quotes allowed), the 1-based column of the
/// value after it, or of the colon when the value is on later lines.
fn key_on_line(line: &str, key: &str) -> Option<usize> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let bare = line.trim_start_matches(['"', '\'']);
    let rest = bare.strip_prefix(key)?;
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    let after = rest.strip_prefix(':')?;
    let value = after.trim_start();
    let before = line.chars().count() - value.chars().count();
    if value.is_empty() || value.starts_with('#') {
        Some(line.chars().count() - after.chars().count())
    } else {
        Some(before + 1)
    }
}

fn field_list(table: &[Field]) -> String {
    table
        .iter()
        .map(|f| format!("{}/{}", f.name, f.alias))
        .collect::<Vec<_>>()
        .join("，")
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

/// A scalar as text: strings, numbers and booleans.
/// The front matter of a typical item — one `key: value` a line, values
/// plain words or `[a, b]` lists of them — read without the YAML library,
/// which costs more than the rest of loading a file. Returns exactly what the
/// library returns (a test compares the two on thousands of documents), or
/// `None` for anything else: quotes, comments, nesting, empty values,
/// anything that could be a number other than a plain integer, a boolean or
/// null. Those go to the library, which also reports the errors.
fn simple_yaml(yaml: &str) -> Option<Value> {
    let mut map = serde_yaml::Mapping::new();
    for line in yaml.lines().filter(|l| !l.trim_matches(' ').is_empty()) {
        let (key, value) = line.split_once(':')?;
        let safe_key = key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || is_cjk(c))
            && key.chars().next().is_some_and(|c| c != '_')
            && (!key.is_ascii() || key.len() >= 2 && !is_reserved(key));
        let value = value.strip_prefix(' ')?.trim_matches(' ');
        if !safe_key || value.is_empty() {
            return None;
        }
        let value = match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Some(list) => Value::Sequence(
                list.split(',')
                    .map(|item| simple_scalar(item.trim_matches(' ')))
                    .collect::<Option<_>>()?,
            ),
            None => simple_scalar(value)?,
        };
        if map.insert(Value::String(key.to_owned()), value).is_some() {
            return None;
        }
    }
    (!map.is_empty()).then_some(Value::Mapping(map))
}

/// A plain YAML scalar that can only be read one way: a small unsigned
/// integer without leading zeros, or text that starts with no indicator and
/// holds no character with a meaning in YAML.
fn simple_scalar(s: &str) -> Option<Value> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        if s.len() > 18 || (s.starts_with('0') && s != "0") {
            return None;
        }
        return s.parse::<u64>().ok().map(|n| Value::Number(n.into()));
    }
    let first = s.chars().next()?;
    let plain = |c: char| {
        !c.is_control()
            && !"-?:,[]{}#&*!|>'\"%@`\t".contains(c)
            && !matches!(
                c,
                '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    };
    let ok = plain(first)
        && !first.is_ascii_digit()
        && !matches!(first, '.' | '+' | '~' | ' ')
        && s.chars().all(plain)
        && !(s.is_ascii() && is_reserved(s));
    ok.then(|| Value::String(s.to_owned()))
}

/// Words YAML may read as null, a boolean or a special number (1.1 or 1.2).
fn is_reserved(word: &str) -> bool {
    const WORDS: [&str; 11] = [
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// CJK characters (and their punctuation and full-width forms) that can start
/// or continue a plain scalar.
fn is_cjk(c: char) -> bool {
    text::is_cjk(c)
        || matches!(c, '\u{3000}'..='\u{33ff}' | '\u{4dc0}'..='\u{4dff}' | '\u{ff01}'..='\u{ff5e}')
}

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
    use crate::load::fields::ITEM;

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
        // The value of `leaders`, not the key.
        assert!(
            errs.iter()
                .any(|e| (e.line, e.column) == (3, 10) && e.message.contains("leaders")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.line == 4 && e.help.as_deref().unwrap_or("").contains("department")),
            "{errs:?}"
        );
        // The misspelt key already says what is missing: no second error.
        assert_eq!(errs.len(), 2, "{errs:?}");
        // A field really missing points at the closing fence, where it belongs.
        let (errs, _, _) = parse("---\nproject: a\nleaders: b\n---\n正文\n");
        assert!(
            errs.iter()
                .any(|e| e.message.contains("缺少必填字段") && e.line == 4),
            "{errs:?}"
        );
    }

    #[test]
    fn list_entries_and_their_keys_have_their_own_lines() {
        use crate::load::fields::{ATTACHMENT, MONTH};
        let p = Path::new("x.md");
        let doc = split(
            p,
            "---\nissued: 2020-10-27\nattachments:\n  - title: a\n    file: a.pdf\n  - 标题: b\n    文件: b.pdf\n---\n",
        )
        .unwrap();
        let mut errs = Vec::new();
        let fm = FrontMatter::parse(p, &doc, MONTH, &mut errs);
        let recs = fm.records(MONTH, "attachments", ATTACHMENT, &mut errs);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!((recs[0].line, recs[0].col), (4, 3));
        assert_eq!(recs[0].position("file"), (5, 11));
        assert_eq!(recs[1].position("file"), (7, 9));
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

    /// The fast reader agrees with the YAML library on every document it
    /// accepts, and accepts the common item shape.
    #[test]
    fn simple_yaml_reads_what_the_yaml_library_reads() {
        let keys = [
            "number",
            "leaders",
            "project",
            "key",
            "department",
            "draft",
            "序号",
            "责任领导",
            "项目名称",
            "yes",
            "null",
            "on",
            "a",
            "_x",
            "Key",
            "x-y",
            "项目 名称",
            "y",
            "NO",
        ];
        let values = [
            "5",
            "0",
            "05",
            "007",
            "30a",
            "1e3",
            "0x1f",
            "0o17",
            "1_000",
            "+5",
            "-5",
            ".5",
            "5.0",
            "123456789012345678901",
            "true",
            "False",
            "yes",
            "No",
            "on",
            "null",
            "~",
            "NULL",
            ".inf",
            "nan",
            "p0007",
            "甄别",
            "章\u{a0}平",
            "结算民法典工作",
            "智慧旅游 停车场",
            "东湖-磨山",
            "a: b",
            "a #b",
            "a#b",
            "#x",
            "'引号'",
            "\"引号\"",
            "[甄别, 童水林]",
            "[甄别,童水林]",
            "[]",
            "[a, [b]]",
            "{a: b}",
            "&a",
            "*a",
            "!tag",
            "|",
            ">",
            "%x",
            "@x",
            "`x`",
            "？问号",
            "项目，逗号",
            "a\tb",
            "a\\b",
            "\u{3000}全角空格",
            "２０２０",
            "2020-07-06",
            "- a",
            "x ",
            " x",
            "é",
            "y",
            "Y",
            "n",
            "inf",
            "-",
            "?",
        ];
        let mut seed = 11u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut accepted = 0;
        for _ in 0..60_000 {
            let mut yaml = String::new();
            for _ in 0..1 + next(3) {
                let sep = [": ", ":  ", ":", ": "][next(4)];
                yaml.push_str(&format!(
                    "{}{sep}{}\n",
                    keys[next(keys.len())],
                    values[next(values.len())]
                ));
                if next(8) == 0 {
                    yaml.push_str(["\n", "  \n", "# c\n", "  nested: x\n"][next(4)]);
                }
            }
            if let Some(fast) = simple_yaml(&yaml) {
                accepted += 1;
                let full: Value = serde_yaml::from_str(&yaml)
                    .unwrap_or_else(|e| panic!("accepted {yaml:?}, the library says {e}"));
                assert_eq!(fast, full, "{yaml:?}");
            }
        }
        assert!(
            accepted > 1_000,
            "only {accepted} accepted: the test covers too little"
        );
        let item = "number: 5\nleaders: [甄别, 童水林]\nproject: 结算民法典工作\nkey: p0007\ndepartment: 城管执法局\n";
        assert_eq!(
            simple_yaml(item),
            Some(serde_yaml::from_str::<Value>(item).unwrap()),
            "the common item shape takes the fast path"
        );
        // And on the real report's files.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/2020-07");
        let mut real = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let doc = split(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
            if let Some(fast) = simple_yaml(&doc.yaml) {
                real += 1;
                assert_eq!(
                    fast,
                    serde_yaml::from_str::<Value>(&doc.yaml).unwrap(),
                    "{path:?}"
                );
            }
        }
        // Quoted names (U+00A0 padding) and block lists go to the library.
        assert!(real >= 40, "{real} real items took the fast path");
    }
}
