//! # rw_cache: a read-mostly LRU cache behind an `RwLock`
//!
//! Seed 004 asks, among its interview questions, whether an LRU cache ("least
//! recently used": when full, forget what was used longest ago) is a
//! multithreading question. It is: a cache is read far more often than it is
//! written, so readers should not wait for each other — that is what `RwLock` is
//! for: any number of readers at once (`read()`), or one writer alone
//! (`write()`). But in an LRU cache, a `get` changes something too: it makes its
//! entry the most recently used.
//!
//! Build `LruCache<K, V>`. The rules the tests hold you to:
//! - `new(0)` is [`CacheError::ZeroCapacity`].
//! - `get(&k)` returns a clone of the value for `k` (or `None`) and makes `k` the
//!   most recently used; a `get` of a key that is not there changes nothing.
//! - `put(k, v)` makes `k` the most recently used. A new key in a full cache
//!   first evicts the least recently used entry and returns it as `Some((key,
//!   value))`; replacing the value of a key already there evicts nothing.
//! - `get` calls run *at the same time* as each other: the tests clone values
//!   that only finish cloning once two `get`s are inside at once, so a `get`
//!   must not take an exclusive lock (a `Mutex`, or the `RwLock`'s `write()`)
//!   while it clones.
//! - The order stays right with threads: a `get` and a `put` that run at the same
//!   time must agree on which came first (a loom check tries every
//!   interleaving).
//!
//! The question to answer before you write a line: how does a `get`, holding only
//! the read lock, record that its entry was just used? (`super::sync::atomic`
//! has what you need, or another small lock *inside* the read lock.)
//!
//! Take locks and atomics from `super::sync` only. Replace the `_todo` field.
//!
//! Graded by: `cargo test --test ch12_channels rw_cache`.

use std::hash::Hash;
use std::marker::PhantomData;

/// A cache of at most `capacity` entries that forgets the least recently used one
/// to make room. Share it by reference (`Arc<LruCache<K, V>>`) between threads.
pub struct LruCache<K, V> {
    capacity: usize,
    _todo: PhantomData<(K, V)>,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    /// A cache for at most `capacity` entries.
    pub fn new(capacity: usize) -> Result<Self, CacheError> {
        let _ = capacity;
        todo!("refuse 0, else an empty cache")
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many entries the cache holds now.
    pub fn len(&self) -> usize {
        todo!("the number of entries")
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value for `key`, if the cache has it; makes `key` the most recently
    /// used. Many `get`s run at the same time.
    pub fn get(&self, key: &K) -> Option<V> {
        let _ = key;
        todo!("under the read lock: find, mark as just used, clone")
    }

    /// Puts `value` under `key`, which becomes the most recently used. A new key
    /// in a full cache evicts the least recently used entry, which is returned;
    /// replacing the value of a key already there evicts nothing.
    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        let _ = (key, value);
        todo!("under the write lock: replace, or evict the oldest and insert")
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Why a cache cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CacheError {
    #[error("a cache needs room for at least one entry")]
    ZeroCapacity,
}
