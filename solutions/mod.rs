//! Reference solutions: the same files, paths and public API as `exercises/`, solved.
//! Built instead of the exercises with `--features solutions`.

pub mod ch01_processes;
pub mod ch06_thread_local;
pub mod ch07_pools;
