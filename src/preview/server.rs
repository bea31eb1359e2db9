//! The preview's HTTP side: a pool of threads answering from the in-memory
//! [`Store`], the event stream, and the loop that turns file changes into
//! rebuilds and reloads.

use std::io::Cursor;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::channel;
use std::thread;
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::basics::text;
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::load::content;
use crate::publish::build::BuildOptions;
use crate::render::RenderOptions;

use super::engine::{Engine, Update};
use super::events::Hub;
use super::request::{self, Target};
use super::store::{Fetch, Store};
use super::watch::Watcher;

/// Threads answering requests; event streams do not hold one.
const POOL: usize = 8;
/// Threads making the files that are not pages.
const EXTRAS_THREADS: usize = 2;
/// How long saves must pause before those files are made again.
const EXTRAS_PAUSE: Duration = Duration::from_millis(200);
/// How long after a rebuild the engine tidies up, unless another save comes first.
const TIDY_PAUSE: Duration = Duration::from_millis(300);
/// How long a connection may send nothing before it is closed, unless
/// `--idle-timeout` says otherwise.
pub const IDLE: Duration = Duration::from_secs(30);
/// How often idle event streams are pinged.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// The live-reload script the templates link when `live_reload` is on.
const LIVE_JS: &str = include_str!("live.js");

/// What `gongkai serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub poll: bool,
    /// Host names answered besides the loopback names and `bind` (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// How long a connection may send nothing before it is closed ([`IDLE`]).
    pub idle: Duration,
}

/// What the command line is told as the preview runs.
pub trait Reporter: Send {
    /// The server listens at `addr`.
    fn ready(&mut self, addr: SocketAddr);
    fn update(&mut self, update: &Update, elapsed: Duration);
}

struct Shared {
    store: Arc<Store>,
    hub: Hub,
    hosts: request::Hosts,
}

/// Builds the site in memory, serves it, and rebuilds on every change until
/// the process is stopped. Returns only on errors a user must fix first
/// (a missing content folder, a port in use).
pub fn serve(opts: ServeOptions, mut reporter: impl Reporter) -> Result<()> {
    if !opts.build.content.is_dir() {
        return Err(content::missing_content_dir(&opts.build.content));
    }
    crate::publish::build::load_theme(&opts.build)?;
    let mut engine = Engine::new(opts.build.clone(), RenderOptions { live_reload: true });
    let (content_dir, theme_dir) = engine.watched();
    let (content_dir, theme_dir) = (content_dir.to_path_buf(), theme_dir.to_path_buf());
    let mut watcher = Watcher::new(&[&content_dir, &theme_dir], opts.poll)?;
    let shared = Arc::new(Shared {
        store: engine.store(),
        hub: Hub::default(),
        hosts: request::Hosts::new(opts.bind, &opts.allow_hosts),
    });
    let start = Instant::now();
    let first = engine.update(&[]);
    if let Update::Broken(errors) = &first {
        shared.hub.broken(errors);
    }
    reporter.update(&first, start.elapsed());
    engine.tidy();

    let listener = listen(SocketAddr::new(opts.bind, opts.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Io(format!("预览服务器没有地址：{e}")))?;
    let server = Server::from_listener_with(listener, None, accepting(opts.idle))
        .map_err(|e| Error::Io(format!("无法启动预览服务器：{e}")))?;
    let server = Arc::new(server);
    for _ in 0..POOL {
        let (server, shared) = (server.clone(), shared.clone());
        thread::spawn(move || {
            while let Ok(req) = server.recv() {
                // A bug in one answer must not cost the worker: the request,
                // dropped unanswered, gets tiny_http's 500.
                let answered = panic::catch_unwind(AssertUnwindSafe(|| handle(req, &shared)));
                if answered.is_err() {
                    eprintln!("error: 预览回答请求时出错（已记录，服务继续）");
                }
            }
        });
    }
    {
        let shared = shared.clone();
        thread::spawn(move || {
            loop {
                thread::sleep(HEARTBEAT);
                shared.hub.heartbeat();
            }
        });
    }
    // The files that are not pages (the search index above all) take longest
    // to make: they are made on threads of their own, at low priority, once
    // saves pause — so open pages reload first and the next save is not slowed.
    let (extras_due, extras_wanted) = channel::<()>();
    {
        let shared = shared.clone();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(EXTRAS_THREADS)
            .thread_name(|i| format!("gongkai-extras-{i}"))
            .start_handler(|_| crate::os::lower_thread_priority())
            .build()
            .map_err(|e| Error::Io(format!("无法启动后台线程：{e}")))?;
        thread::spawn(move || {
            crate::os::lower_thread_priority();
            while extras_wanted.recv().is_ok() {
                // Wait for a pause in the saves, then make them once for the latest.
                while extras_wanted.recv_timeout(EXTRAS_PAUSE).is_ok() {}
                match pool.install(|| shared.store.make_extras()) {
                    Ok(changed) if !changed.is_empty() => shared.hub.files_changed(&changed),
                    Ok(_) => {}
                    Err(e) => shared.hub.broken(&e.into_diagnostics(Path::new("."))),
                }
            }
        });
    }
    let _ = extras_due.send(());
    reporter.ready(addr);

    // Tidying (freeing the last model, copying months for the next rebuild)
    // waits for a pause: done at once it competes for the CPU with the
    // browser reloading the page the save changed.
    let mut untidy = false;
    loop {
        let changed = watcher.next_batch(untidy.then_some(TIDY_PAUSE));
        if changed.is_empty() {
            if untidy {
                engine.tidy();
                untidy = false;
            }
            continue;
        }
        let start = Instant::now();
        let update = engine.update(&changed);
        match &update {
            // No page changed, but a static file or an attachment may have.
            Update::Unchanged => {
                let _ = extras_due.send(());
            }
            Update::Broken(errors) => shared.hub.broken(errors),
            Update::Rebuilt { changed, .. } => {
                // Pages someone has open are rendered now, so their reload is instant.
                let open = shared.hub.open_pages();
                match shared.store.render_stale(Some(&open)) {
                    Some(errors) => shared.hub.broken(&errors),
                    None => shared.hub.rebuilt(changed),
                }
                let _ = extras_due.send(());
            }
        }
        reporter.update(&update, start.elapsed());
        untidy = true;
    }
}

/// The listening socket: nothing set on it. Options set on a listener can
/// change `accept()` itself (on Linux `SO_RCVTIMEO` there makes it fail with
/// EAGAIN after that long without a connection), so each connection gets
/// its own in [`accepting`].
fn listen(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| {
        Error::Usage(format!(
            "无法在 {}:{} 上启动预览：{}（端口被占用时用 --port 换一个）",
            addr.ip(),
            addr.port(),
            crate::os::describe(&e)
        ))
    })
}

