//! The server layer on its own, over raw TCP (listen's tests drive it through the binary).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;

/// Answers every request with an event stream and keeps its sender, so
/// the stream stays open until the server closes it.
struct Streams {
    senders: Mutex<Vec<mpsc::Sender<Vec<u8>>>>,
    seen: Mutex<Vec<Request>>,
}

impl Handler for Streams {
    fn handle(&self, request: Request) -> Response {
        let stream = request.path() == "/events";
        self.seen.lock().unwrap().push(request);
        if !stream {
            return Response::new(200, "ok");
        }
        let (tx, rx) = mpsc::channel();
        tx.send(b"data: first\n\n".to_vec()).unwrap();
        self.senders.lock().unwrap().push(tx);
        Response::stream(200, rx).with_header("Content-Type", "text/event-stream")
    }
}

fn start() -> (Running, Arc<Streams>) {
    let handler = Arc::new(Streams {
        senders: Mutex::new(Vec::new()),
        seen: Mutex::new(Vec::new()),
    });
    let bound = bind("127.0.0.1", 0, ServerOptions::default()).unwrap();
    (bound.serve(handler.clone()), handler)
}

fn read_until(sock: &mut TcpStream, needle: &[u8]) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(needle.len()).any(|w| w == needle) {
        let n = sock.read(&mut buf).unwrap();
        assert!(n > 0, "closed before {needle:?}: {got:?}");
        got.extend_from_slice(&buf[..n]);
    }
    got
}

#[test]
fn a_stream_sends_chunks_as_they_come_and_shutdown_ends_it() {
    let (running, handler) = start();
    let mut sock = TcpStream::connect(running.local_addr()).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    sock.write_all(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let head = read_until(&mut sock, b"data: first\n\n");
    let text = String::from_utf8_lossy(&head).to_lowercase();
    assert!(text.contains("content-type: text/event-stream"), "{text}");
    assert!(text.contains("transfer-encoding: chunked"), "{text}");

    handler.senders.lock().unwrap()[0]
        .send(b"data: second\n\n".to_vec())
        .unwrap();
    read_until(&mut sock, b"data: second\n\n");

    // The handler still holds its sender: shutdown must end the stream itself.
    let started = Instant::now();
    let stats = running.shutdown(Duration::from_secs(3));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(stats.connections, 1);
    let mut rest = Vec::new();
    sock.read_to_end(&mut rest).unwrap();
    assert!(
        rest.ends_with(b"0\r\n\r\n"),
        "last chunk then close: {rest:?}"
    );
}

#[test]
fn headers_reach_the_handler_as_sent() {
    let (running, handler) = start();
    let mut sock = TcpStream::connect(running.local_addr()).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    sock.write_all(
        b"post /p?q=1 HTTP/1.1\r\nHost: x\r\nX-B: 1\r\nX-A: 2\r\nx-b: 3\r\nContent-Length: 2\r\n\r\n{}",
    )
    .unwrap();
    read_until(&mut sock, b"ok");
    let stats = running.shutdown(Duration::from_secs(1));
    let seen = handler.seen.lock().unwrap();
    let req = &seen[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/p?q=1");
    assert_eq!(req.body, RequestBody::Complete(b"{}".to_vec()));
    let names: Vec<&str> = req.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Host", "X-B", "X-A", "x-b", "Content-Length"]);
    assert!(stats.bytes_received > 60, "{stats:?}");
}

/// Answers `/later` from another thread after the handler returned, drops
/// the reply for `/never`, and counts `after_request` calls.
struct Later {
    after: Mutex<Vec<bool>>,
    called: std::sync::Condvar,
}

impl Later {
    /// Wait until `after_request` has run `n` times: an answer can reach
    /// the client before its handler thread is done with the request.
    fn wait_after(&self, n: usize) -> Vec<bool> {
        let after = self.after.lock().unwrap();
        let (after, _) = self
            .called
            .wait_timeout_while(after, Duration::from_secs(5), |a| a.len() < n)
            .unwrap();
        after.clone()
    }
}

impl Handler for Later {
    fn handle(&self, _request: Request) -> Response {
        Response::new(200, "now")
    }

    fn handle_then(&self, request: Request, reply: Reply) {
        match request.path() {
            "/later" => {
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(50));
                    reply.send(Response::new(201, "later"));
                });
            }
            "/never" => drop(reply),
            _ => reply.send(self.handle(request)),
        }
    }

    fn after_request(&self, idle: bool) {
        self.after.lock().unwrap().push(idle);
        self.called.notify_all();
    }
}

#[test]
fn a_reply_may_come_from_another_thread_and_a_dropped_one_is_a_500() {
    let handler = Arc::new(Later {
        after: Mutex::new(Vec::new()),
        called: std::sync::Condvar::new(),
    });
    let running = bind("127.0.0.1", 0, ServerOptions::default())
        .unwrap()
        .serve(handler.clone());
    for (n, (path, answer)) in [
        ("/later", "HTTP/1.1 201"),
        ("/never", "HTTP/1.1 500"),
        ("/now", "HTTP/1.1 200"),
    ]
    .into_iter()
    .enumerate()
    {
        // The next request only once the last one is done with (else it
        // may be waiting when the last one's `after_request` runs).
        assert_eq!(handler.wait_after(n).len(), n);
        let mut sock = TcpStream::connect(running.local_addr()).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        sock.write_all(request.as_bytes()).unwrap();
        let mut got = String::new();
        sock.read_to_string(&mut got).unwrap();
        assert!(got.starts_with(answer), "{path}: {got}");
    }
    running.shutdown(Duration::from_secs(1));
    // Once per request, each time with nothing else waiting.
    assert_eq!(handler.wait_after(3), [true, true, true]);
}

/// Answers every request with 16 MiB: more than the socket buffers hold.
struct Big;

impl Handler for Big {
    fn handle(&self, _request: Request) -> Response {
        Response::new(200, vec![b'x'; 16 << 20])
    }
}

#[test]
fn a_client_that_stops_reading_is_dropped_after_the_write_timeout_and_a_slow_one_is_not() {
    let options = ServerOptions {
        write_timeout: Duration::from_millis(300),
        ..ServerOptions::default()
    };
    let running = bind("127.0.0.1", 0, options).unwrap().serve(Arc::new(Big));
    let request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    // Slow but steady: pauses shorter than the timeout between reads.
    let mut slow = TcpStream::connect(running.local_addr()).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    slow.write_all(request).unwrap();
    let mut got = 0usize;
    let mut buf = vec![0u8; 1 << 20];
    while got < 16 << 20 {
        let n = slow.read(&mut buf).unwrap();
        assert!(n > 0, "closed after {got} bytes");
        got += n;
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(running.stats().stalled, 0);

    // Stopped: sends its request and never reads.
    let mut stopped = TcpStream::connect(running.local_addr()).unwrap();
    stopped.write_all(request).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while running.stats().stalled == 0 {
        assert!(Instant::now() < deadline, "never dropped");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The connection is closed: the client finds the end of what was sent
    // (or a reset), well short of 16 MiB.
    stopped
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut read = 0usize;
    loop {
        match stopped.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
    assert!(read < 16 << 20, "{read} bytes");
    assert_eq!(running.shutdown(Duration::from_secs(1)).stalled, 1);
}
