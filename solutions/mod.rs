//! Reference solutions: the same files, paths and public API as `exercises/`, solved.
//! Built instead of the exercises with `--features solutions`.

pub mod ch01_processes;
pub mod ch02_threads;
pub mod ch03_locks;
pub mod ch04_queues;
pub mod ch05_sync;
pub mod ch06_thread_local;
pub mod ch07_pools;
pub mod ch08_subprocess;
pub mod ch09_distributed;
pub mod ch10_interview;
