//! One connection: admission at the cap, the read deadlines (in the socket
//! wrapper, so a timer exists only while a deadline does), framing checks,
//! the body read, and the hand-over to the handler pool.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::Incoming;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::body::{self, OutBody};
use super::{lock, Request, RequestBody, Response, Shared};

/// Past `max_body`, how much more of a body is read (and counted) before
/// the server stops reading and closes the connection.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;

/// Open connections, for the cap and for making room.
#[derive(Default)]
pub(super) struct Registry {
    next: u64,
    conns: HashMap<u64, Arc<ConnState>>,
}

impl Registry {
    pub(super) fn len(&self) -> usize {
        self.conns.len()
    }
}

/// Where a connection is, which decides its deadline.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for the first byte of a head; `first`: no request yet on
    /// this connection (then the head deadline runs from the connection's start).
    Waiting { since: Instant, first: bool },
    /// Part of a head received.
    Head { since: Instant },
    /// Head complete, body being read.
    Body { since: Instant },
    /// In the handler, or its answer being written: no deadline.
    Busy,
}

/// Bytes of a head kept past `max_header_bytes` (hyper answers 431 by then).
const HEAD_SLACK: usize = 8 * 1024;

pub(super) struct ConnState {
    phase: Mutex<Phase>,
    /// The bytes read while waiting for / reading a head, to recover the
    /// header lines exactly as sent (hyper's map lowercases names, groups
    /// duplicates, and drops `Content-Length` when `Transfer-Encoding` is there).
    head: Mutex<Vec<u8>>,
    head_limit: usize,
    /// Close with a lingering drain (an error answer was sent, or the
    /// client is mid-request), so the answer is not lost to a reset.
    linger: std::sync::atomic::AtomicBool,
    /// Set to close this connection to make room for a new one.
    evict: std::sync::atomic::AtomicBool,
    waker: Mutex<Option<Waker>>,
    /// Why the server closed it (status, reason), for the count and the log line.
    closed_by_server: Mutex<Option<(u16, String)>>,
    header_timeout: Duration,
    body_timeout: Duration,
    idle_timeout: Duration,
}

enum Expiry {
    /// Quietly close an idle keep-alive connection.
    Idle,
    /// Answer 408 and close.
    Late(&'static str),
}

impl ConnState {
    fn deadline(&self) -> Option<(Instant, Expiry)> {
        match *lock(&self.phase) {
            Phase::Waiting { since, first: true } => Some((
                since + self.header_timeout,
                Expiry::Late("request head not received"),
            )),
            Phase::Waiting {
                since,
                first: false,
            } => Some((since + self.idle_timeout, Expiry::Idle)),
            Phase::Head { since } => Some((
                since + self.header_timeout,
                Expiry::Late("request head not received"),
            )),
            Phase::Body { since } => Some((
                since + self.body_timeout,
                Expiry::Late("request body not received"),
            )),
            Phase::Busy => None,
        }
    }

