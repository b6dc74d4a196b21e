//! Cleaning up after children that the *code under test* starts (chapter 8).

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use workbook::process::PIDFILE_ENV;

use crate::{proc_parent, proc_state, temp_dir};

/// Cleans up after children that *code under test* starts (so no `Child` reaches the test):
/// [`apply`](ChildTracker::apply) makes the command a process-group leader that records its
/// pid (see `workbook::process::record_pid`); on drop, every recorded process still there is killed with
/// SIGKILL (its whole group) and reaped if it is ours — even while a failing test unwinds
/// and the code under test is stuck holding its `Child`.
#[derive(Debug)]
pub struct ChildTracker {
    file: PathBuf,
    _dir: tempfile::TempDir,
}

impl ChildTracker {
    pub fn new() -> Self {
        let dir = temp_dir();
        let file = dir.path().join("pids");
        ChildTracker { file, _dir: dir }
    }

    /// Makes `cmd` record its pid here and lead a process group of its own.
    pub fn apply<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        cmd.env(PIDFILE_ENV, &self.file).process_group(0)
    }

    /// The pids recorded so far, in order.
    pub fn pids(&self) -> Vec<u32> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.trim().parse().ok())
            .collect()
    }
}

impl Default for ChildTracker {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ChildTracker {
    fn drop(&mut self) {
        let me = std::process::id();
        for pid in self.pids() {
            let Some(state) = proc_state(pid) else {
                continue;
            };
            let target = Pid::from_raw(pid as i32);
            if state != 'Z' {
                let _ = killpg(target, Signal::SIGKILL);
                let _ = nix::sys::signal::kill(target, Signal::SIGKILL);
            }
            if proc_parent(pid) == Some(me) {
                // Ours: reap it (if the code under test reaps it first, this is ECHILD).
                let _ = nix::sys::wait::waitpid(target, None);
            }
        }
    }
}
