//! Starting a child process that runs one function of an exercise file.
//!
//! Python's `Process(target=f, args=(...))` hands a *function* to a new process: on Linux
//! `fork` copies the parent, function included. Rust programs do not fork-and-continue (a
//! forked copy of a multi-threaded program may only call async-signal-safe functions), so a
//! child process here is a fresh run of the program the exercise lives in, asked to call
//! one named function: [`entry`]`("two_files::reader")`.
//!
//! That program is the chapter's own test binary (or bench): its functions for child
//! processes are listed in `workbook.toml` (`entries`), and the build script makes a table
//! of them ([`Entry`]) and a hook that runs before `main`: started as `PROGRAM __entry NAME
//! ARGS...`, the binary runs entry `NAME` with `ARGS` and exits, never reaching the test
//! harness, so the child's stdout carries exactly what the function prints.
//!
//! A `main` entry (a program) runs on a thread called `main`, as a Rust program's `main`
//! does; any other entry runs on the process's first thread itself, so what `/proc` says
//! of the process is what that function does (running, sleeping, stopped).
//!
//! The learner starts one by hand with `cargo run -- run two_files A B`.

use std::error::Error;
use std::io;
use std::path::Path;
use std::process::Command;

/// What an entry function returns: `Err` is printed on stderr and becomes exit status 1.
pub type EntryResult = Result<(), Box<dyn Error>>;

/// One function a child process can run: `NAME` for a file's `main`, `NAME::f` otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub run: fn(&[String]) -> EntryResult,
}

/// The first argument that makes a chapter binary run an entry instead of its tests.
pub const DOOR: &str = "__entry";

/// A command that runs entry `name` of this program in a new process; add its arguments
/// with `.arg`, its pipes with `.stdin`/`.stdout`, as for any `Command`.
///
/// ```no_run
/// let status = workbook::process::entry("two_files::reader")
///     .arg("notes.txt")
///     .status()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn entry(name: &str) -> Command {
    let me = std::env::current_exe().unwrap_or_else(|_| "/proc/self/exe".into());
    entry_in(&me, name)
}

/// [`entry`] of the chapter binary `exe` (how the runner starts a program by hand).
pub fn entry_in(exe: &Path, name: &str) -> Command {
    let mut cmd = Command::new(exe);
    cmd.arg(DOOR).arg(name);
    cmd
}

/// The variable naming the file a helper child appends its pid to (see [`record_pid`]).
pub const PIDFILE_ENV: &str = "WORKBOOK_PIDFILE";

/// Appends this process's pid to the file named by `WORKBOOK_PIDFILE`, if that is set:
/// the grader uses it to clean up after children that the code under test starts, even
/// when that code loses track of them. Such a child also ends itself once the process
/// that started it is gone (a test binary stopped by Ctrl-C cannot clean up). Helper
/// programs call it first thing.
pub fn record_pid() -> io::Result<()> {
    use std::io::Write;
    let Some(path) = std::env::var_os(PIDFILE_ENV) else {
        return Ok(());
    };
    exit_with_parent();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // One short write: lines from several processes never interleave.
    file.write_all(format!("{}\n", std::process::id()).as_bytes())
}

/// Ends this process soon after the process that started it is gone (its parent changes
/// to whoever adopts orphans).
fn exit_with_parent() {
    let parent = std::os::unix::process::parent_id();
    std::thread::spawn(move || loop {
        if std::os::unix::process::parent_id() != parent {
            std::process::exit(1);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    });
}
