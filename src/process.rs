//! Starting child processes from exercises, tests and benchmarks.
//!
//! Python's `Process(target=f, args=(...))` hands a *function* to a new process: on Linux
//! `fork` copies the parent, function included. Rust programs do not fork-and-continue
//! (a forked copy of a multi-threaded program may only call async-signal-safe functions),
//! so a child process here is a fresh run of the `workbook` binary asked to call one named
//! entry point: `workbook __entry ch01_processes::two_files::reader FILE`. The names are
//! listed in [`entries`](crate::entries). This works the same from the binary, from
//! integration tests and from benchmarks.

use std::env;
use std::path::PathBuf;
use std::process::Command;

/// The hidden subcommand of the `workbook` binary that runs an entry point.
pub const ENTRY_SUBCOMMAND: &str = "__entry";

/// The path of the `workbook` binary.
///
/// `WORKBOOK_EXE` wins if set; the binary itself is its own answer; a test or benchmark
/// (`target/<profile>/deps/<name>-<hash>`) finds it at `target/<profile>/workbook`, where
/// cargo puts it before running them.
pub fn exe() -> PathBuf {
    if let Some(path) = env::var_os("WORKBOOK_EXE") {
        return PathBuf::from(path);
    }
    let me = env::current_exe().expect("cannot find the running executable");
    if me.file_stem().is_some_and(|stem| stem == "workbook") {
        return me;
    }
    let mut dir = me
        .parent()
        .expect("executable has a directory")
        .to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir.join(format!("workbook{}", env::consts::EXE_SUFFIX))
}

/// A command that runs entry point `name` in a new process; add its arguments with `.arg`.
///
/// ```no_run
/// let status = workbook::process::entry("ch01_processes::two_files::reader")
///     .arg("notes.txt")
///     .status()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn entry(name: &str) -> Command {
    let mut cmd = Command::new(exe());
    cmd.arg(ENTRY_SUBCOMMAND).arg(name);
    cmd
}
