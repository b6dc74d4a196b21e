//! # select: several channels and a deadline at once
//!
//! A worker often waits for more than one thing: the next job, a ticker that asks
//! for a progress report, a shutdown request, a deadline. Python threads poll
//! (`q.get(timeout=0.1)` in a loop, then check a flag); Go and Rust *select*: wait
//! on all of them at once and wake on whichever comes first. std's `mpsc` cannot
//! do that; crossbeam-channel's `select!` can, and its `tick(d)` and `after(d)`
//! are the clock as channels.
//!
//! Write `serve(inputs, events, work)`. Until it stops, it waits on all four
//! channels of `inputs` at once:
//! - a job `j` on `jobs`: run `work(j)` and send `Event::Done { job: j, result }`;
//! - a tick on `ticks`: send `Event::Progress { done }`, the jobs done so far;
//! - a message on `shutdown`, or every shutdown sender gone: stop with
//!   `Stop::Shutdown`;
//! - a value on `deadline`: stop with `Stop::Deadline`;
//! - every job sender gone (and every job done): stop with `Stop::JobsDone`.
//!
//! The rules the tests hold you to:
//! - A stop signal waiting at the same time as jobs wins: no job is started once
//!   a shutdown or the deadline is there. (`select!` picks *at random* among the
//!   ready operations, so this does not happen by itself; the tests try it 32
//!   times in a row.)
//! - A ticker whose senders are all gone just means no more ticks, and a deadline
//!   whose sender is gone without sending means no deadline: neither stops the
//!   loop nor sends an event. (A receive on a channel with no senders left
//!   returns an error at once, every time it is tried.)
//! - It returns a [`Summary`]: why it stopped, how many jobs it did, and the jobs
//!   still waiting in `jobs` then, unstarted, in their order.
//!
//! The tests hand `serve` channels of their own for the ticker and the deadline,
//! and send on them when they want time to have passed: no test waits for a
//! clock.
//!
//! Not loom-checked: loom does not know crossbeam's channels; every test here is
//! deterministic by construction instead.
//!
//! Graded by: `cargo test --test ch12_channels select`.

use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

/// Serves jobs until a shutdown, the deadline, or the end of the jobs.
pub fn serve(
    inputs: Inputs,
    events: &Sender<Event>,
    mut work: impl FnMut(u64) -> u64,
) -> Summary {
    let _ = (inputs, events, &mut work);
    todo!("loop: stop signals first, then select! over the four channels")
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
