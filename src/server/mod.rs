//! The one HTTP/1.1 server layer behind `listen`, `directory serve` and the UI.
//!
//! hyper parses and frames requests on a small tokio runtime; the server
//! reads each body (bounded in size and time), then hands the complete
//! request to a synchronous [`Handler`] on a bounded pool of threads, so a
//! handler may block (wait for a group commit, forward to an app) without
//! stalling the reactor. What the layer guarantees, whatever clients do:
//!
//! - at most `max_connections` connections; past the cap a connection that
//!   is only idling or still sending its head is closed to make room (the
//!   longest waiting first), else the new one is answered 503 and closed;
//! - a head must arrive within `header_timeout` and a body within
//!   `body_timeout` (408 and close), an idle keep-alive connection is closed
//!   after `idle_timeout`; a client that takes no byte of an answer for
//!   `write_timeout` is dropped (it would hold its slot forever); no timer
//!   runs on an idle listener;
//! - strict framing (RFC 9112): conflicting or malformed `Content-Length`,
//!   `Content-Length` with `Transfer-Encoding`, a head over
//!   `max_header_bytes` (431), a header value or target that is not UTF-8:
//!   each gets a clear 4xx and the connection is closed;
//! - threads: the reactor's (at most 4), at most `workers` handler threads,
//!   and one per open streamed response (bounded by the connection cap).

mod body;
mod conn;
mod pool;

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

pub use crate::signature::Header;

/// One request, read completely (or known to be over the size limit).
#[derive(Debug)]
pub struct Request {
    /// Upper case.
    pub method: String,
    /// Path and query, as received.
    pub target: String,
    /// Received order, duplicates kept.
    pub headers: Vec<Header>,
    pub body: RequestBody,
    pub remote_addr: Option<SocketAddr>,
}

impl Request {
    /// The first value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::signature::header_value(&self.headers, name)
    }

    /// The target without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestBody {
    Complete(Vec<u8>),
    /// Over `max_body`: the body was drained (up to a bound) and not kept;
    /// `received` counts the body bytes that actually arrived.
    TooLarge {
        received: u64,
    },
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<Header>,
    pub body: ResponseBody,
}

pub enum ResponseBody {
    Bytes(Vec<u8>),
    /// Chunks written as they arrive until the sender is dropped (Server-Sent Events).
    /// Closed by the server on shutdown. A client that went away is noticed
    /// at the next chunk (its `send` fails), so send a heartbeat now and then.
    Stream(std::sync::mpsc::Receiver<Vec<u8>>),
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: ResponseBody::Bytes(body.into()),
        }
    }

    /// `Content-Type: application/json`.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, value.to_string()).with_header("Content-Type", "application/json")
    }

    /// A streamed response (no length: chunked), e.g. `text/event-stream`.
    pub fn stream(status: u16, chunks: std::sync::mpsc::Receiver<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: ResponseBody::Stream(chunks),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// Where a handler's answer goes. Dropped unanswered (a panic, a bug), the
/// client gets a 500.
pub struct Reply(tokio::sync::oneshot::Sender<Response>);

impl Reply {
    pub fn send(self, response: Response) {
        // The connection may be gone: nobody left to answer.
        let _ = self.0.send(response);
    }
}

pub trait Handler: Send + Sync + 'static {
    fn handle(&self, request: Request) -> Response;
    /// Answer now or later, from any thread: a handler that waits for
    /// something (a group commit) can hand `reply` on and free its thread.
    /// By default, `handle`'s answer, now.
    fn handle_then(&self, request: Request, reply: Reply) {
        reply.send(self.handle(request))
    }
    /// Called on a handler thread after each request it handled; `idle`:
    /// no other request is waiting for a handler thread. A handler that
    /// batches work (a group commit) does it when idle, so one batch
    /// gathers everything the requests in progress brought.
    fn after_request(&self, _idle: bool) {}
    /// A request the server layer answered itself (bad framing, 408, 431...), for a log line.
    /// Called on the server's own threads: must not block.
    fn rejected(&self, _remote: Option<SocketAddr>, _status: u16, _reason: &str) {}
}

/// How long a request waited in the server before its handler ran.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    /// From the end of the head to the end of the body.
    pub body: Duration,
    /// From the complete request to a handler thread taking it.
    pub queued: Duration,
}

/// Inside [`Handler::handle`]: the server-side timing of the request being handled.
pub fn timing() -> Option<Timing> {
    pool::current()
}

/// Limits. `Default` is sized for a laptop.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Largest body kept, in bytes (larger: [`RequestBody::TooLarge`]).
    pub max_body: u64,
    pub max_connections: usize,
    /// Request line and headers together (431 past it).
    pub max_header_bytes: usize,
    /// From the connection's start (or a keep-alive request's first byte) to the end of its head.
    pub header_timeout: Duration,
    /// From the end of the head to the end of the body.
    pub body_timeout: Duration,
    /// A keep-alive connection waiting for its next request.
    pub idle_timeout: Duration,
    /// An answer the client takes no byte of for this long (it stopped
    /// reading): the connection is closed.
    pub write_timeout: Duration,
    /// Most handler threads (started as needed, kept while the server runs).
    pub workers: usize,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            max_body: 10 * 1024 * 1024,
            max_connections: 512,
            max_header_bytes: 64 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            workers: 32,
        }
    }
}

/// Counts since the server started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ServerStats {
    /// Connections answered 503 at the connection cap.
    pub refused: u64,
    /// Requests answered 408 (head or body not received in time).
    pub timed_out: u64,
    /// Connections closed at the cap to make room for a new one (slow
    /// ones answered 408 first; idle keep-alive ones closed quietly).
    pub evicted: u64,
    /// Requests answered 4xx by the server itself for their framing (400, 413 undrainable, 431).
    pub bad_requests: u64,
    /// Connections closed because the client took no byte of an answer
    /// for `write_timeout`.
    pub stalled: u64,
    /// Bytes read from clients (heads and bodies, as received).
    pub bytes_received: u64,
    /// Connections accepted.
    pub connections: u64,
}

