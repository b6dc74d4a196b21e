//! # Limited: async requests, a concurrency limit and a request rate
//!
//! A thread per worker costs a stack and a scheduler slot each; a load generator
//! that wants 10 000 connections in flight, or a steady 500 requests a second
//! whatever the server's latency, is an async program. Two limits shape the load:
//! - a **concurrency limit**: never more than `concurrency` requests in flight
//!   (a `tokio::sync::Semaphore`, a permit held for the whole request);
//! - a **request rate**: requests *started* no faster than `rate` a second over
//!   the run — request `k` starts no earlier than `k / rate` seconds after the
//!   first — a timer that ticks every `1 / rate` seconds
//!   (`tokio::time::interval`), each start waiting for the next tick.
//!
//! And one bound on each request: `timeout` from its start to its end
//! (`tokio::time::timeout`), not per read as in the threaded stages — a server
//! that trickles one byte a second cannot stretch it.
//!
//! The code below spawns every request at once, with no limit, no rate and no
//! timeout.
//!
//! Your tasks:
//! 1. `get`: the async GET of `path` on `addr` (`tokio::net::TcpStream`): connect
//!    (a failure is [`RequestError::Connect`]), send `request(addr, path)`, read
//!    to the end (an error there is `RequestError::Io`), judge with `status`. No
//!    timeout here: `run` bounds the whole request.
//! 2. `run(limits, send)`: `limits.requests` requests, request `i` being
//!    `send(i)`, each a task of its own; at most `limits.concurrency` of them in
//!    flight, at most `limits.rate` started per second, and each one that has not
//!    ended `limits.timeout` after it started counts as
//!    [`RequestError::Timeout`] — and is *dropped* right then (a timed-out
//!    request must not go on running, holding its connection, after it was
//!    counted). Every outcome goes into the `Tally` that `run` returns.
//! 3. A `concurrency` or a `rate` of 0 would let nothing through: return
//!    [`LimitError::Zero`] before sending anything.
//!
//! `send` is a parameter so the tests can hand in stand-in requests that sleep on
//! tokio's paused clock (time moves only when every task waits, and then jumps,
//! so "started 100 ms apart" is exact and takes no time) and count how many are
//! inside at once; one test sends real `get`s to the suite's server.
//! Graded by: `cargo test --test ch15_load limited`.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use super::sequential::{status, Outcome, RequestError, Tally};

/// One async GET of `path` on `addr`, with no timeout of its own.
pub async fn get(addr: SocketAddr, path: &str) -> Outcome {
    let _ = (addr, path, status);
    todo!("connect with tokio, send `request(addr, path)`, read to the end, judge")
}

/// Sends `limits.requests` requests, request `i` being `send(i)`, within the
/// concurrency limit, the rate and the timeout of `limits`.
pub async fn run<F, Fut>(limits: Limits, send: F) -> Result<Tally, LimitError>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    // Every request at once, however many; no rate, no timeout.
    let handles: Vec<_> = (0..limits.requests)
        .map(|i| tokio::spawn(send(i)))
        .collect();
    let mut tally = Tally::default();
    for handle in handles {
        tally.record(handle.await.unwrap_or(Err(RequestError::Io)));
    }
    Ok(tally)
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// How an async run sends: `requests` in all, at most `concurrency` in flight,
/// at most `rate` started per second (`None`: as fast as the limit allows), each
/// given `timeout` from start to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub requests: usize,
    pub concurrency: usize,
    pub rate: Option<u32>,
    pub timeout: Duration,
}

/// Limits that can never be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("a concurrency or a rate of 0 lets nothing through: use at least 1")]
    Zero,
}
