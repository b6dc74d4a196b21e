//! Stage 1: `sequential::run_one` and `run_all`.

use std::time::Duration;

use super::*;
use crate::ch16_runner::sequential::{run_all, run_one};

fn run(spec: TestSpec) -> TestResult {
    let name = spec.name.clone();
    watchdog(&format!("run_one of test `{name}`"), move || run_one(&spec))
}

#[test]
fn a_passing_test_passes_and_both_streams_are_kept() {
    let fixtures = Fixtures::new();
    let result = run(fixtures.spec("hello", "echo out; echo err >&2", PATIENT));
    assert_eq!(
        result.outcome,
        Outcome::Passed,
        "exit status 0 is a pass: {result:?}"
    );
    assert_eq!(result.name, "hello");
    assert_eq!(result.stdout, "out\n", "stdout, whole: {result:?}");
    assert_eq!(
        result.stderr, "err\n",
        "stderr, whole and apart from stdout: {result:?}"
    );
}

#[test]
fn a_failing_test_reports_its_exit_code() {
    let fixtures = Fixtures::new();
    let result = run(fixtures.spec("three", "echo before; exit 3", PATIENT));
    assert_eq!(result.outcome, Outcome::Failed { code: 3 }, "{result:?}");
    assert_eq!(
        result.stdout, "before\n",
        "a failing test's output is kept too"
    );
}

#[test]
fn a_test_ended_by_a_signal_says_which() {
    let fixtures = Fixtures::new();
    let result = run(fixtures.spec("crash", "kill -SEGV $$", PATIENT));
    assert_eq!(
        result.outcome,
        Outcome::Killed { signal: 11 },
        "a test ended by SIGSEGV is `Killed {{ signal: 11 }}`, not a failure with an \
         exit code: {result:?}"
    );
}

#[test]
fn a_hanging_test_is_killed_with_its_whole_group_at_its_timeout() {
    let fixtures = Fixtures::new();
    let timeout = Duration::from_millis(300);
    // The test starts a second process that hangs too, then hangs itself.
    let script = "sleep 1000 & echo $! > \"$DIR/grandchild\"; echo started; \
                  until false; do sleep 1; done";
    let result = run(fixtures.spec("hang", script, timeout));
    assert_eq!(result.outcome, Outcome::TimedOut, "{result:?}");
    assert_eq!(
        result.stdout, "started\n",
        "what it said before the kill is kept"
    );
    assert!(
        result.duration >= timeout,
        "a test killed at its timeout of {timeout:?} ran at least that long, but its \
         duration says {:?}",
        result.duration
    );
    assert_nothing_left(&fixtures);
}

#[test]
fn what_a_finished_test_left_running_is_killed_and_does_not_hold_the_runner() {
    let fixtures = Fixtures::new();
    // Exits at once, but leaves a process behind that holds its stdout and stderr.
    let result = run(fixtures.spec("leaky", "sleep 1000 & echo done", PATIENT));
    assert_eq!(
        result.outcome,
        Outcome::Passed,
        "the test itself exited with status 0: {result:?}"
    );
    assert_eq!(result.stdout, "done\n");
    assert_nothing_left(&fixtures);
}

#[test]
fn a_test_that_says_a_lot_on_both_streams_does_not_block() {
    let fixtures = Fixtures::new();
    // 1 MiB on stderr first, then 1 MiB on stdout: far more than a pipe holds.
    let script = "head -c 1048576 /dev/zero | tr '\\0' e >&2; \
                  head -c 1048576 /dev/zero | tr '\\0' o";
    let result = run(fixtures.spec("loud", script, PATIENT));
    assert_eq!(result.outcome, Outcome::Passed, "{:?}", result.outcome);
    assert_eq!(result.stderr.len(), 1 << 20, "all of stderr is kept");
    assert_eq!(result.stdout.len(), 1 << 20, "all of stdout is kept");
}

#[test]
fn a_program_that_cannot_start_is_an_error_not_a_panic() {
    let mut spec = TestSpec::shell("missing", "", PATIENT);
    spec.program = "/nonexistent/workbook-test".to_owned();
    spec.args.clear();
    let result = run(spec);
    let Outcome::Error { reason } = &result.outcome else {
        panic!("a program that does not exist is `Outcome::Error`: {result:?}");
    };
    assert!(
        reason.contains("/nonexistent/workbook-test"),
        "the reason names the program: {reason:?}"
    );
}

#[test]
fn the_environment_and_arguments_of_the_spec_reach_the_test() {
    let fixtures = Fixtures::new();
    let mut spec = fixtures
        .spec("env", "echo \"$GREETING $0 $1\"", PATIENT)
        .with_env("GREETING", "hello");
    spec.args.extend(["zero".to_owned(), "one".to_owned()]);
    let result = run(spec);
    assert_eq!(result.stdout, "hello zero one\n", "{result:?}");
}

#[test]
fn run_all_runs_one_test_after_another_in_the_order_given() {
    let fixtures = Fixtures::new();
    // Each test passes only if the one before it has finished, and none after it
    // has started.
    let specs: Vec<TestSpec> = (0..4)
        .map(|i| {
            let script = format!(
                "[ $(ls \"$DIR\" | grep -c '^t') -eq {i} ] || exit 1; \
                 touch \"$DIR/t{i}\"; echo {i}"
            );
            fixtures.spec(&format!("t{i}"), &script, PATIENT)
        })
        .collect();
    let results = watchdog("run_all of 4 tests", move || run_all(&specs));
    assert_eq!(
        outcomes(&results),
        named(&[
            ("t0", Outcome::Passed),
            ("t1", Outcome::Passed),
            ("t2", Outcome::Passed),
            ("t3", Outcome::Passed),
        ]),
        "each test in turn, in the order given"
    );
    let said: Vec<&str> = results.iter().map(|r| r.stdout.trim()).collect();
    assert_eq!(said, ["0", "1", "2", "3"]);
}
