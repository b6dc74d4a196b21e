//! # Semaphore: at most N inside — solution
//!
//! The one idea: *re-check after every wake-up, and take under the same lock*. A
//! woken thread is only told that the count may have changed; another thread may
//! have taken the permit first, so `acquire` waits in a `while` loop and takes a
//! permit only when it sees one, without letting go of the lock in between. The
//! permit is a guard: dropping it is the `release`, so an early return or a panic
//! cannot leak one.

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
        while *permits == 0 {
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
        let mut permits = self.lock();
        if *permits == 0 {
            return None;
        }
        *permits -= 1;
        Some(Permit { semaphore: self })
    }

    /// Adds one permit and wakes one waiter (Python's `release()`; a `Permit` calls
    /// it when dropped). One permit serves one waiter, and every waiter re-checks.
    pub fn release(&self) {
        *self.lock() += 1;
        self.available.notify_one();
    }

    /// How many permits are free now.
    pub fn available(&self) -> usize {
        *self.lock()
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
