//! QR codes drawn at build time as inline SVG: no external service, no image
//! files, crisp on paper at any size.

use qrcode::{Color, EcLevel, QrCode};

/// Quiet zone around the code, in modules, as the QR standard requires.
const QUIET: usize = 4;

/// An SVG of the QR code for `text`: one `<path>` with a unit square per dark module.
pub fn svg(text: &str) -> String {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::new(text.as_bytes()))
        .expect("a URL always fits in a QR code");
    let width = code.width();
    let size = width + 2 * QUIET;
    let mut d = String::with_capacity(width * width * 4);
    for y in 0..width {
        for x in 0..width {
            if code[(x, y)] == Color::Dark {
                d.push_str(&format!("M{} {}h1v1h-1z", x + QUIET, y + QUIET));
            }
        }
    }
    let label = text
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="132" height="132" role="img" aria-label="二维码：{label}" shape-rendering="crispEdges" class="qr"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{d}"/></svg>"##
    )
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
    let width = size - 2 * QUIET;
    let d = svg.split(" d=\"").nth(1)?.split('"').next()?;
    let mut grid = vec![vec![false; width]; width];
    for cmd in d.split('M').filter(|s| !s.is_empty()) {
        let coords = cmd.split('h').next()?;
        let (x, y) = coords.split_once(' ')?;
        let (x, y): (usize, usize) = (x.parse().ok()?, y.parse().ok()?);
        grid[y - QUIET][x - QUIET] = true;
    }
    Some(grid)
}
