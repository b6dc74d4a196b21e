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
        grader::watchdog("call to return the child's status", move || call(&mut cmd))
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

    /// Python's `call` lets the child print to our own stdout. The `call` program runs
    /// `call` again, which runs `exit_with 3`: the inner program's lines reach the
    /// outer program's stdout only if `call` hands the child our stdout.
    #[test]
    fn the_child_prints_to_our_own_stdout() {
        let exe = std::env::current_exe().unwrap();
        let (exe, door) = (exe.to_str().unwrap(), workbook::process::DOOR);
        let line = [exe, door, "call", exe, door, EXIT_WITH, "3"];
        let output = Group::spawn(&mut program("call", &line))
            .expect("cannot start the chapter's binary")
            .output("the call program running the call program");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("Exit code: 3"),
            "the inner `call` printed `Exit code: 3`, but it never reached our stdout: \
             the child's stdout must be ours, not captured. The outer program printed:\n\
             {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.trim_end().ends_with("Exit code: 0"),
            "the outer `call` ends with the inner one's status, 0:\n{stdout}"
        );
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

    /// Runs `communicate` on helper `name` under the watchdog. The tracker, returned
    /// alive, kills and reaps the child when dropped: check reaping before that.
    fn talk(
        name: &str,
        args: &[&str],
        input: Vec<u8>,
    ) -> (Result<Output, CommunicateError>, ChildTracker) {
        let tracker = ChildTracker::new();
        let mut cmd = workbook::process::entry(name);
        cmd.args(args);
        tracker.apply(&mut cmd);
        let what = format!(
            "communicate with {} KiB each way to return (deadlocked? a pipe holds 64 KiB: \
             feed stdin, and read stdout and stderr, all at the same time)",
            input.len() / 1024
        );
        let result = grader::watchdog(&what, move || communicate(&mut cmd, &input));
        (result, tracker)
    }

    fn inverted(bytes: &[u8]) -> Vec<u8> {
        bytes.iter().map(|b| !b).collect()
    }

    /// While the tracker is alive nobody but `communicate` can have reaped the child.
    fn assert_reaped(tracker: &ChildTracker) {
        for pid in tracker.pids() {
            assert_eq!(
                grader::proc_state(pid),
                None,
                "the child {pid} was not waited for: it is still in the process table (a \
                 zombie, or still running)"
            );
        }
    }

    #[test]
    fn several_mib_each_way_without_deadlock() {
        let input = pattern(4 * MIB);
        let (result, tracker) = talk(ECHO, &[], input.clone());
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
        assert_reaped(&tracker);
    }

    #[test]
    fn the_exit_status_comes_back_with_all_the_output() {
        let input = pattern(3 * MIB / 2);
        let (result, tracker) = talk(ECHO, &["7"], input.clone());
        let output = result.expect("communicate failed");
        assert_eq!(
            output.status.code(),
            Some(7),
            "the child exited with code 7"
        );
        assert!(output.stdout == input && output.stderr == inverted(&input));
        assert_reaped(&tracker);
    }

    /// `echo 5 FIFO` closes its output as soon as its input ended, but exits (with 5)
    /// only when the test lets it: once a thread of ours is blocked waiting for a child
    /// (as `/proc` shows), or `communicate` has returned. A `communicate` that looks once
    /// whether the child has exited (`try_wait`), or sleeps "long enough" and looks,
    /// returns before it has, without its status, and leaves it unreaped.
    #[test]
    fn waits_for_a_child_that_is_slow_to_exit() {
        let fifo = grader::Fifo::new("exit.fifo").unwrap();
        let exit_pipe = fifo.path().to_str().unwrap().to_owned();
        let input = pattern(256 * 1024);
        let tracker = ChildTracker::new();
        let mut cmd = workbook::process::entry(ECHO);
        cmd.args(["5", &exit_pipe]);
        tracker.apply(&mut cmd);
        let given = input.clone();
        let (returned_early, result) = grader::watchdog(
            "communicate with a child slow to exit to return once the child could exit",
            move || {
                let talking = std::thread::spawn(move || communicate(&mut cmd, &given));
                let deadline = std::time::Instant::now() + grader::limit() / 2;
                while !grader::waiting_for_a_child(std::process::id()) && !talking.is_finished() {
                    assert!(
                        std::time::Instant::now() < deadline,
                        "communicate neither waited for the child (blocked in Child::wait) \
                         nor returned: still stuck feeding or reading it? (a pipe holds 64 \
                         KiB: feed stdin, and read stdout and stderr, all at the same time)"
                    );
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                let returned_early = talking.is_finished();
                // Let the child exit.
                drop(
                    fifo.open_writer(grader::limit())
                        .expect("the child never opened its pipe: did its input end?"),
                );
                (
                    returned_early,
                    talking.join().expect("communicate panicked"),
                )
            },
        );
        let left: Vec<_> = tracker
            .pids()
            .into_iter()
            .filter_map(grader::proc_state)
            .collect();
        assert!(
            !returned_early && left.is_empty(),
            "communicate returned while the child was still running (its output had ended, \
             it had not exited yet), and the child was left in the process table \
             ({left:?}): wait until it has exited (Child::wait), however long it takes"
        );
        let output = result.expect("communicate failed");
        assert_eq!(
            output.status.code(),
            Some(5),
            "the child exited with code 5"
        );
        assert!(output.stdout == input && output.stderr == inverted(&input));
    }

    /// A child that exits without reading its input breaks our pipe: not an error. A
    /// program that cannot be started is one, naming the program.
    #[test]
    fn a_broken_pipe_is_not_an_error_but_a_missing_program_is() {
        let (result, tracker) = talk(IGNORE_INPUT, &[], pattern(MIB));
        let output = result.expect(
            "a child may exit without reading its input (a broken pipe): return its output",
        );
        assert!(output.status.success());
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "not reading my input\n"
        );
        assert_reaped(&tracker);
        let name = "/nonexistent/workbook-no-such-program";
        let missing = grader::watchdog(
            "communicate with a program that does not exist to return",
            move || communicate(&mut Command::new(name), b"hello"),
        );
        match missing {
            Err(CommunicateError::Spawn { program, .. }) => assert_eq!(program, name),
            other => panic!("expected CommunicateError::Spawn naming {name}, got {other:?}"),
        }
    }
}

