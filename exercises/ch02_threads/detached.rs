//! # A thread nobody joins: what happens when `main` returns?
//!
//! The seed warns: without `join()`, `all end` may be printed while the threads are
//! still working. Python then waits for every non-daemon thread before the
//! interpreter exits, and kills the daemon threads on the spot. Rust has no such
//! distinction: when `main` returns the process exits, and every other thread dies
//! where it stands — in the middle of its work, without running its destructors. A
//! dropped `JoinHandle` does not stop a thread (it *detaches* it: nobody can wait
//! for it any more); only joining waits for one.
//!
//! Your task, `main` (the program `cargo run -- run detached join|detach`):
//! 1. Read the one argument: `join` or `detach`; anything else is
//!    [`DetachedError::Usage`].
//! 2. Start [`worker`] on a thread of its own, with two [`Gate`]s shared with it
//!    (`Arc`).
//! 3. Wait until the worker has started (its `started` gate).
//! 4. `join`: open the `finish` gate, then join the worker. `detach`: drop its
//!    handle and leave the `finish` gate closed, so the worker is still waiting.
//! 5. Print `all end` last and return.
//!
//! The tests hold the worker back before it starts, for as long as they like: `main`
//! must really wait for it. The worker, its gates and the types are given at the end
//! of the file. Predict each program's output before you run it
//! (`cargo run -- run detached detach`).
//! Graded by: `cargo test --test ch02_threads detached`.

use super::sync::{Condvar, Mutex};

/// The program: a worker, then `all end`, ending as the argument says.
pub fn main(args: &[String]) -> Result<(), DetachedError> {
    let _ = (args, Ending::Join, Ending::Detach);
    todo!(
        "start the worker, wait for it to start, join or detach it, print `all end`"
    )
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The entry point name of [`main`].
pub const PROGRAM: &str = "detached";

/// When this variable is set, the worker waits for a line on stdin before it starts:
/// the tests hold it back there, to see whether `main` waits for `started`.
pub const HOLD_ENV: &str = "WORKBOOK_HOLD_WORKER";

/// How `main` ends: wait for the worker (`join`) or leave it behind (`detach`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Join,
    Detach,
}

/// What can go wrong, as a type.
#[derive(Debug, thiserror::Error)]
pub enum DetachedError {
    #[error("usage: detached join|detach")]
    Usage,
    #[error("cannot start the worker: {0}")]
    Spawn(std::io::Error),
    #[error("the worker panicked")]
    Panicked,
}

/// A gate a thread can wait at until another opens it. Dropping a gate does not open
/// it. Given.
#[derive(Debug, Default)]
pub struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens the gate for everyone waiting at it, now and later.
    pub fn open(&self) {
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.opened.notify_all();
    }

    /// Waits until the gate is open.
    pub fn wait(&self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        while !*open {
            open = self.opened.wait(open).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Prints `worker: cleaned up` when dropped: it shows whether the worker's
/// destructors ran.
struct Cleanup;

impl Drop for Cleanup {
    fn drop(&mut self) {
        println!("worker: cleaned up");
    }
}

/// The worker's side, given: announce itself, open `started`, wait at `finish`, then
/// say it finished. Its clean-up runs when the function returns.
pub fn worker(started: &Gate, finish: &Gate) {
    let _cleanup = Cleanup;
    if std::env::var_os(HOLD_ENV).is_some() {
        let _ = std::io::stdin().read_line(&mut String::new());
    }
    println!("worker: started");
    started.open();
    finish.wait();
    println!("worker: finished");
}
