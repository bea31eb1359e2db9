//! Reading one month or item file: its bytes as UTF-8 text (saying plainly
//! when they are GBK or another encoding), then its front matter and body.

use std::fs;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::load::front_matter::{self, Document};

/// Files larger than this are probably pasted by mistake (a whole document in one cell).
const LARGE_FILE: u64 = 1024 * 1024;

/// Reads a file as UTF-8, saying so plainly when it is GBK or another encoding.
pub(super) fn read_text(path: &Path, diags: &mut Diagnostics) -> Result<Option<String>, Error> {
    let bytes = fs::read(path).map_err(|e| Error::io(e, path))?;
    Ok(decode_text(path, bytes, diags))
}

/// A file's bytes as text, or `None` (with the error in `diags`) when they
/// are empty or not UTF-8.
pub(super) fn decode_text(path: &Path, bytes: Vec<u8>, diags: &mut Diagnostics) -> Option<String> {
    if bytes.len() as u64 > LARGE_FILE {
        diags.push(
            Diagnostic::warning(
                path,
                format!(
                    "文件有 {} KiB，超过 1 MiB：是否误贴了整篇文档？",
                    bytes.len() / 1024
                ),
            )
            .help("一个单元格的内容通常只有几段话；长文档请作为附件放进月份文件夹"),
        );
    }
    match String::from_utf8(bytes) {
        Ok(s) => {
            if s.trim_start_matches('\u{feff}').trim().is_empty() {
                diags.push(
                    Diagnostic::error(path, "文件是空的")
                        .help("删除这个文件，或按格式填写 front matter 和正文"),
                );
                return None;
            }
            Some(s)
        }
        Err(e) => {
            let gbk = looks_like_gbk(e.as_bytes());
            let encoding = if gbk {
                "看起来是 GBK/GB2312 编码（Windows 记事本、WPS 的默认编码）"
            } else {
                "编码无法识别"
            };
            let first_bad = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&e.as_bytes()[..first_bad]).into_owned();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            // The snippet as the clerk sees the file in Notepad: decoded as
            // GBK when it is GBK, else with replacement characters.
            let text = if gbk {
                encoding_rs::GBK.decode(e.as_bytes()).0.into_owned()
            } else {
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            };
            diags.push(
                Diagnostic::error(
                    path,
                    format!("文件不是 UTF-8 编码：{encoding}，第 {line} 行起无法读取"),
                )
                .at(&text, line, column)
                .help(format!(
                    "用记事本打开这个文件，点“文件 → 另存为”，把“编码”选为 UTF-8 后保存；\
                     在 Linux 上也可以运行 `iconv -f GBK -t UTF-8 {0} > 新文件` 后替换 {0}",
                    path.display()
                )),
            );
            None
        }
    }
}

/// True when every non-ASCII byte forms a GBK double-byte character: lead
/// 0x81–0xFE, trail 0x40–0xFE except 0x7F.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut wide = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x00..=0x7F => i += 1,
            0x81..=0xFE => match bytes.get(i + 1) {
                Some(0x40..=0x7E | 0x80..=0xFE) => {
                    wide += 1;
                    i += 2;
                }
                _ => return false,
            },
            _ => return false,
        }
    }
    wide > 0
}

/// Splits a month or item file. A file with no front matter at all gets one
/// clear error instead of one per missing field.
pub(super) fn split_front_matter(
    path: &Path,
    raw: &str,
    example: &str,
    diags: &mut Diagnostics,
) -> Option<Document> {
    match front_matter::split(path, raw) {
        Ok(d) if d.body_line > 1 => Some(d),
        Ok(d) => {
            diags.push(
                Diagnostic::error(path, "文件没有 front matter（开头用 `---` 围起来的字段）")
                    .at(&d.text, 1, 1)
                    .help(format!(
                        "文件第一行写 `---`，接着每行一个字段（如 `{example}`），再写一行 `---`，然后才是正文"
                    )),
            );
            None
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}
