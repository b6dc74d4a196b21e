//! # A pool of worker processes — solution
//!
//! The one idea: a process pool is a thread pool whose workers each *own a child
//! process*. A parent-side thread per child takes a task from the shared queue,
//! writes it down the child's stdin and reads the reply from its stdout. End-of-file
//! instead of a reply means the child died mid-task: that task fails, the corpse is
//! reaped and a fresh child takes the slot. Terminating kills the children and every
//! one is reaped.

use std::io::{self, BufRead, BufReader, Write};
use std::marker::PhantomData;
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::thread::{self, JoinHandle};
use super::sync::{mpsc, Arc, Mutex, MutexGuard};

// ---- the parent's side: the pool ----

/// One queued task: its encoded request and where its reply goes.
struct Task {
    function: String,
    line: String,
    reply: mpsc::Sender<Result<Value, ProcessPoolError>>,
}

/// What `apply_async` returns: the task's result, later.
pub struct ProcessTask<R> {
    reply: mpsc::Receiver<Result<Value, ProcessPoolError>>,
    _result: PhantomData<R>,
}

impl<R: DeserializeOwned> ProcessTask<R> {
    /// Waits for the task's result.
    pub fn get(self) -> Result<R, ProcessPoolError> {
        let value = self.reply.recv().map_err(|_| ProcessPoolError::Cancelled)?;
        decode(value?)
    }

    /// Waits at most `timeout`: [`ProcessPoolError::Timeout`] if no result came by
    /// then.
    pub fn get_timeout(&self, timeout: Duration) -> Result<R, ProcessPoolError> {
        let value = self.reply.recv_timeout(timeout).map_err(|e| match e {
            mpsc::RecvTimeoutError::Timeout => ProcessPoolError::Timeout(timeout),
            mpsc::RecvTimeoutError::Disconnected => ProcessPoolError::Cancelled,
        })?;
        decode(value?)
    }
}

/// The pids of the live worker processes, one slot per worker (`None` while being
/// replaced).
type Pids = Arc<Mutex<Vec<Option<u32>>>>;

/// `n` worker processes, started once, fed tasks over their stdin and answering on
/// stdout.
pub struct ProcessPool {
    tasks: Mutex<Option<mpsc::Sender<Task>>>,
    feeders: Mutex<Vec<JoinHandle<()>>>,
    pids: Pids,
    stopping: Arc<AtomicBool>,
}

/// A worker process and its pipes.
struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    fn start() -> Result<Worker, ProcessPoolError> {
        let mut child = workbook::process::entry(WORKER)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| ProcessPoolError::Spawn(e.to_string()))?;
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(Worker {
            child,
            stdin,
            stdout,
        })
    }

    /// Sends one request and reads its reply; `None` if the worker died on the way.
    fn call(&mut self, line: &str) -> Option<Reply> {
        let stdin = self.stdin.as_mut()?;
        stdin.write_all(line.as_bytes()).ok()?;
        stdin.flush().ok()?;
        let mut reply = String::new();
        match self.stdout.read_line(&mut reply) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(
                serde_json::from_str(&reply)
                    .unwrap_or_else(|e| Reply::BadRequest(e.to_string())),
            ),
        }
    }

    /// Closes its stdin (a healthy worker exits) or kills it, then reaps it.
    fn finish(mut self, kill: bool) -> String {
        drop(self.stdin.take());
        if kill {
            let _ = self.child.kill();
        }
        self.child
            .wait()
            .map_or_else(|e| e.to_string(), |status| status.to_string())
    }
}

impl ProcessPool {
    /// Starts `workers` worker processes.
    pub fn new(workers: usize) -> Result<Self, ProcessPoolError> {
        if workers == 0 {
            return Err(ProcessPoolError::NoWorkers);
        }
        let started = (0..workers)
            .map(|_| Worker::start())
            .collect::<Result<Vec<_>, _>>()?;
        let pids: Pids = Arc::new(Mutex::new(
            started.iter().map(|w| Some(w.child.id())).collect(),
        ));
        let (tx, rx) = mpsc::channel();
        let rx = Arc::new(Mutex::new(rx));
        let stopping = Arc::new(AtomicBool::new(false));
        let feeders = started
            .into_iter()
            .enumerate()
            .map(|(slot, worker)| {
                let feeder = Feeder {
                    slot,
                    tasks: rx.clone(),
                    pids: pids.clone(),
                    stopping: stopping.clone(),
                };
                thread::spawn(move || feeder.run(worker))
            })
            .collect();
        Ok(ProcessPool {
            tasks: Mutex::new(Some(tx)),
            feeders: Mutex::new(feeders),
            pids,
            stopping,
        })
    }

