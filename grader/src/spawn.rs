//! Every process the grader starts dies with the test binary, whatever ends it: a Ctrl-C,
//! a crash, the runner's deadline. Each is started with a parent-death signal (SIGKILL).
//!
//! Linux ties that signal to the *thread* that started the child, not to the process, and
//! a test's threads come and go (a watchdog body ends long before the child it started).
//! So the grader starts its children from one thread that lives as long as the process.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::sync::mpsc::{self, Sender};
use std::sync::{Mutex, OnceLock};

type Request = (Command, Sender<io::Result<Child>>);

static SPAWNER: OnceLock<Mutex<Sender<Request>>> = OnceLock::new();

/// Spawns `cmd` (like `Command::spawn`) so that the child is killed if this process dies.
pub fn spawn(cmd: Command) -> io::Result<Child> {
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("grader-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(spawn_here(&mut cmd));
                }
            })
            .expect("cannot start the grader's spawner thread");
        Mutex::new(tx)
    });
    let (reply, answer) = mpsc::channel();
    spawner
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((cmd, reply))
        .map_err(|_| io::Error::other("the grader's spawner thread is gone"))?;
    answer
        .recv()
        .map_err(|_| io::Error::other("the grader's spawner thread is gone"))?
}

fn spawn_here(cmd: &mut Command) -> io::Result<Child> {
    use nix::libc;
    let parent = std::process::id() as i32;
    // SAFETY: only async-signal-safe calls (prctl, getppid, _exit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::getppid() != parent {
                libc::_exit(1); // the test binary died before the line above
            }
            Ok(())
        });
    }
    cmd.spawn()
}
