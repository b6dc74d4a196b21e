//! # A zombie, on purpose
//!
//! Seed 004 says a zombie is "a process whose parent died while it lives on". That
//! is an *orphan* (next exercise). A zombie is the opposite: a child that has
//! **exited** while its parent lives on and has not yet **waited** for it. The
//! kernel must keep the child's entry (pid, exit status) in the process table so
//! that the parent can still ask how it ended; `ps` shows it as `Z` / `<defunct>`.
//! Waiting for it reaps it.
//!
//! Your tasks, on [`Zombie`]:
//! 1. `spawn`: start a child running entry point [`QUICK_EXIT`]
//!    (`workbook::process::entry`), and return only once it has exited — without
//!    reaping it. Block in a wait for the exit: the child may take any time to get
//!    there (the tests hold it alive until they see `spawn` waiting for it), so
//!    neither a single look, nor a loop of them, nor a sleep "long enough" will do.
//!    `Child::wait` would reap it; look at `nix::sys::wait::waitid` and the flag
//!    `WNOWAIT`.
//! 2. `pid`: the child's pid.
//! 3. `reap`: wait for it (now the zombie goes away) and return its exit status.
//!
//! The tests look the child up in `/proc` to see the `Z`, and then to see it gone.
//! The child and the error type are written for you, at the bottom of the file.
//! Graded by: `cargo test --test ch10_interview zombie::`.

use std::process::{Child, ExitStatus};

/// A child process that has exited and has not been waited for.
#[derive(Debug)]
pub struct Zombie {
    child: Child,
}

impl Zombie {
    /// Starts a `quick_exit` child and returns once it has exited, leaving it
    /// unreaped.
    pub fn spawn() -> Result<Zombie, ZombieError> {
        todo!("start the child; wait until it exited, but do not reap it")
    }

    /// The zombie's pid.
    pub fn pid(&self) -> u32 {
        todo!("the child's pid")
    }

    /// Waits for the child, which reaps it, and returns how it exited.
    pub fn reap(mut self) -> Result<ExitStatus, ZombieError> {
        let _ = &mut self.child;
        todo!("wait for the child")
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of a child that exits at once with status [`QUICK_EXIT_CODE`].
pub const QUICK_EXIT: &str = "zombie::quick_exit";
/// The status `quick_exit` exits with.
pub const QUICK_EXIT_CODE: i32 = 7;

#[derive(Debug, thiserror::Error)]
pub enum ZombieError {
    #[error("cannot start the child: {0}")]
    Spawn(std::io::Error),
    #[error("cannot wait for the child: {0}")]
    Wait(#[from] nix::Error),
    #[error("cannot reap the child: {0}")]
    Reap(std::io::Error),
}

/// The child (given): exit at once — unless the test holds it at its gate
/// ([`gate`]): then it exits once the test has opened the gate and closed it again,
/// so the test can see whether `spawn` really waits for the exit.
pub fn quick_exit(_args: &[String]) -> std::io::Result<()> {
    let gate = gate(std::os::unix::process::parent_id());
    if gate.exists() {
        // A named pipe: opening it blocks until the test opens the other end.
        std::io::copy(&mut std::fs::File::open(&gate)?, &mut std::io::sink())?;
    }
    std::process::exit(QUICK_EXIT_CODE)
}

/// Where a test running as process `parent` may put a named pipe to hold its
/// `quick_exit` children at.
pub fn gate(parent: u32) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("workbook-zombie-gate-{parent}"))
}
