//! # What blocks an executor: blocking calls, and locks across .await — solution
//!
//! The one idea: *a task may hold its thread only between two `.await`s, and
//! briefly*. Blocking work goes to `spawn_blocking`'s own threads; a std lock is
//! taken and released between two awaits, never held across one; and where a lock
//! must be held across an await, it is tokio's, which waits by yielding.

use std::collections::HashMap;

use super::sync::{Arc, Mutex};

/// The checksum of `data` by `hash`, a blocking function (CPU-heavy, or a std call
/// that waits), computed without stalling the other tasks of the runtime. A `hash`
/// that panics gives [`BlockingError::Panicked`] with its message.
pub async fn checksum<H>(data: Vec<u8>, hash: H) -> Result<u64, BlockingError>
where
    H: FnOnce(&[u8]) -> u64 + Send + 'static,
{
    tokio::task::spawn_blocking(move || hash(&data))
        .await
        .map_err(|e| match e.try_into_panic() {
            Ok(panic) => BlockingError::Panicked(workbook::panic_message(&*panic)),
            Err(e) => BlockingError::Panicked(e.to_string()),
        })
}

/// Counts `word` in `counts`, under its canonical spelling (`canonical`, an async
/// lookup). The future is `Send`: `tokio::spawn` takes it.
pub async fn count(counts: Arc<Mutex<HashMap<String, u64>>>, word: String) {
    // The await first; then the lock, held for one statement.
    let word = canonical(&word).await;
    *counts
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(word)
        .or_insert(0) += 1;
}

/// Writes every line of `record` to `sink`, one after another, with no line of
/// another record in between.
pub async fn write_record(sink: Arc<tokio::sync::Mutex<Sink>>, record: Vec<String>) {
    // Held across the awaits on purpose: that is what tokio's Mutex is for.
    let mut sink = sink.lock().await;
    for line in record {
        sink.write(line).await;
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
