//! Alternative: one tally and one request count, each behind a lock.

use super::sequential::{get, Plan, Tally};
use super::sync::{thread, Mutex};

/// Sends `plan.requests` GETs from `workers` threads at once and counts their
/// outcomes.
pub fn run(plan: &Plan, workers: usize) -> Tally {
    let left = Mutex::new(plan.requests);
    let tally = Mutex::new(Tally::default());
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                {
                    let mut left = left.lock().unwrap();
                    if *left == 0 {
                        break;
                    }
                    *left -= 1;
                }
                let outcome = get(plan.addr, &plan.path, plan.timeout);
                tally.lock().unwrap().record(outcome);
            });
        }
    });
    tally.into_inner().unwrap()
}
