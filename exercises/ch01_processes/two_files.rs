//! # Two files, two processes, then `done!`
//!
//! Read every file named on the command line in a child process of its own. Each
//! child prints its file's whole contents; the parent prints `done!` as the very
//! last line, only after every child has exited, and nothing else. The children
//! must run *at the same time*.
//!
//! The code below is the seed tutorial's first attempt: it waits for each child
//! inside the loop that starts them, so the second child only starts once the first
//! has finished.
//!
//! Your tasks:
//! 1. `run_workers`: start every job first, and only then finish each one (in any
//!    order you like). Every job that was started must be finished, whatever
//!    fails:
//!    - if finishing a job fails, still finish all the others;
//!    - if starting a job fails, still finish every job already started (whether
//!      you start the rest is up to you).
//!
//!    Then return the first error that came back (from `start` or from `finish`,
//!    whichever came first in time), or `Ok(())`.
//! 2. `main`: the parent. No files at all is [`TwoFilesError::Usage`]. Otherwise
//!    start one `reader` child per file with `workbook::process::entry(READER)`,
//!    hand them to `run_workers`, and print `done!` once it returns `Ok`. To
//!    finish a child is to wait for it with `Child::wait`, which returns only once
//!    the child has exited: the tests hold a reader back for as long as they like.
//!    A child that exits unsuccessfully is a [`TwoFilesError::Reader`]; then `main`
//!    returns the error instead of printing `done!`.
//!
//! The child's side, `reader`, is given at the end of the file.
//!
//! Run it yourself: `cargo run -- run two_files a.txt b.txt`.
//! Graded by: `cargo test --test ch01_processes two_files`.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitStatus;

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

// ---- given: the tests rely on everything below; leave it as it is ----

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
