//! Test programs for the runner under test: small shell scripts in a folder of
//! their own, each marked in its environment with this fixture's id. Whatever the
//! runner leaves behind — a hanging test it never killed, a grandchild, a test of
//! a worker that was killed — carries the mark, is found in `/proc`, and is killed
//! (and reaped, if it is ours) when the [`Fixtures`] is dropped, even while a
//! failing test unwinds.
//!
//! The scripts wait for each other through files in that folder (`until [ -e F ]`),
//! so who runs with whom is decided by the runner alone, never by a clock.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::ch16_runner::sequential::TestSpec;

/// The environment variable that marks this fixture's processes.
pub const MARK: &str = "WORKBOOK_RUNNER_FIXTURE";

/// A spin of the scripts while they wait for a file (a fixture's loop, not a clock
/// the verdict depends on).
pub const UNTIL: &str = "sleep 0.005";

pub struct Fixtures {
    id: String,
    dir: tempfile::TempDir,
}

impl Fixtures {
    pub fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        Fixtures {
            id: format!("{}-{n}", std::process::id()),
            dir: grader::temp_dir(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `sh -c SCRIPT` called `name`, with `$DIR` set and this fixture's mark.
    pub fn spec(&self, name: &str, script: &str, timeout: Duration) -> TestSpec {
        TestSpec::shell(name, script, timeout)
            .with_env(MARK, &self.id)
            .with_env("DIR", &self.dir.path().to_string_lossy())
    }

    /// A test that waits until file `name` exists in `$DIR`, then prints `then`.
    pub fn waits_for(&self, test: &str, name: &str, then: &str, timeout: Duration) -> TestSpec {
        let script = format!("until [ -e \"$DIR/{name}\" ]; do {UNTIL}; done; echo {then}");
        self.spec(test, &script, timeout)
    }

    /// `n` tests that can only end when all `n` are running at once: each makes a
    /// file and waits for the others' files.
    pub fn together(&self, prefix: &str, n: usize, timeout: Duration) -> Vec<TestSpec> {
        (0..n)
            .map(|i| {
                let script = format!(
                    "touch \"$DIR/{prefix}.$N\"; \
                     until [ $(ls \"$DIR\" | grep -c '^{prefix}\\.') -ge {n} ]; do {UNTIL}; done; \
                     echo together"
                );
                self.spec(&format!("{prefix}{i}"), &script, timeout)
                    .with_env("N", &i.to_string())
            })
            .collect()
    }

    /// Pids of this fixture's processes still running (zombies not counted).
    pub fn left_running(&self) -> Vec<u32> {
        let needle = format!("{MARK}={}\0", self.id);
        let mut pids = Vec::new();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return pids;
        };
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
                continue;
            };
            let marked = environ
                .split(|&b| b == 0)
                .any(|var| var == &needle.as_bytes()[..needle.len() - 1]);
            if marked && !matches!(grader::proc_state(pid), None | Some('Z')) {
                pids.push(pid);
            }
        }
        pids
    }
}

impl Drop for Fixtures {
    fn drop(&mut self) {
        let me = std::process::id();
        for pid in self.left_running() {
            let target = Pid::from_raw(pid as i32);
            let _ = kill(target, Signal::SIGKILL);
            if grader::proc_parent(pid) == Some(me) {
                let _ = nix::sys::wait::waitpid(target, None);
            }
        }
    }
}
