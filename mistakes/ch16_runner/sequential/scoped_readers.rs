//! # Sequential: each test program once, bounded, output kept — solution
//!
//! The one idea: a test is a process you do not trust. Drain both of its pipes
//! from the start, wait for it with a deadline, and when it ends — by itself or by
//! the deadline — kill what is left of its process group *before* collecting its
//! output: nothing it started outlives it, and nothing it left behind keeps its
//! pipes open.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};
use wait_timeout::ChildExt;

/// Runs one test program to its end or to its timeout.
pub fn run_one(spec: &TestSpec) -> TestResult {
    let started = Instant::now();
    let mut child = match command(spec).spawn() {
        Ok(child) => child,
        Err(e) => {
            let reason = format!("cannot start {}: {e}", spec.program);
            let none = String::new;
            return spec.result(Outcome::Error { reason }, started, none(), none());
        }
    };
    let (out, err) = (child.stdout.take(), child.stderr.take());
    let (outcome, stdout, stderr) = thread::scope(|scope| {
        let stdout = scope.spawn(|| read_all(out));
        let stderr = scope.spawn(|| read_all(err));
        let outcome = match child.wait_timeout(spec.timeout) {
            Ok(Some(status)) => outcome_of(status),
            Ok(None) => Outcome::TimedOut,
            Err(e) => Outcome::Error {
                reason: format!("cannot wait: {e}"),
            },
        };
        kill_group(&child);
        let _ = child.wait();
        let text = |h: thread::ScopedJoinHandle<'_, Vec<u8>>| {
            String::from_utf8_lossy(&h.join().unwrap_or_default()).into_owned()
        };
        (outcome, text(stdout), text(stderr))
    });
    spec.result(outcome, started, stdout, stderr)
}

fn read_all(pipe: Option<impl Read>) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Some(mut pipe) = pipe {
        let _ = pipe.read_to_end(&mut bytes);
    }
    bytes
}

/// Runs every test, one after another, in the order given.
pub fn run_all(specs: &[TestSpec]) -> Vec<TestResult> {
    specs.iter().map(run_one).collect()
}

/// What an exit status says about a test.
fn outcome_of(status: ExitStatus) -> Outcome {
    match (status.code(), status.signal()) {
        (Some(0), _) => Outcome::Passed,
        (Some(code), _) => Outcome::Failed { code },
        (None, Some(signal)) => Outcome::Killed { signal },
        (None, None) => Outcome::Error {
            reason: format!("an exit status with neither code nor signal: {status}"),
        },
    }
}

/// SIGKILL to the child's process group (it leads one: see [`command`]).
fn kill_group(child: &Child) {
    let _ = killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// One test program: run `program` with `args` and `env` (added to the runner's
/// own environment); it passes when it exits with status 0 within `timeout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSpec {
    pub name: String,
    pub program: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub timeout: Duration,
}

impl TestSpec {
    /// `sh -c SCRIPT` as a test called `name`, with a timeout of `timeout`.
    pub fn shell(name: &str, script: &str, timeout: Duration) -> Self {
        TestSpec {
            name: name.to_owned(),
            program: "/bin/sh".to_owned(),
            args: vec!["-c".to_owned(), script.to_owned()],
            env: Vec::new(),
            timeout,
        }
    }

    /// The same spec with one more environment variable.
    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// This spec's result, timed from `started`.
    pub fn result(
        &self,
        outcome: Outcome,
        started: Instant,
        stdout: String,
        stderr: String,
    ) -> TestResult {
        TestResult {
            name: self.name.clone(),
            outcome,
            stdout,
            stderr,
            duration: started.elapsed(),
        }
    }
}

/// How a test ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Exit status 0 within the timeout.
    Passed,
    /// Another exit status.
    Failed { code: i32 },
    /// Ended by a signal it did not get from the runner (a crash, say).
    Killed { signal: i32 },
    /// Still running at its timeout: killed, with its whole process group.
    TimedOut,
    /// The runner could not run it (no such program, say).
    Error { reason: String },
}

/// One test's verdict and everything it said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    pub name: String,
    pub outcome: Outcome,
    pub stdout: String,
    pub stderr: String,
    /// From just before the program was started until it was reaped.
    pub duration: Duration,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }
}

/// The command for `spec`: its program, arguments and environment; stdin closed,
/// stdout and stderr piped; the leader of a process group of its own (so the
/// runner can end everything the test started with one `killpg`); and killed by
/// the kernel if the thread that started it dies (a killed runner leaves no test
/// behind). Given.
pub fn command(spec: &TestSpec) -> std::process::Command {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    let mut cmd = std::process::Command::new(&spec.program);
    cmd.args(&spec.args)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    // SAFETY: between fork and exec only async-signal-safe calls are allowed;
    // prctl(PR_SET_PDEATHSIG) is one, and nothing here allocates.
    unsafe {
        cmd.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)
                .map_err(std::io::Error::from)
        });
    }
    cmd
}
