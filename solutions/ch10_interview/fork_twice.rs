//! # Fork twice: a long-lived child without a zombie — solution
//!
//! The one idea: let a short-lived middle process start the worker and exit at once;
//! the launcher reaps the middle right away, and the worker, orphaned, belongs to
//! the subreaper (or `init`) from then on, which will reap it whenever it ends.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::Stdio;

/// The launcher: start [`MIDDLE`] with `fifo` and its stdout piped, read its
/// `worker=<pid>` line, wait for the middle, and return both pids.
pub fn launch(fifo: &str) -> Result<Launched, ForkTwiceError> {
    let mut middle = workbook::process::entry(MIDDLE)
        .arg(fifo)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    if let Some(out) = middle.stdout.take() {
        BufReader::new(out).read_line(&mut line)?;
    }
    let status = middle.wait()?;
    if !status.success() {
        return Err(ForkTwiceError::Middle(status));
    }
    let worker = line
        .trim()
        .strip_prefix("worker=")
        .and_then(|pid| pid.parse().ok())
        .ok_or_else(|| ForkTwiceError::Malformed(line.clone()))?;
    Ok(Launched {
        middle: middle.id(),
        worker,
    })
}

/// The middle: start [`WORKER`] with the same FIFO argument — its stdout must not be
/// ours (`Stdio::null()`), or the launcher reading our output would wait for the
/// worker too — print `worker=<pid>`, and exit without waiting for it.
pub fn middle(args: &[String]) -> Result<(), ForkTwiceError> {
    let [fifo] = args else {
        return Err(ForkTwiceError::Usage("fork_twice::middle"));
    };
    let worker = workbook::process::entry(WORKER)
        .arg(fifo)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()?;
    let mut out = io::stdout().lock();
    writeln!(out, "worker={}", worker.id())?;
    out.flush()?;
    Ok(())
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the launcher run by the tests: `fork_twice::run FIFO` (given).
pub const RUN: &str = "fork_twice::run";
/// Entry point of the middle process: `fork_twice::middle FIFO`.
pub const MIDDLE: &str = "fork_twice::middle";
/// Entry point of the long-lived worker: `fork_twice::worker FIFO` (given).
pub const WORKER: &str = "fork_twice::worker";

#[derive(Debug, thiserror::Error)]
pub enum ForkTwiceError {
    #[error("usage: {0} FIFO")]
    Usage(&'static str),
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("the middle process printed {0:?}, not `worker=<pid>`")]
    Malformed(String),
    #[error("the middle process failed: {0}")]
    Middle(std::process::ExitStatus),
}

/// What `launch` started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Launched {
    /// The middle process (already exited and reaped when `launch` returns).
    pub middle: u32,
    /// The worker (still running, no longer our child).
    pub worker: u32,
}

/// The launcher process the tests run (given): `launch`, then report
/// `run pid=<own pid> middle=<pid> worker=<pid> middle_reaped=<true|false>`.
pub fn run(args: &[String]) -> Result<(), ForkTwiceError> {
    let [fifo] = args else {
        return Err(ForkTwiceError::Usage("fork_twice::run"));
    };
    let launched = launch(fifo)?;
    let reaped =
        !std::path::Path::new(&format!("/proc/{}", launched.middle)).exists();
    println!(
        "run pid={} middle={} worker={} middle_reaped={reaped}",
        std::process::id(),
        launched.middle,
        launched.worker
    );
    Ok(())
}

/// The worker (given): wait for the go signal on `FIFO`, then report on **stderr**
/// (its stdout is gone) `worker pid=<own pid> ppid=<parent's pid now>`.
pub fn worker(args: &[String]) -> Result<(), ForkTwiceError> {
    let [fifo] = args else {
        return Err(ForkTwiceError::Usage("fork_twice::worker"));
    };
    let mut go = String::new();
    std::fs::File::open(fifo)?.read_to_string(&mut go)?;
    eprintln!(
        "worker pid={} ppid={}",
        std::process::id(),
        std::os::unix::process::parent_id()
    );
    Ok(())
}
