//! # Stopping a process that never ends
//!
//! The seed's reader loops forever (`while True: q.get()`), so its parent calls
//! `pr.terminate()`: SIGTERM on Unix. A polite process dies of it; a stubborn one
//! ignores it. Rust's `Child::kill` sends SIGKILL at once, which nobody can ignore
//! but which gives the child no chance to clean up.
//!
//! Your task, `stop`: end `child` politely first, forcibly if it must —
//! 1. if it already exited, say so ([`Stopped::Exited`] with its status) and send
//!    nothing;
//! 2. else send SIGTERM (`nix::sys::signal::kill`) and wait up to `grace` for it to
//!    exit. Return as soon as it has: `grace` may be an hour. And keep waiting
//!    until it has, or `grace` is over: a polite child may take its time to clean
//!    up before SIGTERM ends it. That is [`Stopped::Terminated`];
//! 3. if it is still running after `grace`, send SIGKILL and wait for it:
//!    [`Stopped::Killed`].
//!
//! Always *reap* the child (wait for it) before returning: an exited child that
//! nobody waited for stays in the process table as a zombie. Tell how it ended
//! from its `ExitStatus` (`std::os::unix::process::ExitStatusExt::signal`).
//!
//! The children (`endless_reader`, `stubborn_reader`) and the types are given at
//! the end of the file.
//! Graded by: `cargo test --test ch01_processes terminate`.

use std::io::{self, Write};
use std::process::{Child, ExitStatus};
use std::time::Duration;

/// Ends `child`: SIGTERM, then SIGKILL after `grace`; always reaps it.
pub fn stop(child: &mut Child, grace: Duration) -> Result<Stopped, StopError> {
    let _ = (child, grace);
    todo!("terminate politely, kill if needed, and reap")
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
