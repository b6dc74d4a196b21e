//! Chapter 1 — processes. `cargo test --test ch01_processes [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::assert::OutputAssertExt;
use grader::program;
use grader::{Fifo, Group, STUCK};

use grader::loom_check;

grader::chapter!(ch01_processes);

mod two_files {
    use super::*;
    use crate::ch01_processes::two_files::run_workers;
    use std::cell::RefCell;
    use std::fs::File;
    use std::io::Write;

    const PROGRAM: &str = "two_files";
    const X: &str = "the x file\nhas two lines\n";
    const Y: &str = "and the y file\nhas\nthree\n";

    #[test]
    fn prints_both_files_whole_then_done_last() {
        let dir = grader::temp_dir();
        let x = grader::write_file(dir.path(), "x.txt", X);
        let y = grader::write_file(dir.path(), "y.txt", Y);
        let group = Group::spawn(&mut program(
            PROGRAM,
            &[x.to_str().unwrap(), y.to_str().unwrap()],
        ))
        .expect("cannot start the workbook binary");
        let output = group.output("two_files x.txt y.txt to exit");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output.assert().success();
        assert!(
            stdout.contains(X),
            "x.txt is missing or cut apart in:\n{stdout}"
        );
        assert!(
            stdout.contains(Y),
            "y.txt is missing or cut apart in:\n{stdout}"
        );
        assert_eq!(
            stdout.lines().last(),
            Some("done!"),
            "`done!` must be the last line:\n{stdout}"
        );
        assert_eq!(
            stdout.len(),
            X.len() + Y.len() + "done!\n".len(),
            "the files and `done!`, nothing else:\n{stdout}"
        );
    }

    /// Opens the writing end of both FIFOs, which only succeeds while both readers are
    /// blocked reading at the same moment; fails the test (and stops the program) if
    /// they never are.
    fn open_both(x: &Fifo, y: &Fifo, group: &mut Group) -> (File, File) {
        let limit = grader::limit();
        let x_open = x.open_writer_while(limit, || group.running());
        let y_open = y.open_writer_while(limit, || group.running());
        match (x_open, y_open) {
            (Ok(wx), Ok(wy)) => (wx, wy),
            (first, second) => {
                if !group.running() {
                    group.kill();
                    panic!(
                        "two_files exited before both readers had opened their files: {}",
                        group.stderr_so_far().trim()
                    );
                }
                group.kill();
                panic!(
                    "the two readers were never reading at the same time (x: {}, y: {}): \
                     start every child before waiting for any",
                    first.map_or_else(|e| e.to_string(), |_| "open".into()),
                    second.map_or_else(|e| e.to_string(), |_| "open".into()),
                );
            }
        }
    }

    fn spawn_on_fifos(x: &Fifo, y: &Fifo) -> Group {
        Group::spawn(&mut program(
            PROGRAM,
            &[x.path().to_str().unwrap(), y.path().to_str().unwrap()],
        ))
        .expect("cannot start the workbook binary")
    }

    /// The children read from FIFOs. This test opens the writing end of *both* before writing
    /// a byte to either, which is only possible while both readers are blocked reading at the
    /// same moment. A parent that waits for the first child before starting the second never
    /// lets that happen.
    #[test]
    fn children_read_at_the_same_time() {
        let x = Fifo::new("x.fifo").unwrap();
        let y = Fifo::new("y.fifo").unwrap();
        let mut group = spawn_on_fifos(&x, &y);
        let (mut wx, mut wy) = open_both(&x, &y, &mut group);
        wx.write_all(X.as_bytes()).unwrap();
        wy.write_all(Y.as_bytes()).unwrap();
        drop((wx, wy));
        let output = group.output("two_files reading two FIFOs to exit");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output.assert().success();
        assert!(
            stdout.contains(X) && stdout.contains(Y),
            "both files, whole:\n{stdout}"
        );
        assert_eq!(
            stdout.lines().last(),
            Some("done!"),
            "`done!` last:\n{stdout}"
        );
    }

