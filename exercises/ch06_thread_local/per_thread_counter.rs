//! # A hot counter per thread, merged at the end
//!
//! Counting events from many threads into one shared number makes every increment
//! fight over one cache line (an atomic) or one lock (a `Mutex`). The thread-local
//! way: each worker counts into its *own* slot — an ordinary `Cell`, nothing shared
//! — and the totals are merged once, when the workers finish. The chapter's
//! benchmark measures the difference.
//!
//! Your tasks:
//! 1. `record`, `local_count`, `take_local`: a `super::sync::thread_local!` count of
//!    this thread's events. `take_local` returns the count and resets it to 0, so a
//!    thread that is reused (as in a pool) never counts anything twice.
//! 2. `count_in_workers`: it is written, but it merges the wrong thread's count and
//!    always answers 0. Fix it so the total is exact for any number of workers and
//!    loads, however often it is called, and leaves the calling thread's own count
//!    as it was.
//!
//! Graded by: `cargo test --test ch06_thread_local per_thread_counter`.

use super::sync::thread;

/// Counts `n` events on the current thread: no lock, no atomic, nothing shared.
pub fn record(n: u64) {
    let _ = n;
    todo!("add n to this thread's own count (a thread_local! Cell)")
}

/// What the current thread has counted since its last [`take_local`].
pub fn local_count() -> u64 {
    todo!("read this thread's count")
}

/// The current thread's count, which is reset to 0 (so a reused thread never counts
/// twice).
pub fn take_local() -> u64 {
    todo!("return this thread's count and reset it to 0")
}

/// One worker per entry of `loads`; worker `i` records `loads[i]` single events, one
/// at a time. Returns the exact total of every worker's count.
pub fn count_in_workers(loads: &[u64]) -> u64 {
    let workers: Vec<_> = loads
        .iter()
        .map(|&load| {
            thread::spawn(move || {
                for _ in 0..load {
                    record(1);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a counting worker panicked");
    }
    // THE BUG: this runs on the caller's thread, which counted nothing.
    take_local()
}
