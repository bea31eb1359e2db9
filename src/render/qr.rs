//! QR codes drawn at build time as inline SVG: no external service, no image
//! files, crisp on paper at any size.
//!
//! Encoding is the `qrcode` crate's; choosing the mask is ours. The crate
//! scores the eight masks with a general-purpose penalty routine that took
//! over half of an all-views build (one code per page); the same four ISO
//! 18004 rules on a flat bool grid are an order of magnitude cheaper.

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{Color, EcLevel, bits, ec};

/// Quiet zone around the code, in modules, as the QR standard requires.
const QUIET: usize = 4;

/// The eight masks, in the standard's order (ties go to the first).
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The module matrix for `text` at error-correction level M: `width` rows of
/// `width` modules, true for dark; `None` when `text` is longer than the
/// largest code holds (2,331 bytes). `load` refuses a `base_url` that long,
/// so a page address fits; a page without its code is still a page.
pub(crate) fn matrix(text: &str) -> Option<(usize, Vec<bool>)> {
    let encoded = bits::encode_auto(text.as_bytes(), EcLevel::M).ok()?;
    let version = encoded.version();
    let data = encoded.into_bytes();
    let (data, ec_data) = ec::construct_codewords(&data, version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec_data);
    let width = version.width() as usize;
    let dark = |c: Canvas| -> Vec<bool> {
        c.into_colors()
            .into_iter()
            .map(|m| m == qrcode::Color::Dark)
            .collect()
    };
    if width > MAX_WIDTH {
        // Longer than any page address: let the crate choose.
        return Some((width, dark(canvas.apply_best_mask())));
    }
    // Score each mask on bit sets rather than masking a copy of the canvas
    // eight times: a module is dark when it is a dark function module, or a
    // data module whose colour the mask does not cancel. The 30
    // format-information modules, which the crate draws only with the final
    // mask, are scored as masked empty modules: the choice can differ from
    // the crate's in rare near-ties, never in validity.
    let mut fixed = Lines::default();
    let mut data = Lines::default();
    let mut data_dark = Lines::default();
    for y in 0..width {
        for x in 0..width {
            match canvas.get(x as i16, y as i16) {
                Module::Masked(Color::Dark) => fixed.set(x, y),
                Module::Masked(Color::Light) => {}
                Module::Unmasked(c) => {
                    data.set(x, y);
                    if c == Color::Dark {
                        data_dark.set(x, y);
                    }
                }
                Module::Empty => data.set(x, y),
            }
        }
    }
    let full = (1u64 << width) - 1;
    let masks = mask_lines();
    let best = (0..MASKS.len())
        .map(|m| {
            let line = |f: &[u64; MAX_WIDTH],
                        d: &[u64; MAX_WIDTH],
                        dd: &[u64; MAX_WIDTH],
                        k: &[u64; MAX_WIDTH]| {
                let mut out = [0u64; MAX_WIDTH];
                for i in 0..width {
                    out[i] = (f[i] | (d[i] & (dd[i] ^ k[i]))) & full;
                }
                out
            };
            let rows = line(&fixed.rows, &data.rows, &data_dark.rows, &masks[m].rows);
            let cols = line(&fixed.cols, &data.cols, &data_dark.cols, &masks[m].cols);
            (penalty_lines(&rows[..width], &cols[..width], width), m)
        })
        .min_by_key(|(score, _)| *score)
        .expect("eight masks")
        .1;
    canvas.apply_mask(MASKS[best]);
    Some((width, dark(canvas)))
}

/// A square of modules as bit sets, both ways: bit x of `rows[y]` and bit y
/// of `cols[x]` are module (x, y).
#[derive(Clone)]
struct Lines {
    rows: [u64; MAX_WIDTH],
    cols: [u64; MAX_WIDTH],
}

impl Default for Lines {
    fn default() -> Lines {
        Lines {
            rows: [0; MAX_WIDTH],
            cols: [0; MAX_WIDTH],
        }
    }
}

impl Lines {
    fn set(&mut self, x: usize, y: usize) {
        self.rows[y] |= 1 << x;
        self.cols[x] |= 1 << y;
    }
}

