//! # parallel_iter: the seed's `pool.map` with rayon
//!
//! The seeds time `pool.map(f, range(1000))` on `cpu_count()` processes against a
//! plain `map`, because Python threads cannot run Python code in parallel (the
//! GIL). Rust threads can, and the rayon crate turns an iterator into a parallel
//! one by changing `iter()` to `par_iter()`: its worker threads (one per core)
//! split the input between them and steal work from each other as they run out.
//!
//! Write two functions with rayon (`use rayon::prelude::*;`):
//! 1. `par_map(inputs, f)`: `f` on every input, in parallel, the results in input
//!    order — the seed's `pool.map`. Calls of `f` must be able to run at the same
//!    time (the tests make two calls wait for each other).
//! 2. `word_count(root)`: how often each word occurs in all the files under the
//!    directory `root`, recursively. Every entry that is not a directory counts as
//!    a file (the tests also use named pipes as files). Count a file's words with
//!    the given `add_words`. Read the files in parallel: the tests give you two
//!    named pipes and write to them only once *both* are open for reading. The
//!    answer must equal the sequential one for any tree of files. A directory that
//!    cannot be listed or a file that cannot be read (or is not UTF-8) is
//!    [`WordCountError::Read`] naming it.
//!
//! Use rayon's current pool: do not build a pool of your own. The tests run your
//! code inside a pool of theirs (`ThreadPool::install`), of two threads.
//!
//! The sequential versions, to start from:
//!
//! ```ignore
//! inputs.iter().map(f).collect()                    // par_map
//! for file in files { add_words(&mut counts, &std::fs::read_to_string(file)?) }
//! ```
//!
//! The bench (`cargo bench --features solutions --bench ch12_channels`) sets
//! `par_map` against a plain `map` and against this chapter's own
//! `fan_out_fan_in`, on `count_primes`.
//!
//! Graded by: `cargo test --test ch12_channels parallel_iter`.

use std::path::{Path, PathBuf};

/// `f` on every input, on rayon's threads; the results in input order.
pub fn par_map<T, R, F>(inputs: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    let _ = (inputs, f);
    todo!("par_iter, map, collect")
}

/// How often each word occurs in the files under `root`, read in parallel.
pub fn word_count(root: &Path) -> Result<WordCounts, WordCountError> {
    let _ = root;
    todo!("list the files, count each in parallel, merge the counts")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Each word and how often it occurs.
pub type WordCounts = std::collections::BTreeMap<String, usize>;

/// Why a word count failed.
#[derive(Debug, thiserror::Error)]
pub enum WordCountError {
    /// A directory could not be listed, or a file read (a file that is not UTF-8
    /// text too).
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Counts the words of `text` into `counts`: a word is what
/// `str::split_whitespace` gives.
pub fn add_words(counts: &mut WordCounts, text: &str) {
    for word in text.split_whitespace() {
        *counts.entry(word.to_owned()).or_default() += 1;
    }
}

/// The seeds' CPU-bound task: how many primes there are below `n`, by trial
/// division (slow on purpose).
pub fn count_primes(n: u64) -> u64 {
    (2..n)
        .filter(|&k| (2..).take_while(|d| d * d <= k).all(|d| k % d != 0))
        .count() as u64
}