    fn on_bytes(&self, bytes: &[u8]) {
        let mut phase = lock(&self.phase);
        match *phase {
            Phase::Waiting { since, first: true } => *phase = Phase::Head { since },
            Phase::Waiting { first: false, .. } => {
                *phase = Phase::Head {
                    since: Instant::now(),
                }
            }
            Phase::Head { .. } => {}
            Phase::Body { .. } | Phase::Busy => return,
        }
        drop(phase);
        let mut head = lock(&self.head);
        let room = self.head_limit.saturating_sub(head.len());
        head.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    /// The head bytes read since the last request (then cleared).
    fn take_head(&self) -> Vec<u8> {
        std::mem::take(&mut *lock(&self.head))
    }

    fn is_waiting(&self) -> bool {
        matches!(*lock(&self.phase), Phase::Waiting { .. })
    }

    fn set(&self, phase: Phase) {
        *lock(&self.phase) = phase;
    }

    /// The answer is written: wait for the next request.
    pub(super) fn answered(&self) {
        self.set(Phase::Waiting {
            since: Instant::now(),
            first: false,
        });
    }

    /// Since when this connection has been waiting on its client, if it is.
    fn waiting_since(&self) -> Option<Instant> {
        match *lock(&self.phase) {
            Phase::Waiting { since, .. } | Phase::Head { since } | Phase::Body { since } => {
                Some(since)
            }
            Phase::Busy => None,
        }
    }
}

/// A new connection: admit it (making room if needed) or refuse it.
pub(super) fn start(shared: &Arc<Shared>, stream: TcpStream, remote: SocketAddr) {
    shared.counters.connections.fetch_add(1, Ordering::Relaxed);
    let state = Arc::new(ConnState {
        phase: Mutex::new(Phase::Waiting {
            since: Instant::now(),
            first: true,
        }),
        head: Mutex::new(Vec::new()),
        head_limit: shared.options.max_header_bytes + HEAD_SLACK,
        linger: Default::default(),
        evict: Default::default(),
        waker: Mutex::new(None),
        closed_by_server: Mutex::new(None),
        header_timeout: shared.options.header_timeout,
        body_timeout: shared.options.body_timeout,
        idle_timeout: shared.options.idle_timeout,
    });
    let id = {
        let mut open = lock(&shared.open);
        if open.len() >= shared.options.max_connections && !make_room(&open, &shared.counters) {
            drop(open);
            shared.counters.refused.fetch_add(1, Ordering::Relaxed);
            shared.handler.rejected(
                Some(remote),
                503,
                &format!(
                    "connection refused: {} connections open (--max-connections)",
                    shared.options.max_connections
                ),
            );
            tokio::spawn(refuse(stream));
            return;
        }
        open.next += 1;
        let id = open.next;
        open.conns.insert(id, state.clone());
        id
    };
    tokio::spawn(serve(shared.clone(), stream, remote, id, state));
}

/// Close the connection that has waited longest on its client (idle,
/// or slow to send its head or body), if any.
fn make_room(open: &Registry, counters: &super::Counters) -> bool {
    let victim = open
        .conns
        .values()
        .filter(|c| !c.evict.load(Ordering::Relaxed))
        .filter_map(|c| c.waiting_since().map(|since| (since, c)))
        .min_by_key(|(since, _)| *since);
    match victim {
        Some((_, c)) => {
            counters.evicted.fetch_add(1, Ordering::Relaxed);
            c.evict.store(true, Ordering::Relaxed);
            if let Some(w) = lock(&c.waker).take() {
                w.wake();
            }
            true
        }
        None => false,
    }
}

async fn refuse(mut stream: TcpStream) {
    use tokio::io::AsyncWriteExt;
    let answer = canned(
        503,
        "Service Unavailable",
        "too many connections; try again shortly",
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(&answer).await?;
        stream.shutdown().await
    })
    .await;
}

/// A complete response written by the server itself, outside hyper.
fn canned(status: u16, reason: &str, error: &str) -> Vec<u8> {
    let body = serde_json::json!({ "error": error }).to_string();
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn serve(
    shared: Arc<Shared>,
    stream: TcpStream,
    remote: SocketAddr,
    id: u64,
    state: Arc<ConnState>,
) {
    let io = hyper_util::rt::TokioIo::new(TimedIo {
        stream: Some(stream),
        state: state.clone(),
        shared: shared.clone(),
        sleep: None,
        armed_for: None,
        write_sleep: None,
        write_armed: false,
    });
    let service = {
        let shared = shared.clone();
        let state = state.clone();
        hyper::service::service_fn(move |req| {
            let shared = shared.clone();
            let state = state.clone();
            async move { Ok::<_, Infallible>(exchange(shared, state, remote, req).await) }
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .keep_alive(true)
        .max_header_size(shared.options.max_header_bytes)
        .header_read_timeout(None);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut shutdown = shared.shutdown.subscribe();
    let stop = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    let result = tokio::select! {
        r = conn.as_mut() => r,
        _ = stop => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };

    let by_server = lock(&state.closed_by_server).take();
    if let Some((status, reason)) = by_server {
        if !state.evict.load(Ordering::Relaxed) {
            shared.counters.timed_out.fetch_add(1, Ordering::Relaxed);
        }
        shared.handler.rejected(Some(remote), status, &reason);
    } else if let Err(e) = result {
        if e.is_parse_too_large() {
            shared.counters.bad_requests.fetch_add(1, Ordering::Relaxed);
            shared.handler.rejected(
                Some(remote),
                431,
                &format!(
                    "request head over {} bytes",
                    shared.options.max_header_bytes
                ),
            );
        } else if e.is_parse() {
            shared.counters.bad_requests.fetch_add(1, Ordering::Relaxed);
            shared.handler.rejected(
                Some(remote),
                400,
                &format!("malformed request: {}", cause(&e)),
            );
        }
        // Anything else: the client went away mid-exchange; nobody to answer.
    }

    let mut open = lock(&shared.open);
    open.conns.remove(&id);
    drop(open);
    shared.closed.notify_all();
}

fn cause(e: &hyper::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// One request: check its framing, read its body, run the handler.
async fn exchange(
    shared: Arc<Shared>,
    state: Arc<ConnState>,
    remote: SocketAddr,
    req: hyper::Request<Incoming>,
) -> hyper::Response<OutBody> {
    let head_at = Instant::now();
    state.set(Phase::Body { since: head_at });
    let (parts, incoming) = req.into_parts();
    let raw = state.take_head();
    let headers = match framing(&parts, &raw) {
        Ok(h) => h,
        Err(reason) => return reject(&shared, &state, remote, 400, &reason),
    };
    let declared = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<u64>().ok());
    let max = shared.options.max_body;
    let (body, drained) = match read_body(incoming, declared, max).await {
        Ok(read) => read,
        Err(e) => {
            // Timed out or evicted: the socket layer answered 408 already.
            if lock(&state.closed_by_server).is_some() {
                return body::empty(state.clone());
            }
            return reject(
                &shared,
                &state,
                remote,
                400,
                &format!("could not read the body: {}", cause(&e)),
            );
        }
    };
    state.set(Phase::Busy);
    let target = match parts.uri.path_and_query() {
        Some(pq) if parts.uri.scheme().is_none() => pq.as_str().to_string(),
        _ => parts.uri.to_string(),
    };
    let request = Request {
        method: parts.method.as_str().to_ascii_uppercase(),
        target,
        headers,
        body,
        remote_addr: Some(remote),
    };
    let handler = shared.handler.clone();
    let (reply, answer) = tokio::sync::oneshot::channel();
    shared.pool.execute(head_at.elapsed(), move || {
        handler.handle_then(request, super::Reply(reply))
    });
    let response = answer.await.unwrap_or_else(|_| {
        Response::json(
            500,
            &serde_json::json!({"error": "the request handler failed"}),
        )
    });
    body::into_hyper(response, state, &shared, !drained)
}

/// The headers as sent, and RFC 9112's framing rules that hyper leaves to
/// us. Header values must be UTF-8: the handler's headers are
/// `(String, String)`, and a lossy conversion would corrupt what a
/// signature covers, so a value that is not is refused with a 400.
fn framing(parts: &hyper::http::request::Parts, raw: &[u8]) -> Result<Vec<super::Header>, String> {
    let lines = match as_sent(parts, raw) {
        Some(lines) => lines,
        // A pipelined request (its head was read with the previous one):
        // hyper's view, which has already settled its framing.
        None => parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec()))
            .collect(),
    };
    let mut headers = Vec::with_capacity(lines.len());
    let mut lengths = Vec::new();
    let mut chunked = false;
    for (name, value) in lines {
        let text = String::from_utf8(value)
            .map_err(|_| format!("the value of header {name} is not UTF-8"))?;
        if name.eq_ignore_ascii_case("content-length") {
            lengths.extend(text.split(',').map(|v| v.trim().to_string()));
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = true;
        }
        headers.push((name, text));
    }
    if chunked && !lengths.is_empty() {
        return Err("Content-Length with Transfer-Encoding (ambiguous framing)".into());
    }
    if let Some(first) = lengths.first() {
        if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("Content-Length {first:?} is not a number"));
        }
        if lengths.iter().any(|l| l != first) {
            return Err("conflicting Content-Length headers".into());
        }
    }
    Ok(headers)
}

/// The header lines of `raw`'s first head, if it is the head hyper parsed
/// (same method and target).
fn as_sent(parts: &hyper::http::request::Parts, raw: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut slots = vec![httparse::EMPTY_HEADER; parts.headers.len() + 16];
    let mut request = httparse::Request::new(&mut slots);
    match request.parse(raw) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return None,
    }
    let target = parts.uri.path_and_query().map(|p| p.as_str());
    if request.method != Some(parts.method.as_str())
        || (parts.uri.scheme().is_none() && request.path != target)
    {
        return None;
    }
    Some(
        request
            .headers
            .iter()
            .map(|h| (h.name.to_string(), h.value.to_vec()))
            .collect(),
    )
}

