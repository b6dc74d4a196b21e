//! # The Future trait by hand: block_on, join, and a flag to wait for
//!
//! Python's `asyncio.run(main())` hides the loop that drives a coroutine. Rust
//! hides nothing: an `async fn` returns a *future*, a state machine that does
//! nothing until somebody calls its `poll`, and std ships no one to call it. This
//! file is that somebody, in thirty lines — the heart of every executor.
//!
//! The contract of `Future::poll(cx)`: return `Ready(value)`, or return `Pending`
//! *and* make sure `cx.waker()` gets called once it is worth polling again. An
//! executor polls, and on `Pending` sleeps until the waker is called.
//!
//! The code below is a first attempt with three bugs:
//! - `block_on` never sleeps: it polls again and again, burning a core, with a
//!   waker that does nothing;
//! - `join` runs `a` to the end before it starts `b`, so two futures that wait for
//!   each other never finish;
//! - `Flag::wait` returns `Pending` without arranging a wake-up, so whoever waits
//!   for it sleeps for ever.
//!
//! Your tasks:
//! 1. `block_on`: poll; on `Pending`, park the thread (`thread::park`) until the
//!    waker unparks it (`Thread::unpark`), then poll again. Build the `Waker` from a
//!    type of yours that implements `std::task::Wake` (`Waker::from` takes std's
//!    `Arc`). Poll again only after a wake-up, never in a loop of its own.
//! 2. `join`: poll both futures each time the joined future is polled; once one is
//!    ready, keep its output and never poll it again; be ready when both are.
//! 3. `Flag::wait`: ready if the flag is set; otherwise leave the waker where
//!    `set` finds it and return `Pending`. A `set` may come from another thread at
//!    any moment, even between your check and your `Pending`.
//!
//! Threads and locks come from `super::sync` only: a loom model check runs this very
//! file. Graded by: `cargo test --test ch14_async executor`.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use super::sync::Mutex;

/// Runs `future` to completion on the calling thread: polls it, and while it is
/// `Pending` parks the thread until its waker is called.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    // A waker that wakes nobody, and a loop that never sleeps.
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// Both futures at once: polls each until it is ready, and is ready with both
/// outputs once both are (Python's `asyncio.gather` of two, tokio's `join!`).
// Clippy would write this first attempt as an `async fn`: one after the other too.
#[allow(clippy::manual_async_fn)]
pub fn join<A, B>(a: A, b: B) -> impl Future<Output = (A::Output, B::Output)>
where
    A: Future,
    B: Future,
{
    // One after the other: `b` does not start until `a` is done.
    async move {
        let a = a.await;
        let b = b.await;
        (a, b)
    }
}

/// A flag one side sets and the other side waits for, without blocking a thread:
/// `wait` is a future. At most one task waits on a flag at a time.
#[derive(Debug, Default)]
pub struct Flag {
    state: Mutex<FlagState>,
}

#[derive(Debug, Default)]
struct FlagState {
    set: bool,
    waiter: Option<Waker>,
}

impl Flag {
    /// A flag, not set.
    pub fn new() -> Flag {
        Flag::default()
    }

    /// Sets the flag and wakes the task waiting for it, if any.
    pub fn set(&self) {
        let waiter = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.set = true;
            state.waiter.take()
        };
        if let Some(waker) = waiter {
            waker.wake();
        }
    }

    pub fn is_set(&self) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).set
    }

    /// Ready once the flag is set (at once if it already is).
    pub fn wait(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(move |_cx: &mut Context<'_>| {
            let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if state.set {
                return Poll::Ready(());
            }
            // Pending, and nobody will ever be told to poll again.
            Poll::Pending
        })
    }
}
