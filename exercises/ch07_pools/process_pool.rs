//! # A pool of worker processes
//!
//! The seeds' pool really is made of *processes*: `Pool(4)` starts four,
//! `apply_async` and `map` hand them work, and `os.getpid()` in the task shows which
//! one ran it. Python pickles the function and its arguments down a pipe. Code
//! cannot cross a process boundary in Rust (nor, really, in Python: pickle sends the
//! function's *name*). So here a task names a function registered in the worker
//! ([`FUNCTIONS`]) and carries its arguments as JSON; the reply comes back the same
//! way. The worker process's side — the registry, the wire format and the request
//! loop [`worker`] — is written for you, at the bottom of the file, with `main`, the
//! program `cargo run -- run process_pool primes WORKERS TASKS N` (or `sleep … MS`),
//! the seed's `Pool.map` measured in `book/python/compare.py`.
//!
//! Your task: the parent's side, [`ProcessPool`].
//! - `new(n)`: start `n` worker processes once (`workbook::process::entry(WORKER)`
//!   with stdin and stdout piped); `n == 0` is [`ProcessPoolError::NoWorkers`].
//! - `apply_async(function, &args)` queues the call and returns a [`ProcessTask`] at
//!   once; `get` / `get_timeout` as in the thread pool. `apply` (Python's blocking
//!   `pool.apply`) runs one call on a worker and waits for its result. A worker's
//!   [`Reply`] becomes the task's result with [`Reply::into_result`], and [`decode`]
//!   turns it into the type the caller asked for.
//! - `map`: the results in input order, whatever order the tasks finish in; if
//!   tasks fail, the error is the first failed task's *in input order*, once every
//!   task has finished.
//! - Tasks run on the `n` workers at the same time (one parent-side thread per
//!   worker is the simple way: each takes a task from a shared queue, writes a
//!   [`request_line`] to its child's stdin and reads one reply line back).
//! - A worker that dies mid-task (end-of-file instead of a reply) is reaped and
//!   replaced by a fresh one, and *its task* fails with
//!   [`ProcessPoolError::WorkerCrashed`] — never lost, never hanging. Start the
//!   replacement before reporting the failure, so that whoever sees the failure sees
//!   a full pool again. `worker_pids` lists the live workers.
//! - `close`, `join`, `terminate` as in the thread pool (`join` is
//!   [`ProcessPoolError::StillRunning`] before `close` or `terminate`);
//!   `terminate` kills the workers (their running tasks fail with `WorkerCrashed`,
//!   queued ones are `Cancelled`). After `join`, or when the pool is dropped, no
//!   worker process is left — not even a zombie — however long a worker takes to
//!   exit once its stdin is closed (the registered `exit_slowly` makes one slow).
//!   Only signal a pid you have not reaped yet (a reaped pid can be reused).
//!
//! Replace the `_todo` fields with your own.
//! Graded by: `cargo test --test ch07_pools process_pool`.

use std::io::{self, BufRead, Write};
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

// ---- the parent's side: the pool (yours) ----

/// What `apply_async` returns: the task's result, later.
pub struct ProcessTask<R> {
    _todo: PhantomData<R>,
}

impl<R: DeserializeOwned> ProcessTask<R> {
    /// Waits for the task's result.
    pub fn get(self) -> Result<R, ProcessPoolError> {
        todo!("wait for the reply, then decode it")
    }

    /// Waits at most `timeout`: [`ProcessPoolError::Timeout`] if no result came by
    /// then.
    pub fn get_timeout(&self, timeout: Duration) -> Result<R, ProcessPoolError> {
        let _ = timeout;
        todo!("like get, with a deadline")
    }
}

/// `n` worker processes, started once, fed tasks over their stdin and answering on
/// stdout.
pub struct ProcessPool {
    _todo: (),
}

impl ProcessPool {
    /// Starts `workers` worker processes.
    pub fn new(workers: usize) -> Result<Self, ProcessPoolError> {
        let _ = workers;
        todo!("start the worker processes and a parent-side thread for each")
    }

    /// The pids of the worker processes alive now.
    pub fn worker_pids(&self) -> Vec<u32> {
        todo!()
    }

    /// Runs the registered `function` with `args` on a worker and waits for its
    /// result (Python's `apply`).
    pub fn apply<A, R>(
        &self,
        function: &str,
        args: &A,
    ) -> Result<R, ProcessPoolError>
    where
        A: Serialize,
        R: DeserializeOwned,
    {
        let _ = (function, request_line(function, args));
        todo!("like apply_async, then wait")
    }

    /// Queues a call of the registered `function` with `args`; returns at once.
    pub fn apply_async<A, R>(
        &self,
        function: &str,
        args: &A,
    ) -> Result<ProcessTask<R>, ProcessPoolError>
    where
        A: Serialize,
        R: DeserializeOwned,
    {
        let _ = (function, request_line(function, args));
        todo!("queue the encoded request; its reply comes through the ProcessTask")
    }

