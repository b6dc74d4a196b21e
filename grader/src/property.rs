//! Property tests under the watchdog, with proptest.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::watchdog;

/// A property run with `cases` random cases, no shrinking and no files written: the body
/// of a failing case is reported as it is. Runs under one watchdog, so a case that blocks
/// fails the test within seconds.
pub fn check_property<S, F>(what: &str, cases: u32, strategy: S, test: F)
where
    S: Strategy + Send + 'static,
    S::Value: std::fmt::Debug,
    F: Fn(S::Value) -> Result<(), TestCaseError> + Send + 'static,
{
    let name = what.to_owned();
    watchdog(what, move || {
        let config = Config {
            cases,
            max_shrink_iters: 0,
            failure_persistence: None,
            ..Config::default()
        };
        if let Err(e) = TestRunner::new(config).run(&strategy, test) {
            panic!("{name}: {e}");
        }
    })
}
