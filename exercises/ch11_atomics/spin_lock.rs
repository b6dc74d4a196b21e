//! # spin_lock: a lock made of one atomic bool
//!
//! A spin lock is the smallest lock there is: `locked` is an `AtomicBool`; to lock,
//! swap it from `false` to `true` (retrying, *spinning*, while someone else holds
//! it); to unlock, store `false`. Python has nothing like it to write — a
//! `threading.Lock` is the interpreter's, and threads only take turns under the GIL
//! anyway. In Rust it is a dozen lines, and every one of them matters:
//!
//! - the value lives in the facade's `UnsafeCell` and the lock decides who may
//!   touch it, so the orderings must make one holder's writes *happen before* the
//!   next holder's reads (the pair of orderings you met in `publish` does that);
//! - a guard gives access (`Deref`, `DerefMut`) and unlocks when it is dropped —
//!   exactly once, and only a lock it really took.
//!
//! Your tasks, each a `todo!` below:
//! 1. `try_lock`: take the lock if it is free, in one indivisible step; `None` if
//!    it is held.
//! 2. `lock`: wait until the lock is free and take it; call `hint::spin_loop()`
//!    (from `super::sync`) in every round of the wait.
//! 3. The guard: `Deref`/`DerefMut` to the value; `Drop` unlocks.
//!    `SpinGuard::unlock(guard)` unlocks at once, the same as dropping the guard.
//!
//! The `Sync` promise at the end is given: it holds once your lock is right.
//!
//! Graded by: `cargo test --test ch11_atomics spin_lock` (the `loom_*` tests run
//! two threads through every interleaving and watch every access to the value).

use std::ops::{Deref, DerefMut};

use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::cell::UnsafeCell;
use super::sync::hint;

/// A lock that waits by spinning.
#[derive(Debug)]
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

/// Access to the value of a locked [`SpinLock`]; unlocks it when dropped.
#[derive(Debug)]
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
}

impl<T> SpinLock<T> {
    pub fn new(value: T) -> SpinLock<T> {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Takes the lock if it is free.
    pub fn try_lock(&self) -> Option<SpinGuard<'_, T>> {
        let _ = (&self.locked, Ordering::Relaxed);
        todo!("from false to true in one step, or None")
    }

    /// Waits until the lock is free, then takes it.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        let _ = hint::spin_loop;
        todo!("spin until the lock is yours")
    }

    /// The value, taking the lock apart.
    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }
}

impl<T> SpinGuard<'_, T> {
    /// Unlocks now: the same as dropping the guard.
    pub fn unlock(guard: SpinGuard<'_, T>) {
        let _ = guard;
        todo!("unlock, once")
    }
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        todo!("a shared reference to the value")
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        todo!("an exclusive reference to the value")
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        todo!("unlock")
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

// SAFETY: the lock hands the value to one thread at a time (so `T: Send` is
// enough, as for `Mutex`), and each holder's accesses happen before the next
// holder's.
unsafe impl<T: Send> Sync for SpinLock<T> {}