    /// Both readers get their file but not its end: they cannot exit until the test closes
    /// the FIFOs, which it does only once `two_files` is blocked waiting for a child (as
    /// `/proc` shows). A parent that sleeps "long enough" and then looks once, or never
    /// waits, prints `done!` or exits while its readers are still reading.
    #[test]
    fn done_waits_for_readers_that_are_slow_to_exit() {
        let x = Fifo::new("x.fifo").unwrap();
        let y = Fifo::new("y.fifo").unwrap();
        let mut group = spawn_on_fifos(&x, &y);
        let (mut wx, mut wy) = open_both(&x, &y, &mut group);
        wx.write_all(X.as_bytes()).unwrap();
        wy.write_all(Y.as_bytes()).unwrap();
        let pid = group.pid();
        let deadline = Instant::now() + grader::limit();
        while !grader::waiting_for_a_child(pid) {
            if !group.running() {
                group.kill();
                let output = group.output("the stopped two_files");
                panic!(
                    "two_files exited while both readers were still reading (they had their \
                     files, not yet their ends). It printed:\n{}\nFinishing a child means \
                     waiting until it has exited, however long it takes: Child::wait",
                    String::from_utf8_lossy(&output.stdout)
                );
            }
            if Instant::now() >= deadline {
                group.kill();
                panic!(
                    "{STUCK} {:?}: still waiting for two_files to wait for its readers \
                     (blocked in Child::wait) while they were reading; it neither waited nor \
                     exited",
                    grader::limit()
                );
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        drop((wx, wy));
        let output = group.output("two_files to exit once its readers could");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output.assert().success();
        assert!(
            stdout.contains(X) && stdout.contains(Y),
            "both files, whole:\n{stdout}"
        );
        assert_eq!(
            stdout.lines().last(),
            Some("done!"),
            "`done!` last:\n{stdout}"
        );
    }

    #[test]
    fn missing_file_is_a_clear_error_and_no_child_is_left() {
        let dir = grader::temp_dir();
        let x = grader::write_file(dir.path(), "x.txt", X);
        let missing = dir.path().join("no-such-file.txt");
        let group = Group::spawn(&mut program(
            PROGRAM,
            &[missing.to_str().unwrap(), x.to_str().unwrap()],
        ))
        .expect("cannot start the workbook binary");
        let pgid = nix::unistd::Pid::from_raw(group.pid() as i32);
        // `output` also fails the test if a process outlives the parent holding its stdout.
        let output = group.output("two_files with a missing file to exit");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output
            .assert()
            .failure()
            .stderr(predicates::str::contains("no-such-file.txt"));
        assert!(
            stdout.contains(X),
            "the other file must still be printed whole:\n{stdout}"
        );
        assert!(
            !stdout.contains("done!"),
            "a reader failed, so main returns its error instead of printing `done!`:\n{stdout}"
        );
        assert!(
            !grader::group_alive(pgid),
            "a child of two_files is still running"
        );
    }

    #[test]
    fn no_files_is_a_usage_error() {
        let output = Group::spawn(&mut program(PROGRAM, &[]))
            .expect("cannot start the workbook binary")
            .output("two_files without arguments to exit");
        output
            .assert()
            .failure()
            .stderr(predicates::str::contains("usage"));
    }

    /// What `run_workers` did, in order.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Event {
        Start(u32),
        Finish(u32),
    }

    fn sorted(events: &[Event], pick: fn(&Event) -> Option<u32>) -> Vec<u32> {
        let mut jobs: Vec<u32> = events.iter().filter_map(pick).collect();
        jobs.sort_unstable();
        jobs
    }

    fn starts(events: &[Event]) -> Vec<u32> {
        sorted(events, |e| match e {
            Event::Start(n) => Some(*n),
            Event::Finish(_) => None,
        })
    }

    fn finishes(events: &[Event]) -> Vec<u32> {
        sorted(events, |e| match e {
            Event::Finish(n) => Some(*n),
            Event::Start(_) => None,
        })
    }

    fn assert_started_before_finishing(events: &[Event]) {
        let last_start = events.iter().rposition(|e| matches!(e, Event::Start(_)));
        let first_finish = events.iter().position(|e| matches!(e, Event::Finish(_)));
        if let (Some(last_start), Some(first_finish)) = (last_start, first_finish) {
            assert!(
                last_start < first_finish,
                "start every job before finishing any: {events:?}"
            );
        }
    }

    /// Runs `run_workers` over jobs 1 to 4 with a `start` and a `finish` that log what
    /// happens and fail as `start_fails` and `finish_fails` say; returns the result, the
    /// log, and the errors in the order they were handed to `run_workers`.
    fn run_logged(
        start_fails: fn(u32) -> bool,
        finish_fails: fn(usize) -> bool,
    ) -> (Result<(), String>, Vec<Event>, Vec<String>) {
        grader::watchdog("run_workers to return", move || {
            let events = RefCell::new(Vec::new());
            let errors = RefCell::new(Vec::new());
            let fail = |message: String| {
                errors.borrow_mut().push(message.clone());
                message
            };
            let result = run_workers(
                1..=4,
                |job| {
                    if start_fails(job) {
                        return Err(fail(format!("cannot start job {job}")));
                    }
                    events.borrow_mut().push(Event::Start(job));
                    Ok(job)
                },
                |job| {
                    events.borrow_mut().push(Event::Finish(job));
                    let call = finishes(&events.borrow()).len();
                    if finish_fails(call) {
                        return Err(fail(format!("job {job} failed")));
                    }
                    Ok(())
                },
            );
            (result, events.into_inner(), errors.into_inner())
        })
    }

    #[test]
    fn run_workers_starts_every_job_before_finishing_any() {
        let (result, events, _) = run_logged(|_| false, |_| false);
        assert_eq!(result, Ok(()), "nothing failed");
        assert_eq!(starts(&events), [1, 2, 3, 4], "every job is started once");
        assert_eq!(
            finishes(&events),
            [1, 2, 3, 4],
            "every started job is finished once: {events:?}"
        );
        assert_started_before_finishing(&events);
    }

    /// The first and the third job finished (whichever they are: the order is yours) fail.
    #[test]
    fn run_workers_finishes_every_job_although_finishing_one_fails() {
        let (result, events, errors) = run_logged(|_| false, |call| call == 1 || call == 3);
        assert_eq!(
            finishes(&events),
            [1, 2, 3, 4],
            "a job that fails to finish is no reason to leave the others unfinished: \
             {events:?}"
        );
        assert_eq!(
            result,
            Err(errors[0].clone()),
            "return the first error that came back (errors in the order they came: \
             {errors:?})"
        );
        assert_started_before_finishing(&events);
    }

    /// Job 3 cannot be started: jobs 1 and 2 (and 4, if you start it) must still be
    /// finished, and the start error returned.
    #[test]
    fn run_workers_finishes_the_started_jobs_when_starting_one_fails() {
        let (result, events, _) = run_logged(|job| job == 3, |_| false);
        let started = starts(&events);
        assert!(
            started.starts_with(&[1, 2]),
            "jobs 1 and 2 start before job 3 fails: {events:?}"
        );
        assert_eq!(
            finishes(&events),
            started,
            "every job that was started must be finished, even after a start failed \
             (else its child is left behind): {events:?}"
        );
        assert_eq!(
            result,
            Err("cannot start job 3".to_owned()),
            "return the error of the start that failed"
        );
        assert_started_before_finishing(&events);
    }

    /// Loom: with real (model) threads as workers, each waiting until both have started,
    /// `run_workers` must neither deadlock (workers run together) nor return before both
    /// finished — in every interleaving.
    #[test]
    fn loom_done_after_every_worker() {
        loom_check("two_files::run_workers", || {
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::{thread, Arc};
            let started = Arc::new(grader::loom::StartLine::new(2));
            let finished = Arc::new(AtomicUsize::new(0));
            let result: Result<(), String> = crate::model::two_files::run_workers(
                0..2,
                |_| {
                    let (started, finished) = (started.clone(), finished.clone());
                    Ok(thread::spawn(move || {
                        started.arrive();
                        finished.fetch_add(1, Ordering::SeqCst);
                    }))
                },
                |worker| worker.join().map_err(|_| "a worker panicked".to_owned()),
            );
            assert_eq!(result, Ok(()));
            assert_eq!(
                finished.load(Ordering::SeqCst),
                2,
                "run_workers returned before every worker finished"
            );
        });
    }
}

mod pids {
    use super::*;
    use crate::ch01_processes::pids::{parse_report, spawn_reporter, PidError, REPORT};

