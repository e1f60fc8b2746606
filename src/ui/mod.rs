//! The inspector: a web page over the event store, served by `dsync ui` and
//! by `dsync listen --ui` under the reserved path `/_dsync/`.
//!
//! Everything is in the binary (three small hand-written files under
//! `assets/`), so it works offline. Routes, all under [`PREFIX`]:
//!
//! | route | what |
//! |---|---|
//! | `GET /` | the page, with this process's token embedded |
//! | `GET /app.js`, `/app.css` | the assets |
//! | `GET /api/captures?code=&verification=&status=&q=&before=&after=&limit=` | a page of summaries, newest first, and the counts |
//! | `GET /api/captures/ID` | one capture: diff, headers, body, verdict, commands |
//! | `GET /api/captures/ID/download` | the capture file (`dsync replay FILE` reads it) |
//! | `POST /api/captures/ID/replay` `{"url": …}` | re-sign and deliver it, and say what came back |
//! | `GET /api/live` | Server-Sent Events: one `capture` event per new capture |
//!
//! See [`guard`] for who may call them.

mod api;
mod detail;
pub mod guard;
mod live;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::commands::Signing;
use crate::deliver::Sender;
use crate::server::{Handler, Request, RequestBody, Response, ResponseBody};
use crate::store::{captures, Store};

/// The path the inspector is served under; `listen --ui` reserves it.
pub const PREFIX: &str = "/_dsync/";

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// Largest replay request body read (`{"url": …}`).
const MAX_REPLAY_REQUEST: usize = 16 * 1024;

/// Whether a request target belongs to the inspector (`/_dsync`, `/_dsync/…`).
pub fn is_ui_path(target: &str) -> bool {
    let path = target.split('?').next().unwrap_or("");
    path == PREFIX.trim_end_matches('/') || path.starts_with(PREFIX)
}

/// What the inspector serves and how it is protected.
pub struct UiOptions {
    pub store: Store,
    /// For replays (re-signing) and for diagnosing signatures; the secret
    /// itself never leaves the process.
    pub signing: Signing,
    /// The port the server is bound to: the only one `Host` may name.
    pub port: u16,
    /// `--ui-token`: required for the page too (an inspector reachable from
    /// other machines). Without it a fresh token is made, embedded in the page.
    pub user_token: Option<String>,
}

/// The inspector as an HTTP handler.
pub struct Inspector {
    store: Store,
    signing: Signing,
    port: u16,
    token: String,
    page_needs_token: bool,
    store_label: String,
    live: Arc<live::Live>,
    sender: Sender,
    /// Replays run here: handlers may be on threads inside another runtime.
    runtime: Background,
}

