//! # A deadline for a child: kill it, reap it, keep what it said
//!
//! The seed's `subprocess.call` and `communicate` wait as long as the child runs.
//! Python 3 added `timeout=`: after the deadline the child is killed and
//! `TimeoutExpired` carries the output it produced so far.
//!
//! The code below has no deadline at all: a child that never ends blocks it forever.
//!
//! Your task, `run_with_timeout`: give the child at most `timeout`.
//! - If it finishes in time, return its `Output` as before.
//! - If not, kill it, *reap* it (wait for it, or it stays a zombie), and return
//!   [`TimeoutError::Timeout`] with the status it was reaped with and everything it
//!   wrote to stdout and stderr before it died.
//! - A child may have started children of its own that hold its output pipes open:
//!   kill them too, or reading "to the end" never ends.
//!   (`CommandExt::process_group`, `killpg`.)
//!
//! Never block on something that may never happen: read the pipes on threads from
//! the start, and poll `Child::try_wait` until the deadline. The helper program at
//! the bottom is written for you. Graded by: `cargo test --test ch08_subprocess
//! timeout`.

use std::io::{self, Write};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::Duration;

/// Helper program: prints `working` on stdout and `still working` on stderr, then
/// never ends. `sleeper grandchild` first starts another sleeper that shares its
/// output pipes.
pub const SLEEPER: &str = "timeout::sleeper";

#[derive(Debug, thiserror::Error)]
pub enum TimeoutError {
    #[error("cannot start {program}: {source}")]
    Spawn { program: String, source: io::Error },
    #[error("{program} ran longer than {after:?} and was killed ({status})")]
    Timeout {
        program: String,
        after: Duration,
        /// The status the killed child was reaped with.
        status: ExitStatus,
        /// What it wrote before it was killed.
        stdout: Vec<u8>,
        stderr: Vec<u8>,
    },
    #[error("waiting for the child failed: {0}")]
    Io(#[from] io::Error),
    #[error("a thread reading the child's output panicked")]
    Panicked,
}

/// Runs `cmd` (stdin closed, output captured) for at most `timeout`.
///
/// The child leads a process group of its own; on timeout the whole group is killed.
pub fn run_with_timeout(
    cmd: &mut Command,
    timeout: Duration,
) -> Result<Output, TimeoutError> {
    let _ = timeout; // the first attempt has no deadline at all
    let program = cmd.get_program().to_string_lossy().into_owned();
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|source| TimeoutError::Spawn { program, source })?;
    Ok(output)
}

/// Helper program `sleeper [grandchild]`. Given.
pub fn sleeper(args: &[String]) -> io::Result<()> {
    workbook::process::record_pid()?;
    if args.first().map(String::as_str) == Some("grandchild") {
        // Shares our stdout and stderr, and outlives us unless someone kills it
        // (dropping a `Child` neither kills it nor waits for it).
        let grandchild = workbook::process::entry(SLEEPER)
            .stdin(Stdio::null())
            .spawn()?;
        drop(grandchild);
    }
    writeln!(io::stdout(), "working")?;
    io::stdout().flush()?;
    writeln!(io::stderr(), "still working")?;
    loop {
        super::sync::thread::park();
    }
}
