//! # process_queue: one bounded queue, twenty processes — solution
//!
//! The one idea: *take the place before you fill it, and free it only after you
//! emptied it*. A producer first takes a byte from `slots` (waiting while the
//! queue is full), then writes its message; a consumer first reads one whole
//! message, then gives a byte back. So the messages in `items` never outnumber
//! the bytes taken from `slots`, and never exceed the capacity. A consumer reads
//! exactly one message per `read`, nothing ahead: what it has not returned is
//! still in the kernel's pipe, where a killed consumer cannot lose it.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus};

impl ProcessQueue {
    /// Puts `message` at the back, waiting while the queue is full.
    pub fn put(&self, message: &str) -> Result<(), QueueError> {
        let record = encode(message)?;
        (&self.slots)
            .read_exact(&mut [0u8; 1])
            .map_err(|e| self.error(e))?;
        (&self.items).write_all(&record).map_err(|e| self.error(e))
    }

    /// Puts `message` at the back if there is room now; [`QueueError::Full`] if not.
    pub fn try_put(&self, message: &str) -> Result<(), QueueError> {
        let record = encode(message)?;
        match (&self.slots_now).read(&mut [0u8; 1]) {
            Ok(1) => {}
            Ok(_) => return Err(self.error(io::ErrorKind::UnexpectedEof.into())),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                return Err(QueueError::Full)
            }
            Err(e) => return Err(self.error(e)),
        }
        (&self.items).write_all(&record).map_err(|e| self.error(e))
    }

    /// Takes the message at the front, waiting while the queue is empty.
    pub fn get(&self) -> Result<String, QueueError> {
        let mut record = [0u8; MESSAGE];
        (&self.items)
            .read_exact(&mut record)
            .map_err(|e| self.error(e))?;
        (&self.slots).write_all(b".").map_err(|e| self.error(e))?;
        decode(&record)
    }
}

/// The seed's program: a queue of [`CAPACITY`] in DIR, PAIRS producers that put
/// ITEMS messages each and PAIRS consumers that take ITEMS each, all running at
/// once; every one waited for.
pub fn main(args: &[String]) -> Result<(), QueueError> {
    let [dir, pairs, items] = args else {
        return Err(QueueError::Usage);
    };
    let pairs: usize = pairs.parse().map_err(|_| QueueError::Usage)?;
    let _: usize = items.parse().map_err(|_| QueueError::Usage)?;
    let queue = ProcessQueue::create(Path::new(dir), CAPACITY)?;
    let start = |what: String, cmd: &mut std::process::Command| {
        cmd.spawn()
            .map(|child| (what.clone(), child))
            .map_err(|source| QueueError::Spawn { what, source })
    };
    let producers: Vec<_> = (0..pairs)
        .map(|id| {
            let mut cmd = workbook::process::entry(PRODUCER);
            cmd.args([dir, &id.to_string(), items]);
            start(format!("producer {id}"), &mut cmd)
        })
        .collect();
    let mut consumers: Vec<_> = (0..pairs)
        .map(|n| {
            let mut cmd = workbook::process::entry(CONSUMER);
            cmd.args([dir, items]);
            start(format!("consumer {n}"), &mut cmd)
        })
        .collect();
    let mut first_error = None;
    for producer in producers {
        if let Err(e) = producer.and_then(wait) {
            first_error.get_or_insert(e);
        }
    }
    if first_error.is_some() {
        // Some messages will never come: the consumers would wait for ever.
        for (_, consumer) in consumers.iter_mut().flatten() {
            let _ = consumer.kill();
        }
    }
    for consumer in consumers {
        if let Err(e) = consumer.and_then(wait) {
            first_error.get_or_insert(e);
        }
    }
    drop(queue);
    first_error.map_or(Ok(()), Err)
}

