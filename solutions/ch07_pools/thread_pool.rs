//! # A pool of worker threads — solution
//!
//! The one idea: the pool is a *queue with a state*. Workers take jobs from it until
//! it says stop; `close` says "stop once the queue is empty" (no job is lost),
//! `terminate` says "stop now" and hands the queued jobs back to be dropped. Both
//! wake every waiting worker, so no shutdown can hang; each job reports its own
//! outcome (a panic included) to its handle, so one bad task never takes a worker
//! down.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use super::sync::thread::{self, JoinHandle};
use super::sync::{Arc, Condvar, Mutex, MutexGuard};

/// A unit of work as the queue holds it.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// Locks, shrugging off poisoning: no code holding these locks runs user tasks.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

// ---- the loom-checked core: the job queue ----

#[derive(Default)]
struct QueueState {
    jobs: VecDeque<Job>,
    closed: bool,
    terminated: bool,
}

/// The pool's channel: jobs in, workers out, with a shutdown state.
#[derive(Default)]
struct Queue {
    state: Mutex<QueueState>,
    changed: Condvar,
}

impl Queue {
    fn push(&self, job: Job) -> Result<(), PoolError> {
        let mut state = lock(&self.state);
        if state.closed || state.terminated {
            return Err(PoolError::Closed);
        }
        state.jobs.push_back(job);
        drop(state);
        self.changed.notify_one();
        Ok(())
    }

