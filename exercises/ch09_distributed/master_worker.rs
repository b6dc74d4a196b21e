//! # A master and its workers, over TCP, with a shared key
//!
//! The seed's distributed queue: a master registers a task queue and a result queue
//! on a port with `authkey=b"..."`, puts random numbers in, workers on other
//! machines connect, compute `n * n` and put the results back. Two programs of the
//! chapter play the parts here: `master` and `worker`, written for you at the
//! bottom of the file with the error type, the command lines and a few helpers.
//! What is left is the heart of each:
//!
//! 1. `sign` and `verify`: the worker must prove it knows the shared key *without
//!    sending it*. The master sends a fresh random nonce; the worker answers
//!    HMAC-SHA256(key, nonce) (`hmac::Hmac<sha2::Sha256>`, trait `hmac::Mac`); the
//!    master computes the same and compares **in constant time** (a `==` that stops
//!    at the first differing byte tells an attacker, by its timing, how much of a
//!    guess was right). Only the whole, exact proof is accepted. The first attempt
//!    below sends the key itself and compares with `==`: anyone listening learns
//!    the key.
//! 2. `serve_worker`, the master's side of one connection: send a `Challenge` (a
//!    fresh `new_nonce`), read the `Proof`. A wrong proof gets `Refused` with the
//!    reason `authentication failed` and `serve_worker` returns
//!    [`MasterWorkerError::AuthFailed`]; a missing one is refused too; neither ever
//!    gets a task. A good proof gets `Welcome`. Then answer each `Ask` with a `Task`
//!    from the table (or `NoTask`) and each `Result` with an `Ack` (a `Result` for a
//!    task that does not exist gets an `Error` naming its id). A lease runs from the
//!    moment its task is handed out: `take` wants the time of that `Ask`. A frame
//!    that cannot be read, or has no business here, gets one `Error` reply saying
//!    what was wrong, and ends *this* connection only, returning that error (the
//!    master logs it): for a frame that cannot be read, that is
//!    [`MasterWorkerError::Frame`] with the [`FrameError`] `read_frame` gave. A
//!    worker that hangs up (`FrameError::Closed`) ends it normally. Give the
//!    handshake a read timeout (`HANDSHAKE_TIMEOUT`) so a silent client cannot hold
//!    a thread forever.
//! 3. `handshake` and `work`, the worker's side: answer the challenge; then `Ask`,
//!    and for a `Task` print `Run task ID: N * N...` (flush it: tests wait for that
//!    line), compute, send the `Result`, read the `Ack`. With `--stall`, never
//!    finish a task (tests kill such a worker). After `patience_ms` of `NoTask`
//!    answers in a row — or when the master has gone (`master_gone`: it exits once
//!    every result is in), which is no error — say so with `queue_is_empty` and
//!    return. A `Refused` handshake is [`MasterWorkerError::Refused`] with the
//!    master's reason.
//!
//! Leases and exactly-once results are the task table's job (`task_table.rs`),
//! frames are `frames.rs`'s: do those first.
//!
//! Run it yourself: `WORKBOOK_AUTHKEY=secret cargo run -- run
//! master_worker::master`, then in another terminal, with the same key, `cargo run
//! -- run master_worker::worker --master 127.0.0.1:PORT`. Graded by: `cargo test
//! --test ch09_distributed master_worker`.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use clap::Parser;

use super::frames::{FrameError, Message};
use super::sync::{thread, Arc};
use super::task_table::{Task, TaskTable};

/// The worker's answer to a challenge: HMAC-SHA256 keyed with `key`, over `nonce`.
pub fn sign(key: &[u8], nonce: &[u8]) -> Vec<u8> {
    let _ = nonce;
    key.to_vec() // the first attempt: "here is the password"
}

/// Whether `proof` is [`sign`]`(key, nonce)`, compared in constant time.
pub fn verify(key: &[u8], nonce: &[u8], proof: &[u8]) -> bool {
    let _ = nonce;
    proof == key
}

/// The master's side of one connection: challenge, verify, then serve `Ask` and
/// `Result` until the worker hangs up. `worker` is this connection's number, for the
/// leases.
pub fn serve_worker(
    stream: TcpStream,
    worker: u64,
    key: &[u8],
    table: &TaskTable,
) -> Result<(), MasterWorkerError> {
    let _ = (stream, worker, key, table);
    todo!(
        "challenge, verify the proof (or refuse), then answer Ask and Result frames"
    )
}

