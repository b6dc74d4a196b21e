//! # publish: data, then a flag that says it is ready
//!
//! One thread fills in a value and then sets `ready`; another waits for `ready`
//! and then reads the value. In Python this just works: threads take turns under
//! the interpreter's lock, and every write is seen by the next thread to run. (Even
//! free-threaded CPython promises only that its own objects stay intact; Python has
//! no memory model a program can lean on.) Rust has one, C++'s: unless the flag's
//! store and load *synchronise*, the reader may see `ready == true` and still the
//! old value — on an ARM phone it really happens, and on x86 the compiler may
//! reorder the two writes for you.
//!
//! `mailbox()` makes a one-shot mailbox: a `Publisher` that may `publish` once (it
//! is used up by it) and `Reader`s (clone them freely) that `try_read` (`None`
//! until the value is there) or `wait` for it (spinning, with `hint::spin_loop()`
//! in every round). The value lives in the facade's `UnsafeCell`, so in the loom
//! check every read and write of it is watched: a read that is not ordered after
//! the write is a "Causality violation".
//!
//! Your task: as written, every ordering is `Relaxed`, and loom finds a reader that
//! sees the flag but not the data. Choose the orderings (or fences) that make the
//! write of the value *happen before* every read of it that follows a `true` flag.
//! Change nothing else: the `unsafe` blocks are right once the flag is.
//!
//! Graded by: `cargo test --test ch11_atomics publish` (the `loom_*` tests).

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
        self.slot.ready.store(true, Ordering::Relaxed);
    }
}

impl<T> Reader<T> {
    /// The value, if it has been published.
    pub fn try_read(&self) -> Option<&T> {
        if !self.slot.ready.load(Ordering::Relaxed) {
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
