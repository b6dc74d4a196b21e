//! # id_allocator: unique ids from a compare-and-swap loop
//!
//! Python hands out ids with `itertools.count()` or a counter under a lock. Rust's
//! first idea is `fetch_add(1)` on an atomic: one indivisible read-add-write, so
//! two threads never get the same number. But a `u32` counter *wraps*: after
//! `u32::MAX` comes 0, and the ids start over — handed out twice.
//!
//! The allocator below hands out `first`, `first + 1`, … up to `u32::MAX - 1`, in
//! that order, each exactly once, with no id skipped; `u32::MAX` itself is never
//! handed out, it marks "none left". Once the ids run out, every call returns
//! `Err(Exhausted)`, for ever, and the counter never wraps. As written it uses
//! `fetch_add` and checks *afterwards*, which is too late: the counter has already
//! moved past the end, and the call after that wraps it to 0.
//!
//! Your task: `allocate` must look at the counter *before* it moves it, and move it
//! only if there is an id left — as one indivisible step, even with other threads
//! allocating at the same moment. A `load` followed by a `store` is two steps
//! (another thread can take the same id in between); a `compare_exchange` loop is
//! one. Which ordering does the counter need, when it guards no other data?
//!
//! Graded by: `cargo test --test ch11_atomics id_allocator` (the `loom_*` tests run
//! two and three allocating threads through every interleaving).

use super::sync::atomic::{AtomicU32, Ordering};

/// Hands out unique ids.
#[derive(Debug)]
pub struct IdAllocator {
    /// The next id to hand out; `u32::MAX` once there is none.
    next: AtomicU32,
}

impl IdAllocator {
    /// Ids from 0.
    pub fn new() -> IdAllocator {
        IdAllocator::starting_at(0)
    }

    /// Ids from `first` (none at all if `first` is `u32::MAX`).
    pub fn starting_at(first: u32) -> IdAllocator {
        IdAllocator {
            next: AtomicU32::new(first),
        }
    }

    /// The next id, or `Err(Exhausted)` once `u32::MAX - 1` has been handed out.
    pub fn allocate(&self) -> Result<u32, Exhausted> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if id == u32::MAX {
            return Err(Exhausted);
        }
        Ok(id)
    }
}

impl Default for IdAllocator {
    fn default() -> IdAllocator {
        IdAllocator::new()
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Every id has been handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every id has been handed out")]
pub struct Exhausted;
