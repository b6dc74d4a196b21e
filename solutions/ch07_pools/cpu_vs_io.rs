//! # CPU-bound or IO-bound: processes or threads? — solution
//!
//! The one idea: with no GIL, CPU-bound work scales over *threads*, one per core, if
//! each gets an equal share: split the input into `min(workers, len)` contiguous
//! chunks whose sizes differ by at most one, run each on its own scoped thread, and
//! concatenate the chunks' results in order.

use std::time::Duration;

use super::sync::thread;

/// How `len` inputs are shared among `workers`: `min(workers, len)` chunk sizes,
/// none empty, differing by at most one, adding up to `len` (larger chunks first).
pub fn chunk_sizes(len: usize, workers: usize) -> Result<Vec<usize>, NoWorkers> {
    if workers == 0 {
        return Err(NoWorkers);
    }
    let chunks = workers.min(len);
    Ok((0..chunks)
        .map(|i| len / chunks + usize::from(i < len % chunks))
        .collect())
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
    let sizes = chunk_sizes(inputs.len(), workers)?;
    let f = &f;
    Ok(thread::scope(|scope| {
        let mut rest = inputs;
        let running: Vec<_> = sizes
            .iter()
            .map(|&size| {
                let (chunk, tail) = rest.split_at(size);
                rest = tail;
                scope.spawn(move || chunk.iter().map(f).collect::<Vec<U>>())
            })
            .collect();
        running
            .into_iter()
            .flat_map(|chunk| chunk.join().expect("a worker panicked"))
            .collect()
    }))
}

/// The best any pool can do: `tasks` tasks of `each`, `workers` at a time, take
/// ⌈tasks / workers⌉ rounds of `each`.
pub fn ideal_time(
    tasks: usize,
    workers: usize,
    each: Duration,
) -> Result<Duration, NoWorkers> {
    if workers == 0 {
        return Err(NoWorkers);
    }
    let rounds = tasks.div_ceil(workers);
    Ok(each * u32::try_from(rounds).unwrap_or(u32::MAX))
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
