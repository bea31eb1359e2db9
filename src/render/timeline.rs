//! Timelines drawn at build time: inline SVG that needs no script, says what
//! it shows in text (`<title>`s, which are also the tooltips), and tells its
//! marks apart by shape as well as by colour, so a black-and-white print
//! reads the same. Colours come from the theme's CSS (`.tl` classes).
//!
//! Three drawings: a project's months (a year a row, a month a column, each
//! reported month linked to its entry on the project page), a one-line strip
//! per project for the project index, and a department's or leader's items
//! and problems per month. Only years holding a month of the archive get a
//! row, so odd folder names cannot make a drawing huge.

use std::fmt::Write;

use crate::basics::dates::YearMonth;
use crate::model::{ItemRef, Site};

/// Where a grid's marks go. `Wide` (html and print): a year a row, twelve
/// columns under month numbers, the year on the left. `Narrow` (mobile): a
/// year a block of two rows of six, the year above, each month's number in
/// its cell, so marks are big enough to tap and text big enough to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Wide,
    Narrow,
}

/// One month's column, and the mark drawn in it.
struct Geometry {
    /// Left of the first column (the year labels' width in `Wide`).
    left: u32,
    /// Above the first row (month numbers in `Wide`).
    top: u32,
    pitch: u32,
    cell: u32,
    /// Height of a row of marks; a year label's line in `Narrow`.
    row: u32,
    year_line: u32,
    columns: u32,
}

impl Layout {
    fn geometry(self, row: u32) -> Geometry {
        match self {
            Layout::Wide => Geometry {
                left: 56,
                top: 18,
                pitch: 26,
                cell: 22,
                row,
                year_line: 0,
                columns: 12,
            },
            Layout::Narrow => Geometry {
                left: 0,
                top: 0,
                pitch: 36,
                cell: 33,
                row: row + 8,
                year_line: 18,
                columns: 6,
            },
        }
    }
}

impl Geometry {
    fn rows_per_year(&self) -> u32 {
        12 / self.columns
    }

    fn width(&self) -> u32 {
        self.left + self.columns * self.pitch - (self.pitch - self.cell)
    }

    fn year_height(&self) -> u32 {
        self.year_line + self.rows_per_year() * self.row
    }

    fn height(&self, years: usize) -> u32 {
        self.top + years as u32 * self.year_height()
    }

    /// Top left of month `month` (1–12) in the `year`-th row of years.
    fn place(&self, year: u32, month: u32) -> (u32, u32) {
        let (row, col) = ((month - 1) / self.columns, (month - 1) % self.columns);
        (
            self.left + col * self.pitch,
            self.top + year * self.year_height() + self.year_line + row * self.row,
        )
    }

