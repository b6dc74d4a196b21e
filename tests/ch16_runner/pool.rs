//! Stage 2: `pool::run_parallel`.

use std::time::Duration;

use super::*;
use crate::ch16_runner::pool::{run_parallel, PoolError};

fn run(specs: Vec<TestSpec>, workers: usize, what: &str) -> Vec<TestResult> {
    watchdog(what, move || run_parallel(&specs, workers))
        .unwrap_or_else(|e| panic!("{what}: run_parallel failed: {e}"))
}

#[test]
fn every_worker_runs_a_test_at_once() {
    let fixtures = Fixtures::new();
    let specs = fixtures.together("w", 4, PATIENT);
    let results = run(
        specs,
        4,
        "4 tests that end only when all 4 run at once, 4 workers",
    );
    assert!(
        results.iter().all(TestResult::passed),
        "4 workers must run 4 tests at once: {:?}",
        outcomes(&results)
    );
}

#[test]
fn never_more_tests_at_once_than_workers() {
    let fixtures = Fixtures::new();
    let held = Duration::from_secs(1);
    // Two tests wait for the third; on two workers the third cannot start before one
    // of them has timed out. The other may time out too, or see the third run while it
    // still waits (when it started later): either is right, both passing is not.
    let specs = vec![
        fixtures.waits_for("first", "third-ran", "released", held),
        fixtures.waits_for("second", "third-ran", "released", held),
        fixtures.spec("third", "touch \"$DIR/third-ran\"", PATIENT),
    ];
    let results = run(specs, 2, "3 tests on 2 workers");
    let got = outcomes(&results);
    let (passed, timed_out) = (Outcome::Passed, Outcome::TimedOut);
    let right = [
        [timed_out.clone(), timed_out.clone()],
        [timed_out.clone(), passed.clone()],
        [passed.clone(), timed_out],
    ]
    .map(|[first, second]| {
        named(&[
            ("first", first),
            ("second", second),
            ("third", passed.clone()),
        ])
    });
    assert!(
        right.contains(&got),
        "with 2 workers the third test may start only once one of the first two has \
         ended (they wait for it, so the first to end times out): was a third test \
         running at once? {got:?}"
    );
    assert_nothing_left(&fixtures);
}

#[test]
fn a_hanging_test_holds_only_its_own_worker() {
    let fixtures = Fixtures::new();
    let mut specs = vec![fixtures.waits_for("slow", "q5", "last", PATIENT)];
    specs.extend(
        (1..=5).map(|i| fixtures.spec(&format!("q{i}"), &format!("touch \"$DIR/q{i}\""), PATIENT)),
    );
    let results = run(specs, 2, "a test that waits for the 5 after it, 2 workers");
    assert!(
        results.iter().all(TestResult::passed),
        "while one worker waits on the first test, the other must run the rest: {:?}",
        outcomes(&results)
    );
}

#[test]
fn results_come_back_in_the_order_given() {
    let fixtures = Fixtures::new();
    // On 2 workers `b` ends before `c` can start, and `a` ends only after `c` ran:
    // they finish in the order b, c, a.
    let specs = vec![
        fixtures.waits_for("a", "c-ran", "a", PATIENT),
        fixtures.spec("b", "echo b", PATIENT),
        fixtures.spec("c", "echo c; touch \"$DIR/c-ran\"", PATIENT),
    ];
    let results = run(
        specs,
        2,
        "3 tests on 2 workers, the first waits for the third",
    );
    assert_eq!(
        outcomes(&results),
        named(&[
            ("a", Outcome::Passed),
            ("b", Outcome::Passed),
            ("c", Outcome::Passed)
        ]),
        "results in the order of the specs, not the order the tests finished in"
    );
    let said: Vec<&str> = results.iter().map(|r| r.stdout.as_str()).collect();
    assert_eq!(
        said,
        ["a\n", "b\n", "c\n"],
        "each result with its own output"
    );
}

#[test]
fn every_test_runs_exactly_once() {
    for (tests, workers) in [(30, 4), (3, 8), (7, 1)] {
        let fixtures = Fixtures::new();
        let log = fixtures.path("log");
        let specs: Vec<TestSpec> = (0..tests)
            .map(|i| {
                fixtures
                    .spec(
                        &format!("t{i}"),
                        "echo $N >> \"$DIR/log\"; echo $N",
                        PATIENT,
                    )
                    .with_env("N", &i.to_string())
            })
            .collect();
        let results = run(
            specs,
            workers,
            &format!("{tests} tests on {workers} workers"),
        );
        assert_eq!(results.len(), tests, "one result per test");
        for (i, result) in results.iter().enumerate() {
            assert_eq!(result.name, format!("t{i}"), "result {i} is test t{i}'s");
            assert_eq!(result.stdout, format!("{i}\n"), "test t{i}'s own output");
        }
        let mut ran: Vec<usize> = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(|l| l.parse().expect("a number a line"))
            .collect();
        ran.sort_unstable();
        assert_eq!(
            ran,
            (0..tests).collect::<Vec<_>>(),
            "{tests} tests on {workers} workers: each must run exactly once"
        );
    }
}

#[test]
fn no_tests_is_no_results_and_no_workers_is_an_error() {
    let results = run(Vec::new(), 3, "an empty suite");
    assert!(results.is_empty());
    let fixtures = Fixtures::new();
    let specs = vec![fixtures.spec("t", "true", PATIENT)];
    let refused = watchdog("run_parallel with 0 workers", move || {
        run_parallel(&specs, 0)
    });
    assert_eq!(
        refused.map(|r| r.len()),
        Err(PoolError::NoWorkers),
        "0 workers can never run a test: `PoolError::NoWorkers`, not a hang"
    );
}
