//! # Event: a flag threads can wait for — solution
//!
//! The one idea: *the flag is the truth, the condition variable only a doorbell*.
//! `wait` looks at the flag under the lock and sleeps only while it is unset (in a
//! loop), so a waiter that comes after `set` never sleeps and one woken for no
//! reason sleeps again; `set` rings for everyone (`notify_all`). `wait_timeout`
//! fixes its deadline once, and each wait is for what is left of it.

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
        self.changed.notify_all();
    }

    /// Clears the flag: later `wait`s block again.
    pub fn clear(&self) {
        *self.lock() = false;
    }

    /// Whether the flag is set now.
    pub fn is_set(&self) -> bool {
        *self.lock()
    }

    /// Blocks until the flag is set (returns at once if it already is).
    pub fn wait(&self) {
        let mut flag = self.lock();
        while !*flag {
            flag = self.changed.wait(flag).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Like `wait`, for at most `timeout`; returns whether the flag was set.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut flag = self.lock();
        while !*flag {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            flag = self
                .changed
                .wait_timeout(flag, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    fn lock(&self) -> MutexGuard<'_, bool> {
        self.flag.lock().unwrap_or_else(|e| e.into_inner())
    }
}
