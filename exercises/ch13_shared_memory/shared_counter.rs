//! # shared_counter: one counter, several processes
//!
//! Processes do not share memory — unless they ask for it. Python's
//! `multiprocessing.Value('i', 0)` (seed 000's "shared variables", inherited by the
//! children) is a number in memory that several processes map; the classic bug is
//! `v.value += 1` from each of them without `v.get_lock()`. Here the memory is a
//! file mapped with `MAP_SHARED` ([`SharedCounter`], given): every process that maps
//! it sees the same eight bytes, used as one atomic `u64`.
//!
//! 1. `count_up(counter, times)` is the seed's increment: read the value, write it
//!    back plus one. Run the loom check (`cargo test --test ch13_shared_memory
//!    shared_counter::loom`): it runs the *same* function on two threads over one
//!    atomic and finds the interleaving where an increment is lost. Fix it, using
//!    only the [`Counter`] trait's methods, so that no increment is ever lost,
//!    whoever else is counting at the same time.
//! 2. `main(FILE PROCESSES TIMES)`: create the counter at FILE
//!    ([`SharedCounter::create`]), start PROCESSES children with
//!    `workbook::process::entry(CHILD)` and the arguments `FILE TIMES` (the child's
//!    side is given), all of them before waiting for any, then wait for every one
//!    (reap it: no zombie, no orphan left behind), and print `total: N`. A child
//!    that fails (or cannot start) fails `main` with [`CounterError::Child`] (or
//!    `Spawn`), still after waiting for every child that was started; arguments
//!    that are not numbers are [`CounterError::Usage`]. The test lets each child
//!    count only once `main` is blocked waiting for a child: when `main` first
//!    looks, every child is still running.
//!
//! Run it yourself: `cargo run -- run shared_counter /tmp/counter 4 100000`.
//! Graded by: `cargo test --test ch13_shared_memory shared_counter`.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::ptr::NonNull;

use super::sync::atomic::{AtomicU64, Ordering};

/// Adds 1 to `counter`, `times` times, while other threads or processes may be
/// doing the same.
pub fn count_up<C: Counter + ?Sized>(counter: &C, times: u64) {
    // The seed's `v.value += 1`.
    for _ in 0..times {
        let value = counter.load();
        counter.store(value + 1);
    }
}