/// Waits for (reaps) a child; its failure as an error.
fn wait((what, mut child): (String, Child)) -> Result<(), QueueError> {
    match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(QueueError::Child { what, status }),
        Err(source) => Err(QueueError::Spawn { what, source }),
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the seed's program: `process_queue DIR PAIRS ITEMS`.
pub const MAIN: &str = "process_queue";
/// Entry point of a producer: `producer DIR ID COUNT`.
pub const PRODUCER: &str = "process_queue::producer";
/// Entry point of a consumer: `consumer DIR COUNT [paced]`.
pub const CONSUMER: &str = "process_queue::consumer";
/// The seed's `Queue(3)`.
pub const CAPACITY: usize = 3;
/// The size of one message on the wire: a length byte, the text, zero padding.
pub const MESSAGE: usize = 64;
/// The most a queue may hold: its messages must fit in the pipe's buffer (64 KiB
/// on Linux) so that a producer holding a slot never blocks on the write.
pub const MAX_CAPACITY: usize = 1024;

/// What can go wrong, as a type.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error(
        "usage: process_queue DIR PAIRS ITEMS | producer DIR ID COUNT | consumer \
         DIR COUNT [paced]"
    )]
    Usage,
    #[error("a queue holds 1 to {MAX_CAPACITY} messages, not {0}")]
    Capacity(usize),
    #[error("a message is at most {max} bytes, not {0}", max = MESSAGE - 1)]
    TooLong(usize),
    #[error("the queue is full")]
    Full,
    #[error("a message on the wire is corrupt")]
    Corrupt,
    #[error("queue {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot start {what}: {source}")]
    Spawn { what: String, source: io::Error },
    #[error("{what} failed ({status})")]
    Child { what: String, status: ExitStatus },
}

/// A bounded queue of short text messages that lives in the kernel, shared by every
/// process that opens its directory: two named pipes (FIFOs).
///
/// - `items` carries the messages, each one `write` of exactly [`MESSAGE`] bytes:
///   the kernel never splits or mixes writes of at most `PIPE_BUF` (4096) bytes,
///   so concurrent producers never interleave, and a read of [`MESSAGE`] bytes
///   takes exactly one message.
/// - `slots` holds one byte per free place in the queue: `create` puts `capacity`
///   bytes in it. It is a counting semaphore: taking a byte waits while there is
///   none; giving one back wakes a waiter.
///
/// Every FIFO is opened for reading *and* writing: such an open never waits for
/// the other end, and the pipe keeps its bytes as long as any process has it open.
/// The creator keeps the queue open while the others use it.
pub struct ProcessQueue {
    dir: PathBuf,
    capacity: usize,
    /// The messages.
    items: File,
    /// The free slots, blocking.
    slots: File,
    /// The same FIFO, non-blocking: a read with no byte there fails with
    /// `WouldBlock` at once.
    slots_now: File,
}

impl ProcessQueue {
    /// Makes a queue of `capacity` messages in the (existing, empty) directory
    /// `dir`, and opens it.
    pub fn create(dir: &Path, capacity: usize) -> Result<ProcessQueue, QueueError> {
        if !(1..=MAX_CAPACITY).contains(&capacity) {
            return Err(QueueError::Capacity(capacity));
        }
        let mode = nix::sys::stat::Mode::from_bits_truncate(0o600);
        for name in ["items", "slots"] {
            let path = dir.join(name);
            nix::unistd::mkfifo(&path, mode)
                .map_err(|e| io_error(&path, e.into()))?;
        }
        let size = dir.join("capacity");
        std::fs::write(&size, capacity.to_string())
            .map_err(|e| io_error(&size, e))?;
        let queue = ProcessQueue::open(dir)?;
        // Every place is free.
        (&queue.slots)
            .write_all(&vec![b'.'; capacity])
            .map_err(|e| queue.error(e))?;
        Ok(queue)
    }

