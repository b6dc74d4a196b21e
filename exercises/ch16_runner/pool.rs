//! # Pool: the tests on a fixed number of workers, results in the order given
//!
//! Seed 000's point about Selenium Grid is that *distributing* tests is not yet
//! running them *in parallel*: on each machine the tests still need threads or
//! processes of their own. This stage is that parallel part on one machine: a
//! fixed number of workers, each running one test program at a time with
//! `run_one` (every test is already a process of its own; a worker is the thread
//! that waits for it).
//!
//! Your task — `run_parallel(specs, workers)`:
//! - `workers == 0` is `Err(PoolError::NoWorkers)` (such a pool would never run a
//!   test); an empty suite is `Ok` with no results.
//! - At most `workers` tests run at any moment, and as many as that whenever
//!   enough are waiting: a worker takes the next test as soon as it is free, so a
//!   hanging test holds only its own worker until its timeout.
//! - Tests are *started* in the order given: a worker that is free takes the
//!   first test nobody has taken yet.
//! - Every test runs exactly once, and the results come back in the order of
//!   `specs`, whatever order the tests finish in.
//!
//! The tests' scripts prove who ran with whom: some end only when *n* of them run
//! at once, some wait for a later test to start, some log every run to a file. A
//! pool that runs too few at once, too many, or a test twice fails every time.
//! Graded by: `cargo test --test ch16_runner pool`.

use super::sequential::{TestResult, TestSpec};

/// Runs `specs` on `workers` worker threads; the results in the order of `specs`.
pub fn run_parallel(
    specs: &[TestSpec],
    workers: usize,
) -> Result<Vec<TestResult>, PoolError> {
    let _ = (specs, workers);
    todo!("`workers` threads that each take the next test and run it with `run_one`")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Why a suite could not be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    #[error("a pool needs at least one worker")]
    NoWorkers,
}
