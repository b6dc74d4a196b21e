//! # A zombie, on purpose — solution
//!
//! The one idea: `waitid` with `WNOWAIT` waits for the child to exit *without*
//! collecting its status, so the kernel must keep its process-table entry (the
//! zombie) until a real wait — `Child::wait` — reaps it.

use std::process::{Child, ExitStatus};

use nix::sys::wait::{waitid, Id, WaitPidFlag};
use nix::unistd::Pid;

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

/// The child (given): exit at once.
pub fn quick_exit(_args: &[String]) -> std::io::Result<()> {
    std::process::exit(QUICK_EXIT_CODE)
}
