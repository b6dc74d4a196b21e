//! # Named threads: who is running this code?
//!
//! The seed's `loop()` prints `threading.current_thread().name` from inside a thread
//! that was started with `name="LoopThread"`, while the program itself runs in
//! `MainThread`. A Rust thread has a name too: it is given by `std::thread::Builder`
//! before the thread starts, and any code can ask the thread it runs on for it.
//!
//! Your tasks:
//! 1. `current_name`: the name of the calling thread, or [`UNNAMED`] if it has none.
//! 2. `spawn_named`: start `work` on a new thread called `name` and return its
//!    handle. A name with a NUL byte in it cannot be given to the operating system:
//!    return [`NamedError::InvalidName`] with that name instead of letting std
//!    panic. A failed spawn is [`NamedError::Spawn`].
//!
//! `loop_lines` and `main` (the seed's program) are given at the end of the file,
//! written on top of these two; the tests run `main` too. In Rust the main thread's
//! name is `main`: run it with `cargo run -- run named`.
//! Graded by: `cargo test --test ch02_threads named`.

use std::io;

use super::sync::thread::JoinHandle;

/// The name of the calling thread, or [`UNNAMED`].
pub fn current_name() -> String {
    todo!("ask the current thread for its name")
}

/// Starts `work` on a new thread called `name`.
pub fn spawn_named<T, F>(name: &str, work: F) -> Result<JoinHandle<T>, NamedError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let _ = (name, work);
    todo!("reject a name with a NUL byte, then start a thread with that name")
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
