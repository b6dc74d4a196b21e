//! Threads the test can watch in `/proc`: started so that each tells its kernel thread
//! id, and a wait until one of them is asleep in the kernel (or done). A thread blocked
//! in a `Condvar` or lock wait sleeps; one that spins or polls keeps running, so "asleep
//! and not finished" proves a real wait without a clock.

use std::sync::{mpsc, Arc};
use std::thread;

use crate::procfs::thread_asleep;

/// Waits until thread `tid`, which runs `handle`, is asleep in the kernel (seen so twice
/// in a row) or has finished. The proof that it *waits* is then that it has not finished.
pub fn asleep_or_finished<T>(tid: i32, handle: &thread::JoinHandle<T>) {
    let asleep = || {
        thread_asleep(tid) && {
            thread::yield_now();
            thread_asleep(tid)
        }
    };
    while !handle.is_finished() && !asleep() {
        thread::yield_now();
    }
}

/// Starts `n` threads running `body(i)`; returns their handles once each has told its
/// kernel thread id, and those ids, in the same order.
pub fn spawn_watched<T: Send + 'static>(
    n: usize,
    body: impl Fn(usize) -> T + Send + Sync + 'static,
) -> (Vec<thread::JoinHandle<T>>, Vec<i32>) {
    let body = Arc::new(body);
    let (ids, tids) = mpsc::channel();
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (body, ids) = (Arc::clone(&body), ids.clone());
            thread::spawn(move || {
                ids.send((i, crate::procfs::tid())).unwrap();
                body(i)
            })
        })
        .collect();
    let mut told: Vec<(usize, i32)> = tids.iter().take(n).collect();
    told.sort_unstable();
    (handles, told.into_iter().map(|(_, tid)| tid).collect())
}
