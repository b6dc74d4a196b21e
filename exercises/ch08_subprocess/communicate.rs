//! # `Popen.communicate`: feed a child and read it, all at once
//!
//! The seed feeds `nslookup` a few commands on stdin and collects what it prints:
//! `output, err = p.communicate(b"set q = mx\npython.org\nexit\n")`.
//!
//! The code below is what most people write first: write all the input, *then* read
//! the output, *then* the errors. It works for a few lines. But a pipe holds only 64
//! KiB: a child that answers as it reads (most filters do) fills its stdout pipe and
//! stops, waiting for us to read; we are still writing its stdin, which it no longer
//! reads; we wait for it, it waits for us — forever. Reading stdout to the end
//! before stderr has the same flaw.
//!
//! Your task: make `communicate` work with megabytes each way. Serve the three pipes
//! at the same time (each blocking call on a thread of its own:
//! `super::sync::thread::scope` lets those threads borrow `input`). Also:
//! - stdout and stderr come back whole and apart, as bytes (they need not be text),
//!   with the child's exit status;
//! - a child that exits without reading all its input is not an error (Python
//!   ignores the broken pipe too): return what it printed;
//! - a program that cannot be started is [`CommunicateError::Spawn`] naming it;
//! - always wait for the child before returning, on the error paths too (no
//!   zombies) — until it has exited, however long after its output ended that is
//!   (`echo CODE FIFO` closes its pipes long before it exits); the status returned
//!   is the one it exited with.
//!
//! The error type and the helper programs at the bottom are written for you.
//! Graded by: `cargo test --test ch08_subprocess communicate`.

use std::io::{self, Read, Write};
use std::process::{Command, Output, Stdio};

/// Runs `cmd` with `input` on its stdin; returns its exit status, stdout and stderr.
pub fn communicate(
    cmd: &mut Command,
    input: &[u8],
) -> Result<Output, CommunicateError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| CommunicateError::Spawn { program, source })?;
    // The first attempt: one step after another.
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input)?;
    } // stdin is closed here: the child sees end-of-file
    let mut stdout = Vec::new();
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_end(&mut stdout)?;
    }
    let mut stderr = Vec::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_end(&mut stderr)?;
    }
    let status = child.wait()?;
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Helper program: copies stdin to stdout, and every byte inverted (`!b`) to stderr;
/// `echo CODE` then exits with that code. `echo CODE FIFO` is slow to exit: once its
/// input has ended it closes its stdout and stderr, and exits only when someone has
/// opened the named pipe FIFO for writing and closed it again.
pub const ECHO: &str = "communicate::echo";
/// Helper program: prints one line and exits without reading its stdin.
pub const IGNORE_INPUT: &str = "communicate::ignore_input";

#[derive(Debug, thiserror::Error)]
pub enum CommunicateError {
    #[error("cannot start {program}: {source}")]
    Spawn { program: String, source: io::Error },
    #[error("talking to the child failed: {0}")]
    Io(#[from] io::Error),
    #[error("a thread feeding or reading the child panicked")]
    Panicked,
}

/// Helper program `echo [CODE [FIFO]]`. Given.
pub fn echo(args: &[String]) -> io::Result<()> {
    workbook::process::record_pid()?;
    let code: i32 = args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
    let (mut input, mut out, mut err) =
        (io::stdin().lock(), io::stdout(), io::stderr());
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = input.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        out.write_all(&chunk[..n])?;
        let inverted: Vec<u8> = chunk[..n].iter().map(|b| !b).collect();
        err.write_all(&inverted)?;
    }
    out.flush()?;
    if let Some(fifo) = args.get(1) {
        // The output ends here, the process not yet. SAFETY: nothing of ours uses
        // descriptors 1 and 2 after this (stdout was flushed, stderr is unbuffered).
        unsafe {
            nix::libc::close(1);
            nix::libc::close(2);
        }
        // Blocks until a writer opens the pipe, then until it closes it.
        io::copy(&mut std::fs::File::open(fifo)?, &mut io::sink())?;
    }
    std::process::exit(code)
}

/// Helper program `ignore_input`. Given.
pub fn ignore_input(_args: &[String]) -> io::Result<()> {
    workbook::process::record_pid()?;
    println!("not reading my input");
    Ok(())
}
