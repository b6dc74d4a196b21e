//! The loom flavour of `workbook::sync`: the same names over loom's threads and locks, so
//! an exercise file that names `super::sync::Mutex` compiles unchanged in the suite's
//! loom copy, and every design the std flavour allows is model-checked too.
//!
//! Where loom lacks a std item, it is built here over loom's own primitives, so loom still
//! sees every synchronisation: `thread::scope`, `Barrier`, the channels of `mpsc`
//! (including `sync_channel(0)`, and a receiver that ends when every sender is gone),
//! `Condvar::wait_while` and the timed waits, `OnceLock` and `LazyLock`; and
//! [`cell::UnsafeCell`] is loom's, which checks every access to the data it holds.
//! What cannot be modelled says so:
//! time does not pass in a model (`thread::sleep` only lets the other threads run, and a
//! timed wait never times out while someone could still notify), and a [`Condvar`] wakes
//! a waiter spuriously on every other wait, as in the std flavour's test binaries.

mod barrier;
pub mod cell;
mod condvar;
pub mod mpsc;
mod mutex;
mod once;
#[cfg(test)]
mod parity;
pub mod thread;

pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::{Condvar, WaitTimeoutResult};
pub use mutex::{Mutex, MutexGuard};
pub use once::{LazyLock, OnceLock};

pub use crate::__loom_thread_local as thread_local;

workbook::sync_facade!(loom);

/// loom's `thread_local!`, also taking std's `const { … }` initialiser (loom's own macro
/// does not match it), so a learner's file written for std compiles in the model too.
#[doc(hidden)]
#[macro_export]
macro_rules! __loom_thread_local {
    () => {};
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const $init:block; $($rest:tt)*) => {
        $crate::loom::__loom::thread_local!($(#[$attr])* $vis static $name: $t = $init);
        $crate::__loom_thread_local!($($rest)*);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const $init:block) => {
        $crate::loom::__loom::thread_local!($(#[$attr])* $vis static $name: $t = $init);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr; $($rest:tt)*) => {
        $crate::loom::__loom::thread_local!($(#[$attr])* $vis static $name: $t = $init);
        $crate::__loom_thread_local!($($rest)*);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr) => {
        $crate::loom::__loom::thread_local!($(#[$attr])* $vis static $name: $t = $init);
    };
}
