//! # Pipes: duplex and one-way
//!
//! Python's `Pipe()` returns two connected ends; by default both can `send` and
//! `recv` (duplex). `Pipe(duplex=False)` returns `(conn1, conn2)` where conn1 only
//! receives and conn2 only sends. `recv` blocks until a message comes, and raises
//! `EOFError` once the other end is closed. Seed 002's `proc1` sends `hello` and
//! prints the answer; `proc2` prints what it got and answers `hello, too`.
//!
//! In Rust a duplex pipe between processes is a socket pair
//! (`std::os::unix::net::UnixStream::pair`). A socket carries bytes, not messages,
//! so you need a *frame*: send each message as its length (4 bytes, big-endian
//! `u32`) and then its UTF-8 bytes; read it back the same way.
//!
//! Your tasks:
//! 1. `duplex` and `one_way`. The one-way ends are two types and only `PipeWriter`
//!    has `send`, so writing on the read end does not compile; also `shutdown` the
//!    unused direction of each socket.
//! 2. `send` and `recv` of the three end types. A sent message must reach the other
//!    end at once (an end buffers its writes: flush). End-of-file before the first
//!    byte of a message is [`PipeError::Eof`]; in the middle of one,
//!    [`PipeError::Truncated`]; sending to an end that is gone is
//!    [`PipeError::Closed`] (the OS says `BrokenPipe`). A message longer than
//!    [`MAX_MESSAGE`] is [`PipeError::TooLong`], both ways: `send` refuses it before
//!    writing anything, and `recv` refuses such a length before it makes room for
//!    the message (a corrupt or hostile length must not make it allocate 4 GiB).
//! 3. `proc1` and `proc2`, the seed's exchange.
//! 4. `main`: one socket pair, one end to each child process as its stdin
//!    (`Stdio::from(OwnedFd::from(end))`); wait for both. The children's entry
//!    points, `proc1_main` and `proc2_main`, are given.
//!
//! Run it: `cargo run -- run pipe`.
//! Graded by: `cargo test --test ch04_queues pipe`.

use std::io::{self, BufReader, BufWriter};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;

/// Python's `Pipe()`: two connected ends, each can send and receive.
pub fn duplex() -> io::Result<(Duplex, Duplex)> {
    todo!("a socket pair, each side wrapped in a Duplex")
}

/// Python's `Pipe(duplex=False)`: `(receiving end, sending end)`.
pub fn one_way() -> io::Result<(PipeReader, PipeWriter)> {
    todo!("a socket pair: one side a PipeReader, the other a PipeWriter")
}

impl Duplex {
    pub fn send(&mut self, message: &str) -> Result<(), PipeError> {
        let _ = (message, &mut self.writer);
        todo!("one frame: the length as a big-endian u32, then the bytes; flush")
    }

    pub fn recv(&mut self) -> Result<String, PipeError> {
        let _ = &mut self.reader;
        todo!(
            "read one frame; EOF before it starts is Eof, EOF inside it is \
             Truncated"
        )
    }
}

impl PipeReader {
    pub fn recv(&mut self) -> Result<String, PipeError> {
        let _ = &mut self.reader;
        todo!("read one frame, as Duplex::recv does")
    }
}

impl PipeWriter {
    pub fn send(&mut self, message: &str) -> Result<(), PipeError> {
        let _ = (message, &mut self.writer);
        todo!("send one frame, as Duplex::send does")
    }
}

/// The seed's proc1: send `hello`, return what comes back.
pub fn proc1(conn: &mut Duplex) -> Result<String, PipeError> {
    let _ = conn;
    todo!("send hello, receive the answer")
}

/// The seed's proc2: receive a message, print `proc2 rec: <it>`, answer `hello,
/// too`.
pub fn proc2(conn: &mut Duplex) -> Result<String, PipeError> {
    let _ = conn;
    todo!(
        "receive, print `proc2 rec: <message>`, answer `hello, too`, return the \
         message"
    )
}

/// The parent: one socket pair, one end to each child as its stdin; wait for both.
pub fn main(_args: &[String]) -> Result<(), PipeError> {
    todo!("a socket pair, proc1 and proc2 each get one end as stdin, wait for both")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the parent that runs the seed's proc1 / proc2 exchange.
pub const EXCHANGE: &str = "pipe";
/// Entry point of proc1 (its end of the duplex pipe is its stdin).
pub const PROC1: &str = "pipe::proc1_main";
/// Entry point of proc2 (its end of the duplex pipe is its stdin).
pub const PROC2: &str = "pipe::proc2_main";
/// The largest message a pipe carries (a guard against a corrupt length).
pub const MAX_MESSAGE: usize = 1 << 20;

/// What can go wrong on a pipe, and in the parent.
#[derive(Debug, thiserror::Error)]
pub enum PipeError {
    /// The other end is gone and every message it sent has been received.
    #[error("end of file: the other end of the pipe is closed")]
    Eof,
    /// Sending failed because nobody is left to receive.
    #[error("the other end of the pipe is closed")]
    Closed,
    #[error("a message of {0} bytes is larger than the limit of {MAX_MESSAGE}")]
    TooLong(usize),
    #[error("the message is not UTF-8")]
    NotUtf8,
    #[error("the pipe ended in the middle of a message")]
    Truncated,
    #[error("pipe I/O failed: {0}")]
    Io(io::Error),
    #[error("the {role} failed ({status})")]
    Failed {
        role: &'static str,
        status: std::process::ExitStatus,
    },
}

/// One end of a duplex pipe: it can send and receive.
#[derive(Debug)]
pub struct Duplex {
    reader: BufReader<UnixStream>,
    writer: BufWriter<UnixStream>,
}

/// The receiving end of a one-way pipe. It has no `send`.
#[derive(Debug)]
pub struct PipeReader {
    reader: BufReader<UnixStream>,
}

/// The sending end of a one-way pipe. It has no `recv`.
#[derive(Debug)]
pub struct PipeWriter {
    writer: BufWriter<UnixStream>,
}

impl Duplex {
    /// Wraps a connected socket (e.g. one end of `UnixStream::pair`).
    pub fn new(stream: UnixStream) -> io::Result<Self> {
        Ok(Duplex {
            reader: BufReader::new(stream.try_clone()?),
            writer: BufWriter::new(stream),
        })
    }

    /// The duplex end a parent handed this process as its stdin.
    pub fn from_stdin() -> io::Result<Self> {
        let fd = io::stdin().as_fd().try_clone_to_owned()?;
        Duplex::new(UnixStream::from(fd))
    }
}

/// proc1 as a process: prints `proc1 rec: <answer>`.
pub fn proc1_main(_args: &[String]) -> Result<(), PipeError> {
    let mut conn = Duplex::from_stdin().map_err(PipeError::Io)?;
    let answer = proc1(&mut conn)?;
    println!("proc1 rec: {answer}");
    Ok(())
}

/// proc2 as a process.
pub fn proc2_main(_args: &[String]) -> Result<(), PipeError> {
    let mut conn = Duplex::from_stdin().map_err(PipeError::Io)?;
    proc2(&mut conn).map(drop)
}
