//! Live reload over Server-Sent Events. Each open page holds one stream,
//! written to tiny_http's raw writer and flushed per event (its streaming
//! responses would buffer them). Events: `hello` (server instance),
//! `update` (this page changed: live.js fetches it and replaces what
//! differs), `reload` (a stylesheet or script it loads changed),
//! `broken` (an error overlay to show), `fixed` (remove the overlay; this
//! page did not change); a stream shared by tabs gets `changed` and `files`
//! with the lists instead of `update` and `reload`.
//!
//! Each stream is written by a thread of its own from a short queue, so a
//! browser that stops reading fills only its own queue: it is dropped, and
//! nobody else's reload waits for it.

use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread;

use crate::basics::text;
use crate::diagnostics::Diagnostics;
use crate::urls::View;

/// Events waiting for one stream; a stream this far behind is dropped.
const QUEUE: usize = 32;

/// Stack of each stream's writing thread. It was 64 KiB, and the soak run
/// (issue 26) found a thread's first allocation overflowing it now and then:
/// jemalloc sets up a new thread's cache on its first `malloc`, and when that
/// takes its slow path (splitting an extent) it needs more than the thread
/// had left, which killed the whole preview (SIGSEGV). Only address space:
/// the pages a thread never touches cost nothing.
const STREAM_STACK: usize = 512 * 1024;

/// One open page.
struct Client {
    /// To the thread writing its stream.
    queue: SyncSender<String>,
    /// The output path it shows, when the server knows it.
    page: Option<String>,
    /// A stream shared by a browser's tabs (live.js elects one tab to hold
    /// it): it gets every change as a list and each tab decides for itself,
    /// so eight open tabs take one of the browser's six connections, not eight.
    tabs: bool,
}

/// The open pages and whether the content is broken right now.
pub(crate) struct Hub {
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
    pub(crate) fn connect(&self, writer: Box<dyn Write + Send>, page: Option<String>, tabs: bool) {
        let mut hello = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
             Cache-Control: no-store\r\nConnection: keep-alive\r\n\r\n\
             retry: 1000\n\n",
        );
        hello += &event("hello", &self.instance);
        if let Some(html) = self.overlay() {
            hello += &broken_event(&html);
        }
        let (queue, events) = sync_channel(QUEUE);
        let _ = queue.try_send(hello);
        let spawned = thread::Builder::new()
            .name("gongkai-events".into())
            .stack_size(STREAM_STACK)
            .spawn(move || write_stream(writer, events));
        if spawned.is_ok() {
            self.lock().push(Client { queue, page, tabs });
        }
    }

    /// The output paths open pages show, to render before telling them to reload.
    pub(crate) fn open_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = self.lock().iter().filter_map(|c| c.page.clone()).collect();
        pages.sort();
        pages.dedup();
        pages
    }

    /// The overlay to put on pages while the content is broken.
    pub(crate) fn overlay(&self) -> Option<String> {
        self.overlay.lock().expect("overlay lock").clone()
    }

    /// The content is broken: every open page shows the errors.
    pub(crate) fn broken(&self, errors: &Diagnostics) {
        let html = overlay_html(errors);
        *self.overlay.lock().expect("overlay lock") = Some(html.clone());
        self.send_all(|_, _| Some(broken_event(&html)));
    }

    /// A good rebuild changed the pages `changed` (sorted): open pages among
    /// them update, the others just drop the overlay.
    pub(crate) fn rebuilt(&self, changed: &[String]) {
        *self.overlay.lock().expect("overlay lock") = None;
        let list = serde_json::to_string(changed).unwrap_or_default();
        self.send_all(|page, tabs| {
            if tabs {
                return Some(event("changed", &list));
            }
            let shown =
                page.is_none_or(|p| changed.binary_search_by(|c| c.as_str().cmp(p)).is_ok());
            Some(event(if shown { "update" } else { "fixed" }, ""))
        });
    }

    /// Files that are not pages changed (sorted): pages that show them reload.
    pub(crate) fn files_changed(&self, changed: &[String]) {
        let list = serde_json::to_string(changed).unwrap_or_default();
        self.send_all(|page, tabs| {
            if tabs {
                return Some(event("files", &list));
            }
            page.is_none_or(|p| shows_any(changed, p))
                .then(|| event("reload", ""))
        });
    }

    /// Keeps idle streams open through proxies and finds closed ones.
    pub(crate) fn heartbeat(&self) {
        self.send_all(|_, _| Some(": ping\n\n".to_owned()));
    }

    /// Sends each open page its message, if any; forgets pages that closed.
    /// Never blocks: a stream whose queue is full or whose writer stopped is
    /// dropped (a browser reconnects on its own).
    fn send_all(&self, message: impl Fn(Option<&str>, bool) -> Option<String>) {
        self.lock()
            .retain(|c| match message(c.page.as_deref(), c.tabs) {
                Some(m) => match c.queue.try_send(m) {
                    Ok(()) => true,
                    Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
                },
                None => true,
            });
    }

    /// The open streams (for tests of the queueing).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Client>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Writes one stream's events until it fails or the hub drops it.
