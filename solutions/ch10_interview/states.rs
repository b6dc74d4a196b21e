//! # Process states from /proc — solution
//!
//! The one idea: the state letter follows the *last* `)` of `/proc/<pid>/stat` (the
//! command name before it may contain anything), and Linux's letters map onto the
//! textbook's five states: R is ready *or* running (the kernel does not tell them
//! apart), S and D are blocked, Z is exited-but-not-reaped.

use std::io::{self, Write};

/// The state letter of one `/proc/<pid>/stat` line: `pid (comm) S ppid …`.
pub fn state_letter(stat: &str) -> Result<char, StateError> {
    let malformed = || StateError::Malformed(stat.to_owned());
    let after = &stat[stat.rfind(')').ok_or_else(malformed)? + 1..];
    let field = after.split_whitespace().next().ok_or_else(malformed)?;
    let mut letters = field.chars();
    match (letters.next(), letters.next()) {
        (Some(letter), None) => Ok(letter),
        _ => Err(malformed()),
    }
}

/// Maps a Linux state letter (see `man 5 proc`) onto [`ProcState`].
pub fn classify(letter: char) -> Result<ProcState, StateError> {
    match letter {
        'R' => Ok(ProcState::Runnable),
        'S' | 'D' | 'I' => Ok(ProcState::Blocked),
        'T' | 't' => Ok(ProcState::Stopped),
        'Z' | 'X' => Ok(ProcState::Zombie),
        other => Err(StateError::Unknown(other)),
    }
}

/// The state of process `pid`, read from `/proc/<pid>/stat`.
pub fn process_state(pid: u32) -> Result<ProcState, StateError> {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => classify(state_letter(&stat)?),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(StateError::NoSuchProcess(pid))
        }
        Err(e) => Err(StateError::Io(e.to_string())),
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of a child that announces `ready` and then computes forever.
pub const SPINNER: &str = "states::spinner";
/// Entry point of a child that announces `ready` and then blocks reading its stdin.
pub const SLEEPER: &str = "states::sleeper";

/// The textbook states a live process can be seen in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcState {
    /// Ready or running (`R`): it wants the CPU; whether it has it right now is the
    /// scheduler's business.
    Runnable,
    /// Blocked (`S`, `D`, `I`): waiting for an event (input, a lock, a timer, the
    /// disk).
    Blocked,
    /// Stopped by a signal or a debugger (`T`, `t`): suspended until SIGCONT.
    Stopped,
    /// Exited, but its parent has not waited for it yet (`Z`, or `X` while being
    /// removed).
    Zombie,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("no process {0} (it never existed, or it exited and was reaped)")]
    NoSuchProcess(u32),
    #[error("not a /proc/<pid>/stat line: {0:?}")]
    Malformed(String),
    #[error("unknown state letter {0:?}")]
    Unknown(char),
    #[error("cannot read /proc: {0}")]
    Io(String),
}

/// The spinner child (given): `ready`, then an endless computation.
pub fn spinner(_args: &[String]) -> io::Result<()> {
    announce_ready()?;
    let mut x: u64 = 0;
    loop {
        x = std::hint::black_box(x.wrapping_add(1));
    }
}

/// The sleeper child (given): `ready`, then a read of stdin that blocks until it
/// closes.
pub fn sleeper(_args: &[String]) -> io::Result<()> {
    announce_ready()?;
    io::copy(&mut io::stdin(), &mut io::sink())?;
    Ok(())
}

fn announce_ready() -> io::Result<()> {
    let mut out = io::stdout();
    writeln!(out, "ready")?;
    out.flush()
}
