//! `dsync directory`: a local Cryptr Directory Sync. A SCIM 2.0 service
//! provider (users, groups, memberships in the store's database) whose every
//! change becomes the signed Cryptr webhook, committed to the event store
//! and the outbox with the change, then delivered to the app.
//!
//! - [`mapping`]: the SCIM → Cryptr attribute table (inferred);
//! - [`changes`]: which events a change sends, with its before/after;
//! - [`service`]: the operations, each one transaction;
//! - [`delivery`]: the outbox workers;
//! - [`http`]: SCIM over the shared server layer;
//! - [`scim`]: the protocol core (filters, PATCH, documents, errors).

pub mod changes;
pub mod clock;
pub mod db;
pub mod delivery;
pub mod http;
pub mod mapping;
pub mod scim;
pub mod service;
pub mod storage;
pub mod writer;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

pub use clock::{Clock, Ids};
pub use delivery::{DeliveryOptions, DeliveryRecord, DeliveryReport, Target};
pub use service::{Emitted, Sources};

use crate::commands::Signing;
use crate::error::{Error, Result};
use crate::server::{BindError, ServerOptions};
use crate::store::Store;

/// One SCIM request, as `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub duration_ms: f64,
    /// Codes of the events this request committed.
    pub events: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

/// What the directory reports while it runs.
#[derive(Debug, Clone)]
pub enum Record {
    Request(RequestRecord),
    Event(Emitted),
    Delivery(DeliveryRecord),
}

pub type Observer = Arc<dyn Fn(&Record) + Send + Sync>;

/// Everything `start` needs.
pub struct DirectoryOptions {
    pub host: String,
    /// 0: a free port.
    pub port: u16,
    /// `None` (and not `no_auth`): a random token is made for this run.
    pub token: Option<String>,
    pub no_auth: bool,
    pub store: Store,
    /// The organization slug (`__domain__`).
    pub org: String,
    pub environment: String,
    /// `data.provider` (`okta` is the only value Cryptr's samples show).
    pub provider: String,
    pub targets: Vec<Target>,
    pub signing: Signing,
    pub delivery: DeliveryOptions,
    /// Re-activation sends `dir_sync.user.activate.success` instead of a new provision.
    pub emit_activate_code: bool,
    /// Largest SCIM request body (413 above).
    pub max_body: u64,
    pub observer: Option<Observer>,
    /// The directory's clock and ids: real by default, fixed for a reproducible run.
    pub sources: Sources,
}

impl DirectoryOptions {
    /// Options for an in-process directory on a free loopback port.
    pub fn new(store: Store, signing: Signing) -> DirectoryOptions {
        DirectoryOptions {
            host: "127.0.0.1".into(),
            port: 0,
            token: None,
            no_auth: false,
            store,
            org: "acme".into(),
            environment: "sandbox".into(),
            provider: "okta".into(),
            targets: Vec::new(),
            signing,
            delivery: DeliveryOptions::default(),
            emit_activate_code: false,
            max_body: 1024 * 1024,
            observer: None,
            sources: Sources::default(),
        }
    }
}

/// A directory serving SCIM and delivering its events.
pub struct RunningDirectory {
    directory: Arc<service::Directory>,
    engine: delivery::Engine,
    server: crate::server::Running,
    scim_url: String,
    token: Option<String>,
    /// Events committed by `start` itself (the activation on a first start).
    pub started_events: Vec<Emitted>,
}

