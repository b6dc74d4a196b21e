//! # A thread type of your own — solution
//!
//! The one idea: `JoinHandle<T>::join` returns `Ok(value)` or `Err(panic payload)`,
//! so the work's result and its panic both travel back to whoever joins.

use super::sync::thread::{self, JoinHandle};

impl<T: Send + 'static> MyThread<T> {
    /// Starts the work on a new thread named after this `MyThread`.
    pub fn start(&mut self) -> Result<(), MyThreadError> {
        let work = self
            .work
            .take()
            .ok_or_else(|| MyThreadError::AlreadyStarted(self.name.clone()))?;
        let handle = thread::Builder::new()
            .name(self.name.clone())
            .spawn(work)
            .map_err(|e| MyThreadError::Spawn {
                name: self.name.clone(),
                reason: e.to_string(),
            })?;
        self.handle = Some(handle);
        Ok(())
    }

    /// Waits for the thread and returns the work's value.
    pub fn join(self) -> Result<T, MyThreadError> {
        let handle = self
            .handle
            .ok_or_else(|| MyThreadError::NotStarted(self.name.clone()))?;
        handle.join().map_err(|payload| MyThreadError::Panicked {
            message: workbook::panic_message(&*payload),
            name: self.name,
        })
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
