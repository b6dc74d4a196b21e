//! Nothing a test leaves in its temporary folder survives it: the runner gives each test
//! process a `TMPDIR` of its own and removes it once that process and everything it
//! started are gone — after a test that exits early, after a hang the deadline killed.

mod runner_support;

use runner_support::*;

#[test]
fn what_a_crashed_or_hung_test_left_in_its_temporary_folder_is_removed() {
    let scratch = Scratch::new("temp");
    let states = format!("{TREE}/ch10_interview/states.rs");
    scratch.edit(
        &states,
        "pub fn classify(letter: char) -> Result<ProcState, StateError> {\n",
        "pub fn classify(letter: char) -> Result<ProcState, StateError> {\n    \
         let _ = std::fs::write(std::env::temp_dir().join(\"left-behind\"), \"x\");\n    \
         if letter == 'Q' {\n        loop {\n            std::thread::park();\n        }\n    \
         }\n    std::process::exit(3);\n    #[allow(unreachable_code)]\n",
    );
    let tmp = tempfile::tempdir().unwrap();
    let assert = scratch
        .runner()
        .env("TMPDIR", tmp.path())
        .args(["check", "states"])
        .assert()
        .code(1);
    let left: Vec<_> = walk(tmp.path());
    assert!(
        left.is_empty(),
        "left behind in the runner's TMPDIR: {left:#?}\n{}",
        stdout_of(&assert)
    );
}

/// Every path under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}
