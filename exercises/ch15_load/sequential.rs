//! # Sequential: one request after another, every one accounted for
//!
//! The seed's stress-test template hammers a web server from several processes,
//! each with several threads, and counts what came back. Before any of that, a
//! load generator needs its smallest part right: send one request, wait for the
//! answer *for a bounded time*, and say what happened — a 2xx, another status, a
//! server that never answered, a connection that was never made. A tester that
//! hangs on a slow server measures nothing; one that loses a failure on the way
//! reports a healthier server than there is.
//!
//! The HTTP side is written for you below: [`request`] makes the bytes of a GET
//! (one request per connection, `Connection: close`, so the response ends where
//! the connection does), [`status`] judges a whole response, [`classify`] names an
//! I/O error, and [`Tally`] counts outcomes.
//!
//! Your tasks:
//! 1. `get`: connect to `addr` within `timeout` (`TcpStream::connect_timeout`); a
//!    connection that cannot be made is [`RequestError::Connect`]. Give the
//!    stream the same `timeout` for every read and every write, send
//!    `request(addr, path)`, read the response to its end, and judge it with
//!    `status`. An I/O error after the connection was made is what `classify`
//!    says (a read that ran out of time is `Timeout`). Whatever happens, the
//!    connection is closed when `get` returns: a timed-out request must not stay
//!    connected to the server.
//! 2. `run`: `plan.requests` GETs of `plan.path`, one after another (the next
//!    starts only when the previous one has ended), each recorded in the tally
//!    that `run` returns: `ok` plus the errors equals the requests sent.
//!
//! The tests start an HTTP server of their own on 127.0.0.1 that counts every
//! request it receives, how many it handles at once and which connections are
//! still open; its `/hold` endpoint never answers until the test is over, so a
//! missing timeout shows as a hang (the watchdog reports it), never as luck.
//! Graded by: `cargo test --test ch15_load sequential`.

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

/// One GET of `path` on `addr`, bounded by `timeout` for the connect and for each
/// read and write; `Ok` for a 2xx answer.
pub fn get(addr: SocketAddr, path: &str, timeout: Duration) -> Outcome {
    let _ = (addr, path, timeout);
    todo!("connect, send `request(addr, path)`, read to the end, judge it")
}

/// Sends `plan.requests` GETs one after another and counts their outcomes.
pub fn run(plan: &Plan) -> Tally {
    let _ = plan;
    todo!("one `get` after another, each recorded in a `Tally`")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// One load run: `requests` GETs of `path` on the server at `addr`, each allowed
/// `timeout` to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub addr: SocketAddr,
    pub path: String,
    pub requests: usize,
    pub timeout: Duration,
}

/// Why one request failed: the kinds a load report counts separately.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, thiserror::Error,
)]
pub enum RequestError {
    /// The connection was never made (refused, unreachable).
    #[error("could not connect")]
    Connect,
    /// The server did not answer in time.
    #[error("timed out")]
    Timeout,
    /// The server answered with a status other than 2xx.
    #[error("HTTP status {0}")]
    Status(u16),
    /// What came back is not an HTTP response.
    #[error("not an HTTP response")]
    Malformed,
    /// The connection broke in the middle of the exchange.
    #[error("the connection broke")]
    Io,
}

/// One request's outcome: `Ok` for a 2xx answer.
pub type Outcome = Result<(), RequestError>;

/// What a run counts: the requests that got a 2xx, and the others by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub ok: usize,
    pub errors: BTreeMap<RequestError, usize>,
}

impl Tally {
    /// Counts one request's outcome.
    pub fn record(&mut self, outcome: Outcome) {
        match outcome {
            Ok(()) => self.ok += 1,
            Err(kind) => *self.errors.entry(kind).or_default() += 1,
        }
    }

    /// Adds another tally's counts to this one.
    pub fn merge(&mut self, other: &Tally) {
        self.ok += other.ok;
        for (kind, n) in &other.errors {
            *self.errors.entry(*kind).or_default() += n;
        }
    }

    /// How many failed, of every kind.
    pub fn failed(&self) -> usize {
        self.errors.values().sum()
    }

    /// How many were sent: `ok` plus every error.
    pub fn sent(&self) -> usize {
        self.ok + self.failed()
    }
}

/// The bytes of a GET of `path` on `addr`: HTTP/1.1, one request per connection
/// (`Connection: close`), so the response ends where the connection does.
pub fn request(addr: SocketAddr, path: &str) -> Vec<u8> {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: workbook-load\r\n\
         Connection: close\r\n\r\n"
    )
    .into_bytes()
}

/// Judges a whole response by its status line: `Ok` for 2xx, `Status` for any
/// other code, `Malformed` if it does not start like an HTTP/1.x response.
pub fn status(response: &[u8]) -> Outcome {
    let line = response.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = std::str::from_utf8(line).map_err(|_| RequestError::Malformed)?;
    let mut words = line.split_whitespace();
    let version = words.next().unwrap_or_default();
    let code: u16 = match words.next().map(str::parse) {
        Some(Ok(code)) if version.starts_with("HTTP/1.") => code,
        _ => return Err(RequestError::Malformed),
    };
    match code {
        200..=299 => Ok(()),
        100..=599 => Err(RequestError::Status(code)),
        _ => Err(RequestError::Malformed),
    }
}

/// The kind of an I/O error met after the connection was made: a read or write
/// that ran out of time is `Timeout` (std reports it as `WouldBlock` on Unix,
/// `TimedOut` elsewhere), anything else `Io`.
pub fn classify(error: &io::Error) -> RequestError {
    match error.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => RequestError::Timeout,
        _ => RequestError::Io,
    }
}
