//! # Sequential: run each test program once, bounded, and keep what it said
//!
//! Seed 000 asks how a tester runs many tests at once, and answers with Selenium
//! Grid: machines that each run tests. Every such runner — cargo's, nextest, a
//! Grid node — is built on one small part, and this capstone starts with it: run
//! one test program, wait for it *for a bounded time*, keep everything it printed,
//! and say how it ended. A test is a program you do not trust: it may print
//! megabytes, crash on a signal, hang, or start processes of its own and exit
//! while they keep running. The runner must survive all of it, and leave nothing
//! behind.
//!
//! Written for you below: [`TestSpec`] (what to run), [`Outcome`] and
//! [`TestResult`] (what happened), and [`command`], which builds the
//! `std::process::Command` for a spec — its program, arguments and environment,
//! stdout and stderr piped, and the leader of a *process group of its own*, so
//! that one `killpg` (nix's `nix::sys::signal::killpg`) reaches every process the
//! test started.
//!
//! Your tasks:
//! 1. `run_one`: start `command(spec)`. A program that cannot be started is
//!    `Outcome::Error` with a reason that names `spec.program` (never a panic).
//!    Read stdout and stderr *while the test runs*, each to its end and apart
//!    (a test that fills one pipe while you wait on the other must not block).
//!    Wait for it at most `spec.timeout` (the `wait-timeout` crate's
//!    `ChildExt::wait_timeout`). Exit status 0 is `Passed`, another code
//!    `Failed { code }`, a signal `Killed { signal }`, still running at the
//!    timeout `TimedOut`. However it ended, kill its whole process group before
//!    you collect the output: a hanging test dies with everything it started,
//!    and a test that exited leaving a process behind (holding its pipes open)
//!    neither keeps running nor keeps `run_one` waiting. Reap the child, and build
//!    the result with `spec.result`, timed from before the start: what the test
//!    printed before it was killed is kept.
//! 2. `run_all`: every spec in the order given, each started only once the one
//!    before it has ended; the results in the same order.
//!
//! The tests' programs are small shell scripts that wait for each other through
//! files, so "ran one after another" is decided by your runner, not by a clock;
//! every process they start is looked for in `/proc` afterwards. A hang is
//! reported by the watchdog within seconds.
//! Graded by: `cargo test --test ch16_runner sequential`.

use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use serde::{Deserialize, Serialize};

/// Runs one test program to its end or to its timeout.
pub fn run_one(spec: &TestSpec) -> TestResult {
    let _ = spec;
    todo!("start it, drain both pipes, wait with a deadline, kill the group")
}

/// Runs every test, one after another, in the order given.
pub fn run_all(specs: &[TestSpec]) -> Vec<TestResult> {
    let _ = specs;
    todo!("one `run_one` after another")
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