    #[test]
    fn child_and_parent_agree_on_the_childs_pid_and_the_parent_is_us() {
        let report = grader::watchdog("spawn_reporter to return", spawn_reporter)
            .expect("spawn_reporter failed");
        assert_eq!(
            report.child_pid, report.child_pid_seen_by_parent,
            "the pid the child printed is not the pid the parent started"
        );
        assert_eq!(
            report.parent_pid,
            std::process::id(),
            "the child's parent is the process that called spawn_reporter"
        );
        assert_ne!(
            report.child_pid,
            std::process::id(),
            "a child is a different process"
        );
        // Nothing in this test binary waits for the reporter: if it is gone, you reaped it.
        assert_eq!(
            grader::proc_state(report.child_pid),
            None,
            "the reporter child is still in the process table: wait for it"
        );
    }

    #[test]
    fn report_prints_its_own_pid_and_its_parents() {
        let group =
            Group::spawn(&mut program(REPORT, &[])).expect("cannot start the workbook binary");
        let pid = group.pid();
        let output = group.output("pids::report to exit");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output.assert().success();
        assert_eq!(
            stdout.lines().count(),
            1,
            "report prints one line, `pid=<n> ppid=<n>`, and nothing else:\n{stdout}"
        );
        let (child, parent) = parse_report(stdout.trim_end()).expect("one `pid=<n> ppid=<n>` line");
        assert_eq!(child, pid, "`pid=` must be the reporting process's own pid");
        assert_eq!(
            parent,
            std::process::id(),
            "`ppid=` must be its parent's pid: this test's"
        );
    }

