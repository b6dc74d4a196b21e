//! Chapter 10 — interview drill. `cargo test --test ch10_interview [EXERCISE]`.
//!
//! Demonstrations of the interview answers that chapter 1 does not already prove: process
//! states seen in /proc, a zombie until its parent waits, an orphan re-parented, the double
//! fork. Children that must outlive their parent run under `grader::adopter` (a
//! child subreaper), so the new parent is known and every process is reaped.

use std::collections::HashMap;
use std::process::{Command, Stdio};

use assert_cmd::assert::OutputAssertExt;
use grader::{Fifo, Group, Reaper};
use nix::sys::wait::{waitid, waitpid, Id, WaitPidFlag};
use nix::unistd::Pid;

/// Blocks until `pid` (our child) has exited, without reaping it: it stays a zombie.
fn wait_exited_unreaped(pid: u32) {
    grader::watchdog("a child to exit (waitid without reaping it)", move || {
        waitid(
            Id::Pid(Pid::from_raw(pid as i32)),
            WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT,
        )
        .expect("waitid")
    });
}

/// `key=value` fields of the output line starting with `prefix`.
fn fields<'a>(output: &'a str, prefix: &str) -> Option<HashMap<&'a str, &'a str>> {
    let line = output.lines().find(|l| l.starts_with(prefix))?;
    Some(
        line.split_whitespace()
            .filter_map(|field| field.split_once('='))
            .collect(),
    )
}

fn number(map: &HashMap<&str, &str>, key: &str) -> u32 {
    map.get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number `{key}=` in {map:?}"))
}

/// `BINARY __entry grader::adopter FIFO ENTRY FIFO`, in a process group of its own.
fn adopted(entry: &str, fifo: &Fifo) -> Command {
    let fifo = fifo.path().to_str().unwrap();
    let mut cmd = workbook::process::entry("grader::adopter");
    cmd.args([fifo, entry, fifo]).stdin(Stdio::null());
    cmd
}

grader::chapter!(ch10_interview);

/// One `zombie::quick_exit` child at a time in this process, so that the zombie test's
/// gate (see `zombie::gate`) holds only its own child.
static QUICK_EXITS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_quick_exit_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    QUICK_EXITS.lock().unwrap_or_else(|e| e.into_inner())
}

