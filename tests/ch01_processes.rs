//! Chapter 1 — processes. `cargo test --test ch01_processes [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::process::Stdio;

use assert_cmd::assert::OutputAssertExt;
use grader::program;
use grader::{Fifo, Group};

use grader::loom_check;

grader::chapter!(ch01_processes);

mod two_files {
    use super::*;
    use crate::ch01_processes::two_files::{run_workers, TwoFilesError};

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
        let output = group.output("two_files");
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
            "unexpected extra output:\n{stdout}"
        );
    }

    /// The children read from FIFOs. This test opens the writing end of *both* before writing
    /// a byte to either, which is only possible while both readers are blocked reading at the
    /// same moment. A parent that waits for the first child before starting the second never
    /// lets that happen.
    #[test]
    fn children_read_at_the_same_time() {
        let x = Fifo::new("x.fifo").unwrap();
        let y = Fifo::new("y.fifo").unwrap();
        let mut group = Group::spawn(&mut program(
            PROGRAM,
            &[x.path().to_str().unwrap(), y.path().to_str().unwrap()],
        ))
        .expect("cannot start the workbook binary");
        let limit = grader::limit();
        let x_open = x.open_writer_while(limit, || group.running());
        let y_open = y.open_writer_while(limit, || group.running());
        let open_both = (x_open, y_open);
        let (mut wx, mut wy) = match open_both {
            (Ok(wx), Ok(wy)) => (wx, wy),
            (first, second) => {
                if !group.running() {
                    let output = group.output("two_files");
                    panic!(
                        "two_files exited before its readers opened their files: {}",
                        String::from_utf8_lossy(&output.stderr).trim()
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
        };
        use std::io::Write;
        wx.write_all(X.as_bytes()).unwrap();
        wy.write_all(Y.as_bytes()).unwrap();
        drop((wx, wy));
        let output = group.output("two_files reading two FIFOs");
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
        let output = group.output("two_files with a missing file");
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
            "`done!` means every file was read:\n{stdout}"
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
            .output("two_files without arguments");
        output
            .assert()
            .failure()
            .stderr(predicates::str::contains("usage"));
    }

    /// The coordination rule alone, with threads instead of processes: every worker must be
    /// running before any is waited for, and `run_workers` returns only after all finished.
    #[test]
    fn run_workers_returns_the_first_error_after_finishing_every_started_job() {
        let finished = grader::watchdog("run_workers", || {
            let mut finished = Vec::new();
            let result: Result<(), String> = run_workers(1..=4, Ok, |n| {
                finished.push(n);
                if n % 2 == 0 {
                    Err(format!("job {n} failed"))
                } else {
                    Ok(())
                }
            });
            assert_eq!(
                result,
                Err("job 2 failed".to_owned()),
                "the first error wins"
            );
            finished
        });
        assert_eq!(
            finished,
            vec![1, 2, 3, 4],
            "every started job is finished, in order"
        );
    }

    #[test]
    fn run_workers_starts_every_job_before_finishing_any() {
        let events = grader::watchdog("run_workers", || {
            let events = std::cell::RefCell::new(Vec::new());
            let result: Result<(), TwoFilesError> = run_workers(
                ["a", "b", "c"],
                |job| {
                    events.borrow_mut().push(format!("start {job}"));
                    Ok(job)
                },
                |job| {
                    events.borrow_mut().push(format!("finish {job}"));
                    Ok(())
                },
            );
            assert!(result.is_ok());
            events.into_inner()
        });
        assert_eq!(
            events,
            ["start a", "start b", "start c", "finish a", "finish b", "finish c"],
            "start every job, then finish every job"
        );
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
    use crate::ch01_processes::pids::{parse_report, spawn_reporter, REPORT};

    #[test]
    fn child_and_parent_agree_on_the_childs_pid_and_the_parent_is_us() {
        let report = grader::watchdog("pids::spawn_reporter", spawn_reporter)
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
        assert_eq!(
            grader::proc_state(report.child_pid),
            None,
            "the reporter child was not reaped (wait for it)"
        );
    }

    #[test]
    fn report_prints_its_own_pid_and_its_parents() {
        let group =
            Group::spawn(&mut program(REPORT, &[])).expect("cannot start the workbook binary");
        let pid = group.pid();
        let output = group.output("pids::report");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output.assert().success();
        let (child, parent) = parse_report(stdout.trim_end()).expect("one `pid=<n> ppid=<n>` line");
        assert_eq!(child, pid, "`pid=` must be the reporting process's own pid");
        assert_eq!(
            parent,
            std::process::id(),
            "`ppid=` must be its parent's pid: this test's"
        );
    }
}

mod isolation {
    use crate::ch01_processes::isolation::{add_in_child_process, add_in_thread};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn a_child_process_changes_only_its_own_copy(start: u8, delta in 1u8..) {
            let (seen_by_child, after) = grader::watchdog("isolation::add_in_child_process", move || {
                let mut value = start;
                let seen = add_in_child_process(&mut value, delta).expect("fork/wait failed");
                (seen, value)
            });
            prop_assert_eq!(seen_by_child, start.wrapping_add(delta), "the child adds delta to its copy");
            prop_assert_eq!(after, start, "the parent's variable must not change");
        }

        #[test]
        fn a_thread_changes_the_callers_variable(start: u8, delta in 1u8..) {
            let (returned, after) = grader::watchdog("isolation::add_in_thread", move || {
                let mut value = start;
                let returned = add_in_thread(&mut value, delta);
                (returned, value)
            });
            prop_assert_eq!(after, start.wrapping_add(delta), "a thread shares the caller's memory");
            prop_assert_eq!(returned, after);
        }
    }
}

mod terminate {
    use super::*;
    use crate::ch01_processes::terminate::{stop, Stopped, ENDLESS_READER, STUBBORN_READER};
    use grader::Reaper;
    use std::time::Duration;

    /// Runs `stop` under the watchdog; the child comes back so its `Reaper` still cleans up.
    fn stop_within(child: Reaper, grace: Duration) -> (Stopped, Reaper) {
        let (stopped, child) = grader::watchdog("terminate::stop", move || {
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

    #[test]
    fn a_polite_child_ends_with_sigterm_and_is_reaped() {
        let child = grader::spawn_ready(ENDLESS_READER);
        let pid = child.id();
        let (stopped, _child) = stop_within(child, grader::limit());
        assert_eq!(stopped, Stopped::Terminated, "SIGTERM first");
        assert_reaped(pid);
    }

    #[test]
    fn a_stubborn_child_is_killed_after_the_grace_period_and_reaped() {
        let child = grader::spawn_ready(STUBBORN_READER);
        let pid = child.id();
        let (stopped, _child) = stop_within(child, Duration::from_millis(50));
        assert_eq!(stopped, Stopped::Killed, "SIGKILL after the grace period");
        assert_reaped(pid);
    }

    #[test]
    fn a_child_that_already_exited_gets_no_signal() {
        let child = Reaper(
            workbook::process::entry(crate::ch01_processes::pids::REPORT)
                .stdout(Stdio::null())
                .spawn()
                .expect("cannot start the workbook binary"),
        );
        let (status, child) = grader::watchdog("waiting for a short child", move || {
            let mut child = child;
            (child.wait().unwrap(), child)
        });
        let (stopped, _child) = stop_within(child, grader::limit());
        assert_eq!(stopped, Stopped::Exited(status));
    }
}
