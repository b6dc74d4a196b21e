//! # The Future trait by hand: block_on, join, and a flag to wait for — solution
//!
//! The one idea: *`Pending` is a promise to call the waker*. `block_on` polls, and
//! if the answer is `Pending` it parks the thread until the waker unparks it;
//! `Flag::wait` returns `Pending` only after leaving the waker where `set` will find
//! it, checked and stored under one lock, so a `set` in between cannot be missed;
//! `join` polls both halves on every wake-up and keeps the first half's output
//! until the second is done.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::{Context, Poll, Wake, Waker};

use super::sync::thread::{self, Thread};
use super::sync::Mutex;

/// Wakes the thread that runs `block_on` (a `Waker` is built from std's `Arc`).
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to completion on the calling thread: polls it, and while it is
/// `Pending` parks the thread until its waker is called.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(std::sync::Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // A wake-up that came before this line left a token: park returns at once.
        thread::park();
    }
}

/// Both futures at once: polls each until it is ready, and is ready with both
/// outputs once both are (Python's `asyncio.gather` of two, tokio's `join!`).
pub fn join<A, B>(a: A, b: B) -> impl Future<Output = (A::Output, B::Output)>
where
    A: Future,
    B: Future,
{
    let (mut a, mut b) = (Box::pin(a), Box::pin(b));
    let (mut out_a, mut out_b) = (None, None);
    poll_fn(move |cx| {
        // A finished future must never be polled again: its output is kept instead.
        if out_a.is_none() {
            if let Poll::Ready(value) = a.as_mut().poll(cx) {
                out_a = Some(value);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(value) = b.as_mut().poll(cx) {
                out_b = Some(value);
            }
        }
        if out_a.is_some() && out_b.is_some() {
            Poll::Ready((out_a.take().unwrap(), out_b.take().unwrap()))
        } else {
            Poll::Pending
        }
    })
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
        poll_fn(move |cx: &mut Context<'_>| {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if state.set {
                return Poll::Ready(());
            }
            // Under the same lock as the check: `set` either came before (seen
            // above) or comes after and finds this waker.
            state.waiter = Some(cx.waker().clone());
            Poll::Pending
        })
    }
}
