//! # Writer and reader, two processes, one pipe — solution
//!
//! The one idea: *end-of-file is the message "no more"*. The reader reads until EOF,
//! and EOF comes exactly when every copy of the pipe's writing end is closed: the
//! writer's (when it exits) and the parent's (the parent never keeps one: the
//! writer's stdout is handed straight to the reader as its stdin).

use std::io::{self, BufRead, Write};
use std::process::{ExitStatus, Stdio};

/// The reader: `Get X from queue.` for each line of stdin as it arrives; returns at
/// EOF.
pub fn reader(_args: &[String]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        writeln!(out, "Get {} from queue.", line?)?;
        out.flush()?;
    }
    Ok(())
}

/// The parent: the writer's stdout becomes the reader's stdin; wait for both.
pub fn main(_args: &[String]) -> Result<(), WriterReaderError> {
    let spawn_error = |role| move |source| WriterReaderError::Spawn { role, source };
    let mut writer = workbook::process::entry(WRITER)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(spawn_error("writer"))?;
    let pipe = writer.stdout.take().expect("the writer's stdout is piped");
    let reader = workbook::process::entry(READER).stdin(pipe).spawn();
    // Whatever happened to the reader, the writer is waited for.
    let writer_status = writer.wait()?;
    let reader_status = reader.map_err(spawn_error("reader"))?.wait()?;
    check("writer", writer_status)?;
    check("reader", reader_status)
}

fn check(role: &'static str, status: ExitStatus) -> Result<(), WriterReaderError> {
    if status.success() {
        Ok(())
    } else {
        Err(WriterReaderError::Failed { role, status })
    }
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
