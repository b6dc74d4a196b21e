//! Chapter 2 — threads: start and join, names, a thread type, scoped borrows, detached threads.

pub mod detached;
pub mod my_thread;
pub mod named;
pub mod player;
pub mod scoped;
