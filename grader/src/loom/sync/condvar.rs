//! A condition variable over loom's, with the std flavour's deliberate spurious wake-ups
//! (every other wait of a thread returns without a notification) and all of std's waits.

use std::cell::RefCell;
use std::sync::{LockResult, PoisonError};
use std::time::Duration;

use super::mutex::MutexGuard;

loom::thread_local! {
    /// The condvars this (loom) thread's last wait on returned spuriously.
    static LAST_SPURIOUS: RefCell<Vec<usize>> = RefCell::new(Vec::new());
}

/// A condition variable, as `std::sync::Condvar`.
#[derive(Debug, Default)]
pub struct Condvar {
    inner: loom::sync::Condvar,
}

/// Whether a timed wait returned because its time ran out: in a model, never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    pub fn new() -> Condvar {
        Condvar {
            inner: loom::sync::Condvar::new(),
        }
    }

    fn spurious_turn(&self) -> bool {
        let me = self as *const Condvar as usize;
        LAST_SPURIOUS.with(|last| {
            let mut last = last.borrow_mut();
            match last.iter().position(|&c| c == me) {
                Some(i) => {
                    last.swap_remove(i);
                    false
                }
                None => {
                    last.push(me);
                    true
                }
            }
        })
    }

    /// Unlocks, waits for a notification (or wakes up spuriously), locks again.
    #[track_caller]
    pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        let inner = guard.inner.take().expect("a held guard");
        if self.spurious_turn() {
            // A wake-up without a notification: unlock and lock again (loom may let other
            // threads run in between, or not).
            drop(inner);
            return guard.mutex.lock();
        }
        match self.inner.wait(inner) {
            Ok(inner) => {
                guard.inner = Some(inner);
                Ok(guard)
            }
            Err(e) => {
                guard.inner = Some(e.into_inner());
                Err(PoisonError::new(guard))
            }
        }
    }

    #[track_caller]
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// As [`wait`](Condvar::wait): in a model time does not pass, so the wait ends only by
    /// a notification or a spurious wake-up, never by its timeout.
    #[track_caller]
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        _timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        match self.wait(guard) {
            Ok(guard) => Ok((guard, WaitTimeoutResult(false))),
            Err(e) => Err(PoisonError::new((e.into_inner(), WaitTimeoutResult(false)))),
        }
    }

    #[track_caller]
    pub fn wait_timeout_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = match self.wait_timeout(guard, timeout) {
                Ok((guard, _)) => guard,
                Err(e) => return Err(e),
            };
        }
        Ok((guard, WaitTimeoutResult(false)))
    }

    #[track_caller]
    pub fn notify_one(&self) {
        self.inner.notify_one();
    }

    #[track_caller]
    pub fn notify_all(&self) {
        self.inner.notify_all();
    }
}