/// The body, kept up to `max` bytes; past it, drained and counted up to
/// `DRAIN_LIMIT` more. Returns whether the body was read to its end.
async fn read_body(
    mut incoming: Incoming,
    declared: Option<u64>,
    max: u64,
) -> Result<(RequestBody, bool), hyper::Error> {
    if declared.is_some_and(|d| d > max.saturating_add(DRAIN_LIMIT)) {
        return Ok((RequestBody::TooLarge { received: 0 }, false));
    }
    let mut kept = Vec::with_capacity(declared.unwrap_or(0).min(max).min(1 << 20) as usize);
    let mut received: u64 = 0;
    while let Some(frame) = incoming.frame().await {
        let frame = frame?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        received += data.len() as u64;
        if received <= max {
            kept.extend_from_slice(&data);
        } else {
            kept = Vec::new();
            if received > max.saturating_add(DRAIN_LIMIT) {
                return Ok((RequestBody::TooLarge { received }, false));
            }
        }
    }
    if received > max {
        Ok((RequestBody::TooLarge { received }, true))
    } else {
        Ok((RequestBody::Complete(kept), true))
    }
}

/// A request the server answers itself (4xx) and closes.
fn reject(
    shared: &Shared,
    state: &Arc<ConnState>,
    remote: SocketAddr,
    status: u16,
    reason: &str,
) -> hyper::Response<OutBody> {
    shared.counters.bad_requests.fetch_add(1, Ordering::Relaxed);
    shared.handler.rejected(Some(remote), status, reason);
    state.linger.store(true, Ordering::Relaxed);
    let response = Response::json(status, &serde_json::json!({ "error": reason }));
    body::into_hyper(response, state.clone(), shared, true)
}

