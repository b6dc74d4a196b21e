//! Mistake: each worker is joined before the next one is started.

use super::sequential::{get, Plan, Tally};
use super::sync::atomic::{AtomicUsize, Ordering};
use super::sync::thread;

/// Sends `plan.requests` GETs from `workers` threads and counts their outcomes.
pub fn run(plan: &Plan, workers: usize) -> Tally {
    let taken = AtomicUsize::new(0);
    thread::scope(|scope| {
        let mut total = Tally::default();
        for _ in 0..workers {
            let worker = scope.spawn(|| {
                let mut tally = Tally::default();
                while taken.fetch_add(1, Ordering::Relaxed) < plan.requests {
                    tally.record(get(plan.addr, &plan.path, plan.timeout));
                }
                tally
            });
            total.merge(&worker.join().expect("a worker panicked"));
        }
        total
    })
}
