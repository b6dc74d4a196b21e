//! The one place exercise files take threads, locks, atomics and channels from.
//!
//! A file names them through its chapter: `use super::sync::{Arc, Mutex};`. In the
//! chapter's suite the file is compiled twice (see `build.rs`): once where `super::sync`
//! is this module, std's own types; and, for a loom-checked exercise, once more where it
//! is `grader::loom::sync`, which offers the same names over loom, so loom model-checks
//! the learner's own code.
//!
//! Everything here is std's, except [`Condvar`]: std allows a waiter to wake up without a
//! notification (a *spurious* wake-up), and in the test binaries this one does so on
//! purpose — every other wait returns at once — so code that waits under an `if`
//! instead of a `while` fails on every run rather than once in a blue moon. In a program
//! run by hand it is std's `Condvar`, unchanged.
//!
//! Two more are shaped for loom: [`cell::UnsafeCell`] has loom's `with`/`with_mut`
//! methods, so that loom checks every access to data kept in one; and `OnceLock` and
//! `LazyLock` (std's here) are built over loom's own primitives in the loom flavour,
//! so loom sees their initialisers race.
//!
//! [`sync_facade!`](crate::sync_facade) lists the names both flavours share.

pub mod cell;
mod condvar;

pub use condvar::{Condvar, WaitTimeoutResult};

/// Declares the facade's items that are plain re-exports of a runtime crate (`std` or
/// `loom`); each flavour adds its own `Condvar`, `thread`, `mpsc`, `Barrier` and
/// `thread_local!`.
#[doc(hidden)]
#[macro_export]
macro_rules! sync_facade {
    ($rt:ident) => {
        pub use std::sync::{PoisonError, TryLockError, TryLockResult};
        pub use $rt::hint;
        pub use $rt::sync::atomic;
        pub use $rt::sync::{Arc, LockResult, RwLock, RwLockReadGuard, RwLockWriteGuard};
    };
}

sync_facade!(std);

pub use std::sync::mpsc;
pub use std::sync::{Barrier, BarrierWaitResult, Mutex, MutexGuard};
pub use std::sync::{LazyLock, OnceLock};
pub use std::thread;
pub use std::thread_local;

/// Makes every wait of the calling thread return spuriously (see `grader::spurious`).
#[doc(hidden)]
pub fn __every_wait_spurious_on_this_thread(on: bool) {
    condvar::every_wait_spurious(on);
}

/// Turns the deliberate spurious wake-ups of [`Condvar`] on; the chapter test binaries
/// call it before `main` (see `build.rs`).
#[doc(hidden)]
pub fn __spurious_wakeups(on: bool) {
    condvar::SPURIOUS.store(on, std::sync::atomic::Ordering::Relaxed);
}
