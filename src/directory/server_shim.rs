//! TEMPORARY stand-in for the `server` branch's server layer (PLAN.md's
//! `Handler` / `bind` / `Running` shape) on tiny_http, so the directory runs
//! end to end until `[ready:server-api]` is merged. Deleted at that merge.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use crate::signature::Header;

pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<Header>,
    pub body: RequestBody,
    pub remote_addr: Option<SocketAddr>,
}

pub enum RequestBody {
    Complete(Vec<u8>),
    TooLarge { received: u64 },
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<Header>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

pub trait Handler: Send + Sync + 'static {
    fn handle(&self, request: Request) -> Response;
}

#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub max_body: u64,
    pub max_connections: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            max_body: 10 * 1024 * 1024,
            max_connections: 1024,
        }
    }
}

pub enum BindError {
    InUse,
    Other(String),
}

pub struct Bound {
    server: Arc<tiny_http::Server>,
    addr: SocketAddr,
    options: ServerOptions,
}

pub fn bind(host: &str, port: u16, options: ServerOptions) -> Result<Bound, BindError> {
    let listener = std::net::TcpListener::bind((host, port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            BindError::InUse
        } else {
            BindError::Other(e.to_string())
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| BindError::Other(e.to_string()))?;
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| BindError::Other(e.to_string()))?;
    Ok(Bound {
        server: Arc::new(server),
        addr,
        options,
    })
}

pub struct Running {
    server: Arc<tiny_http::Server>,
    addr: SocketAddr,
    threads: Vec<std::thread::JoinHandle<()>>,
}

const WORKERS: usize = 16;

impl Bound {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn serve(self, handler: Arc<dyn Handler>) -> Running {
        let threads = (0..WORKERS)
            .map(|_| {
                let server = self.server.clone();
                let handler = handler.clone();
                let max = self.options.max_body;
                std::thread::spawn(move || {
                    while let Ok(mut req) = server.recv() {
                        let headers: Vec<Header> = req
                            .headers()
                            .iter()
                            .map(|h| {
                                (
                                    h.field.as_str().as_str().to_string(),
                                    h.value.as_str().to_string(),
                                )
                            })
                            .collect();
                        let mut buf = Vec::new();
                        let _ = req.as_reader().take(max + 1).read_to_end(&mut buf);
                        let body = if buf.len() as u64 > max {
                            RequestBody::TooLarge {
                                received: buf.len() as u64,
                            }
                        } else {
                            RequestBody::Complete(buf)
                        };
                        let request = Request {
                            method: req.method().as_str().to_uppercase(),
                            target: req.url().to_string(),
                            headers,
                            body,
                            remote_addr: req.remote_addr().copied(),
                        };
                        let response = handler.handle(request);
                        let mut out = tiny_http::Response::from_data(response.body)
                            .with_status_code(response.status);
                        for (n, v) in &response.headers {
                            if let Ok(h) = tiny_http::Header::from_bytes(n.as_bytes(), v.as_bytes())
                            {
                                out.add_header(h);
                            }
                        }
                        let _ = req.respond(out);
                    }
                })
            })
            .collect();
        Running {
            server: self.server,
            addr: self.addr,
            threads,
        }
    }
}

impl Running {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn shutdown(self, _grace: Duration) {
        for _ in &self.threads {
            self.server.unblock();
        }
        for t in self.threads {
            let _ = t.join();
        }
    }
}