/// The socket, with the connection's read and write deadlines and byte count.
struct TimedIo {
    /// `None` once handed to the lingering close.
    stream: Option<TcpStream>,
    state: Arc<ConnState>,
    shared: Arc<Shared>,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    armed_for: Option<Instant>,
    /// The write deadline: armed when the socket takes nothing, disarmed
    /// when it takes something.
    write_sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    write_armed: bool,
}

impl TimedIo {
    /// Close now: quietly when idle, with a 408 when the client was late.
    fn expire(&mut self, why: Expiry) -> Poll<io::Result<()>> {
        match why {
            Expiry::Idle => Poll::Ready(Ok(())), // end of stream: hyper closes
            Expiry::Late(what) => {
                let reason = if self.state.evict.load(Ordering::Relaxed) {
                    format!("{what} (closed to make room for a new connection)")
                } else {
                    format!("{what} in time")
                };
                if let Some(stream) = &self.stream {
                    let _ = stream.try_write(&canned(408, "Request Timeout", &reason));
                }
                self.state.linger.store(true, Ordering::Relaxed);
                *lock(&self.state.closed_by_server) = Some((408, reason));
                Poll::Ready(Err(io::ErrorKind::TimedOut.into()))
            }
        }
    }

    /// A write's outcome, under the write deadline: a client that takes no
    /// byte of its answer for `write_timeout` has stopped reading, and
    /// would hold its connection (and a slot under the cap) forever.
    fn within_write_timeout<T>(
        &mut self,
        cx: &mut Context<'_>,
        outcome: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if outcome.is_ready() {
            self.write_armed = false;
            return outcome;
        }
        if !self.write_armed {
            let at = tokio::time::Instant::now() + self.shared.options.write_timeout;
            match &mut self.write_sleep {
                Some(sleep) => sleep.as_mut().reset(at),
                None => self.write_sleep = Some(Box::pin(tokio::time::sleep_until(at))),
            }
            self.write_armed = true;
        }
        match self.write_sleep.as_mut().map(|s| s.as_mut().poll(cx)) {
            Some(Poll::Ready(())) => {
                self.write_armed = false;
                self.shared.counters.stalled.fetch_add(1, Ordering::Relaxed);
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client took no byte of the answer in time",
                )))
            }
            _ => Poll::Pending,
        }
    }
}

