//! Chapter 8 — subprocesses. `cargo test --test ch08_subprocess [EXERCISE]`.
//!
//! Children started by code under test are tracked with `grader::ChildTracker`: they
//! record their pid and lead a process group, so a test that fails (a deadlock caught by
//! the watchdog) still kills and reaps them.

use std::process::Command;

use grader::program;
use grader::{ChildTracker, Group};

/// `len` bytes that are not all alike (so a mix-up of chunks would show).
fn pattern(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

grader::chapter!(ch08_subprocess);

mod call {
    use super::*;
    use crate::ch08_subprocess::call::{call, CallError, Exit, DIE_BY_SIGNAL, EXIT_WITH};
    use proptest::prelude::*;

    fn call_within(mut cmd: Command) -> Result<Exit, CallError> {
        grader::watchdog("call", move || call(&mut cmd))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

        #[test]
        fn returns_the_programs_exit_code(code in 0i32..=255) {
            let exit = call_within(program(EXIT_WITH, &[&code.to_string()]))
                .expect("the helper program exists: call must run it");
            prop_assert_eq!(exit, Exit::Code(code), "the child exited with code {}", code);
        }
    }

    #[test]
    fn a_missing_program_is_a_clear_error_not_a_panic() {
        let name = "/nonexistent/workbook-no-such-program";
        match call_within(Command::new(name)) {
            Err(CallError::NotFound { program }) => assert_eq!(program, name),
            other => panic!("expected CallError::NotFound naming {name}, got {other:?}"),
        }
        let message = call_within(Command::new(name)).unwrap_err().to_string();
        assert!(
            message.contains(name),
            "the error message must name the program: {message:?}"
        );
    }

    #[test]
    fn a_child_killed_by_a_signal_is_reported_as_such() {
        for (number, name) in [(9, "SIGKILL"), (15, "SIGTERM"), (2, "SIGINT")] {
            let exit = call_within(program(DIE_BY_SIGNAL, &[&number.to_string()]))
                .expect("the helper program exists: call must run it");
            assert_eq!(
                exit,
                Exit::Signal(number),
                "the child died of {name}: that is not an exit code"
            );
            assert!(
                exit.to_string().contains(name),
                "Display should name the signal: {exit}"
            );
        }
    }

    #[test]
    fn the_seed_program_prints_the_exit_code() {
        // The command line of this test binary's own entry `call::exit_with 3`.
        let exe = std::env::current_exe().unwrap();
        let door = workbook::process::DOOR;
        let line = [exe.to_str().unwrap(), door, EXIT_WITH, "3"];
        let output = Group::spawn(&mut program("call", &line))
            .expect("cannot start the workbook binary")
            .output("the call program");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("Exit code: 3"),
            "expected `Exit code: 3`, got status {} and:\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

mod communicate {
    use super::*;
    use crate::ch08_subprocess::communicate::{communicate, CommunicateError, ECHO, IGNORE_INPUT};
    use std::process::Output;

    const MIB: usize = 1024 * 1024;

    /// Runs `communicate` on helper `name` under the watchdog; the tracker kills and reaps
    /// the child if `communicate` is stuck.
    fn talk(
        name: &str,
        args: &[&str],
        input: Vec<u8>,
    ) -> (Result<Output, CommunicateError>, Vec<u32>) {
        let tracker = ChildTracker::new();
        let mut cmd = workbook::process::entry(name);
        cmd.args(args);
        tracker.apply(&mut cmd);
        let what = format!(
            "communicate with {} KiB each way (deadlocked? a pipe holds 64 KiB: write stdin \
             on its own thread while you read stdout and stderr)",
            input.len() / 1024
        );
        let result = grader::watchdog(&what, move || communicate(&mut cmd, &input));
        (result, tracker.pids())
    }

    fn inverted(bytes: &[u8]) -> Vec<u8> {
        bytes.iter().map(|b| !b).collect()
    }

    fn assert_reaped(pids: &[u32]) {
        for &pid in pids {
            assert_eq!(
                grader::proc_state(pid),
                None,
                "the child {pid} was not waited for: it is a zombie"
            );
        }
    }

    #[test]
    fn several_mib_each_way_without_deadlock() {
        let input = pattern(4 * MIB);
        let (result, pids) = talk(ECHO, &[], input.clone());
        let output = result.expect("communicate failed");
        assert!(
            output.status.success(),
            "the echo child failed: {}",
            output.status
        );
        assert_eq!(
            output.stdout.len(),
            input.len(),
            "stdout must be the whole input"
        );
        assert!(output.stdout == input, "stdout must be the input, in order");
        assert!(
            output.stderr == inverted(&input),
            "stderr must be the inverted input, kept apart from stdout"
        );
        assert_reaped(&pids);
    }

    #[test]
    fn the_exit_status_comes_back_with_all_the_output() {
        let input = pattern(3 * MIB / 2);
        let (result, pids) = talk(ECHO, &["7"], input.clone());
        let output = result.expect("communicate failed");
        assert_eq!(
            output.status.code(),
            Some(7),
            "the child exited with code 7"
        );
        assert!(output.stdout == input && output.stderr == inverted(&input));
        assert_reaped(&pids);
    }

    #[test]
    fn a_child_that_does_not_read_its_input_is_not_an_error() {
        let (result, pids) = talk(IGNORE_INPUT, &[], pattern(MIB));
        let output = result.expect(
            "a child may exit without reading its input (a broken pipe): return its output",
        );
        assert!(output.status.success());
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "not reading my input\n"
        );
        assert_reaped(&pids);
    }
}

mod timeout {
    use super::*;
    use crate::ch08_subprocess::call::EXIT_WITH;
    use crate::ch08_subprocess::timeout::{run_with_timeout, TimeoutError, SLEEPER};
    use std::os::unix::process::ExitStatusExt;
    use std::process::Output;
    use std::time::Duration;

    /// Long enough for a helper to print its first line on a loaded machine, short next to
    /// the watchdog. It scales with `WORKBOOK_TIMEOUT_SECS`, like the watchdog.
    fn deadline() -> Duration {
        grader::limit() / 5
    }

    fn run(args: &[&str], timeout: Duration) -> (Result<Output, TimeoutError>, Vec<u32>) {
        let what = if args.contains(&"grandchild") {
            "run_with_timeout with a child whose own child holds its output pipes (killed the \
             child but not its process group? the pipes stay open)"
        } else {
            "run_with_timeout with a child that never ends (no deadline?)"
        };
        let tracker = ChildTracker::new();
        let mut cmd = workbook::process::entry(SLEEPER);
        cmd.args(args);
        tracker.apply(&mut cmd);
        let result = grader::watchdog(what, move || run_with_timeout(&mut cmd, timeout));
        (result, tracker.pids())
    }

    #[test]
    fn a_child_running_too_long_is_killed_and_reaped() {
        let (result, pids) = run(&[], Duration::from_millis(50));
        match result {
            Err(TimeoutError::Timeout { status, after, .. }) => {
                assert_eq!(after, Duration::from_millis(50));
                assert_eq!(status.signal(), Some(9), "killed with SIGKILL: {status}");
            }
            other => panic!("expected TimeoutError::Timeout, got {other:?}"),
        }
        for pid in pids {
            assert_eq!(grader::proc_state(pid), None, "child {pid} was not reaped");
        }
    }

    #[test]
    fn the_timeout_error_carries_the_output_so_far() {
        let (result, _pids) = run(&[], deadline());
        match result {
            Err(TimeoutError::Timeout { stdout, stderr, .. }) => {
                assert_eq!(String::from_utf8_lossy(&stdout), "working\n");
                assert_eq!(String::from_utf8_lossy(&stderr), "still working\n");
            }
            other => panic!("expected TimeoutError::Timeout with the output, got {other:?}"),
        }
    }

    /// The child's own child holds the output pipes: killing only the child leaves them
    /// open, and reading to the end never ends.
    #[test]
    fn a_grandchild_holding_the_pipes_is_killed_too() {
        let (result, pids) = run(&["grandchild"], deadline());
        match result {
            Err(TimeoutError::Timeout { stdout, .. }) => {
                assert!(String::from_utf8_lossy(&stdout).contains("working"));
            }
            other => panic!("expected TimeoutError::Timeout, got {other:?}"),
        }
        for pid in pids {
            assert!(
                !matches!(grader::proc_state(pid), Some(state) if state != 'Z'),
                "process {pid} of the child's group is still running"
            );
        }
    }

    #[test]
    fn only_the_slow_child_is_killed() {
        let quick = grader::watchdog("run_with_timeout with a quick child", || {
            run_with_timeout(&mut program(EXIT_WITH, &["4"]), grader::limit())
        })
        .expect("a quick child finishes normally");
        assert_eq!(quick.status.code(), Some(4));
        let (slow, _pids) = run(&[], Duration::from_millis(20));
        assert!(
            matches!(slow, Err(TimeoutError::Timeout { .. })),
            "the endless child must time out: {slow:?}"
        );
    }
}
