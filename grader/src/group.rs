//! Programs in process groups of their own: output under a deadline, and the whole group
//! killed and reaped when the [`Group`] is dropped, even while a failing test unwinds.

use std::io::{self, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

use crate::{group_alive, limit, wait_within, STUCK};

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
    /// configured it), stdout and stderr captured, killed if this process dies. The
    /// command is used up.
    pub fn spawn(cmd: &mut Command) -> io::Result<Self> {
        cmd.process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let name = command_line(cmd);
        // The command is used up: its child dies with this process (see `spawn`).
        let mut child = crate::spawn::spawn(std::mem::replace(cmd, Command::new("")))?;
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
