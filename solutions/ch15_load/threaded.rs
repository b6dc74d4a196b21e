//! # Threaded: a thread per worker, one shared plan
//!
//! The idea: the plan is a shared count that each worker decrements atomically
//! (`fetch_add` hands every request number out exactly once), and each worker
//! keeps its own tally, so they share nothing else until the tallies are merged.

use super::sequential::{get, Plan, Tally};
use super::sync::atomic::{AtomicUsize, Ordering};
use super::sync::thread;

/// Sends `plan.requests` GETs from `workers` threads at once and counts their
/// outcomes.
pub fn run(plan: &Plan, workers: usize) -> Tally {
    let taken = AtomicUsize::new(0);
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut tally = Tally::default();
                    while taken.fetch_add(1, Ordering::Relaxed) < plan.requests {
                        tally.record(get(plan.addr, &plan.path, plan.timeout));
                    }
                    tally
                })
            })
            .collect();
        let mut total = Tally::default();
        for handle in handles {
            total.merge(&handle.join().expect("a worker panicked"));
        }
        total
    })
}
