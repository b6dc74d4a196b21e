//! # Stopping a process that never ends
//!
//! The seed's reader loops forever (`while True: q.get()`), so its parent calls
//! `pr.terminate()`: SIGTERM on Unix. A polite process dies of it; a stubborn one
//! ignores it. Rust's `Child::kill` sends SIGKILL at once, which nobody can ignore
//! but which gives the child no chance to clean up.
//!
//! Your task, `stop`: end `child` politely first, forcibly if it must —
//! 1. if it already exited, say so ([`Stopped::Exited`]) and send nothing;
//! 2. else send SIGTERM (`nix::sys::signal::kill`) and wait up to `grace` for it to
//!    exit;
//! 3. if it is still running, send SIGKILL and wait for it.
//!
//! Always *reap* the child (wait for it) before returning: an exited child that
//! nobody waited for stays in the process table as a zombie. Report how it ended
//! from its `ExitStatus` (`std::os::unix::process::ExitStatusExt::signal`).
//!
//! `endless_reader` (the child) is written for you.
//! Graded by: `cargo test --test ch01_processes terminate`.

use std::io::{self, Write};
use std::process::{Child, ExitStatus};
use std::time::Duration;

/// Entry point of a reader that dies of SIGTERM.
pub const ENDLESS_READER: &str = "terminate::endless_reader";
/// Entry point of a reader that ignores SIGTERM.
pub const STUBBORN_READER: &str = "terminate::stubborn_reader";

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// It had already exited on its own, with this status.
    Exited(ExitStatus),
    /// SIGTERM ended it within the grace period.
    Terminated,
    /// It outlived the grace period and was killed with SIGKILL.
    Killed,
}

#[derive(Debug, thiserror::Error)]
pub enum StopError {
    #[error("cannot signal the child: {0}")]
    Signal(#[from] nix::Error),
    #[error("cannot wait for the child: {0}")]
    Wait(#[from] io::Error),
    #[error("the child ended in an unexpected way: {0}")]
    Unexpected(ExitStatus),
}

/// The child (entry [`ENDLESS_READER`]): announce `ready` on stdout, then wait
/// forever for work that never comes.
pub fn endless_reader(_args: &[String]) -> io::Result<()> {
    read_forever(false)
}

/// The stubborn child (entry [`STUBBORN_READER`]): the same, but SIGTERM is made
/// harmless first.
pub fn stubborn_reader(_args: &[String]) -> io::Result<()> {
    read_forever(true)
}

fn read_forever(ignore_sigterm: bool) -> io::Result<()> {
    use nix::sys::signal::{signal, SigHandler, Signal};
    // Stubborn: ignore SIGTERM. Polite: the default action (die), even if whoever
    // started us had SIGTERM ignored (an ignored signal stays ignored across exec).
    let action = if ignore_sigterm {
        SigHandler::SigIgn
    } else {
        SigHandler::SigDfl
    };
    // SAFETY: SIG_IGN and SIG_DFL install no handler code, so nothing can run at a
    // bad moment.
    unsafe { signal(Signal::SIGTERM, action) }.map_err(io::Error::from)?;
    // Only now is the parent told we are ready: the signal disposition is already
    // set.
    writeln!(io::stdout(), "ready")?;
    io::stdout().flush()?;
    loop {
        super::sync::thread::park();
    }
}

/// Ends `child`: SIGTERM, then SIGKILL after `grace`; always reaps it.
pub fn stop(child: &mut Child, grace: Duration) -> Result<Stopped, StopError> {
    let _ = (child, grace);
    todo!("terminate politely, kill if needed, and reap")
}
