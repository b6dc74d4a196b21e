//! # A hot counter per thread, merged at the end — solution
//!
//! The one idea: a thread-local count is read by *the thread that owns it*. Each
//! worker takes (reads and resets) its own count as its last act and hands it back
//! through `join`; the caller adds the handed-back numbers. Nothing is shared while
//! counting.

use std::cell::Cell;

use super::sync::thread;

super::sync::thread_local! {
    /// This thread's count of events.
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

/// Counts `n` events on the current thread: no lock, no atomic, nothing shared.
pub fn record(n: u64) {
    COUNT.with(|count| count.set(count.get() + n));
}

/// What the current thread has counted since its last [`take_local`].
pub fn local_count() -> u64 {
    COUNT.with(Cell::get)
}

/// The current thread's count, which is reset to 0 (so a reused thread never counts
/// twice).
pub fn take_local() -> u64 {
    COUNT.with(|count| count.replace(0))
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
                take_local()
            })
        })
        .collect();
    workers
        .into_iter()
        .map(|worker| worker.join().expect("a counting worker panicked"))
        .sum()
}
