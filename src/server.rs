//! The HTTP server behind `dsync listen`: tiny_http behind one small
//! interface, so the command never touches the library directly.

use std::io::Read;
use std::net::SocketAddr;

use crate::signature::Header;

/// A bound listener.
pub struct HttpServer {
    inner: tiny_http::Server,
    addr: SocketAddr,
}

/// Why binding failed.
#[derive(Debug)]
pub enum BindError {
    InUse,
    Other(String),
}

/// The body as read, bounded by a size limit.
pub enum ReadBody {
    Complete(Vec<u8>),
    /// Over the limit: only its (announced or counted) size is known.
    TooLarge(u64),
    Failed(String),
}

/// One received request, to be answered exactly once.
pub struct Incoming {
    inner: tiny_http::Request,
}

impl HttpServer {
    pub fn bind(host: &str, port: u16) -> Result<HttpServer, BindError> {
        let target = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let listener = std::net::TcpListener::bind(&target).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                BindError::InUse
            } else {
                BindError::Other(e.to_string())
            }
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| BindError::Other(e.to_string()))?;
        let inner = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| BindError::Other(e.to_string()))?;
        Ok(HttpServer { inner, addr })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The next request; `None` once [`HttpServer::unblock`] woke this
    /// caller up. (tiny_http's `recv_timeout` loses requests under
    /// concurrent keep-alive load — about 1 in 100 at 32 connections — so
    /// workers block in `recv` and are woken for shutdown instead of
    /// polling.)
    pub fn next(&self) -> Option<Incoming> {
        self.inner.recv().ok().map(|inner| Incoming { inner })
    }

    /// Keep at least about `threads` of tiny_http's connection threads idle
    /// and ready. Its pool spawns a thread for a new connection only when it
    /// counts no idle thread; connections arriving together while a few idle
    /// threads are counted are queued behind long-lived keep-alive
    /// connections and can wait until the sender times out. Opening and
    /// closing `threads` connections every second (idle threads live 5 s)
    /// keeps enough threads waiting for most bursts, and each round's new
    /// threads also drain whatever was queued, so a stall lasts a second at
    /// most. A workaround for tiny_http 0.12; it ends with the process.
    pub fn keep_threads_ready(&self, threads: usize) {
        let mut target = self.addr;
        if target.ip().is_unspecified() {
            target.set_ip(if target.is_ipv4() {
                std::net::Ipv4Addr::LOCALHOST.into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            });
        }
        std::thread::spawn(move || loop {
            let warm: Vec<_> = (0..threads)
                .filter_map(|_| std::net::TcpStream::connect(target).ok())
                .collect();
            drop(warm);
            std::thread::sleep(std::time::Duration::from_secs(1));
        });
    }

    /// Wake one caller blocked in [`HttpServer::next`].
    pub fn unblock(&self) {
        self.inner.unblock();
    }
}

impl Incoming {
    pub fn method(&self) -> String {
        self.inner.method().as_str().to_uppercase()
    }

    /// Path and query, as received.
    pub fn url(&self) -> &str {
        self.inner.url()
    }

    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.inner.remote_addr().copied()
    }

    /// Headers in received order, duplicates kept.
    pub fn headers(&self) -> Vec<Header> {
        self.inner
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_string(),
                    h.value.as_str().to_string(),
                )
            })
            .collect()
    }

    /// Read the body, stopping past `limit` bytes.
    pub fn read_body(&mut self, limit: u64) -> ReadBody {
        if let Some(len) = self.inner.body_length() {
            if len as u64 > limit {
                return ReadBody::TooLarge(len as u64);
            }
        }
        let mut buf = Vec::new();
        let reader = self.inner.as_reader();
        match reader.take(limit + 1).read_to_end(&mut buf) {
            Ok(n) if n as u64 > limit => {
                // Drain the rest to count it (bounded by what the client sends).
                let rest = std::io::copy(reader, &mut std::io::sink()).unwrap_or(0);
                ReadBody::TooLarge(n as u64 + rest)
            }
            Ok(_) => ReadBody::Complete(buf),
            Err(e) => ReadBody::Failed(e.to_string()),
        }
    }

    /// Answer and consume the request.
    pub fn respond(self, status: u16, headers: &[Header], body: Vec<u8>) {
        let mut response = tiny_http::Response::from_data(body).with_status_code(status);
        for (name, value) in headers {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        // The sender may have gone away; nothing to do about it here.
        let _ = self.inner.respond(response);
    }
}