    /// `function` over every input, on the workers; the results in input order, or
    /// the first failed task's error (after every task has finished).
    pub fn map<A, R>(
        &self,
        function: &str,
        inputs: impl IntoIterator<Item = A>,
    ) -> Result<Vec<R>, ProcessPoolError>
    where
        A: Serialize,
        R: DeserializeOwned,
    {
        let _ = (function, inputs.into_iter());
        todo!("apply_async every input, then get every task in order")
    }

    /// No new work; what is queued is still done.
    pub fn close(&self) {
        todo!()
    }

    /// Stops now: running tasks' workers are killed (those tasks fail), queued tasks
    /// are dropped (`Cancelled`).
    pub fn terminate(&self) {
        todo!()
    }

    /// Waits until every worker process has exited and been reaped.
    pub fn join(&self) -> Result<(), ProcessPoolError> {
        todo!()
    }
}

impl Drop for ProcessPool {
    /// Like Python's pool when it is collected: terminate, then wait for the
    /// workers.
    fn drop(&mut self) {
        // Yours: no worker process may outlive the pool. (Never panic in `drop`.)
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The entry point a worker process runs (listed in `workbook.toml`).
pub const WORKER: &str = "process_pool::worker";

/// What callers of the pool must tell apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcessPoolError {
    #[error("a pool needs at least one worker process")]
    NoWorkers,
    #[error("cannot start a worker process: {0}")]
    Spawn(String),
    #[error("the pool is closed: it accepts no new work")]
    Closed,
    #[error("join needs close() or terminate() first: the pool is still running")]
    StillRunning,
    #[error("no function called `{0}` is registered in the worker")]
    UnknownFunction(String),
    #[error("bad arguments for `{function}`: {message}")]
    BadArguments { function: String, message: String },
    #[error("`{function}` failed: {message}")]
    TaskFailed { function: String, message: String },
    #[error("cannot encode or decode a message: {0}")]
    Encoding(String),
    #[error(
        "the worker process running `{function}` died ({status}); it was replaced"
    )]
    WorkerCrashed { function: String, status: String },
    #[error("the task did not finish within {0:?}")]
    Timeout(Duration),
    #[error("the task was dropped unrun: the pool was terminated")]
    Cancelled,
}

// ---- the wire format: one JSON object per line, each way ----

/// Parent to worker: call `function` with `args`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub function: String,
    pub args: Value,
}

/// Worker to parent: the answer to one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Ok(Value),
    UnknownFunction(String),
    BadArguments(String),
    Failed(String),
    BadRequest(String),
}

impl Reply {
    /// The caller's view of a reply to a call of `function`.
    pub fn into_result(self, function: &str) -> Result<Value, ProcessPoolError> {
        match self {
            Reply::Ok(value) => Ok(value),
            Reply::UnknownFunction(name) => {
                Err(ProcessPoolError::UnknownFunction(name))
            }
            Reply::BadArguments(message) => Err(ProcessPoolError::BadArguments {
                function: function.to_owned(),
                message,
            }),
            Reply::Failed(message) => Err(ProcessPoolError::TaskFailed {
                function: function.to_owned(),
                message,
            }),
            Reply::BadRequest(message) => Err(ProcessPoolError::Encoding(message)),
        }
    }
}

/// Encodes a request as one line (with its `\n`).
pub fn request_line<A: Serialize>(
    function: &str,
    args: &A,
) -> Result<String, ProcessPoolError> {
    let args = serde_json::to_value(args)
        .map_err(|e| ProcessPoolError::Encoding(e.to_string()))?;
    let request = Request {
        function: function.to_owned(),
        args,
    };
    let mut line = serde_json::to_string(&request)
        .map_err(|e| ProcessPoolError::Encoding(e.to_string()))?;
    line.push('\n');
    Ok(line)
}

/// Decodes a task's result into the type the caller asked for.
pub fn decode<R: DeserializeOwned>(value: Value) -> Result<R, ProcessPoolError> {
    serde_json::from_value(value)
        .map_err(|e| ProcessPoolError::Encoding(e.to_string()))
}

// ---- the worker's side: registered functions and the request loop ----

/// A function a worker can run: JSON arguments in, its reply out.
pub type Function = fn(Value) -> Reply;

/// Every function a task may name. Code cannot cross a process boundary; a name can.
pub const FUNCTIONS: &[(&str, Function)] = &[
    ("square", |args| call(args, |x: i64| x.wrapping_mul(x))),
    ("multiply", |args| {
        call(args, |(x, y): (i64, i64)| x.wrapping_mul(y))
    }),
    ("count_primes", |args| call(args, count_primes)),
    ("sleep_ms", |args| {
        call(args, |ms: u64| {
            std::thread::sleep(Duration::from_millis(ms))
        })
    }),
    ("pid", |args| call(args, |(): ()| std::process::id())),
    ("read_file", |args| {
        fallible(args, |path: String| {
            std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))
        })
    }),
    ("crash", |args| call(args, |(): ()| crash())),
    ("exit_slowly", |args| call(args, exit_slowly)),
];

