//! An alternative solution of `bounded_queue`: one condition variable for both
//! conditions, and `notify_all` wherever anything changes, so a wake-up that reaches
//! a thread of the wrong kind costs time but never the thread that can go on.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::sync::{Condvar, Mutex, MutexGuard};

#[derive(Debug)]
struct State<T> {
    items: VecDeque<T>,
    closed: bool,
}

/// A first-in first-out queue holding at most `capacity` items.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    capacity: usize,
    state: Mutex<State<T>>,
    changed: Condvar,
}

impl<T> BoundedQueue<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "a BoundedQueue needs a capacity of at least 1"
        );
        BoundedQueue {
            capacity,
            state: Mutex::new(State {
                items: VecDeque::with_capacity(capacity),
                closed: false,
            }),
            changed: Condvar::new(),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.lock().items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    pub fn put(&self, item: T) -> Result<(), PutError<T>> {
        let mut state = self.lock();
        while !state.closed && state.items.len() == self.capacity {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        self.push(state, item)
    }

    pub fn try_put(&self, item: T) -> Result<(), PutError<T>> {
        let state = self.lock();
        if !state.closed && state.items.len() == self.capacity {
            return Err(PutError::Full(item));
        }
        self.push(state, item)
    }

    pub fn put_timeout(
        &self,
        item: T,
        timeout: Duration,
    ) -> Result<(), PutError<T>> {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        while !state.closed && state.items.len() == self.capacity {
            let now = Instant::now();
            if now >= deadline {
                return Err(PutError::Full(item));
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        self.push(state, item)
    }

    pub fn get(&self) -> Result<T, GetError> {
        let mut state = self.lock();
        while state.items.is_empty() && !state.closed {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        self.pop(state)
    }

    pub fn try_get(&self) -> Result<T, GetError> {
        self.pop(self.lock())
    }

    pub fn get_timeout(&self, timeout: Duration) -> Result<T, GetError> {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        while state.items.is_empty() && !state.closed {
            let now = Instant::now();
            if now >= deadline {
                return Err(GetError::Empty);
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        self.pop(state)
    }

    pub fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        self.changed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(
        &self,
        mut state: MutexGuard<'_, State<T>>,
        item: T,
    ) -> Result<(), PutError<T>> {
        if state.closed {
            return Err(PutError::Closed(item));
        }
        state.items.push_back(item);
        self.changed.notify_all();
        Ok(())
    }

    /// The front item; `Closed` once closed and drained, else `Empty`.
    fn pop(&self, mut state: MutexGuard<'_, State<T>>) -> Result<T, GetError> {
        match state.items.pop_front() {
            Some(item) => {
                self.changed.notify_all();
                Ok(item)
            }
            None if state.closed => Err(GetError::Closed),
            None => Err(GetError::Empty),
        }
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Why an item could not be put. The item comes back: nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PutError<T> {
    /// The queue stayed full (at once for `try_put`, for the whole timeout for
    /// `put_timeout`).
    #[error("the queue is full")]
    Full(T),
    /// The queue was closed: nobody will read this item.
    #[error("the queue is closed")]
    Closed(T),
}

/// Why no item could be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GetError {
    /// The queue stayed empty (at once for `try_get`, for the whole timeout for
    /// `get_timeout`).
    #[error("the queue is empty")]
    Empty,
    /// The queue is closed and every item in it has been taken.
    #[error("the queue is closed and drained")]
    Closed,
}

impl<T> PutError<T> {
    /// The item that could not be put.
    pub fn into_inner(self) -> T {
        match self {
            PutError::Full(item) | PutError::Closed(item) => item,
        }
    }
}