/// The eight masks as [`Lines`] over the widest code, made once.
fn mask_lines() -> &'static [Lines; 8] {
    static MASK_LINES: std::sync::OnceLock<[Lines; 8]> = std::sync::OnceLock::new();
    MASK_LINES.get_or_init(|| {
        std::array::from_fn(|m| {
            let mut lines = Lines::default();
            for y in 0..MAX_WIDTH {
                for x in 0..MAX_WIDTH {
                    if mask_bit(m, x, y) {
                        lines.set(x, y);
                    }
                }
            }
            lines
        })
    })
}

/// Whether mask pattern `m` (0-7, the standard's numbering) inverts module (x, y).
/// Written as the standard's table writes them, so they can be checked by eye.
#[allow(clippy::manual_is_multiple_of)]
fn mask_bit(m: usize, x: usize, y: usize) -> bool {
    match m {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => (y / 2 + x / 3) % 2 == 0,
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
        _ => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
    }
}

/// The ISO/IEC 18004 §7.8.3 mask penalty: long runs, 2×2 blocks,
/// finder-like patterns and dark/light imbalance. Rows and columns are bit
/// sets (bit x = module x), so each rule is a few operations per run.
#[cfg(test)]
fn penalty(grid: &[bool], w: usize) -> u32 {
    let mut lines = Lines::default();
    for (i, _) in grid.iter().enumerate().filter(|(_, d)| **d) {
        lines.set(i % w, i / w);
    }
    penalty_lines(&lines.rows[..w], &lines.cols[..w], w)
}

/// [`penalty`] of a code given as its rows and columns, bits above `w` clear.
fn penalty_lines(rows: &[u64], cols: &[u64], w: usize) -> u32 {
    let mut score: u32 = rows
        .iter()
        .chain(cols)
        .map(|&line| line_penalty(line, w))
        .sum();
    // Rule 2: 2×2 blocks of one colour.
    let inner = (1u64 << (w - 1)) - 1;
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        score += 3 * (!(a ^ (a >> 1)) & !(b ^ (b >> 1)) & !(a ^ b) & inner).count_ones();
    }
    // Rule 4: proportion of dark modules away from 50%.
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let percent = dark as usize * 100 / (w * w);
    score + (percent.abs_diff(50) / 5) as u32 * 10
}

/// Widest code the bit-set [`penalty`] handles: version 10 (57 modules, up
/// to 213 bytes at level M), far more than a page address needs.
const MAX_WIDTH: usize = 57;

/// Rules 1 and 3 on one row or column.
fn line_penalty(line: u64, w: usize) -> u32 {
    // Rule 1: each run of five or more modules of one colour scores its
    // length minus 2. Bit i of `same5` is set when modules i..i+4 match, so
    // a run of length L sets L - 4 adjacent bits: the score is those bits
    // plus 2 for each block of them.
    let same = !(line ^ (line >> 1)) & ((1u64 << (w - 1)) - 1);
    let same5 = same & (same >> 1) & (same >> 2) & (same >> 3);
    let mut score = same5.count_ones() + 2 * (same5 & !(same5 << 1)).count_ones();
    // Rule 3: dark 1:1:3:1:1 (bits i..i+6 = 1011101) with four light modules
    // on either side; beyond the edge counts as light (the quiet zone).
    let l = line;
    let mut starts = l & !(l >> 1) & (l >> 2) & (l >> 3) & (l >> 4) & !(l >> 5) & (l >> 6);
    while starts != 0 {
        let i = starts.trailing_zeros() as usize;
        starts &= starts - 1;
        let light_before = if i >= 4 {
            (l >> (i - 4)) & 0xf == 0
        } else {
            l & ((1 << i) - 1) == 0
        };
        let light_after = (l >> (i + 7)) & 0xf == 0;
        if light_before || light_after {
            score += 40;
        }
    }
    score
}

