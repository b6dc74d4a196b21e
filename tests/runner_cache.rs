//! Verdicts are remembered by content: the list runs nothing when nothing changed, and an
//! edit of the exercise or of its chapter's suite makes that exercise be graded again.

mod runner_support;

use runner_support::*;

fn grading(assert: &assert_cmd::assert::Assert) -> Vec<String> {
    stderr_of(assert)
        .lines()
        .filter_map(|l| l.strip_prefix("… grading "))
        .flat_map(|l| l.split(": ").next().unwrap_or_default().split(", "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_cache_holds_until_the_exercise_or_its_suite_changes() {
    let scratch = Scratch::new("cache");
    let states = format!("{TREE}/ch10_interview/states.rs");
    let text = scratch.read(&states);
    scratch.write(&states, &format!("{text}\n// an edit\n"));

    let first = scratch.runner().assert().success();
    assert!(
        grading(&first)
            .iter()
            .any(|g| g == "ch10_interview::states"),
        "the edited exercise is graded:\n{}",
        stderr_of(&first)
    );
    let again = scratch.runner().assert().success();
    assert!(
        grading(&again).is_empty(),
        "nothing changed, nothing runs:\n{}",
        stderr_of(&again)
    );
    assert_eq!(
        stdout_of(&again),
        stdout_of(&first),
        "the same list, from the cache"
    );

    // An edit of the chapter's suite: every verdict of the chapter may have changed.
    let suite = scratch.read("tests/ch10_interview.rs");
    scratch.write(
        "tests/ch10_interview.rs",
        &format!("{suite}\n// a new test would go here\n"),
    );
    let after_suite = scratch.runner().assert().success();
    assert!(
        grading(&after_suite)
            .iter()
            .any(|g| g == "ch10_interview::states"),
        "a suite edit invalidates its verdicts:\n{}",
        stderr_of(&after_suite)
    );

    // An edit of the exercise: that exercise alone is graded again.
    scratch.write(&states, &format!("{text}\n// another edit\n"));
    let after_edit = scratch.runner().assert().success();
    assert_eq!(
        grading(&after_edit),
        ["ch10_interview::states"],
        "{}",
        stderr_of(&after_edit)
    );
}
