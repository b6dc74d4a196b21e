//! # Distributed: the suite shared among worker processes over TCP — solution
//!
//! The one idea: a test handed to a worker is only *lent* to that connection. It
//! comes back to the front of the queue the moment the connection ends without its
//! report — however it ends — and a report counts only from the connection that
//! holds the test; so a killed worker costs a rerun, never a lost or a doubled
//! result. Everything else is the handshake of chapter 9: prove the key, then
//! believe nothing unchecked.

use std::collections::{HashSet, VecDeque};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::sequential::{run_one, TestResult, TestSpec};

/// The master: hands `specs` to the workers that connect to `listener` and prove
/// they know `key`; returns every result, in the order of `specs`, once all are in.
pub fn serve(
    listener: TcpListener,
    key: &[u8],
    specs: &[TestSpec],
) -> Result<Vec<TestResult>, DistributedError> {
    let addr = listener.local_addr()?;
    let board = Arc::new(Board::new(specs.to_vec()));
    let acceptor = {
        let (board, key) = (Arc::clone(&board), key.to_vec());
        thread::spawn(move || {
            for (number, stream) in listener.incoming().enumerate() {
                if board.finished() {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (board, key) = (Arc::clone(&board), key.clone());
                thread::spawn(move || {
                    let _ = serve_worker(&stream, number, &key, &board);
                });
            }
        })
    };
    let results = board.wait_for_all();
    // Wake the acceptor from `accept` so that it sees the board is finished.
    let _ = TcpStream::connect(addr);
    let _ = acceptor.join();
    Ok(results)
}

/// The master's side of one connection: the handshake, then `Ask` and `Report`
/// until the worker hangs up. Whatever ends it, the tests this connection holds
/// go back to the queue.
fn serve_worker(
    stream: &TcpStream,
    connection: usize,
    key: &[u8],
    board: &Board,
) -> Result<(), DistributedError> {
    let _lease = Lease { board, connection };
    challenge(stream, key)?;
    loop {
        let reply = match read_message(stream)? {
            Message::Ask => match board.next_for(connection) {
                Some((id, spec)) => Message::Job { id, spec },
                None => Message::Done,
            },
            Message::Report { id, result } => {
                board.report(connection, id, result);
                Message::Noted { id }
            }
            other => {
                let reason = format!("unexpected {}", other.kind());
                let _ = write_message(
                    stream,
                    &Message::Refused {
                        reason: reason.clone(),
                    },
                );
                return Err(DistributedError::Protocol(reason));
            }
        };
        let done = reply == Message::Done;
        write_message(stream, &reply)?;
        if done {
            return Ok(());
        }
    }
}

/// A worker: connect to the master at `args[0]`, prove the key from [`KEY_ENV`]
/// under the name `args[1]`, then run one test after another until it says `Done`.
pub fn worker(args: &[String]) -> Result<(), DistributedError> {
    let [addr, name] = args else {
        return Err(DistributedError::Usage("worker ADDR NAME".into()));
    };
    let key = key_from_env()?;
    let stream = TcpStream::connect(addr.as_str())?;
    prove(&stream, &key, name)?;
    loop {
        write_message(&stream, &Message::Ask)?;
        match read_message(&stream)? {
            Message::Job { id, spec } => {
                let result = run_one(&spec);
                write_message(&stream, &Message::Report { id, result })?;
                match read_message(&stream)? {
                    Message::Noted { id: noted } if noted == id => {}
                    other => return Err(unexpected("a note of the report", &other)),
                }
            }
            Message::Done => return Ok(()),
            other => return Err(unexpected("a job", &other)),
        }
    }
}

/// The queue and the results, shared by the master's connection threads.
struct Board {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    specs: Vec<TestSpec>,
    queue: VecDeque<usize>,
    /// `(connection, id)` of every test lent and not yet reported.
    lent: HashSet<(usize, usize)>,
    results: Vec<Option<TestResult>>,
    missing: usize,
}

impl Board {
    fn new(specs: Vec<TestSpec>) -> Self {
        let n = specs.len();
        Board {
            state: Mutex::new(State {
                specs,
                queue: (0..n).collect(),
                lent: HashSet::new(),
                results: vec![None; n],
                missing: n,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn finished(&self) -> bool {
        self.lock().missing == 0
    }

    /// The next test for `connection`, waiting while every test left is lent to
    /// someone else (one of them may come back); `None` once all are reported.
    fn next_for(&self, connection: usize) -> Option<(usize, TestSpec)> {
        let mut state = self.lock();
        loop {
            if state.missing == 0 {
                return None;
            }
            if let Some(id) = state.queue.pop_front() {
                state.lent.insert((connection, id));
                return Some((id, state.specs[id].clone()));
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Keeps `result` if `connection` holds test `id`; anything else is ignored.
    fn report(&self, connection: usize, id: usize, result: TestResult) {
        let mut state = self.lock();
        if state.lent.remove(&(connection, id)) && state.results[id].is_none() {
            state.results[id] = Some(result);
            state.missing -= 1;
            self.changed.notify_all();
        }
    }

    /// Puts every test `connection` holds back at the front of the queue.
    fn give_back(&self, connection: usize) {
        let mut state = self.lock();
        let held: Vec<(usize, usize)> = state
            .lent
            .iter()
            .filter(|(c, _)| *c == connection)
            .copied()
            .collect();
        for lease in held {
            state.lent.remove(&lease);
            state.queue.push_front(lease.1);
        }
        self.changed.notify_all();
    }

    fn wait_for_all(&self) -> Vec<TestResult> {
        let mut state = self.lock();
        while state.missing > 0 {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state
            .results
            .iter()
            .map(|r| r.clone().expect("all are in"))
            .collect()
    }
}

/// Gives a connection's tests back when its thread ends, however it ends.
struct Lease<'a> {
    board: &'a Board,
    connection: usize,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        self.board.give_back(self.connection);
    }
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