/// The parent: creates the counter at FILE, starts PROCESSES children that each
/// count up TIMES times, waits for every one, prints `total: N`.
pub fn main(args: &[String]) -> Result<(), CounterError> {
    let _ = args;
    todo!("create the counter, start every child, wait for each, print the total")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the parent: `shared_counter FILE PROCESSES TIMES`.
pub const MAIN: &str = "shared_counter";
/// Entry point of one child: `child FILE TIMES`.
pub const CHILD: &str = "shared_counter::child";

/// What can go wrong, as a type.
#[derive(Debug, thiserror::Error)]
pub enum CounterError {
    #[error("usage: shared_counter FILE PROCESSES TIMES (or child FILE TIMES)")]
    Usage,
    #[error("shared counter {path}: {source}")]
    Map {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start child {index}: {source}")]
    Spawn {
        index: usize,
        source: std::io::Error,
    },
    #[error("child {index} failed ({status})")]
    Child { index: usize, status: ExitStatus },
}

/// What `count_up` needs of a counter: the same four operations whether it is an
/// atomic in this process or one in memory shared with other processes.
pub trait Counter {
    fn load(&self) -> u64;
    fn store(&self, value: u64);
    /// Adds `n` in one indivisible step; returns the value before.
    fn fetch_add(&self, n: u64) -> u64;
    /// Stores `new` if the value is `current`, in one indivisible step; returns the
    /// value before, `Err` if it was not `current`.
    fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64>;
}

/// A counter of this process (and, in the loom check, loom's atomic).
impl Counter for AtomicU64 {
    fn load(&self) -> u64 {
        AtomicU64::load(self, Ordering::SeqCst)
    }
    fn store(&self, value: u64) {
        AtomicU64::store(self, value, Ordering::SeqCst)
    }
    fn fetch_add(&self, n: u64) -> u64 {
        AtomicU64::fetch_add(self, n, Ordering::SeqCst)
    }
    fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64> {
        AtomicU64::compare_exchange(
            self,
            current,
            new,
            Ordering::SeqCst,
            Ordering::SeqCst,
        )
    }
}

/// One `u64` counter in a file mapped into memory with `MAP_SHARED`: every process
/// that maps the same file sees the same physical memory (Python's
/// `multiprocessing.Value('i', 0)`).
pub struct SharedCounter {
    path: PathBuf,
    word: NonNull<std::ffi::c_void>,
    _file: File,
}

// SAFETY: the mapping is only ever reached through an atomic (see `atomic`).
unsafe impl Send for SharedCounter {}
unsafe impl Sync for SharedCounter {}

const WORD: usize = std::mem::size_of::<u64>();

impl SharedCounter {
    /// Creates `path` (it must not exist yet), 8 zero bytes long, and maps it.
    pub fn create(path: &Path) -> Result<SharedCounter, CounterError> {
        let error = |source| CounterError::Map {
            path: path.into(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(error)?;
        file.set_len(WORD as u64).map_err(error)?;
        Self::map(path, file)
    }

    /// Maps the counter another process created at `path`.
    pub fn open(path: &Path) -> Result<SharedCounter, CounterError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|source| CounterError::Map {
                path: path.into(),
                source,
            })?;
        Self::map(path, file)
    }

    fn map(path: &Path, file: File) -> Result<SharedCounter, CounterError> {
        use nix::sys::mman::{mmap, MapFlags, ProtFlags};
        let length = std::num::NonZeroUsize::new(WORD).expect("8 is not 0");
        let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: a fresh mapping of a file we keep open; nothing else aliases it in
        // this process, and it is only ever used through an atomic.
        let word =
            unsafe { mmap(None, length, prot, MapFlags::MAP_SHARED, &file, 0) }
                .map_err(|e| CounterError::Map {
                    path: path.into(),
                    source: e.into(),
                })?;
        Ok(SharedCounter {
            path: path.into(),
            word,
            _file: file,
        })
    }

    /// The file behind the counter.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The shared word as an atomic: `core`'s (std's is the same type), not
    /// `super::sync`'s, because this one lives in memory the kernel shares between
    /// processes. The loom check never runs this code; it checks `count_up` over
    /// loom's atomic instead.
    fn atomic(&self) -> &core::sync::atomic::AtomicU64 {
        // SAFETY: the mapping is page-aligned, 8 bytes long, lives as long as
        // `self`, and every access to it, in any process, is atomic.
        unsafe { core::sync::atomic::AtomicU64::from_ptr(self.word.as_ptr().cast()) }
    }
}

impl Counter for SharedCounter {
    fn load(&self) -> u64 {
        self.atomic().load(core::sync::atomic::Ordering::SeqCst)
    }
    fn store(&self, value: u64) {
        self.atomic()
            .store(value, core::sync::atomic::Ordering::SeqCst)
    }
    fn fetch_add(&self, n: u64) -> u64 {
        self.atomic()
            .fetch_add(n, core::sync::atomic::Ordering::SeqCst)
    }
    fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64> {
        use core::sync::atomic::Ordering::SeqCst;
        self.atomic().compare_exchange(current, new, SeqCst, SeqCst)
    }
}

impl Drop for SharedCounter {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `map`, of that length, unmapped once.
        let _ = unsafe { nix::sys::mman::munmap(self.word, WORD) };
    }
}

/// One child: maps the counter at FILE and counts up TIMES times.
pub fn child(args: &[String]) -> Result<(), CounterError> {
    let [file, times] = args else {
        return Err(CounterError::Usage);
    };
    let times: u64 = times.parse().map_err(|_| CounterError::Usage)?;
    let counter = SharedCounter::open(Path::new(file))?;
    count_up(&counter, times);
    Ok(())
}