/// The worker's side of the handshake: answer the master's challenge with
/// [`sign`]; `Ok` once the master says `Welcome`.
pub fn handshake(
    stream: &TcpStream,
    key: &[u8],
    name: &str,
) -> Result<(), MasterWorkerError> {
    let _ = (stream, key, name);
    todo!("read the Challenge, send a Proof, expect Welcome (Refused is an error)")
}

/// The worker's work, once welcome: ask for tasks, compute, return results, until
/// there has been no task for `patience_ms` or the master is gone. Returns how many
/// it did.
pub fn work(
    stream: &TcpStream,
    args: &WorkerArgs,
) -> Result<usize, MasterWorkerError> {
    let _ = (stream, args);
    todo!("Ask / compute / Result until the queue stays empty or the master is gone")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the master program.
pub const MASTER: &str = "master_worker::master";
/// Entry point of the worker program.
pub const WORKER: &str = "master_worker::worker";
/// The environment variable holding the shared key (never a command-line argument,
/// which every user of the machine can read with `ps`).
pub const KEY_ENV: &str = "WORKBOOK_AUTHKEY";
/// Bytes of a challenge.
pub const NONCE_LEN: usize = 32;
/// How long the master waits for a new connection to prove itself.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a worker waits between two asks when there was no task.
pub const POLL: Duration = Duration::from_millis(20);

#[derive(Debug, thiserror::Error)]
pub enum MasterWorkerError {
    #[error("set {KEY_ENV} to the shared key (it must not be empty)")]
    NoKey,
    #[error("authentication failed")]
    AuthFailed,
    #[error("refused by the master: {0}")]
    Refused(String),
    #[error("protocol error: {0}")]
    Protocol(String),
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
    #[error("only {done} of {total} results came in within {waited:?}")]
    Incomplete {
        done: usize,
        total: usize,
        waited: Duration,
    },
    #[error("{0}")]
    Usage(String),
}

/// The master's command line. Given.
#[derive(Debug, Parser)]
#[command(
    name = "master",
    about = "Hands out n*n tasks to authenticated workers"
)]
pub struct MasterArgs {
    /// This many random numbers (0..=10000) as tasks.
    #[arg(long, default_value_t = 10)]
    pub tasks: usize,
    /// These numbers as tasks, instead of random ones (`--numbers 3,5,7`).
    #[arg(long, value_delimiter = ',')]
    pub numbers: Vec<u64>,
    /// How long a worker may hold a task before it is handed to another, in ms.
    #[arg(long, default_value_t = 2000)]
    pub lease_ms: u64,
    /// How long to wait for all results before giving up, in seconds.
    #[arg(long, default_value_t = 60)]
    pub wait_secs: u64,
}

/// The worker's command line. Given.
#[derive(Debug, Clone, Parser)]
#[command(name = "worker", about = "Computes n*n for the master")]
pub struct WorkerArgs {
    /// The master's address, as it printed it (`127.0.0.1:PORT`).
    #[arg(long)]
    pub master: SocketAddr,
    /// This worker's name, for the master's log.
    #[arg(long, default_value = "worker")]
    pub name: String,
    /// Give up after finding no task for this long, in ms.
    #[arg(long, default_value_t = 1000)]
    pub patience_ms: u64,
    /// For tests: after taking a task (and printing `Run task …`), never finish it.
    #[arg(long)]
    pub stall: bool,
    /// For tests: once welcome, wait for a line on stdin before asking for tasks.
    #[arg(long)]
    pub wait_for_go: bool,
}

fn parse<T: Parser>(name: &str, args: &[String]) -> Result<T, MasterWorkerError> {
    T::try_parse_from(std::iter::once(name).chain(args.iter().map(String::as_str)))
        .map_err(|e| MasterWorkerError::Usage(e.to_string()))
}

/// The shared key, from [`KEY_ENV`]. Given.
pub fn key_from_env() -> Result<Vec<u8>, MasterWorkerError> {
    match std::env::var_os(KEY_ENV) {
        Some(key) if !key.is_empty() => Ok(key.into_encoded_bytes()),
        _ => Err(MasterWorkerError::NoKey),
    }
}

