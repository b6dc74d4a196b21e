//! # Event: a flag threads can wait for
//!
//! Seed 001 lists `multiprocessing.Event` among the synchronisation tools: one side
//! calls `set()`, everyone blocked in `wait()` goes on, and `wait()` after `set()`
//! returns at once until somebody calls `clear()`.
//!
//! `set` and `wait` below are a first attempt with two bugs:
//! - a thread that calls `wait` *after* `set` sleeps for ever;
//! - with two waiters, only one of them wakes up.
//!
//! The loom checks (`cargo test --test ch05_sync event::loom`) show both.
//!
//! Your tasks:
//! 1. Fix `set` and `wait`: the flag under the mutex is what a waiter checks; the
//!    condition variable only tells waiters to check again.
//! 2. Write `clear`, `is_set` and `wait_timeout` (returns whether the event was set;
//!    keep one deadline across wake-ups).
//!
//! `Mutex` and `Condvar` come from `super::sync` only: the loom checks replace them.
//! Graded by: `cargo test --test ch05_sync event`.

use std::time::{Duration, Instant};

use super::sync::{Condvar, Mutex, MutexGuard};

/// Python's `threading.Event` / `multiprocessing.Event`, for threads.
#[derive(Debug, Default)]
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Self {
        Event {
            flag: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        *self.lock() = true;
        self.changed.notify_one();
    }

    /// Clears the flag: later `wait`s block again.
    pub fn clear(&self) {
        todo!("clear the flag")
    }

    pub fn is_set(&self) -> bool {
        todo!("read the flag")
    }

    /// Blocks until the flag is set (returns at once if it already is).
    pub fn wait(&self) {
        let flag = self.lock();
        let _flag = self.changed.wait(flag).unwrap_or_else(|e| e.into_inner());
    }

    /// Like `wait`, for at most `timeout`; returns whether the flag was set.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let _ = (timeout, Instant::now());
        todo!("wait until the flag is set or the deadline has passed")
    }

    fn lock(&self) -> MutexGuard<'_, bool> {
        self.flag.lock().unwrap_or_else(|e| e.into_inner())
    }
}