/// What each accepted connection gets before a byte is read: `TCP_NODELAY`
/// (without it a kept-alive response, written as headers then body, waits
/// ~40 ms for the client's delayed ACK) and a read timeout of `idle`, after
/// which a connection that sent nothing is closed. An accept error is
/// printed and accepting goes on.
fn accepting(idle: Duration) -> tiny_http::Accepting {
    tiny_http::Accepting {
        configure: Box::new(move |stream| {
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(idle))
        }),
        on_error: Box::new(|e| {
            eprintln!(
                "warning: 预览接受连接时出错，稍后继续：{}",
                crate::os::describe(e)
            );
        }),
    }
}

fn handle(req: Request, shared: &Shared) {
    // A page on another site can point its own name at 127.0.0.1 (DNS
    // rebinding) and read the preview: only our names are answered.
    let host = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str());
    if !host.is_some_and(|h| shared.hosts.allows(h)) {
        let _ = req.respond(bytes(
            403,
            "text/plain; charset=utf-8",
            "403 这个主机名不在预览允许的名单中（用 --allow-host 添加）\n"
                .as_bytes()
                .to_vec(),
        ));
        return;
    }
    if !matches!(req.method(), Method::Get | Method::Head) {
        let resp =
            page(405, "只支持 GET 和 HEAD 请求", shared).with_header(header("Allow", "GET, HEAD"));
        let _ = req.respond(resp);
        return;
    }
    let store = &shared.store;
    let if_none_match = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("If-None-Match"))
        .map(|h| h.value.as_str().to_owned());
    let target = request::resolve(req.url(), &|p| store.contains(p));
    let resp = match target {
        Target::Events { page, tabs } => {
            if *req.method() == Method::Head {
                bytes(200, "text/event-stream; charset=utf-8", Vec::new())
            } else {
                shared.hub.connect(req.into_writer(), page, tabs);
                return;
            }
        }
        Target::LiveJs => revalidated(
            request::content_type(request::LIVE_JS),
            LIVE_JS.as_bytes().to_vec(),
            if_none_match.as_deref(),
        ),
        Target::Redirect(location) => bytes(
            301,
            "text/plain; charset=utf-8",
            location.clone().into_bytes(),
        )
        .with_header(header("Location", &location)),
        Target::Bad => page(400, "请求的路径无效", shared),
        Target::NotFound => page(404, "找不到这个页面", shared),
        Target::File(path) => file(&path, shared, if_none_match.as_deref()),
    };
    let _ = req.respond(resp);
}

