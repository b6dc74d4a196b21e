//! # Semaphore: at most N inside
//!
//! Seed 001 lists `multiprocessing.Semaphore` among the synchronisation tools: a
//! counter of permits; `acquire()` takes one (waiting while there is none),
//! `release()` gives one back. With `Semaphore(2)`, at most two threads are ever
//! between `acquire` and `release`.
//!
//! In Rust the permit is a value: `acquire` returns a [`Permit`], and dropping it
//! releases it (RAII), so a permit cannot be forgotten on an early return or a
//! panic. `Permit` and its `Drop` are given at the end of the file.
//!
//! `acquire` below is a first attempt: with one waiter it works; with two waiters
//! and one permit both can get in (and the count underflows).
//!
//! Your tasks:
//! 1. Fix `acquire`: wait while no permit is free, and take one only when you see
//!    one. Waking up proves nothing: another thread may have taken the permit
//!    first, and a condition variable may wake a waiter nobody notified (std allows
//!    it, and the tests' `Condvar` does it on purpose). Decide whether `release`
//!    wakes one waiter or all: either can be right.
//! 2. Write `try_acquire` (takes a free permit, or returns `None` at once; it never
//!    waits) and `available`.
//!
//! However many threads race in `acquire` and `try_acquire`, never more permits
//! are out than the semaphore has. A thread that has to wait sleeps on the
//! `Condvar` (the tests look for it asleep in the kernel), never in a loop that
//! keeps trying. `Mutex` and `Condvar` come from `super::sync` only: the loom checks
//! (`cargo test --test ch05_sync semaphore::loom`) replace them with loom's and try
//! every interleaving.
//! Graded by: `cargo test --test ch05_sync semaphore`.

use super::sync::{Condvar, Mutex, MutexGuard};

/// A counting semaphore: Python's `Semaphore(n)`.
#[derive(Debug)]
pub struct Semaphore {
    permits: Mutex<usize>,
    available: Condvar,
}

impl Semaphore {
    /// A semaphore with `permits` permits.
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            available: Condvar::new(),
        }
    }

    /// Waits for a permit and takes it.
    pub fn acquire(&self) -> Permit<'_> {
        let mut permits = self.lock();
        if *permits == 0 {
            permits = self
                .available
                .wait(permits)
                .unwrap_or_else(|e| e.into_inner());
        }
        *permits -= 1;
        Permit { semaphore: self }
    }

    /// Takes a permit if one is free now.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        todo!("take a permit if the count is above zero, else None")
    }

    /// Adds one permit and wakes a waiter (Python's `release()`; a `Permit` calls it
    /// when dropped).
    pub fn release(&self) {
        *self.lock() += 1;
        self.available.notify_all();
    }

    /// How many permits are free now.
    pub fn available(&self) -> usize {
        todo!("the count of free permits")
    }

    fn lock(&self) -> MutexGuard<'_, usize> {
        self.permits.lock().unwrap_or_else(|e| e.into_inner())
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// One permit; dropping it gives it back.
#[derive(Debug)]
#[must_use = "dropping the permit releases it at once"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