    /// Set in the copy of this test binary that [`a_reporter_that_fails_is_an_error`]
    /// starts.
    const INSIDE: &str = "WORKBOOK_PIDS_FAILING_REPORTER";

    /// The reporter fails (exit status 3, nothing printed): the test runs itself again in a
    /// child process whose `pids::report` children do just that, and `spawn_reporter` there
    /// must say `Failed`, not `Malformed`.
    #[test]
    fn a_reporter_that_fails_is_an_error() {
        if std::env::var_os(INSIDE).is_some() {
            let result = grader::watchdog("spawn_reporter to return", spawn_reporter);
            match result {
                Err(PidError::Failed(status)) if status.code() == Some(3) => return,
                other => panic!(
                    "the reporter exited with status 3 and printed nothing: expected \
                     PidError::Failed with that status, whatever it printed (look at the \
                     status before the line), got {other:?}"
                ),
            }
        }
        let me = std::env::current_exe().expect("cannot find the test binary");
        let mut cmd = Command::new(me);
        cmd.args([
            "pids::a_reporter_that_fails_is_an_error",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(INSIDE, "1")
        .env(grader::entry::FAKE_EXIT_ENV, format!("{REPORT}=3"))
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null());
        let output = Group::spawn(&mut cmd)
            .expect("cannot start the test binary again")
            .output("spawn_reporter with a failing reporter to return");
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !(output.status.success() && stdout.contains("1 passed")) {
            let stderr = String::from_utf8_lossy(&output.stderr);
            panic!(
                "{}",
                grader::loom::first_panic_message(&stderr)
                    .unwrap_or_else(|| stderr.trim().to_owned())
            );
        }
    }
}

mod isolation {
    use crate::ch01_processes::isolation::{add_in_child_process, add_in_thread};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn a_child_process_changes_only_its_own_copy(start: u8, delta in 1u8..) {
            let (seen_by_child, after) = grader::watchdog("add_in_child_process to return", move || {
                let mut value = start;
                let seen = add_in_child_process(&mut value, delta).expect("fork/wait failed");
                (seen, value)
            });
            prop_assert_eq!(seen_by_child, start.wrapping_add(delta), "the child adds delta to its copy");
            prop_assert_eq!(after, start, "the parent's variable must not change");
        }