#[derive(Debug)]
pub enum BindError {
    InUse,
    Other(String),
}

impl std::fmt::Display for BindError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BindError::InUse => write!(f, "address in use"),
            BindError::Other(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BindError {}

/// A bound listener, not serving yet.
pub struct Bound {
    listener: tokio::net::TcpListener,
    runtime: tokio::runtime::Runtime,
    addr: SocketAddr,
    options: ServerOptions,
}

/// Bind `host:port` (port 0: a free one).
pub fn bind(host: &str, port: u16, options: ServerOptions) -> Result<Bound, BindError> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| BindError::Other(format!("cannot resolve {host}: {e}")))?
        .collect();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("dsync-http")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| BindError::Other(format!("cannot start the server runtime: {e}")))?;
    let _context = runtime.enter();
    let mut last = BindError::Other(format!("{host} resolves to no address"));
    for addr in addrs {
        match listen_on(addr) {
            Ok(listener) => {
                let addr = listener
                    .local_addr()
                    .map_err(|e| BindError::Other(e.to_string()))?;
                drop(_context);
                return Ok(Bound {
                    listener,
                    runtime,
                    addr,
                    options,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = BindError::InUse,
            Err(e) => last = BindError::Other(e.to_string()),
        }
    }
    Err(last)
}

fn listen_on(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    // A deep backlog, so a burst of new connections waits in the kernel
    // for the accept loop rather than being reset.
    socket.listen(1024)
}

impl Bound {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn serve(self, handler: Arc<dyn Handler>) -> Running {
        let (shutdown, _) = tokio::sync::watch::channel(false);
        let shared = Arc::new(Shared {
            pool: pool::Pool::new(self.options.workers.max(1), {
                let handler = handler.clone();
                Box::new(move |idle| handler.after_request(idle))
            }),
            options: self.options,
            handler,
            counters: Counters::default(),
            open: Mutex::new(conn::Registry::default()),
            closed: Condvar::new(),
            shutdown,
        });
        let (accept_done, accept) = std::sync::mpsc::channel();
        self.runtime.spawn({
            let shared = shared.clone();
            async move {
                accept_loop(shared, self.listener).await;
                let _ = accept_done.send(());
            }
        });
        Running {
            addr: self.addr,
            shared,
            runtime: Some(self.runtime),
            accept,
        }
    }
}

/// A serving listener; [`Running::shutdown`] stops it (dropping it stops it at once).
pub struct Running {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    /// Signalled when the accept loop has ended (the listening socket is closed).
    accept: std::sync::mpsc::Receiver<()>,
}

impl Running {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn stats(&self) -> ServerStats {
        self.shared.counters.snapshot()
    }

    /// Stop accepting, let requests in flight finish (for at most `grace`),
    /// close streamed responses and idle connections.
    pub fn shutdown(mut self, grace: Duration) -> ServerStats {
        self.stop(grace);
        self.stats()
    }

    fn stop(&mut self, grace: Duration) {
        let Some(runtime) = self.runtime.take() else {
            return;
        };
        self.shared.shutdown.send_replace(true);
        // The listening socket is closed once the accept loop ends.
        let _ = self.accept.recv_timeout(Duration::from_secs(1));
        let deadline = Instant::now() + grace;
        let mut open = lock(&self.shared.open);
        while open.len() > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            open = self
                .shared
                .closed
                .wait_timeout(open, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        drop(open);
        self.shared.pool.close();
        // Whatever is left (a client that stopped sending, a handler stuck
        // past the grace) is dropped with the runtime; a caller on another
        // runtime's thread may not block, so there it is left to end alone.
        if tokio::runtime::Handle::try_current().is_ok() {
            runtime.shutdown_background();
        } else {
            runtime.shutdown_timeout(Duration::from_millis(100));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            self.shared.shutdown.send_replace(true);
            self.shared.pool.close();
            runtime.shutdown_background();
        }
    }
}

struct Shared {
    options: ServerOptions,
    handler: Arc<dyn Handler>,
    pool: pool::Pool,
    counters: Counters,
    open: Mutex<conn::Registry>,
    closed: Condvar,
    shutdown: tokio::sync::watch::Sender<bool>,
}

#[derive(Default)]
struct Counters {
    refused: AtomicU64,
    timed_out: AtomicU64,
    evicted: AtomicU64,
    bad_requests: AtomicU64,
    stalled: AtomicU64,
    bytes_received: AtomicU64,
    connections: AtomicU64,
}

impl Counters {
    fn snapshot(&self) -> ServerStats {
        ServerStats {
            refused: self.refused.load(Ordering::Relaxed),
            timed_out: self.timed_out.load(Ordering::Relaxed),
            evicted: self.evicted.load(Ordering::Relaxed),
            bad_requests: self.bad_requests.load(Ordering::Relaxed),
            stalled: self.stalled.load(Ordering::Relaxed),
            bytes_received: self.bytes_received.load(Ordering::Relaxed),
            connections: self.connections.load(Ordering::Relaxed),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

async fn accept_loop(shared: Arc<Shared>, listener: tokio::net::TcpListener) {
    let mut shutdown = shared.shutdown.subscribe();
    let stop = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = &mut stop => break,
        };
        match accepted {
            Ok((stream, remote)) => {
                let _ = stream.set_nodelay(true);
                conn::start(&shared, stream, remote);
            }
            // Out of file descriptors and the like: wait a little rather
            // than spin (only while the error lasts).
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

#[cfg(test)]
mod tests;
