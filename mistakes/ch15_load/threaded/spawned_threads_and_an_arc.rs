//! Alternative: `thread::spawn` with the plan and the counter in an `Arc`.

use super::sequential::{get, Plan, Tally};
use super::sync::atomic::{AtomicUsize, Ordering};
use super::sync::{thread, Arc};

/// Sends `plan.requests` GETs from `workers` threads at once and counts their
/// outcomes.
pub fn run(plan: &Plan, workers: usize) -> Tally {
    let shared = Arc::new((plan.clone(), AtomicUsize::new(0)));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                let (plan, taken) = &*shared;
                let mut tally = Tally::default();
                while taken.fetch_add(1, Ordering::SeqCst) < plan.requests {
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
}
