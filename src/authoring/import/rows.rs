//! Reading the rows under the header: one [`NewItem`] per row, with file names
//! from 序号 and 责任领导/责任部门 carried down over merged or blank cells.

use std::collections::HashMap;
use std::path::Path;

use super::header::{Column, Header};
use super::table::{Row, Table};
use crate::authoring::writer::{self, NewItem};
use crate::basics::dates::YearMonth;
use crate::basics::text;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::fields::{SECTION_PROBLEMS, SECTION_PROGRESS};

pub(super) struct Parsed {
    pub(super) items: Vec<NewItem>,
    pub(super) unnumbered: Vec<String>,
    /// Table rows whose 责任领导 / 责任部门 came from a merged or blank cell above.
    pub(super) carried_leaders: Vec<usize>,
    pub(super) carried_departments: Vec<usize>,
    pub(super) notes: Vec<String>,
}

/// Every row under the header as an item, or every bad row as an error.
pub(super) fn parse_rows(
    path: &Path,
    table: &Table,
    header: &Header,
    month: YearMonth,
    strict_month: bool,
) -> Result<Parsed> {
    let mut rows = Rows {
        path,
        table,
        header,
        month,
        report_cols: header.columns.values().copied().collect(),
        errors: Vec::new(),
        out: Parsed {
            items: Vec::new(),
            unnumbered: Vec::new(),
            carried_leaders: Vec::new(),
            carried_departments: Vec::new(),
            notes: Vec::new(),
        },
        leaders: CarryDown::default(),
        department: CarryDown::default(),
        names: FileNames::default(),
        keys: HashMap::new(),
    };
    rows.excel_errors();
    rows.check_plan_month(strict_month);
    for row in &table.rows[header.index + 1..] {
        rows.row(row);
    }
    rows.finish()
}

/// The state of one pass over the rows.
struct Rows<'a> {
    path: &'a Path,
    table: &'a Table,
    header: &'a Header,
    month: YearMonth,
    /// Sheet columns that are part of the report.
    report_cols: Vec<usize>,
    errors: Vec<Diagnostic>,
    out: Parsed,
    leaders: CarryDown<Vec<String>>,
    department: CarryDown<String>,
    names: FileNames,
    /// 项目标识 (or 项目名称) → the sheet row that first had it.
    keys: HashMap<String, usize>,
}

