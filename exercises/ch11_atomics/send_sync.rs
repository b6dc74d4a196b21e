//! # send_sync: make it compile the right way
//!
//! In Python any object can be handed to any thread: the interpreter's lock (the
//! GIL) or, in free-threaded CPython, a lock inside every object keeps the
//! interpreter safe, and whether *your* data is safe is left to you. Rust decides
//! it at compile time with two marker traits:
//!
//! - `Send`: a value of the type may be *moved* to another thread;
//! - `Sync`: a `&` reference to it may be *shared* with other threads
//!   (`T: Sync` exactly when `&T: Send`).
//!
//! This file does not compile. `Tally` counts words into an
//! `Rc<RefCell<HashMap<…>>>`, a fine choice on one thread, and `count_words` hands
//! clones of it to threads. `Rc` counts its owners without atomics, and `RefCell`
//! tracks its borrows without atomics, so two threads using either at once would
//! corrupt those counts: the compiler refuses, and names the type it refuses.
//! Read its messages (`cargo test --test ch11_atomics send_sync` shows them).
//!
//! Your tasks:
//! 1. Make the file compile by changing the *types*: pick, for the owners' count
//!    and for the borrow tracking, the thread-safe counterparts from `super::sync`.
//!    No `unsafe` (the tests compile this file with `#![forbid(unsafe_code)]`):
//!    `unsafe impl Send` would silence the compiler and keep the bug.
//! 2. `Tally` must be `Send + Sync`, and a clone must share the counts with the
//!    original (a word added through one is seen through the other), as `Rc` did.
//! 3. `count_words` counts every word of every text (split on whitespace, words
//!    kept as they are), one thread per text, and returns the totals.
//!
//! Graded by: `cargo test --test ch11_atomics send_sync`. This file is compiled on
//! its own by those tests (with trybuild), so while it does not compile only this
//! exercise fails; the rest of the chapter builds without it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::sync::thread;

/// Word counts; clones share them.
#[derive(Clone, Default)]
pub struct Tally {
    counts: Rc<RefCell<HashMap<String, u64>>>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally::default()
    }

    /// Counts one more `word`.
    pub fn add(&self, word: &str) {
        *self.counts.borrow_mut().entry(word.to_owned()).or_insert(0) += 1;
    }

    /// How often `word` was counted.
    pub fn get(&self, word: &str) -> u64 {
        self.counts.borrow().get(word).copied().unwrap_or(0)
    }

    /// Every word with its count.
    pub fn totals(&self) -> HashMap<String, u64> {
        self.counts.borrow().clone()
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
