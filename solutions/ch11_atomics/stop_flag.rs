//! # stop_flag — solution
//!
//! The one idea: the flag carries no data, so `Relaxed` is enough. A worker needs
//! to see only the flag itself, and every load of an atomic sees its latest stores
//! "eventually"; what the workers did comes back through `join`, which orders
//! everything the thread did before whatever follows the join.

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
        // Nothing is published through the flag: no other memory needs ordering.
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Whether the flag is set.
    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
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
                while !flag.is_stopped() {
                    step(i);
                    calls += 1;
                    hint::spin_loop();
                }
                calls
            })
        })
        .collect();
    Workers { flag, threads }
}

impl Workers {
    /// Stops every worker; returns how many calls each made, in the order of `i`.
    pub fn stop(self) -> Vec<u64> {
        self.flag.stop();
        self.threads
            .into_iter()
            .map(|t| t.join().expect("a worker panicked"))
            .collect()
    }
}
