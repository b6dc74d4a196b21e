//! # Distributed: the suite shared among worker processes over TCP
//!
//! Seed 000's Selenium Grid is a master that hands tests to machines; chapter 9
//! built the master/worker protocol. Here the two meet: a master holds the suite,
//! worker processes ("machines" on loopback) connect, prove they know the shared
//! key, and ask for one test after another, running each with `run_one`. That is
//! *distributed* execution; whether tests run in *parallel* depends on how many
//! workers ask at once — the seed's distinction, made concrete. And a worker can
//! die in the middle of a test: that test must still run, exactly once.
//!
//! Written for you below: the [`Message`]s both sides send, the frames that carry
//! them ([`write_message`], [`read_message`]: a big-endian `u32` length, then
//! JSON), both halves of the handshake ([`challenge`] for the master, [`prove`]
//! for a worker: HMAC-SHA256 of a fresh nonce), [`key_from_env`] and
//! [`DistributedError`].
//!
//! Your tasks:
//! 1. `serve(listener, key, specs)`: accept workers for as long as tests are
//!    missing, any number at once, each on a thread of its own. Each connection
//!    first passes `challenge` (a wrong key is refused and ends only that
//!    connection); then it answers, one frame at a time:
//!    - `Ask` with `Job { id, spec }`: a waiting test, `id` being its index in
//!      `specs`; if none is waiting but some are still running on workers, the
//!      answer waits (one may come back); `Done` once every test has a result.
//!    - `Report { id, result }` with `Noted { id }`. A report counts only when it
//!      comes from the connection test `id` was handed to, and only once; any
//!      other report is ignored.
//!    - anything else, or a frame that cannot be read, ends that connection (a
//!      `Refused` first is allowed), never the master.
//!
//!    A test handed to a connection that ends before its report — a worker
//!    killed, a network error, a malformed frame — goes back to the waiting
//!    tests for the next worker that asks. `serve` returns every result in the
//!    order of `specs` once all are in (an empty suite at once).
//! 2. `worker(args)`: `args` is `[ADDR, NAME]` (anything else is
//!    `DistributedError::Usage`); the key comes from [`key_from_env`], never from
//!    an argument. Connect, `prove`, then `Ask` until `Done`: run each `Job` with
//!    `run_one`, send its `Report`, and expect `Noted` with the same id. Return
//!    `Ok(())` after `Done`; any error is returned (the entry prints it and exits
//!    with status 1).
//!
//! The tests start real workers (`distributed::worker`, a process each) and kill
//! one in the middle of a test; they also play workers themselves, frame by frame:
//! they hang up while holding a test, report a test they were never given, and
//! send a frame that is not JSON.
//! Graded by: `cargo test --test ch16_runner distributed`.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::sequential::{TestResult, TestSpec};

/// The master: hands `specs` to the workers that connect to `listener` and prove
/// they know `key`; returns every result, in the order of `specs`, once all are in.
pub fn serve(
    listener: TcpListener,
    key: &[u8],
    specs: &[TestSpec],
) -> Result<Vec<TestResult>, DistributedError> {
    let _ = (listener, key, specs);
    todo!(
        "accept workers; lend each asker the next test; take it back if it hangs up"
    )
}

/// A worker: connect to the master at `args[0]`, prove the key from [`KEY_ENV`]
/// under the name `args[1]`, then run one test after another until it says `Done`.
pub fn worker(args: &[String]) -> Result<(), DistributedError> {
    let _ = args;
    todo!("connect, `prove`, then `Ask` and run each `Job` until `Done`")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Everything master and workers say to each other, one JSON body per frame; the
/// body names the variant in its `type` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    /// Master → worker, first: prove that you know the key, using these fresh bytes.
    Challenge { nonce: Vec<u8> },
    /// Worker → master: its name and HMAC-SHA256(key, nonce).
    Proof { worker: String, mac: Vec<u8> },
    /// Master → worker: the proof holds.
    Welcome,
    /// Master → worker, before it hangs up: the proof or a frame was wrong.
    Refused { reason: String },
    /// Worker → master: give me a test.
    Ask,
    /// Master → worker: run test `id` of the suite.
    Job { id: usize, spec: TestSpec },
    /// Master → worker: every result is in; hang up.
    Done,
    /// Worker → master: how test `id` went.
    Report { id: usize, result: TestResult },
    /// Master → worker: report `id` received.
    Noted { id: usize },
}

impl Message {
    /// The variant's name, for error messages (a `Job` can be long).
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Challenge { .. } => "challenge",
            Message::Proof { .. } => "proof",
            Message::Welcome => "welcome",
            Message::Refused { .. } => "refusal",
            Message::Ask => "ask",
            Message::Job { .. } => "job",
            Message::Done => "done",
            Message::Report { .. } => "report",
            Message::Noted { .. } => "note",
        }
    }
}

