//! # Re-entering a lock — solution
//!
//! The one idea: lock once, at the public edge, and hand the guarded data (`&mut
//! Vec<i64>`) to helpers that never lock. Nothing needs to re-enter the lock, so a
//! plain `Mutex` does.

use super::sync::{Mutex, MutexGuard};

impl Ledger {
    /// Adds one amount.
    pub fn record(&self, amount: i64) {
        record_in(&mut self.lock(), amount);
    }

    /// The sum of the entries.
    pub fn balance(&self) -> i64 {
        balance_of(&self.lock())
    }

    /// Adds every amount, in order, as one batch.
    pub fn record_all(&self, amounts: &[i64]) {
        let mut entries = self.lock();
        for &amount in amounts {
            record_in(&mut entries, amount);
        }
    }

    /// Replaces every entry with one, their sum, and returns it.
    pub fn settle(&self) -> i64 {
        let mut entries = self.lock();
        let total = balance_of(&entries);
        entries.clear();
        record_in(&mut entries, total);
        total
    }
}

/// Works on data the caller already holds the lock for.
fn record_in(entries: &mut Vec<i64>, amount: i64) {
    entries.push(amount);
}

fn balance_of(entries: &[i64]) -> i64 {
    entries.iter().sum()
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
