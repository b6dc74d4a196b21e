//! # A pool of worker threads
//!
//! The seeds (tutorials 003 and 004) use `multiprocessing.Pool(4)`: a fixed set of
//! workers, started once and reused for every task.
//!
//! ```python
//! pool = Pool(processes=4)
//! print(pool.apply(f, [10]))           # blocks until f(10) is done: 100
//! result = pool.apply_async(f, [10])   # returns at once
//! print(result.get(timeout=1))         # TimeoutError if f is slower than 1 s
//! print(pool.map(f, range(10)))        # [0, 1, 4, ..., 81], in input order
//! pool.close()                         # no new work ("close后再派活会抛异常")
//! pool.join()                          # wait for the workers
//! ```
//!
//! Build the same with threads. The rules the tests hold you to:
//! - `new(n)`: exactly `n` worker threads, started once and named `pool-worker-1`
//!   … `pool-worker-n`; `n == 0` is [`PoolError::NoWorkers`]. More tasks than
//!   workers reuse the workers.
//! - `apply(task)` (Python's `pool.apply`) runs one task on a worker — never on the
//!   caller's thread — and blocks until its result is there.
//! - `apply_async(task)` queues the task and returns a [`TaskHandle`] at once. `get`
//!   waits for the result; `get_timeout(d)` gives [`PoolError::Timeout`] if the task
//!   has not finished within `d` (and may be asked again); a result is taken once,
//!   after that it is [`PoolError::AlreadyTaken`].
//! - A task that panics is *that task's* [`PoolError::Panicked`] (with its message);
//!   the worker lives on and the pool keeps working.
//! - `map(f, inputs)`: the results in input order, whatever order the tasks finish
//!   in. If tasks fail, the error is that of the first failed task *in input
//!   order*, and `map` returns only once every one of its tasks has finished.
//! - `close()`: no new work, but everything queued is still done. `terminate()`:
//!   stop now; queued tasks are dropped unrun and their handles say
//!   [`PoolError::Cancelled`] (a running task finishes: threads cannot be killed
//!   safely). After either, `apply`, `apply_async` and `map` are
//!   [`PoolError::Closed`]. `join()` waits for every worker to exit, and is
//!   [`PoolError::StillRunning`] unless `close` or `terminate` came first. Dropping
//!   the pool terminates and joins it.
//!
//! The shutdown paths are model-checked with loom, so build the pool's core from
//! `super::sync`: an `mpsc` channel closed by dropping its sender (the Rust Book's
//! pool), or a `Mutex` over "queued jobs, closed?, terminated?" with a `Condvar`,
//! whichever you prefer. Replace the `_todo` fields with your own. [`PoolError`]
//! is written for you, at the bottom.
//!
//! Graded by: `cargo test --test ch07_pools thread_pool`.

use std::marker::PhantomData;
use std::time::Duration;

/// What `apply_async` returns: the task's result, later (Python's `AsyncResult`).
pub struct TaskHandle<T> {
    _todo: PhantomData<T>,
}

impl<T> TaskHandle<T> {
    /// Waits for the task and returns its result (its panic, or its cancellation, as
    /// an error).
    pub fn get(self) -> Result<T, PoolError> {
        todo!("wait until the task's outcome is there, then take it")
    }

    /// Waits at most `timeout`: [`PoolError::Timeout`] if the task has not finished
    /// by then (the task keeps running; ask again later).
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, PoolError> {
        let _ = timeout;
        todo!("like get, but give up with Timeout after `timeout`")
    }

    /// Whether the task has finished (or will never run).
    pub fn ready(&self) -> bool {
        todo!("is the outcome there yet?")
    }
}

/// A fixed set of worker threads fed by a queue (Python's `multiprocessing.Pool`,
/// with threads).
pub struct ThreadPool {
    _todo: (),
}

impl ThreadPool {
    /// Starts `workers` threads, named `pool-worker-1`, `pool-worker-2`, …
    pub fn new(workers: usize) -> Result<Self, PoolError> {
        let _ = workers;
        todo!(
            "start the workers, each taking jobs from the pool's queue until it \
             says stop"
        )
    }

    /// How many workers the pool was started with.
    pub fn size(&self) -> usize {
        todo!()
    }

    /// Runs `task` on a worker and waits for its result (Python's `apply`).
    pub fn apply<T, F>(&self, task: F) -> Result<T, PoolError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let _ = task;
        todo!("hand the task to a worker, then wait for its outcome")
    }

    /// Queues `task` and returns at once; its result comes through the handle.
    pub fn apply_async<T, F>(&self, task: F) -> Result<TaskHandle<T>, PoolError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let _ = task;
        todo!(
            "queue a job that runs the task (catching a panic) and reports to the \
             handle"
        )
    }

    /// `f` over every input on the workers; the results in input order. The first
    /// failed task (in input order) is the error, after every task has finished.
    pub fn map<I, T, U, F>(&self, f: F, inputs: I) -> Result<Vec<U>, PoolError>
    where
        I: IntoIterator<Item = T>,
        T: Send + 'static,
        U: Send + 'static,
        F: Fn(T) -> U + Send + Sync + 'static,
    {
        let _ = (f, inputs.into_iter());
        todo!("apply_async every input, then get every handle in order")
    }

    /// No new work from now on; the queued work is still done.
    pub fn close(&self) {
        todo!("mark the queue closed and wake every waiting worker")
    }

    /// Stops at once: queued tasks are dropped (their handles say `Cancelled`);
    /// tasks already running finish, since a thread cannot be killed safely.
    pub fn terminate(&self) {
        todo!("mark the queue terminated, drop what is queued, wake every worker")
    }

    /// Waits for every worker to exit; only after `close` or `terminate`.
    pub fn join(&self) -> Result<(), PoolError> {
        todo!("StillRunning unless closed or terminated; then join every worker")
    }
}

impl Drop for ThreadPool {
    /// Like Python's pool when it is collected: terminate, then wait for the
    /// workers.
    fn drop(&mut self) {
        // Yours: no worker thread may outlive the pool. (Never panic in `drop`.)
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What callers of the pool must tell apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    #[error("a pool needs at least one worker")]
    NoWorkers,
    #[error("the pool is closed: it accepts no new work")]
    Closed,
    #[error("join needs close() or terminate() first: the pool is still running")]
    StillRunning,
    #[error("the task did not finish within {0:?}")]
    Timeout(Duration),
    #[error("the task panicked: {0}")]
    Panicked(String),
    #[error("the task was dropped unrun: the pool was terminated")]
    Cancelled,
    #[error("the task's result was already taken")]
    AlreadyTaken,
}
