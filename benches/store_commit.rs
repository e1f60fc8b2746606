//! What one saved capture costs the store alone, by commit size: the time
//! to build its row (`to_save`) and to commit it in batches of 1 to 64 rows,
//! through the same writer `listen` uses, on the disk (under ./target, not
//! tmpfs), with and without `--fsync`. No HTTP, no other thread: the
//! committing thread is the caller, so wall time is that thread's time.
//!
//!     cargo bench --bench store_commit [-- ROWS]
//!     BATCHES=6 FSYNC=no cargo bench --bench store_commit   (one line only)
//!
//! ROWS (default 20,000) captures per batch size, each a fresh store.
//! `listen` at 16 connections commits ~6 rows at a time.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use dsync::store::{Capture, Store};

const BATCHES: &[usize] = &[1, 6, 16, 64];

fn capture(n: usize) -> Capture {
    // The body store-compare.sh sends: 1 KiB, one code, one resource.
    let pad = "x".repeat(850);
    let body = format!(
        "{{\"code\":\"dir_sync.user.update.success\",\"data\":{{\"resource\":{{\"type\":\"user\",\"id\":\"u_{}\",\"email\":\"ada@example.com\"}},\"pad\":\"{pad}\"}}}}",
        n % 7
    );
    let headers = vec![
        ("host".to_string(), "127.0.0.1:8080".to_string()),
        ("content-type".to_string(), "application/json".to_string()),
        ("content-length".to_string(), body.len().to_string()),
    ];
    Capture::new("POST", "/", headers, body.as_bytes())
}

struct Figures {
    build_us: f64,
    commit_us: f64,
}

fn run(rows: usize, batch: usize, fsync: bool) -> Figures {
    let base = std::path::Path::new("target/store-commit-bench");
    std::fs::create_dir_all(base).expect("create target/store-commit-bench");
    let dir = tempfile::tempdir_in(base).expect("a temporary store folder");
    let store = Store::open(dir.path()).expect("open").with_fsync(fsync);
    let captures: Vec<Capture> = (0..rows).map(capture).collect();
    // The writer starts on the first save: not part of the figures.
    store.save(&capture(rows + 1)).expect("first save");

    let (done, committed) = mpsc::channel();
    let mut build = Duration::ZERO;
    let mut commit = Duration::ZERO;
    for chunk in captures.chunks(batch) {
        let t = Instant::now();
        let rows: Vec<_> = chunk
            .iter()
            .map(|c| store.to_save(c).expect("row"))
            .collect();
        build += t.elapsed();
        let t = Instant::now();
        for row in rows {
            let done = done.clone();
            row.queue(move |r| done.send(r.is_ok()).expect("bench alive"));
        }
        // Nothing else is on its way: this thread commits the batch now.
        store.flush(true);
        for _ in chunk {
            assert!(committed.recv().expect("committed"), "a commit failed");
        }
        commit += t.elapsed();
    }
    Figures {
        build_us: build.as_secs_f64() * 1e6 / rows as f64,
        commit_us: commit.as_secs_f64() * 1e6 / rows as f64,
    }
}

fn main() {
    let rows: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(|a| a.parse().expect("ROWS is a number"))
        .unwrap_or(20_000);
    println!("store commit path, {rows} captures of 1 KiB per line, store under ./target");
    println!(
        "{:>6} {:>7} {:>12} {:>13} {:>12}",
        "batch", "fsync", "row µs", "commit µs/row", "rows/s"
    );
    // BATCHES=6,16 and FSYNC=no|yes narrow the run (for a profiler).
    let batches: Vec<usize> = std::env::var("BATCHES")
        .map(|v| {
            v.split(',')
                .map(|b| b.parse().expect("BATCHES: numbers"))
                .collect()
        })
        .unwrap_or_else(|_| BATCHES.to_vec());
    let fsyncs: Vec<bool> = match std::env::var("FSYNC").as_deref() {
        Ok("no") => vec![false],
        Ok("yes") => vec![true],
        _ => vec![false, true],
    };
    for fsync in fsyncs {
        for &batch in &batches {
            // fsync with one-row commits is a disk benchmark: fewer rows.
            let n = if fsync && batch == 1 { rows / 20 } else { rows };
            let f = run(n, batch, fsync);
            println!(
                "{:>6} {:>7} {:>12.2} {:>13.2} {:>12.0}",
                batch,
                if fsync { "yes" } else { "no" },
                f.build_us,
                f.commit_us,
                1e6 / f.commit_us
            );
        }
    }
}
