//! # Condition: producer and consumer around a predicate — solution
//!
//! The one idea: *wait in a loop on the predicate*. A wake-up only means "look
//! again": the item may already be gone to another consumer, or there was no reason
//! at all (a spurious wake-up). `wait_until` re-checks after every wake-up and
//! returns with the lock held and the predicate true. `take_timeout` fixes its
//! deadline once and each wait is for what is left of it, so a wake-up for an item
//! another consumer took first does not buy it more time.

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
    while !ready(&guard) {
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

    /// Adds an item and wakes a consumer.
    pub fn put(&self, item: T) {
        self.lock().push_back(item);
        self.not_empty.notify_one();
    }

    /// Waits for an item and takes it.
    pub fn take(&self) -> T {
        let mut items =
            wait_until(&self.not_empty, self.lock(), |items| !items.is_empty());
        items.pop_front().expect("wait_until returned with an item")
    }

    /// Takes the oldest item if there is one now.
    pub fn try_take(&self) -> Option<T> {
        self.lock().pop_front()
    }

    /// Waits at most `timeout` for an item and takes it.
    pub fn take_timeout(&self, timeout: Duration) -> Option<T> {
        let deadline = Instant::now() + timeout;
        let mut items = self.lock();
        loop {
            if let Some(item) = items.pop_front() {
                return Some(item);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            items = self
                .not_empty
                .wait_timeout(items, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}