mod states {
    use super::*;
    use crate::ch10_interview::states::{
        classify, process_state, state_letter, ProcState, StateError, SLEEPER, SPINNER,
    };
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// A program may be called anything (15 bytes at most in /proc), `)` and spaces
        /// included: the state is the field after the *last* `)`.
        #[test]
        fn the_state_letter_is_found_whatever_the_program_is_called(
            pid in 1u32..4_000_000,
            comm in "[ -~]{0,15}",
            letter in prop::sample::select(vec!['R', 'S', 'D', 'T', 't', 'Z', 'X', 'I']),
            ppid in 0u32..4_000_000,
        ) {
            let line = format!("{pid} ({comm}) {letter} {ppid} {pid} {pid} 0 -1 4194560 95 0 0 0\n");
            prop_assert_eq!(state_letter(&line), Ok(letter), "in {:?}", line);
        }
    }

    #[test]
    fn a_line_without_a_state_is_malformed() {
        for line in ["", "1234", "1234 (cat)", "1234 (cat) SS 1"] {
            assert_eq!(
                state_letter(line),
                Err(StateError::Malformed(line.to_owned())),
                "{line:?} has no one-letter state after the command name"
            );
        }
    }

    #[test]
    fn linux_letters_map_to_the_textbook_states() {
        use ProcState::*;
        let table = [
            ('R', Runnable),
            ('S', Blocked),
            ('D', Blocked),
            ('I', Blocked),
            ('T', Stopped),
            ('t', Stopped),
            ('Z', Zombie),
            ('X', Zombie),
        ];
        for (letter, state) in table {
            assert_eq!(
                classify(letter),
                Ok(state),
                "letter {letter:?} (man 5 proc)"
            );
        }
        assert_eq!(classify('Q'), Err(StateError::Unknown('Q')));
    }

    /// R means ready *or* running: a process that computes without end is always one of
    /// the two, whether or not it holds a CPU at this instant.
    #[test]
    fn a_computing_child_is_runnable() {
        let child = grader::spawn_ready(SPINNER);
        assert_eq!(process_state(child.id()), Ok(ProcState::Runnable));
    }

    #[test]
    fn a_child_waiting_for_input_is_blocked() {
        let child = grader::spawn_ready(SLEEPER);
        let pid = child.id();
        // After `ready` the child heads for its read: look (under the watchdog) until the
        // kernel reports it blocked there, and keep what was said last. A wrong answer
        // never gets there, and the assertion shows what came back instead.
        let give_up = std::time::Instant::now() + grader::limit() / 2;
        let seen = grader::watchdog(
            "process_state to say that a child blocked reading its stdin is Blocked",
            move || loop {
                match process_state(pid) {
                    Ok(ProcState::Runnable) if std::time::Instant::now() < give_up => {
                        std::thread::yield_now()
                    }
                    other => break other,
                }
            },
        );
        assert_eq!(
            seen,
            Ok(ProcState::Blocked),
            "a child blocked in a read of its stdin (state S in /proc) is Blocked"
        );
        drop(child);
    }

    #[test]
    fn a_child_stopped_by_sigstop_is_stopped() {
        let child = grader::spawn_ready(SPINNER);
        let pid = Pid::from_raw(child.id() as i32);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGSTOP).unwrap();
        grader::watchdog("the child to stop after SIGSTOP", move || {
            waitid(Id::Pid(pid), WaitPidFlag::WSTOPPED | WaitPidFlag::WNOWAIT).expect("waitid")
        });
        assert_eq!(process_state(child.id()), Ok(ProcState::Stopped));
    }

    #[test]
    fn an_exited_child_not_yet_waited_for_is_a_zombie_and_after_the_wait_it_is_gone() {
        let _one = one_quick_exit_at_a_time();
        let mut child = Reaper(
            workbook::process::entry(crate::ch10_interview::zombie::QUICK_EXIT)
                .spawn()
                .expect("cannot start the workbook binary"),
        );
        let pid = child.id();
        wait_exited_unreaped(pid);
        assert_eq!(process_state(pid), Ok(ProcState::Zombie));
        child.wait().unwrap();
        assert_eq!(process_state(pid), Err(StateError::NoSuchProcess(pid)));
    }
}

mod zombie {
    use super::*;
    use crate::ch10_interview::zombie::{gate, Zombie, QUICK_EXIT_CODE};
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::PathBuf;

    /// Reaps `pid` if it is still our unreaped child when the test ends (even failing).
    struct ReapOnDrop(u32);

    impl Drop for ReapOnDrop {
        fn drop(&mut self) {
            let _ = waitpid(Pid::from_raw(self.0 as i32), Some(WaitPidFlag::WNOHANG));
        }
    }

    /// A named pipe at `zombie::gate(our pid)`: our `quick_exit` children wait there
    /// until the test opens it and closes it again. Dropped, it lets any child still
    /// waiting go and removes itself.
    struct Gate(PathBuf);

    impl Gate {
        fn new() -> Self {
            let path = gate(std::process::id());
            let _ = std::fs::remove_file(&path);
            nix::unistd::mkfifo(&path, nix::sys::stat::Mode::from_bits_truncate(0o600))
                .expect("cannot make the gate (a named pipe)");
            Gate(path)
        }

        /// The writing end, once a child has opened the reading end: a proof that the
        /// child is alive and held at the gate. `None` if none came within the limit, or
        /// once `gave_up()` says no child will come.
        fn child_waiting(&self, gave_up: impl Fn() -> bool) -> Option<std::fs::File> {
            let deadline = std::time::Instant::now() + grader::limit();
            loop {
                let opened = std::fs::OpenOptions::new()
                    .write(true)
                    .custom_flags(nix::libc::O_NONBLOCK)
                    .open(&self.0);
                match opened {
                    Ok(file) => return Some(file),
                    Err(_) if std::time::Instant::now() < deadline && !gave_up() => {
                        // A poll interval, not a proof: the proof is the open.
                        std::thread::sleep(std::time::Duration::from_millis(2))
                    }
                    Err(_) => return None,
                }
            }
        }
    }

