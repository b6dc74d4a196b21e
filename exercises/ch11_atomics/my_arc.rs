//! # my_arc (challenge): a reference-counted pointer of your own
//!
//! Python counts the references of every object, and with the GIL its counts are
//! plain integers; free-threaded CPython had to make them atomic (and "biased",
//! cheap for the owning thread) to drop the GIL. Rust's `Rc` is the plain-integer
//! kind and `Arc` the atomic one. This is `Arc`, from scratch: one allocation
//! holds an `AtomicUsize` count of owners and the value; each `MyArc` is a pointer
//! to it; the last owner to go frees it.
//!
//! `new`, `Deref` and `count` are written. Your tasks, each a `todo!` below:
//! 1. `Clone`: one more owner. The new owner can only come from an existing one,
//!    so think about what, if anything, the increment must be ordered with.
//!    Counts past `isize::MAX` are a leak gone wild: abort the process then
//!    (`std::process::abort()`), as `Arc` does.
//! 2. `Drop`: one owner fewer; the owner that takes the count from 1 to 0 drops
//!    the value and frees the allocation (the given `free`). Every other owner's
//!    last use of the value must *happen before* that drop — and their decrements
//!    alone are not enough to order it (which ordering, or which fence, is?).
//! 3. `get_mut`: `&mut` to the value when this is the only owner, else `None`.
//!
//! The value lives in the facade's `UnsafeCell`, so in the loom check every read
//! of it and its drop are watched: a drop not ordered after another thread's read
//! is a "Causality violation".
//!
//! Graded by: `cargo test --test ch11_atomics my_arc` (the `loom_*` tests drop
//! clones on two threads in every interleaving).

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
        let _ = this;
        todo!("only when the count is 1; then no other owner can appear")
    }

    fn shared(&self) -> &Shared<T> {
        // SAFETY: the allocation lives while any owner does, and `self` is one.
        unsafe { self.shared.as_ref() }
    }
}

impl<T> Clone for MyArc<T> {
    fn clone(&self) -> MyArc<T> {
        let _ = (fence, &self.shared);
        todo!("one more owner, then a MyArc to the same allocation")
    }
}

impl<T> Drop for MyArc<T> {
    fn drop(&mut self) {
        // As written, nothing is ever freed: every value leaks. (No `todo!` here:
        // a panic in a `drop` that runs while a panic unwinds aborts the process.)
        let _ = free::<T>;
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
