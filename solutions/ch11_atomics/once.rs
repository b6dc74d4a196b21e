//! # once — solution
//!
//! The one idea: a `compare_exchange` from `EMPTY` to `RUNNING` elects the one
//! thread that runs `f`; it writes the value and *then* stores `READY` with
//! `Release` (under the lock, so no waiter can miss the notification), and every
//! reader loads `READY` with `Acquire`, which makes the value's write happen
//! before its read. `OnceLock::get_or_init` is all of that in one call.

use std::collections::BTreeMap;

use super::sync::atomic::{AtomicU8, Ordering};
use super::sync::cell::UnsafeCell;
use super::sync::{Condvar, Mutex, OnceLock};

const EMPTY: u8 = 0;
const RUNNING: u8 = 1;
const READY: u8 = 2;

/// A value made once, on first use, by whichever thread asks first.
#[derive(Debug)]
pub struct Once<T> {
    state: AtomicU8,
    /// Held while changing `state` to `READY`, and by the threads that wait.
    lock: Mutex<()>,
    /// Notified when the value is ready.
    ready: Condvar,
    value: UnsafeCell<Option<T>>,
}

impl<T> Once<T> {
    pub fn new() -> Once<T> {
        Once {
            state: AtomicU8::new(EMPTY),
            lock: Mutex::new(()),
            ready: Condvar::new(),
            value: UnsafeCell::new(None),
        }
    }

    /// The value, if it has been made.
    pub fn get(&self) -> Option<&T> {
        if self.state.load(Ordering::Acquire) != READY {
            return None;
        }
        // SAFETY: the value is written before `state` becomes `READY`, and never
        // again.
        self.value.with(|p| unsafe { (*p).as_ref() })
    }

    /// The value, made by `f` if nobody has made it yet.
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        if let Some(value) = self.get() {
            return value;
        }
        let claimed = self.state.compare_exchange(
            EMPTY,
            RUNNING,
            Ordering::Acquire,
            Ordering::Acquire,
        );
        if claimed.is_ok() {
            let value = f();
            // SAFETY: only the thread that moved `state` from `EMPTY` writes, and
            // nobody reads before `READY`.
            self.value.with_mut(|p| unsafe { *p = Some(value) });
            let _locked = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.state.store(READY, Ordering::Release);
            self.ready.notify_all();
        } else {
            let mut locked = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            while self.state.load(Ordering::Acquire) != READY {
                locked = self.ready.wait(locked).unwrap_or_else(|e| e.into_inner());
            }
        }
        self.get().expect("the value is ready")
    }
}

impl<T> Default for Once<T> {
    fn default() -> Once<T> {
        Once::new()
    }
}

/// Settings of `key = value` lines, parsed on first use.
#[derive(Debug)]
pub struct Settings<P> {
    text: String,
    parse: P,
    parsed: OnceLock<BTreeMap<String, String>>,
}

impl<P: Fn(&str) -> BTreeMap<String, String>> Settings<P> {
    /// Settings from `text`, to be parsed by `parse`.
    pub fn new(text: &str, parse: P) -> Settings<P> {
        Settings {
            text: text.to_owned(),
            parse,
            parsed: OnceLock::new(),
        }
    }

    /// The value of `key`; the text is parsed the first time anyone asks.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.parsed
            .get_or_init(|| (self.parse)(&self.text))
            .get(key)
            .map(String::as_str)
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

// SAFETY: one thread writes the value, before `READY`; the others only read it, as
// `&T`, after; it may be dropped on any thread. As `std::sync::OnceLock`.
unsafe impl<T: Send + Sync> Sync for Once<T> {}

/// A parser for [`Settings`]: `key = value` lines (blank lines and lines without
/// `=` are skipped; both sides trimmed).
pub fn parse_lines(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}
