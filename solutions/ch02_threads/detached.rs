//! # A thread nobody joins — solution
//!
//! The one idea: returning from `main` ends the process and with it every thread,
//! joined or not; only `join` waits for a thread to finish its work and run its
//! destructors.

use super::sync::{thread, Arc};

use super::sync::{Condvar, Mutex};

/// The program: a worker, then `all end`, ending as the argument says.
pub fn main(args: &[String]) -> Result<(), DetachedError> {
    let ending = match args {
        [mode] if mode == "join" => Ending::Join,
        [mode] if mode == "detach" => Ending::Detach,
        _ => return Err(DetachedError::Usage),
    };
    let (started, finish) = (Arc::new(Gate::new()), Arc::new(Gate::new()));
    let handle = {
        let (started, finish) = (Arc::clone(&started), Arc::clone(&finish));
        thread::Builder::new()
            .name("worker".into())
            .spawn(move || worker(&started, &finish))
            .map_err(DetachedError::Spawn)?
    };
    started.wait();
    match ending {
        Ending::Join => {
            finish.open();
            handle.join().map_err(|_| DetachedError::Panicked)?;
        }
        Ending::Detach => drop(handle),
    }
    println!("all end");
    Ok(())
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
