//! Where the directory gets its time and its ids: the wall clock and random
//! uuids by default; for a reproducible run (`simulate --seed S --now T`), a
//! clock that starts at T and moves a fixed step at each reading, and ids
//! drawn from S and a counter kept in the directory's own table (so that a
//! reused state never hands out an id twice). With the writes in the same
//! order, two such runs commit byte-identical events.
//!
//! The delivery retry clock is not this one: retries wait real time.

use std::sync::Mutex;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

use super::db;

/// How far a fixed clock moves at each reading: one millisecond, so that the
/// millisecond timestamps of SCIM `meta` still order the writes.
pub const STEP_US: i64 = 1000;

/// The directory's clock: every reading is later than the one before.
#[derive(Debug)]
pub struct Clock {
    /// `None`: the wall clock.
    start_us: Option<i64>,
    last_us: Mutex<i64>,
}

impl Clock {
    pub fn real() -> Clock {
        Clock {
            start_us: None,
            last_us: Mutex::new(0),
        }
    }

    /// A clock that reads `start_us` first, then one [`STEP_US`] more each time.
    pub fn fixed(start_us: i64) -> Clock {
        Clock {
            start_us: Some(start_us),
            last_us: Mutex::new(start_us - STEP_US),
        }
    }

    pub fn is_fixed(&self) -> bool {
        self.start_us.is_some()
    }

    /// Now, in microseconds since the epoch, strictly after the previous reading.
    pub fn tick_us(&self) -> i64 {
        let mut last = self.last_us.lock().unwrap_or_else(|p| p.into_inner());
        *last = match self.start_us {
            None => chrono::Utc::now().timestamp_micros().max(*last + 1),
            Some(_) => *last + STEP_US,
        };
        *last
    }

    /// Now as SCIM `meta` shows it: `2024-01-02T03:04:05.678Z`.
    pub fn tick_rfc3339(&self) -> String {
        format_ms(self.tick_us())
    }
}

/// `2024-01-02T03:04:05.678Z` (millisecond precision, UTC).
pub fn format_ms(us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Where resource ids (and the directory's own ids) come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// uuid v4 from the system's generator.
    Random,
    /// uuid-v4-shaped ids drawn from this seed and a counter.
    Seeded(u64),
}

/// The `directory_meta` key of the seeded id counter.
const COUNTER_KEY: &str = "seeded_id_counter";
/// Streams of the directory's own ids (resource ids use the counter's values).
const DIRECTORY_STREAM: u64 = u64::MAX;
const WEBHOOK_STREAM: u64 = u64::MAX - 1;

impl Ids {
    fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        rng
    }

    fn uuid_from(rng: &mut ChaCha8Rng) -> String {
        uuid::Builder::from_random_bytes(rng.gen())
            .into_uuid()
            .to_string()
    }

    /// A new user or group id, inside the write's transaction (a write that
    /// fails rolls the counter back with it).
    pub fn resource_id(&self, tx: &Connection) -> db::Sql<String> {
        match self {
            Ids::Random => Ok(uuid::Uuid::new_v4().to_string()),
            Ids::Seeded(seed) => {
                let n: u64 = db::meta_get(tx, COUNTER_KEY)?
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                db::meta_set(tx, COUNTER_KEY, &(n + 1).to_string())?;
                Ok(Self::uuid_from(&mut Self::rng(*seed, n)))
            }
        }
    }

    /// The directory's `directory_sync_id` (made once, on its first start).
    pub fn directory_id(&self) -> String {
        match self {
            Ids::Random => uuid::Uuid::new_v4().to_string(),
            Ids::Seeded(seed) => Self::uuid_from(&mut Self::rng(*seed, DIRECTORY_STREAM)),
        }
    }

    /// The `webhook_id` its events carry: `webhook_` and 27 base62 characters.
    pub fn webhook_id(&self) -> String {
        const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let tail = |rng: &mut dyn rand::RngCore| -> String {
            (0..27).map(|_| B62[rng.gen_range(0..62)] as char).collect()
        };
        let tail = match self {
            Ids::Random => tail(&mut rand::thread_rng()),
            Ids::Seeded(seed) => tail(&mut Self::rng(*seed, WEBHOOK_STREAM)),
        };
        format!("webhook_{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_starts_at_its_time_and_moves_one_step_per_reading() {
        let start = 1_700_000_000_000_000;
        let c = Clock::fixed(start);
        assert_eq!(c.tick_us(), start);
        assert_eq!(c.tick_us(), start + STEP_US);
        assert_eq!(c.tick_rfc3339(), "2023-11-14T22:13:20.002Z");
        let real = Clock::real();
        let (a, b) = (real.tick_us(), real.tick_us());
        assert!(b > a);
    }

    #[test]
    fn seeded_ids_follow_the_seed_and_the_counter() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(db::MIGRATION).unwrap();
        let ids = |seed| {
            let conn = Connection::open_in_memory().unwrap();
            conn.execute_batch(db::MIGRATION).unwrap();
            let s = Ids::Seeded(seed);
            (0..3)
                .map(|_| s.resource_id(&conn).unwrap())
                .collect::<Vec<_>>()
        };
        let a = ids(7);
        assert_eq!(a, ids(7));
        assert_ne!(a, ids(8));
        assert_eq!(a.len(), 3);
        assert!(a[0] != a[1] && a[1] != a[2]);
        let parsed = uuid::Uuid::parse_str(&a[0]).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(
            Ids::Seeded(7).webhook_id(),
            Ids::Seeded(7).webhook_id(),
            "the directory's own ids too"
        );
        assert_eq!(Ids::Seeded(7).webhook_id().len(), 35);
        assert_ne!(Ids::Random.resource_id(&conn).unwrap(), a[0]);
    }
}