mod timeout {
    use super::*;
    use crate::ch08_subprocess::timeout::{
        run_with_timeout, TimeoutError, ENDED_BY_ITSELF, SLEEPER,
    };
    use grader::Fifo;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Output;
    use std::time::Duration;

    /// Long enough for a helper to print its first line on a loaded machine, short next to
    /// the watchdog. It scales with `WORKBOOK_TIMEOUT_SECS`, like the watchdog.
    fn deadline() -> Duration {
        grader::limit() / 5
    }

    /// Runs a sleeper with `args` under `run_with_timeout`. The tracker, returned alive,
    /// kills and reaps what is left when dropped: check reaping before that.
    fn run(args: &[&str], timeout: Duration) -> (Result<Output, TimeoutError>, ChildTracker) {
        let what = if args.contains(&"grandchild") {
            "run_with_timeout, with a child whose own child holds its output pipes, to \
             return (killed the child but not its process group? the pipes stay open)"
        } else {
            "run_with_timeout, with a child that never ends, to return (no deadline?)"
        };
        let tracker = ChildTracker::new();
        let mut cmd = workbook::process::entry(SLEEPER);
        cmd.args(args);
        tracker.apply(&mut cmd);
        let result = grader::watchdog(what, move || run_with_timeout(&mut cmd, timeout));
        (result, tracker)
    }

    #[test]
    fn a_child_running_too_long_is_killed_and_reaped() {
        let (result, tracker) = run(&[], Duration::from_millis(50));
        match result {
            Err(TimeoutError::Timeout { status, after, .. }) => {
                assert_eq!(after, Duration::from_millis(50));
                assert_eq!(status.signal(), Some(9), "killed with SIGKILL: {status}");
            }
            other => panic!("expected TimeoutError::Timeout, got {other:?}"),
        }
        // The tracker is alive: nobody but run_with_timeout can have reaped the child.
        for pid in tracker.pids() {
            assert_eq!(
                grader::proc_state(pid),
                None,
                "child {pid} was killed but not reaped: it is still in the process table"
            );
        }
    }

    #[test]
    fn the_timeout_error_carries_the_output_so_far() {
        let (result, _tracker) = run(&[], deadline());
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
        let (result, tracker) = run(&["grandchild"], deadline());
        match result {
            Err(TimeoutError::Timeout { stdout, stderr, .. }) => {
                assert!(String::from_utf8_lossy(&stdout).contains("working"));
                assert!(
                    !String::from_utf8_lossy(&stderr).contains(ENDED_BY_ITSELF),
                    "the grandchild was not killed: it outlived the child and ended by \
                     itself later (the pipes stayed open until then). Kill the child's whole \
                     process group"
                );
            }
            other => panic!("expected TimeoutError::Timeout, got {other:?}"),
        }
        let pids = tracker.pids();
        if let Some(&child) = pids.first() {
            assert_eq!(
                grader::proc_state(child),
                None,
                "the child {child} was not reaped"
            );
        }
        // The output ended, so every process that held the pipes has closed them: it is
        // gone, a zombie, or at least past the start of its exit (a SIGKILL takes a
        // moment to finish a process off) — unless it was never killed.
        for pid in pids {
            assert!(
                grader::dying_or_gone(pid),
                "process {pid} of the child's group is still running"
            );
        }
    }

    /// A child that ends in time, with an hour to spare: `run_with_timeout` returns its
    /// output as soon as it has exited — the child ends when the test opens and closes a
    /// named pipe, so a `sleep` cannot stand in for watching it. Then a child that never
    /// ends, with a short deadline, is killed.
    #[test]
    fn a_child_ending_in_time_returns_at_once_and_a_slow_one_is_killed() {
        let tracker = ChildTracker::new();
        let fifo = Fifo::new("until").unwrap();
        let mut cmd = workbook::process::entry(SLEEPER);
        cmd.args(["until", fifo.path().to_str().unwrap()]);
        tracker.apply(&mut cmd);
        let hour = Duration::from_secs(3600);
        let finished = grader::watchdog(
            "run_with_timeout to return once its child exited, an hour before the deadline \
             (does it sleep out the timeout, or look only once whether the child ended?)",
            move || {
                let running = std::thread::spawn(move || run_with_timeout(&mut cmd, hour));
                let writer = fifo
                    .open_writer(grader::limit())
                    .expect("the child never opened its pipe");
                drop(writer); // the child's read ends: it exits
                running.join().expect("run_with_timeout panicked")
            },
        );
        let output = finished.expect("the child ended in time: its Output, not an error");
        assert!(
            output.status.success(),
            "the child exited with 0: {}",
            output.status
        );
        assert_eq!(String::from_utf8_lossy(&output.stdout), "working\n");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "still working\n");
        for pid in tracker.pids() {
            assert_eq!(grader::proc_state(pid), None, "child {pid} was not reaped");
        }
        let (slow, _tracker) = run(&[], Duration::from_millis(20));
        assert!(
            matches!(slow, Err(TimeoutError::Timeout { .. })),
            "the endless child must time out: {slow:?}"
        );
    }
}