/// An SVG of the QR code for `text`: one `<path>`, one rectangle per
/// horizontal run of dark modules; `None` when `text` is too long for a code.
pub fn svg(text: &str) -> Option<String> {
    let (width, grid) = matrix(text)?;
    let size = width + 2 * QUIET;
    let mut d = String::with_capacity(width * width);
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if !grid[y * width + x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && grid[y * width + x] {
                x += 1;
            }
            let run = x - start;
            // `M{x} {y}h{run}v1h-{run}z`, without the formatting machinery:
            // a page's code has hundreds of runs and a build thousands of codes.
            d.push('M');
            push_number(&mut d, start + QUIET);
            d.push(' ');
            push_number(&mut d, y + QUIET);
            d.push('h');
            push_number(&mut d, run);
            d.push_str("v1h-");
            push_number(&mut d, run);
            d.push('z');
        }
    }
    let label = crate::basics::text::escape_html(text);
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="132" height="132" role="img" aria-label="二维码：{label}" shape-rendering="crispEdges" class="qr"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{d}"/></svg>"##
    ))
}

/// Appends `n` (below 1000: coordinates and lengths of a code) in decimal.
fn push_number(out: &mut String, n: usize) {
    debug_assert!(n < 1000);
    if n >= 100 {
        out.push(char::from(b'0' + (n / 100) as u8));
    }
    if n >= 10 {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

thread_local! {
    /// The last code drawn on this thread. A page's html and print views carry
    /// the same code and are rendered one after the other by the same worker,
    /// so one entry halves the QR work of a build.
    static LAST: std::cell::RefCell<(String, Option<std::rc::Rc<str>>)> = const { std::cell::RefCell::new((String::new(), None)) };
}

/// [`svg`], remembering the last code drawn on this thread.
pub(crate) fn svg_cached(text: &str) -> Option<String> {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != text || last.1.is_none() {
            *last = (text.to_owned(), svg(text).map(std::rc::Rc::from));
        }
        last.1.as_deref().map(str::to_owned)
    })
}