/// A file of the site; HTML gets the error overlay while the content is broken.
fn file(path: &str, shared: &Shared, if_none_match: Option<&str>) -> Response<Cursor<Vec<u8>>> {
    let kind = request::content_type(path);
    let html = kind.starts_with("text/html");
    let (body, overlay) = match shared.store.get(path) {
        Fetch::Found(b) => (b.to_vec(), shared.hub.overlay()),
        Fetch::Failed {
            previous,
            errors,
            generation,
        } => {
            if generation == shared.store.generation() {
                shared.hub.broken(&errors);
            }
            match previous {
                Some(b) => (b.to_vec(), Some(super::events::overlay_html(&errors))),
                None => return page_with(500, "页面模板出错", Some(&errors), shared),
            }
        }
        Fetch::Missing => return page(404, "找不到这个页面", shared),
    };
    let body = match overlay {
        Some(o) if html => with_overlay(body, &o),
        _ => body,
    };
    revalidated(kind, body, if_none_match)
}

/// A 200 with an `ETag` of exactly these bytes, or a bodiless 304 when the
/// browser already holds them: with `no-cache` it asks each time, and an
/// unchanged stylesheet or script costs one small response.
fn revalidated(
    kind: &str,
    body: Vec<u8>,
    if_none_match: Option<&str>,
) -> Response<Cursor<Vec<u8>>> {
    let tag = format!("\"{:016x}\"", text::fnv1a([body.as_slice()]));
    let matches = if_none_match.is_some_and(|v| {
        v.split(',')
            .any(|t| t.trim().trim_start_matches("W/") == tag || t.trim() == "*")
    });
    let resp = if matches {
        bytes(304, kind, Vec::new())
    } else {
        bytes(200, kind, body)
    };
    resp.with_header(header("ETag", &tag))
}

/// Puts the overlay just before `</body>`.
fn with_overlay(body: Vec<u8>, overlay: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(&body);
    match text.rfind("</body>") {
        Some(at) => format!("{}{overlay}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{overlay}").into_bytes(),
    }
}

fn page(status: u16, title: &str, shared: &Shared) -> Response<Cursor<Vec<u8>>> {
    page_with(status, title, None, shared)
}

/// The server's own pages (404, 400 …): plain, with live reload, and the
/// overlay while the content is broken — before the first good build every
/// path lands here.
fn page_with(
    status: u16,
    title: &str,
    errors: Option<&Diagnostics>,
    shared: &Shared,
) -> Response<Cursor<Vec<u8>>> {
    let overlay = match errors {
        Some(e) => Some(super::events::overlay_html(e)),
        None => shared.hub.overlay(),
    };
    let note = if shared.store.generation() == 0 {
        "网站还没有生成成功：改正下面的错误后自动生成。"
    } else {
        "返回<a href=\"/\">首页</a>。"
    };
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{status} {title}</title><meta name=\"gongkai-server-page\">\
         <script src=\"{}\" defer></script></head>\
         <body style=\"font:18px/1.6 system-ui,sans-serif;margin:2em\">\
         <h1>{status} {title}</h1><p>{note}</p>{}</body></html>\n",
        request::LIVE_JS,
        overlay.unwrap_or_default()
    );
    bytes(status, "text/html; charset=utf-8", body.into_bytes())
}

fn bytes(status: u16, kind: &str, body: Vec<u8>) -> Response<Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

/// Names and values here are ASCII, except a `Location` made from a request
/// path sent raw (`GET /2020-07/第一项`): its other bytes are percent-encoded.
fn header(name: &str, value: &str) -> Header {
    let mut ascii = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii() {
            ascii.push(char::from(b));
        } else {
            ascii.push_str(&format!("%{b:02X}"));
        }
    }
    Header::from_bytes(name.as_bytes(), ascii.as_bytes()).expect("ASCII name and value")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_location_made_from_a_raw_path_is_percent_encoded_not_a_panic() {
        let h = super::header("Location", "/2020-07/第一项/?q=1");
        assert_eq!(
            h.value.as_str(),
            "/2020-07/%E7%AC%AC%E4%B8%80%E9%A1%B9/?q=1"
        );
    }
}
