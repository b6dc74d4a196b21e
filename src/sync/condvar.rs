//! std's `Condvar`, with deliberate spurious wake-ups in the test binaries.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LockResult, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Whether waits wake up spuriously on purpose (test binaries only).
pub(super) static SPURIOUS: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The condvars this thread's last wait on returned spuriously.
    static LAST_SPURIOUS: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// Every wait of this thread returns spuriously (a test asked, see `grader::spurious`).
    static EVERY_WAIT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Makes every wait of the calling thread, on any [`Condvar`], return at once without a
/// notification (on) or go back to the usual every other one (off). For tests only: a
/// timed wait that starts its clock again after each wake-up then never ends.
pub(super) fn every_wait_spurious(on: bool) {
    EVERY_WAIT.with(|every| every.set(on));
}

/// A condition variable: std's `Condvar` with the same methods. In the test binaries every
/// other wait of a thread on it returns at once, without a notification, as std allows: a
/// waiter must check its condition again after every wake-up (`while`, or `wait_while`).
#[derive(Debug, Default)]
pub struct Condvar {
    inner: std::sync::Condvar,
}

/// Whether a timed wait returned because its time ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    /// `true` when the wait ended because its time ran out.
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    pub const fn new() -> Condvar {
        Condvar {
            inner: std::sync::Condvar::new(),
        }
    }

    /// Whether this wait is one that returns spuriously: every other wait of a thread.
    fn spurious_turn(&self) -> bool {
        if EVERY_WAIT.with(|every| every.get()) {
            return true;
        }
        if !SPURIOUS.load(Ordering::Relaxed) {
            return false;
        }
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
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        if self.spurious_turn() {
            // Unlock and lock again at once: a wake-up without a notification.
            return match self.inner.wait_timeout(guard, Duration::ZERO) {
                Ok((guard, _)) => Ok(guard),
                Err(poisoned) => Err(PoisonError::new(poisoned.into_inner().0)),
            };
        }
        self.inner.wait(guard)
    }

    /// Waits while `condition` holds (checking it again after every wake-up).
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

    /// Waits for a notification (or a spurious wake-up) for at most `timeout`.
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let wait = if self.spurious_turn() {
            Duration::ZERO
        } else {
            timeout
        };
        let spurious = wait != timeout;
        match self.inner.wait_timeout(guard, wait) {
            Ok((guard, result)) => Ok((guard, WaitTimeoutResult(result.timed_out() && !spurious))),
            Err(poisoned) => {
                let (guard, result) = poisoned.into_inner();
                let timed_out = result.timed_out() && !spurious;
                Err(PoisonError::new((guard, WaitTimeoutResult(timed_out))))
            }
        }
    }

    /// Waits while `condition` holds, for at most `timeout` in all.
    pub fn wait_timeout_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        let deadline = Instant::now() + timeout;
        while condition(&mut *guard) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok((guard, WaitTimeoutResult(true)));
            }
            guard = match self.wait_timeout(guard, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => {
                    let (guard, _) = poisoned.into_inner();
                    return Err(PoisonError::new((guard, WaitTimeoutResult(false))));
                }
            };
        }
        Ok((guard, WaitTimeoutResult(false)))
    }

    pub fn notify_one(&self) {
        self.inner.notify_one();
    }

    pub fn notify_all(&self) {
        self.inner.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn every_other_wait_returns_without_a_notification() {
        super::super::__spurious_wakeups(true);
        let (lock, cv) = (Mutex::new(()), Condvar::new());
        // Nobody notifies: the first wait returns spuriously at once.
        let guard = cv.wait(lock.lock().unwrap()).unwrap();
        // A timed wait that is not spurious times out.
        let (guard, result) = cv.wait_timeout(guard, Duration::from_millis(1)).unwrap();
        assert!(result.timed_out());
        // The next is spurious again: not timed out, and at once.
        let (_guard, result) = cv.wait_timeout(guard, Duration::from_secs(60)).unwrap();
        assert!(!result.timed_out());
    }
}
