//! Bare no-op HTTP servers for `benches/listen-compare.sh`: the same
//! answer (`200 {"received":true}`, body read in full) from bare tiny_http,
//! bare hyper, and dsync's own server layer (hyper + the handler pool), so
//! the bench can show what the layer and `listen`'s work each cost.
//!
//! Usage: noop-servers tiny|hyper|dsync PORT   (prints "ready" once listening)

use std::sync::Arc;

const ANSWER: &[u8] = br#"{"received":true}"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes --bench; ignore anything that is not ours.
    let kind = args.get(1).map(String::as_str).unwrap_or("");
    let port: u16 = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(0);
    match kind {
        "tiny" => tiny(port),
        "hyper" => hyper_noop(port),
        "dsync" => dsync_noop(port),
        _ => eprintln!("usage: noop-servers tiny|hyper|dsync PORT"),
    }
}

/// tiny_http as `listen` used it: 16 threads taking requests from one server.
fn tiny(port: u16) {
    let server = Arc::new(tiny_http::Server::http(("127.0.0.1", port)).expect("bind"));
    println!("ready");
    let workers: Vec<_> = (0..16)
        .map(|_| {
            let server = server.clone();
            std::thread::spawn(move || loop {
                let Ok(mut request) = server.recv() else {
                    return;
                };
                let mut body = Vec::new();
                let _ = request.as_reader().read_to_end(&mut body);
                let response = tiny_http::Response::from_data(ANSWER).with_header(
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap(),
                );
                let _ = request.respond(response);
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
}

/// hyper 1 on the same runtime size as dsync's layer, answering on the reactor.
fn hyper_noop(port: u16) {
    use http_body_util::{BodyExt, Full};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(1, 4),
        )
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind");
        println!("ready");
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    |req: hyper::Request<hyper::body::Incoming>| async move {
                        let _ = req.into_body().collect().await;
                        let mut response =
                            hyper::Response::new(Full::new(bytes::Bytes::from_static(ANSWER)));
                        response.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            hyper::header::HeaderValue::from_static("application/json"),
                        );
                        Ok::<_, std::convert::Infallible>(response)
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

struct Noop;

impl dsync::server::Handler for Noop {
    fn handle(&self, _request: dsync::server::Request) -> dsync::server::Response {
        dsync::server::Response::new(200, ANSWER).with_header("Content-Type", "application/json")
    }
}

/// dsync's server layer with a handler that does nothing.
fn dsync_noop(port: u16) {
    let bound = dsync::server::bind("127.0.0.1", port, dsync::server::ServerOptions::default())
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let _running = bound.serve(Arc::new(Noop));
    println!("ready");
    loop {
        std::thread::park();
    }
}
