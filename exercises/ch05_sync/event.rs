//! # Event: a flag threads can wait for
//!
//! Seed 001 lists `multiprocessing.Event` among the synchronisation tools: one side
//! calls `set()`, everyone blocked in `wait()` goes on, and `wait()` after `set()`
//! returns at once until somebody calls `clear()`.
//!
//! `set` and `wait` below are a first attempt with three bugs:
//! - a thread that calls `wait` *after* `set` can sleep for ever;
//! - a waiter that wakes up without being notified goes on, though nobody set the
//!   flag;
//! - with two waiters, only one of them wakes up.
//!
//! Your tasks:
//! 1. Fix `set` and `wait`. `wait` returns at once when the flag is set, and
//!    otherwise only once somebody has set it. A condition variable may wake a
//!    waiter nobody notified (std allows it, and the tests' `Condvar` does it on
//!    purpose), so a wake-up alone never means the flag is set. `set` lets every
//!    waiter go on.
//! 2. Write `clear`, `is_set` and `wait_timeout`. It returns `true` as soon as it
//!    sees the flag set, and `false` only once `timeout` has passed since the call.
//!    However often it is woken meanwhile, it gives up by that deadline.
//!
//! A thread that has to wait sleeps on the `Condvar` (the tests look for it
//! asleep in the kernel), never in a loop that keeps trying.
//! `Mutex` and `Condvar` come from `super::sync` only: the loom checks
//! (`cargo test --test ch05_sync event::loom`) replace them with loom's and try
//! every interleaving.
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

    /// Whether the flag is set now.
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