/// Looks a registered function up by name.
pub fn lookup(name: &str) -> Option<Function> {
    FUNCTIONS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, function)| *function)
}

/// Decodes the arguments, calls `f`, encodes its result.
fn call<A: DeserializeOwned, R: Serialize>(
    args: Value,
    f: impl FnOnce(A) -> R,
) -> Reply {
    fallible(args, |args| Ok(f(args)))
}

/// [`call`] for a function that can fail with a message.
fn fallible<A, R>(args: Value, f: impl FnOnce(A) -> Result<R, String>) -> Reply
where
    A: DeserializeOwned,
    R: Serialize,
{
    let args = match serde_json::from_value(args) {
        Ok(args) => args,
        Err(e) => return Reply::BadArguments(e.to_string()),
    };
    match f(args).map(serde_json::to_value) {
        Ok(Ok(value)) => Reply::Ok(value),
        Ok(Err(e)) => Reply::BadRequest(e.to_string()),
        Err(message) => Reply::Failed(message),
    }
}

/// How many primes are below `n`: honest CPU work, the same on every run.
pub fn count_primes(n: u64) -> u64 {
    (2..n)
        .filter(|&k| (2..).take_while(|d| d * d <= k).all(|d| k % d != 0))
        .count() as u64
}

super::sync::thread_local! {
    /// The named pipe `exit_slowly` gave this worker, if any.
    static EXIT_PIPE: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// Makes this worker slow to exit: once its stdin has ended it waits until someone
/// has opened the named pipe `fifo` for writing and closed it again.
fn exit_slowly(fifo: String) {
    EXIT_PIPE.with(|pipe| *pipe.borrow_mut() = Some(fifo));
}

/// Dies mid-task the hard way (SIGKILL: no unwinding, no reply, no core file).
fn crash() {
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
    unreachable!("SIGKILL cannot be survived");
}

/// Answers one request line.
pub fn answer(line: &str) -> Reply {
    let request: Request = match serde_json::from_str(line) {
        Ok(request) => request,
        Err(e) => return Reply::BadRequest(e.to_string()),
    };
    match lookup(&request.function) {
        None => Reply::UnknownFunction(request.function),
        Some(function) => function(request.args),
    }
}

/// The worker process: one request per line on stdin, one reply per line on stdout,
/// until stdin ends (the pool closed it); then it exits (after `exit_slowly`, only
/// once its pipe has been opened and closed).
pub fn worker(_args: &[String]) -> io::Result<()> {
    exit_when_orphaned();
    let stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    for line in stdin.lines() {
        let reply = answer(&line?);
        let encoded = serde_json::to_string(&reply).map_err(io::Error::other)?;
        writeln!(stdout, "{encoded}")?;
        stdout.flush()?;
    }
    if let Some(fifo) = EXIT_PIPE.with(|pipe| pipe.borrow_mut().take()) {
        // Blocks until a writer opens the pipe, then until it closes it.
        io::copy(&mut std::fs::File::open(fifo)?, &mut io::sink())?;
    }
    Ok(())
}

/// A worker whose pool's process is gone (crashed, or killed before it could clean
/// up) exits by itself, even while its task is stuck: nothing outlives the pool for
/// long.
fn exit_when_orphaned() {
    let parent = std::os::unix::process::parent_id();
    super::sync::thread::spawn(move || loop {
        super::sync::thread::sleep(Duration::from_millis(100));
        if std::os::unix::process::parent_id() != parent {
            std::process::exit(3);
        }
    });
}

/// The program (`cargo run -- run process_pool sleep WORKERS TASKS MS`, or
/// `… primes WORKERS TASKS N`): a pool of `WORKERS` processes maps `sleep_ms` (`MS`
/// each) or `count_primes` (below `N`) over `TASKS` inputs, as the seed's
/// `Pool.map` does, and prints how many results came back.
/// `book/python/compare.py` times it beside the seed.
pub fn main(args: &[String]) -> Result<(), String> {
    const USAGE: &str = "usage: process_pool sleep|primes WORKERS TASKS ARG";
    let [kind, workers, tasks, arg] = args else {
        return Err(USAGE.into());
    };
    let number =
        |s: &String| s.parse::<u64>().map_err(|_| format!("{USAGE} ({s:?})"));
    let (workers, tasks, arg) = (number(workers)?, number(tasks)?, number(arg)?);
    let function = match kind.as_str() {
        "sleep" => "sleep_ms",
        "primes" => "count_primes",
        _ => return Err(format!("{USAGE} ({kind:?})")),
    };
    let pool =
        ProcessPool::new(usize::try_from(workers).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let results: Vec<Value> = pool
        .map(function, (0..tasks).map(|_| arg))
        .map_err(|e| e.to_string())?;
    pool.close();
    pool.join().map_err(|e| e.to_string())?;
    println!("results: {}", results.len());
    Ok(())
}