    /// The pids of the worker processes alive now.
    pub fn worker_pids(&self) -> Vec<u32> {
        lock(&self.pids).iter().flatten().copied().collect()
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
        self.apply_async(function, args)?.get()
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
        let line = request_line(function, args)?;
        let (reply, result) = mpsc::channel();
        let task = Task {
            function: function.to_owned(),
            line,
            reply,
        };
        lock(&self.tasks)
            .as_ref()
            .ok_or(ProcessPoolError::Closed)?
            .send(task)
            .map_err(|_| ProcessPoolError::Closed)?;
        Ok(ProcessTask {
            reply: result,
            _result: PhantomData,
        })
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
        let tasks = inputs
            .into_iter()
            .map(|input| self.apply_async(function, &input))
            .collect::<Result<Vec<_>, _>>()?;
        let results: Vec<_> = tasks.into_iter().map(ProcessTask::get).collect();
        results.into_iter().collect()
    }

    /// No new work; what is queued is still done.
    pub fn close(&self) {
        drop(lock(&self.tasks).take());
    }

    /// Stops now: running tasks' workers are killed (those tasks fail), queued tasks
    /// are dropped (`Cancelled`).
    pub fn terminate(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.close();
        for pid in lock(&self.pids).iter().flatten() {
            // The slot still names it, so it has not been reaped: the pid is still
            // ours.
            let _ = kill(Pid::from_raw(*pid as i32), Signal::SIGKILL);
        }
    }

    /// Waits until every worker process has exited and been reaped.
    pub fn join(&self) -> Result<(), ProcessPoolError> {
        if lock(&self.tasks).is_some() {
            return Err(ProcessPoolError::StillRunning);
        }
        let feeders = std::mem::take(&mut *lock(&self.feeders));
        for feeder in feeders {
            let _ = feeder.join();
        }
        Ok(())
    }
}

impl Drop for ProcessPool {
    /// Nothing keeps running after the pool: terminate, then reap every worker.
    fn drop(&mut self) {
        self.terminate();
        let _ = self.join();
    }
}

/// The parent-side thread that owns one worker process.
struct Feeder {
    slot: usize,
    tasks: Arc<Mutex<mpsc::Receiver<Task>>>,
    pids: Pids,
    stopping: Arc<AtomicBool>,
}

impl Feeder {
    fn run(self, mut worker: Worker) {
        loop {
            if self.stopping.load(Ordering::SeqCst) {
                break;
            }
            let Ok(task) = lock(&self.tasks).recv() else {
                break; // closed and drained
            };
            if let Some(reply) = worker.call(&task.line) {
                let _ = task.reply.send(reply.into_result(&task.function));
                continue;
            }
            // The worker died mid-task: reap it, start its replacement, fail the
            // task.
            let status = self.reap(worker, true);
            let replacement = self.replace();
            let _ = task.reply.send(Err(ProcessPoolError::WorkerCrashed {
                function: task.function,
                status,
            }));
            match replacement {
                Some(fresh) => worker = fresh,
                None => return,
            }
        }
        let kill = self.stopping.load(Ordering::SeqCst);
        self.reap(worker, kill);
    }

    /// Forgets the worker's pid (so nobody signals it once reaped), then ends and
    /// reaps it.
    fn reap(&self, worker: Worker, kill: bool) -> String {
        lock(&self.pids)[self.slot] = None;
        worker.finish(kill)
    }

    fn replace(&self) -> Option<Worker> {
        let mut pids = lock(&self.pids);
        if self.stopping.load(Ordering::SeqCst) {
            return None;
        }
        let fresh = Worker::start().ok()?;
        pids[self.slot] = Some(fresh.child.id());
        Some(fresh)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
