//! # A process gets a copy; a thread gets the same memory — solution
//!
//! The one idea: after `fork` there are two address spaces, so the child's write
//! lands in its copy; a scoped thread borrows `value` mutably from the caller's
//! stack frame, so its write lands in the caller's variable.

use nix::sys::wait::{waitpid, WaitStatus};
use nix::unistd::{fork, ForkResult};

/// Adds `delta` to `*value` in a forked child; returns the value the child computed.
pub fn add_in_child_process(
    value: &mut u8,
    delta: u8,
) -> Result<u8, IsolationError> {
    // SAFETY: the child only does arithmetic on its copy and calls `_exit`, both
    // async-signal-safe, so forking a multi-threaded process is sound here.
    match unsafe { fork() }? {
        ForkResult::Child => {
            *value = value.wrapping_add(delta);
            // SAFETY: `_exit` ends the child at once, without running the parent's
            // destructors or flushing its buffers a second time.
            unsafe { nix::libc::_exit(i32::from(*value)) }
        }
        ForkResult::Parent { child } => match waitpid(child, None)? {
            WaitStatus::Exited(_, code) => Ok(code as u8),
            other => Err(IsolationError::Abnormal(other)),
        },
    }
}

/// Adds `delta` to `*value` in a thread; returns the value afterwards.
pub fn add_in_thread(value: &mut u8, delta: u8) -> u8 {
    super::sync::thread::scope(|s| {
        s.spawn(|| *value = value.wrapping_add(delta));
    });
    *value
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