/// The variable with the shared key (never an argument: `ps` shows arguments).
pub const KEY_ENV: &str = "WORKBOOK_RUNNER_KEY";
/// The largest frame accepted: a report carries a test's whole output.
pub const MAX_FRAME: usize = 16 << 20;
/// How long a new connection has to prove itself.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum DistributedError {
    #[error("set {KEY_ENV} to the shared key (it must not be empty)")]
    NoKey,
    #[error("authentication failed")]
    AuthFailed,
    #[error("refused by the master: {0}")]
    Refused(String),
    #[error("protocol error: {0}")]
    Protocol(String),
    #[error("the peer closed the connection")]
    Closed,
    #[error("a frame of {0} bytes is over the limit")]
    TooLarge(usize),
    #[error("malformed frame: {0}")]
    Malformed(String),
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
    #[error("usage: {0}")]
    Usage(String),
}

/// Writes one frame: the body's length as a big-endian `u32`, then the JSON body
/// (chapter 9's format), in one `write_all`. Given.
pub fn write_message(
    mut stream: &TcpStream,
    message: &Message,
) -> Result<(), DistributedError> {
    let body = serde_json::to_vec(message)
        .map_err(|e| DistributedError::Malformed(e.to_string()))?;
    if body.len() > MAX_FRAME {
        return Err(DistributedError::TooLarge(body.len()));
    }
    let mut frame = (body.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(&body);
    stream.write_all(&frame)?;
    Ok(())
}

/// Reads one frame; the length is checked before a byte of the body is read. Given.
pub fn read_message(mut stream: &TcpStream) -> Result<Message, DistributedError> {
    let mut header = [0u8; 4];
    match stream.read_exact(&mut header) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            return Err(DistributedError::Closed)
        }
        other => other?,
    }
    let len = u32::from_be_bytes(header) as usize;
    if len > MAX_FRAME {
        return Err(DistributedError::TooLarge(len));
    }
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body)?;
    serde_json::from_slice(&body)
        .map_err(|e| DistributedError::Malformed(e.to_string()))
}

/// The master's side of the handshake: a fresh challenge, the proof checked in
/// constant time, `Welcome` or `Refused`. Given.
pub fn challenge(stream: &TcpStream, key: &[u8]) -> Result<(), DistributedError> {
    stream.set_read_timeout(Some(HANDSHAKE_TIMEOUT))?;
    let mut nonce = vec![0u8; 32];
    getrandom::fill(&mut nonce).map_err(|e| io::Error::other(e.to_string()))?;
    write_message(
        stream,
        &Message::Challenge {
            nonce: nonce.clone(),
        },
    )?;
    let proven = match read_message(stream)? {
        Message::Proof { mac, .. } => keyed(key, &nonce).verify_slice(&mac).is_ok(),
        _ => false,
    };
    if !proven {
        let reason = "authentication failed".to_owned();
        let _ = write_message(stream, &Message::Refused { reason });
        return Err(DistributedError::AuthFailed);
    }
    write_message(stream, &Message::Welcome)?;
    stream.set_read_timeout(None)?;
    Ok(())
}

/// The worker's side of the handshake. Given.
pub fn prove(
    stream: &TcpStream,
    key: &[u8],
    name: &str,
) -> Result<(), DistributedError> {
    let nonce = match read_message(stream)? {
        Message::Challenge { nonce } => nonce,
        other => return Err(unexpected("a challenge", &other)),
    };
    let mac = keyed(key, &nonce).finalize().into_bytes().to_vec();
    write_message(
        stream,
        &Message::Proof {
            worker: name.to_owned(),
            mac,
        },
    )?;
    match read_message(stream)? {
        Message::Welcome => Ok(()),
        Message::Refused { reason } => Err(DistributedError::Refused(reason)),
        other => Err(unexpected("a welcome", &other)),
    }
}

fn keyed(key: &[u8], nonce: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(nonce);
    mac
}

/// The key from [`KEY_ENV`]. Given.
pub fn key_from_env() -> Result<Vec<u8>, DistributedError> {
    match std::env::var_os(KEY_ENV) {
        Some(key) if !key.is_empty() => Ok(key.into_encoded_bytes()),
        _ => Err(DistributedError::NoKey),
    }
}

/// A protocol error: `what` was expected, `got` came. Given.
pub fn unexpected(what: &str, got: &Message) -> DistributedError {
    DistributedError::Protocol(format!("expected {what}, got a {}", got.kind()))
}
