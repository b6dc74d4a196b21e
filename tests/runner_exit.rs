//! A graded function that calls `std::process::exit(0)` ends its test's process with
//! status 0 before libtest reports: the runner counts that test as failing, and says why.

mod runner_support;

use runner_support::*;

#[test]
fn process_exit_in_a_graded_function_is_a_failure_not_a_pass() {
    let scratch = Scratch::new("exit");
    let states = format!("{TREE}/ch10_interview/states.rs");
    scratch.edit(
        &states,
        "pub fn classify(letter: char) -> Result<ProcState, StateError> {\n",
        "pub fn classify(letter: char) -> Result<ProcState, StateError> {\n    \
         std::process::exit(0);\n    #[allow(unreachable_code)]\n",
    );
    let assert = scratch.runner().args(["check", "states"]).assert().code(1);
    let out = stdout_of(&assert);
    assert!(
        !out.contains("all 3 tests pass") && out.contains("✗"),
        "{out}"
    );
    assert!(
        out.contains("process::exit"),
        "the verdict names the cause:\n{out}"
    );
}
