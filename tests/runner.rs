//! The runner's own tests: its command line and its bad-input paths. They pass against
//! either tree (they never grade an exercise), so `verify` requires them to pass in both.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn workbook() -> Command {
    Command::cargo_bin("workbook").expect("the workbook binary is built for tests")
}

#[test]
fn verify_rejects_an_unknown_chapter_and_names_the_real_ones() {
    workbook()
        .args(["verify", "ch99_nope"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .failure()
        .stderr(contains("no chapter `ch99_nope`"))
        .stderr(contains("ch01_processes"));
}

#[test]
fn an_unknown_entry_point_is_refused_with_the_list_of_known_ones() {
    workbook()
        .args(["__entry", "ch01_processes::nope"])
        .assert()
        .code(2)
        .stderr(contains("no entry point called `ch01_processes::nope`"))
        .stderr(contains("ch01_processes::two_files::reader"));
}

#[test]
fn an_entry_points_error_goes_to_stderr_with_a_failing_status() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.txt");
    workbook()
        .args(["__entry", "ch01_processes::two_files::reader"])
        .arg(&missing)
        .assert()
        .code(1)
        .stderr(contains("absent.txt"));
}

#[test]
fn unknown_subcommands_get_help_not_a_panic() {
    workbook()
        .arg("frobnicate")
        .assert()
        .failure()
        .stderr(contains("Usage"));
}

// ---- the learner's runner ----
//
// These tests drive the real binary. They must pass against either tree: the runner
// grades the tree it was built from, so what "done" looks like depends on the mode
// (`SOLVED`). They keep cargo runs small: chapter 10's suite is quick, and
// `WORKBOOK_CHAPTERS` limits `list`, `next` and `watch` to it.

use std::time::Duration;

/// Built with `--features solutions`: every exercise the runner grades is done.
const SOLVED: bool = cfg!(feature = "solutions");

/// The runner, limited to chapter 10, with a short grading watchdog.
fn runner() -> Command {
    let mut cmd = workbook();
    cmd.env("WORKBOOK_CHAPTERS", "ch10_interview")
        .env("WORKBOOK_TIMEOUT_SECS", "2")
        .env_remove("CLICOLOR_FORCE")
        .timeout(Duration::from_secs(300));
    cmd
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

#[test]
fn no_arguments_lists_every_exercise_with_its_state_progress_and_the_next_one() {
    let assert = runner().assert().success();
    let out = stdout_of(&assert);
    for id in ["states", "zombie", "orphan", "fork_twice"] {
        assert!(out.contains(&format!("ch10_interview::{id}")), "{out}");
    }
    assert!(
        out.contains("overall [") && out.contains("/4 exercises done"),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}'),
        "no colour codes when piped:\n{out}"
    );
    if SOLVED {
        assert!(
            out.contains("4/4 exercises done") && out.contains("every exercise is done"),
            "{out}"
        );
    } else {
        // The exercise files are untouched in this checkout: honestly "not started".
        assert!(out.contains("not started ch10_interview::states"), "{out}");
        assert!(out.contains("next: ch10_interview::states"), "{out}");
    }
}

#[test]
fn list_of_an_unknown_chapter_names_the_real_ones() {
    runner()
        .args(["list", "ch77"])
        .assert()
        .code(2)
        .stderr(contains("no chapter `ch77`"))
        .stderr(contains("ch10_interview"));
}

#[test]
fn next_shows_the_file_the_instructions_and_the_grading_command() {
    let assert = runner().arg("next").assert().success();
    let out = stdout_of(&assert);
    if SOLVED {
        assert!(out.contains("every exercise is done"), "{out}");
    } else {
        assert!(out.contains("next: ch10_interview::states"), "{out}");
        assert!(
            out.contains("file: exercises/ch10_interview/states.rs"),
            "{out}"
        );
        assert!(
            out.contains("cargo test --test ch10_interview states::"),
            "{out}"
        );
        assert!(
            out.contains("Your tasks"),
            "the exercise's own doc comment:\n{out}"
        );
    }
}

#[test]
fn check_gives_a_short_verdict_naming_the_failing_test_and_its_message() {
    let assert = runner().args(["check", "zombie"]).assert();
    let out = stdout_of(&assert);
    if SOLVED {
        assert.success();
        assert!(
            out.contains("✓ ch10_interview::zombie: all 2 tests pass"),
            "{out}"
        );
    } else {
        assert.code(1);
        assert!(
            out.contains("✗ ch10_interview::zombie: 0 of 2 tests pass"),
            "{out}"
        );
        assert!(out.contains("failed: zombie::"), "{out}");
        assert!(
            out.contains("not yet implemented"),
            "the first message:\n{out}"
        );
        assert!(
            !out.contains("running 2 tests"),
            "no wall of cargo output:\n{out}"
        );
    }
}

#[test]
fn check_runs_the_loom_checks_of_the_exercise_too() {
    let assert = runner()
        .args(["check", "ch01_processes::two_files"])
        .assert();
    let out = stdout_of(&assert);
    let loom = if SOLVED {
        "loom checks 1/1"
    } else {
        "loom checks 0/1"
    };
    assert!(out.contains(loom), "{out}");
}

#[test]
fn check_without_a_name_checks_the_next_exercise() {
    let assert = runner().arg("check").assert();
    let out = stdout_of(&assert);
    if SOLVED {
        assert.success();
        assert!(out.contains("every exercise is done"), "{out}");
    } else {
        assert.code(1);
        assert!(out.contains("✗ ch10_interview::states"), "{out}");
    }
}

#[test]
fn an_unknown_exercise_gets_the_close_matches_and_an_ambiguous_one_the_candidates() {
    runner()
        .args(["check", "zomby"])
        .assert()
        .code(2)
        .stderr(contains("no exercise called `zomby`"))
        .stderr(contains("ch10_interview::zombie"));
    runner()
        .args(["check", "o"])
        .assert()
        .code(2)
        .stderr(contains("could be any of"));
    runner()
        .args(["hint", "qqqqqqqqqq"])
        .assert()
        .code(2)
        .stderr(contains("cargo run -- list"));
}

#[test]
fn hint_prints_the_hints_section_of_the_exercise_page() {
    runner()
        .args(["hint", "ch10_interview::zombie"])
        .assert()
        .success()
        .stdout(contains("Hints for ch10_interview::zombie"))
        .stdout(contains("WNOWAIT"))
        .stdout(contains("What the tests prove").not());
}

#[test]
fn colour_only_when_wanted_and_never_with_no_color() {
    runner()
        .args(["hint", "zombie"])
        .env("CLICOLOR_FORCE", "1")
        .assert()
        .success()
        .stdout(contains("\u{1b}["));
    runner()
        .args(["--no-color", "hint", "zombie"])
        .env("CLICOLOR_FORCE", "1")
        .assert()
        .success()
        .stdout(contains("\u{1b}[").not());
}

#[test]
fn solution_needs_a_yes_when_it_cannot_ask() {
    runner()
        .args(["solution", "zombie"])
        .write_stdin("y\n")
        .assert()
        .code(2)
        .stderr(contains("--yes"))
        .stdout(contains("WNOWAIT").not());
    runner()
        .args(["solution", "zombie", "--yes"])
        .assert()
        .success()
        .stdout(contains("solutions/ch10_interview/zombie.rs"))
        .stdout(contains("WaitPidFlag::WNOWAIT"));
    runner()
        .args(["solution", "nope_nope_nope", "--yes"])
        .assert()
        .code(2);
}

/// A scratch git checkout holding two exercise files, for `reset`.
fn scratch_checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "-q"]);
    let ch = dir.path().join("exercises/ch10_interview");
    std::fs::create_dir_all(&ch).unwrap();
    std::fs::write(ch.join("zombie.rs"), "pristine zombie\n").unwrap();
    std::fs::write(ch.join("orphan.rs"), "pristine orphan\n").unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "pristine"]);
    dir
}

