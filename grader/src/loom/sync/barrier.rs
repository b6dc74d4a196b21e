//! `Barrier` over loom's mutex and condition variable (loom has none of its own).

/// A barrier for `n` threads, as `std::sync::Barrier`.
#[derive(Debug)]
pub struct Barrier {
    n: usize,
    state: loom::sync::Mutex<(usize, u64)>,
    all_here: loom::sync::Condvar,
}

/// Whether this thread was the leader: the one that arrived last, as std's.
#[derive(Debug)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    pub fn new(n: usize) -> Barrier {
        Barrier {
            n,
            state: loom::sync::Mutex::new((0, 0)),
            all_here: loom::sync::Condvar::new(),
        }
    }

    /// Blocks until `n` threads have called `wait`; then all go on.
    #[track_caller]
    pub fn wait(&self) -> BarrierWaitResult {
        let mut state = self.state.lock().expect("loom locks are never poisoned");
        let generation = state.1;
        state.0 += 1;
        if state.0 < self.n {
            while generation == state.1 {
                state = self.all_here.wait(state).expect("never poisoned");
            }
            BarrierWaitResult(false)
        } else {
            state.0 = 0;
            state.1 = state.1.wrapping_add(1);
            self.all_here.notify_all();
            BarrierWaitResult(true)
        }
    }
}
