//! The runner's command line: names, typos, refusals, help. Nothing here builds or grades.

mod runner_support;

use predicates::prelude::*;
use predicates::str::contains;
use runner_support::*;

#[test]
fn unknown_subcommands_get_help_not_a_panic() {
    runner()
        .arg("frobnicate")
        .assert()
        .failure()
        .stderr(contains("Usage"));
}

#[test]
fn a_typo_gets_the_close_name_and_an_ambiguous_name_the_candidates() {
    runner()
        .args(["hint", "tabel"])
        .assert()
        .code(2)
        .stderr(contains("did you mean: ch09_distributed::task_table"));
    runner()
        .args(["check", "zomby"])
        .assert()
        .code(2)
        .stderr(contains("did you mean: ch10_interview::zombie"));
    runner()
        .args(["hint", "er"])
        .assert()
        .code(2)
        .stderr(contains("could be any of"));
}

#[test]
fn an_unknown_chapter_names_the_real_ones() {
    for args in [&["list", "ch77"][..], &["verify", "ch99_nope"]] {
        runner()
            .args(args)
            .assert()
            .code(2)
            .stderr(contains("no chapter `"))
            .stderr(contains("ch10_interview"));
    }
}

#[test]
fn an_unknown_program_is_refused_with_the_list_of_programs() {
    runner()
        .args(["run", "nope"])
        .assert()
        .code(2)
        .stderr(contains("no program called `nope`"))
        .stderr(contains("two_files::reader"));
}

#[test]
fn hints_come_one_at_a_time_then_all_at_once() {
    let scratch = Scratch::new("hints");
    let first = scratch.runner().args(["hint", "zombie"]).assert().success();
    let out = stdout_of(&first);
    assert!(out.contains("Hint 1 of"), "{out}");
    assert!(!out.contains("Hint 2 of"), "one hint at a time:\n{out}");
    let second = scratch.runner().args(["hint", "zombie"]).assert().success();
    assert!(
        stdout_of(&second).contains("Hint 2 of"),
        "{}",
        stdout_of(&second)
    );
    let all = scratch
        .runner()
        .args(["hint", "zombie", "--all"])
        .assert()
        .success();
    assert!(
        stdout_of(&all).contains("that was the last hint"),
        "{}",
        stdout_of(&all)
    );
}

#[test]
fn colour_only_when_wanted_and_never_with_no_color() {
    runner()
        .args(["hint", "zombie", "--all", "--no-color"])
        .env("CLICOLOR_FORCE", "1")
        .assert()
        .success()
        .stdout(contains("\u{1b}[").not());
    runner()
        .args(["hint", "zombie", "--all"])
        .env("CLICOLOR_FORCE", "1")
        .assert()
        .success()
        .stdout(contains("\u{1b}["));
}

#[test]
fn solution_needs_a_yes_when_it_cannot_ask() {
    runner()
        .args(["solution", "zombie"])
        .assert()
        .code(2)
        .stderr(contains("--yes"));
    runner()
        .args(["solution", "zombie", "--yes"])
        .assert()
        .success()
        .stdout(contains("solutions/ch10_interview/zombie.rs"));
}

#[test]
fn quiz_asks_shows_answer_and_proof_keeps_score_and_asks_the_missed_first_next_time() {
    let scratch = Scratch::new("quiz");
    let first = scratch
        .runner()
        .args(["quiz", "ch10"])
        .write_stdin("\np\ny\n\nn\nq\n")
        .assert()
        .success();
    let out = stdout_of(&first);
    for wanted in [
        "Q1/",
        "Proof:",
        "Q2/",
        "you knew 1 of the 2 you marked",
        "Review Q2",
    ] {
        assert!(out.contains(wanted), "{wanted:?} in:\n{out}");
    }
    let second_question = out
        .lines()
        .find(|l| l.contains("Q2/"))
        .and_then(|l| l.split("] ").nth(1))
        .unwrap()
        .to_owned();
    let again = scratch
        .runner()
        .args(["quiz", "ch10"])
        .write_stdin("q\n")
        .assert()
        .success();
    let out = stdout_of(&again);
    assert!(
        out.contains("the 1 you did not know last time first"),
        "{out}"
    );
    let first_now = out.lines().find(|l| l.contains("Q1/")).unwrap();
    assert!(
        first_now.ends_with(&second_question),
        "{first_now} / {second_question}"
    );
}

#[test]
fn quiz_draws_from_every_chapter_and_ends_cleanly_when_input_ends() {
    let all = runner()
        .args(["quiz", "--seed", "3"])
        .write_stdin("")
        .assert()
        .success();
    let out = stdout_of(&all);
    assert!(out.contains("you knew 0 of the 0"), "{out}");
    let count: usize = out
        .split("Interview drill: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        count >= 30,
        "questions from every chapter, not one: {count}"
    );
    runner()
        .args(["quiz", "ch77"])
        .assert()
        .code(2)
        .stderr(contains("no chapter"));
}