impl Rows<'_> {
    fn col(&self, c: Column) -> Option<usize> {
        self.header.columns.get(&c).copied()
    }

    fn error_at(&self, row: usize, column: usize, msg: String) -> Diagnostic {
        Diagnostic {
            line: row,
            column: column + 1,
            ..Diagnostic::error(self.path, format!("{}第 {row} 行：{msg}", self.table.label))
        }
    }

    fn error(&self, row: usize, c: Column, msg: String) -> Diagnostic {
        self.error_at(row, self.col(c).unwrap_or(0), msg)
    }

    /// Excel error values (`#REF!`) in the report's columns below the header.
    fn excel_errors(&mut self) {
        for (row, column, value) in &self.table.cell_errors {
            if *row > self.header.row && self.report_cols.contains(column) {
                let e = self
                    .error_at(
                        *row,
                        *column,
                        format!("{} 列是 Excel 错误值 {value}", text::base26(*column, true)),
                    )
                    .help("在 Excel 里改正这个单元格的公式或换成文字");
                self.errors.push(e);
            }
        }
    }

    /// The table's own title (a row above the header: "7月工作进展情况") and
    /// its plan heading ("8月具体进度安排") against `--month`: with
    /// `strict`, a month they name that is not `--month` is an error saying
    /// both; else a note (`--allow-month-mismatch`).
    fn check_plan_month(&mut self, strict: bool) {
        let (header, month) = (self.header, self.month);
        let fix = "请确认 --month 是否写对；月份确实没错，加 --allow-month-mismatch 再导入";
        let plan_month = header
            .plan_heading
            .strip_suffix("月具体进度安排")
            .and_then(|m| m.parse::<u32>().ok());
        if plan_month.is_some_and(|m| m != month.next().month) {
            let said = format!(
                "表头是“{}”，而 {month} 的下月是 {} 月（条目里写作“{}”）",
                header.plan_heading,
                month.next().month,
                month.plan_heading()
            );
            if strict {
                let column = self.col(Column::Plan).unwrap_or(0);
                let e = self.error_at(header.row, column, said).help(fix);
                self.errors.push(e);
            } else {
                self.out
                    .notes
                    .push(format!("{said}：请确认 --month 是否写对"));
            }
        }
        let title = self.table.rows[..header.index]
            .iter()
            .flat_map(|r| {
                r.cells
                    .iter()
                    .enumerate()
                    .map(move |(c, t)| (r.number, c, t))
            })
            .find_map(|(row, column, t)| Some((row, column, t, title_month(t)?)));
        if let Some((row, column, t, m)) = title
            && m != month.month
        {
            let said = format!("表格标题“{}”写的是 {m} 月，而 --month 是 {month}", t.trim());
            if strict {
                let e = self.error_at(row, column, said).help(fix);
                self.errors.push(e);
            } else {
                self.out
                    .notes
                    .push(format!("{said}：请确认 --month 是否写对"));
            }
        }
    }

    /// One row: checked, and an item added unless its 序号 cannot be a file name.
    fn row(&mut self, row: &Row) {
        let header = self.header;
        let cell = |c: Column| header.columns.get(&c).map(|&i| row.cell(i)).unwrap_or("");
        if self.report_cols.iter().all(|&i| row.cell(i).is_empty()) {
            return;
        }
        if Column::from_header(cell(Column::Project)) == Some(Column::Project)
            && Column::from_header(cell(Column::Number)) == Some(Column::Number)
        {
            self.out
                .notes
                .push(format!("第 {} 行是重复的表头，已跳过", row.number));
            return;
        }
        let r = row.number;
        let number = Some(cell(Column::Number).to_owned()).filter(|n| !n.is_empty());

        let project: String = writer::cell_lines(cell(Column::Project)).collect();
        if project.is_empty() {
            let e = self
                .error(r, Column::Project, "没有项目名称".to_owned())
                .help("每一行都要有项目名称；标题、备注或合计行请从表格里删掉");
            self.errors.push(e);
        }

        // A cell copied down from a merged cell above counts as carried down.
        let merged = |c: Column| {
            header
                .columns
                .get(&c)
                .is_some_and(|i| row.carried.contains(i))
        };
        let named = split_names(cell(Column::Leaders));
        let named = (!named.is_empty() && !merged(Column::Leaders)).then_some(named);
        let leaders = self.leaders.next(r, named);
        let leaders = self.or_missing(r, Column::Leaders, leaders);
        let named = join_department(cell(Column::Department));
        let named = (!named.is_empty() && !merged(Column::Department)).then_some(named);
        let department = self.department.next(r, named);
        let department = self.or_missing(r, Column::Department, department);

        let Some(stem) = self.stem(r, number.as_deref()) else {
            return;
        };
        let key = self.key(r, &project, cell(Column::Key));

        let mut sections = Vec::new();
        for (column, heading) in [
            (Column::Progress, SECTION_PROGRESS.to_owned()),
            (Column::Problems, SECTION_PROBLEMS.to_owned()),
            (Column::Plan, self.month.plan_heading()),
        ] {
            let body = writer::cell_paragraphs(cell(column));
            if !body.is_empty() {
                sections.push((heading, body));
            }
        }
        self.out.items.push(NewItem {
            stem,
            number,
            leaders,
            key: (key != project).then_some(key),
            project,
            department,
            draft: false,
            sections,
        });
    }

    /// A 责任领导 or 责任部门 that is blank with nothing above to carry down
    /// is an error; the row goes on with an empty value so later checks still run.
    fn or_missing<T: Default>(&mut self, r: usize, c: Column, value: Option<T>) -> T {
        value.unwrap_or_else(|| {
            let name = c.name();
            let e = self
                .error(r, c, format!("没有{name}，上面也没有可以沿用的"))
                .help(format!("空白或合并的{name}格沿用上一行；第一行必须填写"));
            self.errors.push(e);
            T::default()
        })
    }

    /// The row's file name from its 序号, or from the last 序号 above plus a
    /// letter when it has none; `None` when the 序号 cannot be a file name.
    fn stem(&mut self, r: usize, number: Option<&str>) -> Option<String> {
        let mut repeated_number = false;
        let stem = match number {
            Some(n) => match number_stem(n) {
                Some(stem) => {
                    if let Some(first) = self.names.numbers.insert(stem.clone(), r) {
                        repeated_number = true;
                        let e = self
                            .error(r, Column::Number, format!("序号 {n} 与第 {first} 行重复"))
                            .help("每个序号只能出现一次；没有序号的行留空即可，文件名接在上一行后面（如 30a）");
                        self.errors.push(e);
                    }
                    self.names.last_numbered = Some(stem.clone());
                    self.names.since_numbered = 0;
                    stem
                }
                None => {
                    let e = self
                        .error(r, Column::Number, format!("序号“{n}”不能用作文件名"))
                        .help("序号请写数字，可以带一个小写字母，如 12 或 30a");
                    self.errors.push(e);
                    return None;
                }
            },
            None => {
                self.names.since_numbered += 1;
                let stem = format!(
                    "{}{}",
                    self.names.last_numbered.as_deref().unwrap_or("00"),
                    text::base26(self.names.since_numbered - 1, false)
                );
                self.out.unnumbered.push(stem.clone());
                stem
            }
        };
        if let Some(first) = self.names.stems.insert(stem.clone(), r)
            && !repeated_number
        {
            let e = self
                .error(
                    r,
                    Column::Number,
                    format!(
                        "文件名 {stem}.md 与第 {first} 行相同（没有序号的行接在上一个序号后面编号）"
                    ),
                )
                .help("给其中一行写上不同的序号");
            self.errors.push(e);
        }
        Some(stem)
    }

    /// The row's 项目标识, 项目名称 when the cell is blank; two rows of a month
    /// with the same one are an error.
    fn key(&mut self, r: usize, project: &str, key_cell: &str) -> String {
        let key_cell: String = writer::cell_lines(key_cell).collect();
        let key = if key_cell.is_empty() {
            project.to_owned()
        } else {
            key_cell
        };
        if !project.is_empty()
            && let Some(first) = self.keys.insert(key.clone(), r)
        {
            let e = self
                .error(r, Column::Project, format!("项目“{key}”与第 {first} 行相同"))
                .help("同一个月里一个项目只能有一行；确实是两个项目时，加一列“项目标识”给它们不同的标识");
            self.errors.push(e);
        }
        key
    }

    /// The items, or every error sorted by sheet position.
    fn finish(self) -> Result<Parsed> {
        let Rows {
            path,
            table,
            header,
            mut errors,
            mut out,
            leaders,
            department,
            ..
        } = self;
        out.carried_leaders = leaders.carried;
        out.carried_departments = department.carried;
        if out.items.is_empty() && errors.is_empty() {
            errors.push(
                Diagnostic {
                    line: header.row,
                    ..Diagnostic::error(
                        path,
                        format!("{}第 {} 行的表头下面没有任何条目", table.label, header.row),
                    )
                }
                .help("确认选对了工作表（--sheet 名称）"),
            );
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            errors.sort_by_key(|d| (d.line, d.column));
            Err(Error::Content(Diagnostics(errors)))
        }
    }
}

