//! # Report: latency percentiles, errors by kind, a progress bar
//!
//! "It handled the load" means nothing without numbers: how many requests a
//! second, how long the slow ones took (the 99th percentile, not the mean: the
//! mean of 99 fast answers and one 10-second one looks healthy), and what went
//! wrong, by kind. Keeping every latency in a `Vec` and sorting it at the end
//! costs memory in proportion to the run and a sort per report; load tools keep
//! an HDR histogram instead (`hdrhistogram::Histogram<u64>`): fixed-size buckets
//! that keep 3 significant digits of any value, recorded in constant time, and
//! two of them add up (`Histogram::add`) — so each worker keeps its own, and
//! nothing is shared while the run is going.
//!
//! Your tasks:
//! 1. `Recorder`: `record(latency, outcome)` counts the outcome in a `Tally` and,
//!    for a request that succeeded only, records its latency in a histogram in
//!    **microseconds** (`Histogram::new(3)`: 3 significant digits, and it grows
//!    as needed, so a 3-hour latency is recorded, not a panic, nor clipped). A
//!    failed request's latency goes nowhere: a timeout is an error, not a slow
//!    success. `merge` adds another recorder's counts and latencies to this one.
//! 2. `summary(elapsed)`: the tally; p50, p90, p99 and the max of the recorded
//!    latencies (`value_at_quantile`, `max`), zero when nothing succeeded; and
//!    the requests sent per second of `elapsed` (0 when `elapsed` is zero).
//! 3. `run(plan, workers, progress)`: the threaded run again (`workers` threads,
//!    exactly `plan.requests` requests with `super::sequential::get`), each worker
//!    timing its requests into a `Recorder` of its own, merged at the end; the
//!    summary over the time the whole run took. `progress.inc(1)` once for every
//!    request that ended.
//!
//! Then point it at a server:
//! `cargo run -- run ch15_load::report 127.0.0.1:8080 / 1000 8`.
//! Graded by: `cargo test --test ch15_load report`.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use indicatif::ProgressBar;

use super::sequential::{Outcome, Plan, Tally};

/// One worker's (or one run's) outcomes and latencies.
#[derive(Debug)]
pub struct Recorder {
    // Your fields: the tally, and a histogram of the latencies.
}

impl Recorder {
    pub fn new() -> Self {
        Recorder {}
    }

    /// Counts one request's outcome, and its latency if it succeeded.
    pub fn record(&mut self, latency: Duration, outcome: Outcome) {
        let _ = (latency, outcome);
        todo!("count the outcome; record an ok request's latency in microseconds")
    }

    /// Adds `other`'s outcomes and latencies to this recorder.
    pub fn merge(&mut self, other: &Recorder) {
        let _ = other;
        todo!("add the other tally and the other histogram")
    }

    /// The summary of everything recorded, over a run that took `elapsed`.
    pub fn summary(&self, elapsed: Duration) -> Summary {
        let _ = elapsed;
        todo!("the tally, p50, p90, p99 and max, requests per second")
    }
}

impl Default for Recorder {
    fn default() -> Self {
        Self::new()
    }
}

/// Sends `plan.requests` GETs from `workers` threads at once, with `progress`
/// moved on by one for each, and summarises them.
pub fn run(plan: &Plan, workers: usize, progress: &ProgressBar) -> Summary {
    let _ = (plan, workers, progress);
    todo!("the threaded run, a Recorder per worker, merged at the end")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What a run reports: every outcome, latency percentiles of the requests that
/// succeeded (zero when none did), and requests per second.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub tally: Tally,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// Requests sent (ok or not) per second of the run.
    pub per_second: f64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sent = self.tally.sent();
        writeln!(f, "requests: {sent}, ok: {}", self.tally.ok)?;
        for (kind, n) in &self.tally.errors {
            writeln!(f, "  {kind}: {n}")?;
        }
        writeln!(f, "requests/s: {:.1}", self.per_second)?;
        write!(
            f,
            "latency of the ok ones: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
            self.p50, self.p90, self.p99, self.max
        )
    }
}

/// A command line the program does not understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error(
        "usage: cargo run -- run ch15_load::report ADDR PATH [REQUESTS] [WORKERS]"
    )]
    Usage,
}

/// The program: `cargo run -- run ch15_load::report 127.0.0.1:8080 / 1000 8`
/// sends REQUESTS (100) GETs of PATH to ADDR from WORKERS (4) threads, with a
/// progress bar, and prints the summary.
pub fn main(args: &[String]) -> Result<(), ReportError> {
    let (addr, path, requests, workers) = match args {
        [addr, path, rest @ ..] if rest.len() <= 2 => {
            let number = |i: usize, default: usize| {
                rest.get(i).map_or(Ok(default), |s| s.parse::<usize>())
            };
            let addr: SocketAddr = addr.parse().map_err(|_| ReportError::Usage)?;
            let requests = number(0, 100).map_err(|_| ReportError::Usage)?;
            let workers = number(1, 4).map_err(|_| ReportError::Usage)?;
            (addr, path.clone(), requests, workers.max(1))
        }
        _ => return Err(ReportError::Usage),
    };
    let plan = Plan {
        addr,
        path,
        requests,
        timeout: Duration::from_secs(10),
    };
    let progress = ProgressBar::new(requests as u64);
    let summary = run(&plan, workers, &progress);
    progress.finish_and_clear();
    println!("{summary}");
    Ok(())
}
