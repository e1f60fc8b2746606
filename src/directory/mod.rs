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
pub mod db;
pub mod delivery;
pub mod http;
pub mod mapping;
pub mod scim;
pub mod service;
pub mod storage;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

pub use delivery::{DeliveryOptions, DeliveryRecord, DeliveryReport, Target};
pub use service::Emitted;

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
    )?;
    let directory = Arc::new(directory);
    let delivery_observer: Option<delivery::Observer> = options.observer.clone().map(|o| {
        let f: delivery::Observer =
            Arc::new(move |r: &DeliveryRecord| o(&Record::Delivery(r.clone())));
        f
    });
    let engine = delivery::Engine::start(
        options.store.clone(),
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
    let (directory, _) =
        service::Directory::open(store, None, targets, Arc::new(signing), false, false)?;
    Ok(Arc::new(directory))
}
