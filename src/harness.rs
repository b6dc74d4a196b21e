//! The grading harness: one place for everything the chapter suites share.
//!
//! - [`watchdog`]: a test body that blocks on a learner's bug fails within seconds, with a
//!   message saying what was probably wrong, instead of hanging `cargo test`.
//! - Rendezvous that prove concurrency by structure, never by the clock: [`StartLine`]
//!   ("every participant was running at one moment"), [`PeakCounter`] ("never more than N
//!   inside at once"), [`Fifo`] (a named pipe whose open blocks until the other end opens).
//! - Process hygiene: [`Group`] runs a program in its own process group, collects its output
//!   under a deadline and kills and reaps the whole group when dropped, even on panic.
//!
//! Timeouts here are failure detectors only: a correct solution never waits for one.

use std::any::Any;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

/// How long a grader waits for progress before it calls a test stuck: 5 s, or
/// `WORKBOOK_TIMEOUT_SECS` on a very slow machine. A correct solution never comes close.
pub fn limit() -> Duration {
    std::env::var("WORKBOOK_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(5))
}

/// How long one loom model check may take (they explore thousands of interleavings).
pub fn loom_limit() -> Duration {
    limit() * 12
}

/// The watchdog's verdict, so the runner can tell a hang from a wrong answer.
pub const STUCK: &str = "no progress after";

/// Runs `body` on its own thread and returns its result; fails the calling test if the body
/// panics (with the body's own message) or makes no progress within [`limit`].
///
/// `what` names the step, as in "`two_files` reading both files".
#[track_caller]
pub fn watchdog<T, F>(what: &str, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    watchdog_for(limit(), what, body)
}

/// [`watchdog`] with an explicit limit.
#[track_caller]
pub fn watchdog_for<T, F>(limit: Duration, what: &str, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let name = thread::current().name().unwrap_or("watchdog").to_owned();
    thread::Builder::new()
        .name(name)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
            let _ = tx.send(result);
        })
        .expect("watchdog: cannot spawn the test body");
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!(
            "{STUCK} {limit:?} in {what}: is a lock never released, a thread or child never \
             joined, a condition never notified, or two parties waiting on each other?"
        ),
    }
}

/// Set in the process that runs one loom model (see [`run_loom_model`]).
const LOOM_MODEL_ENV: &str = "WORKBOOK_LOOM_MODEL";

/// Whether this process was started by [`run_loom_model`] to run a model itself.
pub fn in_loom_model_process() -> bool {
    std::env::var_os(LOOM_MODEL_ENV).is_some()
}

