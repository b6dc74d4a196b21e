//! # stop_flag: tell worker threads to stop
//!
//! The Python way: a global `stop = False`, workers that loop `while not stop:`,
//! and a main thread that sets `stop = True` and joins them. It works because the
//! interpreter re-reads the global on every round and its lock (the GIL) makes the
//! write visible. In Rust a plain `bool` cannot even be written while other threads
//! hold a `&` to it, and an optimiser may read a non-atomic value *once* and keep it
//! in a register. An `AtomicBool` is a `bool` that many threads may load and store
//! at once, and every load really reads it.
//!
//! Your tasks:
//! 1. `StopFlag`: `stop` sets the flag (for good: it is never cleared), and
//!    `is_stopped` says whether it is set. Choose the ordering of the store and
//!    the load, and write down why it is enough: what, if anything, does a worker
//!    need to see *besides* the flag itself?
//! 2. `start`: worker `i` (0 ≤ i < n) checks the flag before every call of
//!    `step(i)`, and calls `hint::spin_loop()` (from `super::sync`) after each
//!    call; at the first check that finds the flag set it returns how many calls
//!    it made. Each worker runs on a thread of its own. As written, the workers
//!    never stop: find out why.
//! 3. `Workers::stop`: stop every worker, wait for each, and return their calls in
//!    the order of `i`.
//!
//! Graded by: `cargo test --test ch11_atomics stop_flag` (the `loom_*` test runs
//! the workers and `stop` through every interleaving).

use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::{hint, thread, Arc};

/// A flag that is set once and then stays set.
#[derive(Debug, Default)]
pub struct StopFlag {
    stopped: AtomicBool,
}

impl StopFlag {
    pub fn new() -> StopFlag {
        StopFlag {
            stopped: AtomicBool::new(false),
        }
    }

    /// Sets the flag.
    pub fn stop(&self) {
        let _ = Ordering::Relaxed;
        todo!("store true in the flag, with the ordering you chose")
    }

    /// Whether the flag is set.
    pub fn is_stopped(&self) -> bool {
        todo!("load the flag, with the ordering you chose")
    }
}

/// Workers started by [`start`], running until [`Workers::stop`].
#[derive(Debug)]
pub struct Workers {
    flag: Arc<StopFlag>,
    threads: Vec<thread::JoinHandle<u64>>,
}

/// Starts `n` workers; worker `i` calls `step(i)` until the flag is set.
pub fn start<F>(n: usize, step: F) -> Workers
where
    F: Fn(usize) + Send + Sync + 'static,
{
    let flag = Arc::new(StopFlag::new());
    let step = Arc::new(step);
    let threads = (0..n)
        .map(|i| {
            let (flag, step) = (Arc::clone(&flag), Arc::clone(&step));
            thread::spawn(move || {
                let mut calls = 0;
                let stopped = flag.is_stopped();
                loop {
                    if stopped {
                        return calls;
                    }
                    step(i);
                    calls += 1;
                    hint::spin_loop();
                }
            })
        })
        .collect();
    Workers { flag, threads }
}

impl Workers {
    /// Stops every worker; returns how many calls each made, in the order of `i`.
    pub fn stop(self) -> Vec<u64> {
        let _ = (&self.flag, self.threads);
        todo!("set the flag, then join every worker")
    }
}
