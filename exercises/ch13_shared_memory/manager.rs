//! # manager: one process owns the dictionary
//!
//! Python's `multiprocessing.Manager()` (seed 000's "Manager", seed 003's
//! `BaseManager`) starts a *server process* that owns a `dict` or a `list`; the
//! other processes get proxies, and every `d[key] = value` through a proxy is a
//! request to the owner. Nothing is shared but a socket: the state lives in one
//! process, which applies the requests one at a time.
//!
//! Build it over a Unix socket with one line per request and per reply (the
//! protocol, [`Request`] and [`Reply`], is given with their `parse` and
//! `Display`):
//! 1. `Dict`: the owner's dictionary from `String` to `i64`, shared by the owner's
//!    threads. `apply(request)` carries out one request *as one indivisible
//!    step* and answers it: `Get` → `Value(Some(n))` or `Value(None)`; `Set` →
//!    `Ok`; `Add(key, n)` adds to the value (a missing key counts as 0) →
//!    `Value(Some(new value))`; `Shutdown` → `Ok`. Two `Add`s at the same time
//!    must both land (a loom check tries every interleaving).
//! 2. `serve(SOCKET)`, the owner process: listen at SOCKET
//!    (`UnixListener::bind`), print `ready` (and flush), then serve every client
//!    *at the same time* (one thread per connection): read its request lines and
//!    write one reply line each. A line that is not a request gets
//!    `Reply::Error(message)` and the connection goes on. On `shutdown`, reply
//!    `ok`, then return `Ok(())` (the process ends, its threads with it).
//! 3. `Client::request`: write the request as a line, read one line back, parse
//!    it; a reply that does not parse, or a hang-up, is
//!    [`ManagerError::Refused`].
//! 4. `main(SOCKET WORKERS TIMES)`, the seed's program: start the owner
//!    (`workbook::process::entry(SERVE)` with SOCKET, stdout piped) and wait for
//!    its `ready` line; start WORKERS workers (`WORKER` with `SOCKET hits TIMES`,
//!    given: each adds 1 to `hits` TIMES times) and wait for every one; then get
//!    `hits`, print `hits = N`, send `shutdown`, and reap the owner. If anything
//!    fails, still kill (if need be) and reap the owner and every worker, then
//!    return the first error. Arguments that are not numbers are
//!    [`ManagerError::Usage`].
//!
//! Take threads, locks and channels from `super::sync`: `Dict` is model-checked.
//! Replace the `_todo` field with your own.
//!
//! Run it yourself: `cargo run -- run manager /tmp/manager.sock 4 1000`.
//! Graded by: `cargo test --test ch13_shared_memory manager`.

use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::Path;

/// The owner's dictionary, shared by its connection threads.
pub struct Dict {
    _todo: (),
}

impl Dict {
    pub fn new() -> Dict {
        todo!("an empty dictionary behind a lock")
    }

    /// Applies one request as one indivisible step, and answers it.
    pub fn apply(&self, request: Request) -> Reply {
        let _ = request;
        todo!("lock once, carry the request out, answer")
    }
}

impl Default for Dict {
    fn default() -> Self {
        Dict::new()
    }
}

/// The owner process: listens at SOCKET, prints `ready`, serves every client at
/// the same time, one thread each, until a `shutdown` request.
pub fn serve(args: &[String]) -> Result<(), ManagerError> {
    let _ = args;
    todo!("bind, print ready, a thread per connection, stop at shutdown")
}

impl Client {
    /// Sends one request and reads its reply.
    pub fn request(&mut self, request: &Request) -> Result<Reply, ManagerError> {
        let _ = request;
        todo!("write a line, read a line, Reply::parse")
    }
}

/// The seed's program: starts the owner at SOCKET, WORKERS worker processes that
/// each add 1 to `hits` TIMES times, waits for them, prints `hits = N`, shuts the
/// owner down; every child reaped.
pub fn main(args: &[String]) -> Result<(), ManagerError> {
    let _ = args;
    todo!("owner, ready, workers, hits, shutdown, reap")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the seed's program: `manager SOCKET WORKERS TIMES`.
pub const MAIN: &str = "manager";
/// Entry point of the owner process: `serve SOCKET`.
pub const SERVE: &str = "manager::serve";
/// Entry point of a worker process: `worker SOCKET KEY TIMES`.
pub const WORKER: &str = "manager::worker";

/// What can go wrong, as a type.
#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    #[error(
        "usage: manager SOCKET WORKERS TIMES | serve SOCKET | worker SOCKET KEY \
         TIMES"
    )]
    Usage,
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("the owner answered `{0}`")]
    Refused(String),
    #[error("{what} failed ({status})")]
    Child {
        what: String,
        status: std::process::ExitStatus,
    },
}

