//! # Pipes: duplex and one-way — solution
//!
//! The one idea: *a message needs a frame, and each end is a type*. A byte stream
//! has no message boundaries, so each message goes as a 4-byte length and its bytes;
//! end-of-file *at a boundary* is the clean `Eof`. The one-way pipe's ends are two
//! types, and only the writer has `send`.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::process::Stdio;

/// Python's `Pipe()`: two connected ends, each can send and receive.
pub fn duplex() -> io::Result<(Duplex, Duplex)> {
    let (a, b) = UnixStream::pair()?;
    Ok((Duplex::new(a)?, Duplex::new(b)?))
}

/// Python's `Pipe(duplex=False)`: `(receiving end, sending end)`.
pub fn one_way() -> io::Result<(PipeReader, PipeWriter)> {
    let (r, w) = UnixStream::pair()?;
    r.shutdown(std::net::Shutdown::Write)?;
    w.shutdown(std::net::Shutdown::Read)?;
    Ok((
        PipeReader {
            reader: BufReader::new(r),
        },
        PipeWriter {
            writer: BufWriter::new(w),
        },
    ))
}

impl Duplex {
    pub fn send(&mut self, message: &str) -> Result<(), PipeError> {
        send_frame(&mut self.writer, message)
    }

    pub fn recv(&mut self) -> Result<String, PipeError> {
        recv_frame(&mut self.reader)
    }
}

impl PipeReader {
    pub fn recv(&mut self) -> Result<String, PipeError> {
        recv_frame(&mut self.reader)
    }
}

impl PipeWriter {
    pub fn send(&mut self, message: &str) -> Result<(), PipeError> {
        send_frame(&mut self.writer, message)
    }
}

fn send_frame(writer: &mut impl Write, message: &str) -> Result<(), PipeError> {
    if message.len() > MAX_MESSAGE {
        return Err(PipeError::TooLong(message.len()));
    }
    let len = u32::try_from(message.len()).expect("MAX_MESSAGE fits in a u32");
    let sent = writer
        .write_all(&len.to_be_bytes())
        .and_then(|()| writer.write_all(message.as_bytes()))
        .and_then(|()| writer.flush());
    sent.map_err(|e| match e.kind() {
        io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset => {
            PipeError::Closed
        }
        _ => PipeError::Io(e),
    })
}

fn recv_frame(reader: &mut impl Read) -> Result<String, PipeError> {
    let mut len = [0u8; 4];
    match read_full(reader, &mut len)? {
        0 => return Err(PipeError::Eof),
        4 => {}
        _ => return Err(PipeError::Truncated),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_MESSAGE {
        return Err(PipeError::TooLong(len));
    }
    let mut bytes = vec![0; len];
    if read_full(reader, &mut bytes)? < len {
        return Err(PipeError::Truncated);
    }
    String::from_utf8(bytes).map_err(|_| PipeError::NotUtf8)
}

/// Reads until `buf` is full or end-of-file; returns how many bytes were read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, PipeError> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => break,
            Err(e) => return Err(PipeError::Io(e)),
        }
    }
    Ok(filled)
}

/// The seed's proc1: send `hello`, return what comes back.
pub fn proc1(conn: &mut Duplex) -> Result<String, PipeError> {
    conn.send("hello")?;
    conn.recv()
}

/// The seed's proc2: receive a message, print `proc2 rec: <it>`, answer `hello,
/// too`.
pub fn proc2(conn: &mut Duplex) -> Result<String, PipeError> {
    let message = conn.recv()?;
    println!("proc2 rec: {message}");
    conn.send("hello, too")?;
    Ok(message)
}

/// The parent: one socket pair, one end to each child as its stdin; wait for both.
pub fn main(_args: &[String]) -> Result<(), PipeError> {
    let (a, b) = UnixStream::pair().map_err(PipeError::Io)?;
    let start = |name, end: UnixStream| {
        workbook::process::entry(name)
            .stdin(Stdio::from(std::os::fd::OwnedFd::from(end)))
            .spawn()
            .map_err(PipeError::Io)
    };
    let mut p1 = start(PROC1, a)?;
    let p2 = start(PROC2, b);
    let s1 = p1.wait().map_err(PipeError::Io)?;
    let s2 = p2?.wait().map_err(PipeError::Io)?;
    for (role, status) in [("proc1", s1), ("proc2", s2)] {
        if !status.success() {
            return Err(PipeError::Failed { role, status });
        }
    }
    Ok(())
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
