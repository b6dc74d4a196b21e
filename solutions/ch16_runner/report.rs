//! # Report: a JUnit XML file every CI can read, and an exit status — solution
//!
//! The one idea: a report is input to another program, so it must be valid XML
//! whatever the tests printed. Every text goes through one escape that handles the
//! five markup characters *and* drops what XML 1.0 cannot carry at all (control
//! characters, even escaped); times are seconds; a failure and an error are told
//! apart the way JUnit readers expect.

use std::fmt::Write as _;

use super::sequential::{Outcome, TestResult};

/// The JUnit XML report of one suite called `suite`.
pub fn junit(suite: &str, results: &[TestResult]) -> String {
    let tally = Tally::of(results);
    let time: f64 = results.iter().map(|r| r.duration.as_secs_f64()).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!(
        "tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{time:.3}\"",
        results.len(),
        tally.failures,
        tally.errors
    );
    let _ = writeln!(xml, "<testsuites {counts}>");
    let _ = writeln!(xml, "  <testsuite name=\"{}\" {counts}>", escape(suite));
    for result in results {
        let _ = writeln!(
            xml,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\">",
            escape(&result.name),
            escape(suite),
            result.duration.as_secs_f64()
        );
        match &result.outcome {
            Outcome::Passed => {}
            Outcome::Failed { .. } => {
                let message = escape(&describe(&result.outcome));
                let _ = writeln!(
                    xml,
                    "      <failure message=\"{message}\" type=\"failure\"/>"
                );
            }
            other => {
                let message = escape(&describe(other));
                let _ = writeln!(
                    xml,
                    "      <error message=\"{message}\" type=\"error\"/>"
                );
            }
        }
        let _ = writeln!(
            xml,
            "      <system-out>{}</system-out>",
            escape(&result.stdout)
        );
        let _ = writeln!(
            xml,
            "      <system-err>{}</system-err>",
            escape(&result.stderr)
        );
        xml.push_str("    </testcase>\n");
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// Text fit for an XML attribute or element: `&`, `<`, `>`, `"` and `'` as
/// entities; characters XML 1.0 forbids (controls other than tab, newline and
/// carriage return) as U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
    out
}

/// 0 when every test passed (an empty suite too), 1 otherwise.
pub fn exit_code(results: &[TestResult]) -> i32 {
    i32::from(!results.iter().all(TestResult::passed))
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
