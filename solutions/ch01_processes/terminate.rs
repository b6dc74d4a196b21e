//! # Stopping a process that never ends — solution
//!
//! The one idea: a signal only *asks*; the answer is the exit status you collect by
//! waiting. So every path ends in a wait (which also reaps the zombie), and the
//! status's signal says whether SIGTERM or SIGKILL ended it. std cannot wait for a
//! child with a deadline, so `wait_for` asks again and again (`try_wait`), with
//! short sleeps in between, until the child has exited or the grace is over.

use std::io::{self, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

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
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        super::sync::thread::sleep(Duration::from_millis(5).min(left));
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

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
/// forever for work that never comes. SIGTERM ends it at once; started with the
/// argument `slow` it takes its time, as a child with clean-up to do would: it
/// prints `terminating` when SIGTERM arrives, and dies of it only once a line
/// arrives on its stdin (or its stdin closes).
pub fn endless_reader(args: &[String]) -> io::Result<()> {
    match args {
        [] => read_forever(OnSigterm::Die),
        [slow] if slow == "slow" => read_forever(OnSigterm::DieWhenTold),
        _ => Err(io::Error::other("usage: endless_reader [slow]")),
    }
}

/// The stubborn child (entry [`STUBBORN_READER`]): the same, but SIGTERM is made
/// harmless first.
pub fn stubborn_reader(_args: &[String]) -> io::Result<()> {
    read_forever(OnSigterm::Ignore)
}

/// What a reader does when SIGTERM comes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OnSigterm {
    Die,
    DieWhenTold,
    Ignore,
}

fn read_forever(on_sigterm: OnSigterm) -> io::Result<()> {
    use nix::sys::signal::{signal, SigHandler, SigSet, Signal};
    // Stubborn: ignore SIGTERM. Polite: the default action (die), even if whoever
    // started us had SIGTERM ignored (an ignored signal stays ignored across exec).
    let action = match on_sigterm {
        OnSigterm::Ignore => SigHandler::SigIgn,
        OnSigterm::Die | OnSigterm::DieWhenTold => SigHandler::SigDfl,
    };
    // SAFETY: SIG_IGN and SIG_DFL install no handler code, so nothing can run at a
    // bad moment.
    unsafe { signal(Signal::SIGTERM, action) }.map_err(io::Error::from)?;
    let mut sigterm = SigSet::empty();
    sigterm.add(Signal::SIGTERM);
    if on_sigterm == OnSigterm::DieWhenTold {
        // Held back (blocked) until we take it ourselves, below. This is the
        // process's only thread, so its mask is the process's.
        sigterm.thread_block().map_err(io::Error::from)?;
    }
    // Only now is the parent told we are ready: the signal disposition is already
    // set.
    writeln!(io::stdout(), "ready")?;
    io::stdout().flush()?;
    if on_sigterm == OnSigterm::DieWhenTold {
        sigterm.wait().map_err(io::Error::from)?;
        // Whoever reads our stdout may be gone: it does not change what we do.
        let _ = writeln!(io::stdout(), "terminating")
            .and_then(|()| io::stdout().flush());
        let _ = io::stdin().read_line(&mut String::new());
        // Die of SIGTERM after all: it is still the default action; unblocked, a
        // SIGTERM sent to ourselves is delivered at once.
        sigterm.thread_unblock().map_err(io::Error::from)?;
        nix::sys::signal::raise(Signal::SIGTERM).map_err(io::Error::from)?;
    }
    loop {
        super::sync::thread::park();
    }
}
