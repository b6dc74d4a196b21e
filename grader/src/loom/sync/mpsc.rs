//! `std::sync::mpsc` over loom's mutex and condition variable, so loom sees every send
//! and receive: `channel`, `sync_channel` (any bound, `0` a rendezvous), senders that can
//! be cloned, a receiver whose `recv` and iterators end once every sender is gone, and
//! senders that fail once the receiver is gone. std's error types.
//!
//! Time does not pass in a model: `recv_timeout` with nothing to receive lets the other
//! threads run one step, then reports `Timeout`.

use std::collections::VecDeque;
use std::time::Duration;

pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};

use loom::sync::{Arc, Condvar, Mutex};

struct State<T> {
    queue: VecDeque<T>,
    senders: usize,
    receiver: bool,
    /// `None`: unbounded; `Some(0)`: a rendezvous.
    bound: Option<usize>,
    sent: u64,
    received: u64,
    receivers_waiting: usize,
}

struct Chan<T> {
    state: Mutex<State<T>>,
    changed: Condvar,
}

impl<T> Chan<T> {
    fn new(bound: Option<usize>) -> Arc<Chan<T>> {
        Arc::new(Chan {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                senders: 1,
                receiver: true,
                bound,
                sent: 0,
                received: 0,
                receivers_waiting: 0,
            }),
            changed: Condvar::new(),
        })
    }

    #[track_caller]
    fn lock(&self) -> loom::sync::MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[track_caller]
    fn wait<'a>(
        &self,
        guard: loom::sync::MutexGuard<'a, State<T>>,
    ) -> loom::sync::MutexGuard<'a, State<T>> {
        self.changed.wait(guard).unwrap_or_else(|e| e.into_inner())
    }

    /// Sends `value`, waiting for room (or for the receiver, on a rendezvous).
    #[track_caller]
    fn send(&self, value: T) -> Result<(), SendError<T>> {
        let mut state = self.lock();
        if let Some(bound) = state.bound.filter(|b| *b > 0) {
            while state.receiver && state.queue.len() >= bound {
                state = self.wait(state);
            }
        }
        if !state.receiver {
            return Err(SendError(value));
        }
        state.queue.push_back(value);
        let ticket = state.sent;
        state.sent += 1;
        self.changed.notify_all();
        if state.bound == Some(0) {
            // A rendezvous: wait until the receiver has taken it.
            while state.receiver && state.received <= ticket {
                state = self.wait(state);
            }
            if state.received <= ticket {
                let at = (ticket - state.received) as usize;
                let value = state
                    .queue
                    .remove(at)
                    .expect("the unreceived value is queued");
                return Err(SendError(value));
            }
        }
        Ok(())
    }

    #[track_caller]
    fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let mut state = self.lock();
        if !state.receiver {
            return Err(TrySendError::Disconnected(value));
        }
        let room = match state.bound {
            None => true,
            Some(0) => state.receivers_waiting > state.queue.len(),
            Some(bound) => state.queue.len() < bound,
        };
        if !room {
            return Err(TrySendError::Full(value));
        }
        state.queue.push_back(value);
        state.sent += 1;
        self.changed.notify_all();
        Ok(())
    }

    #[track_caller]
    fn take(&self, state: &mut State<T>) -> Option<T> {
        let value = state.queue.pop_front()?;
        state.received += 1;
        self.changed.notify_all();
        Some(value)
    }

    #[track_caller]
    fn recv(&self) -> Result<T, RecvError> {
        let mut state = self.lock();
        state.receivers_waiting += 1;
        while state.queue.is_empty() && state.senders > 0 {
            state = self.wait(state);
        }
        state.receivers_waiting -= 1;
        self.take(&mut state).ok_or(RecvError)
    }

    #[track_caller]
    fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut state = self.lock();
        match self.take(&mut state) {
            Some(value) => Ok(value),
            None if state.senders == 0 => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }

    #[track_caller]
    fn recv_timeout(&self) -> Result<T, RecvTimeoutError> {
        match self.try_recv() {
            Ok(value) => return Ok(value),
            Err(TryRecvError::Disconnected) => return Err(RecvTimeoutError::Disconnected),
            Err(TryRecvError::Empty) => {}
        }
        loom::thread::yield_now();
        match self.try_recv() {
            Ok(value) => Ok(value),
            Err(TryRecvError::Disconnected) => Err(RecvTimeoutError::Disconnected),
            Err(TryRecvError::Empty) => Err(RecvTimeoutError::Timeout),
        }
    }
}

/// An unbounded channel, as `std::sync::mpsc::channel`.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let chan = Chan::new(None);
    (Sender { chan: chan.clone() }, Receiver { chan })
}

/// A channel of at most `bound` values in flight; `0` makes every send a rendezvous.
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let chan = Chan::new(Some(bound));
    (SyncSender { chan: chan.clone() }, Receiver { chan })
}

/// The sending half of [`channel`].
pub struct Sender<T> {
    chan: Arc<Chan<T>>,
}

/// The sending half of [`sync_channel`].
pub struct SyncSender<T> {
    chan: Arc<Chan<T>>,
}

/// The receiving half of either channel.
pub struct Receiver<T> {
    chan: Arc<Chan<T>>,
}

impl<T> Sender<T> {
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        self.chan.send(value)
    }
}

impl<T> SyncSender<T> {
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        self.chan.send(value)
    }

    #[track_caller]
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        self.chan.try_send(value)
    }
}

macro_rules! sender_lifecycle {
    ($sender:ident) => {
        impl<T> Clone for $sender<T> {
            fn clone(&self) -> Self {
                self.chan.lock().senders += 1;
                $sender {
                    chan: self.chan.clone(),
                }
            }
        }

        impl<T> Drop for $sender<T> {
            fn drop(&mut self) {
                let mut state = self.chan.lock();
                state.senders -= 1;
                if state.senders == 0 {
                    self.chan.changed.notify_all();
                }
            }
        }

        impl<T> std::fmt::Debug for $sender<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($sender), " { .. }"))
            }
        }
    };
}

sender_lifecycle!(Sender);
sender_lifecycle!(SyncSender);

impl<T> Receiver<T> {
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        self.chan.recv()
    }

    #[track_caller]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        self.chan.try_recv()
    }

    #[track_caller]
    pub fn recv_timeout(&self, _timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.chan.recv_timeout()
    }

    /// Values until every sender is gone.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }

    /// The values there now, without waiting.
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { rx: self }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.chan.lock().receiver = false;
        self.chan.changed.notify_all();
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Receiver { .. }")
    }
}

/// [`Receiver::iter`].
pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

/// [`Receiver::try_iter`].
pub struct TryIter<'a, T> {
    rx: &'a Receiver<T>,
}

/// A receiver as an iterator, by value.
pub struct IntoIter<T> {
    rx: Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.try_recv().ok()
    }
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { rx: self }
    }
}
