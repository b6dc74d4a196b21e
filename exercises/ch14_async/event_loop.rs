//! # One thread, many clients: an event loop
//!
//! Seed 003 ends with asynchronous IO: "the event-driven model: one process, one
//! thread, many tasks". No thread per client and no runtime: one thread asks the
//! operating system "which of my sockets can make progress now?", does that bit of
//! work on each, and asks again. That is what Python's `asyncio` event loop (and
//! `selectors`) does underneath, and what tokio does underneath too, with the same
//! crate you use here: `mio`.
//!
//! The server below speaks an echo protocol: a client sends lines (ending in `\n`),
//! and each line comes back as `handler(line)` followed by `\n`. It is the
//! single-threaded era: it accepts one client, serves it until it hangs up, then
//! the next. A second client waits, unanswered, for as long as the first one stays.
//!
//! Your task: serve every client at the same time, on the calling thread only.
//! - Make the listener and every client socket non-blocking (`mio::net`), register
//!   them with one `mio::Poll`, and sleep only in `Poll::poll`.
//! - Readiness is edge-triggered: after an event, accept, read or write until the
//!   call says `WouldBlock`, or you will never hear of what is left.
//! - A line may arrive in pieces, and several lines in one read: keep each client's
//!   unfinished line. Bytes after a client's last `\n` when it hangs up are dropped.
//! - A reply may not fit the socket at once: keep what is left and write it when the
//!   socket is writable again (`Interest::WRITABLE`), serving the others meanwhile.
//! - A client that hangs up or fails (a reset) ends its own connection only; it
//!   counts as a client that came and went.
//! - `handler` is not `Send`: it runs on the calling thread, for every line.
//! - Return once `connections` clients have connected and hung up, with a
//!   [`Report`] of how many came and went and how many lines were answered.
//!
//! Graded by: `cargo test --test ch14_async event_loop`.

use std::io::{self, BufRead, BufReader, Write};

/// Serves `connections` clients of the echo protocol on the calling thread: each
/// line (up to `\n`) a client sends is answered with `handler(line)` and `\n`. Any
/// number of clients are served at the same time. Returns once `connections`
/// clients have connected and hung up.
pub fn serve<H>(
    listener: std::net::TcpListener,
    connections: usize,
    mut handler: H,
) -> io::Result<Report>
where
    H: FnMut(&str) -> String,
{
    // The single-threaded era: one client at a time, blocking on each.
    let mut report = Report::default();
    while report.connections < connections {
        let (stream, _) = listener.accept()?;
        let mut writer = stream.try_clone()?;
        for line in BufReader::new(stream).split(b'\n') {
            let Ok(line) = line else { break };
            let reply = handler(&String::from_utf8_lossy(&line));
            writer.write_all(reply.as_bytes())?;
            writer.write_all(b"\n")?;
            report.lines += 1;
        }
        report.connections += 1;
    }
    Ok(report)
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What a server did: how many clients came and went, how many lines it answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub connections: usize,
    pub lines: usize,
}