        #[test]
        fn a_thread_changes_the_callers_variable(start: u8, delta in 1u8..) {
            let (returned, after) = grader::watchdog("add_in_thread to return", move || {
                let mut value = start;
                let returned = add_in_thread(&mut value, delta);
                (returned, value)
            });
            prop_assert_eq!(after, start.wrapping_add(delta), "a thread shares the caller's memory");
            prop_assert_eq!(returned, after);
        }
    }

    #[test]
    fn values_wrap_around_at_256() {
        let (in_child, in_thread) =
            grader::watchdog("add_in_child_process and add_in_thread to return", || {
                let (mut a, mut b) = (250u8, 250u8);
                let child = add_in_child_process(&mut a, 10).expect("fork/wait failed");
                let thread = add_in_thread(&mut b, 10);
                ((child, a), (thread, b))
            });
        assert_eq!(
            in_child,
            (4, 250),
            "the child: 250 + 10 is 4; the parent keeps 250"
        );
        assert_eq!(
            in_thread,
            (4, 4),
            "the thread: 250 + 10 is 4, in the caller's variable"
        );
    }
}

mod terminate {
    use super::*;
    use crate::ch01_processes::terminate::{stop, Stopped, ENDLESS_READER, STUBBORN_READER};
    use grader::Reaper;
    use std::io::{BufRead, BufReader, Write};
    use std::process::ChildStdout;

    /// A grace period no correct `stop` waits out for a child that dies of SIGTERM.
    const AN_HOUR: Duration = Duration::from_secs(3600);

    /// Runs `stop` under the watchdog; the child comes back so its `Reaper` still cleans up.
    fn stop_within(child: Reaper, grace: Duration, what: &str) -> (Stopped, Reaper) {
        let (stopped, child) = grader::watchdog(what, move || {
            let mut child = child;
            (stop(&mut child, grace), child)
        });
        (stopped.expect("stop failed"), child)
    }

    fn assert_reaped(pid: u32) {
        assert_eq!(
            grader::proc_state(pid),
            None,
            "process {pid} is still in the process table (a zombie until someone waits for it)"
        );
    }

    /// Starts entry `name` with `args`, stdin and stdout piped, and waits for its `ready`;
    /// its stdout comes back to read what it says next.
    fn start_reader(name: &str, args: &[&str]) -> (Reaper, BufReader<ChildStdout>) {
        let mut cmd = workbook::process::entry(name);
        cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped());
        let mut child = Reaper(grader::spawn::spawn(cmd).expect("cannot start the reader"));
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let (line, stdout) = read_line("the reader to print `ready`", stdout);
        assert_eq!(line, "ready\n", "{name} must announce itself with `ready`");
        (child, stdout)
    }

    fn read_line(what: &str, mut from: BufReader<ChildStdout>) -> (String, BufReader<ChildStdout>) {
        grader::watchdog(what, move || {
            let mut line = String::new();
            let _ = from.read_line(&mut line);
            (line, from)
        })
    }