    /// The month numbers and the years, hidden from screen readers: the
    /// titles name every month in full.
    fn labels(&self, out: &mut String, years: &[i32]) {
        out.push_str(r#"<g class="tl-axis" aria-hidden="true">"#);
        if self.columns == 12 {
            out.push_str(r#"<g text-anchor="middle">"#);
            for c in 0..12 {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="13">{}</text>"#,
                    self.left + c * self.pitch + self.cell / 2,
                    c + 1
                );
            }
            out.push_str("</g>");
            for (r, year) in years.iter().enumerate() {
                let (_, y) = self.place(r as u32, 1);
                let _ = write!(out, r#"<text x="0" y="{}">{year}年</text>"#, y + 16);
            }
        } else {
            for (r, year) in years.iter().enumerate() {
                let (_, y) = self.place(r as u32, 1);
                let _ = write!(out, r#"<text x="0" y="{}">{year}年</text>"#, y - 4);
            }
        }
        out.push_str("</g>");
    }

    /// In `Narrow`, each month's number over its cell: one `<text>` a row,
    /// a position for each digit (white-haloed, readable on any mark).
    fn numbers(&self, out: &mut String, years: usize, row_offset: u32) {
        if self.columns == 12 {
            return;
        }
        out.push_str(r#"<g class="tl-num" aria-hidden="true" text-anchor="middle">"#);
        for year in 0..years as u32 {
            for first in [1, 7] {
                let (_, y) = self.place(year, first);
                let (mut xs, mut digits) = (Vec::new(), String::new());
                for m in first..first + 6 {
                    let (x, _) = self.place(year, m);
                    let centre = x + self.cell / 2;
                    if m < 10 {
                        xs.push(centre.to_string());
                    } else {
                        xs.push((centre - 4).to_string());
                        xs.push((centre + 4).to_string());
                    }
                    let _ = write!(digits, "{m}");
                }
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}">{digits}</text>"#,
                    xs.join(" "),
                    y + row_offset
                );
            }
        }
        out.push_str("</g>");
    }
}

/// A department's bars are up to `BAR` high, in rows of `GROUP_ROW`.
const BAR: u32 = 30;
const GROUP_ROW: u32 = 40;

/// What one month of the archive holds for the thing drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    /// Items in the month (for a project: its entries that month).
    items: usize,
    /// Of them, items whose 存在问题 is not empty.
    problems: usize,
    /// The first of them, 0-based among the entries drawn.
    first: usize,
}

/// Moves a path's pen to `to`: relative to `pen` (short numbers), or, for
/// the path's first shape, with the absolute move `first` makes.
fn move_to(
    path: &mut String,
    pen: Option<(u32, u32)>,
    to: (u32, u32),
    first: impl FnOnce() -> String,
) {
    match pen {
        Some((px, py)) => {
            let (dx, dy) = (
                i64::from(to.0) - i64::from(px),
                i64::from(to.1) - i64::from(py),
            );
            let _ = write!(path, "m{dx} {dy}");
        }
        None => path.push_str(&first()),
    }
}

/// One tally per month of the archive, from entries in month order.
fn tallies(site: &Site, entries: &[ItemRef]) -> Vec<Tally> {
    let mut out = vec![Tally::default(); site.content.months.len()];
    for (i, r) in entries.iter().enumerate() {
        let t = &mut out[r.month];
        if t.items == 0 {
            t.first = i;
        }
        t.items += 1;
        t.problems += usize::from(!site.item(*r).problems.is_empty());
    }
    out
}

/// The years that hold a month of the archive, and each month's year index.
fn years_of(site: &Site) -> (Vec<i32>, Vec<u32>) {
    let mut years: Vec<i32> = Vec::new();
    let index = site
        .content
        .months
        .iter()
        .map(|m| {
            if years.last() != Some(&m.ym.year) {
                years.push(m.ym.year);
            }
            years.len() as u32 - 1
        })
        .collect();
    (years, index)
}

/// Where and how often something was reported: "2016年2月至2025年12月间 60 个月有报告".
fn span_text(months: &[YearMonth]) -> String {
    match months {
        [] => "无报告".to_owned(),
        [only] => format!("{}有报告", only.chinese()),
        [first, .., last] => format!(
            "{}至{}间 {} 个月有报告",
            first.chinese(),
            last.chinese(),
            months.len()
        ),
    }
}

/// A project's months: ■ reported, ▲ reported with 存在问题, □ not reported
/// that month. Each mark links to the month's entry below (`#pe-N`, the ids
/// of `partials/project-entries.html`) and is named by its `<title>`.
pub(crate) fn project(site: &Site, entries: &[ItemRef], layout: Layout) -> String {
    let tallies = tallies(site, entries);
    let (years, year_of) = years_of(site);
    let g = layout.geometry(28);
    let (width, height) = (g.width(), g.height(years.len()));
    let reported = tallies.iter().filter(|t| t.items > 0).count();
    let problems = tallies.iter().filter(|t| t.problems > 0).count();
    let mut out = String::with_capacity(80 * tallies.len() + 512);
    let _ = write!(
        out,
        r#"<svg class="tl tl-project" viewBox="0 0 {width} {height}" width="{width}" height="{height}"><title>本项目在 {} 个月中的 {reported} 个月有报告，其中 {problems} 个月存在问题</title>"#,
        tallies.len()
    );
    g.labels(&mut out, &years);
    let (cell, half) = (g.cell, g.cell / 2);
    // The months not reported: one path, each square a move from the last one.
    let mut empty = String::new();
    let mut last: Option<(u32, u32)> = None;
    for ((m, t), &yi) in site.content.months.iter().zip(&tallies).zip(&year_of) {
        let (x, y) = g.place(yi, m.ym.month);
        if t.items == 0 {
            let side = cell - 3;
            move_to(&mut empty, last, (x, y), || {
                format!("M{}.5 {}.5", x + 1, y + 1)
            });
            let _ = write!(empty, "h{side}v{side}h-{side}z");
            last = Some((x, y));
            continue;
        }
        let _ = write!(
            out,
            r##"<a href="#pe-{}"><title>{}"##,
            t.first + 1,
            m.ym.chinese()
        );
        if t.problems > 0 {
            let _ = write!(
                out,
                r#"，存在问题</title><path class="tl-p" d="M{} {y}l{half} {cell}h-{cell}z"/></a>"#,
                x + half
            );
        } else {
            let _ = write!(
                out,
                r#"</title><path d="M{x} {y}h{cell}v{cell}h-{cell}z"/></a>"#
            );
        }
    }
    if !empty.is_empty() {
        let _ = write!(out, r#"<path class="tl-n" d="{empty}"/>"#);
    }
    g.numbers(&mut out, years.len(), 23);
    out.push_str("</svg>");
    out
}

/// A project's months in one line for the project index: a bar where it was
/// reported, a taller one where it had 存在问题, a thin line elsewhere. One
/// unit a month, stretched to the cell (`preserveAspectRatio="none"`). Its title names the
/// span and the counts; the project page's drawing names every month.
pub(crate) fn strip(site: &Site, entries: &[ItemRef]) -> String {
    let tallies = tallies(site, entries);
    let problems = tallies.iter().filter(|t| t.problems > 0).count();
    let reported: Vec<YearMonth> = site
        .content
        .months
        .iter()
        .zip(&tallies)
        .filter(|(_, t)| t.items > 0)
        .map(|(m, _)| m.ym)
        .collect();
    let width = tallies.len().max(1);
    // Bars are horizontal strokes: `m` to the run's start, `h` its length.
    let (mut bars, mut tall) = (String::new(), String::new());
    let (mut bar_at, mut tall_at) = (0, 0);
    let mut i = 0;
    while i < tallies.len() {
        if tallies[i].items == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < tallies.len() && tallies[i].items > 0 {
            if tallies[i].problems > 0 {
                let _ = write!(tall, "m{} 0h1", i - tall_at);
                tall_at = i + 1;
            }
            i += 1;
        }
        let _ = write!(bars, "m{} 0h{}", start - bar_at, i - start);
        bar_at = i;
    }
    let mut out = format!(
        r#"<svg class="tl tl-strip" viewBox="0 0 {width} 14" preserveAspectRatio="none" role="img"><title>{}{}</title><path class="tl-line" d="M0 7h{width}"/><path class="tl-bar" d="M0 7{bars}"/>"#,
        span_text(&reported),
        if problems == 0 {
            String::new()
        } else {
            format!("，其中 {problems} 个月存在问题（较高的竖条）")
        }
    );
    if !tall.is_empty() {
        let _ = write!(out, r#"<path class="tl-tall" d="M0 7{tall}"/>"#);
    }
    out.push_str("</svg>");
    out
}

/// A department's or leader's items per month (an outlined bar) and, inside
/// it from the bottom, those with 存在问题 (a solid bar). Each year is one
/// group named by its `<title>`: every month's counts, in words.
pub(crate) fn group(site: &Site, entries: &[ItemRef], layout: Layout) -> String {
    let tallies = tallies(site, entries);
    let (years, year_of) = years_of(site);
    let g = layout.geometry(GROUP_ROW);
    let (width, height) = (g.width(), g.height(years.len()));
    let most = tallies.iter().map(|t| t.items).max().unwrap_or(0).max(1);
    // A bar's height for `n` items; at least 2 so one item still shows.
    let bar = |n: usize| -> u32 {
        if n == 0 {
            0
        } else {
            ((n * BAR as usize).div_ceil(most) as u32).max(2)
        }
    };
    let mut out = String::with_capacity(60 * tallies.len() + 512);
    let _ = write!(
        out,
        r#"<svg class="tl tl-group" viewBox="0 0 {width} {height}" width="{width}" height="{height}"><title>每月事项数（柱高，最多 {most} 项）及其中存在问题的事项数（实心部分）</title>"#
    );
    g.labels(&mut out, &years);
    let (cell, months) = (g.cell, &site.content.months);
    let mut i = 0;
    for (yi, year) in years.iter().enumerate() {
        let yi = yi as u32;
        let (mut words, mut bars, mut solid) = (String::new(), String::new(), String::new());
        // Each bar after the first is a move from where the last one ended.
        let mut pen: Option<(u32, u32)> = None;
        while i < months.len() && year_of[i] == yi {
            let (t, month) = (tallies[i], months[i].ym.month);
            i += 1;
            if t.items == 0 {
                continue;
            }
            if !words.is_empty() {
                words.push('、');
            }
            let _ = write!(words, "{month}月{}项", t.items);
            if t.problems > 0 {
                let _ = write!(words, "（{}项存在问题）", t.problems);
            }
            let (x, top) = g.place(yi, month);
            let bottom = top + BAR;
            let (h, hp) = (bar(t.items), bar(t.problems));
            move_to(&mut bars, pen, (x, bottom), || format!("M{x}.5 {bottom}"));
            let _ = write!(bars, "v-{h}h{}v{h}", cell - 1);
            pen = Some((x + cell - 1, bottom));
            if hp > 0 {
                let _ = write!(solid, "M{x} {bottom}v-{hp}h{cell}v{hp}z");
            }
        }
        let mut base = String::new();
        for first in (1..=12).step_by(g.columns as usize) {
            let (x, y) = g.place(yi, first);
            let _ = write!(
                base,
                "M{x} {}.5h{}",
                y + BAR,
                g.columns * g.pitch - (g.pitch - cell)
            );
        }
        let _ = write!(
            out,
            r#"<g class="tl-year"><title>{year}年：{}</title><path class="tl-line" d="{base}"/>"#,
            if words.is_empty() { "无" } else { &words }
        );
        if !bars.is_empty() {
            let _ = write!(out, r#"<path class="tl-b" d="{bars}"/>"#);
        }
        if !solid.is_empty() {
            let _ = write!(out, r#"<path class="tl-p" d="{solid}"/>"#);
        }
        out.push_str("</g>");
    }
    g.numbers(&mut out, years.len(), BAR + 14);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_names_its_first_and_last_month_and_counts() {
        let ym = |year, month| YearMonth { year, month };
        assert_eq!(
            span_text(&[ym(2016, 2), ym(2016, 5), ym(2025, 12)]),
            "2016年2月至2025年12月间 3 个月有报告"
        );
        assert_eq!(span_text(&[ym(2020, 7)]), "2020年7月有报告");
        assert_eq!(span_text(&[]), "无报告");
    }
}
