//! # Re-entering a lock: Python's `RLock`, and why Rust does without it
//!
//! Python has two locks: `Lock`, and `RLock`, which the thread holding it may
//! acquire again. With an `RLock`, a method that holds the lock may call another
//! method that takes it too. std's `Mutex` is not reentrant: a thread that locks a
//! `Mutex` it already holds waits for itself forever (or panics) — the call never
//! returns.
//!
//! `Ledger` below was written the `RLock` way. `record_all` holds the lock for the
//! whole batch (so nobody sees half of it) and calls `record`, which locks again.
//! `settle` holds the lock and calls `balance`, which locks again. Both hang.
//!
//! Your task: restructure, do not reach for a reentrant lock. Lock *once* per public
//! operation and pass what the guard gives you (`&mut Vec<i64>`) to private helpers
//! that never lock. Keep the promises:
//! - `record` adds one amount at the end; `balance` is the sum of the entries;
//! - `record_all` adds every amount, in order, as one batch: another thread sees all
//!   of it or none of it;
//! - `settle` replaces every entry with a single entry, their sum, and returns it,
//!   in one step: a `record` from another thread is never lost in between.
//!
//! Graded by: `cargo test --test ch03_locks reentrant` (a hang is reported by the
//! watchdog within seconds; the `loom_*` tests check the batch and the single step).

use super::sync::{Mutex, MutexGuard};

impl Ledger {
    /// Adds one amount.
    pub fn record(&self, amount: i64) {
        self.lock().push(amount);
    }

    /// The sum of the entries.
    pub fn balance(&self) -> i64 {
        self.lock().iter().sum()
    }

    /// Adds every amount, in order, as one batch.
    pub fn record_all(&self, amounts: &[i64]) {
        let _whole_batch = self.lock();
        for &amount in amounts {
            self.record(amount); // locks again
        }
    }

    /// Replaces every entry with one, their sum, and returns it.
    pub fn settle(&self) -> i64 {
        let mut entries = self.lock();
        let total = self.balance(); // locks again
        entries.clear();
        entries.push(total);
        total
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// A list of amounts; the balance is their sum.
#[derive(Debug, Default)]
pub struct Ledger {
    entries: Mutex<Vec<i64>>,
}

impl Ledger {
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of every entry, in order.
    pub fn entries(&self) -> Vec<i64> {
        self.lock().clone()
    }

    /// The one way to the entries: the lock, taken once.
    fn lock(&self) -> MutexGuard<'_, Vec<i64>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
