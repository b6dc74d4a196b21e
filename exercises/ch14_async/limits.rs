//! # Limits: a semaphore for concurrency, a bounded channel for backpressure
//!
//! Tasks are cheap: spawning ten thousand costs next to nothing. What they talk to
//! is not: a server that takes 10 connections, a database pool of 5, a consumer
//! that writes one item a second. asyncio bounds them with `asyncio.Semaphore(n)`
//! and `asyncio.Queue(maxsize)`; tokio with `tokio::sync::Semaphore` and a bounded
//! `tokio::sync::mpsc::channel(capacity)`.
//!
//! The code below has no limits at all:
//! - `fetch_all` spawns every request at once, however many there are;
//! - `pipeline` connects producer and consumer with an unbounded channel, so a fast
//!   producer runs as far ahead of a slow consumer as it likes, and every item it
//!   made waits in memory.
//!
//! Your tasks:
//! 1. `fetch_all`: every request a task of its own, but at most `limit` fetches in
//!    progress at any moment (a `Semaphore` with `limit` permits; a permit held for
//!    the whole of one fetch). The responses come in the order of `requests`.
//! 2. `pipeline`: a channel of `capacity` items between the producer (a task of
//!    its own, making items as fast as the channel takes them) and the consumer:
//!    the producer works ahead while the consumer is busy, up to a full channel,
//!    and then waits. The results come in the order the items were made.
//! 3. Both: a `limit` or `capacity` of 0 would let nothing through: return
//!    `LimitError::Zero` instead of waiting for ever (or panicking).
//!
//! The tests count how many fetches are inside at once, and how far the producer
//! gets ahead; they never time anything.
//! Graded by: `cargo test --test ch14_async limits`.

use std::future::Future;

use tokio::sync::mpsc;

/// Runs `fetch` for every request, each as a task of its own, but never more than
/// `limit` at a time; the responses in the order of `requests`.
pub async fn fetch_all<F, Fut>(
    requests: Vec<u32>,
    limit: usize,
    fetch: F,
) -> Result<Vec<String>, LimitError>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let _ = limit;
    // Every request at once: no limit.
    let handles: Vec<_> = requests
        .into_iter()
        .map(|request| tokio::spawn(fetch(request)))
        .collect();
    let mut responses = Vec::new();
    for handle in handles {
        responses.push(handle.await.expect("a fetch task panicked"));
    }
    Ok(responses)
}

/// Makes `count` items with `produce` (on a task of its own) and hands each to
/// `consume` through a channel that holds at most `capacity` items, so the
/// producer waits whenever it is full; what `consume` returned, in order.
pub async fn pipeline<P, C, Fut>(
    count: u32,
    capacity: usize,
    mut produce: P,
    mut consume: C,
) -> Result<Vec<u64>, LimitError>
where
    P: FnMut(u32) -> u64 + Send + 'static,
    C: FnMut(u64) -> Fut,
    Fut: Future<Output = u64>,
{
    let _ = capacity;
    // Unbounded: the producer never waits.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let producer = tokio::spawn(async move {
        for i in 0..count {
            if tx.send(produce(i)).is_err() {
                break;
            }
        }
    });
    let mut results = Vec::with_capacity(count as usize);
    while let Some(item) = rx.recv().await {
        results.push(consume(item).await);
    }
    producer.await.expect("the producer panicked");
    Ok(results)
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// A limit that can never be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("a limit of 0 lets nothing through: use at least 1")]
    Zero,
}
