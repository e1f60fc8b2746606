//! Answers on the wire: a complete body, or a stream of chunks (SSE) that
//! ends when its sender is dropped or the server shuts down.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use hyper::header::{HeaderName, HeaderValue};

use super::conn::ConnState;
use super::{Response, ResponseBody, Shared};

/// A response body; when hyper is done with it, the connection goes back
/// to waiting for its next request (and its idle deadline).
pub(super) struct OutBody {
    kind: Kind,
    state: Arc<ConnState>,
}

enum Kind {
    Full(Option<Bytes>),
    Stream {
        chunks: tokio::sync::mpsc::Receiver<Vec<u8>>,
        shutdown: Pin<Box<dyn Future<Output = ()> + Send + Sync>>,
    },
}

impl Drop for OutBody {
    fn drop(&mut self) {
        self.state.answered();
    }
}

impl Body for OutBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        let next = match &mut this.kind {
            Kind::Full(bytes) => return Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Kind::Stream { chunks, shutdown } => {
                if shutdown.as_mut().poll(cx).is_ready() {
                    None
                } else {
                    match chunks.poll_recv(cx) {
                        Poll::Ready(chunk) => chunk,
                        Poll::Pending => return Poll::Pending,
                    }
                }
            }
        };
        match next {
            Some(chunk) => Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk))))),
            None => {
                this.kind = Kind::Full(None);
                Poll::Ready(None)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.kind, Kind::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            Kind::Full(None) => SizeHint::with_exact(0),
            Kind::Stream { .. } => SizeHint::default(),
        }
    }
}

/// An empty answer for a connection that is already being closed.
pub(super) fn empty(state: Arc<ConnState>) -> hyper::Response<OutBody> {
    let mut response = hyper::Response::new(OutBody {
        kind: Kind::Full(None),
        state,
    });
    *response.status_mut() = hyper::StatusCode::REQUEST_TIMEOUT;
    response
}

/// The handler's answer for hyper. Framing headers are hyper's to write
/// (from the body), so the handler's `Content-Length`/`Transfer-Encoding`
/// are dropped; `close` ends the connection after this answer.
pub(super) fn into_hyper(
    response: Response,
    state: Arc<ConnState>,
    shared: &Shared,
    close: bool,
) -> hyper::Response<OutBody> {
    let kind = match response.body {
        ResponseBody::Bytes(bytes) => Kind::Full(Some(Bytes::from(bytes))),
        ResponseBody::Stream(chunks) => Kind::Stream {
            chunks: bridge(chunks),
            shutdown: {
                let mut stop = shared.shutdown.subscribe();
                Box::pin(async move {
                    let _ = stop.wait_for(|stop| *stop).await;
                })
            },
        },
    };
    let mut out = hyper::Response::new(OutBody { kind, state });
    *out.status_mut() = hyper::StatusCode::from_u16(response.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = out.headers_mut();
    for (name, value) in &response.headers {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value))
                if name != hyper::header::CONTENT_LENGTH
                    && name != hyper::header::TRANSFER_ENCODING =>
            {
                headers.append(name, value);
            }
            _ => {}
        }
    }
    if close {
        headers.insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    }
    out
}

/// A handler's chunks come through a blocking channel; one thread per
/// streamed answer moves them to the reactor. It ends when the handler
/// drops its sender, or at the first chunk after the client went away.
fn bridge(chunks: std::sync::mpsc::Receiver<Vec<u8>>) -> tokio::sync::mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let spawned = std::thread::Builder::new()
        .name("dsync-stream".into())
        .spawn(move || {
            while let Ok(chunk) = chunks.recv() {
                if tx.blocking_send(chunk).is_err() {
                    break;
                }
            }
        });
    // Out of threads: the stream ends at once (its receiver is dropped with `tx`).
    drop(spawned);
    rx
}
