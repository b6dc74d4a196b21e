//! # publish — solution
//!
//! The one idea: a `Release` store and an `Acquire` load that reads it
//! *synchronise*: everything the publisher wrote before its store happens before
//! everything the reader does after its load. The value is written before the
//! store, read after the load — so a reader that sees `ready` sees the value.

use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::cell::UnsafeCell;
use super::sync::{hint, Arc};

/// Writes the value once.
#[derive(Debug)]
pub struct Publisher<T> {
    slot: Arc<Slot<T>>,
}

/// Reads the value once it is there.
#[derive(Debug)]
pub struct Reader<T> {
    slot: Arc<Slot<T>>,
}

impl<T> Publisher<T> {
    /// Puts `value` in the mailbox and tells the readers.
    pub fn publish(self, value: T) {
        // SAFETY: only the one publisher writes, once (`self` is used up), and no
        // reader reads before it sees `ready` set below.
        self.slot.value.with_mut(|p| unsafe { *p = Some(value) });
        self.slot.ready.store(true, Ordering::Release);
    }
}

impl<T> Reader<T> {
    /// The value, if it has been published.
    pub fn try_read(&self) -> Option<&T> {
        if !self.slot.ready.load(Ordering::Acquire) {
            return None;
        }
        // SAFETY: `ready` is set only after the value was written, and the value
        // never changes again.
        self.slot.value.with(|p| unsafe { (*p).as_ref() })
    }

    /// Waits (spinning) until the value is published; returns it.
    pub fn wait(&self) -> &T {
        loop {
            if let Some(value) = self.try_read() {
                return value;
            }
            hint::spin_loop();
        }
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What a publisher and its readers share.
#[derive(Debug)]
struct Slot<T> {
    ready: AtomicBool,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is written by one thread, once, before `ready` is set, and read
// (as `&T`, by many threads) only after; it may be dropped on any thread.
unsafe impl<T: Send + Sync> Sync for Slot<T> {}
unsafe impl<T: Send> Send for Slot<T> {}

/// A new, empty mailbox.
pub fn mailbox<T>() -> (Publisher<T>, Reader<T>) {
    let slot = Arc::new(Slot {
        ready: AtomicBool::new(false),
        value: UnsafeCell::new(None),
    });
    (
        Publisher {
            slot: Arc::clone(&slot),
        },
        Reader { slot },
    )
}

impl<T> Clone for Reader<T> {
    fn clone(&self) -> Reader<T> {
        Reader {
            slot: Arc::clone(&self.slot),
        }
    }
}