/// A small runtime of the inspector's own, shut down without blocking
/// (the inspector may be dropped on a thread of the server's runtime).
struct Background(Option<tokio::runtime::Runtime>);

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl Inspector {
    pub fn new(options: UiOptions) -> crate::error::Result<Inspector> {
        let page_needs_token = options.user_token.is_some();
        let token = options.user_token.unwrap_or_else(guard::fresh_token);
        Ok(Inspector {
            // Absolute, so a copied command works from any folder.
            store_label: std::fs::canonicalize(options.store.dir())
                .unwrap_or_else(|_| options.store.dir().to_path_buf())
                .display()
                .to_string(),
            store: options.store,
            signing: options.signing,
            port: options.port,
            token,
            page_needs_token,
            live: Arc::new(live::Live::new()),
            sender: Sender::new(Duration::from_secs(30))?,
            runtime: Background(Some(
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .thread_name("dsync-ui-replay")
                    .enable_all()
                    .build()
                    .map_err(crate::error::Error::io)?,
            )),
        })
    }

    /// The URL to open: with the token when the page needs it.
    pub fn url(&self, addr: std::net::SocketAddr) -> String {
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            match addr.ip() {
                std::net::IpAddr::V6(ip) => format!("[{ip}]"),
                ip => ip.to_string(),
            }
        };
        let query = if self.page_needs_token {
            format!("?token={}", self.token)
        } else {
            String::new()
        };
        format!("http://{host}:{}{PREFIX}{query}", addr.port())
    }

    fn route(&self, request: Request) -> Result<Response, (u16, String)> {
        guard::check_host(&request.headers, self.port)?;
        let (path, query) = match request.target.split_once('?') {
            Some((p, q)) => (p, q),
            None => (request.target.as_str(), ""),
        };
        let query_token = form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned());
        let rest = path.strip_prefix(PREFIX).unwrap_or("");
        let method = request.method.as_str();
        let get = method == "GET" || method == "HEAD";
        match rest {
            _ if path == PREFIX.trim_end_matches('/') => {
                let location = format!("{PREFIX}{}", query_suffix(query));
                Ok(Response::new(308, Vec::new()).with_header("Location", &location))
            }
            "" if get => {
                if self.page_needs_token {
                    guard::check_token(&request.headers, query_token.as_deref(), &self.token)?;
                }
                Ok(self.page())
            }
            "app.js" if get => Ok(asset("text/javascript; charset=utf-8", APP_JS)),
            "app.css" if get => Ok(asset("text/css; charset=utf-8", APP_CSS)),
            _ if rest.starts_with("api/") => {
                guard::check_token(&request.headers, query_token.as_deref(), &self.token)?;
                self.api(method, &rest["api/".len()..], query, &request)
            }
            "" | "app.js" | "app.css" => Err((405, format!("{method} is not allowed here"))),
            _ => Err((404, format!("no such inspector page: {path}"))),
        }
    }

    fn page(&self) -> Response {
        let html = INDEX_HTML
            .replace("{{TOKEN}}", &self.token)
            .replace("{{STORE}}", &html_escape(&self.store_label));
        secured(Response::new(200, html).with_header("Content-Type", "text/html; charset=utf-8"))
    }

    fn api(
        &self,
        method: &str,
        route: &str,
        query: &str,
        request: &Request,
    ) -> Result<Response, (u16, String)> {
        let segments: Vec<&str> = route.split('/').collect();
        match (method, segments.as_slice()) {
            ("GET", ["captures"]) => {
                let filters = api::Filters::parse(query).map_err(|e| (400, e))?;
                let conn = self.store.connection().map_err(internal)?;
                let page = api::list(&conn, &filters).map_err(internal)?;
                Ok(no_store(Response::json(200, &page)))
            }
            ("GET", ["captures", id]) => {
                let id = decode(id);
                let conn = self.store.connection().map_err(internal)?;
                let capture = captures::get(&conn, &id)
                    .map_err(internal)?
                    .ok_or_else(|| (404, format!("no capture {id}")))?;
                let view = detail::detail(&capture, &self.signing, &self.store_label);
                Ok(no_store(Response::json(200, &view)))
            }
            ("GET", ["captures", id, "download"]) => {
                let id = decode(id);
                let conn = self.store.connection().map_err(internal)?;
                let capture = captures::get(&conn, &id)
                    .map_err(internal)?
                    .ok_or_else(|| (404, format!("no capture {id}")))?;
                let mut bytes = serde_json::to_vec_pretty(&capture)
                    .map_err(|e| internal(crate::error::Error::io(e)))?;
                bytes.push(b'\n');
                let disposition = format!("attachment; filename=\"{}\"", capture.file_name());
                Ok(no_store(
                    Response::new(200, bytes)
                        .with_header("Content-Type", "application/json")
                        .with_header("Content-Disposition", &disposition),
                ))
            }
            ("POST", ["captures", id, "replay"]) => self.replay(&decode(id), request),
            ("GET", ["live"]) => Ok(Response::stream(200, self.live.subscribe(&self.store))
                .with_header("Content-Type", "text/event-stream")
                .with_header("Cache-Control", "no-store")),
            (_, ["captures"] | ["captures", _] | ["captures", _, "download"] | ["live"]) => {
                Err((405, format!("{method} is not allowed here")))
            }
            (_, ["captures", _, "replay"]) => Err((405, "replay is a POST".into())),
            _ => Err((404, format!("no such inspector API: {route}"))),
        }
    }

    /// Re-sign the capture's exact body with a fresh timestamp (as `dsync
    /// replay` does) and deliver it to the URL given.
    fn replay(&self, id: &str, request: &Request) -> Result<Response, (u16, String)> {
        let RequestBody::Complete(raw) = &request.body else {
            return Err((413, "the replay request is too large".into()));
        };
        if raw.len() > MAX_REPLAY_REQUEST {
            return Err((413, "the replay request is too large".into()));
        }
        let asked: Value = serde_json::from_slice(raw)
            .map_err(|e| (400, format!("the replay request is not JSON: {e}")))?;
        let url = asked
            .get("url")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| {
                (
                    400,
                    "give the URL to replay to: {\"url\": \"http://…\"}".to_string(),
                )
            })?;
        let parsed =
            reqwest::Url::parse(url).map_err(|e| (400, format!("{url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err((400, format!("{url:?} is not an http:// or https:// URL")));
        }
        let conn = self.store.connection().map_err(internal)?;
        let capture = captures::get(&conn, id)
            .map_err(internal)?
            .ok_or_else(|| (404, format!("no capture {id}")))?;
        let body = capture.body.to_bytes().map_err(|e| (409, e.to_string()))?;
        let mut headers = vec![(
            "content-type".to_string(),
            "application/json; charset=UTF-8".to_string(),
        )];
        let signed = self.signing.secret.is_some();
        headers.extend(
            self.signing
                .fresh_headers(&body)
                .map_err(|e| (400, e.to_string()))?,
        );
        let sender = self.sender.clone();
        let target = url.to_string();
        let (done, delivered) = std::sync::mpsc::channel();
        let runtime = self
            .runtime
            .0
            .as_ref()
            .expect("the runtime lives as long as the inspector");
        runtime.spawn(async move {
            let result = sender.post(&target, &headers, body).await;
            let _ = done.send(result.map_err(|e| format!("{:#}", e.inner)));
        });
        let delivered = delivered
            .recv()
            .map_err(|_| (500, "the replay stopped unexpectedly".to_string()))?;
        match delivered {
            Ok(answer) => {
                let text = String::from_utf8_lossy(&answer.body);
                let shown: String = text.chars().take(2000).collect();
                Ok(Response::json(
                    200,
                    &json!({
                        "url": url,
                        "status": answer.status,
                        "latency_ms": answer.latency.as_secs_f64() * 1000.0,
                        "signed": signed,
                        "answer": shown,
                    }),
                ))
            }
            Err(e) => Err((502, e)),
        }
    }
}