/// A fresh random challenge. Given.
pub fn new_nonce() -> Result<Vec<u8>, MasterWorkerError> {
    let mut nonce = vec![0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(nonce)
}

/// Prints one result, as the seed's master does. Given.
pub fn print_result(task: Task, square: u64) {
    let mut out = io::stdout().lock();
    let _ = writeln!(
        out,
        "Result: task {}: {} * {} = {square}",
        task.id, task.n, task.n
    );
    let _ = out.flush();
}

/// Prints the seed's farewell. Given.
pub fn queue_is_empty(done: usize, master_gone: bool) -> usize {
    if master_gone {
        println!("task queue is empty (the master has closed)");
    } else {
        println!("task queue is empty");
    }
    done
}

/// Whether an error means the master hung up (it exits once every result is in).
/// Given.
pub fn master_gone(error: &FrameError) -> bool {
    match error {
        FrameError::Closed | FrameError::Truncated => true,
        FrameError::Io(e) => matches!(
            e.kind(),
            io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof
        ),
        _ => false,
    }
}

/// A protocol error for a message that has no business here. Given.
pub fn unexpected(wanted: &str, got: Message) -> MasterWorkerError {
    MasterWorkerError::Protocol(format!("expected {wanted}, got {got:?}"))
}

/// The master program. Given.
///
/// Prints `Put task N...` per task, then `listening on 127.0.0.1:PORT` (the port is
/// chosen by the OS), serves every connection on a thread of its own, and once every
/// result is in, prints them (`Result: task ID: N * N = SQUARE`) and exits.
pub fn master(args: &[String]) -> Result<(), MasterWorkerError> {
    let args: MasterArgs = parse("master", args)?;
    let key: Arc<[u8]> = key_from_env()?.into();
    let numbers = if args.numbers.is_empty() {
        random_numbers(args.tasks)?
    } else {
        args.numbers.clone()
    };
    for n in &numbers {
        println!("Put task {n}...");
    }
    let table = Arc::new(TaskTable::new(
        numbers.iter().copied(),
        Duration::from_millis(args.lease_ms),
    ));
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    println!("listening on {}", listener.local_addr()?);
    println!("Try get results...");
    io::stdout().flush()?;
    let serving = Arc::clone(&table);
    thread::spawn(move || accept_all(listener, key, serving));
    let waited = Duration::from_secs(args.wait_secs);
    if !table.wait_finished(waited) {
        return Err(MasterWorkerError::Incomplete {
            done: table.results().len(),
            total: numbers.len(),
            waited,
        });
    }
    for (task, square) in table.results() {
        print_result(task, square);
    }
    println!("all {} results recorded", numbers.len());
    println!("Master Exit.");
    Ok(())
}

fn accept_all(listener: TcpListener, key: Arc<[u8]>, table: Arc<TaskTable>) {
    for (worker, connection) in (1u64..).zip(listener.incoming()) {
        let stream = match connection {
            Ok(stream) => stream,
            Err(e) => {
                eprintln!("master: accept failed: {e}");
                continue;
            }
        };
        let (key, table) = (Arc::clone(&key), Arc::clone(&table));
        thread::spawn(move || {
            if let Err(e) = serve_worker(stream, worker, &key, &table) {
                eprintln!("master: connection #{worker}: {e}");
            }
        });
    }
}

fn random_numbers(count: usize) -> Result<Vec<u64>, MasterWorkerError> {
    let mut bytes = vec![0u8; count * 2];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(bytes
        .chunks(2)
        .map(|pair| u64::from(u16::from_le_bytes([pair[0], pair[1]])) % 10_001)
        .collect())
}

/// The worker program. Given.
pub fn worker(args: &[String]) -> Result<(), MasterWorkerError> {
    let args: WorkerArgs = parse("worker", args)?;
    let key = key_from_env()?;
    println!("Connect to server {}...", args.master);
    let stream = TcpStream::connect(args.master)?;
    handshake(&stream, &key, &args.name)?;
    println!("Connected as {}.", args.name);
    io::stdout().flush()?;
    if args.wait_for_go {
        let mut line = String::new();
        io::stdin().read_line(&mut line)?;
    }
    let done = work(&stream, &args)?;
    println!("Worker Exit. ({done} tasks done)");
    Ok(())
}
