//! Running a chapter's test suite with cargo and reading libtest's verdicts.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::catalog;

/// Which tree the library is built from for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tree {
    Exercises,
    Solutions,
}

impl Tree {
    pub fn name(self) -> &'static str {
        match self {
            Tree::Exercises => "exercises",
            Tree::Solutions => "solutions",
        }
    }
}

/// One test's verdict as libtest printed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed,
    Ignored,
}

/// What one `cargo test --test <suite>` run produced.
#[derive(Debug, Default)]
pub struct SuiteRun {
    /// Test name (`two_files::output_intact`) → verdict.
    pub verdicts: BTreeMap<String, Verdict>,
    /// Test name → the first line of its failure message (the panic message).
    pub messages: BTreeMap<String, String>,
    /// Set when cargo itself failed before running tests (a compile error), with its output.
    pub build_error: Option<String>,
}

/// The most a whole suite may take before the runner gives up on it. Every test has its
/// own watchdog, so this only catches a test written without one.
const SUITE_LIMIT: Duration = Duration::from_secs(600);

/// The cargo to run: the one that started us (`cargo run`) if known, in the workbook.
fn cargo() -> Command {
    cargo_in(catalog::root())
}

fn cargo_in(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root);
    cmd
}

/// Builds everything a test run of `tree` needs, showing cargo's progress on the terminal.
pub fn build(tree: Tree, quiet: bool) -> Result<(), String> {
    let mut cmd = cargo();
    cmd.args(["test", "--no-run", "--tests"]);
    if tree == Tree::Solutions {
        cmd.args(["--features", "solutions"]);
    }
    if quiet {
        cmd.arg("--quiet");
    }
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo test --no-run` failed for the {} tree",
            tree.name()
        ))
    }
}

/// Runs test target `suite` against `tree` (optionally only tests matching `filter`) and
/// collects every test's verdict.
pub fn run_suite(suite: &str, tree: Tree, filter: Option<&str>) -> SuiteRun {
    run_suite_in(catalog::root(), suite, tree, filter)
}

/// [`run_suite`] in the workbook at `root`.
pub fn run_suite_in(root: &Path, suite: &str, tree: Tree, filter: Option<&str>) -> SuiteRun {
    let mut cmd = cargo_in(root);
    cmd.args(["test", "--quiet", "--no-fail-fast", "--test", suite]);
    if tree == Tree::Solutions {
        cmd.args(["--features", "solutions"]);
    }
    cmd.arg("--");
    if let Some(filter) = filter {
        cmd.arg(filter);
    }
    // Pretty format: one `test NAME ... VERDICT` line per test.
    cmd.args(["--format", "pretty", "--color", "never"]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let (stdout, stderr, finished) = match run_captured(cmd, SUITE_LIMIT) {
        Ok(out) => out,
        Err(e) => {
            return SuiteRun {
                build_error: Some(format!("cannot run cargo: {e}")),
                ..SuiteRun::default()
            }
        }
    };
    let mut run = parse(&stdout);
    if !finished {
        run.build_error = Some(format!(
            "`cargo test --test {suite}` ran past {SUITE_LIMIT:?}"
        ));
    } else if run.verdicts.is_empty() && !stdout.contains("running 0 tests") {
        run.build_error = Some(stderr);
    }
    run
}

/// Runs `cmd`, reading stdout and stderr fully; kills it after `limit`.
/// Returns (stdout, stderr, finished in time).
fn run_captured(mut cmd: Command, limit: Duration) -> std::io::Result<(String, String, bool)> {
    let mut child = cmd.spawn()?;
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let finished = crate::harness::wait_within(&mut child, limit).is_some();
    if !finished {
        let _ = child.kill();
        let _ = child.wait();
    }
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok((stdout, stderr, finished))
}

/// Reads libtest's pretty output: verdict lines, and for each failure the first line of
/// its panic message.
pub fn parse(stdout: &str) -> SuiteRun {
    let mut run = SuiteRun::default();
    let mut failure: Option<String> = None;
    let mut after_panic = false;
    for line in stdout.lines() {
        if let Some((name, verdict)) = verdict_line(line) {
            run.verdicts.insert(name.to_owned(), verdict);
        } else if let Some(rest) = line.strip_prefix("---- ") {
            // `---- two_files::output_intact stdout ----` starts a failure's captured output.
            failure = rest.strip_suffix(" stdout ----").map(str::to_owned);
            after_panic = false;
        } else if line.starts_with("thread '") && line.contains("panicked at") {
            after_panic = failure.is_some();
        } else if after_panic && !line.trim().is_empty() {
            if let Some(name) = &failure {
                run.messages
                    .entry(name.clone())
                    .or_insert_with(|| line.trim().to_owned());
            }
            after_panic = false;
        }
    }
    run
}

fn verdict_line(line: &str) -> Option<(&str, Verdict)> {
    let rest = line.strip_prefix("test ")?;
    let (name, verdict) = rest.rsplit_once(" ... ")?;
    let verdict = match verdict.trim() {
        "ok" => Verdict::Passed,
        "FAILED" => Verdict::Failed,
        v if v.starts_with("ignored") => Verdict::Ignored,
        _ => return None,
    };
    Some((name, verdict))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\nrunning 3 tests\ntest a::one ... ok\ntest b::loom_two ... FAILED\n\
test c::three ... ignored, slow\n\nfailures:\n\n---- b::loom_two stdout ----\n\n\
thread 'b::loom_two' panicked at tests/x.rs:3:5:\nnot yet implemented: write it\n\
note: run with `RUST_BACKTRACE=1`\n\nfailures:\n    b::loom_two\n\n\
test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out\n";

    #[test]
    fn reads_verdicts_and_first_message_line() {
        let run = parse(SAMPLE);
        assert_eq!(run.verdicts.len(), 3);
        assert_eq!(run.verdicts["a::one"], Verdict::Passed);
        assert_eq!(run.verdicts["b::loom_two"], Verdict::Failed);
        assert_eq!(run.verdicts["c::three"], Verdict::Ignored);
        assert_eq!(run.messages["b::loom_two"], "not yet implemented: write it");
    }
}
