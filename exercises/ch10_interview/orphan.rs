//! # An orphan, adopted
//!
//! An orphan is a process whose parent exited while it kept running (seed 004 calls
//! this a "zombie"; it is not one). Nobody is left to wait for it, so the kernel
//! gives it a new parent at the moment the old one exits: pid 1 (`init`), or the
//! nearest ancestor that declared itself a *child subreaper*
//! (`prctl(PR_SET_CHILD_SUBREAPER)`; systemd user sessions, container runtimes and
//! test runners do). The new parent reaps it when it exits, so an orphan never stays
//! a zombie for long.
//!
//! Your tasks (each runs in its own process; the test starts them under an
//! "adopter", a subreaper, so it knows exactly who the new parent must be):
//! 1. `parent`: start [`CHILD`] (`workbook::process::entry`) with the same FIFO
//!    argument, print `parent pid=<own pid> child=<child's pid>` with [`say`], and
//!    return **without waiting** for the child.
//! 2. `child`: wait for the go signal with [`wait_for_go`] (it comes once the parent
//!    is gone), then print `adopted pid=<own pid> ppid=<parent's pid now>`
//!    (`std::os::unix::process::parent_id`).
//!
//! Both print on the stdout they inherited (the adopter's, which the test reads). A
//! parent that waits for its child never exits first: the go signal never comes and
//! the test reports it stuck; a child that reports before the go signal has not
//! been adopted yet. `say`, `wait_for_go` and the error type are written for you, at
//! the bottom of the file. Graded by: `cargo test --test ch10_interview orphan::`.

use std::io::{self, Read, Write};

/// The parent: start [`CHILD`] with the same FIFO argument, print `parent pid=<own
/// pid> child=<child's pid>`, and exit **without** waiting for the child.
pub fn parent(args: &[String]) -> Result<(), OrphanError> {
    let [fifo] = args else {
        return Err(OrphanError::Usage("orphan::parent"));
    };
    let _ = fifo;
    todo!("start the child, say who you both are, and leave without waiting")
}

/// The child: wait for the go signal ([`wait_for_go`]), which comes once its parent
/// has exited; then print `adopted pid=<own pid> ppid=<parent's pid now>`.
pub fn child(args: &[String]) -> Result<(), OrphanError> {
    let [fifo] = args else {
        return Err(OrphanError::Usage("orphan::child"));
    };
    let _ = fifo;
    todo!("wait for go; then say who you are and who your parent is now")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the parent: `orphan::parent FIFO`.
pub const PARENT: &str = "orphan::parent";
/// Entry point of the child: `orphan::child FIFO`.
pub const CHILD: &str = "orphan::child";

#[derive(Debug, thiserror::Error)]
pub enum OrphanError {
    #[error("usage: {0} FIFO")]
    Usage(&'static str),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Blocks until the test's adopter says `go` through the named pipe `fifo` (given).
/// The adopter does that only after the parent has exited and been reaped.
pub fn wait_for_go(fifo: &str) -> io::Result<()> {
    let mut go = String::new();
    std::fs::File::open(fifo)?.read_to_string(&mut go)?;
    Ok(())
}

/// One line on stdout, flushed at once (given).
pub fn say(line: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()
}