impl ManagerError {
    /// An I/O error, saying what was being done.
    pub fn io(
        what: impl Into<String>,
    ) -> impl FnOnce(std::io::Error) -> ManagerError {
        let what = what.into();
        move |source| ManagerError::Io { what, source }
    }
}

/// One request, one line on the wire: `get KEY`, `set KEY N`, `add KEY N`,
/// `shutdown`. Keys have no whitespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Get(String),
    Set(String, i64),
    /// Adds N to the value (a missing key counts as 0); answers the new value.
    Add(String, i64),
    /// Stops the owner, once it has answered `ok`.
    Shutdown,
}

/// One reply, one line: `value N`, `none`, `ok`, `error MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Value(Option<i64>),
    Ok,
    Error(String),
}

impl Request {
    /// A request from its line (without the newline).
    pub fn parse(line: &str) -> Result<Request, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let number =
            |n: &str| n.parse::<i64>().map_err(|_| format!("not a number: {n}"));
        match words.as_slice() {
            ["get", key] => Ok(Request::Get(key.to_string())),
            ["set", key, n] => Ok(Request::Set(key.to_string(), number(n)?)),
            ["add", key, n] => Ok(Request::Add(key.to_string(), number(n)?)),
            ["shutdown"] => Ok(Request::Shutdown),
            _ => Err(format!("not a request: {line}")),
        }
    }
}

impl std::fmt::Display for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Request::Get(key) => write!(f, "get {key}"),
            Request::Set(key, n) => write!(f, "set {key} {n}"),
            Request::Add(key, n) => write!(f, "add {key} {n}"),
            Request::Shutdown => f.write_str("shutdown"),
        }
    }
}

impl Reply {
    /// A reply from its line (without the newline).
    pub fn parse(line: &str) -> Result<Reply, String> {
        match line.split_once(' ') {
            None if line == "none" => Ok(Reply::Value(None)),
            None if line == "ok" => Ok(Reply::Ok),
            Some(("value", n)) => n
                .parse()
                .map(|n| Reply::Value(Some(n)))
                .map_err(|_| format!("not a number: {n}")),
            Some(("error", message)) => Ok(Reply::Error(message.to_owned())),
            _ => Err(format!("not a reply: {line}")),
        }
    }
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reply::Value(Some(n)) => write!(f, "value {n}"),
            Reply::Value(None) => f.write_str("none"),
            Reply::Ok => f.write_str("ok"),
            Reply::Error(message) => write!(f, "error {message}"),
        }
    }
}

/// One connection to the owner.
pub struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Client {
    /// Connects to the owner listening at `socket`.
    pub fn connect(socket: &Path) -> Result<Client, ManagerError> {
        let what = || format!("connecting to {}", socket.display());
        let writer =
            UnixStream::connect(socket).map_err(ManagerError::io(what()))?;
        let reader =
            BufReader::new(writer.try_clone().map_err(ManagerError::io(what()))?);
        Ok(Client { reader, writer })
    }

    pub fn get(&mut self, key: &str) -> Result<Option<i64>, ManagerError> {
        match self.request(&Request::Get(key.into()))? {
            Reply::Value(value) => Ok(value),
            other => Err(ManagerError::Refused(other.to_string())),
        }
    }

    pub fn set(&mut self, key: &str, value: i64) -> Result<(), ManagerError> {
        match self.request(&Request::Set(key.into(), value))? {
            Reply::Ok => Ok(()),
            other => Err(ManagerError::Refused(other.to_string())),
        }
    }

    /// Adds `n` to `key`'s value in the owner, in one step; returns the new value.
    pub fn add(&mut self, key: &str, n: i64) -> Result<i64, ManagerError> {
        match self.request(&Request::Add(key.into(), n))? {
            Reply::Value(Some(value)) => Ok(value),
            other => Err(ManagerError::Refused(other.to_string())),
        }
    }

    pub fn shutdown(&mut self) -> Result<(), ManagerError> {
        match self.request(&Request::Shutdown)? {
            Reply::Ok => Ok(()),
            other => Err(ManagerError::Refused(other.to_string())),
        }
    }
}

/// A worker: connects to the owner at SOCKET and adds 1 to KEY, TIMES times.
pub fn worker(args: &[String]) -> Result<(), ManagerError> {
    let [socket, key, times] = args else {
        return Err(ManagerError::Usage);
    };
    let times: u64 = times.parse().map_err(|_| ManagerError::Usage)?;
    let mut client = Client::connect(Path::new(socket))?;
    for _ in 0..times {
        client.add(key, 1)?;
    }
    Ok(())
}