    impl Drop for Gate {
        fn drop(&mut self) {
            drop(
                std::fs::OpenOptions::new()
                    .write(true)
                    .custom_flags(nix::libc::O_NONBLOCK)
                    .open(&self.0),
            );
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// The name of the thread the test runs `Zombie::spawn` on.
    const SPAWNER: &str = "zombie-spawn";

    /// Whether the thread called [`SPAWNER`] is blocked waiting for a child to exit (in
    /// `waitid` or `wait4`), as `/proc` tells: a thread that sleeps, runs or polls is not.
    fn spawn_is_waiting() -> bool {
        use nix::libc::{SYS_wait4, SYS_waitid};
        grader::blocked_in(
            std::process::id(),
            Some(SPAWNER),
            &[SYS_waitid, SYS_wait4],
            "do_wait",
        )
    }

    /// The child is held at the test's gate, alive, until `spawn` is seen blocked in a
    /// wait for it: a `spawn` that returns at once, polls once, or sleeps "long enough"
    /// returns while its child still runs. Once let go, the child exits, and `spawn`
    /// returns a child in state `Z`, still ours.
    #[test]
    fn spawn_returns_a_child_that_exited_and_stays_a_zombie_of_ours() {
        let _one = one_quick_exit_at_a_time();
        let gate = Gate::new();
        let spawning = std::thread::Builder::new()
            .name(SPAWNER.into())
            .spawn(Zombie::spawn)
            .expect("cannot start a thread");
        let held = gate.child_waiting(|| spawning.is_finished());
        let (spawning, returned_early) = grader::watchdog(
            "Zombie::spawn to block in a wait for its child (the test holds the child \
             alive until spawn waits for it in waitid: a sleep, or a loop of polls, \
             never does)",
            move || loop {
                if spawning.is_finished() {
                    break (spawning, true);
                }
                if spawn_is_waiting() {
                    break (spawning, false);
                }
                // A poll interval, not a proof: the proof is what /proc says.
                std::thread::sleep(std::time::Duration::from_millis(1));
            },
        );
        drop(held);
        let zombie = grader::watchdog("Zombie::spawn to return once its child exited", move || {
            spawning.join().expect("Zombie::spawn panicked")
        })
        .expect("spawn failed");
        let pid = zombie.pid();
        let _guard = ReapOnDrop(pid);
        drop(gate);
        assert!(
            !returned_early,
            "Zombie::spawn returned while its child was still running (the test held it \
             at a gate): block in a wait until the child has exited, do not guess how \
             long it takes"
        );
        assert_eq!(
            grader::proc_state(pid),
            Some('Z'),
            "process {pid} should have exited but still be in the process table (state Z): \
             wait until it exited without reaping it"
        );
        assert_eq!(
            grader::proc_parent(pid),
            Some(std::process::id()),
            "the zombie is our child"
        );
        std::mem::forget(zombie);
    }

    #[test]
    fn reaping_collects_the_exit_status_and_removes_the_zombie() {
        let _one = one_quick_exit_at_a_time();
        let zombie = grader::watchdog(
            "Zombie::spawn to return once its child exited",
            Zombie::spawn,
        )
        .expect("spawn failed");
        let pid = zombie.pid();
        let _guard = ReapOnDrop(pid);
        let status =
            grader::watchdog("Zombie::reap to return", move || zombie.reap()).expect("reap");
        assert_eq!(
            status.code(),
            Some(QUICK_EXIT_CODE),
            "the child's own status"
        );
        assert_eq!(
            grader::proc_state(pid),
            None,
            "after the wait, process {pid} must be gone from /proc (the test's own guard \
             has not reaped anything yet)"
        );
    }
}

mod orphan {
    use super::*;
    use crate::ch10_interview::orphan::PARENT;

