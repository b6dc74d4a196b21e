//! # A pool of worker threads — `Condvar::wait_while`
//!
//! The queue is a `Mutex` over the jobs and one state (open, closed, terminated),
//! waited on with `wait_while`, which checks its condition again after every
//! wake-up. `terminate` drains the queue and drops the jobs. Each task's slot is an
//! `Option` beside a "taken" flag, with a `Condvar` of its own and
//! `wait_timeout_while` for the timed wait.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use super::sync::thread::{self, JoinHandle};
use super::sync::{Arc, Condvar, Mutex, MutexGuard};

type Job = Box<dyn FnOnce() + Send + 'static>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Open,
    Closed,
    Terminated,
}

struct Shared {
    jobs: VecDeque<Job>,
    mode: Mode,
}

struct Queue {
    shared: Mutex<Shared>,
    changed: Condvar,
}

impl Queue {
    fn next(&self) -> Option<Job> {
        let shared = self
            .changed
            .wait_while(lock(&self.shared), |s| {
                s.jobs.is_empty() && s.mode == Mode::Open
            })
            .unwrap_or_else(|e| e.into_inner());
        let mut shared = shared;
        match shared.mode {
            Mode::Terminated => None,
            _ => shared.jobs.pop_front(),
        }
    }

    fn set(&self, mode: Mode) -> VecDeque<Job> {
        let mut shared = lock(&self.shared);
        if shared.mode != Mode::Terminated {
            shared.mode = mode;
        }
        let dropped = if mode == Mode::Terminated {
            std::mem::take(&mut shared.jobs)
        } else {
            VecDeque::new()
        };
        drop(shared);
        self.changed.notify_all();
        dropped
    }
}

struct Slot<T> {
    /// The outcome, once there; `taken` once it was handed out.
    value: Mutex<(Option<Result<T, PoolError>>, bool)>,
    done: Condvar,
}

/// Fills its slot once; dropped unrun, it fills it with `Cancelled`.
struct Promise<T> {
    slot: Arc<Slot<T>>,
    kept: bool,
}

impl<T> Promise<T> {
    fn keep(mut self, result: Result<T, PoolError>) {
        self.fill(result);
    }

    fn fill(&mut self, result: Result<T, PoolError>) {
        self.kept = true;
        lock(&self.slot.value).0 = Some(result);
        self.slot.done.notify_all();
    }
}

impl<T> Drop for Promise<T> {
    fn drop(&mut self) {
        if !self.kept {
            self.fill(Err(PoolError::Cancelled));
        }
    }
}

/// What `apply_async` returns: the task's result, later (Python's `AsyncResult`).
pub struct TaskHandle<T> {
    slot: Arc<Slot<T>>,
}

impl<T> TaskHandle<T> {
    fn take(
        value: &mut (Option<Result<T, PoolError>>, bool),
    ) -> Result<T, PoolError> {
        if value.1 {
            return Err(PoolError::AlreadyTaken);
        }
        value.1 = true;
        value.0.take().unwrap_or(Err(PoolError::AlreadyTaken))
    }

    /// Waits for the task and returns its result (its panic, or its cancellation, as
    /// an error).
    pub fn get(self) -> Result<T, PoolError> {
        let mut value = self
            .slot
            .done
            .wait_while(lock(&self.slot.value), |v| v.0.is_none() && !v.1)
            .unwrap_or_else(|e| e.into_inner());
        Self::take(&mut value)
    }

    /// Waits at most `timeout`: [`PoolError::Timeout`] if the task has not finished
    /// by then (the task keeps running; ask again later).
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, PoolError> {
        let (mut value, waited) = self
            .slot
            .done
            .wait_timeout_while(lock(&self.slot.value), timeout, |v| {
                v.0.is_none() && !v.1
            })
            .unwrap_or_else(|e| e.into_inner());
        if waited.timed_out() && value.0.is_none() && !value.1 {
            return Err(PoolError::Timeout(timeout));
        }
        Self::take(&mut value)
    }

    /// Whether the task has finished (or will never run).
    pub fn ready(&self) -> bool {
        let value = lock(&self.slot.value);
        value.0.is_some() || value.1
    }
}

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
        let queue = Arc::new(Queue {
            shared: Mutex::new(Shared {
                jobs: VecDeque::new(),
                mode: Mode::Open,
            }),
            changed: Condvar::new(),
        });
        let mut handles = Vec::with_capacity(workers);
        for id in 1..=workers {
            let queue = Arc::clone(&queue);
            let handle = thread::Builder::new()
                .name(format!("pool-worker-{id}"))
                .spawn(move || {
                    while let Some(job) = queue.next() {
                        job();
                    }
                })
                .expect("cannot spawn a pool worker");
            handles.push(handle);
        }
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
        let slot = Arc::new(Slot {
            value: Mutex::new((None, false)),
            done: Condvar::new(),
        });
        let promise = Promise {
            slot: Arc::clone(&slot),
            kept: false,
        };
        let job: Job = Box::new(move || {
            let result = catch_unwind(AssertUnwindSafe(task)).map_err(|panic| {
                PoolError::Panicked(workbook::panic_message(&*panic))
            });
            promise.keep(result);
        });
        let mut shared = lock(&self.queue.shared);
        if shared.mode != Mode::Open {
            return Err(PoolError::Closed);
        }
        shared.jobs.push_back(job);
        drop(shared);
        self.queue.changed.notify_one();
        Ok(TaskHandle { slot })
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
        let mut handles = Vec::new();
        for input in inputs {
            let f = Arc::clone(&f);
            handles.push(self.apply_async(move || f(input))?);
        }
        let mut values = Vec::with_capacity(handles.len());
        let mut first_error = None;
        for handle in handles {
            match handle.get() {
                Ok(value) => values.push(value),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(values),
        }
    }

    /// No new work from now on; the queued work is still done.
    pub fn close(&self) {
        self.queue.set(Mode::Closed);
    }

    /// Stops at once: queued tasks are dropped (their handles say `Cancelled`);
    /// tasks already running finish, since a thread cannot be killed safely.
    pub fn terminate(&self) {
        drop(self.queue.set(Mode::Terminated));
    }

    /// Waits for every worker to exit; only after `close` or `terminate`.
    pub fn join(&self) -> Result<(), PoolError> {
        if lock(&self.queue.shared).mode == Mode::Open {
            return Err(PoolError::StillRunning);
        }
        for worker in std::mem::take(&mut *lock(&self.workers)) {
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
