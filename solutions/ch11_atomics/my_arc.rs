//! # my_arc — solution
//!
//! The one idea: a clone needs no ordering (a new owner comes from an existing
//! one, which keeps the value alive), but the drop of the value must come after
//! every other owner's last use: each decrement is a `Release`, and the owner that
//! reaches 0 issues an `Acquire` fence, which synchronises with all of them.

use std::ops::Deref;
use std::ptr::NonNull;

use super::sync::atomic::{fence, AtomicUsize, Ordering};
use super::sync::cell::UnsafeCell;

/// A shared, reference-counted pointer to a `T`.
#[derive(Debug)]
pub struct MyArc<T> {
    shared: NonNull<Shared<T>>,
}

impl<T> MyArc<T> {
    pub fn new(value: T) -> MyArc<T> {
        let shared = Box::new(Shared {
            owners: AtomicUsize::new(1),
            value: UnsafeCell::new(value),
        });
        MyArc {
            shared: NonNull::from(Box::leak(shared)),
        }
    }

    /// How many owners there are now (another thread may change it at once).
    pub fn count(this: &MyArc<T>) -> usize {
        this.shared().owners.load(Ordering::Relaxed)
    }

    /// The value, if `this` is its only owner.
    pub fn get_mut(this: &mut MyArc<T>) -> Option<&mut T> {
        // `Acquire`: another owner's drop (a `Release` decrement) may have come
        // just before, and its last read must happen before our writes.
        if this.shared().owners.load(Ordering::Acquire) != 1 {
            return None;
        }
        // SAFETY: the only owner, borrowed exclusively: no one else can reach the
        // value, or clone a new owner, while the `&mut` lives.
        Some(this.shared().value.with_mut(|p| unsafe { &mut *p }))
    }

    fn shared(&self) -> &Shared<T> {
        // SAFETY: the allocation lives while any owner does, and `self` is one.
        unsafe { self.shared.as_ref() }
    }
}

impl<T> Clone for MyArc<T> {
    fn clone(&self) -> MyArc<T> {
        if self.shared().owners.fetch_add(1, Ordering::Relaxed) > isize::MAX as usize
        {
            std::process::abort();
        }
        MyArc {
            shared: self.shared,
        }
    }
}

impl<T> Drop for MyArc<T> {
    fn drop(&mut self) {
        if self.shared().owners.fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        fence(Ordering::Acquire);
        // SAFETY: the last owner: nobody else can reach the allocation any more,
        // and the fence orders every other owner's use of it before this.
        unsafe { free(self.shared) }
    }
}

impl<T> Deref for MyArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the value is only ever changed through `get_mut` (one owner)
        // or dropped by the last owner: while `self` lives, reading is safe.
        self.shared().value.with(|p| unsafe { &*p })
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The one allocation: the count of owners and the value.
#[derive(Debug)]
struct Shared<T> {
    owners: AtomicUsize,
    value: UnsafeCell<T>,
}

// SAFETY: as `Arc`'s: a `MyArc<T>` gives `&T` to every thread that holds an owner
// (T: Sync), and whichever thread drops the last owner drops the `T` (T: Send).
unsafe impl<T: Send + Sync> Send for MyArc<T> {}
unsafe impl<T: Send + Sync> Sync for MyArc<T> {}

/// Drops the value and frees the allocation; tells loom that the value is written
/// (dropped) here, so it can check that every read came before.
///
/// # Safety
///
/// `shared` came from [`MyArc::new`], and no owner is left to use it.
unsafe fn free<T>(shared: NonNull<Shared<T>>) {
    // SAFETY: the caller's promise; the box was leaked by `new`.
    let shared = unsafe { Box::from_raw(shared.as_ptr()) };
    shared.value.with_mut(|_| ());
    drop(shared);
}
