//! # A pool of worker threads — the Rust Book's design
//!
//! The workers share the receiving end of one `mpsc` channel behind a `Mutex`.
//! Closing the pool is dropping the sender: once the queue is empty, `recv` fails
//! and the workers leave. `terminate` also raises a flag that makes the workers
//! drop, unrun, whatever they still receive. Each task answers through a one-shot channel
//! of its own; a task dropped unrun drops its sender, and its handle says
//! `Cancelled`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use super::sync::thread::{self, JoinHandle};
use super::sync::{Arc, Mutex, MutexGuard};

type Job = Box<dyn FnOnce() + Send + 'static>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

enum Answer<T> {
    Waiting(Receiver<Result<T, PoolError>>),
    Arrived(Result<T, PoolError>),
    Taken,
}

/// What `apply_async` returns: the task's result, later (Python's `AsyncResult`).
pub struct TaskHandle<T> {
    answer: Mutex<Answer<T>>,
}

impl<T> TaskHandle<T> {
    /// Waits for the task and returns its result (its panic, or its cancellation, as
    /// an error).
    pub fn get(self) -> Result<T, PoolError> {
        let answer = std::mem::replace(&mut *lock(&self.answer), Answer::Taken);
        match answer {
            Answer::Waiting(rx) => rx.recv().unwrap_or(Err(PoolError::Cancelled)),
            Answer::Arrived(result) => result,
            Answer::Taken => Err(PoolError::AlreadyTaken),
        }
    }

    /// Waits at most `timeout`: [`PoolError::Timeout`] if the task has not finished
    /// by then (the task keeps running; ask again later).
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, PoolError> {
        let mut answer = lock(&self.answer);
        let result = match &*answer {
            Answer::Waiting(rx) => match rx.recv_timeout(timeout) {
                Ok(result) => result,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(PoolError::Timeout(timeout))
                }
                Err(RecvTimeoutError::Disconnected) => Err(PoolError::Cancelled),
            },
            Answer::Arrived(_) | Answer::Taken => {
                match std::mem::replace(&mut *answer, Answer::Taken) {
                    Answer::Arrived(result) => return result,
                    _ => return Err(PoolError::AlreadyTaken),
                }
            }
        };
        *answer = Answer::Taken;
        result
    }

    /// Whether the task has finished (or will never run).
    pub fn ready(&self) -> bool {
        let mut answer = lock(&self.answer);
        let arrived = match &*answer {
            Answer::Waiting(rx) => match rx.try_recv() {
                Ok(result) => result,
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => Err(PoolError::Cancelled),
            },
            _ => return true,
        };
        *answer = Answer::Arrived(arrived);
        true
    }
}

/// A fixed set of worker threads fed by a queue (Python's `multiprocessing.Pool`,
/// with threads).
pub struct ThreadPool {
    sender: Mutex<Option<Sender<Job>>>,
    terminated: Arc<AtomicBool>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    size: usize,
}

impl ThreadPool {
    /// Starts `workers` threads, named `pool-worker-1`, `pool-worker-2`, …
    pub fn new(workers: usize) -> Result<Self, PoolError> {
        if workers == 0 {
            return Err(PoolError::NoWorkers);
        }
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let terminated = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::new();
        for id in 1..=workers {
            let receiver = Arc::clone(&receiver);
            let terminated = Arc::clone(&terminated);
            let handle = thread::Builder::new()
                .name(format!("pool-worker-{id}"))
                .spawn(move || loop {
                    // The guard is a temporary: it is released before the job runs.
                    let job = lock(&receiver).recv();
                    match job {
                        Ok(job) if !terminated.load(Ordering::SeqCst) => job(),
                        Ok(job) => drop(job),
                        Err(_) => break,
                    }
                })
                .expect("cannot spawn a pool worker");
            handles.push(handle);
        }
        Ok(ThreadPool {
            sender: Mutex::new(Some(sender)),
            terminated,
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
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            let result = catch_unwind(AssertUnwindSafe(task)).map_err(|panic| {
                PoolError::Panicked(workbook::panic_message(&*panic))
            });
            let _ = tx.send(result);
        });
        let sender = lock(&self.sender);
        let sender = sender.as_ref().ok_or(PoolError::Closed)?;
        sender.send(job).map_err(|_| PoolError::Closed)?;
        Ok(TaskHandle {
            answer: Mutex::new(Answer::Waiting(rx)),
        })
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
        let results: Vec<Result<U, PoolError>> =
            handles.into_iter().map(TaskHandle::get).collect();
        results.into_iter().collect()
    }

    /// No new work from now on; the queued work is still done.
    pub fn close(&self) {
        drop(lock(&self.sender).take());
    }

    /// Stops at once: queued tasks are dropped (their handles say `Cancelled`);
    /// tasks already running finish, since a thread cannot be killed safely.
    pub fn terminate(&self) {
        self.terminated.store(true, Ordering::SeqCst);
        self.close();
    }

    /// Waits for every worker to exit; only after `close` or `terminate`.
    pub fn join(&self) -> Result<(), PoolError> {
        if lock(&self.sender).is_some() {
            return Err(PoolError::StillRunning);
        }
        let workers = std::mem::take(&mut *lock(&self.workers));
        for worker in workers {
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
