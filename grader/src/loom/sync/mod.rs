//! The loom flavour of `workbook::sync`: the same names over loom's threads and locks, so
//! an exercise file that names `super::sync::Mutex` compiles unchanged in the suite's
//! loom copy, and every design the std flavour allows is model-checked too.
//!
//! Where loom lacks a std item, it is built here over loom's own primitives, so loom still
//! sees every synchronisation: `thread::scope`, `Barrier`, the channels of `mpsc`
//! (including `sync_channel(0)`, and a receiver that ends when every sender is gone),
//! `Condvar::wait_while` and the timed waits. What cannot be modelled says so:
//! time does not pass in a model (`thread::sleep` only lets the other threads run, and a
//! timed wait never times out while someone could still notify), and a [`Condvar`] wakes
//! a waiter spuriously on every other wait, as in the std flavour's test binaries.

mod barrier;
mod condvar;
pub mod mpsc;
mod mutex;
#[cfg(test)]
mod parity;
pub mod thread;

pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::{Condvar, WaitTimeoutResult};
pub use mutex::{Mutex, MutexGuard};

workbook::sync_facade!(loom);
