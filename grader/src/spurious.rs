//! Spurious wake-ups on demand, to catch a timed wait that starts its clock again after
//! every wake-up.
//!
//! In the test binaries the facade's `Condvar` wakes every other wait spuriously. Under
//! [`every_wait`], every wait of the calling thread returns at once without a
//! notification: a `get_timeout(50 ms)` that keeps one deadline still gives up after its
//! 50 ms (re-checking as fast as it can meanwhile); one that waits the whole timeout
//! again after each wake-up never gives up, and the test's watchdog says so.

/// While the returned guard lives, every wait of this thread on the facade's `Condvar`
/// returns spuriously (std flavour; loom models need no help: they never time out).
#[must_use = "the spurious wake-ups end when the guard is dropped"]
pub fn every_wait() -> EveryWait {
    workbook::sync::__every_wait_spurious_on_this_thread(true);
    EveryWait(std::marker::PhantomData)
}

/// Ends [`every_wait`] for this thread when dropped (not `Send`: it belongs to the thread).
#[derive(Debug)]
pub struct EveryWait(std::marker::PhantomData<*const ()>);

impl Drop for EveryWait {
    fn drop(&mut self) {
        workbook::sync::__every_wait_spurious_on_this_thread(false);
    }
}
