//! # Limited: async requests, a concurrency limit and a request rate
//!
//! The idea: the loop that starts requests is the only place that waits for the
//! rate (one shared interval) and for a permit, and the permit moves into the
//! request's task, so it is given back exactly when the request — finished or
//! timed out and dropped — is over.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{interval, timeout, MissedTickBehavior};

use super::sequential::{request, status, Outcome, RequestError, Tally};

/// One async GET of `path` on `addr`, with no timeout of its own.
pub async fn get(addr: SocketAddr, path: &str) -> Outcome {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|_| RequestError::Connect)?;
    stream
        .write_all(&request(addr, path))
        .await
        .map_err(|_| RequestError::Io)?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .map_err(|_| RequestError::Io)?;
    status(&response)
}

/// Sends `limits.requests` requests, request `i` being `send(i)`, within the
/// concurrency limit, the rate and the timeout of `limits`.
pub async fn run<F, Fut>(limits: Limits, send: F) -> Result<Tally, LimitError>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    if limits.concurrency == 0 || limits.rate == Some(0) {
        return Err(LimitError::Zero);
    }
    let permits = Arc::new(Semaphore::new(limits.concurrency));
    let mut ticks = limits.rate.map(|rate| {
        let mut ticks = interval(Duration::from_secs(1) / rate);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        ticks
    });
    let mut tasks = JoinSet::new();
    for i in 0..limits.requests {
        if let Some(ticks) = &mut ticks {
            ticks.tick().await;
        }
        let permit = Arc::clone(&permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let request = send(i);
        tasks.spawn(async move {
            let outcome = timeout(limits.timeout, request).await;
            drop(permit);
            outcome.unwrap_or(Err(RequestError::Timeout))
        });
    }
    let mut tally = Tally::default();
    while let Some(outcome) = tasks.join_next().await {
        tally.record(outcome.expect("a request task panicked"));
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
