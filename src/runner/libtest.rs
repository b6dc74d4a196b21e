//! The one place that reads libtest: the tests a binary has (`--list`), the command that
//! runs one of them alone, and what that run says happened.
//!
//! Each test runs in a process of its own (as cargo-nextest does): a test that ends the
//! process (`std::process::exit`, an abort) loses only itself, and is reported as what it
//! is, not as a pass.

use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::Duration;

/// A test's full name in its chapter binary: `balance::loom_no_deposit_is_lost`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct TestName(pub String);

impl TestName {
    /// The exercise module it belongs to: `balance`.
    pub fn exercise(&self) -> &str {
        self.0.split("::").next().unwrap_or_default()
    }

    /// A loom model check (`NAME::loom_*`).
    pub fn is_loom(&self) -> bool {
        self.0
            .rsplit("::")
            .next()
            .is_some_and(|last| last.starts_with("loom_"))
    }

    /// A test that runs the compiler on the learner's code (`NAME::compile_*`, trybuild):
    /// its first run may build every dependency in trybuild's own target folder.
    pub fn runs_the_compiler(&self) -> bool {
        self.0
            .rsplit("::")
            .next()
            .is_some_and(|last| last.starts_with("compile_"))
    }
}

impl std::fmt::Display for TestName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The tests of binary `exe`, from `exe --list --format terse` (`NAME: test` lines).
pub fn list(exe: &Path) -> Result<Vec<TestName>, String> {
    let out = Command::new(exe)
        .args(["--list", "--format", "terse"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} --list failed ({}): {}",
            exe.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(|name| TestName(name.to_owned()))
        .collect())
}

/// The command that runs test `name` of `exe` alone, its output uncaptured (the runner
/// captures the pipes itself).
pub fn command(exe: &Path, name: &TestName) -> Command {
    let mut cmd = Command::new(exe);
    cmd.args([
        name.0.as_str(),
        "--exact",
        "--nocapture",
        "--test-threads=1",
        "--color",
        "never",
    ])
    .env("RUST_BACKTRACE", "0");
    cmd
}

/// What happened to one test.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    Passed,
    /// It failed; the first panic's message (assertion values included).
    Failed {
        message: String,
    },
    /// The process ended before libtest reported on the test.
    Vanished {
        how: String,
    },
    /// The runner's own deadline for the test ran out and it was killed.
    TimedOut {
        seconds: u64,
    },
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Passed)
    }

    /// The message a learner sees.
    pub fn message(&self) -> String {
        match self {
            Outcome::Passed => String::new(),
            Outcome::Failed { message } => message.clone(),
            Outcome::Vanished { how } => how.clone(),
            Outcome::TimedOut { seconds } => format!(
                "the test was still running after {seconds} s and was stopped (its \
                 watchdog should have ended it sooner: a process that ignores signals, \
                 or a loop that never yields?)"
            ),
        }
    }
}

/// Reads the outcome of a `command` run from its exit status and output.
pub fn outcome(status: ExitStatus, stdout: &str, stderr: &str) -> Outcome {
    let result = stdout
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("test result: "));
    match result {
        Some(r) if r.starts_with("ok. 1 passed") => Outcome::Passed,
        Some(r) if r.starts_with("FAILED.") && r.contains("1 failed") => Outcome::Failed {
            message: first_panic(stderr)
                .unwrap_or_else(|| "(the test failed without a message)".into()),
        },
        Some(r) => Outcome::Vanished {
            how: format!("libtest ran no such test ({r})"),
        },
        None => Outcome::Vanished {
            how: vanished(status, stderr),
        },
    }
}

fn vanished(status: ExitStatus, stderr: &str) -> String {
    use std::os::unix::process::ExitStatusExt;
    let said = first_panic(stderr)
        .map(|m| format!("; before that it panicked: {m}"))
        .unwrap_or_default();
    match (status.code(), status.signal()) {
        (Some(0), _) => format!(
            "the test binary exited with status 0 before this test reported: did the code \
             call `std::process::exit`? A test only passes by returning{said}"
        ),
        (Some(code), _) => format!(
            "the test binary exited with status {code} before this test reported: did the \
             code call `std::process::exit`{said}?"
        ),
        (None, Some(signal)) => format!(
            "the test process died of signal {signal} ({}) before it reported{said}",
            signal_name(signal)
        ),
        (None, None) => format!("the test process ended without reporting ({status}){said}"),
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        6 => "SIGABRT: an abort, e.g. a panic while panicking or a stack overflow",
        9 => "SIGKILL: killed",
        11 => "SIGSEGV: a bad memory access",
        15 => "SIGTERM",
        2 => "SIGINT",
        13 => "SIGPIPE",
        _ => "a signal",
    }
}