impl AsyncRead for TimedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let Some(stream) = this.stream.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        match Pin::new(stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let n = buf.filled().len() - before;
                if n > 0 {
                    this.shared
                        .counters
                        .bytes_received
                        .fetch_add(n as u64, Ordering::Relaxed);
                    this.state.on_bytes(&buf.filled()[before..]);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => {
                let Some((deadline, why)) = this.state.deadline() else {
                    this.sleep = None;
                    this.armed_for = None;
                    return Poll::Pending;
                };
                if this.state.evict.load(Ordering::Relaxed) {
                    return this.expire(why);
                }
                *lock(&this.state.waker) = Some(cx.waker().clone());
                if this.armed_for != Some(deadline) {
                    let at = tokio::time::Instant::from_std(deadline);
                    match &mut this.sleep {
                        Some(sleep) => sleep.as_mut().reset(at),
                        None => this.sleep = Some(Box::pin(tokio::time::sleep_until(at))),
                    }
                    this.armed_for = Some(deadline);
                }
                match this.sleep.as_mut().map(|s| s.as_mut().poll(cx)) {
                    Some(Poll::Ready(())) => this.expire(why),
                    _ => Poll::Pending,
                }
            }
            other => other,
        }
    }
}

fn gone() -> io::Error {
    io::ErrorKind::NotConnected.into()
}

impl AsyncWrite for TimedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let outcome = match this.stream.as_mut() {
            Some(s) => Pin::new(s).poll_write(cx, buf),
            None => Poll::Ready(Err(gone())),
        };
        this.within_write_timeout(cx, outcome)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let outcome = match this.stream.as_mut() {
            Some(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            None => Poll::Ready(Err(gone())),
        };
        this.within_write_timeout(cx, outcome)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.is_write_vectored())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let outcome = match this.stream.as_mut() {
            Some(s) => Pin::new(s).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        };
        this.within_write_timeout(cx, outcome)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut().stream.as_mut() {
            Some(s) => Pin::new(s).poll_shutdown(cx),
            None => Poll::Ready(Ok(())),
        }
    }
}

/// How much a lingering close reads (and discards) before giving up.
const LINGER_BYTES: usize = 8 * 1024 * 1024;
const LINGER_TIME: Duration = Duration::from_secs(2);

impl Drop for TimedIo {
    /// Closing a socket with unread input sends a reset, which can destroy
    /// the answer the client has not read yet (a 431 to a client still
    /// sending its 4 MB head). So when the server ends a connection
    /// mid-request, it sends FIN and drains the input for a moment first.
    fn drop(&mut self) {
        let mid_request = !self.state.is_waiting() || self.state.linger.load(Ordering::Relaxed);
        let (Some(stream), true) = (self.stream.take(), mid_request) else {
            return;
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(linger(stream));
        }
    }
}

async fn linger(mut stream: TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let _ = tokio::time::timeout(LINGER_TIME, async {
        stream.shutdown().await?;
        let mut sink = vec![0u8; 16 * 1024];
        let mut drained = 0;
        while drained < LINGER_BYTES {
            match stream.read(&mut sink).await? {
                0 => break,
                n => drained += n,
            }
        }
        io::Result::Ok(())
    })
    .await;
}
