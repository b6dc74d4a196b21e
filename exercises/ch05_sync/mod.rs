//! Chapter 5 — synchronization primitives: event, semaphore, barrier, condition, a lock
//! across processes.

pub mod barrier;
pub mod condition;
pub mod event;
pub mod print_lock;
pub mod semaphore;