/// The first `thread '…' panicked at PLACE:` report in `stderr`: its place and its
/// message (every line of it, so `left:`/`right:` stay), at most 16 lines.
pub fn first_panic(stderr: &str) -> Option<String> {
    let mut lines = stderr.lines();
    let head = lines.find(|line| line.starts_with("thread '") && line.contains("panicked at"))?;
    let place = head
        .split_once("panicked at ")
        .map(|(_, p)| p.trim_end_matches(':'))
        .unwrap_or_default();
    let body: Vec<&str> = lines
        .take_while(|line| {
            let ends = line.starts_with("note: ")
                || line.starts_with("stack backtrace:")
                || (line.starts_with("thread '") && line.contains("panicked at"));
            !ends
        })
        .take(16)
        .collect();
    let body = body.join("\n").trim_end().to_owned();
    Some(if place.is_empty() {
        body
    } else {
        format!("{body}\n  (at {place})")
    })
}

/// How long the runner lets one test run before it kills it: well past every grader
/// watchdog (`grader::limit`, the loom limit), so only a test that ignores its own
/// watchdog ever meets it.
pub fn deadline(name: &TestName) -> Duration {
    let base = std::env::var("WORKBOOK_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5u64);
    if name.runs_the_compiler() {
        // Minutes, whatever the watchdog: a cold trybuild builds the dependencies first.
        return Duration::from_secs(COMPILER_SECS.max(base * 12));
    }
    Duration::from_secs(if name.is_loom() { base * 24 } else { base * 12 })
}

/// The deadline of a test that runs the compiler (`compile_*`).
const COMPILER_SECS: u64 = 600;

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    const PASSED: &str = "\nrunning 1 test\ntest a::b ... ok\n\n\
        test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 9 filtered out; finished in 0.00s\n\n";
    const FAILED: &str = "\nrunning 1 test\ntest a::b ... FAILED\n\nfailures:\n\nfailures:\n    a::b\n\n\
        test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 9 filtered out; finished in 0.00s\n\n";
    const PANIC: &str = "thread 'a::b' (77) panicked at tests/x.rs:3:5:\n\
        assertion `left == right` failed: a deposit was lost\n  left: 110\n right: 111\n\
        note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";

    #[test]
    fn a_pass_a_failure_with_its_values_and_a_vanished_test() {
        let ok = ExitStatus::from_raw(0);
        let failed = ExitStatus::from_raw(101 << 8);
        assert_eq!(outcome(ok, PASSED, ""), Outcome::Passed);
        let Outcome::Failed { message } = outcome(failed, FAILED, PANIC) else {
            panic!()
        };
        assert!(message.contains("a deposit was lost"), "{message}");
        assert!(
            message.contains("left: 110") && message.contains("right: 111"),
            "{message}"
        );
        assert!(message.contains("tests/x.rs:3:5"), "{message}");
        // `process::exit(0)` inside the test: status 0, but libtest never reported.
        let Outcome::Vanished { how } = outcome(ok, "\nrunning 1 test\n", "") else {
            panic!()
        };
        assert!(how.contains("process::exit"), "{how}");
        let Outcome::Vanished { how } = outcome(ExitStatus::from_raw(6), "", "") else {
            panic!()
        };
        assert!(how.contains("SIGABRT"), "{how}");
    }

    #[test]
    fn names_know_their_exercise_and_whether_they_are_loom_checks() {
        let loom = TestName("balance::loom_no_deposit_is_lost".into());
        assert_eq!(loom.exercise(), "balance");
        assert!(loom.is_loom());
        assert!(!TestName("balance::update_applies".into()).is_loom());
    }

    #[test]
    fn a_test_that_runs_the_compiler_gets_minutes_whatever_the_watchdog() {
        let compile = TestName("send_sync::compile_tally_is_send".into());
        assert!(compile.runs_the_compiler() && !compile.is_loom());
        assert!(deadline(&compile) >= Duration::from_secs(COMPILER_SECS));
        let plain = TestName("send_sync::a_compile_error".into());
        assert!(!plain.runs_the_compiler());
        assert!(deadline(&plain) < Duration::from_secs(COMPILER_SECS));
    }
}
