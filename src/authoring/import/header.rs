//! Finding the header row: the report's columns by name, in any order, on
//! whichever row of whichever sheet first names them.

use std::collections::HashMap;
use std::path::Path;

use super::table::{Row, Table};
use crate::basics::text;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::fields::{self, ITEM, SECTION_PLAN, SECTION_PROBLEMS, SECTION_PROGRESS};
use crate::load::markdown::Section;

/// The report's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Column {
    Number,
    Leaders,
    Project,
    Department,
    Progress,
    Problems,
    Plan,
    /// Optional: 项目标识, the cross-month identity (open data carries it).
    Key,
}

const REQUIRED: [Column; 7] = [
    Column::Number,
    Column::Leaders,
    Column::Project,
    Column::Department,
    Column::Progress,
    Column::Problems,
    Column::Plan,
];

impl Column {
    /// What a header cell names, in Chinese (as tables are) or English.
    pub(super) fn from_header(cell: &str) -> Option<Column> {
        let h: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(f) = fields::lookup(ITEM, &h) {
            return match f.name {
                "number" => Some(Column::Number),
                "leaders" => Some(Column::Leaders),
                "project" => Some(Column::Project),
                "department" => Some(Column::Department),
                "key" => Some(Column::Key),
                _ => None,
            };
        }
        match Section::from_heading(&h)? {
            Section::Progress => Some(Column::Progress),
            Section::Problems => Some(Column::Problems),
            Section::Plan => Some(Column::Plan),
        }
    }

    pub(super) fn name(self) -> String {
        let alias = |n: &str| fields::lookup(ITEM, n).map_or(n, |f| f.alias).to_owned();
        match self {
            Column::Number => alias("number"),
            Column::Leaders => alias("leaders"),
            Column::Project => alias("project"),
            Column::Department => alias("department"),
            Column::Key => alias("key"),
            Column::Progress => SECTION_PROGRESS.to_owned(),
            Column::Problems => SECTION_PROBLEMS.to_owned(),
            Column::Plan => format!("{SECTION_PLAN}（或 N月具体进度安排）"),
        }
    }
}

pub(super) struct Header {
    /// Index of the header in `Table::rows`.
    pub(super) index: usize,
    /// Sheet row number.
    pub(super) row: usize,
    pub(super) columns: HashMap<Column, usize>,
    pub(super) ignored: Vec<String>,
    pub(super) plan_heading: String,
}

/// The report columns a row names, when it names enough to be the header:
/// 项目名称 and at least three others.
fn header_columns(row: &Row) -> Option<Vec<(usize, Column)>> {
    let found: Vec<(usize, Column)> = row
        .cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Column::from_header(c).map(|col| (i, col)))
        .collect();
    (found.iter().any(|(_, c)| *c == Column::Project) && found.len() >= 4).then_some(found)
}

/// Whether a table has a header row: a candidate for the work table.
pub(super) fn has_header(table: &Table) -> bool {
    table.rows.iter().any(|r| header_columns(r).is_some())
}

/// The header is the first row naming 项目名称 and at least three other
/// report columns; the columns may come in any order and extra ones are ignored.
pub(super) fn find_header<'t>(path: &Path, tables: &'t [Table]) -> Result<(&'t Table, Header)> {
    let expected = REQUIRED
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join("、");
    for table in tables {
        for (index, row) in table.rows.iter().enumerate() {
            let Some(found) = header_columns(row) else {
                continue;
            };
            let at = |col: usize, msg: String| Diagnostic {
                line: row.number,
                column: col + 1,
                ..Diagnostic::error(path, msg)
            };
            let mut errors = Vec::new();
            let mut columns = HashMap::new();
            for (i, col) in &found {
                if let Some(first) = columns.insert(*col, *i) {
                    errors.push(
                        at(
                            *i,
                            format!(
                                "{}第 {} 行：表头里有两列“{}”（{} 列和 {} 列）",
                                table.label,
                                row.number,
                                row.cell(*i),
                                text::base26(first, true),
                                text::base26(*i, true)
                            ),
                        )
                        .help("删掉或改名其中一列，让每个栏目只出现一次"),
                    );
                }
            }
            let missing: Vec<String> = REQUIRED
                .iter()
                .filter(|c| !columns.contains_key(c))
                .map(|c| c.name())
                .collect();
            if !missing.is_empty() {
                errors.push(
                    at(
                        0,
                        format!(
                            "{}第 {} 行是表头，但缺少这些列：{}",
                            table.label,
                            row.number,
                            missing.join("、")
                        ),
                    )
                    .help(format!("表头需要这些列（顺序不限）：{expected}")),
                );
            }
            if !errors.is_empty() {
                return Err(Error::Content(Diagnostics(errors)));
            }
            let mut ignored = Vec::new();
            let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            for col in 0..width {
                if found.iter().any(|(i, _)| *i == col) {
                    continue;
                }
                let name = row.cell(col);
                if !name.is_empty() {
                    ignored.push(format!("{} 列“{name}”", text::base26(col, true)));
                } else if table.rows[index + 1..]
                    .iter()
                    .any(|r| !r.cell(col).is_empty())
                {
                    ignored.push(format!("{} 列（没有列名）", text::base26(col, true)));
                }
            }
            let plan_heading: String = row
                .cell(columns[&Column::Plan])
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            return Ok((
                table,
                Header {
                    index,
                    row: row.number,
                    columns,
                    ignored,
                    plan_heading,
                },
            ));
        }
    }
    let searched = tables
        .iter()
        .map(|t| {
            if t.label.is_empty() {
                "表格"
            } else {
                t.label.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join("、");
    let message = if tables.is_empty() {
        "文件里没有表格：这不像一份月度工作报告".to_owned()
    } else {
        format!("在{searched}里找不到表头行")
    };
    Err(Error::Content(Diagnostics(vec![
        Diagnostic::error(path, message).help(format!(
            "表头是包含这些列名的一行（顺序不限，可以不在第一行，多余的列会被忽略）：{expected}"
        )),
    ])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_either_language_and_both_plan_names() {
        assert_eq!(Column::from_header("责任\n领导"), Some(Column::Leaders));
        assert_eq!(Column::from_header("project"), Some(Column::Project));
        assert_eq!(Column::from_header("8月具体进度安排"), Some(Column::Plan));
        assert_eq!(Column::from_header("下月安排"), Some(Column::Plan));
        assert_eq!(Column::from_header("项目标识"), Some(Column::Key));
        assert_eq!(Column::from_header("备注"), None);
        assert_eq!(Column::from_header("草稿"), None);
    }
}
