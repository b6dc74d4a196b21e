//! # A deadline for a child — a waiter thread and `recv_timeout`
//!
//! A thread blocks in `wait` for the child and sends its status down a channel; the
//! caller waits on that channel until the deadline. On timeout it kills the child's
//! process group by its id and then takes the status from the waiter, which reaps
//! it. (A child that exits in the very instant between the timeout and the kill may
//! already be reaped; polling `try_wait`, as the solution does, has no such window.)

use std::io::{self, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::Duration;

use super::sync::mpsc;
use super::sync::thread::{self, JoinHandle};

/// Runs `cmd` (stdin closed, output captured) for at most `timeout`.
///
/// The child leads a process group of its own; on timeout the whole group is killed.
pub fn run_with_timeout(
    cmd: &mut Command,
    timeout: Duration,
) -> Result<Output, TimeoutError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|source| TimeoutError::Spawn {
            program: program.clone(),
            source,
        })?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let group = nix::unistd::Pid::from_raw(child.id() as i32);
    let (done, status) = mpsc::channel::<io::Result<ExitStatus>>();
    let waiter = thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    let (status, timed_out) = match status.recv_timeout(timeout) {
        Ok(status) => (status?, false),
        Err(_) => {
            let _ =
                nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
            let status = status.recv().map_err(|_| TimeoutError::Panicked)??;
            (status, true)
        }
    };
    waiter.join().map_err(|_| TimeoutError::Panicked)?;
    let stdout = collect(stdout)?;
    let stderr = collect(stderr)?;
    if timed_out {
        return Err(TimeoutError::Timeout {
            program,
            after: timeout,
            status,
            stdout,
            stderr,
        });
    }
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

fn drain(
    pipe: Option<impl Read + Send + 'static>,
) -> JoinHandle<io::Result<Vec<u8>>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            pipe.read_to_end(&mut bytes)?;
        }
        Ok(bytes)
    })
}

fn collect(
    reader: JoinHandle<io::Result<Vec<u8>>>,
) -> Result<Vec<u8>, TimeoutError> {
    Ok(reader.join().map_err(|_| TimeoutError::Panicked)??)
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
    workbook::process::record_pid()?;
    let mode: Vec<&str> = args.iter().map(String::as_str).collect();
    if mode == ["grandchild"] {
        // Shares our stdout and stderr, and outlives us unless someone kills it
        // (dropping a `Child` neither kills it nor waits for it).
        let grandchild = workbook::process::entry(SLEEPER)
            .arg("second")
            .stdin(Stdio::null())
            .spawn()?;
        drop(grandchild);
    }
    if mode == ["second"] {
        // A sleeper whose parent is gone ends itself soon after (see
        // `record_pid`); then, and only then, it says so on the shared stderr. A
        // SIGKILL leaves it no time to say anything.
        extern "C" fn ended_by_itself() {
            let _ = writeln!(io::stderr(), "{ENDED_BY_ITSELF}");
        }
        // SAFETY: the handler only writes to stderr.
        unsafe { nix::libc::atexit(ended_by_itself) };
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
