//! Chapter 16 — capstone: a parallel test runner. `cargo test --test ch16_runner [STAGE]`.
//!
//! The tests the runner under test runs are small shell scripts (`ch16_runner/
//! fixtures.rs`) that wait for each other through files, so "these ran at once" and
//! "this one could not start" are decided by the runner alone, never by a clock; a
//! hanging script is one that waits for a file nobody makes. Every script carries a
//! mark in its environment, and whatever the runner leaves behind is killed at the
//! end of the test. The distributed stage is tested with real worker processes and
//! with fake workers the test speaks the protocol for, one frame at a time.

use std::time::Duration;

use grader::watchdog;

#[path = "ch16_runner/fixtures.rs"]
mod fixtures;
use fixtures::Fixtures;

grader::chapter!(ch16_runner);

use crate::ch16_runner::sequential::{Outcome, TestResult, TestSpec};

/// Long enough never to end a test that finishes by itself.
const PATIENT: Duration = Duration::from_secs(30);

/// The outcomes of `results`, by name, for messages and comparisons.
fn outcomes(results: &[TestResult]) -> Vec<(String, Outcome)> {
    results
        .iter()
        .map(|r| (r.name.clone(), r.outcome.clone()))
        .collect()
}

fn named(list: &[(&str, Outcome)]) -> Vec<(String, Outcome)> {
    list.iter()
        .map(|(n, o)| (n.to_string(), o.clone()))
        .collect()
}

#[track_caller]
fn assert_nothing_left(fixtures: &Fixtures) {
    let left = fixtures.left_running();
    assert!(
        grader::eventually(|| fixtures.left_running().is_empty()),
        "processes of the tests are still running after the runner returned: {left:?} \
         (is the whole process group killed when a test ends?)"
    );
}

#[path = "ch16_runner/distributed.rs"]
mod distributed;
#[path = "ch16_runner/pool.rs"]
mod pool;
#[path = "ch16_runner/report.rs"]
mod report;
#[path = "ch16_runner/sequential.rs"]
mod sequential;
