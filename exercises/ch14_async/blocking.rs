//! # What blocks an executor: blocking calls, and locks across .await
//!
//! In asyncio, `time.sleep(2)` inside a coroutine stops the whole event loop for
//! two seconds; `await asyncio.sleep(2)` lets it run. Tokio is the same: a task
//! runs on a runtime thread from one `.await` to the next, and while it computes,
//! or waits in a std call (a file read, a std lock, a std channel), no other task
//! on that thread runs. On a current-thread runtime that is every other task.
//!
//! The code below makes three such mistakes:
//! - `checksum` calls the blocking `hash` right on the runtime's thread;
//! - `count` holds a std `MutexGuard` across an `.await`. On one thread, a second
//!   `count` then waits for the lock while the holder can never run again to release
//!   it; and the future is not `Send`, so `tokio::spawn` does not even take it (the
//!   compiler says "future cannot be sent between threads safely");
//! - `write_record` locks the sink for each line, so two records' lines mix.
//!
//! Your tasks:
//! 1. `checksum`: run `hash` where blocking is allowed
//!    (`tokio::task::spawn_blocking`) and turn its panic into
//!    `BlockingError::Panicked` with the panic's message.
//! 2. `count`: keep the std `Mutex` (the update needs no await, and a std lock is
//!    the cheaper one), but never hold its guard across an `.await`.
//! 3. `write_record`: no line of another record may come between the lines of one
//!    record. Here the lock must be held across the awaits of the writes: that is
//!    the job of tokio's `Mutex`, whose `lock().await` waits by yielding.
//!
//! Graded by: `cargo test --test ch14_async blocking`. One test compiles a small
//! program that hands `count` to `tokio::spawn` on a multi-threaded runtime; the
//! first time, it builds its dependencies once (a minute or two).

use std::collections::HashMap;

use super::sync::{Arc, Mutex};

/// The checksum of `data` by `hash`, a blocking function (CPU-heavy, or a std call
/// that waits), computed without stalling the other tasks of the runtime. A `hash`
/// that panics gives [`BlockingError::Panicked`] with its message.
pub async fn checksum<H>(data: Vec<u8>, hash: H) -> Result<u64, BlockingError>
where
    H: FnOnce(&[u8]) -> u64 + Send + 'static,
{
    // Right here, on the runtime's thread.
    Ok(hash(&data))
}

/// Counts `word` in `counts`, under its canonical spelling (`canonical`, an async
/// lookup). The future is `Send`: `tokio::spawn` takes it.
// Clippy sees this exercise's bug too (`await_holding_lock`); the compiler, only
// where the future must be `Send`.
#[allow(clippy::await_holding_lock)]
pub async fn count(counts: Arc<Mutex<HashMap<String, u64>>>, word: String) {
    let mut counts = counts.lock().unwrap_or_else(|e| e.into_inner());
    // The guard is still alive across this await.
    let word = canonical(&word).await;
    *counts.entry(word).or_insert(0) += 1;
}

/// Writes every line of `record` to `sink`, one after another, with no line of
/// another record in between.
pub async fn write_record(sink: Arc<tokio::sync::Mutex<Sink>>, record: Vec<String>) {
    for line in record {
        // Locked for one line at a time: another record may get in between.
        sink.lock().await.write(line).await;
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Why a blocking computation gave no checksum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlockingError {
    #[error("the blocking computation panicked: {0}")]
    Panicked(String),
}

/// The canonical spelling of a word: a lookup that takes a moment (it yields to
/// the runtime once, as a real lookup over the network would).
pub async fn canonical(word: &str) -> String {
    tokio::task::yield_now().await;
    word.trim().to_lowercase()
}

/// Where records go, one line at a time; each write takes a moment (it yields).
#[derive(Debug, Default)]
pub struct Sink {
    pub lines: Vec<String>,
}

impl Sink {
    pub async fn write(&mut self, line: String) {
        tokio::task::yield_now().await;
        self.lines.push(line);
    }
}
