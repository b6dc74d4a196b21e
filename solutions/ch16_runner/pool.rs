//! # Pool: the tests on a fixed number of workers, in order — solution
//!
//! The one idea: the workers *take* tests from one shared queue, in order, and each
//! runs one test to its end before it takes the next — so never more than `workers`
//! run at once, a hanging test holds only its own worker, and every test is taken
//! exactly once. Each result goes back with the test's index, so the report keeps
//! the suite's order whatever order the tests finish in.

use std::sync::mpsc;
use std::sync::Mutex;
use std::thread;

use super::sequential::{run_one, TestResult, TestSpec};

/// Runs `specs` on `workers` worker threads; the results in the order of `specs`.
pub fn run_parallel(
    specs: &[TestSpec],
    workers: usize,
) -> Result<Vec<TestResult>, PoolError> {
    if workers == 0 {
        return Err(PoolError::NoWorkers);
    }
    let queue = Mutex::new(specs.iter().enumerate());
    let (done, results) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..workers.min(specs.len()) {
            let done = done.clone();
            let queue = &queue;
            scope.spawn(move || loop {
                // Take the next test, and let go of the queue before running it.
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                let Some((index, spec)) = next else { break };
                if done.send((index, run_one(spec))).is_err() {
                    break;
                }
            });
        }
    });
    drop(done);
    let mut ordered: Vec<Option<TestResult>> = vec![None; specs.len()];
    for (index, result) in results {
        ordered[index] = Some(result);
    }
    Ok(ordered
        .into_iter()
        .map(|result| {
            result.expect("every worker sends the result of every test it took")
        })
        .collect())
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Why a suite could not be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    #[error("a pool needs at least one worker")]
    NoWorkers,
}
