//! # parallel_iter: the seed's `pool.map` with rayon — solution
//!
//! The one idea: *split the work into independent pieces and combine the pieces'
//! results with an operation that does not care about grouping*. `par_iter` hands
//! slices of the input to rayon's worker threads (stealing work from each other as
//! they run out) and `collect` puts the results back in input order. For the word
//! count, each file is a piece; the per-file counts are merged pairwise
//! (`try_reduce`), and since adding counts is associative and commutative, any
//! grouping gives the sequential answer.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// `f` on every input, on rayon's threads; the results in input order.
pub fn par_map<T, R, F>(inputs: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    inputs.par_iter().map(f).collect()
}

/// How often each word occurs in the files under `root`, read in parallel.
pub fn word_count(root: &Path) -> Result<WordCounts, WordCountError> {
    let mut files = Vec::new();
    files_under(root, &mut files)?;
    files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|source| {
                WordCountError::Read {
                    path: path.clone(),
                    source,
                }
            })?;
            let mut counts = WordCounts::new();
            add_words(&mut counts, &text);
            Ok(counts)
        })
        .try_reduce(WordCounts::new, |mut a, b| {
            merge(&mut a, b);
            Ok(a)
        })
}

/// Every entry under `dir` that is not a directory, recursively.
fn files_under(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), WordCountError> {
    let error = |source| WordCountError::Read {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(error)? {
        let entry = entry.map_err(error)?;
        let path = entry.path();
        if entry.file_type().map_err(error)?.is_dir() {
            files_under(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// Adds `more` into `counts`.
fn merge(counts: &mut WordCounts, more: WordCounts) {
    for (word, n) in more {
        *counts.entry(word).or_default() += n;
    }
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
