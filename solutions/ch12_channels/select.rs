//! # select: several channels and a deadline at once — solution
//!
//! The one idea: *`select!` chooses at random among the operations that are
//! ready*, which is fair, and so it promises no priority: what must win (a
//! shutdown, the deadline) is asked first with `try_recv`, before the `select!`.
//! And a channel whose senders are all gone is ready *for ever* (every receive
//! says "disconnected" at once): a ticker or a deadline that goes away is swapped
//! for `never()`, or the loop would spin on it.

use std::time::Instant;

use crossbeam_channel::{never, select, Receiver, Sender, TryRecvError};

/// Serves jobs until a shutdown, the deadline, or the end of the jobs.
pub fn serve(
    inputs: Inputs,
    events: &Sender<Event>,
    mut work: impl FnMut(u64) -> u64,
) -> Summary {
    let Inputs {
        jobs,
        mut ticks,
        shutdown,
        mut deadline,
    } = inputs;
    let mut done = 0;
    let stop = loop {
        if let Some(stop) = waiting_stop(&shutdown, &mut deadline) {
            break stop;
        }
        select! {
            recv(shutdown) -> _ => break Stop::Shutdown,
            recv(deadline) -> at => match at {
                Ok(_) => break Stop::Deadline,
                Err(_) => deadline = never(),
            },
            recv(jobs) -> job => match job {
                Ok(job) => {
                    let result = work(job);
                    done += 1;
                    let _ = events.send(Event::Done { job, result });
                }
                Err(_) => break Stop::JobsDone,
            },
            recv(ticks) -> tick => match tick {
                Ok(_) => {
                    let _ = events.send(Event::Progress { done });
                }
                Err(_) => ticks = never(),
            },
        }
    };
    Summary {
        stop,
        done,
        left: jobs.try_iter().collect(),
    }
}

/// A stop signal that is already waiting: a shutdown (or every shutdown sender
/// gone), or the deadline.
fn waiting_stop(
    shutdown: &Receiver<()>,
    deadline: &mut Receiver<Instant>,
) -> Option<Stop> {
    match shutdown.try_recv() {
        Ok(()) | Err(TryRecvError::Disconnected) => return Some(Stop::Shutdown),
        Err(TryRecvError::Empty) => {}
    }
    match deadline.try_recv() {
        Ok(_) => Some(Stop::Deadline),
        Err(TryRecvError::Disconnected) => {
            *deadline = never();
            None
        }
        Err(TryRecvError::Empty) => None,
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The channels `serve` waits on, all at once.
pub struct Inputs {
    /// The work: each value is one job.
    pub jobs: Receiver<u64>,
    /// A ticker (`crossbeam_channel::tick`): report progress at each tick.
    pub ticks: Receiver<Instant>,
    /// A message here, or every sender gone, means: stop.
    pub shutdown: Receiver<()>,
    /// The deadline (`crossbeam_channel::after`): stop when a value arrives.
    pub deadline: Receiver<Instant>,
}

/// What `serve` reports while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A job was done: `work(job)` returned `result`.
    Done { job: u64, result: u64 },
    /// A tick came: `done` jobs are done so far.
    Progress { done: usize },
}

/// Why `serve` stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Shutdown,
    Deadline,
    /// Every job sender is gone and every job is done.
    JobsDone,
}

/// What `serve` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub stop: Stop,
    /// How many jobs were done.
    pub done: usize,
    /// The jobs still waiting when it stopped, unstarted, in their order.
    pub left: Vec<u64>,
}