    /// The next job for a worker, waiting for one; `None` means "exit".
    fn next(&self) -> Option<Job> {
        let mut state = lock(&self.state);
        loop {
            if state.terminated {
                return None;
            }
            if let Some(job) = state.jobs.pop_front() {
                return Some(job);
            }
            if state.closed {
                return None;
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn close(&self) {
        lock(&self.state).closed = true;
        self.changed.notify_all();
    }

    /// Stops the queue and returns the jobs nobody will run.
    fn terminate(&self) -> VecDeque<Job> {
        let mut state = lock(&self.state);
        state.terminated = true;
        let dropped = std::mem::take(&mut state.jobs);
        drop(state);
        self.changed.notify_all();
        dropped
    }

    fn is_stopping(&self) -> bool {
        let state = lock(&self.state);
        state.closed || state.terminated
    }
}

// ---- one task's result: a one-shot slot ----

enum Outcome<T> {
    Pending,
    Done(Result<T, PoolError>),
    Taken,
}

struct Slot<T> {
    outcome: Mutex<Outcome<T>>,
    ready: Condvar,
}

/// The worker's side of a slot. Dropped unfulfilled (its job was never run), it
/// reports [`PoolError::Cancelled`], so a handle never waits for a job that is gone.
struct Promise<T>(Option<Arc<Slot<T>>>);

impl<T> Promise<T> {
    fn fulfil(mut self, result: Result<T, PoolError>) {
        if let Some(slot) = self.0.take() {
            *lock(&slot.outcome) = Outcome::Done(result);
            slot.ready.notify_all();
        }
    }
}

impl<T> Drop for Promise<T> {
    fn drop(&mut self) {
        if let Some(slot) = self.0.take() {
            *lock(&slot.outcome) = Outcome::Done(Err(PoolError::Cancelled));
            slot.ready.notify_all();
        }
    }
}

/// What `apply_async` returns: the task's result, later (Python's `AsyncResult`).
pub struct TaskHandle<T> {
    slot: Arc<Slot<T>>,
}

impl<T> TaskHandle<T> {
    /// Waits for the task and returns its result (its panic, or its cancellation, as
    /// an error).
    pub fn get(self) -> Result<T, PoolError> {
        let mut outcome = lock(&self.slot.outcome);
        while matches!(*outcome, Outcome::Pending) {
            outcome = self
                .slot
                .ready
                .wait(outcome)
                .unwrap_or_else(|e| e.into_inner());
        }
        take(&mut outcome)
    }

    /// Waits at most `timeout`: [`PoolError::Timeout`] if the task has not finished
    /// by then (the task keeps running; ask again later).
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, PoolError> {
        let deadline = Instant::now() + timeout;
        let mut outcome = lock(&self.slot.outcome);
        while matches!(*outcome, Outcome::Pending) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(PoolError::Timeout(timeout));
            }
            outcome = self
                .slot
                .ready
                .wait_timeout(outcome, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        take(&mut outcome)
    }

    /// Whether the task has finished (or will never run).
    pub fn ready(&self) -> bool {
        !matches!(*lock(&self.slot.outcome), Outcome::Pending)
    }
}

fn take<T>(outcome: &mut Outcome<T>) -> Result<T, PoolError> {
    match std::mem::replace(outcome, Outcome::Taken) {
        Outcome::Done(result) => result,
        Outcome::Taken => Err(PoolError::AlreadyTaken),
        Outcome::Pending => unreachable!("only a finished outcome is taken"),
    }
}

fn promise<T>() -> (Promise<T>, TaskHandle<T>) {
    let slot = Arc::new(Slot {
        outcome: Mutex::new(Outcome::Pending),
        ready: Condvar::new(),
    });
    (Promise(Some(slot.clone())), TaskHandle { slot })
}

// ---- the pool ----

/// A fixed set of worker threads fed by a queue (Python's `multiprocessing.Pool`,
/// with threads).
pub struct ThreadPool {
    queue: Arc<Queue>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    size: usize,
}

impl ThreadPool {
    /// Starts `workers` threads, named `pool-worker-1`, `pool-worker-2`, …
    pub fn new(workers: usize) -> Result<Self, PoolError> {
        if workers == 0 {
            return Err(PoolError::NoWorkers);
        }
        let queue = Arc::new(Queue::default());
        let handles = (1..=workers)
            .map(|i| {
                let queue = queue.clone();
                thread::Builder::new()
                    .name(format!("pool-worker-{i}"))
                    .spawn(move || work(&queue))
                    .expect("cannot spawn a pool worker")
            })
            .collect();
        Ok(ThreadPool {
            queue,
            workers: Mutex::new(handles),
            size: workers,
        })
    }

    /// How many workers the pool was started with.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `task` on a worker and waits for its result (Python's `apply`).
    pub fn apply<T, F>(&self, task: F) -> Result<T, PoolError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.apply_async(task)?.get()
    }

    /// Queues `task` and returns at once; its result comes through the handle.
    pub fn apply_async<T, F>(&self, task: F) -> Result<TaskHandle<T>, PoolError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (promise, handle) = promise();
        let job: Job = Box::new(move || {
            let result = catch_unwind(AssertUnwindSafe(task)).map_err(|panic| {
                PoolError::Panicked(workbook::panic_message(&*panic))
            });
            promise.fulfil(result);
        });
        self.queue.push(job)?;
        Ok(handle)
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
        let f = Arc::new(f);
        let handles = inputs
            .into_iter()
            .map(|input| {
                let f = f.clone();
                self.apply_async(move || f(input))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let results: Vec<_> = handles.into_iter().map(TaskHandle::get).collect();
        results.into_iter().collect()
    }

    /// No new work from now on; the queued work is still done.
    pub fn close(&self) {
        self.queue.close();
    }

    /// Stops at once: queued tasks are dropped (their handles say `Cancelled`);
    /// tasks already running finish, since a thread cannot be killed safely.
    pub fn terminate(&self) {
        drop(self.queue.terminate());
    }

    /// Waits for every worker to exit; only after `close` or `terminate`.
    pub fn join(&self) -> Result<(), PoolError> {
        if !self.queue.is_stopping() {
            return Err(PoolError::StillRunning);
        }
        let workers = std::mem::take(&mut *lock(&self.workers));
        for worker in workers {
            // A worker never panics: tasks run under catch_unwind.
            let _ = worker.join();
        }
        Ok(())
    }
}

impl Drop for ThreadPool {
    /// Like Python's pool when it is collected: terminate, then wait for the
    /// workers.
    fn drop(&mut self) {
        self.terminate();
        let _ = self.join();
    }
}

/// A worker's life: run jobs until the queue says stop.
fn work(queue: &Queue) {
    while let Some(job) = queue.next() {
        job();
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
