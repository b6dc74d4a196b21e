//! # Two files, two processes, then `done!` — solution
//!
//! The one idea: *start everything, then wait for everything*. Starting and joining
//! in the same loop (the seed's first attempt) serialises the children; two loops
//! let them overlap, and `done!` is printed only after the second loop, when every
//! child has been reaped. An error changes what is returned, never what is waited
//! for: it is kept aside until every started job is finished.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::{Child, ExitStatus};

/// Starts every job with `start`, then waits for each with `finish`; the first error
/// wins, but every job that was started is still finished.
///
/// Generic on purpose: `main` passes child processes, the loom check passes threads.
pub fn run_workers<J, H, E>(
    jobs: impl IntoIterator<Item = J>,
    mut start: impl FnMut(J) -> Result<H, E>,
    mut finish: impl FnMut(H) -> Result<(), E>,
) -> Result<(), E> {
    let mut first_error = None;
    let mut started = Vec::new();
    for job in jobs {
        match start(job) {
            Ok(handle) => started.push(handle),
            Err(e) => {
                first_error = Some(e);
                break;
            }
        }
    }
    for handle in started {
        if let Err(e) = finish(handle) {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// The parent: one `reader` child per file in `args`, all at once, then `done!`.
pub fn main(args: &[String]) -> Result<(), TwoFilesError> {
    if args.is_empty() {
        return Err(TwoFilesError::Usage);
    }
    run_workers(args, start_reader, wait_reader)?;
    println!("done!");
    Ok(())
}

fn start_reader(path: &String) -> Result<(PathBuf, Child), TwoFilesError> {
    let child =
        workbook::process::entry(READER)
            .arg(path)
            .spawn()
            .map_err(|source| TwoFilesError::Spawn {
                path: path.into(),
                source,
            })?;
    Ok((path.into(), child))
}

fn wait_reader((path, mut child): (PathBuf, Child)) -> Result<(), TwoFilesError> {
    let status = child.wait().map_err(|source| TwoFilesError::Spawn {
        path: path.clone(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(TwoFilesError::Reader { path, status })
    }
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