#[test]
fn reset_restores_only_that_exercise_and_keeps_the_learners_version() {
    let dir = scratch_checkout();
    let ch = dir.path().join("exercises/ch10_interview");
    std::fs::write(ch.join("zombie.rs"), "my attempt\n").unwrap();
    std::fs::write(ch.join("orphan.rs"), "my other attempt\n").unwrap();
    runner()
        .args(["reset", "zombie"])
        .env("WORKBOOK_ROOT", dir.path())
        .assert()
        .success()
        .stdout(contains("pristine again"));
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    assert_eq!(read(&ch.join("zombie.rs")), "pristine zombie\n");
    assert_eq!(
        read(&ch.join("orphan.rs")),
        "my other attempt\n",
        "other files untouched"
    );
    let backup = dir.path().join(".workbook/backup/ch10_interview/zombie.rs");
    assert_eq!(read(&backup), "my attempt\n", "nothing is lost");
    runner()
        .args(["reset", "zombie"])
        .env("WORKBOOK_ROOT", dir.path())
        .assert()
        .success()
        .stdout(contains("already pristine"));
}

#[test]
fn reset_outside_a_git_checkout_is_a_clear_error() {
    let not_git = tempfile::tempdir().unwrap();
    runner()
        .args(["reset", "zombie"])
        .env("GIT_DIR", not_git.path())
        .assert()
        .code(2)
        .stderr(contains("not a git checkout"));
}

