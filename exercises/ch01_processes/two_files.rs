//! # Two files, two processes, then `done!`
//!
//! Read every file named on the command line in a child process of its own. Each
//! child prints its file's whole contents; the parent prints `done!` as the very
//! last line, only after every child has exited. The children must run *at the same
//! time*.
//!
//! The code below is the seed tutorial's first attempt: it waits for each child
//! inside the loop that starts them, so the second child only starts once the first
//! has finished.
//!
//! Your tasks:
//! 1. `run_workers`: start every job first, and only then wait for each one. If a
//!    job fails, still wait for every job that was started, then report the first
//!    error.
//! 2. `main`: the parent. Start one `reader` child per file with
//!    `workbook::process::entry(READER)`, hand them to `run_workers`, and print
//!    `done!` when it returns. A child that exits unsuccessfully is a
//!    [`TwoFilesError::Reader`].
//!
//! The child's side, `reader`, is written for you.
//!
//! Run it yourself: `cargo run -- run two_files a.txt b.txt`.
//! Graded by: `cargo test --test ch01_processes two_files`.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitStatus;

/// The entry point name of the child's side (listed in `workbook.toml`).
pub const READER: &str = "two_files::reader";

/// What can go wrong, as a type: callers and tests tell the cases apart.
#[derive(Debug, thiserror::Error)]
pub enum TwoFilesError {
    #[error("usage: two_files FILE...")]
    Usage,
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot start a reader for {path}: {source}")]
    Spawn { path: PathBuf, source: io::Error },
    #[error("the reader for {path} failed ({status})")]
    Reader { path: PathBuf, status: ExitStatus },
}

/// The child's side: print the whole file named by the only argument to stdout.
pub fn reader(args: &[String]) -> Result<(), TwoFilesError> {
    let [path] = args else {
        return Err(TwoFilesError::Usage);
    };
    let read_error = |source| TwoFilesError::Read {
        path: path.into(),
        source,
    };
    let contents = std::fs::read(path).map_err(read_error)?;
    // One write of the whole file, so two children sharing stdout do not cut each
    // other's files apart (a pipe write of up to 4 KiB is atomic).
    let mut stdout = io::stdout().lock();
    stdout.write_all(&contents).map_err(read_error)?;
    stdout.flush().map_err(read_error)
}

/// Starts every job with `start`, then waits for each with `finish`; the first error
/// wins, but every job that was started is still finished.
///
/// Generic on purpose: `main` passes child processes, the loom check passes threads.
pub fn run_workers<J, H, E>(
    jobs: impl IntoIterator<Item = J>,
    mut start: impl FnMut(J) -> Result<H, E>,
    mut finish: impl FnMut(H) -> Result<(), E>,
) -> Result<(), E> {
    // The seed's first attempt: `p.start(); p.join()` inside one loop.
    for job in jobs {
        let handle = start(job)?;
        finish(handle)?;
    }
    Ok(())
}

/// The parent: one `reader` child per file in `args`, all at once, then `done!`.
pub fn main(args: &[String]) -> Result<(), TwoFilesError> {
    let _ = args;
    todo!(
        "start a reader child per file, wait for them all with run_workers, print \
         done!"
    )
}
