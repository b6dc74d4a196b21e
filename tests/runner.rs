//! The runner's own tests: its command line and its bad-input paths. They pass against
//! either tree (they never grade an exercise), so `verify` requires them to pass in both.

use assert_cmd::Command;
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
