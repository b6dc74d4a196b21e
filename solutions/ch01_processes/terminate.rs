//! # Stopping a process that never ends — solution
//!
//! The one idea: a signal only *asks*; the answer is the exit status you collect by
//! waiting. So every path ends in a wait (which also reaps the zombie), and the
//! status's signal says whether SIGTERM or SIGKILL ended it.

use std::io::{self, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

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
    if let Some(status) = child.try_wait()? {
        return Ok(Stopped::Exited(status));
    }
    let pid = Pid::from_raw(child.id() as i32);
    kill(pid, Signal::SIGTERM)?;
    let status = match wait_for(child, grace)? {
        Some(status) => status,
        None => {
            child.kill()?; // SIGKILL
            child.wait()?
        }
    };
    match status.signal() {
        Some(s) if s == Signal::SIGTERM as i32 => Ok(Stopped::Terminated),
        Some(s) if s == Signal::SIGKILL as i32 => Ok(Stopped::Killed),
        _ => Err(StopError::Unexpected(status)),
    }
}

/// Waits at most `grace` for `child` to exit (reaping it if it does).
fn wait_for(child: &mut Child, grace: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + grace;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        super::sync::thread::sleep(Duration::from_millis(5).min(grace));
    }
}