/// 责任领导 or 责任部门: a merged or blank cell takes the last filled one above.
#[derive(Default)]
struct CarryDown<T> {
    above: Option<T>,
    /// Table rows that took the value from above.
    carried: Vec<usize>,
}

impl<T: Clone> CarryDown<T> {
    /// The row's value: the cell's when filled, else the one above; `None`
    /// when the cell is blank and nothing above was filled.
    fn next(&mut self, row: usize, cell: Option<T>) -> Option<T> {
        match cell {
            Some(value) => {
                self.above = Some(value.clone());
                Some(value)
            }
            None => {
                if self.above.is_some() {
                    self.carried.push(row);
                }
                self.above.clone()
            }
        }
    }
}

/// How rows get file names, and which they already took.
#[derive(Default)]
struct FileNames {
    /// The stem of the last row that had a 序号, and rows since.
    last_numbered: Option<String>,
    since_numbered: usize,
    /// File stem of a 序号 → the sheet row that first had it.
    numbers: HashMap<String, usize>,
    /// File stem → the sheet row that took it.
    stems: HashMap<String, usize>,
}

/// 责任领导 may hold several names, one a line or separated by 、 or commas.
/// Spaces stay: real names are written `章  平`.
fn split_names(cell: &str) -> Vec<String> {
    cell.split(['\n', '\r', '、', '，', ',', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A 责任部门 cell on one line: a line break between two departments reads
/// as 、, after punctuation as nothing.
fn join_department(cell: &str) -> String {
    let mut out = String::new();
    for line in writer::cell_lines(cell) {
        if !out.is_empty() && !out.ends_with([',', '，', '、', ';', '；']) {
            out.push('、');
        }
        out.push_str(line);
    }
    out
}

/// A 序号 as a file name: digits padded to two like the real content (`01`),
/// an optional letter kept (`30a`). `None` for anything else.
fn number_stem(n: &str) -> Option<String> {
    let digits = n.bytes().take_while(u8::is_ascii_digit).count();
    let (d, rest) = n.split_at(digits);
    if digits == 0 || digits > 9 || !rest.chars().all(|c| c.is_ascii_alphabetic()) || rest.len() > 2
    {
        return None;
    }
    let value: u64 = d.parse().ok()?;
    Some(format!("{value:02}{}", rest.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_numbers() {
        assert_eq!(number_stem("1").as_deref(), Some("01"));
        assert_eq!(number_stem("66").as_deref(), Some("66"));
        assert_eq!(number_stem("100").as_deref(), Some("100"));
        assert_eq!(number_stem("30A").as_deref(), Some("30a"));
        assert_eq!(number_stem("一"), None);
        assert_eq!(number_stem("1.5"), None);
    }

    #[test]
    fn names_and_departments() {
        assert_eq!(split_names("甄  别\n童水林"), ["甄  别", "童水林"]);
        assert_eq!(split_names("甄  别、童水林"), ["甄  别", "童水林"]);
        assert_eq!(join_department("办公室\n财政局"), "办公室、财政局");
        assert_eq!(
            join_department("信访办牵头,\n综治办配合"),
            "信访办牵头,综治办配合"
        );
    }
}

/// The month a report's title names: "7月工作进展情况及8月安排" → 7,
/// "东湖管委会2020年12月份工作进展" → 12; `None` for text that is no such title.
fn title_month(text: &str) -> Option<u32> {
    let at = [
        "月工作进展",
        "月份工作进展",
        "月进展情况",
        "月份进展情况",
        "月工作情况",
    ]
    .iter()
    .filter_map(|p| text.find(p))
    .min()?;
    let digits: String = text[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let m: u32 = digits.parse().ok()?;
    (1..=12).contains(&m).then_some(m)
}

#[cfg(test)]
mod title_tests {
    #[test]
    fn a_title_names_its_month() {
        assert_eq!(super::title_month("7月工作进展情况及8月安排"), Some(7));
        assert_eq!(
            super::title_month("东湖管委会2020年12月份工作进展"),
            Some(12)
        );
        assert_eq!(super::title_month("工作进展情况"), None);
        assert_eq!(super::title_month("13月工作进展"), None);
    }
}