    #[test]
    fn a_polite_child_ends_with_sigterm_and_is_reaped() {
        let child = grader::spawn_ready(ENDLESS_READER);
        let pid = child.id();
        let what = "stop to return once the child died of SIGTERM (the grace period is an \
                    hour: return as soon as the child has exited)";
        let (stopped, _child) = stop_within(child, AN_HOUR, what);
        assert_eq!(stopped, Stopped::Terminated, "SIGTERM first");
        assert_reaped(pid);
    }

    #[test]
    fn a_stubborn_child_is_killed_after_the_grace_period_and_reaped() {
        let child = grader::spawn_ready(STUBBORN_READER);
        let pid = child.id();
        let what = "stop to return after a grace period of 50 ms and SIGKILL";
        let (stopped, _child) = stop_within(child, Duration::from_millis(50), what);
        assert_eq!(stopped, Stopped::Killed, "SIGKILL after the grace period");
        assert_reaped(pid);
    }

    /// The child has exited but nobody has waited for it yet (a zombie): `stop` must say
    /// how it exited, and reap it.
    #[test]
    fn a_child_that_already_exited_gets_no_signal_and_is_reaped() {
        let mut cmd = Command::new("true");
        cmd.stdin(Stdio::null());
        let child = Reaper(grader::spawn::spawn(cmd).expect("cannot start `true`"));
        let pid = child.id();
        let deadline = Instant::now() + grader::limit();
        while grader::proc_state(pid) != Some('Z') {
            assert!(Instant::now() < deadline, "`true` did not exit");
            std::thread::sleep(Duration::from_millis(1));
        }
        let what = "stop to return for a child that had already exited";
        let (stopped, _child) = stop_within(child, AN_HOUR, what);
        match stopped {
            Stopped::Exited(status) => assert!(
                status.success(),
                "`true` exited with status 0, not {status}"
            ),
            other => {
                panic!("the child had already exited on its own: expected Exited, got {other:?}")
            }
        }
        assert_reaped(pid);
    }

    /// The reader takes its time to die: on SIGTERM it says `terminating` and dies of it
    /// only when the test writes a line. The test does so once `stop` has gone back to
    /// waiting at least once more after SIGTERM (or after the watchdog's limit, for a
    /// `stop` that never sleeps). A `stop` that looks once, or sleeps once and looks again,
    /// has killed the child by then.
    #[test]
    fn stop_keeps_waiting_for_a_child_that_takes_its_time_to_die() {
        let (mut child, stdout) = start_reader(ENDLESS_READER, &["slow"]);
        let pid = child.id();
        let mut release = child.stdin.take().expect("piped stdin");
        let (tid_tx, tid_rx) = std::sync::mpsc::channel();
        let stopper = std::thread::spawn(move || {
            let _ = tid_tx.send(nix::unistd::gettid().as_raw());
            let stopped = stop(&mut child, AN_HOUR);
            (stopped, child)
        });
        let tid = tid_rx.recv().expect("the stopping thread died at once");
        let (line, _stdout) = read_line(
            "the reader to say `terminating` (stop sends SIGTERM first, if it is still \
             running)",
            stdout,
        );
        if line != "terminating\n" {
            let (stopped, _child) = grader::watchdog("stop to return", move || {
                stopper.join().expect("stop panicked")
            });
            panic!(
                "the reader died before it could answer SIGTERM (it said {line:?}; stop \
                 returned {stopped:?}): send SIGTERM first, then keep waiting for the child \
                 until it has exited or the grace period (an hour here) is over"
            );
        }
        let slept = grader::sleeps_of(tid);
        let deadline = Instant::now() + grader::limit();
        while grader::sleeps_of(tid) < slept + 2
            && !stopper.is_finished()
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = writeln!(release, "go");
        let (stopped, _child) = grader::watchdog(
            "stop to return once the reader died of SIGTERM",
            move || stopper.join().expect("stop panicked"),
        );
        assert_eq!(
            stopped.expect("stop failed"),
            Stopped::Terminated,
            "the reader was about to die of SIGTERM: keep waiting until it has, or until \
             the grace period (an hour here) is over"
        );
        assert_reaped(pid);
    }
}
