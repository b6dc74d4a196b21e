//! # manager: one process owns the dictionary — solution
//!
//! The one idea: *state that several processes change is owned by one of them,
//! and the others send it requests*. The owner applies each request as one step
//! under its own lock, so "add 1" from two workers can never interleave the way
//! a "get, then set" of theirs would; the socket only carries the requests.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::process::{Child, Stdio};

use super::sync::{mpsc, thread, Arc, RwLock};

/// The owner's dictionary, shared by its connection threads.
pub struct Dict {
    map: RwLock<HashMap<String, i64>>,
}

impl Dict {
    pub fn new() -> Dict {
        Dict {
            map: RwLock::new(HashMap::new()),
        }
    }

    /// Reads under the read lock; changes under the write lock, in one step.
    pub fn apply(&self, request: Request) -> Reply {
        match request {
            Request::Get(key) => {
                let map = self.map.read().unwrap_or_else(|e| e.into_inner());
                Reply::Value(map.get(&key).copied())
            }
            Request::Set(key, value) => {
                let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
                map.insert(key, value);
                Reply::Ok
            }
            Request::Add(key, n) => {
                let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
                let value = map.get(&key).copied().unwrap_or(0) + n;
                map.insert(key, value);
                Reply::Value(Some(value))
            }
            Request::Shutdown => Reply::Ok,
        }
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
    let [socket] = args else {
        return Err(ManagerError::Usage);
    };
    let listener = UnixListener::bind(socket)
        .map_err(ManagerError::io(format!("listening at {socket}")))?;
    println!("ready");
    std::io::stdout()
        .flush()
        .map_err(ManagerError::io("stdout"))?;
    let dict = Arc::new(Dict::new());
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (dict, stop_tx) = (dict.clone(), stop_tx.clone());
            thread::spawn(move || {
                if let Ok(true) = converse(&dict, stream) {
                    let _ = stop_tx.send(());
                }
            });
        }
    });
    // The process ends when this returns: every connection thread with it.
    let _ = stop_rx.recv();
    Ok(())
}

/// Answers one client's requests until it hangs up; `true` after a shutdown.
fn converse(dict: &Dict, stream: UnixStream) -> std::io::Result<bool> {
    let mut writer = stream.try_clone()?;
    for line in BufReader::new(stream).lines() {
        let reply = match Request::parse(&line?) {
            Ok(Request::Shutdown) => {
                writeln!(writer, "{}", Reply::Ok)?;
                return Ok(true);
            }
            Ok(request) => dict.apply(request),
            Err(message) => Reply::Error(message),
        };
        writeln!(writer, "{reply}")?;
    }
    Ok(false)
}

impl Client {
    /// Sends one request and reads its reply.
    pub fn request(&mut self, request: &Request) -> Result<Reply, ManagerError> {
        writeln!(self.writer, "{request}")
            .map_err(ManagerError::io("sending a request"))?;
        let mut line = String::new();
        let read = self
            .reader
            .read_line(&mut line)
            .map_err(ManagerError::io("reading a reply"))?;
        if read == 0 {
            return Err(ManagerError::Refused("(the owner hung up)".into()));
        }
        Reply::parse(line.trim_end()).map_err(ManagerError::Refused)
    }
}

/// The seed's program: starts the owner at SOCKET, WORKERS worker processes that
/// each add 1 to `hits` TIMES times, waits for them, prints `hits = N`, shuts the
/// owner down; every child reaped.
pub fn main(args: &[String]) -> Result<(), ManagerError> {
    let [socket, workers, times] = args else {
        return Err(ManagerError::Usage);
    };
    let workers: usize = workers.parse().map_err(|_| ManagerError::Usage)?;
    let _: u64 = times.parse().map_err(|_| ManagerError::Usage)?;
    let mut owner = workbook::process::entry(SERVE)
        .arg(socket)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(ManagerError::io("starting the owner"))?;
    let outcome = run_workers(&mut owner, socket, workers, times);
    // Whatever happened, the owner goes and is reaped.
    if outcome.is_err() {
        let _ = owner.kill();
    }
    let status = owner
        .wait()
        .map_err(ManagerError::io("waiting for the owner"))?;
    let hits = outcome?;
    if !status.success() {
        let what = "the owner".into();
        return Err(ManagerError::Child { what, status });
    }
    println!("hits = {hits}");
    Ok(())
}

/// Waits for the owner's `ready`, runs the workers, reads `hits`, shuts it down.
fn run_workers(
    owner: &mut Child,
    socket: &str,
    workers: usize,
    times: &str,
) -> Result<i64, ManagerError> {
    let stdout = owner.stdout.take().expect("piped");
    let mut ready = String::new();
    BufReader::new(stdout)
        .read_line(&mut ready)
        .map_err(ManagerError::io("waiting for the owner"))?;
    if ready.trim_end() != "ready" {
        return Err(ManagerError::Refused(format!("the owner said {ready:?}")));
    }
    let children: Vec<_> = (0..workers)
        .map(|n| {
            let what = format!("worker {n}");
            workbook::process::entry(WORKER)
                .args([socket, "hits", times])
                .spawn()
                .map(|child| (what.clone(), child))
                .map_err(ManagerError::io(what))
        })
        .collect();
    let mut first_error = None;
    for child in children {
        let outcome = child.and_then(|(what, mut child)| match child.wait() {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(ManagerError::Child { what, status }),
            Err(source) => Err(ManagerError::Io { what, source }),
        });
        if let Err(e) = outcome {
            first_error.get_or_insert(e);
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    let mut client = Client::connect(Path::new(socket))?;
    let hits = client.get("hits")?.unwrap_or(0);
    client.shutdown()?;
    Ok(hits)
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
