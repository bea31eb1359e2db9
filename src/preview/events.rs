//! Live reload over Server-Sent Events. Each open page holds one stream,
//! written to tiny_http's raw writer and flushed per event (its streaming
//! responses would buffer them). Events: `hello` (server instance),
//! `reload` (this page changed), `broken` (an error overlay to show),
//! `fixed` (remove the overlay; this page did not change).

use std::io::Write;
use std::sync::Mutex;

use crate::diagnostics::Diagnostics;
use crate::urls::View;

/// One open page.
struct Client {
    writer: Box<dyn Write + Send>,
    /// The output path it shows, when the server knows it.
    page: Option<String>,
}

/// The open pages and whether the content is broken right now.
pub struct Hub {
    clients: Mutex<Vec<Client>>,
    /// The overlay every page shows while the content is broken.
    overlay: Mutex<Option<String>>,
    /// Tells a reconnecting page whether the server restarted.
    instance: String,
}

impl Default for Hub {
    fn default() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Hub {
            clients: Mutex::new(Vec::new()),
            overlay: Mutex::new(None),
            instance: format!("{}-{nanos}", std::process::id()),
        }
    }
}

impl Hub {
    /// Starts an event stream on a raw connection.
    pub fn connect(&self, mut writer: Box<dyn Write + Send>, page: Option<String>) {
        let mut hello = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
             Cache-Control: no-store\r\nConnection: keep-alive\r\n\r\n\
             retry: 1000\n\n",
        );
        hello += &event("hello", &self.instance);
        if let Some(html) = self.overlay() {
            hello += &broken_event(&html);
        }
        if writer.write_all(hello.as_bytes()).is_ok() && writer.flush().is_ok() {
            self.lock().push(Client { writer, page });
        }
    }

    /// The output paths open pages show, to render before telling them to reload.
    pub fn open_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = self.lock().iter().filter_map(|c| c.page.clone()).collect();
        pages.sort();
        pages.dedup();
        pages
    }

    pub fn clients(&self) -> usize {
        self.lock().len()
    }

    /// The overlay to put on pages while the content is broken.
    pub fn overlay(&self) -> Option<String> {
        self.overlay.lock().expect("overlay lock").clone()
    }

    /// The content is broken: every open page shows the errors.
    pub fn broken(&self, errors: &Diagnostics) {
        let html = overlay_html(errors);
        *self.overlay.lock().expect("overlay lock") = Some(html.clone());
        self.send_all(|_| broken_event(&html));
    }

    /// A good rebuild changed `changed` (sorted): pages it touches reload,
    /// the others just drop the overlay.
    pub fn rebuilt(&self, changed: &[String]) {
        *self.overlay.lock().expect("overlay lock") = None;
        self.send_all(|page| {
            if page.is_none_or(|p| touches(changed, p)) {
                event("reload", "")
            } else {
                event("fixed", "")
            }
        });
    }

    /// Keeps idle streams open through proxies and finds closed ones.
    pub fn heartbeat(&self) {
        self.send_all(|_| ": ping\n\n".to_owned());
    }

    fn send_all(&self, message: impl Fn(Option<&str>) -> String) {
        self.lock().retain_mut(|c| {
            let m = message(c.page.as_deref());
            c.writer.write_all(m.as_bytes()).is_ok() && c.writer.flush().is_ok()
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Client>> {
        self.clients.lock().expect("clients lock")
    }
}

/// Whether `changed` touches the page at output path `page`: the page itself,
/// the theme's static files every page uses, or a data file in the page's
/// own folder (the search index beside the search page, a month's open data).
fn touches(changed: &[String], page: &str) -> bool {
    if changed.binary_search_by(|c| c.as_str().cmp(page)).is_ok() {
        return true;
    }
    let in_view = View::ALL
        .iter()
        .filter(|v| !v.prefix().is_empty())
        .find_map(|v| page.strip_prefix(v.prefix()))
        .unwrap_or(page);
    let folder = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let own = folder(in_view);
    changed
        .iter()
        .filter(|c| !c.ends_with(".html"))
        .any(|c| c.starts_with("static/") || (!own.is_empty() && folder(c) == own))
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn broken_event(html: &str) -> String {
    event("broken", &serde_json::json!({ "html": html }).to_string())
}

/// The error overlay: every error with its file, line and column. Styled
/// inline so no theme can hide it.
pub fn overlay_html(errors: &Diagnostics) -> String {
    let mut html = String::from(
        "<div id=\"gongkai-overlay\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;\
         max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#1a1a1a;\
         border-top:6px solid #b3261e;box-shadow:0 -4px 16px rgba(0,0,0,.3);padding:1em 1.5em;\
         font:16px/1.6 system-ui,sans-serif\">\
         <p style=\"margin:0 0 .5em;font-weight:bold;color:#b3261e\">\
         内容有错误：页面仍显示上次正确的内容，改正后自动更新</p><ol style=\"margin:0;padding-left:1.5em\">",
    );
    for d in errors.0.iter().filter(|d| d.is_error()) {
        let place = if d.line == 0 {
            d.file.display().to_string()
        } else {
            format!("{}:{}:{}", d.file.display(), d.line, d.column)
        };
        html += &format!(
            "<li><code class=\"gk-place\" style=\"font:15px monospace;background:#f3f3f3;padding:0 .3em\">{}</code> \
             <span class=\"gk-message\">{}</span>",
            escape(&place),
            escape(&d.message)
        );
        if let Some(src) = &d.source_line {
            html += &format!(
                "<pre style=\"margin:.3em 0;background:#f3f3f3;padding:.3em;white-space:pre-wrap\">{} | {}</pre>",
                d.line,
                escape(src)
            );
        }
        if let Some(help) = &d.help {
            html += &format!("<div class=\"gk-help\">提示：{}</div>", escape(help));
        }
        html += "</li>";
    }
    html += "</ol></div>";
    html
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use std::path::Path;

    #[test]
    fn which_pages_a_change_touches() {
        let changed: Vec<String> = [
            "2020-07/01/index.html",
            "2020-07/data.json",
            "search/index.js",
        ]
        .map(String::from)
        .to_vec();
        assert!(touches(&changed, "2020-07/01/index.html"));
        assert!(touches(&changed, "m/search/index.html"));
        assert!(touches(&changed, "2020-07/index.html"));
        assert!(!touches(&changed, "2020-07/02/index.html"));
        assert!(!touches(&changed, "index.html"));
        let css = vec!["static/gongkai.css".to_owned()];
        assert!(touches(&css, "index.html") && touches(&css, "print/2020-07/01/index.html"));
    }

    #[test]
    fn overlay_names_file_line_column_and_escapes() {
        let text = "---\nproject: [<b>\n---\n";
        let d =
            Diagnostic::error(Path::new("content/2020-07/01.md"), "YAML 错误 <x>").at(text, 2, 10);
        let html = overlay_html(&Diagnostics(vec![d]));
        assert!(html.contains("content/2020-07/01.md:2:10"), "{html}");
        assert!(html.contains("YAML 错误 &lt;x&gt;"), "{html}");
        assert!(html.contains("project: [&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"));
    }
}
