//! Rendezvous that prove concurrency by structure, never by the clock: [`StartLine`]
//! ("every participant was running at one moment") and [`PeakCounter`] ("never more than
//! N inside at once").

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use crate::limit;

/// A start line for `n` participants: [`arrive`](StartLine::arrive) returns only once all
/// `n` have arrived, so every participant that got past it was running at the same moment
/// as all the others. Sequential code never gets everyone there: the first participant
/// gives up after [`limit`] with [`NotTogether`].
#[derive(Debug)]
pub struct StartLine {
    expected: usize,
    arrived: Mutex<usize>,
    all_here: Condvar,
}

/// Returned by [`StartLine::arrive`] when the others never came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("only {arrived} of {expected} participants were ever running at the same time")]
pub struct NotTogether {
    pub arrived: usize,
    pub expected: usize,
}

impl StartLine {
    pub fn new(expected: usize) -> Self {
        StartLine {
            expected,
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        }
    }

    /// Arrives and waits (at most [`limit`]) until all participants have arrived.
    pub fn arrive(&self) -> Result<(), NotTogether> {
        let mut arrived = self.arrived.lock().unwrap_or_else(|e| e.into_inner());
        *arrived += 1;
        self.all_here.notify_all();
        let deadline = Instant::now() + limit();
        while *arrived < self.expected {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(NotTogether {
                    arrived: *arrived,
                    expected: self.expected,
                });
            }
            arrived = self
                .all_here
                .wait_timeout(arrived, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        Ok(())
    }

    /// How many have arrived so far.
    pub fn arrived(&self) -> usize {
        *self.arrived.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Counts how many participants are inside a section at once and remembers the peak.
#[derive(Debug, Default)]
pub struct PeakCounter {
    inside: AtomicUsize,
    peak: AtomicUsize,
}

/// Leaves the section when dropped.
#[derive(Debug)]
pub struct Inside<'a>(&'a PeakCounter);

impl PeakCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Enters the section; the returned guard leaves it.
    pub fn enter(&self) -> Inside<'_> {
        let now = self.inside.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Inside(self)
    }

    /// The most that were ever inside at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// How many are inside now.
    pub fn inside(&self) -> usize {
        self.inside.load(Ordering::SeqCst)
    }
}

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.inside.fetch_sub(1, Ordering::SeqCst);
    }
}
