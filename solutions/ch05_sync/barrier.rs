//! # A reusable barrier — solution
//!
//! The one idea: *wait for the round to change, not for a count*. The last arrival
//! resets the count for the next round and bumps a generation number; the others
//! sleep until the generation differs from the one they arrived in. The count may
//! already be climbing again for the next round when they wake, and that no longer
//! confuses them.

use super::sync::{Condvar, Mutex, MutexGuard};

/// Python's `threading.Barrier(n)`: `n` threads meet, then all go on; usable again
/// and again.
#[derive(Debug)]
pub struct Barrier {
    parties: usize,
    state: Mutex<Round>,
    all_here: Condvar,
}

#[derive(Debug)]
struct Round {
    arrived: usize,
    generation: u64,
}

impl Barrier {
    /// A barrier for `parties` threads. Panics if `parties` is 0.
    pub fn new(parties: usize) -> Self {
        assert!(parties > 0, "a Barrier needs at least one party");
        Barrier {
            parties,
            state: Mutex::new(Round {
                arrived: 0,
                generation: 0,
            }),
            all_here: Condvar::new(),
        }
    }

    /// Waits until `parties` threads have called `wait` in this round. Exactly one
    /// of them gets `true` (the leader).
    pub fn wait(&self) -> bool {
        let mut round = self.lock();
        round.arrived += 1;
        if round.arrived == self.parties {
            round.arrived = 0;
            round.generation = round.generation.wrapping_add(1);
            drop(round);
            self.all_here.notify_all();
            return true;
        }
        let mine = round.generation;
        while round.generation == mine {
            round = self.all_here.wait(round).unwrap_or_else(|e| e.into_inner());
        }
        false
    }

    fn lock(&self) -> MutexGuard<'_, Round> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
