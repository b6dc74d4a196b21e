//! Running what the runner starts (cargo, test binaries, programs) so that nothing
//! outlives it: each child leads a process group of its own, dies with the runner
//! (a parent-death signal), and is killed with its whole group when it is done, when its
//! deadline passes, or when the learner presses Ctrl-C or closes the terminal. The runner
//! is a child subreaper, so a grandchild orphaned by a killed test comes back to it, and is
//! killed and reaped too.

use std::collections::BTreeSet;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use nix::libc;
use nix::sys::signal::{kill, killpg, Signal};
use nix::sys::wait::waitpid;
use nix::unistd::Pid;

use super::libtest::{self, Outcome, TestName};

/// Process groups started and not yet cleaned up: what a Ctrl-C must kill.
static GROUPS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// The temporary folders of tests still running: what a Ctrl-C must remove.
static TEMP_DIRS: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// Makes the runner a child subreaper and installs the Ctrl-C / hang-up / terminate
/// handling that kills everything it started before it exits. Call once, first thing.
pub fn guard_this_process() {
    let _ = nix::sys::prctl::set_child_subreaper(true);
    signals::install();
}

/// Spawns `cmd` as the leader of a new process group that dies with the runner; the group
/// is killed by [`finish`] (or by a Ctrl-C) — call it once the child has been waited for.
pub fn spawn_guarded(cmd: &mut Command) -> std::io::Result<Child> {
    let parent = std::process::id() as i32;
    cmd.process_group(0);
    // SAFETY: only async-signal-safe calls (prctl, getppid, _exit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::getppid() != parent {
                libc::_exit(1); // the runner died before the line above
            }
            Ok(())
        });
    }
    // Spawned and registered under the lock, so `reap_orphans` never mistakes a child
    // that has just started for an orphan.
    let mut groups = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
    let child = cmd.spawn()?;
    groups.insert(child.id() as i32);
    Ok(child)
}

/// Kills what is left of `child`'s group and every orphan that came back to the runner.
/// Call it once `child` itself has been waited for.
pub fn finish(child: &Child) {
    let pgid = child.id() as i32;
    let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
    let others_running = {
        let mut groups = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
        groups.remove(&pgid);
        !groups.is_empty()
    };
    // An orphan that came back while another test binary runs may be that binary's
    // (a test's child whose parent has exited, still being waited for): sweep only
    // when none is running. The last `finish`, and `kill_all`, sweep the rest.
    if !others_running {
        reap_orphans();
    }
}

/// Kills and reaps the runner's children that it did not start itself: orphans of a test
/// that was killed, re-parented here because the runner is a subreaper.
pub fn reap_orphans() {
    let me = std::process::id();
    let my_group = nix::unistd::getpgrp().as_raw();
    let ours = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        // A child in the runner's own group is one it started itself and waits for
        // (`git`, a test binary's `--list`, perhaps on another thread): not an orphan.
        // An orphan of a test is in that test's group, or in a group it made.
        let Some((parent, group)) = parent_and_group(pid) else {
            continue;
        };
        if parent != me || group == my_group || ours.contains(&pid) {
            continue;
        }
        // Ours by adoption: kill it (and the group it may lead), then reap it.
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        let _ = waitpid(Pid::from_raw(pid), None);
    }
}

/// `pid`'s parent and process group, from `/proc/PID/stat`.
fn parent_and_group(pid: i32) -> Option<(u32, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let mut fields = after.split_whitespace().skip(1);
    let parent = fields.next()?.parse().ok()?;
    let group = fields.next()?.parse().ok()?;
    Some((parent, group))
}

/// Kills every group the runner started (on Ctrl-C, a hang-up, or an error exit).
pub fn kill_all() {
    let groups = std::mem::take(&mut *GROUPS.lock().unwrap_or_else(|e| e.into_inner()));
    for pgid in groups {
        let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
        let _ = waitpid(Pid::from_raw(pgid), None);
    }
    reap_orphans();
    let dirs = std::mem::take(&mut *TEMP_DIRS.lock().unwrap_or_else(|e| e.into_inner()));
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A test's own temporary folder (its `TMPDIR`), removed when the test and everything it
/// started are gone: whatever the test or the code it grades left there — a watchdog
/// gave up on a body, the deadline killed the process — goes with it. Named
/// `workbook-PID-test-N` for the runner's id, so that the grader removes it should the
/// runner itself be killed.
struct TestTemp(PathBuf);

impl TestTemp {
    fn new() -> std::io::Result<TestTemp> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("workbook-{}-test-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        TEMP_DIRS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.clone());
        Ok(TestTemp(dir))
    }
}

impl Drop for TestTemp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        TEMP_DIRS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.0);
    }
}

