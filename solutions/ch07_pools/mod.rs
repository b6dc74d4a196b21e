//! Chapter 7 — pools: a fixed set of workers (threads or processes) fed by a queue.

pub mod cpu_vs_io;
pub mod process_pool;
pub mod thread_pool;
