//! # A thread type of your own: `MyThread`
//!
//! The seed subclasses `threading.Thread` as `MyThread(func, args, name)`, whose
//! `run` calls `self.func(*self.args)`. Whatever `func` returns is thrown away, and
//! an exception inside it is printed and forgotten: `join()` returns `None` either
//! way.
//!
//! Rust's `JoinHandle<T>` does better: `join` hands back the closure's return value,
//! and a panic inside the thread comes back from `join` as an `Err` instead of being
//! lost. Build `MyThread` on top of that:
//!
//! 1. `start`: run the work on a new thread named after the `MyThread` and keep its
//!    handle. Starting twice is [`MyThreadError::AlreadyStarted`]; a failed spawn is
//!    [`MyThreadError::Spawn`].
//! 2. `join`: wait for the thread and return the work's value. Joining a thread that
//!    was never started is [`MyThreadError::NotStarted`]; a panic inside the work is
//!    [`MyThreadError::Panicked`] with the panic's message
//!    (`workbook::panic_message`).
//!
//! Careful: the seed's classic slip is calling `run()` instead of `start()`, which
//! runs the work on the *calling* thread. The tests check the thread's name and that
//! two started `MyThread`s run at the same time (so `start` returns while the work
//! is still running). The error type and the struct (with `new` and `name`) are
//! given at the end of the file.
//! Graded by: `cargo test --test ch02_threads my_thread`.

use super::sync::thread::JoinHandle;

impl<T: Send + 'static> MyThread<T> {
    /// Starts the work on a new thread named after this `MyThread`.
    pub fn start(&mut self) -> Result<(), MyThreadError> {
        let _ = (&self.work, &mut self.handle);
        todo!("take the work, spawn a named thread for it, keep the handle")
    }

    /// Waits for the thread and returns the work's value.
    pub fn join(self) -> Result<T, MyThreadError> {
        todo!("join the handle; a panic becomes MyThreadError::Panicked")
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What can go wrong with a `MyThread`, as a type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MyThreadError {
    #[error("thread {0} was already started")]
    AlreadyStarted(String),
    #[error("thread {0} was never started")]
    NotStarted(String),
    #[error("cannot start thread {name}: {reason}")]
    Spawn { name: String, reason: String },
    #[error("thread {name} panicked: {message}")]
    Panicked { name: String, message: String },
}

/// The work a `MyThread` runs: a closure that already holds its arguments.
type Work<T> = Box<dyn FnOnce() -> T + Send + 'static>;

/// The seed's `MyThread(func, args, name)`: a name, the work (until it is started),
/// and once started, the handle.
pub struct MyThread<T> {
    name: String,
    work: Option<Work<T>>,
    handle: Option<JoinHandle<T>>,
}

impl<T: Send + 'static> MyThread<T> {
    /// A thread called `name` that will run `work` once started. Python passes
    /// `func, args`; in Rust the closure captures its arguments: `move || play(file,
    /// 3)`.
    pub fn new(
        name: impl Into<String>,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        MyThread {
            name: name.into(),
            work: Some(Box::new(work)),
            handle: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}
