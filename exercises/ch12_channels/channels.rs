//! # Channels: fan-out, fan-in, and a hand-over in person
//!
//! Python's threads share a `queue.Queue`; Rust's answer is a *channel*:
//! `mpsc::channel()` gives a `Sender` (clone it for every producer) and one
//! `Receiver`. What the seed's reader could not do — end its `while True: q.get()`
//! loop by itself — a receiver does: `for x in rx` ends once every `Sender` is
//! dropped. Three parts:
//!
//! 1. `writer_reader` is the seed's writer/reader (seed 003) with two threads and a
//!    channel. It is written, and it hangs: the reader never stops. Find out why
//!    and fix it (the loom check prints where each thread was stuck).
//! 2. `fan_out_fan_in(inputs, workers, f)`: start exactly `workers` threads
//!    (`thread::scope`, so they may borrow `f`), hand the inputs out to them over
//!    channels, and send each result back with its input's index over one channel
//!    that every worker has its own `Sender` for. Collect until that channel
//!    closes. The rules: results in input order, whatever order the workers finish
//!    in; with as many inputs as workers, every worker gets one input and they all
//!    run at the same time; never more than `workers` threads call `f`;
//!    `workers == 0` is [`ChannelsError::NoWorkers`].
//! 3. `Clerk`: one thread that takes jobs handed to it *in person*: make its desk
//!    `mpsc::sync_channel(0)`, a channel with no room at all, where every send
//!    waits for a receive. `offer` hands a job over only if the clerk is waiting at
//!    the desk right now and otherwise gives it back at once ([`Refused::Busy`]);
//!    `hand` waits until the clerk takes it; `finish` closes the desk and returns
//!    every result, in the order the clerk took the jobs. A job that panics ends
//!    the clerk: later jobs are [`Refused::Gone`], `finish` says
//!    [`ChannelsError::ClerkPanicked`] with the panic's message
//!    (`workbook::panic_message`). Replace the `_todo` fields with your own.
//!
//! Take threads and channels from `super::sync` only: the loom checks replace
//! them with loom's, to try every interleaving.
//!
//! Graded by: `cargo test --test ch12_channels channels`.

use std::marker::PhantomData;

use super::sync::mpsc;
use super::sync::thread;

/// The seed's writer and reader, as two threads and one channel: the writer sends
/// each letter, the reader turns each into `Get X from queue.` until the channel
/// is closed. Returns the reader's lines.
pub fn writer_reader(letters: &[&str]) -> Vec<String> {
    let (tx, rx) = mpsc::channel::<String>();
    thread::scope(|s| {
        let writer_tx = tx.clone();
        s.spawn(move || {
            for letter in letters {
                writer_tx
                    .send(letter.to_string())
                    .expect("the reader is gone");
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
    let _ = (inputs, workers, f);
    todo!(
        "start the workers, send them the inputs, collect (index, result) pairs \
         until the results channel closes"
    )
}

/// One clerk thread at a desk: jobs are handed to it in person, never queued.
pub struct Clerk<R> {
    _todo: PhantomData<R>,
}

impl<R: Send + 'static> Clerk<R> {
    /// Starts the clerk's thread: it takes one job at a time, runs it and keeps its
    /// result, until the desk is closed.
    pub fn start() -> Clerk<R> {
        todo!("a sync_channel(0) desk, and a thread that runs what it receives")
    }

    /// Hands `job` over if the clerk is waiting at the desk right now; otherwise
    /// gives it back at once.
    pub fn offer(&self, job: Job<R>) -> Result<(), Refused<R>> {
        let _ = job;
        todo!("hand it over without waiting, or give it back")
    }

    /// Hands `job` over, waiting until the clerk takes it.
    pub fn hand(&self, job: Job<R>) -> Result<(), Refused<R>> {
        let _ = job;
        todo!("hand it over, waiting for the clerk")
    }

    /// Closes the desk, waits for the clerk, and returns the result of every job it
    /// took, in the order it took them.
    pub fn finish(self) -> Result<Vec<R>, ChannelsError> {
        todo!("close the desk, join the clerk's thread")
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
