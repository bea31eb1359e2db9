//! Splits a content file into YAML front matter and Markdown body; the
//! submodules read typed values out of the YAML with positions for error
//! messages. This folder is the only place that touches the YAML library.
//!
//! - `values`: [`FrontMatter`] and [`Record`], the typed readers.
//! - `positions`: where a key sits in the text (the YAML library keeps none).
//! - `yaml_errors`: the library's syntax errors, pointed and explained.
//! - `fast_reader`: the common item shape, read without the library.

use std::path::Path;

use crate::diagnostics::Diagnostic;

mod fast_reader;
mod positions;
mod values;
mod yaml_errors;

pub(crate) use positions::find_key;
pub use values::FrontMatter;

/// The fast reader's answer and the YAML library's for the same text.
pub(crate) fn both_readers(
    yaml: &str,
) -> (Option<serde_yaml::Value>, Result<serde_yaml::Value, String>) {
    (
        fast_reader::simple_yaml(yaml),
        serde_yaml::from_str(yaml).map_err(|e| e.to_string()),
    )
}

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

impl Document {
    /// A file that is all front matter, without fences (`site.yaml`).
    pub(crate) fn all_yaml(raw: &str) -> Document {
        let text = normalise(raw);
        Document {
            yaml: text.clone(),
            text,
            yaml_line: 1,
            body: String::new(),
            body_line: 1,
        }
    }
}

/// Strips a UTF-8 BOM and turns CRLF (and lone CR) into LF.
pub(crate) fn normalise(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_fence_is_an_error() {
        assert!(split(Path::new("x.md"), "---\ntitle: a\n").is_err());
    }
}
