//! Named pipes (FIFOs) as a cross-process rendezvous: opening one blocks until the other
//! end is opened too.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

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
        let dir = crate::temp_dir();
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
pub(crate) fn open_fifo_writer(
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
