//! `OnceLock` and `LazyLock` over loom's primitives (loom has neither), so that loom
//! sees initialisers race: the value is kept in loom's `UnsafeCell` and published with
//! a `Release` store that readers `Acquire`, and a thread that finds another one
//! initialising waits on a condition variable.

use std::fmt;
use std::ops::Deref;

use loom::cell::UnsafeCell;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::{Condvar, Mutex};

/// A cell written once, as `std::sync::OnceLock`.
pub struct OnceLock<T> {
    /// Set (`Release`) once `value` holds the value; never cleared while shared.
    ready: AtomicBool,
    /// Whether some thread is running an initialiser now.
    running: Mutex<bool>,
    /// Notified when an initialiser ends (with a value, or by a panic).
    ended: Condvar,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is written once, before `ready` is set with `Release`, and only
// read after `ready` was seen with `Acquire`; `&T` goes to many threads (T: Sync), and
// the value may be put in on one thread and dropped on another (T: Send). As std's.
unsafe impl<T: Send + Sync> Sync for OnceLock<T> {}

impl<T> OnceLock<T> {
    pub fn new() -> OnceLock<T> {
        OnceLock {
            ready: AtomicBool::new(false),
            running: Mutex::new(false),
            ended: Condvar::new(),
            value: UnsafeCell::new(None),
        }
    }

    /// The value, if it is set.
    #[track_caller]
    pub fn get(&self) -> Option<&T> {
        if !self.ready.load(Ordering::Acquire) {
            return None;
        }
        // SAFETY: `ready` is set only after the value was written, and then the value
        // never changes while `&self` is shared.
        self.value.with(|p| unsafe { (*p).as_ref() })
    }

    pub fn get_mut(&mut self) -> Option<&mut T> {
        // SAFETY: `&mut self` is exclusive.
        self.value.with_mut(|p| unsafe { (*p).as_mut() })
    }

    /// Sets the value if there is none; `Err(value)` if there was one. Waits while
    /// another thread is initialising, as std's.
    #[track_caller]
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken only here"));
        match value {
            None => Ok(()),
            Some(value) => Err(value),
        }
    }

    /// The value, running `f` to make it if there is none yet. Of the threads that
    /// call it at once, one runs its `f`; the others wait for it. If `f` panics, the
    /// cell stays empty and a waiting thread runs its own `f`.
    #[track_caller]
    pub fn get_or_init<F>(&self, f: F) -> &T
    where
        F: FnOnce() -> T,
    {
        if let Some(value) = self.get() {
            return value;
        }
        let mut running = self.running.lock().expect("loom locks are never poisoned");
        while *running {
            running = self.ended.wait(running).expect("never poisoned");
        }
        if let Some(value) = self.get() {
            return value;
        }
        *running = true;
        drop(running);

        /// Ends this thread's turn, also when `f` panics.
        struct Turn<'a, T>(&'a OnceLock<T>);
        impl<T> Drop for Turn<'_, T> {
            fn drop(&mut self) {
                let mut running = self.0.running.lock().expect("never poisoned");
                *running = false;
                self.0.ended.notify_all();
            }
        }
        let turn = Turn(self);
        let value = f();
        // SAFETY: only the thread whose turn it is writes, and nobody reads before
        // `ready` is set below.
        self.value.with_mut(|p| unsafe { *p = Some(value) });
        self.ready.store(true, Ordering::Release);
        drop(turn);
        self.get().expect("just set")
    }

    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }

    /// Takes the value out, leaving the cell empty.
    pub fn take(&mut self) -> Option<T> {
        self.ready.store(false, Ordering::Relaxed);
        // SAFETY: `&mut self` is exclusive.
        self.value.with_mut(|p| unsafe { (*p).take() })
    }
}

impl<T> Default for OnceLock<T> {
    fn default() -> OnceLock<T> {
        OnceLock::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Some(value) => f.debug_tuple("OnceLock").field(value).finish(),
            None => f.write_str("OnceLock(<uninit>)"),
        }
    }
}

/// A value made on first use by the function it was created with, as
/// `std::sync::LazyLock`.
pub struct LazyLock<T, F = fn() -> T> {
    cell: OnceLock<T>,
    init: Mutex<Option<F>>,
}

impl<T, F: FnOnce() -> T> LazyLock<T, F> {
    pub fn new(f: F) -> LazyLock<T, F> {
        LazyLock {
            cell: OnceLock::new(),
            init: Mutex::new(Some(f)),
        }
    }

    /// The value, made now if this is its first use.
    #[track_caller]
    pub fn force(this: &LazyLock<T, F>) -> &T {
        this.cell.get_or_init(|| {
            let f = this.init.lock().expect("never poisoned").take();
            f.expect("LazyLock instance has previously been poisoned")()
        })
    }
}

impl<T, F: FnOnce() -> T> Deref for LazyLock<T, F> {
    type Target = T;

    fn deref(&self) -> &T {
        LazyLock::force(self)
    }
}

impl<T: fmt::Debug, F> fmt::Debug for LazyLock<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cell.get() {
            Some(value) => f.debug_tuple("LazyLock").field(value).finish(),
            None => f.write_str("LazyLock(<uninit>)"),
        }
    }
}
