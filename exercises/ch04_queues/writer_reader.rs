//! # Writer and reader, two processes, one pipe
//!
//! Seed 003's program: a writer process puts the letters W, I, L, L, A, R, D into a
//! queue, a reader process prints `Get X from queue.` for each one. The reader loops
//! `while True: q.get()`, so the parent can only end it with `terminate()`.
//!
//! Here the queue between the two processes is an OS pipe: the writer's stdout is
//! the reader's stdin, one letter per line. A pipe tells its reader when the writing
//! is over: once every copy of the writing end is closed, `read` returns
//! end-of-file. So the reader ends by itself, with exit status 0, and nobody has to
//! be killed.
//!
//! Your tasks:
//! 1. `reader` (the child): for each line of stdin, print `Get <line> from queue.`
//!    *as soon as it arrives* (not all at the end), and return at end-of-file.
//! 2. `main` (the parent): start the writer (`workbook::process::entry(WRITER)`) and
//!    the reader (`READER`) so that the writer's stdout *is* the reader's stdin
//!    (`Stdio::piped()`, then look at what `Stdio` can be made `From`). Wait for
//!    both; a child that fails is a [`WriterReaderError::Failed`] naming it
//!    (`the writer failed (…)`). Watch out: if any process, the parent included,
//!    still holds a copy of the pipe's writing end, the reader never sees
//!    end-of-file and the program never ends.
//!
//! The writer is given, at the end of the file.
//! Run it: `cargo run -- run writer_reader`.
//! Graded by: `cargo test --test ch04_queues writer_reader`.

use std::io::{self, Write};
use std::process::ExitStatus;

/// The reader: `Get X from queue.` for each line of stdin as it arrives; returns at
/// EOF.
pub fn reader(_args: &[String]) -> io::Result<()> {
    todo!(
        "print `Get <line> from queue.` for every line of stdin, until end-of-file"
    )
}

/// The parent: the writer's stdout becomes the reader's stdin; wait for both.
pub fn main(_args: &[String]) -> Result<(), WriterReaderError> {
    todo!("start the writer and the reader joined by a pipe, then wait for both")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the writer process.
pub const WRITER: &str = "writer_reader::writer";
/// Entry point of the reader process.
pub const READER: &str = "writer_reader::reader";
/// What the seed's writer puts into the queue.
pub const LETTERS: [&str; 7] = ["W", "I", "L", "L", "A", "R", "D"];

/// What can go wrong in the parent.
#[derive(Debug, thiserror::Error)]
pub enum WriterReaderError {
    #[error("cannot start the {role}: {source}")]
    Spawn {
        role: &'static str,
        source: io::Error,
    },
    #[error("the {role} failed ({status})")]
    Failed {
        role: &'static str,
        status: ExitStatus,
    },
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The writer: one message per line on stdout (the pipe), each announced on stderr.
pub fn writer(_args: &[String]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for letter in LETTERS {
        eprintln!("Put {letter} to queue...");
        writeln!(out, "{letter}")?;
        out.flush()?;
    }
    Ok(())
}
