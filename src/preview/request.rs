//! What a request path asks for. The preview serves only files it holds in
//! memory, so nothing outside the site can be read; on top of that, any path
//! that tries to leave the root — `..`, encoded dots or slashes, backslashes,
//! NUL bytes, `//` or absolute URLs — is refused before it is looked up.

use std::net::IpAddr;

/// Where the live-reload script is served; the templates link it here.
pub(crate) const LIVE_JS: &str = "/__gongkai/live.js";
/// The Server-Sent Events stream open pages listen on.
pub(crate) const EVENTS: &str = "/__gongkai/events";

/// The names the preview answers to in a request's `Host`: the loopback
/// names, the `--bind` address and the `--allow-host` names. Bound to every
/// address (`0.0.0.0`, `::`), any IP address is answered too: DNS rebinding
/// needs a name, never a bare address.
pub(crate) struct Hosts {
    names: Vec<String>,
    any_ip: bool,
}

impl Hosts {
    pub(crate) fn new(bind: IpAddr, allowed: &[String]) -> Hosts {
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        names.push(match bind {
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        });
        names.extend(
            allowed
                .iter()
                .map(|n| n.trim_end_matches('.').to_ascii_lowercase()),
        );
        Hosts {
            names,
            any_ip: bind.is_unspecified(),
        }
    }

    /// Whether a `Host` header value (a name, an optional `:port`) is ours.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = match host.rsplit_once(':') {
            // `[::1]:1111`, `localhost:1111`; a bare `[::1]` has no port.
            Some((name, port))
                if !port.ends_with(']') && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                name
            }
            _ => host.as_str(),
        };
        let name = name.trim_end_matches('.');
        if self.names.iter().any(|n| n == name) {
            return true;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        self.any_ip && bare.parse::<IpAddr>().is_ok()
    }
}

/// The answer to a request path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file of the site, by output path (`2020-07/index.html`).
    File(String),
    /// A folder asked without its trailing slash: go to `Location`.
    Redirect(String),
    /// The event stream; `page` is the output path of the page listening,
    /// `tabs` a stream shared by every tab of a browser (`?tabs=1`).
    Events {
        page: Option<String>,
        tabs: bool,
    },
    LiveJs,
    /// A path that tries to leave the site or cannot be read: 400.
    Bad,
    NotFound,
}

/// Resolves a raw request target. `exists` says whether the site has a file.
pub(crate) fn resolve(raw: &str, exists: &dyn Fn(&str) -> bool) -> Target {
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw, None),
    };
    let Some(rel) = decode_path(path) else {
        return Target::Bad;
    };
    if path == LIVE_JS {
        return Target::LiveJs;
    }
    if path == EVENTS {
        let page = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .find_map(|kv| kv.strip_prefix("page="))
            .and_then(percent_decode)
            .and_then(|p| String::from_utf8(p).ok())
            .and_then(|p| match resolve(&p, exists) {
                Target::File(f) => Some(f),
                _ => None,
            });
        let tabs = query.is_some_and(|q| q.split('&').any(|kv| kv == "tabs=1"));
        return Target::Events { page, tabs };
    }
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if exists(&rel) {
        return Target::File(rel);
    }
    if exists(&format!("{rel}/index.html")) {
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        return Target::Redirect(format!("{path}/{query}"));
    }
    Target::NotFound
}

/// The path relative to the site root, or `None` when it must be refused.
fn decode_path(path: &str) -> Option<String> {
    // Origin-form only: `http://host/…` and `*` are not for a preview server.
    let rest = path.strip_prefix('/')?;
    let lower = path.to_ascii_lowercase();
    // Encoded separators would let `..%2f..` through a segment check.
    if path.contains('\\') || lower.contains("%2f") || lower.contains("%5c") {
        return None;
    }
    let decoded = String::from_utf8(percent_decode(rest)?).ok()?;
    if decoded.contains(['\0', '\\']) {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        // An empty segment is `//` (or a leading `//`, an absolute path); the last may be empty.
        if (seg.is_empty() && i != last) || *seg == "." || *seg == ".." {
            return None;
        }
    }
    Some(decoded)
}

/// `%xx` escapes to bytes; `None` for a malformed escape.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `Content-Type` of an output file, by extension; text is always UTF-8.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> bool {
        [
            "index.html",
            "2020-07/index.html",
            "static/gongkai.css",
            "2020-07/附件.pdf",
        ]
        .contains(&path)
    }

    fn r(raw: &str) -> Target {
        resolve(raw, &site)
    }

    #[test]
    fn files_folders_and_redirects() {
        assert_eq!(r("/"), Target::File("index.html".into()));
        assert_eq!(r("/2020-07/"), Target::File("2020-07/index.html".into()));
        assert_eq!(
            r("/2020-07/index.html"),
            Target::File("2020-07/index.html".into())
        );
        assert_eq!(r("/2020-07"), Target::Redirect("/2020-07/".into()));
        assert_eq!(r("/2020-07?a=1"), Target::Redirect("/2020-07/?a=1".into()));
        assert_eq!(
            r("/static/gongkai.css?v=2"),
            Target::File("static/gongkai.css".into())
        );
        assert_eq!(
            r("/2020-07/%E9%99%84%E4%BB%B6.pdf"),
            Target::File("2020-07/附件.pdf".into())
        );
        assert_eq!(r("/2020-08/"), Target::NotFound);
        assert_eq!(r(LIVE_JS), Target::LiveJs);
        assert_eq!(
            r("/__gongkai/events?tabs=1"),
            Target::Events {
                page: None,
                tabs: true
            }
        );
        assert_eq!(
            r("/__gongkai/events?page=%2F2020-07%2F"),
            Target::Events {
                page: Some("2020-07/index.html".into()),
                tabs: false,
            }
        );
    }

    #[test]
    fn only_our_host_names_are_answered() {
        let local = Hosts::new("127.0.0.1".parse().unwrap(), &["Preview.Example".into()]);
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "localhost.:80",
            "[::1]:1111",
            "[::1]",
            "preview.example:1111",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for bad in [
            "attacker.example",
            "attacker.example:1111",
            "localhost.attacker.example",
            "127.0.0.2",
            "192.168.1.5:1111",
            "",
            "127.0.0.1:1111:x",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.5".parse().unwrap(), &[]);
        assert!(lan.allows("192.168.1.5:1111") && !lan.allows("192.168.1.6:1111"));
        let all = Hosts::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(all.allows("10.0.0.7:1111") && all.allows("[fe80::1]:1111"));
        assert!(!all.allows("rebound.example:1111"));
        let v6 = Hosts::new("::1".parse().unwrap(), &[]);
        assert!(v6.allows("[::1]:8080"));
    }

    #[test]
    fn paths_leaving_the_root_are_refused() {
        for raw in [
            "/../etc/passwd",
            "/2020-07/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/%2Fetc%2Fpasswd",
            "/..\\..\\etc\\passwd",
            "/%5c..%5cetc",
            "/index.html%00.css",
            "//etc/passwd",
            "http://example.com/index.html",
            "*",
            "etc/passwd",
            "/./index.html",
            "/%zz",
            "/%ff%fe",
        ] {
            assert_eq!(r(raw), Target::Bad, "{raw}");
        }
    }
}
