//! # A process gets a copy; a thread gets the same memory
//!
//! The seed: "with processes, every variable has a copy in each process and they do
//! not affect each other; with threads, every variable is shared by all threads."
//!
//! `fork` makes the child a copy of the parent, so a change the child makes is never
//! seen by the parent. A thread runs in the same address space, so its change is.
//!
//! Your tasks:
//! 1. `add_in_child_process`: `fork` (`nix::unistd::fork`, unsafe: read its safety
//!    note). In the child, add `delta` to `*value` and end the child with the new
//!    value as its exit status (`nix::libc::_exit`: no destructors, no buffered
//!    output, which is what a forked child of a multi-threaded program must do). In
//!    the parent, wait for the child (`nix::sys::wait::waitpid`) and return the
//!    value the child saw. `*value` stays as it was in the parent — check it.
//! 2. `add_in_thread`: add `delta` to `*value` in a scoped thread
//!    (`super::sync::thread::scope`) and return the new value.
//!
//! In both, values wrap around at 256: 250 + 10 is 4 (an exit status is one
//! byte). The error type is given at the end of the file.
//! Graded by: `cargo test --test ch01_processes isolation`.

/// Adds `delta` to `*value` in a forked child; returns the value the child computed.
pub fn add_in_child_process(
    value: &mut u8,
    delta: u8,
) -> Result<u8, IsolationError> {
    let _ = (value, delta);
    todo!("fork; the child changes its copy and exits with it; the parent waits")
}

/// Adds `delta` to `*value` in a thread; returns the value afterwards.
pub fn add_in_thread(value: &mut u8, delta: u8) -> u8 {
    let _ = (value, delta);
    todo!("change the value from a scoped thread")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What can go wrong with the child.
#[derive(Debug, thiserror::Error)]
pub enum IsolationError {
    #[error("fork or wait failed: {0}")]
    Sys(#[from] nix::Error),
    #[error("the child did not exit normally: {0:?}")]
    Abnormal(nix::sys::wait::WaitStatus),
}
