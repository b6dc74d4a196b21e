//! # Who am I, and who is my parent? — solution
//!
//! The one idea: the parent learns the child's pid from `spawn` (`Child::id`), the
//! child learns its own from `std::process::id()` and its parent's from
//! `std::os::unix::process::parent_id()`; they agree because they name the same
//! process. The child is waited for before anything is judged, so no path leaves a
//! zombie.

use std::io;
use std::process::Stdio;

/// The child's side: print `pid=<pid> ppid=<ppid>`.
pub fn report(_args: &[String]) -> io::Result<()> {
    println!(
        "pid={} ppid={}",
        std::process::id(),
        std::os::unix::process::parent_id()
    );
    Ok(())
}

/// The parent's side: run `report` in a child and return what each side saw.
pub fn spawn_reporter() -> Result<PidReport, PidError> {
    let child = workbook::process::entry(REPORT)
        .stdout(Stdio::piped())
        .spawn()?;
    let child_pid_seen_by_parent = child.id();
    // Reads stdout to its end and waits for the child: it is reaped here.
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(PidError::Failed(output.status));
    }
    let line = String::from_utf8_lossy(&output.stdout);
    let (child_pid, parent_pid) = parse_report(line.trim_end())?;
    Ok(PidReport {
        child_pid_seen_by_parent,
        child_pid,
        parent_pid,
    })
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
