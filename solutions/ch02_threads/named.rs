//! # Named threads — solution
//!
//! The one idea: a thread's name is set by `thread::Builder::name` *before* it
//! starts and read with `thread::current().name()`; the main thread is called
//! `main`.

use std::io;

use super::sync::thread::{self, JoinHandle};

/// The name of the calling thread, or [`UNNAMED`].
pub fn current_name() -> String {
    thread::current().name().unwrap_or(UNNAMED).to_owned()
}

/// Starts `work` on a new thread called `name`.
pub fn spawn_named<T, F>(name: &str, work: F) -> Result<JoinHandle<T>, NamedError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    if name.contains('\0') {
        return Err(NamedError::InvalidName(name.to_owned()));
    }
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(work)
        .map_err(|source| NamedError::Spawn {
            name: name.to_owned(),
            source,
        })
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The entry point name of [`main`], the seed's program.
pub const PROGRAM: &str = "named";
/// The seed's name for the worker thread.
pub const LOOP_THREAD: &str = "LoopThread";
/// What [`current_name`] says for a thread that was given no name.
pub const UNNAMED: &str = "<unnamed>";

/// What can go wrong, as a type.
#[derive(Debug, thiserror::Error)]
pub enum NamedError {
    #[error("a thread name cannot contain a NUL byte: {0:?}")]
    InvalidName(String),
    #[error("cannot start thread {name}: {source}")]
    Spawn { name: String, source: io::Error },
    #[error("thread {0} panicked")]
    Panicked(String),
}

/// The seed's `loop()`: what the calling thread says while it counts to `count`.
pub fn loop_lines(count: u32) -> Vec<String> {
    let me = current_name();
    let mut lines = vec![format!("Thread {me} is running...")];
    lines.extend((1..=count).map(|n| format!("Thread {me} >>> {n}")));
    lines.push(format!("Thread {me} ended."));
    lines
}

/// The seed's program: the main thread announces itself, starts `LoopThread`, waits
/// for it, and says it ended.
pub fn main(_args: &[String]) -> Result<(), NamedError> {
    println!("Thread {} is running...", current_name());
    let worker = spawn_named(LOOP_THREAD, || {
        for line in loop_lines(5) {
            println!("{line}");
        }
    })?;
    worker
        .join()
        .map_err(|_| NamedError::Panicked(LOOP_THREAD.to_owned()))?;
    println!("Thread {} ended.", current_name());
    Ok(())
}
