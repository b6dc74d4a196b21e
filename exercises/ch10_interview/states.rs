//! # What is a process doing? Process states, read from /proc
//!
//! Seed 004 lists the five states of a process: created, ready, running, blocked,
//! exited. Linux shows the state of every live process as one letter in
//! `/proc/<pid>/stat` (`man 5 proc`): `R`, `S`, `D`, `T`, `Z`, … This exercise reads
//! that letter and names it in the textbook's terms, and the tests then *show* each
//! state: a child computing forever, a child blocked reading, a child stopped by
//! SIGSTOP, and a child that exited but was not waited for yet.
//!
//! Your tasks:
//! 1. `state_letter`: the letter of one stat line `pid (comm) S ppid …`. Careful:
//!    `comm` is the program's name, and a program may be called `a) R (b` — spaces
//!    and parentheses included.
//! 2. `classify`: map a letter to a [`ProcState`] (read `man 5 proc`, "stat", field
//!    3). An unknown letter is a [`StateError::Unknown`].
//! 3. `process_state`: read `/proc/<pid>/stat`; a process that does not exist (any
//!    more) is [`StateError::NoSuchProcess`].
//!
//! The children (`spinner`, `sleeper`) and the types are written for you, at the
//! bottom of the file.
//! Graded by: `cargo test --test ch10_interview states::`.

use std::io::{self, Write};

/// The state letter of one `/proc/<pid>/stat` line: `pid (comm) S ppid …`.
pub fn state_letter(stat: &str) -> Result<char, StateError> {
    let _ = stat;
    todo!("find the field after the command name in parentheses")
}

/// Maps a Linux state letter (see `man 5 proc`) onto [`ProcState`].
pub fn classify(letter: char) -> Result<ProcState, StateError> {
    let _ = letter;
    todo!("R, S, D, I, T, t, Z, X: which is which?")
}

/// The state of process `pid`, read from `/proc/<pid>/stat`.
pub fn process_state(pid: u32) -> Result<ProcState, StateError> {
    let _ = pid;
    todo!("read /proc/<pid>/stat and classify its state letter")
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
