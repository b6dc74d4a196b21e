//! # Who am I, and who is my parent?
//!
//! Every process has an id (pid) and knows the id of the process that started it
//! (ppid). The seed's `sleeper` prints `os.getpid()` and `os.getppid()` from inside
//! a child.
//!
//! Your tasks:
//! 1. `report` (runs in the child): print one line, `pid=<pid> ppid=<parent's pid>`,
//!    and nothing else. Look in `std::process` and `std::os::unix::process`.
//! 2. `spawn_reporter` (runs in the parent): start `report` in a child process
//!    (`workbook::process::entry(REPORT)`) with its stdout piped, read its line,
//!    and wait for the child. Wait for it on every path, errors included, before
//!    you return: a child nobody waits for stays behind as a zombie. Then:
//!    - a child that exited unsuccessfully is [`PidError::Failed`], whatever it
//!      printed;
//!    - otherwise parse its line with [`parse_report`] (a line that is not
//!      `pid=<n> ppid=<n>` is its `Malformed` error) and return what both sides
//!      saw.
//!
//! `parse_report` and the types are given at the end of the file.
//! Graded by: `cargo test --test ch01_processes pids`.

use std::io;

/// The child's side: print `pid=<pid> ppid=<ppid>`.
pub fn report(_args: &[String]) -> io::Result<()> {
    todo!("print this process's pid and its parent's pid")
}

/// The parent's side: run `report` in a child and return what each side saw.
pub fn spawn_reporter() -> Result<PidReport, PidError> {
    todo!("start the reporter, read its line, wait for it")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The entry point name of `report`.
pub const REPORT: &str = "pids::report";

/// What the parent and the child each saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PidReport {
    /// The child's pid as the parent saw it when it started the child.
    pub child_pid_seen_by_parent: u32,
    /// The child's pid, as the child reported it.
    pub child_pid: u32,
    /// The child's parent's pid, as the child reported it.
    pub parent_pid: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum PidError {
    #[error("cannot run the reporter: {0}")]
    Io(#[from] io::Error),
    #[error("the reporter printed {0:?}, not `pid=<n> ppid=<n>`")]
    Malformed(String),
    #[error("the reporter failed: {0}")]
    Failed(std::process::ExitStatus),
}

/// Parses `pid=<n> ppid=<n>` into `(pid, ppid)`.
pub fn parse_report(line: &str) -> Result<(u32, u32), PidError> {
    let malformed = || PidError::Malformed(line.to_owned());
    let mut fields = line.split_whitespace();
    let mut field = |key: &str| -> Result<u32, PidError> {
        let value = fields
            .next()
            .and_then(|f| f.strip_prefix(key))
            .ok_or_else(malformed)?;
        value.parse().map_err(|_| malformed())
    };
    let pid = field("pid=")?;
    let ppid = field("ppid=")?;
    match fields.next() {
        None => Ok((pid, ppid)),
        Some(_) => Err(malformed()),
    }
}