    #[test]
    fn the_child_outlives_its_parent_and_is_adopted_and_reaped_by_the_subreaper() {
        let go = Fifo::new("go").unwrap();
        let group = Group::spawn(&mut adopted(PARENT, &go)).expect("cannot start the adopter");
        let output = group.output("the orphan demonstration (does the parent wait for its child?)");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let context = format!("stdout:\n{stdout}\nstderr:\n{stderr}");
        output.assert().success();
        let adopter = number(&fields(&stdout, "adopter=").unwrap(), "adopter");
        let parent = fields(&stdout, "parent ")
            .unwrap_or_else(|| panic!("no `parent pid=… child=…` line from `parent`\n{context}"));
        let adopted = fields(&stdout, "adopted ")
            .unwrap_or_else(|| panic!("no `adopted pid=… ppid=…` line from `child`\n{context}"));
        let (parent_pid, child_pid) = (number(&parent, "pid"), number(&parent, "child"));
        // `parent` started `child_pid`, so that was its parent until it exited.
        assert_eq!(
            number(&adopted, "pid"),
            child_pid,
            "the adopted process is the child `parent` started\n{context}"
        );
        let new_parent = number(&adopted, "ppid");
        assert_ne!(
            new_parent, parent_pid,
            "after its parent exited, the child has a new parent\n{context}"
        );
        assert_eq!(
            new_parent, adopter,
            "the nearest subreaper (the adopter) adopts the orphan\n{context}"
        );
        assert!(
            stdout.lines().any(|l| l == format!("reaped={child_pid}")),
            "the adopter, its new parent, reaps the orphan\n{context}"
        );
        assert!(
            !stdout.contains("no process left to wake"),
            "nobody took the go signal: the child must wait for it (wait_for_go) before \
             it reports, or it may report while its first parent still lives\n{context}"
        );
    }
}

mod fork_twice {
    use super::*;
    use crate::ch10_interview::fork_twice::RUN;

    #[test]
    fn the_launcher_reaps_the_middle_and_the_worker_is_adopted_not_left_a_zombie() {
        let go = Fifo::new("go").unwrap();
        let group = Group::spawn(&mut adopted(RUN, &go)).expect("cannot start the adopter");
        let output = group.output(
            "the double fork (does launch wait for the worker, or the worker hold its pipe?)",
        );
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let context = format!("stdout:\n{stdout}\nstderr:\n{stderr}");
        output.assert().success();
        let adopter = number(&fields(&stdout, "adopter=").unwrap(), "adopter");
        let run = fields(&stdout, "run ")
            .unwrap_or_else(|| panic!("`run` did not report (did launch fail?)\n{context}"));
        let worker = fields(&stderr, "worker ")
            .unwrap_or_else(|| panic!("the worker never reported\n{context}"));
        let (launcher, middle, worker_pid) = (
            number(&run, "pid"),
            number(&run, "middle"),
            number(&run, "worker"),
        );
        assert_eq!(
            run.get("middle_reaped"),
            Some(&"true"),
            "launch must reap the middle process\n{context}"
        );
        assert_eq!(
            number(&worker, "pid"),
            worker_pid,
            "launch returns the worker's pid\n{context}"
        );
        let worker_parent = number(&worker, "ppid");
        assert!(
            worker_parent != launcher && worker_parent != middle,
            "the worker is neither the launcher's nor the middle's child\n{context}"
        );
        assert_eq!(
            worker_parent, adopter,
            "the subreaper adopted the worker\n{context}"
        );
        assert!(
            stdout.lines().any(|l| l == format!("reaped={worker_pid}")),
            "its new parent reaped the worker\n{context}"
        );
    }

    /// The middle is replaced by a stand-in that fails (`grader::entry::FAKE_EXIT_ENV`):
    /// exiting with 3, it is `Middle`; exiting with 0 without a word, `Malformed`.
    #[test]
    fn a_middle_that_fails_or_says_nothing_is_an_error() {
        for (code, clue) in [(3, "the middle process failed"), (0, "not `worker=<pid>`")] {
            let mut cmd = grader::program(RUN, &["/nonexistent/never-opened.fifo"]);
            cmd.env(
                grader::entry::FAKE_EXIT_ENV,
                format!("{}={code}", crate::ch10_interview::fork_twice::MIDDLE),
            );
            let output = Group::spawn(&mut cmd)
                .expect("cannot start the launcher")
                .output("the launcher with a middle that exits at once");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !output.status.success() && stderr.contains(clue),
                "a middle that exits with {code} without printing its line: launch must \
                 fail with an error saying \"{clue}\", but the launcher ended with {} and \
                 said:\n{stderr}",
                output.status
            );
        }
    }
}
