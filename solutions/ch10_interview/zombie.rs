//! # A zombie, on purpose — solution
//!
//! The one idea: `waitid` with `WNOWAIT` waits for the child to exit *without*
//! collecting its status, so the kernel must keep its process-table entry (the
//! zombie) until a real wait — `Child::wait` — reaps it.

use std::process::{Child, ExitStatus};

use nix::sys::wait::{waitid, Id, WaitPidFlag};
use nix::unistd::Pid;

/// A child process that has exited and has not been waited for.
#[derive(Debug)]
pub struct Zombie {
    child: Child,
}

impl Zombie {
    /// Starts a `quick_exit` child and returns once it has exited, leaving it
    /// unreaped.
    pub fn spawn() -> Result<Zombie, ZombieError> {
        let child = workbook::process::entry(QUICK_EXIT)
            .spawn()
            .map_err(ZombieError::Spawn)?;
        let pid = Pid::from_raw(child.id() as i32);
        waitid(Id::Pid(pid), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT)?;
        Ok(Zombie { child })
    }

    /// The zombie's pid.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the child, which reaps it, and returns how it exited.
    pub fn reap(mut self) -> Result<ExitStatus, ZombieError> {
        self.child.wait().map_err(ZombieError::Reap)
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
