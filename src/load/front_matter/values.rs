//! The parsed front matter and its typed readers: each known key with its
//! value and position, read as text, lists, booleans, dates or records, with
//! a diagnostic for every value of the wrong shape.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::Value;

use super::{Document, fast_reader, positions, yaml_errors};
use crate::basics::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::load::fields::{self, Field};

/// One known key as written: its value and where it and its value sit.
struct Entry {
    value: Value,
    line: usize,
    /// Column of the value when it is on the key's line, else the key's.
    value_col: usize,
}

/// One entry of a list of records such as `attachments`, with the line of
/// each key so errors can point inside the entry.
pub(crate) struct Record {
    pub values: BTreeMap<&'static str, String>,
    /// Line and column of the entry's `- `.
    pub line: usize,
    pub col: usize,
    positions: BTreeMap<&'static str, (usize, usize)>,
}

impl Record {
    /// Line and column of a key's value in this entry, or of the entry itself.
    pub(crate) fn position(&self, name: &str) -> (usize, usize) {
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
        let simple = fast_reader::simple_yaml(&doc.yaml);
        let parsed: Value = match simple
            .map(Ok)
            .unwrap_or_else(|| serde_yaml::from_str(&doc.yaml))
        {
            Ok(v) => v,
            Err(e) => {
                fm.valid = false;
                errors.push(yaml_errors::syntax_error(path, doc, &e));
                return fm;
            }
        };
        let Value::Mapping(map) = parsed else {
            fm.valid = false;
            if let Some(d) = matches!(parsed, Value::String(_))
                .then(|| yaml_errors::colon_mistake_in(path, doc))
                .flatten()
            {
                errors.push(d);
                return fm;
            }
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
            let (line, value_col) =
                positions::key_position(doc, &key).unwrap_or((fm.front_matter_line(), 1));
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
                // `　责任部门: …`: indented with a full-width space, which
                // YAML takes for part of the key.
                None if key.starts_with('\u{3000}')
                    && fields::lookup(table, key.trim_start_matches('\u{3000}')).is_some() =>
                {
                    fm.suggested.extend(
                        fields::lookup(table, key.trim_start_matches('\u{3000}')).map(|f| f.name),
                    );
                    errors.push(
                        Diagnostic::error(
                            path,
                            "这一行开头是中文全角空格“　”，YAML 把它当成了字段名的一部分",
                        )
                        .at(&doc.text, line, 1)
                        .help(format!(
                            "删掉行首的全角空格，写成 `{}: …`",
                            key.trim_start_matches('\u{3000}')
                        )),
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

    /// Where problems about the front matter as a whole point: the closing
    /// `---`, just where a missing line would go.
    pub(crate) fn front_matter_line(&self) -> usize {
        if self.doc.body_line > 1 {
            self.doc.body_line - 1
        } else {
            1
        }
    }

    /// Line of a key in the file, for diagnostics about its value.
    pub(crate) fn line_of(&self, name: &str) -> usize {
        self.values
            .get(name)
            .map(|e| e.line)
            .unwrap_or(self.front_matter_line())
    }

    /// An error about a key's value, pointing at the value.
    pub(crate) fn error_at(&self, name: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self
            .values
            .get(name)
            .map(|e| (e.line, e.value_col))
            .unwrap_or((self.front_matter_line(), 1));
        Diagnostic::error(self.path, message).at(&self.doc.text, line, col)
    }

    pub(crate) fn has(&self, name: &str) -> bool {
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
    pub(crate) fn missing(&self, table: &'static [Field], name: &str) -> Diagnostic {
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
    pub(crate) fn report_missing(
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
    pub(crate) fn string(
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
    pub(crate) fn required_string(
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
            // `[张三, 李四]` typed with a Chinese keyboard is one string to
            // YAML, which would be one person named “［张三，李四］”.
            Value::String(s)
                if s.trim().starts_with(['［', '【', '〔'])
                    && s.trim().ends_with(['］', '】', '〕']) =>
            {
                let names: Vec<&str> = s
                    .trim()
                    .trim_start_matches(['［', '【', '〔'])
                    .trim_end_matches(['］', '】', '〕'])
                    .split([',', '，', '、'])
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .collect();
                errors.push(
                    self.error_at(
                        name,
                        format!(
                            "{} 这里用了中文方括号，YAML 只认英文方括号 `[` `]`",
                            fields::label(f)
                        ),
                    )
                    .help(format!(
                        "改成 `{}: [{}]`",
                        f.alias,
                        names.join(", ")
                    )),
                );
                None
            }
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

    pub(crate) fn bool(
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

    pub(crate) fn date(
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
    pub(crate) fn records(
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
        let starts = positions::entry_lines(self.doc, entry.line);
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
                let pos = positions::sub_key_position(self.doc, &key, line, end);
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
}

fn field_list(table: &[Field]) -> String {
    table
        .iter()
        .map(|f| format!("{}/{}", f.name, f.alias))
        .collect::<Vec<_>>()
        .join("，")
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
    use std::path::Path;

    use crate::diagnostics::Diagnostic;
    use crate::load::fields::ITEM;
    use crate::load::front_matter::{FrontMatter, split};

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
}