/// What answers under [`PREFIX`] in `listen --ui`: the inspector, or (when
/// it is off: a non-loopback address without `--ui-token`) a 404 that says why.
pub enum Mount {
    On(Box<Inspector>),
    Off(String),
}

impl Mount {
    /// For `listen --ui`: the inspector on the listener's own port, unless
    /// that is reachable from other machines and no `--ui-token` protects it.
    pub fn for_listener(
        store: Store,
        signing: Signing,
        addr: std::net::SocketAddr,
        user_token: Option<String>,
    ) -> crate::error::Result<Mount> {
        if let Some(token) = &user_token {
            guard::check_user_token("--ui-token", token)?;
        }
        if user_token.is_none() && !addr.ip().is_loopback() {
            return Ok(Mount::Off(format!(
                "the inspector is off: dsync listens on {}, which other machines can reach; pass --ui-token TOKEN to serve it there",
                addr.ip()
            )));
        }
        let inspector = Inspector::new(UiOptions {
            store,
            signing,
            port: addr.port(),
            user_token,
        })?;
        Ok(Mount::On(Box::new(inspector)))
    }

    /// The URL to open, when on.
    pub fn url(&self, addr: std::net::SocketAddr) -> Option<String> {
        match self {
            Mount::On(inspector) => Some(inspector.url(addr)),
            Mount::Off(_) => None,
        }
    }

    pub fn handle(&self, request: Request) -> Response {
        match self {
            Mount::On(inspector) => inspector.handle(request),
            Mount::Off(why) => Response::json(404, &json!({"error": why})),
        }
    }
}

/// `listen --ui`: the inspector in front of listen's handler, taking only
/// the reserved path; without a mount, the handler as it is.
pub fn in_front(mount: Option<Mount>, inner: Arc<dyn Handler>) -> Arc<dyn Handler> {
    match mount {
        Some(mount) => Arc::new(InFront { mount, inner }),
        None => inner,
    }
}

struct InFront {
    mount: Mount,
    inner: Arc<dyn Handler>,
}

impl Handler for InFront {
    fn handle(&self, request: Request) -> Response {
        if is_ui_path(&request.target) {
            self.mount.handle(request)
        } else {
            self.inner.handle(request)
        }
    }

    fn handle_then(&self, request: Request, reply: crate::server::Reply) {
        if is_ui_path(&request.target) {
            reply.send(self.mount.handle(request))
        } else {
            self.inner.handle_then(request, reply)
        }
    }

    fn after_request(&self, idle: bool) {
        self.inner.after_request(idle)
    }

    fn rejected(&self, remote: Option<std::net::SocketAddr>, status: u16, reason: &str) {
        self.inner.rejected(remote, status, reason);
    }
}

impl Handler for Inspector {
    fn handle(&self, request: Request) -> Response {
        let head = request.method == "HEAD";
        let mut response = self.route(request).unwrap_or_else(|(status, message)| {
            secured(Response::json(status, &json!({"error": message})))
        });
        if head {
            response.body = ResponseBody::Bytes(Vec::new());
        }
        response
    }
}

fn asset(content_type: &str, text: &'static str) -> Response {
    secured(Response::new(200, text.as_bytes().to_vec()).with_header("Content-Type", content_type))
}

/// The page may load only its own assets and talk only to its own origin;
/// no other site may frame it.
fn secured(response: Response) -> Response {
    response
        .with_header(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        )
        .with_header("X-Frame-Options", "DENY")
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("Referrer-Policy", "no-referrer")
        .with_header("Cache-Control", "no-store")
}

fn no_store(response: Response) -> Response {
    response
        .with_header("Cache-Control", "no-store")
        .with_header("X-Content-Type-Options", "nosniff")
}

fn internal(e: crate::error::Error) -> (u16, String) {
    (500, format!("{:#}", e.inner))
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

fn query_suffix(query: &str) -> String {
    if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_paths() {
        assert!(is_ui_path("/_dsync"));
        assert!(is_ui_path("/_dsync/"));
        assert!(is_ui_path("/_dsync/api/live?token=x"));
        assert!(!is_ui_path("/_dsyncx"));
        assert!(!is_ui_path("/directory-sync"));
        assert!(!is_ui_path("/x/_dsync/"));
    }

    #[test]
    fn segments_are_percent_decoded() {
        assert_eq!(decode("a%2Fb"), "a/b");
        assert_eq!(
            decode("20261128T151245.123456Z-000042ab12"),
            "20261128T151245.123456Z-000042ab12"
        );
    }
}
