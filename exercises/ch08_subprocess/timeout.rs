//! # A deadline for a child: kill it, reap it, keep what it said
//!
//! The seed's `subprocess.call` and `communicate` wait as long as the child runs.
//! Python 3 added `timeout=`: after the deadline the child is killed and
//! `TimeoutExpired` carries the output it produced so far.
//!
//! The code below has no deadline at all: a child that never ends blocks it forever.
//!
//! Your task, `run_with_timeout`: give the child at most `timeout`.
//! - If it finishes in time, return its `Output` as before — as soon as it has
//!   exited, not when the timeout would have run out.
//! - If not, kill it (SIGKILL), *reap* it (wait for it, or it stays a zombie), and
//!   return [`TimeoutError::Timeout`] with the `timeout` given (`after`), the
//!   status it was reaped with and everything it wrote to stdout and stderr before
//!   it died.
//! - A child may have started children of its own that hold its output pipes open:
//!   kill them too, or reading "to the end" never ends.
//!   (`CommandExt::process_group`, `killpg`.)
//!
//! Never block on something that may never happen: read the pipes on threads from
//! the start, and watch for the child's exit and the deadline together. The error
//! type and the helper program at the bottom are written for you. Graded by:
//! `cargo test --test ch08_subprocess timeout`.

use std::io::{self, Write};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::Duration;

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

// ---- given: the tests rely on everything below; leave it as it is ----

/// Helper program: prints `working` on stdout and `still working` on stderr, then
/// never ends. `sleeper grandchild` first starts another sleeper that shares its
/// output pipes; `sleeper until FIFO` ends (with status 0) once someone has opened
/// the named pipe FIFO for writing and closed it again.
pub const SLEEPER: &str = "timeout::sleeper";
/// What the grandchild sleeper says on stderr if it outlived its parent and ended by
/// itself, instead of being killed with it.
pub const ENDED_BY_ITSELF: &str = "the second sleeper outlived its parent";

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

/// Helper program `sleeper [grandchild | until FIFO]`. Given.
pub fn sleeper(args: &[String]) -> io::Result<()> {
    let mode: Vec<&str> = args.iter().map(String::as_str).collect();
    if mode == ["second"] {
        // A sleeper whose parent is gone ends itself soon after (see
        // `record_pid`); then, and only then, it says so on the shared stderr. A
        // SIGKILL leaves it no time to say anything. (Set up before `record_pid`
        // starts watching the parent, so that no way of ending by itself is silent.)
        extern "C" fn ended_by_itself() {
            let _ = writeln!(io::stderr(), "{ENDED_BY_ITSELF}");
        }
        // SAFETY: the handler only writes to stderr.
        unsafe { nix::libc::atexit(ended_by_itself) };
    }
    workbook::process::record_pid()?;
    if mode == ["grandchild"] {
        // Shares our stdout and stderr, and outlives us unless someone kills it
        // (dropping a `Child` neither kills it nor waits for it).
        let grandchild = workbook::process::entry(SLEEPER)
            .arg("second")
            .stdin(Stdio::null())
            .spawn()?;
        drop(grandchild);
    }
    writeln!(io::stdout(), "working")?;
    io::stdout().flush()?;
    writeln!(io::stderr(), "still working")?;
    if let ["until", fifo] = mode[..] {
        // Blocks until a writer opens the pipe, then until it closes it.
        io::copy(&mut std::fs::File::open(fifo)?, &mut io::sink())?;
        return Ok(());
    }
    loop {
        super::sync::thread::park();
    }
}
