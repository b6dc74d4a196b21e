//! Chapter 1 — processes: start, join, pid/ppid, fork, isolation, terminate.

pub mod isolation;
pub mod pids;
pub mod terminate;
pub mod two_files;
