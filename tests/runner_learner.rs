//! The runner on this very checkout, as a learner meets it: status, next, check.

mod runner_support;

use predicates::str::contains;
use runner_support::*;

/// Untouched exercises are "not started" without running anything: the list answers at
/// once and builds nothing.
#[test]
fn status_lists_every_exercise_with_its_state_and_the_next_one() {
    let scratch = Scratch::new("status");
    let assert = scratch.runner().assert().success();
    let (out, err) = (stdout_of(&assert), stderr_of(&assert));
    for id in ["states", "zombie", "orphan", "fork_twice"] {
        assert!(out.contains(&format!("ch10_interview::{id}")), "{out}");
    }
    assert!(out.contains("/4 exercises done"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "no colour codes when piped:\n{out}"
    );
    if !SOLVED {
        assert!(out.contains("not started ch10_interview::states"), "{out}");
        assert!(out.contains("next: ch10_interview::states"), "{out}");
        assert!(
            !err.contains("building"),
            "nothing to build for untouched files:\n{err}"
        );
    }
}

#[test]
fn next_shows_the_file_the_instructions_and_the_grading_command() {
    let scratch = Scratch::new("next");
    let assert = scratch.runner().arg("next").assert().success();
    let out = stdout_of(&assert);
    if !SOLVED {
        assert!(out.contains("exercises/ch10_interview/states.rs"), "{out}");
        assert!(
            out.contains("cargo test --test ch10_interview states::"),
            "{out}"
        );
        assert!(out.contains("# "), "the instructions from the file: {out}");
    }
}

/// A check names the most telling failing test and keeps its message.
#[test]
fn check_gives_a_short_verdict_naming_the_failing_test_and_its_message() {
    let assert = runner().args(["check", "zombie"]).assert();
    if SOLVED {
        assert
            .success()
            .stdout(contains("✓ ch10_interview::zombie: all"));
    } else {
        let assert = assert.code(1);
        let out = stdout_of(&assert);
        assert!(out.contains("✗ ch10_interview::zombie: 0 of"), "{out}");
        assert!(out.contains("failed: zombie::"), "{out}");
        assert!(out.contains("not yet implemented"), "{out}");
        assert!(
            out.contains("cargo test --test ch10_interview zombie::"),
            "{out}"
        );
    }
}

#[test]
fn check_runs_the_loom_checks_of_the_exercise_too() {
    let assert = runner().args(["check", "balance"]).assert();
    let out = stdout_of(&assert);
    assert!(out.contains("loom checks"), "{out}");
    if !SOLVED {
        // The racy account: a loom finding leads, with the values loom saw.
        assert!(out.contains("failed: balance::loom_"), "{out}");
        assert!(out.contains("left:") && out.contains("right:"), "{out}");
    }
}
