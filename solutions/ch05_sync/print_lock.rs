//! # A lock across processes, so lines do not mix — solution
//!
//! The one idea: *a lock shared by processes must live outside them*. A `Mutex` is
//! memory of one process; `flock` on a file is held by the kernel for whoever opened
//! it. Each `lock` opens the file anew, so every holder has its own open file
//! description and excludes every other one, in this process or another; dropping
//! the guard unlocks.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use nix::fcntl::{Flock, FlockArg};

impl PrintLock {
    /// Waits until no other holder has the lock, then takes it.
    pub fn lock(&self) -> Result<PrintGuard, PrintLockError> {
        let file = self.open_file()?;
        Flock::lock(file, FlockArg::LockExclusive)
            .map(|lock| PrintGuard { _lock: lock })
            .map_err(|(_, errno)| self.error(errno.into()))
    }

    /// Takes the lock if nobody holds it now.
    pub fn try_lock(&self) -> Result<Option<PrintGuard>, PrintLockError> {
        let file = self.open_file()?;
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(lock) => Ok(Some(PrintGuard { _lock: lock })),
            Err((_, nix::errno::Errno::EWOULDBLOCK)) => Ok(None),
            Err((_, errno)) => Err(self.error(errno.into())),
        }
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the parent: `print_lock LOCKFILE N` starts N workers.
pub const MAIN: &str = "print_lock";
/// Entry point of one worker: `worker LOCKFILE NUM` prints `Hello Num: NUM`.
pub const WORKER: &str = "print_lock::worker";

#[derive(Debug, thiserror::Error)]
pub enum PrintLockError {
    #[error("usage: print_lock LOCKFILE COUNT, or worker LOCKFILE NUM")]
    Usage,
    #[error("lock file {path}: {source}")]
    Lock { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("worker {num} failed ({status})")]
    Worker {
        num: usize,
        status: std::process::ExitStatus,
    },
}

/// A lock shared by every process that opens the same file.
#[derive(Debug, Clone)]
pub struct PrintLock {
    path: PathBuf,
}

/// Holds the lock; dropping it unlocks.
#[derive(Debug)]
pub struct PrintGuard {
    _lock: Flock<File>,
}

impl PrintLock {
    /// Uses `path` as the lock file, creating it if needed.
    pub fn open(path: &Path) -> Result<Self, PrintLockError> {
        let lock = PrintLock { path: path.into() };
        lock.open_file()?;
        Ok(lock)
    }

    fn open_file(&self) -> Result<File, PrintLockError> {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.path)
            .map_err(|e| self.error(e))
    }

    fn error(&self, source: io::Error) -> PrintLockError {
        PrintLockError::Lock {
            path: self.path.clone(),
            source,
        }
    }
}

/// One worker: under the lock, prints `Hello Num: NUM` in four separate writes.
pub fn worker(args: &[String]) -> Result<(), PrintLockError> {
    let [path, num] = args else {
        return Err(PrintLockError::Usage);
    };
    let lock = PrintLock::open(Path::new(path))?;
    let _guard = lock.lock()?;
    print_in_pieces(num)?;
    Ok(())
}

/// Four writes, each flushed: without a lock, two processes' pieces can interleave.
fn print_in_pieces(num: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for piece in ["Hello ", "Num: ", num, "\n"] {
        out.write_all(piece.as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// The seed's parent: `COUNT` workers, all started, then all waited for.
pub fn main(args: &[String]) -> Result<(), PrintLockError> {
    let [path, count] = args else {
        return Err(PrintLockError::Usage);
    };
    let count: usize = count.parse().map_err(|_| PrintLockError::Usage)?;
    PrintLock::open(Path::new(path))?;
    let children: Vec<_> = (0..count)
        .map(|num| {
            workbook::process::entry(WORKER)
                .arg(path)
                .arg(num.to_string())
                .spawn()
        })
        .collect();
    let mut first_error = None;
    for (num, child) in children.into_iter().enumerate() {
        let outcome = match child {
            Ok(mut child) => match child.wait() {
                Ok(status) if status.success() => Ok(()),
                Ok(status) => Err(PrintLockError::Worker { num, status }),
                Err(e) => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        };
        if let Err(e) = outcome {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}