/// Reads the module matrix back out of an SVG made by [`svg`], for tests that
/// decode the code. Returns rows of dark (true) / light modules, quiet zone removed.
pub fn modules_from_svg(svg: &str) -> Option<Vec<Vec<bool>>> {
    let size: usize = svg
        .split("viewBox=\"0 0 ")
        .nth(1)?
        .split(' ')
        .next()?
        .parse()
        .ok()?;
    let width = size.checked_sub(2 * QUIET)?;
    let d = svg.split(" d=\"").nth(1)?.split('"').next()?;
    let mut grid = vec![vec![false; width]; width];
    for cmd in d.split('M').filter(|s| !s.is_empty()) {
        let (coords, rest) = cmd.split_once('h')?;
        let run: usize = rest.split('v').next()?.parse().ok()?;
        let (x, y) = coords.split_once(' ')?;
        let (x, y): (usize, usize) = (x.parse().ok()?, y.parse().ok()?);
        for dx in 0..run {
            *grid
                .get_mut(y.checked_sub(QUIET)?)?
                .get_mut(x + dx - QUIET)? = true;
        }
    }
    Some(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_round_trips_to_the_module_matrix() {
        let url = "https://example.gov.cn/donghu/m/2020-07/30a/";
        let (w, grid) = matrix(url).unwrap();
        let back = modules_from_svg(&svg(url).unwrap()).unwrap();
        assert_eq!(back.len(), w);
        assert_eq!(back.into_iter().flatten().collect::<Vec<_>>(), grid);
    }

    #[test]
    fn the_chosen_mask_is_one_the_crate_could_also_decode() {
        // Same data, same version: our matrix differs from the crate's only by mask choice,
        // so both have identical function patterns (finders in three corners).
        let (w, grid) = matrix("https://example.gov.cn/m/").unwrap();
        for (x0, y0) in [(0, 0), (w - 7, 0), (0, w - 7)] {
            assert!(
                (0..7).all(|i| grid[y0 * w + x0 + i] && grid[(y0 + 6) * w + x0 + i]),
                "finder at {x0},{y0}"
            );
        }
    }

    #[test]
    fn text_too_long_for_any_code_gives_no_code() {
        let url = format!("https://example.gov.cn/{}/", "a".repeat(2400));
        assert!(matrix(&url).is_none());
        assert!(svg(&url).is_none());
        assert!(svg_cached(&url).is_none());
        // The longest address the settings allow still gets its code.
        let longest = format!(
            "https://{}/m/2020-07/{}/",
            "a".repeat(crate::load::content::MAX_BASE_URL),
            "b".repeat(255)
        );
        assert!(svg(&longest).is_some());
    }

    /// Decodes an SVG made by [`svg`] with an independent QR reader.
    pub(crate) fn decode(svg_text: &str) -> String {
        let grid = modules_from_svg(svg_text).unwrap();
        let scale = 4;
        let size = (grid.len() + 2 * QUIET) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            let (mx, my) = (
                (x / scale).wrapping_sub(QUIET),
                (y / scale).wrapping_sub(QUIET),
            );
            if grid
                .get(my)
                .and_then(|row| row.get(mx))
                .copied()
                .unwrap_or(false)
            {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn codes_decode_to_their_text() {
        for url in [
            "https://example.gov.cn/donghu/m/2020-07/",
            "https://www.example.gov.cn/zwgk/m/2016-01/01/",
            "https://example.gov.cn/donghu/m/projects/dong-hu-feng-jing-qu-cheng-jian-ling-yu-fu-gong-fu-chan-gong-zuo/",
            "http://a.b/m/",
        ] {
            assert_eq!(decode(&svg(url).unwrap()), url);
        }
    }

    /// The four rules written out module by module, as the standard states them.
    fn naive_penalty(g: &[bool], w: usize) -> u32 {
        let at = |x: usize, y: usize| g[y * w + x];
        let mut score = 0;
        for horizontal in [true, false] {
            for a in 0..w {
                let line: Vec<bool> = (0..w)
                    .map(|b| if horizontal { at(b, a) } else { at(a, b) })
                    .collect();
                let mut run = 1;
                for i in 1..=w {
                    if i < w && line[i] == line[i - 1] {
                        run += 1;
                    } else {
                        if run >= 5 {
                            score += 3 + (run - 5) as u32;
                        }
                        run = 1;
                    }
                }
                let light = |i: isize| i < 0 || i >= w as isize || !line[i as usize];
                for i in 0..w - 6 {
                    if line[i..i + 7] == [true, false, true, true, true, false, true] {
                        let i = i as isize;
                        if (1..=4).all(|k| light(i - k)) || (1..=4).all(|k| light(i + 6 + k)) {
                            score += 40;
                        }
                    }
                }
            }
        }
        for y in 0..w - 1 {
            for x in 0..w - 1 {
                let c = at(x, y);
                if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                    score += 3;
                }
            }
        }
        let dark = g.iter().filter(|&&d| d).count();
        score + ((dark * 100 / g.len()).abs_diff(50) / 5) as u32 * 10
    }

    #[test]
    fn bit_set_penalty_equals_the_rules_written_out() {
        let mut seed = 7u64;
        for w in [21, 25, 33, 37, 45, 57] {
            for density in [2, 3, 5] {
                let grid: Vec<bool> = (0..w * w)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        (seed >> 33).is_multiple_of(density)
                    })
                    .collect();
                assert_eq!(penalty(&grid, w), naive_penalty(&grid, w), "width {w}");
            }
            let (mw, real) = matrix(&"https://example.gov.cn/m/2020-07/".repeat(w / 21)).unwrap();
            assert_eq!(penalty(&real, mw), naive_penalty(&real, mw));
        }
    }

    #[test]
    fn mask_bits_are_the_crates_masks() {
        let encoded =
            bits::encode_auto(b"https://example.gov.cn/m/2020-07/01/", EcLevel::M).unwrap();
        let version = encoded.version();
        let (data, ec_data) =
            ec::construct_codewords(&encoded.into_bytes(), version, EcLevel::M).unwrap();
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec_data);
        let w = version.width() as usize;
        for (m, &mask) in MASKS.iter().enumerate() {
            let mut c = canvas.clone();
            c.apply_mask(mask);
            for y in 0..w {
                for x in 0..w {
                    if let Module::Unmasked(before) = canvas.get(x as i16, y as i16) {
                        let after = c.get(x as i16, y as i16).is_dark();
                        assert_eq!(
                            after,
                            (before == Color::Dark) != mask_bit(m, x, y),
                            "mask {m} at {x},{y}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn penalty_prefers_balanced_grids() {
        let all_dark = vec![true; 21 * 21];
        let checker: Vec<bool> = (0..21 * 21).map(|i| (i % 21 + i / 21) % 2 == 0).collect();
        assert!(penalty(&all_dark, 21) > penalty(&checker, 21));
    }
}
