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
    let (jobs, queue) = mpsc::channel();
    for job in specs.iter().enumerate() {
        jobs.send(job).expect("the queue is open");
    }
    drop(jobs);
    let queue = Mutex::new(queue);
    let mut results: Vec<(usize, TestResult)> = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.min(specs.len()))
            .map(|_| {
                let queue = &queue;
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let job = queue.lock().expect("no worker panics").recv();
                        let Ok((index, spec)) = job else { break mine };
                        mine.push((index, run_one(spec)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Why a suite could not be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    #[error("a pool needs at least one worker")]
    NoWorkers,
}
