//! # send_sync — solution
//!
//! The one idea: `Arc` is `Rc` with an atomic owners' count, and `Mutex` is
//! `RefCell` with a lock that makes a second borrower *wait* instead of panicking:
//! `Arc<Mutex<T>>` is `Send + Sync` whenever `T: Send`, so the compiler lets it
//! cross threads.

use std::collections::HashMap;

use super::sync::{thread, Arc, Mutex, MutexGuard};

/// Word counts; clones share them.
#[derive(Clone, Default)]
pub struct Tally {
    counts: Arc<Mutex<HashMap<String, u64>>>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally::default()
    }

    /// Counts one more `word`.
    pub fn add(&self, word: &str) {
        *self.lock().entry(word.to_owned()).or_insert(0) += 1;
    }

    /// How often `word` was counted.
    pub fn get(&self, word: &str) -> u64 {
        self.lock().get(word).copied().unwrap_or(0)
    }

    /// Every word with its count.
    pub fn totals(&self) -> HashMap<String, u64> {
        self.lock().clone()
    }

    /// Any map of counts is a valid one, so a panic elsewhere does not stop us.
    fn lock(&self) -> MutexGuard<'_, HashMap<String, u64>> {
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Counts the words of every text, one thread per text.
pub fn count_words(texts: &[&str]) -> HashMap<String, u64> {
    let tally = Tally::new();
    let threads: Vec<_> = texts
        .iter()
        .map(|text| {
            let tally = tally.clone();
            let text = text.to_string();
            thread::spawn(move || {
                for word in text.split_whitespace() {
                    tally.add(word);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a counting thread panicked");
    }
    tally.totals()
}
