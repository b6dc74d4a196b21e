//! # Condition: producer and consumer around a predicate
//!
//! Seed 001 lists `multiprocessing.Condition`, Python's name for a condition
//! variable with its lock. The pattern every consumer follows is
//!
//! ```python
//! with cond:
//!     while not items:
//!         cond.wait()
//!     item = items.pop(0)
//! ```
//!
//! `wait_until` below is a first attempt: it waits once and then assumes the
//! predicate holds. With two consumers, one wake-up can let both of them look for
//! the same item; and a condition variable may wake a waiter that nobody notified
//! (std allows it, and the tests' `Condvar` does it on purpose).
//!
//! Your tasks:
//! 1. Fix `wait_until`. It returns at once when `ready` already holds; otherwise
//!    it returns only with the lock held and `ready` true, however often it was
//!    woken before. (Std's `Condvar::wait_while` writes that loop for you; writing
//!    it yourself is the point here, but either is accepted.)
//! 2. Write `try_take`: the oldest item, or `None` at once (it never waits).
//! 3. Write `take_timeout`: the oldest item as soon as there is one for it, or
//!    `None` only once `timeout` has passed since the call. Another consumer may
//!    take the item whose arrival woke it: however often that happens, it gives up
//!    by that one deadline.
//!
//! A thread that has to wait sleeps on the `Condvar` (the tests look for it
//! asleep in the kernel), never in a loop that keeps trying.
//! `Mutex` and `Condvar` come from `super::sync` only: the loom checks
//! (`cargo test --test ch05_sync condition::loom`) replace them with loom's and try
//! every interleaving.
//! Graded by: `cargo test --test ch05_sync condition`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::sync::{Condvar, Mutex, MutexGuard};

/// Waits on `condvar` until `ready(&state)` holds, re-checking after every wake-up;
/// returns the guard with the predicate true. (Python: `with cond: while not
/// ready(): cond.wait()`.)
pub fn wait_until<'a, T>(
    condvar: &Condvar,
    mut guard: MutexGuard<'a, T>,
    mut ready: impl FnMut(&T) -> bool,
) -> MutexGuard<'a, T> {
    if !ready(&guard) {
        guard = condvar.wait(guard).unwrap_or_else(|e| e.into_inner());
    }
    guard
}

/// Items handed from producers to consumers, first in first out.
#[derive(Debug)]
pub struct Buffer<T> {
    items: Mutex<VecDeque<T>>,
    not_empty: Condvar,
}

impl<T> Default for Buffer<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Buffer<T> {
    pub fn new() -> Self {
        Buffer {
            items: Mutex::new(VecDeque::new()),
            not_empty: Condvar::new(),
        }
    }

    /// Adds an item and wakes the consumers.
    pub fn put(&self, item: T) {
        self.lock().push_back(item);
        self.not_empty.notify_all();
    }

    /// Waits for an item and takes it.
    pub fn take(&self) -> T {
        let mut items =
            wait_until(&self.not_empty, self.lock(), |items| !items.is_empty());
        items.pop_front().expect(
            "woke up to an empty buffer: another consumer took the item first",
        )
    }

    /// Takes the oldest item if there is one now.
    pub fn try_take(&self) -> Option<T> {
        todo!("the front item if there is one, without waiting")
    }

    /// Waits at most `timeout` for an item and takes it.
    pub fn take_timeout(&self, timeout: Duration) -> Option<T> {
        let _ = (timeout, Instant::now());
        todo!("wait for an item until a deadline, then None")
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}