    /// Opens the queue another process created in `dir`.
    pub fn open(dir: &Path) -> Result<ProcessQueue, QueueError> {
        let size = dir.join("capacity");
        let capacity = std::fs::read_to_string(&size)
            .map_err(|e| io_error(&size, e))?
            .trim()
            .parse()
            .map_err(|_| io_error(&size, io::ErrorKind::InvalidData.into()))?;
        let fifo = |name: &str, flags: i32| {
            let path = dir.join(name);
            OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(flags)
                .open(&path)
                .map_err(|e| io_error(&path, e))
        };
        Ok(ProcessQueue {
            dir: dir.into(),
            capacity,
            items: fifo("items", 0)?,
            slots: fifo("slots", 0)?,
            slots_now: fifo("slots", nix::libc::O_NONBLOCK)?,
        })
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many messages are in the queue now (the bytes waiting in `items`).
    pub fn len(&self) -> Result<usize, QueueError> {
        let mut bytes: nix::libc::c_int = 0;
        // SAFETY: FIONREAD writes one c_int, the number of bytes ready to be read.
        let r = unsafe {
            nix::libc::ioctl(self.items.as_raw_fd(), nix::libc::FIONREAD, &mut bytes)
        };
        if r < 0 {
            return Err(self.error(io::Error::last_os_error()));
        }
        Ok(bytes as usize / MESSAGE)
    }

    pub fn is_empty(&self) -> Result<bool, QueueError> {
        Ok(self.len()? == 0)
    }

    fn error(&self, source: io::Error) -> QueueError {
        io_error(&self.dir, source)
    }
}

fn io_error(path: &Path, source: io::Error) -> QueueError {
    QueueError::Io {
        path: path.into(),
        source,
    }
}

/// `message` as it goes on the wire: its length, its bytes, zeros.
pub fn encode(message: &str) -> Result<[u8; MESSAGE], QueueError> {
    let bytes = message.as_bytes();
    if bytes.len() >= MESSAGE {
        return Err(QueueError::TooLong(bytes.len()));
    }
    let mut record = [0u8; MESSAGE];
    record[0] = bytes.len() as u8;
    record[1..=bytes.len()].copy_from_slice(bytes);
    Ok(record)
}

/// The message of a record `encode` made.
pub fn decode(record: &[u8; MESSAGE]) -> Result<String, QueueError> {
    let len = record[0] as usize;
    let text = record.get(1..=len).ok_or(QueueError::Corrupt)?;
    String::from_utf8(text.to_vec()).map_err(|_| QueueError::Corrupt)
}

/// A producer: puts `ID(put):SEQ` for SEQ = 0, 1, … COUNT-1 into the queue in DIR.
pub fn producer(args: &[String]) -> Result<(), QueueError> {
    let [dir, id, count] = args else {
        return Err(QueueError::Usage);
    };
    let count: usize = count.parse().map_err(|_| QueueError::Usage)?;
    let queue = ProcessQueue::open(Path::new(dir))?;
    for seq in 0..count {
        queue.put(&format!("{id}(put):{seq}"))?;
    }
    Ok(())
}

/// A consumer: takes COUNT messages from the queue in DIR and prints each as
/// `PID(get):MESSAGE`. With `paced`, it first reads a line from stdin before each
/// message (the tests pace it so).
pub fn consumer(args: &[String]) -> Result<(), QueueError> {
    let (dir, count, paced) = match args {
        [dir, count] => (dir, count, false),
        [dir, count, paced] if paced == "paced" => (dir, count, true),
        _ => return Err(QueueError::Usage),
    };
    let count: usize = count.parse().map_err(|_| QueueError::Usage)?;
    let queue = ProcessQueue::open(Path::new(dir))?;
    let stdin = io::stdin();
    for _ in 0..count {
        if paced {
            let mut line = String::new();
            stdin.read_line(&mut line).map_err(|e| queue.error(e))?;
        }
        let message = queue.get()?;
        println!("{}(get):{message}", std::process::id());
    }
    Ok(())
}
