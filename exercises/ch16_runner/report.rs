//! # Report: a JUnit XML file every CI can read, and an exit status
//!
//! A runner's last job is to tell others: a CI server reads a JUnit XML report
//! (GitHub, GitLab and Jenkins all do) and the exit status says whether the build
//! is green. The report is input to another program, so it must be valid XML
//! whatever the tests printed — and tests print `<`, `&`, quotes and terminal
//! colours.
//!
//! Written for you below: [`Tally`] (JUnit's counts: a non-zero exit is a
//! *failure*; a timeout, a signal or a test that could not start is an *error*),
//! [`describe`], and the program `main`:
//! `report [--workers N] [--timeout-ms MS] [--junit FILE] SUITE`, where SUITE has
//! one test a line, `NAME: COMMAND`, run on the pool of stage 2.
//!
//! Your tasks:
//! 1. `junit(suite, results)`: the report, shaped like this:
//!    ```text
//!    <?xml version="1.0" encoding="UTF-8"?>
//!    <testsuites tests="3" failures="1" errors="1" time="…">
//!      <testsuite name="SUITE" tests="3" failures="1" errors="1" time="…">
//!        <testcase name="NAME" classname="SUITE" time="1.500">
//!          <failure message="…" type="failure"/>   (a non-zero exit), or
//!          <error message="…" type="error"/>       (anything else not passed)
//!          <system-out>what it printed</system-out>
//!          <system-err>what it printed on stderr</system-err>
//!        </testcase>
//!    ```
//!    one `testcase` a result, in order; a passed test has neither `failure` nor
//!    `error`; every `time` is in *seconds*; the counts are the [`Tally`]'s.
//! 2. `escape(text)`: text fit for an attribute or an element: the markup
//!    characters as entities, and every character XML 1.0 cannot carry at all —
//!    the control characters other than tab, newline and carriage return, such as
//!    ESC in a colour code — as U+FFFD; everything else (Chinese too) unchanged.
//!    `junit` puts every name and every output through it.
//! 3. `exit_code(results)`: 0 when every test passed (an empty suite too),
//!    otherwise 1.
//!
//! The tests parse your report back with an XML parser (the `roxmltree` crate),
//! as a CI server would, and run the program on a suite file.
//! Graded by: `cargo test --test ch16_runner report`.

use super::sequential::{Outcome, TestResult};

/// The JUnit XML report of one suite called `suite`.
pub fn junit(suite: &str, results: &[TestResult]) -> String {
    let _ = (suite, results);
    todo!(
        "the XML declaration, <testsuites>, one <testsuite>, a <testcase> a result"
    )
}

/// Text fit for an XML attribute or element.
pub fn escape(text: &str) -> String {
    let _ = text;
    todo!("entities for the markup characters, U+FFFD for forbidden controls")
}

/// 0 when every test passed (an empty suite too), 1 otherwise.
pub fn exit_code(results: &[TestResult]) -> i32 {
    let _ = results;
    todo!("0 only when every test passed")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Tests that failed (a non-zero exit) and tests that could not finish (killed,
/// timed out, not started): JUnit's `failures` and `errors`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failures: usize,
    pub errors: usize,
}

impl Tally {
    pub fn of(results: &[TestResult]) -> Self {
        let mut tally = Tally::default();
        for result in results {
            match result.outcome {
                Outcome::Passed => tally.passed += 1,
                Outcome::Failed { .. } => tally.failures += 1,
                _ => tally.errors += 1,
            }
        }
        tally
    }
}

/// One line on how a test ended. Given.
pub fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Passed => "passed".to_owned(),
        Outcome::Failed { code } => format!("exit status {code}"),
        Outcome::Killed { signal } => format!("killed by signal {signal}"),
        Outcome::TimedOut => "timed out".to_owned(),
        Outcome::Error { reason } => reason.clone(),
    }
}

/// The program: `report [--workers N] [--timeout-ms MS] [--junit FILE] SUITE`.
/// SUITE has one test a line, `NAME: COMMAND` (the command runs under `sh -c`;
/// blank lines and lines starting with `#` are skipped). Prints one line a test and
/// a summary, writes the JUnit report, and exits with [`exit_code`]. Given.
pub fn main(args: &[String]) -> Result<(), ReportError> {
    let cli = <Cli as clap::Parser>::try_parse_from(
        std::iter::once("report").chain(args.iter().map(String::as_str)),
    )
    .map_err(|e| ReportError::Usage(e.to_string()))?;
    let text = std::fs::read_to_string(&cli.suite).map_err(|e| {
        ReportError::Suite(format!("cannot read {}: {e}", cli.suite))
    })?;
    let timeout = std::time::Duration::from_millis(cli.timeout_ms);
    let specs = parse_suite(&text, timeout)?;
    let results = super::pool::run_parallel(&specs, cli.workers)
        .map_err(|e| ReportError::Usage(e.to_string()))?;
    for result in &results {
        let verdict = if result.passed() { "PASS" } else { "FAIL" };
        let how = describe(&result.outcome);
        let secs = result.duration.as_secs_f64();
        println!("{verdict} {} ({how}, {secs:.3}s)", result.name);
    }
    let tally = Tally::of(&results);
    println!(
        "{} tests: {} passed, {} failed, {} errors",
        results.len(),
        tally.passed,
        tally.failures,
        tally.errors
    );
    if let Some(path) = &cli.junit {
        std::fs::write(path, junit(&cli.suite, &results))
            .map_err(|e| ReportError::Suite(format!("cannot write {path}: {e}")))?;
    }
    std::process::exit(exit_code(&results));
}

/// The tests of a suite file. Given.
pub fn parse_suite(
    text: &str,
    timeout: std::time::Duration,
) -> Result<Vec<super::sequential::TestSpec>, ReportError> {
    let mut specs = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, command)) = line.split_once(':') else {
            let n = number + 1;
            return Err(ReportError::Suite(format!(
                "line {n}: expected `NAME: COMMAND`"
            )));
        };
        specs.push(super::sequential::TestSpec::shell(
            name.trim(),
            command.trim(),
            timeout,
        ));
    }
    Ok(specs)
}

#[derive(Debug, clap::Parser)]
struct Cli {
    /// Tests run at once.
    #[arg(long, default_value_t = 4)]
    workers: usize,
    /// Each test's timeout, in milliseconds.
    #[arg(long, default_value_t = 60_000)]
    timeout_ms: u64,
    /// Where to write the JUnit XML report.
    #[arg(long)]
    junit: Option<String>,
    /// The suite file.
    suite: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Suite(String),
}
