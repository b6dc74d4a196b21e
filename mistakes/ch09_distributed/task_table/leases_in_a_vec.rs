//! # The master's task table — leases in a `Vec`
//!
//! Every decision is still made under one lock; only the leases live in a plain
//! `Vec`, searched linearly (a table holds a handful of them at a time).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::sync::{Condvar, Mutex, MutexGuard};

#[derive(Debug)]
struct Lease {
    task: Task,
    worker: u64,
    expires: Instant,
}

#[derive(Debug, Default)]
struct State {
    /// Waiting to be handed out, oldest first.
    pending: VecDeque<Task>,
    /// Handed out, until the result comes or the lease expires.
    leased: Vec<Lease>,
    /// Results, by task id: at most one each.
    results: BTreeMap<u64, (Task, u64)>,
    /// Every task, by id.
    tasks: HashMap<u64, Task>,
}

/// The tasks of one run, shared by the master's connection threads.
#[derive(Debug)]
pub struct TaskTable {
    lease: Duration,
    state: Mutex<State>,
    finished: Condvar,
}

impl TaskTable {
    /// Tasks `0, 1, 2, …` for `numbers`, in order; a worker holds a task for
    /// `lease`. Given.
    pub fn new(numbers: impl IntoIterator<Item = u64>, lease: Duration) -> Self {
        let mut state = State::default();
        for (id, n) in (0u64..).zip(numbers) {
            let task = Task { id, n };
            state.pending.push_back(task);
            state.tasks.insert(id, task);
        }
        TaskTable {
            lease,
            state: Mutex::new(state),
            finished: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands the oldest waiting task to `worker` (after re-queueing expired leases),
    /// with a lease that runs out at `now + lease`; `None` if nothing is waiting.
    pub fn take(&self, worker: u64, now: Instant) -> Option<Task> {
        let mut state = self.lock();
        requeue(&mut state, now);
        let task = state.pending.pop_front()?;
        let expires = now + self.lease;
        state.leased.push(Lease {
            task,
            worker,
            expires,
        });
        Some(task)
    }

    /// Puts every task whose lease ran out by `now` back in the queue (at the front:
    /// it has waited longest); returns how many.
    pub fn requeue_expired(&self, now: Instant) -> usize {
        requeue(&mut self.lock(), now)
    }

    /// Records `square` as task `id`'s result — only the first time.
    pub fn complete(&self, id: u64, square: u64) -> Completion {
        let mut state = self.lock();
        let Some(&task) = state.tasks.get(&id) else {
            return Completion::Unknown;
        };
        if state.results.contains_key(&id) {
            return Completion::Duplicate;
        }
        state.results.insert(id, (task, square));
        state.leased.retain(|lease| lease.task.id != id);
        state.pending.retain(|t| t.id != id);
        if state.results.len() == state.tasks.len() {
            self.finished.notify_all();
        }
        Completion::Recorded(task)
    }

    /// Who holds task `id`'s lease and when it runs out, if it is leased. Written
    /// for you, as are the other inspection methods below: if you change how
    /// `State` keeps its tasks, keep them answering the same.
    pub fn lease_of(&self, id: u64) -> Option<(u64, Instant)> {
        let state = self.lock();
        state
            .leased
            .iter()
            .find(|lease| lease.task.id == id)
            .map(|lease| (lease.worker, lease.expires))
    }

    /// The tasks leased right now, by id. Given.
    pub fn leased(&self) -> Vec<Task> {
        let mut tasks: Vec<Task> =
            self.lock().leased.iter().map(|l| l.task).collect();
        tasks.sort_by_key(|task| task.id);
        tasks
    }

    /// Every result so far: `(task, square)`, by task id. Given.
    pub fn results(&self) -> Vec<(Task, u64)> {
        self.lock().results.values().copied().collect()
    }

    /// Whether every task has its result. Given.
    pub fn is_finished(&self) -> bool {
        let state = self.lock();
        state.results.len() == state.tasks.len()
    }

    /// Waits at most `within` for every task to have its result; returns whether
    /// they all do. Given.
    pub fn wait_finished(&self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        let mut state = self.lock();
        while state.results.len() < state.tasks.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = self
                .finished
                .wait_timeout(state, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}

/// Moves expired leases back to the front of the queue, oldest task first.
fn requeue(state: &mut State, now: Instant) -> usize {
    let mut expired: Vec<Task> = state
        .leased
        .iter()
        .filter(|lease| lease.expires <= now)
        .map(|lease| lease.task)
        .collect();
    state.leased.retain(|lease| lease.expires > now);
    expired.sort_by_key(|task| task.id);
    for task in expired.iter().rev() {
        state.pending.push_front(*task);
    }
    expired.len()
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// One unit of work: compute `n * n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Task {
    pub id: u64,
    pub n: u64,
}

/// What became of a result handed to [`TaskTable::complete`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// The first result for this task: recorded.
    Recorded(Task),
    /// This task already has a result; this one is ignored.
    Duplicate,
    /// There is no task with this id.
    Unknown,
}
