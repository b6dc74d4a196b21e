//! Ctrl-C during a check: the runner kills every test process it started, and what they
//! started, before it exits. Nothing is left behind.

mod runner_support;

use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use runner_support::*;

#[test]
fn ctrl_c_during_a_check_leaves_no_process_behind() {
    let scratch = Scratch::new("ctrl_c");
    // A classify that never returns: its tests hang until they are stopped.
    let states = format!("{TREE}/ch10_interview/states.rs");
    scratch.edit(
        &states,
        "pub fn classify(letter: char) -> Result<ProcState, StateError> {\n",
        "pub fn classify(letter: char) -> Result<ProcState, StateError> {\n    \
         loop {\n        std::thread::park();\n    }\n    #[allow(unreachable_code)]\n",
    );
    let binary = root().join("target/runner-scratch/target/debug/deps/ch10_interview-");
    let binary = binary.to_string_lossy().into_owned();
    let mut runner = grader::Reaper(
        scratch
            .runner_process()
            .args(["check", "states"])
            .env("WORKBOOK_TIMEOUT_SECS", "300")
            .process_group(0) // as a terminal's foreground job: Ctrl-C goes to the group
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    assert!(
        eventually(Duration::from_secs(400), || !processes_mentioning(&binary)
            .is_empty()),
        "the check never started a test process"
    );
    let _ = killpg(Pid::from_raw(runner.id() as i32), Signal::SIGINT);
    let status = grader::wait_within(&mut runner, Duration::from_secs(20));
    assert!(status.is_some(), "the runner did not end after Ctrl-C");
    assert!(
        eventually(Duration::from_secs(5), || processes_mentioning(&binary)
            .is_empty()),
        "left behind after Ctrl-C: {:?}",
        processes_mentioning(&binary)
    );
}
