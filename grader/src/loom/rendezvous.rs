//! The rendezvous of `grader::rendezvous` for loom models, over loom's primitives, so a
//! model proves "all N were inside at once" without hand-rolling a mutex and a condvar.

use loom::sync::{Condvar, Mutex};

/// A start line for `n` loom threads: [`arrive`](StartLine::arrive) returns only once all
/// `n` have arrived. Code that runs the participants one after another never gets them
/// all there: loom reports the deadlock.
#[derive(Debug)]
pub struct StartLine {
    expected: usize,
    arrived: Mutex<usize>,
    all_here: Condvar,
}

impl StartLine {
    pub fn new(expected: usize) -> StartLine {
        StartLine {
            expected,
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        }
    }

    /// Arrives and waits until all participants have arrived.
    #[track_caller]
    pub fn arrive(&self) {
        let mut arrived = self.arrived.lock().expect("loom locks are never poisoned");
        *arrived += 1;
        self.all_here.notify_all();
        while *arrived < self.expected {
            arrived = self.all_here.wait(arrived).expect("never poisoned");
        }
    }

    /// How many have arrived so far.
    pub fn arrived(&self) -> usize {
        *self.arrived.lock().expect("never poisoned")
    }
}