#[test]
fn a_corrupt_local_state_folder_is_an_error_not_a_crash() {
    let dir = scratch_checkout();
    std::fs::write(dir.path().join(".workbook"), "not a folder").unwrap();
    let file = dir.path().join("exercises/ch10_interview/zombie.rs");
    std::fs::write(&file, "my attempt\n").unwrap();
    runner()
        .args(["reset", "zombie"])
        .env("WORKBOOK_ROOT", dir.path())
        .assert()
        .code(1)
        .stderr(contains("nothing was reset"))
        .stderr(contains("panicked").not());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my attempt\n");
}

#[test]
fn watch_in_manual_mode_rechecks_on_enter_and_quits_on_q() {
    let assert = runner()
        .args(["watch", "states", "--manual"])
        .write_stdin("\nq\n")
        .assert()
        .success();
    let out = stdout_of(&assert);
    if SOLVED {
        assert!(out.contains("✓ ch10_interview::states"), "{out}");
    } else {
        assert_eq!(
            out.matches("✗ ch10_interview::states").count(),
            2,
            "checked, then checked again after Enter:\n{out}"
        );
        assert!(out.contains("press Enter to check again"), "{out}");
        assert!(out.contains("bye"), "{out}");
    }
}

#[test]
fn watch_with_file_events_starts_checks_and_quits_on_q() {
    let assert = runner()
        .args(["watch", "zombie"])
        .write_stdin("q\n")
        .assert()
        .success();
    let out = stdout_of(&assert);
    assert!(out.contains("ch10_interview::zombie"), "{out}");
    if !SOLVED {
        assert!(out.contains("bye"), "{out}");
    }
}

#[test]
fn watch_refuses_an_unknown_exercise() {
    runner()
        .args(["watch", "zomby", "--manual"])
        .assert()
        .code(2)
        .stderr(contains("did you mean"));
}

#[test]
fn quiz_asks_shows_answer_and_proof_and_keeps_score() {
    workbook()
        .arg("quiz")
        .write_stdin("\np\ny\n\nn\nq\n")
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("Q1/"))
        .stdout(contains("process and a thread"))
        .stdout(contains("address space"))
        .stdout(contains(
            "isolation::a_child_process_changes_only_its_own_copy",
        ))
        .stdout(contains("Q2/"))
        .stdout(contains("Q3/"))
        .stdout(contains("you knew 1 of the 2 you marked"))
        .stdout(contains("Review Q2"));
}

#[test]
fn quiz_ends_cleanly_when_input_ends_and_rejects_a_bad_start() {
    workbook()
        .arg("quiz")
        .write_stdin("")
        .assert()
        .success()
        .stdout(contains("you knew 0 of the 0"));
    workbook()
        .args(["quiz", "--from", "99"])
        .assert()
        .code(2)
        .stderr(contains("start from 1"));
}

/// Saving a file wakes `watch` up and checks the exercise that was saved. Runs in a scratch
/// checkout (`WORKBOOK_ROOT`) where there is no suite to run, so every check ends at once
/// with "did not run": what is tested is that a save triggers a check of that exercise.
#[test]
fn watch_checks_the_exercise_whose_file_was_saved() {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::mpsc;

    let dir = scratch_checkout();
    let bin = assert_cmd::cargo::cargo_bin("workbook");
    let mut child = workbook::harness::Reaper(
        std::process::Command::new(bin)
            .args(["watch", "zombie"])
            .env("WORKBOOK_ROOT", dir.path())
            .env("WORKBOOK_CHAPTERS", "ch10_interview")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let (tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let wait_for = |what: &str| -> Option<String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while let Ok(line) = lines.recv_timeout(deadline - std::time::Instant::now()) {
            if line.contains(what) {
                return Some(line);
            }
            if line.contains("file events unavailable") || line.contains("cannot watch") {
                return None;
            }
        }
        panic!("watch never printed {what:?}");
    };
    if wait_for("save the file to check again").is_none() {
        eprintln!("no file events on this file system: nothing to test here");
        return;
    }
    let orphan = dir.path().join("exercises/ch10_interview/orphan.rs");
    std::fs::write(&orphan, "an edit\n").unwrap();
    let verdict = wait_for("ch10_interview::orphan").unwrap();
    assert!(verdict.contains('✗'), "{verdict}");
    child.stdin.as_mut().unwrap().write_all(b"q\n").unwrap();
    wait_for("bye");
    let status = workbook::harness::wait_within(&mut child, Duration::from_secs(20));
    assert!(status.is_some_and(|s| s.success()), "{status:?}");
}