fn write_stream(mut writer: Box<dyn Write + Send>, events: Receiver<String>) {
    for e in events {
        if writer.write_all(e.as_bytes()).is_err() || writer.flush().is_err() {
            return;
        }
    }
}

/// Whether a page shows one of the changed non-page files: every page uses
/// the theme's static files; the search page reads the search index.
fn shows_any(changed: &[String], page: &str) -> bool {
    let in_view = View::ALL
        .iter()
        .filter(|v| !v.prefix().is_empty())
        .find_map(|v| page.strip_prefix(v.prefix()))
        .unwrap_or(page);
    let search_page = in_view.starts_with(crate::urls::SEARCH_DIR);
    changed.iter().any(|c| {
        c.starts_with("static/") || (search_page && c.starts_with(crate::urls::SEARCH_DIR))
    })
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn broken_event(html: &str) -> String {
    event("broken", &serde_json::json!({ "html": html }).to_string())
}

/// The error overlay: every error with its file, line and column. Styled
/// inline so no theme can hide it.
pub(crate) fn overlay_html(errors: &Diagnostics) -> String {
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
            text::escape_html(&place),
            text::escape_html(&d.message)
        );
        if let Some(src) = &d.source_line {
            html += &format!(
                "<pre style=\"margin:.3em 0;background:#f3f3f3;padding:.3em;white-space:pre-wrap\">{} | {}</pre>",
                d.line,
                text::escape_html(src)
            );
        }
        if let Some(help) = &d.help {
            html += &format!(
                "<div class=\"gk-help\">提示：{}</div>",
                text::escape_html(help)
            );
        }
        html += "</li>";
    }
    html += "</ol></div>";
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use std::path::Path;

    #[test]
    fn which_pages_show_a_file() {
        let index = vec![
            "2020-07/data.json".to_owned(),
            "search/terms-0.js".to_owned(),
        ];
        assert!(shows_any(&index, "m/search/index.html"));
        assert!(shows_any(&index, "search/index.html"));
        assert!(!shows_any(&index, "2020-07/index.html"));
        assert!(!shows_any(&index, "index.html"));
        let css = vec!["static/gongkai.css".to_owned()];
        assert!(shows_any(&css, "index.html") && shows_any(&css, "print/2020-07/01/index.html"));
    }

    /// A writer that never returns, as a browser that stopped reading.
    struct Stuck;

    impl Write for Stuck {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            thread::park();
            Ok(0)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Collects what was written.
    struct Sink(std::sync::Arc<Mutex<String>>);

    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().push_str(&String::from_utf8_lossy(b));
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stream_that_never_reads_blocks_nobody() {
        let hub = Hub::default();
        hub.connect(Box::new(Stuck), Some("index.html".into()), false);
        let seen = std::sync::Arc::new(Mutex::new(String::new()));
        hub.connect(
            Box::new(Sink(seen.clone())),
            Some("index.html".into()),
            false,
        );
        let updates = || seen.lock().unwrap().matches("event: update").count();
        for i in 1..=QUEUE * 2 {
            let start = std::time::Instant::now();
            hub.rebuilt(&["index.html".to_owned()]);
            assert!(start.elapsed() < std::time::Duration::from_millis(500));
            // The reading stream gets every event, whatever the stuck one does.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while updates() < i {
                assert!(
                    std::time::Instant::now() < deadline,
                    "{}",
                    seen.lock().unwrap()
                );
                thread::sleep(std::time::Duration::from_millis(1));
            }
        }
        // The stuck stream filled its queue and was dropped; the other stays.
        assert_eq!(hub.len(), 1);
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
