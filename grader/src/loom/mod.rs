//! Loom model checks of the learner's own files.
//!
//! The suite's `crate::model::NAME` is the exercise file compiled again over [`sync`]
//! (loom's threads and locks under the facade's names); [`check`] runs a model of it
//! through every interleaving loom can find, up to the preemption bound.

pub mod rendezvous;
pub mod sync;

pub use rendezvous::StartLine;

#[doc(hidden)]
pub use ::loom as __loom;
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
    // Where each thread was when it blocked, for deadlock reports.
    builder.location = true;
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
    let finding = match deadlock(&finding) {
        Some(threads) => format!(
            "a deadlock: in some interleaving every thread waits for another, for ever.\n{threads}"
        ),
        None => finding,
    };
    let notes = notes_on_source(what);
    panic!("loom found an interleaving where {what} fails: {finding}{notes}");
}

/// loom's `deadlock; threads = [(Id(0), Blocked(Location(Some(Location { file: "f.rs",
/// line: 12, column: 5 })))), …]`, as one line per thread: where each one was stuck.
fn deadlock(finding: &str) -> Option<String> {
    let list = finding.strip_prefix("deadlock; threads = ")?;
    let mut lines = Vec::new();
    for entry in list.split("(Id(").skip(1) {
        let id: String = entry.chars().take_while(char::is_ascii_digit).collect();
        let field = |name: &str| -> Option<String> {
            let at = entry.find(&format!("{name}: "))? + name.len() + 2;
            let rest = entry[at..].trim_start_matches('"');
            Some(
                rest.chars()
                    .take_while(|c| *c != '"' && *c != ',' && *c != ' ')
                    .collect(),
            )
        };
        let who = if id == "0" {
            "thread 0 (the model's own)".to_owned()
        } else {
            format!("thread {id}")
        };
        let state = match (field("file"), field("line"), field("column")) {
            (Some(file), Some(line), Some(column)) => {
                format!("blocked at {file}:{line}:{column}")
            }
            _ if entry.contains("Blocked") => "blocked".to_owned(),
            _ => "finished".to_owned(),
        };
        lines.push(format!("  {who} {state}"));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The loom-checked files of this test binary: (exercise, file, text).
static SOURCES: std::sync::OnceLock<&'static [(&'static str, &'static str, &'static str)]> =
    std::sync::OnceLock::new();

/// Called before `main` by each chapter binary (see `build.rs`) with its loom-checked
/// files, so a finding can say when a file uses std's own types, which loom cannot see.
pub fn register_sources(sources: &'static [(&'static str, &'static str, &'static str)]) {
    let _ = SOURCES.set(sources);
}

/// What loom cannot see in the file of the exercise `what` names (`balance::…`): std's
/// threads, locks, atomics or channels used directly instead of through `super::sync`.
fn notes_on_source(what: &str) -> String {
    let exercise = what.split("::").next().unwrap_or_default();
    let Some((_, file, text)) = SOURCES
        .get()
        .and_then(|s| s.iter().find(|(name, _, _)| *name == exercise))
    else {
        return String::new();
    };
    let direct: Vec<&str> = [
        "std::sync::Mutex",
        "std::sync::RwLock",
        "std::sync::Condvar",
        "std::sync::Arc",
        "std::sync::Barrier",
        "std::sync::atomic",
        "std::sync::mpsc",
        "std::sync::{",
        "std::thread",
        "crossbeam",
        "parking_lot",
    ]
    .into_iter()
    .filter(|item| text.contains(item))
    .collect();
    let mut direct = direct;
    // A bare `thread_local!` is std's macro (the facade's is `sync::thread_local!`).
    if text.contains("thread_local!") && !text.contains("sync::thread_local") {
        direct.push("std's `thread_local!`");
    }
    if direct.is_empty() {
        return String::new();
    }
    format!(
        "\nnote: {file} uses {} itself. loom model-checks only what comes from `super::sync` \
         (std's in your program, loom's in this check): with std's own types it cannot see \
         the threads and locks, so the finding above may be about them. Take them from \
         `super::sync` instead.",
        direct.join(", ")
    )
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
