//! # `subprocess.call`: run a program, get its exit status — solution
//!
//! The one idea: an `ExitStatus` is *either* a code or a signal, and spawning can
//! fail before there is any status at all; `io::ErrorKind::NotFound` from `spawn` is
//! the missing program, `ExitStatusExt::signal` the killed child.

use std::fmt;
use std::io::{self, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::Command;

/// Runs `cmd` to the end (its stdin, stdout and stderr are ours) and says how it
/// ended.
pub fn call(cmd: &mut Command) -> Result<Exit, CallError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd.spawn().map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => CallError::NotFound {
            program: program.clone(),
        },
        _ => CallError::Spawn {
            program: program.clone(),
            source,
        },
    })?;
    let status = child
        .wait()
        .map_err(|source| CallError::Wait { program, source })?;
    Ok(match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(signal)) => Exit::Signal(signal),
        (None, None) => {
            unreachable!("a reaped child either exited or was signalled")
        }
    })
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Helper program: exits with the code given as its only argument.
pub const EXIT_WITH: &str = "call::exit_with";
/// Helper program: kills itself with the signal number given as its only argument.
pub const DIE_BY_SIGNAL: &str = "call::die_by_signal";

/// How a program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited by itself with this code (0 is success).
    Code(i32),
    /// A signal ended it (e.g. 9 for SIGKILL); there is no exit code.
    Signal(i32),
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Exit::Code(code) => write!(f, "exit code {code}"),
            Exit::Signal(number) => match nix::sys::signal::Signal::try_from(number)
            {
                Ok(signal) => write!(f, "killed by signal {number} ({signal})"),
                Err(_) => write!(f, "killed by signal {number}"),
            },
        }
    }
}

/// Why there is no exit status.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("no such program: {program}")]
    NotFound { program: String },
    #[error("cannot start {program}: {source}")]
    Spawn { program: String, source: io::Error },
    #[error("cannot wait for {program}: {source}")]
    Wait { program: String, source: io::Error },
}

/// The seed's program: `cargo run -- run call PROGRAM [ARGS...]` runs
/// PROGRAM and prints how it ended. Given.
pub fn main(args: &[String]) -> Result<(), CallError> {
    let Some((program, rest)) = args.split_first() else {
        return Err(CallError::NotFound {
            program: "(none: usage: call PROGRAM [ARGS...])".into(),
        });
    };
    println!("$ {}", args.join(" "));
    let _ = io::stdout().flush();
    let exit = call(Command::new(program).args(rest))?;
    match exit {
        Exit::Code(code) => println!("Exit code: {code}"),
        other => println!("Exit: {other}"),
    }
    Ok(())
}

/// Helper program: `exit_with CODE`. Given.
pub fn exit_with(args: &[String]) -> io::Result<()> {
    let code = args
        .first()
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| io::Error::other("usage: exit_with CODE"))?;
    std::process::exit(code)
}

/// Helper program: `die_by_signal NUMBER`. Given.
pub fn die_by_signal(args: &[String]) -> io::Result<()> {
    let number: i32 = args
        .first()
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| io::Error::other("usage: die_by_signal NUMBER"))?;
    let signal =
        nix::sys::signal::Signal::try_from(number).map_err(io::Error::from)?;
    // A signal ignored by whoever started us stays ignored across exec (a background
    // job ignores SIGINT, for one): put back the default action, which is to die of
    // it. SAFETY: SIG_DFL installs no handler code. SIGKILL and SIGSTOP cannot be
    // changed and are never ignored, so their error is moot.
    let _ = unsafe {
        nix::sys::signal::signal(signal, nix::sys::signal::SigHandler::SigDfl)
    };
    nix::sys::signal::raise(signal).map_err(io::Error::from)?;
    Err(io::Error::other(format!(
        "{signal} did not end this process"
    )))
}
