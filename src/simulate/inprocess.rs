//! The in-process directory a simulation drives by default: started on a free
//! loopback port over a store of its own (a temporary folder unless
//! `--state DIR`), delivering to the app, observed for the summary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::report::Deliveries;
use crate::commands::Signing;
use crate::directory::{
    self, DeliveryOptions, DirectoryOptions, Record, RunningDirectory, Sources, Target,
};
use crate::error::{Error, Result, ResultExt};
use crate::store::{captures, Store};

/// A folder removed when dropped (the directory's temporary state).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Result<TempDir> {
        let name = format!(
            "dsync-simulate-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).io_err(format!(
            "cannot create a temporary folder {}",
            path.display()
        ))?;
        Ok(TempDir(path))
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the observer counted while the directory ran.
#[derive(Default)]
struct Tally {
    events_by_code: BTreeMap<String, u64>,
    /// Final outcome of each delivery (`200`, `failed (503)`, `gone (410)`).
    outcomes: BTreeMap<String, u64>,
    attempts: u64,
}

/// What `start` needs from the command line.
pub struct Settings {
    pub state: Option<PathBuf>,
    pub org: String,
    pub provider: &'static str,
    pub url: String,
    pub signing: Signing,
    pub delivery: DeliveryOptions,
    /// The directory's clock and ids.
    pub sources: Sources,
}

pub struct InProcess {
    pub running: RunningDirectory,
    pub store: Store,
    /// Rowid of the store's last capture before this run (events after it are this run's).
    pub first_rowid: i64,
    tally: Arc<Mutex<Tally>>,
    _temp: Option<TempDir>,
}

impl InProcess {
    pub fn start(settings: Settings) -> Result<InProcess> {
        let temp = match settings.state {
            Some(_) => None,
            None => Some(TempDir::new()?),
        };
        let dir = settings
            .state
            .clone()
            .unwrap_or_else(|| temp.as_ref().expect("made above").path().to_path_buf());
        let store = Store::open(&dir)?;
        let first_rowid = captures::max_rowid(&store.connection()?)?;
        let tally = Arc::new(Mutex::new(Tally::default()));
        let observer: directory::Observer = {
            let tally = tally.clone();
            Arc::new(move |record: &Record| {
                let mut t = tally.lock().expect("tally");
                match record {
                    Record::Event(e) => *t.events_by_code.entry(e.code.clone()).or_default() += 1,
                    Record::Delivery(d) => {
                        t.attempts += 1;
                        let outcome = match (d.outcome, d.status) {
                            ("delivered", Some(s)) => Some(s.to_string()),
                            ("failed", Some(s)) => Some(format!("failed ({s})")),
                            ("failed", None) => Some("failed (no answer)".to_string()),
                            ("gone", _) => Some("gone (410)".to_string()),
                            _ => None, // a retry, or a chaos duplicate
                        };
                        if let Some(o) = outcome {
                            *t.outcomes.entry(o).or_default() += 1;
                        }
                    }
                    Record::Request(_) => {}
                }
            })
        };
        let mut options = DirectoryOptions::new(store.clone(), settings.signing);
        options.org = settings.org.split('.').next().unwrap_or("acme").to_string();
        options.provider = settings.provider.to_string();
        options.targets = vec![Target::new(&settings.url, &[])?];
        options.delivery = settings.delivery;
        options.sources = settings.sources;
        options.observer = Some(observer);
        let running = directory::start(options)?;
        // A first start's activation event is committed before the observer sees anything.
        {
            let mut t = tally.lock().expect("tally");
            for e in &running.started_events {
                *t.events_by_code.entry(e.code.clone()).or_default() += 1;
            }
        }
        Ok(InProcess {
            running,
            store,
            first_rowid,
            tally,
            _temp: temp,
        })
    }

    /// Wait for every delivery to be delivered or given up; what the run delivered.
    /// Past `timeout`, what is still pending counts as never acknowledged.
    pub fn settle(&self, timeout: Duration) -> Result<Deliveries> {
        let report = match self.running.wait_settled(timeout) {
            Ok(report) => report,
            Err(e) if e.exit == crate::error::Exit::Timeout => self.running.report()?,
            Err(e) => return Err(e),
        };
        let t = self.tally.lock().expect("tally");
        Ok(Deliveries {
            events_by_code: t.events_by_code.clone(),
            deliveries_by_status: t.outcomes.clone(),
            attempts: report.attempts.max(t.attempts),
            unacknowledged: report.failed + report.pending,
            p50_ms: report.latency_p50_ms,
            p99_ms: report.latency_p99_ms,
        })
    }

    pub fn export(&self) -> Result<serde_json::Value> {
        self.running.export()
    }

    pub fn shutdown(self) -> Result<()> {
        self.running
            .shutdown()
            .map(|_| ())
            .map_err(|e| Error::io(anyhow::anyhow!("cannot stop the in-process directory: {e}")))
    }
}
