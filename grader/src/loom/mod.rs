//! Loom model checks of the learner's own files.
//!
//! The suite's `crate::model::NAME` is the exercise file compiled again over [`sync`]
//! (loom's threads and locks under the facade's names); [`check`] runs a model of it
//! through every interleaving loom can find, up to the preemption bound.

pub mod sync;

use std::process::{Command, Stdio};
use std::thread;

use crate::{loom_limit, Group};

/// Set in the process that runs one loom model (see [`check`]).
const MODEL_ENV: &str = "WORKBOOK_LOOM_MODEL";

/// Whether this process was started by [`check`] to run a model itself.
pub fn in_model_process() -> bool {
    std::env::var_os(MODEL_ENV).is_some()
}

/// Model-checks `model` with loom: every interleaving of its threads up to the preemption
/// bound (3 unless `LOOM_MAX_PREEMPTIONS` says otherwise). Call it from a test named
/// `loom_*`; the test fails with loom's finding when an interleaving panics or deadlocks.
///
/// The model runs in a child process of its own: when loom finds a deadlock it panics,
/// and unwinding through its suspended threads can panic again, which aborts the whole
/// process. In a child that abort costs one test, not the suite; and a model that runs too
/// long is killed there instead of spinning on in the background.
#[track_caller]
pub fn check<F>(what: &str, model: F)
where
    F: Fn() + Send + Sync + 'static,
{
    if !in_model_process() {
        return run_in_child(what);
    }
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(model);
}

/// Runs the current test again in a child process that executes its model.
#[track_caller]
fn run_in_child(what: &str) {
    let current = thread::current();
    let test = current
        .name()
        .filter(|name| name.contains("loom_"))
        .unwrap_or_else(|| panic!("{what}: loom checks must run in a test named `loom_*`"));
    let me = std::env::current_exe().expect("cannot find the test binary");
    let mut cmd = Command::new(me);
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(MODEL_ENV, "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null());
    let output = Group::spawn(&mut cmd)
        .expect("cannot start the loom model process")
        .output_within(loom_limit(), &format!("the loom model of {what}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    if output.status.success() && stdout.contains("1 passed") {
        return;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let finding = first_panic_message(&stderr).unwrap_or_else(|| stderr.trim().to_owned());
    let hint = if finding.starts_with("deadlock") {
        " (a deadlock: in some interleaving every thread waits for another)"
    } else {
        ""
    };
    panic!("loom found an interleaving where {what} fails: {finding}{hint}");
}

/// The message of the first `thread '…' panicked at …:` report in a test's output.
pub fn first_panic_message(output: &str) -> Option<String> {
    let mut lines = output.lines();
    lines.find(|line| line.contains("panicked at"))?;
    let message: Vec<&str> = lines
        .take_while(|line| !line.starts_with("note:") && !line.contains("panicked at"))
        .collect();
    Some(message.join("\n").trim().to_owned()).filter(|m| !m.is_empty())
}
