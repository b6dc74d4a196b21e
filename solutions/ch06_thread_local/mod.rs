//! Chapter 6 — thread-local storage: every thread its own slot, no passing it down.

pub mod per_thread_counter;
pub mod students;
