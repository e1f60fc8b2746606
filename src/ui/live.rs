//! Live updates: one watcher thread polls the store's highest rowid on its
//! own read connection (whoever writes: this process's listener, another
//! `dsync listen`, `directory serve`, `simulate`) and pushes each new
//! capture's summary to every open Server-Sent Events stream.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, Once, Weak};
use std::time::{Duration, Instant};

use crate::store::Store;

use super::api;

/// How often the store is looked at: a new capture shows within this (plus
/// the page's fetch), well under the 200 ms promised.
const POLL: Duration = Duration::from_millis(100);
/// A comment line (`: ping`) this often keeps proxies from closing the
/// stream, and is what finds a stream whose page went away when no capture
/// arrives: the write fails, the server drops the stream, and the next
/// broadcast drops its subscriber. `DSYNC_UI_HEARTBEAT_MS` (hidden, for
/// tests) sets another interval; it is checked once per [`POLL`].
const PING: Duration = Duration::from_secs(15);
/// Frames queued for one slow page before it is dropped (its EventSource
/// reconnects and the page catches up from its newest row).
const QUEUE: usize = 1024;

pub struct Live {
    subscribers: Mutex<Vec<SyncSender<Vec<u8>>>>,
    watcher: Once,
}

impl Live {
    pub fn new() -> Live {
        Live {
            subscribers: Mutex::new(Vec::new()),
            watcher: Once::new(),
        }
    }

    /// A new stream: frames for it arrive on the receiver until the page goes away.
    pub fn subscribe(self: &Arc<Live>, store: &Store) -> Receiver<Vec<u8>> {
        self.watcher.call_once(|| {
            let live = Arc::downgrade(self);
            let store = store.clone();
            let spawned = std::thread::Builder::new()
                .name("dsync-ui-live".into())
                .spawn(move || watch(live, store));
            if let Err(e) = spawned {
                eprintln!("warning: the inspector cannot watch the store: {e}");
            }
        });
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        // Reconnect quickly after a restart of the listener.
        let _ = tx.try_send(b"retry: 1000\n: connected\n\n".to_vec());
        self.subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }

    fn broadcast(&self, frame: &[u8]) {
        let mut subscribers = self.subscribers.lock().unwrap_or_else(|e| e.into_inner());
        subscribers.retain(|tx| match tx.try_send(frame.to_vec()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => false,
        });
    }

    fn has_subscribers(&self) -> bool {
        !self
            .subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }
}

/// [`PING`], unless `DSYNC_UI_HEARTBEAT_MS` is a positive number of milliseconds.
fn heartbeat_interval() -> Duration {
    std::env::var("DSYNC_UI_HEARTBEAT_MS")
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map_or(PING, Duration::from_millis)
}

/// Runs until the inspector is dropped.
fn watch(live: Weak<Live>, store: Store) {
    let heartbeat = heartbeat_interval();
    let conn = match store.connection() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("warning: the inspector cannot watch the store: {e}");
            return;
        }
    };
    let mut last = api::max_rowid(&conn).unwrap_or(0);
    let mut pinged = Instant::now();
    loop {
        std::thread::sleep(POLL);
        let Some(live) = live.upgrade() else { return };
        if !live.has_subscribers() {
            // Nobody to tell: skip ahead, the pages fetch what they need on connect.
            last = api::max_rowid(&conn).unwrap_or(last);
            continue;
        }
        match api::newer_summaries(&conn, last) {
            Ok(summaries) => {
                for (rowid, summary) in summaries {
                    last = last.max(rowid);
                    live.broadcast(
                        format!("id: {rowid}\nevent: capture\ndata: {summary}\n\n").as_bytes(),
                    );
                }
            }
            Err(e) => eprintln!("warning: the inspector cannot read the store: {e}"),
        }
        if pinged.elapsed() >= heartbeat {
            pinged = Instant::now();
            live.broadcast(b": ping\n\n");
        }
    }
}
