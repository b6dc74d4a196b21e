//! # Report: latency percentiles, errors by kind, a progress bar
//!
//! The idea: each worker owns its recorder, so recording is a plain write; an
//! HDR histogram keeps every latency to 3 significant digits in fixed buckets,
//! and two of them merge by adding bucket counts.

use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use indicatif::ProgressBar;

use super::sequential::{get, Outcome, Plan, Tally};
use super::sync::atomic::{AtomicUsize, Ordering};
use super::sync::thread;

/// One worker's (or one run's) outcomes and latencies.
#[derive(Debug)]
pub struct Recorder {
    tally: Tally,
    /// Latencies of the requests that succeeded, in microseconds.
    latencies: Histogram<u64>,
}

impl Recorder {
    pub fn new() -> Self {
        Recorder {
            tally: Tally::default(),
            latencies: Histogram::new(3).expect("3 significant digits are allowed"),
        }
    }

    /// Counts one request's outcome, and its latency if it succeeded.
    pub fn record(&mut self, latency: Duration, outcome: Outcome) {
        if outcome.is_ok() {
            let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
            self.latencies
                .record(micros)
                .expect("an auto-resizing histogram takes any value");
        }
        self.tally.record(outcome);
    }

    /// Adds `other`'s outcomes and latencies to this recorder.
    pub fn merge(&mut self, other: &Recorder) {
        self.tally.merge(&other.tally);
        self.latencies
            .add(&other.latencies)
            .expect("an auto-resizing histogram takes any other");
    }

    /// The summary of everything recorded, over a run that took `elapsed`.
    pub fn summary(&self, elapsed: Duration) -> Summary {
        let at = |q: f64| match self.latencies.is_empty() {
            true => Duration::ZERO,
            false => Duration::from_micros(self.latencies.value_at_quantile(q)),
        };
        let seconds = elapsed.as_secs_f64();
        Summary {
            tally: self.tally.clone(),
            p50: at(0.5),
            p90: at(0.9),
            p99: at(0.99),
            max: at(1.0),
            per_second: match seconds > 0.0 {
                true => self.tally.sent() as f64 / seconds,
                false => 0.0,
            },
        }
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
    let started = Instant::now();
    let taken = AtomicUsize::new(0);
    let recorder = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut recorder = Recorder::new();
                    while taken.fetch_add(1, Ordering::Relaxed) < plan.requests {
                        let sent = Instant::now();
                        let outcome = get(plan.addr, &plan.path, plan.timeout);
                        recorder.record(sent.elapsed(), outcome);
                        progress.inc(1);
                    }
                    recorder
                })
            })
            .collect();
        let mut all = Recorder::new();
        for handle in handles {
            all.merge(&handle.join().expect("a worker panicked"));
        }
        all
    });
    recorder.summary(started.elapsed())
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
