//! # Fork twice: a long-lived child without a zombie
//!
//! A parent that starts a long-lived child must either wait for it some day or leave
//! a zombie behind when it ends. The classic way out (daemons, shells, `nohup`) is
//! to fork *twice*: the parent starts a short-lived middle process, the middle
//! starts the real worker and exits at once, and the parent reaps the middle
//! straight away. The worker is now an orphan: it belongs to `init` (or the nearest
//! subreaper), which reaps it when it ends. Rust spawns rather than forks, so here
//! "fork" is "spawn an entry point".
//!
//! Your tasks:
//! 1. `middle`: start [`WORKER`] (`workbook::process::entry`) with the same FIFO
//!    argument, print `worker=<its pid>` on stdout, and exit without waiting for it.
//!    Give the worker `Stdio::null()` as its stdout: a worker that inherited it
//!    would keep the launcher's pipe open for as long as it lives.
//! 2. `launch`: start [`MIDDLE`] with `fifo` and a piped stdout, read its one line,
//!    wait for the middle (reap it!), and return both pids as [`Launched`]. A middle
//!    that fails (a status other than success) is [`ForkTwiceError::Middle`],
//!    whatever it printed; a line that is not `worker=<pid>` is
//!    [`ForkTwiceError::Malformed`].
//!
//! `run`, `worker` and the types are written for you, at the bottom of the file; the
//! tests run `run` under an adopter (a child subreaper), so they know who must adopt
//! the worker. Graded by: `cargo test --test ch10_interview fork_twice::`.

use std::io::{self, Read};

/// The launcher: start [`MIDDLE`] with `fifo` and its stdout piped, read its
/// `worker=<pid>` line, wait for the middle, and return both pids.
pub fn launch(fifo: &str) -> Result<Launched, ForkTwiceError> {
    let _ = fifo;
    todo!("start the middle, read its `worker=<pid>` line, reap it")
}

/// The middle: start [`WORKER`] with the same FIFO argument, print `worker=<pid>`,
/// and exit without waiting for it.
pub fn middle(args: &[String]) -> Result<(), ForkTwiceError> {
    let [fifo] = args else {
        return Err(ForkTwiceError::Usage("fork_twice::middle"));
    };
    let _ = fifo;
    todo!(
        "start the worker with a null stdout, print its pid, leave without waiting"
    )
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