/// Runs a program by hand (`cargo run -- run …`) in the runner's own process group, so it
/// owns the terminal (Ctrl-C and keyboard input reach it), dying with the runner.
pub fn run_in_foreground(cmd: &mut Command) -> std::io::Result<ExitStatus> {
    let parent = std::process::id() as i32;
    // SAFETY: only async-signal-safe calls between fork and exec (see `spawn_guarded`).
    unsafe {
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
    let status = cmd.spawn()?.wait();
    reap_orphans();
    status
}

/// Runs test `name` of binary `exe` alone, in a process group of its own, under its
/// deadline, and reads its outcome.
pub fn run_test(root: &Path, exe: &Path, name: &TestName, env: &[(&str, &str)]) -> Outcome {
    let temp = match TestTemp::new() {
        Ok(temp) => temp,
        Err(e) => {
            return Outcome::Vanished {
                how: format!("cannot make a temporary folder for the test: {e}"),
            }
        }
    };
    let mut cmd = libtest::command(exe, name);
    cmd.envs(env.iter().copied())
        .env("TMPDIR", &temp.0)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match spawn_guarded(&mut cmd) {
        Ok(child) => child,
        Err(e) => {
            return Outcome::Vanished {
                how: format!("cannot start {}: {e}", exe.display()),
            }
        }
    };
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let limit = libtest::deadline(name);
    let status = wait_within(&mut child, limit);
    if status.is_none() {
        let _ = killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
        let _ = child.wait();
    }
    // Whatever the test left in its group goes now; that also closes the pipes. Then its
    // temporary folder, which nothing uses any more.
    finish(&child);
    drop(temp);
    let Some(status) = status else {
        return Outcome::TimedOut {
            seconds: limit.as_secs(),
        };
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    libtest::outcome(status, &stdout, &stderr)
}

/// Runs `jobs` (binary, test) on up to `parallel` processes at once, with `env` added to
/// each test's environment; `done` hears of each as it finishes. Outcomes come back in the
/// order of `jobs`.
pub fn run_tests<'a>(
    root: &Path,
    jobs: &[(&'a Path, &'a TestName)],
    env: &[(&str, &str)],
    parallel: usize,
    done: &(dyn Fn(usize, &Outcome) + Sync),
) -> Vec<Outcome> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; jobs.len()]);
    thread::scope(|s| {
        for _ in 0..parallel.clamp(1, jobs.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((exe, name)) = jobs.get(i) else {
                    return;
                };
                let outcome = run_test(root, exe, name, env);
                done(i, &outcome);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|o| {
            o.unwrap_or(Outcome::Vanished {
                how: "never run".into(),
            })
        })
        .collect()
}

/// How many tests run at once: `WORKBOOK_JOBS`, or twice the cores (most of a failing
/// test's time is spent waiting for its watchdog, not computing).
pub fn parallelism() -> usize {
    std::env::var("WORKBOOK_JOBS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| thread::available_parallelism().map_or(2, |n| n.get() * 2))
}

fn read_all(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits at most `limit` for `child`; `None` if it is still running.
pub fn wait_within(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            _ => return None,
        }
    }
}

/// Ctrl-C (SIGINT), a closed terminal (SIGHUP) and SIGTERM: kill everything the runner
/// started, then die of the same signal.
mod signals {
    use std::os::fd::{AsRawFd, OwnedFd};
    use std::sync::OnceLock;

    use nix::libc;
    use nix::sys::signal::{raise, sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};

    static PIPE: OnceLock<(OwnedFd, OwnedFd)> = OnceLock::new();

    extern "C" fn on_signal(signal: libc::c_int) {
        if let Some((_, write)) = PIPE.get() {
            let byte = signal as u8;
            // SAFETY: write(2) is async-signal-safe; the fd lives as long as the process.
            unsafe {
                libc::write(write.as_raw_fd(), (&byte as *const u8).cast(), 1);
            }
        }
    }

    pub fn install() {
        let Ok(pipe) = nix::unistd::pipe() else {
            return;
        };
        if PIPE.set(pipe).is_err() {
            return;
        }
        let action = SigAction::new(
            SigHandler::Handler(on_signal),
            SaFlags::SA_RESTART,
            SigSet::empty(),
        );
        for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            // SAFETY: the handler only writes one byte to a pipe.
            let _ = unsafe { sigaction(signal, &action) };
        }
        std::thread::spawn(|| {
            let Some((read, _)) = PIPE.get() else { return };
            let mut byte = [0u8; 1];
            // SAFETY: reading one byte from our own pipe.
            let n = unsafe { libc::read(read.as_raw_fd(), byte.as_mut_ptr().cast(), 1) };
            if n != 1 {
                return;
            }
            super::kill_all();
            let signal = Signal::try_from(byte[0] as i32).unwrap_or(Signal::SIGTERM);
            let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
            // SAFETY: restoring the default action, then dying of the signal as asked.
            let _ = unsafe { sigaction(signal, &default) };
            let _ = raise(signal);
            std::process::exit(128 + byte[0] as i32);
        });
    }
}
