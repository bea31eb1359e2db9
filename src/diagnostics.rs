//! Errors and warnings a user can cause, each pointing at a file, line and
//! column, rendered by codespan-reporting with the offending line and a
//! caret under it.

use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{self, Files};
use codespan_reporting::term;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The source line the position points into, for the snippet.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    pub(crate) fn warning(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at a line and column of `text` (the whole file).
    /// A line past the end (a parser that noticed the problem at the end of
    /// the file) is the file's last line: the editor is sent to a line it has.
    pub(crate) fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        let line = line.min(text.lines().count().max(1));
        self.line = line;
        self.column = column.max(1);
        self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// Renders with codespan-reporting: the message, `--> file:line:column`,
    /// the source line and a caret under the problem, then the hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let notes: Vec<String> = self.help.iter().map(|h| format!("提示：{h}")).collect();
        let name = self.file.display().to_string();
        let Some(src) = self.source_line.as_deref().filter(|_| self.line > 0) else {
            // No source to show (a whole-file problem, or text that is not
            // UTF-8): the same layout by hand, without a snippet.
            let kind = match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            writeln!(f, "{kind}: {}", self.message)?;
            match self.line {
                0 => writeln!(f, "  --> {name}")?,
                l => writeln!(f, "  --> {name}:{l}:{}", self.column.max(1))?,
            }
            for n in &notes {
                writeln!(f, "  = {n}")?;
            }
            return Ok(());
        };
        // A pasted paragraph can be one very long line: show a window of it.
        let skip = self.column.saturating_sub(WINDOW / 3);
        let window: String = src.chars().skip(skip).take(WINDOW).collect();
        let file = OneLine {
            name,
            line: self.line,
            src: &window,
            skipped: skip,
        };
        let shown = cs::Diagnostic::new(severity)
            .with_message(&self.message)
            .with_label(cs::Label::primary(
                (),
                token_at(&window, self.column - skip),
            ))
            .with_notes(notes);
        let config = term::Config {
            // Box-drawing characters are double width in many Chinese
            // terminal fonts, which would push the caret off its column.
            chars: term::Chars::ascii(),
            ..term::Config::default()
        };
        let text = term::emit_into_string(&config, &file, &shown).map_err(|_| fmt::Error)?;
        // codespan ends with a blank line; `Diagnostics` puts one between entries.
        writeln!(f, "{}", text.trim_end())
    }
}

/// How many characters of a source line a snippet shows at most.
const WINDOW: usize = 100;

/// The byte range to underline: the word that starts at `column` (a key, a
/// value, a date), or one character when nothing word-like is there.
fn token_at(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let rest = &line[start..];
    // A YAML key ends at `: `; a URL's `:` is part of the word.
    let len = rest
        .char_indices()
        .find(|&(i, c)| {
            c.is_whitespace()
                || matches!(c, '：' | ',' | '，' | '、' | '。' | ']' | '}' | ')' | '）')
                || (c == ':' && rest[i + 1..].chars().next().is_none_or(char::is_whitespace))
        })
        .map_or(rest.len(), |(i, _)| i);
    let len = if len == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    start..start + len
}

/// The one source line a diagnostic shows, presented to codespan-reporting as
/// a file whose only line carries the real line number.
struct OneLine<'s> {
    name: String,
    line: usize,
    src: &'s str,
    /// Characters of the real line left out before `src`.
    skipped: usize,
}

impl<'a> Files<'a> for OneLine<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, files::Error> {
        Ok(self.src)
    }

    fn line_index(&'a self, _: (), _: usize) -> Result<usize, files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, _: (), _: usize) -> Result<usize, files::Error> {
        Ok(self.line)
    }

    fn line_range(&'a self, _: (), _: usize) -> Result<std::ops::Range<usize>, files::Error> {
        Ok(0..self.src.len())
    }

    fn column_number(&'a self, _: (), _: usize, byte: usize) -> Result<usize, files::Error> {
        Ok(self.skipped + files::column_index(self.src, 0..self.src.len(), byte) + 1)
    }
}

/// All diagnostics of one run, sorted by file and position so output is stable.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    pub(crate) fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.0.dedup();
    }

    /// Turns warnings into errors, for `--strict` release pipelines.
    pub(crate) fn make_strict(&mut self) {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_column_counting_wide_characters() {
        let text = "---\n责任部门: 3\n---\n";
        let d = Diagnostic::error(Path::new("a.md"), "bad")
            .at(text, 2, 7)
            .help("写部门名称");
        let shown = d.to_string();
        assert!(shown.starts_with("error: bad\n"), "{shown}");
        assert!(shown.contains("--> a.md:2:7"), "{shown}");
        assert!(shown.contains("2 | 责任部门: 3"), "{shown}");
        // 4 CJK chars (8 columns) + ": " (2 columns) before column 7.
        assert!(
            shown.contains(&format!("  | {}^\n", " ".repeat(10))),
            "{shown}"
        );
        assert!(shown.contains("= 提示：写部门名称"), "{shown}");
    }

    #[test]
    fn a_line_past_the_end_is_the_last_line() {
        let d = Diagnostic::error(Path::new("site.yaml"), "bad").at("a: 1\nb:c\n", 3, 1);
        assert_eq!((d.line, d.source_line.as_deref()), (2, Some("b:c")));
        let empty = Diagnostic::error(Path::new("site.yaml"), "bad").at("", 2, 1);
        assert_eq!(empty.line, 1);
    }

    #[test]
    fn the_whole_word_is_underlined() {
        let d = Diagnostic::warning(Path::new("b.md"), "unknown").at(
            "---\nproject: a\nleaders: b\ndepartmnet: 纪工委\n",
            4,
            1,
        );
        let shown = d.to_string();
        assert!(shown.starts_with("warning: unknown"), "{shown}");
        assert!(shown.contains("4 | departmnet: 纪工委"), "{shown}");
        assert!(shown.contains("  | ^^^^^^^^^^\n"), "{shown}");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}**{}", "甲".repeat(500), "乙".repeat(500));
        let shown = Diagnostic::warning(Path::new("d.md"), "x")
            .at(&line, 1, 501)
            .to_string();
        assert!(shown.contains("--> d.md:1:501"), "{shown}");
        assert!(shown.lines().all(|l| l.chars().count() < 300), "{shown}");
        assert!(shown.contains("甲**乙"), "{shown}");
    }

    #[test]
    fn whole_file_problems_name_the_file() {
        let d = Diagnostic::error(Path::new("c.md"), "文件是空的").help("删除");
        assert_eq!(
            d.to_string(),
            "error: 文件是空的\n  --> c.md\n  = 提示：删除\n"
        );
    }
}
