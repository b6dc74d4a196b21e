//! A learner's file that does not compile stops only its own chapter: every runner
//! command still works, `check` shows the compile error as its verdict, and another
//! chapter is still graded.

mod runner_support;

use predicates::str::contains;
use runner_support::*;

#[test]
fn a_compile_error_in_one_exercise_stops_nothing_else() {
    let scratch = Scratch::new("broken");
    let zombie = format!("{TREE}/ch10_interview/zombie.rs");
    let pristine = scratch.read(&zombie);
    let broken = format!("{pristine}\npub fn broken() -> u8 {{\n    \"not a number\"\n}}\n");
    scratch.write(&zombie, &broken);
    let line = broken.lines().count() - 1;

    // check: the compile error, where it is, as the verdict.
    let assert = scratch.runner().args(["check", "zombie"]).assert().code(1);
    let out = stdout_of(&assert);
    assert!(
        out.contains("✗ ch10_interview::zombie: the code does not compile"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{zombie}:{line}:")),
        "file:line of the error:\n{out}"
    );
    assert!(out.contains("mismatched types"), "{out}");

    // Every other command works, and says the same.
    scratch
        .runner()
        .args(["hint", "zombie"])
        .assert()
        .success()
        .stdout(contains("Hint 1"));
    scratch.runner().arg("next").assert().success();
    let list = scratch.runner().assert().success();
    assert!(
        stdout_of(&list).contains("does not compile"),
        "{}",
        stdout_of(&list)
    );

    // Another chapter is still graded: its tests run and report.
    let other = scratch
        .runner()
        .env("WORKBOOK_CHAPTERS", "ch06_thread_local")
        .args(["check", "per_thread_counter"])
        .assert();
    let out = stdout_of(&other);
    assert!(
        out.contains("ch06_thread_local::per_thread_counter: "),
        "{out}"
    );
    assert!(!out.contains("does not compile"), "{out}");
    assert!(out.contains(if SOLVED { "all" } else { "0 of" }), "{out}");

    // And reset mends it (the exercise tree only: reset restores a learner's file).
    if !SOLVED {
        scratch
            .runner()
            .args(["reset", "zombie"])
            .assert()
            .success();
        assert_eq!(scratch.read(&zombie), pristine);
        let backup = scratch.read(".workbook/backup/ch10_interview/zombie.rs");
        assert_eq!(backup, broken, "nothing is lost");
    }
}
