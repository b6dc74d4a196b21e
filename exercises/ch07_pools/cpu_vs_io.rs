//! # CPU-bound or IO-bound: processes or threads?
//!
//! The seeds ask the classic question: "which is faster, many processes or many
//! threads, and why?" In CPython the answer depends on the GIL: one thread runs
//! Python code at a time, so threads help only IO-bound work (waiting on disk or
//! network) and CPU-bound work needs processes (`Pool(cpu_count())`). Rust has no
//! GIL: threads run on every core at once, so CPU-bound work scales over threads
//! too, without the cost of starting processes and copying data through pipes. The
//! chapter's benchmark measures it; this exercise builds the tool it measures with.
//!
//! `parallel_map` below is the GIL's behaviour: it does all the work on one thread.
//! Your tasks:
//! 1. `chunk_sizes(len, workers)`: share `len` inputs among `workers` — exactly
//!    `min(workers, len)` chunks, none empty, sizes differing by at most one, adding
//!    up to `len`, larger chunks first. No workers is [`NoWorkers`].
//! 2. `parallel_map`: the inputs, cut into chunks of those sizes in order, each
//!    chunk on a thread of its own (never the caller's), all running at the same
//!    time (`super::sync::thread::scope` lets them borrow `inputs`); the results in
//!    input order, whichever thread finishes first. No workers is [`NoWorkers`].
//! 3. `ideal_time(tasks, workers, each)`: the best any pool can do with `tasks`
//!    tasks of `each`, `workers` at a time. The benchmark divides measured times by
//!    it.
//!
//! `cpu_bound` and `io_bound` are the two kinds of work, written for you at the
//! bottom of the file, with `main`, the program `cargo run -- run cpu_vs_io WORKERS
//! TASKS N`: it prints the primes it counted and on how many threads.
//! Graded by: `cargo test --test ch07_pools cpu_vs_io`.

use std::time::Duration;

use super::sync::thread;

/// How `len` inputs are shared among `workers`: `min(workers, len)` chunk sizes,
/// none empty, differing by at most one, adding up to `len` (larger chunks first).
pub fn chunk_sizes(len: usize, workers: usize) -> Result<Vec<usize>, NoWorkers> {
    let _ = (len, workers);
    todo!("min(workers, len) sizes, as equal as possible")
}

/// `f` over every input, the work shared by `workers` threads running at once (one
/// per chunk of [`chunk_sizes`]); the results in input order.
pub fn parallel_map<T, U, F>(
    inputs: &[T],
    workers: usize,
    f: F,
) -> Result<Vec<U>, NoWorkers>
where
    T: Sync,
    U: Send,
    F: Fn(&T) -> U + Sync,
{
    if workers == 0 {
        return Err(NoWorkers);
    }
    // One thread does everything, as under the GIL.
    Ok(inputs.iter().map(f).collect())
}

/// The best any pool can do: `tasks` tasks of `each`, `workers` at a time.
pub fn ideal_time(
    tasks: usize,
    workers: usize,
    each: Duration,
) -> Result<Duration, NoWorkers> {
    let _ = (tasks, workers, each);
    todo!("how many rounds of `each` does it take at best?")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The only misuse: asking for no workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("at least one worker is needed")]
pub struct NoWorkers;

/// CPU-bound work: how many primes are below `n` (trial division, deliberately
/// plain).
pub fn cpu_bound(n: u64) -> u64 {
    (2..n)
        .filter(|&k| (2..).take_while(|d| d * d <= k).all(|d| k % d != 0))
        .count() as u64
}

/// IO-bound work: waiting, here for `each` (a stand-in for a disk or network reply).
pub fn io_bound(each: Duration) {
    thread::sleep(each);
}

/// The program (`cargo run -- run cpu_vs_io WORKERS TASKS N`): `TASKS` counts of
/// the primes below `N`, shared by `WORKERS` threads through [`parallel_map`];
/// prints the total and how many threads did the work. `book/python/compare.py`
/// times it beside the seed's Python, which does the same with threads under the
/// GIL.
pub fn main(args: &[String]) -> Result<(), String> {
    const USAGE: &str = "usage: cpu_vs_io WORKERS TASKS N";
    let [workers, tasks, n] = args else {
        return Err(USAGE.into());
    };
    let number =
        |s: &String| s.parse::<u64>().map_err(|_| format!("{USAGE} ({s:?})"));
    let (workers, tasks, n) = (number(workers)?, number(tasks)?, number(n)?);
    let inputs = vec![n; usize::try_from(tasks).map_err(|e| e.to_string())?];
    let workers = usize::try_from(workers).map_err(|e| e.to_string())?;
    let caller = thread::current().id();
    let seen = std::sync::Mutex::new(std::collections::HashSet::new());
    let counts = parallel_map(&inputs, workers, |&n| {
        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.insert(thread::current().id());
        drop(seen);
        cpu_bound(n)
    })
    .map_err(|e| e.to_string())?;
    let seen = seen.into_inner().unwrap_or_else(|e| e.into_inner());
    let among = if seen.contains(&caller) {
        ", the caller's among them"
    } else {
        ""
    };
    let total: u64 = counts.iter().sum();
    let threads = match seen.len() {
        1 => "1 thread".to_owned(),
        n => format!("{n} threads"),
    };
    println!("primes: {total} (on {threads}{among})");
    Ok(())
}
