//! A fast path for the front matter of a typical item; anything unusual
//! goes to the YAML library.

use serde_yaml::Value;

use crate::basics::text;

/// The front matter of a typical item — one `key: value` a line, values
/// plain words or `[a, b]` lists of them — read without the YAML library,
/// which costs more than the rest of loading a file. Returns exactly what the
/// library returns (a test compares the two on thousands of documents), or
/// `None` for anything else: quotes, comments, nesting, empty values,
/// anything that could be a number other than a plain integer, a boolean or
/// null. Those go to the library, which also reports the errors.
pub(super) fn simple_yaml(yaml: &str) -> Option<Value> {
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_yaml::Value;

    use super::simple_yaml;
    use crate::load::front_matter::split;

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
