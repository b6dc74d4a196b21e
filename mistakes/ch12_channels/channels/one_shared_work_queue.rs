//! # Channels: fan-out, fan-in, and a hand-over in person — solution
//!
//! The one idea: *a channel is closed by its last `Sender`, and only by it*. A
//! receiver's loop (`for x in rx`) ends when every sender is gone, so each sender
//! must live exactly as long as someone still has something to send: move it into
//! the thread that sends, give each worker its own clone, and drop the original.
//! `sync_channel(0)` has no room at all, so a send meets a receive: `try_send`
//! succeeds only while the clerk is waiting at the desk.

use super::sync::mpsc::{self, SyncSender, TrySendError};
use super::sync::Mutex;
use super::sync::thread;

/// The seed's writer and reader, as two threads and one channel: the writer sends
/// each letter, the reader turns each into `Get X from queue.` until the channel
/// is closed. Returns the reader's lines.
pub fn writer_reader(letters: &[&str]) -> Vec<String> {
    let (tx, rx) = mpsc::channel::<String>();
    thread::scope(|s| {
        // The writer owns the only sender: when it is done, the channel closes.
        s.spawn(move || {
            for letter in letters {
                tx.send(letter.to_string()).expect("the reader is gone");
            }
        });
        let reader = s.spawn(move || {
            rx.iter()
                .map(|letter| format!("Get {letter} from queue."))
                .collect::<Vec<_>>()
        });
        reader.join().expect("the reader panicked")
    })
}

/// Runs `f` on every input on `workers` threads and returns the results in input
/// order.
pub fn fan_out_fan_in<T, R, F>(
    inputs: Vec<T>,
    workers: usize,
    f: F,
) -> Result<Vec<R>, ChannelsError>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    if workers == 0 {
        return Err(ChannelsError::NoWorkers);
    }
    let count = inputs.len();
    let (work_tx, work_rx) = mpsc::channel::<(usize, T)>();
    for job in inputs.into_iter().enumerate() {
        work_tx.send(job).expect("the receiver is right here");
    }
    drop(work_tx);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, R)>();
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    thread::scope(|s| {
        for _ in 0..workers {
            let (done_tx, work_rx, f) = (done_tx.clone(), &work_rx, &f);
            s.spawn(move || loop {
                let next = work_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((index, input)) = next else { return };
                if done_tx.send((index, f(input))).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        for (index, result) in done_rx {
            results[index] = Some(result);
        }
    });
    Ok(results.into_iter().map(Option::unwrap).collect())
}

/// One clerk thread at a desk: jobs are handed to it in person, never queued.
pub struct Clerk<R> {
    desk: SyncSender<Job<R>>,
    thread: thread::JoinHandle<Vec<R>>,
}

impl<R: Send + 'static> Clerk<R> {
    /// Starts the clerk's thread: it takes one job at a time, runs it and keeps its
    /// result, until the desk is closed.
    pub fn start() -> Clerk<R> {
        // No room at all: a send waits for the clerk's receive.
        let (desk, counter) = mpsc::sync_channel::<Job<R>>(0);
        let thread = thread::spawn(move || counter.iter().map(|job| job()).collect());
        Clerk { desk, thread }
    }

    /// Hands `job` over if the clerk is waiting at the desk right now; otherwise
    /// gives it back at once.
    pub fn offer(&self, job: Job<R>) -> Result<(), Refused<R>> {
        self.desk.try_send(job).map_err(|e| match e {
            TrySendError::Full(job) => Refused::Busy(job),
            TrySendError::Disconnected(job) => Refused::Gone(job),
        })
    }

    /// Hands `job` over, waiting until the clerk takes it.
    pub fn hand(&self, job: Job<R>) -> Result<(), Refused<R>> {
        self.desk.send(job).map_err(|e| Refused::Gone(e.0))
    }

    /// Closes the desk, waits for the clerk, and returns the result of every job it
    /// took, in the order it took them.
    pub fn finish(self) -> Result<Vec<R>, ChannelsError> {
        drop(self.desk);
        self.thread
            .join()
            .map_err(|p| ChannelsError::ClerkPanicked(workbook::panic_message(&*p)))
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What callers must tell apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelsError {
    #[error("fan_out_fan_in needs at least one worker")]
    NoWorkers,
    #[error("the clerk died of a panic: {0}")]
    ClerkPanicked(String),
}

/// A job for the clerk: it runs once and returns a result.
pub type Job<R> = Box<dyn FnOnce() -> R + Send + 'static>;

/// Why the clerk did not take a job; the job comes back.
pub enum Refused<R> {
    /// The clerk was not waiting at the desk (`offer` only).
    Busy(Job<R>),
    /// The clerk is gone (a job panicked): nobody will ever take it.
    Gone(Job<R>),
}

impl<R> Refused<R> {
    /// The job that was not taken.
    pub fn into_job(self) -> Job<R> {
        match self {
            Refused::Busy(job) | Refused::Gone(job) => job,
        }
    }
}

impl<R> std::fmt::Debug for Refused<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Busy(_) => f.write_str("Busy(job)"),
            Refused::Gone(_) => f.write_str("Gone(job)"),
        }
    }
}