/// A random bearer token: 32 bytes, URL-safe base64.
pub fn new_token() -> String {
    use base64::Engine as _;
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Open the directory, start its delivery workers and serve SCIM.
pub fn start(options: DirectoryOptions) -> Result<RunningDirectory> {
    let signing = Arc::new(options.signing);
    let (directory, started_events) = service::Directory::open(
        options.store.clone(),
        Some(service::Names {
            org: options.org.clone(),
            environment: options.environment.clone(),
            provider: options.provider.clone(),
        }),
        options.targets.clone(),
        signing.clone(),
        options.emit_activate_code,
        true,
        options.sources,
    )?;
    let directory = Arc::new(directory);
    let delivery_observer: Option<delivery::Observer> = options.observer.clone().map(|o| {
        let f: delivery::Observer =
            Arc::new(move |r: &DeliveryRecord| o(&Record::Delivery(r.clone())));
        f
    });
    let engine = delivery::Engine::start(
        options.store.clone(),
        directory.writer(),
        &options.targets,
        signing,
        options.delivery.clone(),
        delivery_observer,
    )?;
    directory.set_wake(engine.waker());
    engine.wake();
    let server_options = ServerOptions {
        max_body: options.max_body,
        ..ServerOptions::default()
    };
    let bound =
        crate::server::bind(&options.host, options.port, server_options).map_err(|e| match e {
            BindError::InUse => Error::io(anyhow::anyhow!(
                "port {} is in use (try --port 0 for a free port)",
                options.port
            )),
            BindError::Other(detail) => Error::io(anyhow::anyhow!(
                "cannot listen on {}:{}: {detail}",
                options.host,
                options.port
            )),
        })?;
    let addr = bound.local_addr();
    let origin = format!("http://{addr}");
    let token = if options.no_auth {
        None
    } else {
        Some(options.token.unwrap_or_else(new_token))
    };
    let handler = http::ScimHandler {
        directory: directory.clone(),
        token: token.clone(),
        observer: options.observer.clone(),
        origin: origin.clone(),
    };
    let server = bound.serve(Arc::new(handler));
    Ok(RunningDirectory {
        directory,
        engine,
        server,
        scim_url: format!("{origin}{}", http::BASE_PATH),
        token,
        started_events,
    })
}

impl RunningDirectory {
    /// `http://127.0.0.1:PORT/scim/v2`.
    pub fn scim_url(&self) -> String {
        self.scim_url.clone()
    }

    /// The bearer token SCIM clients must send (`None` with `no_auth`).
    pub fn token(&self) -> Option<String> {
        self.token.clone()
    }

    pub fn directory_sync_id(&self) -> String {
        self.directory.identity.directory_sync_id.clone()
    }

    /// Wait until every outbox delivery is delivered or given up.
    pub fn wait_settled(&self, timeout: Duration) -> Result<DeliveryReport> {
        self.engine.wait_settled(timeout)
    }

    pub fn report(&self) -> Result<DeliveryReport> {
        self.engine.report()
    }

    /// The expected state an app should hold (`app_state` format).
    pub fn export(&self) -> Result<serde_json::Value> {
        self.directory
            .export()
            .map_err(|e| Error::io(anyhow::anyhow!("{}", e.detail)))
    }

    /// Stop serving (requests in flight finish), then stop delivering; what
    /// is not delivered stays in the outbox for the next start.
    pub fn shutdown(self) -> Result<DeliveryReport> {
        self.server.shutdown(Duration::from_secs(5));
        self.engine.shutdown()
    }
}

/// Open a directory without serving it and without activating it (`show`,
/// `export`, `deactivate`).
pub fn open(
    store: Store,
    signing: Signing,
    targets: Vec<Target>,
) -> Result<Arc<service::Directory>> {
    let (directory, _) = service::Directory::open(
        store,
        None,
        targets,
        Arc::new(signing),
        false,
        false,
        Sources::default(),
    )?;
    Ok(Arc::new(directory))
}

#[cfg(test)]
mod tests {
    //! The in-process API as `simulate` uses it, and the chaos knobs.
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::Mutex;

    /// A receiver answering 200 to everything, recording bodies in arrival order.
    fn receiver() -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let got: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let shared = got.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let got = shared.clone();
                std::thread::spawn(move || {
                    let mut w = stream.try_clone().unwrap();
                    let mut r = BufReader::new(stream);
                    loop {
                        let mut line = String::new();
                        if r.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let mut len = 0;
                        loop {
                            let mut h = String::new();
                            r.read_line(&mut h).unwrap();
                            if h.trim().is_empty() {
                                break;
                            }
                            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:")
                            {
                                len = v.trim().parse().unwrap();
                            }
                        }
                        let mut body = vec![0; len];
                        r.read_exact(&mut body).unwrap();
                        got.lock().unwrap().push(body);
                        let _ = w.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
                    }
                });
            }
        });
        (url, got)
    }

    fn signing() -> Signing {
        Signing::resolve(&Default::default(), &crate::config::Config::default()).unwrap()
    }

    /// Start a directory, create `n` users over SCIM, wait for the deliveries.
    fn run(
        n: usize,
        delivery: DeliveryOptions,
    ) -> (Vec<Vec<u8>>, DeliveryReport, serde_json::Value) {
        let dir = tempfile::tempdir().unwrap();
        let (url, got) = receiver();
        let mut options = DirectoryOptions::new(Store::open(dir.path()).unwrap(), signing());
        options.targets = vec![Target::parse(&url).unwrap()];
        options.delivery = delivery;
        let running = start(options).unwrap();
        let client = reqwest::blocking::Client::new();
        for i in 0..n {
            let body = serde_json::json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": format!("u{i}@example.com")});
            let resp = client
                .post(format!("{}/Users", running.scim_url()))
                .bearer_auth(running.token().unwrap())
                .body(body.to_string())
                .send()
                .unwrap();
            assert_eq!(resp.status().as_u16(), 201);
        }
        let report = running.wait_settled(Duration::from_secs(20)).unwrap();
        let state = running.export().unwrap();
        running.shutdown().unwrap();
        let bodies = got.lock().unwrap().clone();
        (bodies, report, state)
    }

    fn quick() -> DeliveryOptions {
        DeliveryOptions {
            retry_schedule: vec![
                Duration::ZERO,
                Duration::from_millis(20),
                Duration::from_millis(20),
            ],
            ..DeliveryOptions::default()
        }
    }

    fn issued(body: &[u8]) -> String {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        v["issued_at"].as_str().unwrap().to_string()
    }

    #[test]
    fn in_process_directory_delivers_everything_and_exports_its_state() {
        let (bodies, report, state) = run(5, quick());
        assert_eq!(bodies.len(), 6, "activation and five provisions");
        assert_eq!(report.delivered, 6);
        assert_eq!(report.pending, 0);
        assert_eq!(state["users"].as_object().unwrap().len(), 5);
    }

    #[test]
    fn fail_first_makes_every_event_arrive_twice() {
        let (bodies, report, _) = run(
            3,
            DeliveryOptions {
                fail_first: true,
                ..quick()
            },
        );
        assert_eq!(bodies.len(), 8, "each of the 4 events is tried twice");
        assert_eq!(report.delivered, 4);
        assert_eq!(report.attempts, 8);
    }

    #[test]
    fn duplicate_resends_a_share_of_the_events() {
        let (all, report, _) = run(
            9,
            DeliveryOptions {
                duplicate: 1.0,
                ..quick()
            },
        );
        assert_eq!(all.len(), 20, "every one of the 10 events twice");
        assert_eq!(report.duplicates, 10);
        let (none, _, _) = run(
            9,
            DeliveryOptions {
                duplicate: 0.0,
                ..quick()
            },
        );
        assert_eq!(none.len(), 10);
    }

    #[test]
    fn reorder_window_delivers_out_of_order() {
        let opts = || DeliveryOptions {
            reorder_window: 8,
            seed: 7,
            concurrency: 1,
            ..quick()
        };
        let (a, _, _) = run(15, opts());
        let order: Vec<String> = a.iter().map(|b| issued(b)).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order.len(), 16);
        assert_ne!(order, sorted, "some events overtook others");
        let (plain, _, _) = run(
            15,
            DeliveryOptions {
                concurrency: 1,
                ..quick()
            },
        );
        let plain: Vec<String> = plain.iter().map(|b| issued(b)).collect();
        let mut sorted = plain.clone();
        sorted.sort();
        assert_eq!(
            plain, sorted,
            "without the window, one at a time keeps commit order"
        );
    }
}