/// Runs the current test again in a child process that executes its loom model, and fails
/// with loom's finding if the model fails.
///
/// Why a process: when loom finds a deadlock it panics, and unwinding through its
/// suspended threads can panic again, which aborts the whole process. In a child of its own
/// that abort costs one test, not the suite; and a model that runs too long is killed there
/// instead of spinning on in the background.
#[track_caller]
pub fn run_loom_model(what: &str) {
    let current = thread::current();
    let test = current
        .name()
        .filter(|name| name.contains("loom_"))
        .unwrap_or_else(|| panic!("{what}: loom checks must run in a test named `loom_*`"));
    let me = std::env::current_exe().expect("cannot find the test binary");
    let mut cmd = Command::new(me);
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(LOOM_MODEL_ENV, "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null());
    let output = Group::spawn(&mut cmd)
        .expect("cannot start the loom model process")
        .output_within(loom_limit(), &format!("the loom model of {what}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    if output.status.success() && stdout.contains("1 passed") {
        return;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let finding = first_panic_message(&stderr).unwrap_or_else(|| stderr.trim().to_owned());
    let hint = if finding.starts_with("deadlock") {
        " (a deadlock: in some interleaving every thread waits for another)"
    } else {
        ""
    };
    panic!("loom found an interleaving where {what} fails: {finding}{hint}");
}

/// The message of the first `thread '…' panicked at …:` report in a test's output.
pub fn first_panic_message(output: &str) -> Option<String> {
    let mut lines = output.lines();
    lines.find(|line| line.contains("panicked at"))?;
    let message: Vec<&str> = lines
        .take_while(|line| !line.starts_with("note:") && !line.contains("panicked at"))
        .collect();
    Some(message.join("\n").trim().to_owned()).filter(|m| !m.is_empty())
}

/// The message of a caught panic payload (`&str` or `String`), for friendly reports.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

/// A start line for `n` participants: [`arrive`](StartLine::arrive) returns only once all
/// `n` have arrived, so every participant that got past it was running at the same moment
/// as all the others. Sequential code never gets everyone there: the first participant
/// gives up after [`limit`] with [`NotTogether`].
#[derive(Debug)]
pub struct StartLine {
    expected: usize,
    arrived: Mutex<usize>,
    all_here: Condvar,
}

/// Returned by [`StartLine::arrive`] when the others never came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("only {arrived} of {expected} participants were ever running at the same time")]
pub struct NotTogether {
    pub arrived: usize,
    pub expected: usize,
}

impl StartLine {
    pub fn new(expected: usize) -> Self {
        StartLine {
            expected,
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        }
    }

    /// Arrives and waits (at most [`limit`]) until all participants have arrived.
    pub fn arrive(&self) -> Result<(), NotTogether> {
        let mut arrived = self.arrived.lock().unwrap_or_else(|e| e.into_inner());
        *arrived += 1;
        self.all_here.notify_all();
        let deadline = Instant::now() + limit();
        while *arrived < self.expected {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(NotTogether {
                    arrived: *arrived,
                    expected: self.expected,
                });
            }
            arrived = self
                .all_here
                .wait_timeout(arrived, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        Ok(())
    }

    /// How many have arrived so far.
    pub fn arrived(&self) -> usize {
        *self.arrived.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Counts how many participants are inside a section at once and remembers the peak.
#[derive(Debug, Default)]
pub struct PeakCounter {
    inside: AtomicUsize,
    peak: AtomicUsize,
}

/// Leaves the section when dropped.
#[derive(Debug)]
pub struct Inside<'a>(&'a PeakCounter);

impl PeakCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Enters the section; the returned guard leaves it.
    pub fn enter(&self) -> Inside<'_> {
        let now = self.inside.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Inside(self)
    }

    /// The most that were ever inside at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// How many are inside now.
    pub fn inside(&self) -> usize {
        self.inside.load(Ordering::SeqCst)
    }
}

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.inside.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A named pipe (FIFO) in a temporary directory that removes itself.
///
/// Opening a FIFO blocks until the other end is opened too, which makes it a cross-process
/// rendezvous: a test that holds the writing end of two FIFOs open at once, before writing a
/// byte, proves that two readers were blocked reading at the same moment.
#[derive(Debug)]
pub struct Fifo {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

/// Why a FIFO's writing end could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum FifoError {
    #[error("nobody opened {path} for reading (waited up to {waited:?})")]
    NoReader { path: PathBuf, waited: Duration },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl Fifo {
    /// Makes a FIFO called `name` in a fresh temporary directory.
    pub fn new(name: &str) -> io::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("workbook-fifo-")
            .tempdir()?;
        let path = dir.path().join(name);
        nix::unistd::mkfifo(&path, nix::sys::stat::Mode::from_bits_truncate(0o600))
            .map_err(io::Error::from)?;
        Ok(Fifo { path, _dir: dir })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the writing end, waiting at most `within` for a reader to open the other end.
    ///
    /// Polls with a non-blocking open (which fails with `ENXIO` while there is no reader)
    /// so that a missing reader becomes an error instead of a thread blocked forever.
    pub fn open_writer(&self, within: Duration) -> Result<File, FifoError> {
        self.open_writer_while(within, || true)
    }

    /// [`open_writer`](Fifo::open_writer), giving up early once `worth_waiting` says no
    /// (e.g. the program that should open the reading end has exited).
    pub fn open_writer_while(
        &self,
        within: Duration,
        mut worth_waiting: impl FnMut() -> bool,
    ) -> Result<File, FifoError> {
        let deadline = Instant::now() + within;
        let opened = open_fifo_writer(&self.path, || {
            Ok(Instant::now() < deadline && worth_waiting())
        });
        match opened {
            Ok(Some(file)) => Ok(file),
            Ok(None) => Err(FifoError::NoReader {
                path: self.path.clone(),
                waited: within,
            }),
            Err(source) => Err(self.io(source)),
        }
    }

    /// Writes `data` to the FIFO once a reader has opened it, then closes the writing end
    /// (so the reader sees end-of-file).
    pub fn write_all_within(&self, within: Duration, data: &[u8]) -> Result<(), FifoError> {
        let mut file = self.open_writer(within)?;
        file.write_all(data).map_err(|source| self.io(source))
    }

    fn io(&self, source: io::Error) -> FifoError {
        FifoError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

/// Opens the writing end of the FIFO at `path` once a reader has the other end open,
/// polling a non-blocking open (which fails with `ENXIO` while there is no reader) so that
/// a missing reader never blocks a thread for ever. `None` once `keep_waiting` says no.
fn open_fifo_writer(
    path: &Path,
    mut keep_waiting: impl FnMut() -> io::Result<bool>,
) -> io::Result<Option<File>> {
    loop {
        match OpenOptions::new()
            .write(true)
            .custom_flags(nix::libc::O_NONBLOCK)
            .open(path)
        {
            Ok(file) => return set_blocking(file).map(Some),
            Err(e) if e.raw_os_error() == Some(nix::libc::ENXIO) => {
                if !keep_waiting()? {
                    return Ok(None);
                }
                // A poll interval, not a proof: the proof is that the open succeeded.
                thread::sleep(Duration::from_millis(2));
            }
            Err(e) => return Err(e),
        }
    }
}

fn set_blocking(file: File) -> io::Result<File> {
    use nix::fcntl::{fcntl, FcntlArg, OFlag};
    let flags =
        OFlag::from_bits_truncate(fcntl(&file, FcntlArg::F_GETFL).map_err(io::Error::from)?);
    fcntl(&file, FcntlArg::F_SETFL(flags - OFlag::O_NONBLOCK)).map_err(io::Error::from)?;
    Ok(file)
}

/// A program running in a process group of its own, with its output captured.
///
/// Every process it starts inherits the group, so dropping the `Group` (at the end of a test,
/// or while a failing test unwinds) kills every one of them and reaps the leader: no zombie,
/// no orphan outlives the test.
///
/// Its stdout is read line by line as it comes, so a test can wait for one line
/// ([`line`](Group::line)) and talk back ([`say`](Group::say), when stdin is piped) before
/// collecting everything with [`output`](Group::output).
#[derive(Debug)]
pub struct Group {
    child: Child,
    pgid: Pid,
    /// The command line, for messages.
    name: String,
    /// One stdout line per message (with its newline); disconnected at end-of-file.
    stdout_lines: mpsc::Receiver<Vec<u8>>,
    stdout_seen: Vec<u8>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Disconnected once stderr reached end-of-file.
    stderr_done: mpsc::Receiver<()>,
    reaped: bool,
}

impl Group {
    /// Spawns `cmd` as the leader of a new process group, stdin closed (unless the caller
    /// configured it), stdout and stderr captured.
    pub fn spawn(cmd: &mut Command) -> io::Result<Self> {
        cmd.process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let name = command_line(cmd);
        let mut child = cmd.spawn()?;
        let pgid = Pid::from_raw(child.id() as i32);
        let stdout_lines = read_lines(child.stdout.take().expect("piped stdout"));
        let (stderr, stderr_done) = read_into(child.stderr.take().expect("piped stderr"));
        Ok(Group {
            child,
            pgid,
            name,
            stdout_lines,
            stdout_seen: Vec::new(),
            stderr,
            stderr_done,
            reaped: false,
        })
    }

    /// The leader's pid (also the group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The leader's stdin, if the command was given `Stdio::piped()` for it.
    pub fn stdin(&mut self) -> Option<&mut std::process::ChildStdin> {
        self.child.stdin.as_mut()
    }

    /// Writes `line` and a newline to the leader's stdin (which must be piped).
    #[track_caller]
    pub fn say(&mut self, line: &str) {
        let name = self.name.clone();
        let stdin = self
            .stdin()
            .unwrap_or_else(|| panic!("{name}: give its command Stdio::piped() for stdin"));
        writeln!(stdin, "{line}").unwrap_or_else(|e| panic!("{name} closed its stdin: {e}"));
    }

    /// Waits (at most [`limit`]) for a line of stdout for which `wanted` holds and returns
    /// it (without its newline); the lines before it are kept for [`output`](Group::output).
    #[track_caller]
    pub fn line(&mut self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout_lines.recv_timeout(left) {
                Ok(bytes) => {
                    self.stdout_seen.extend_from_slice(&bytes);
                    let line = String::from_utf8_lossy(&bytes);
                    let line = line.trim_end_matches(['\n', '\r']);
                    if wanted(line) {
                        return line.to_owned();
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                    "{STUCK} {:?}: {} never printed {what}.\n{}",
                    limit(),
                    self.name,
                    self.transcript()
                ),
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!(
                    "{} closed its stdout without printing {what}.\n{}",
                    self.name,
                    self.transcript()
                ),
            }
        }
    }

    /// What stderr has said so far.
    pub fn stderr_so_far(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }

    fn transcript(&self) -> String {
        format!(
            "its stdout so far:\n{}\nits stderr so far:\n{}",
            String::from_utf8_lossy(&self.stdout_seen),
            self.stderr_so_far()
        )
    }

    /// Waits (at most [`limit`]) for the leader to exit and for every process holding its
    /// output pipes to close them, and returns the output. On timeout the whole group is
    /// killed and the test fails with a message naming `what`.
    #[track_caller]
    pub fn output(self, what: &str) -> Output {
        self.output_within(limit(), what)
    }

    /// [`output`](Group::output) with an explicit limit.
    #[track_caller]
    pub fn output_within(mut self, limit: Duration, what: &str) -> Output {
        drop(self.child.stdin.take());
        let Some(status) = self.wait_within(limit) else {
            self.kill();
            panic!(
                "{STUCK} {limit:?}: {what} did not finish: is it waiting for something that \
                 never comes (a child never reaped, a pipe never closed)?\n{}",
                self.transcript()
            )
        };
        // The pipes close when the last process holding them exits. If the leader is gone
        // but they stay open, it left a process running behind it.
        let deadline = Instant::now() + limit;
        let left_behind = |group: &mut Group| -> ! {
            group.kill();
            panic!(
                "{what} exited but left a process running behind it (its output stayed \
                 open): wait for every child before exiting"
            )
        };
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout_lines.recv_timeout(left) {
                Ok(bytes) => self.stdout_seen.extend_from_slice(&bytes),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => left_behind(&mut self),
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if let Err(mpsc::RecvTimeoutError::Timeout) = self.stderr_done.recv_timeout(left) {
            left_behind(&mut self);
        }
        Output {
            status,
            stdout: std::mem::take(&mut self.stdout_seen),
            stderr: self.stderr_so_far().into_bytes(),
        }
    }

    /// Waits at most `within` for the leader to exit.
    pub fn wait_within(&mut self, within: Duration) -> Option<ExitStatus> {
        let status = wait_within(&mut self.child, within)?;
        self.reaped = true;
        Some(status)
    }

    /// Whether the leader is still running (reaps it if it has exited).
    pub fn running(&mut self) -> bool {
        !self.reaped && self.wait_within(Duration::ZERO).is_none()
    }

    /// Whether any process of the group is still alive (or a zombie not yet reaped).
    pub fn anyone_left(&self) -> bool {
        group_alive(self.pgid)
    }

    /// Kills every process in the group and reaps the leader; the status the leader died
    /// with, if it was still ours to reap.
    pub fn kill(&mut self) -> Option<ExitStatus> {
        let _ = killpg(self.pgid, Signal::SIGKILL);
        if self.reaped {
            return None;
        }
        self.reaped = true;
        self.child.wait().ok()
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `workbook __entry NAME ARGS` and the like, for messages.
fn command_line(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    std::iter::once(program)
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads `pipe` line by line on a helper thread; each line (with its newline) arrives on
/// the returned channel, which disconnects at end-of-file.
fn read_lines(pipe: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut pipe = io::BufReader::new(pipe);
        loop {
            let mut line = Vec::new();
            match io::BufRead::read_until(&mut pipe, b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    if tx.send(line).is_err() {
                        return;
                    }
                }
            }
        }
    });
    rx
}

/// Reads `pipe` to its end on a helper thread into the returned buffer; the returned
/// channel disconnects once it is done.
fn read_into(mut pipe: impl Read + Send + 'static) -> (Arc<Mutex<Vec<u8>>>, mpsc::Receiver<()>) {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let (done, done_rx) = mpsc::channel::<()>();
    let sink = Arc::clone(&buffer);
    thread::spawn(move || {
        let _done = done;
        let mut chunk = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(&chunk[..n]);
        }
    });
    (buffer, done_rx)
}

/// A child process that is killed (SIGKILL) and reaped when dropped, even while a failing
/// test unwinds. Derefs to the [`Child`], so it can be handed to code under test as
/// `&mut Child`.
#[derive(Debug)]
pub struct Reaper(pub Child);

impl std::ops::Deref for Reaper {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Reaper {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Whether any process in group `pgid` still exists.
pub fn group_alive(pgid: Pid) -> bool {
    !matches!(killpg(pgid, None), Err(Errno::ESRCH))
}

/// Waits at most `within` for `child` to exit; `None` if it is still running.
pub fn wait_within(child: &mut Child, within: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + within;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(2)),
            _ => return None,
        }
    }
}

/// The state letter of process `pid` from `/proc/<pid>/stat` (`R`, `S`, `Z` for a zombie, …),
/// or `None` when no such process exists (it was reaped).
pub fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces: the state follows the last ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().next()?.chars().next()
}

/// The parent pid of process `pid` from `/proc/<pid>/stat`.
pub fn proc_parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// Writes `contents` to a file called `name` inside `dir` and returns its path.
pub fn write_file(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    path
}

/// A fresh temporary directory that removes itself when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("workbook-")
        .tempdir()
        .expect("cannot create a temporary directory")
}

// ---- orphans: a known new parent (used by chapter 10) ----

/// Entry point `ch10_interview::adopter FIFO ENTRY ARGS...`: a deterministic new parent
/// for orphans (chapter 10's `orphan` and `fork_twice` tests).
///
/// 1. Becomes a *child subreaper* (`PR_SET_CHILD_SUBREAPER`): an orphan below it is
///    re-parented to it instead of to pid 1 (or to whichever subreaper the test runner sits
///    under), so the test knows who the new parent must be; prints `adopter=<pid>`.
/// 2. Runs entry point ENTRY with ARGS and waits for it: once that has been reaped, any
///    process it left behind has already been re-parented.
/// 3. Only then opens FIFO for writing and writes `go` (the rendezvous the orphans wait
///    for), giving up if no process is left that could read it.
/// 4. Reaps every adopted process, printing `reaped=<pid>` for each: no zombie is left.
pub fn adopter(args: &[String]) -> io::Result<()> {
    let [fifo, entry, rest @ ..] = args else {
        return Err(io::Error::other("usage: adopter FIFO ENTRY [ARGS...]"));
    };
    nix::sys::prctl::set_child_subreaper(true).map_err(io::Error::from)?;
    println!("adopter={}", std::process::id());
    io::stdout().flush()?;
    let status = crate::process::entry(entry).args(rest).status()?;
    println!("entry exited: {status}");
    io::stdout().flush()?;
    if let Some(mut writer) = open_writer_while_children(Path::new(fifo))? {
        writer.write_all(b"go\n")?;
    }
    loop {
        match nix::sys::wait::waitpid(None, None) {
            Ok(status) => {
                if let Some(pid) = status.pid() {
                    println!("reaped={pid}");
                }
            }
            Err(Errno::ECHILD) => return Ok(()),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Opens `fifo` for writing once a reader opened it; `None` when no child is left alive to
/// open it (reaping, and reporting, any that exited meanwhile).
fn open_writer_while_children(fifo: &Path) -> io::Result<Option<File>> {
    use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
    open_fifo_writer(fifo, || loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => return Ok(true),
            Ok(status) => {
                if let Some(pid) = status.pid() {
                    println!("reaped={pid}");
                }
            }
            Err(Errno::ECHILD) => {
                println!("adopter: no process left to wake");
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        }
    })
}

// ---- children started by the code under test (used by chapter 8) ----

/// The variable naming the file a helper child appends its pid to (see [`record_pid`]).
pub const PIDFILE_ENV: &str = "WORKBOOK_PIDFILE";

/// Child side of [`ChildTracker`]: appends this process's pid to the file named by
/// `WORKBOOK_PIDFILE`, if that is set. Helper programs call it first thing.
pub fn record_pid() -> io::Result<()> {
    let Some(path) = std::env::var_os(PIDFILE_ENV) else {
        return Ok(());
    };
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    // One short write: lines from several processes never interleave.
    file.write_all(format!("{}\n", std::process::id()).as_bytes())
}

/// Cleans up after children that *code under test* starts (so no `Child` reaches the test):
/// [`apply`](ChildTracker::apply) makes the command a process-group leader that records its
/// pid (see [`record_pid`]); on drop, every recorded process still there is killed with
/// SIGKILL (its whole group) and reaped if it is ours — even while a failing test unwinds
/// and the code under test is stuck holding its `Child`.
#[derive(Debug)]
pub struct ChildTracker {
    file: PathBuf,
    _dir: tempfile::TempDir,
}

impl ChildTracker {
    pub fn new() -> Self {
        let dir = temp_dir();
        let file = dir.path().join("pids");
        ChildTracker { file, _dir: dir }
    }

    /// Makes `cmd` record its pid here and lead a process group of its own.
    pub fn apply<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        cmd.env(PIDFILE_ENV, &self.file).process_group(0)
    }

    /// The pids recorded so far, in order.
    pub fn pids(&self) -> Vec<u32> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.trim().parse().ok())
            .collect()
    }
}

impl Default for ChildTracker {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ChildTracker {
    fn drop(&mut self) {
        let me = std::process::id();
        for pid in self.pids() {
            let Some(state) = proc_state(pid) else {
                continue;
            };
            let target = Pid::from_raw(pid as i32);
            if state != 'Z' {
                let _ = killpg(target, Signal::SIGKILL);
                let _ = nix::sys::signal::kill(target, Signal::SIGKILL);
            }
            if proc_parent(pid) == Some(me) {
                // Ours: reap it (if the code under test reaps it first, this is ECHILD).
                let _ = nix::sys::wait::waitpid(target, None);
            }
        }
    }
}

// ---- running the workbook's own entry points from tests ----

/// `workbook __entry NAME ARGS...` with stdin closed: an exercise's program, as a learner
/// would run it. Run it through [`Group`] (or [`run_program`]) so nothing outlives the test.
pub fn program(name: &str, args: &[&str]) -> Command {
    let mut cmd = crate::process::entry(name);
    cmd.args(args).stdin(Stdio::null());
    cmd
}

/// Runs [`program`] in its own process group and returns its output (see
/// [`Group::output`]: a hang fails within [`limit`], and nothing is left running).
#[track_caller]
pub fn run_program(name: &str, args: &[&str]) -> Output {
    Group::spawn(&mut program(name, args))
        .expect("cannot start the workbook binary")
        .output(name)
}

/// Starts entry point `name` with stdin and stdout piped and waits (under the watchdog) for
/// it to print `ready`: from then on the child has set itself up (signal dispositions, a
/// lock taken…), so what the test does next does not depend on timing. The [`Reaper`]
/// kills and reaps the child if the test ends before it did.
#[track_caller]
pub fn spawn_ready(name: &str) -> Reaper {
    let mut child = Reaper(
        crate::process::entry(name)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("cannot start the workbook binary"),
    );
    let stdout = child.stdout.take().expect("piped stdout");
    let line = watchdog(&format!("waiting for {name} to print `ready`"), move || {
        let mut line = String::new();
        io::BufRead::read_line(&mut io::BufReader::new(stdout), &mut line).map(|_| line)
    });
    let line = line.unwrap_or_else(|e| panic!("reading {name}'s stdout: {e}"));
    assert_eq!(line, "ready\n", "{name} must announce itself with `ready`");
    child
}
