//! # rw_cache: a read-mostly LRU cache behind an `RwLock` — solution
//!
//! The one idea: *a `get` of an LRU cache writes* — it makes its entry the most
//! recently used — *but it need not write the map*. The map sits behind the
//! `RwLock`; each entry carries the time it was last used in an atomic, stamped
//! from one atomic clock. A `get` takes the read lock, so readers run side by
//! side, and only bumps its entry's stamp (`fetch_max`: a later stamp is never
//! overwritten by an earlier one). A `put` takes the write lock, so it is alone,
//! and evicts the entry with the oldest stamp.

use std::collections::HashMap;
use std::hash::Hash;

use super::sync::atomic::{AtomicU64, Ordering};
use super::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

struct Entry<V> {
    value: V,
    /// The clock's value when this entry was last used.
    used: AtomicU64,
}

/// A cache of at most `capacity` entries that forgets the least recently used one
/// to make room. Share it by reference (`Arc<LruCache<K, V>>`) between threads.
pub struct LruCache<K, V> {
    capacity: usize,
    entries: RwLock<HashMap<K, Entry<V>>>,
    clock: AtomicU64,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    /// A cache for at most `capacity` entries.
    pub fn new(capacity: usize) -> Result<Self, CacheError> {
        if capacity == 0 {
            return Err(CacheError::ZeroCapacity);
        }
        Ok(LruCache {
            capacity,
            entries: RwLock::new(HashMap::with_capacity(capacity)),
            clock: AtomicU64::new(0),
        })
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many entries the cache holds now.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value for `key`, if the cache has it; makes `key` the most recently
    /// used. Many `get`s run at the same time.
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.read();
        let entry = entries.get(key)?;
        entry.used.fetch_max(self.tick(), Ordering::SeqCst);
        Some(entry.value.clone())
    }

    /// Puts `value` under `key`, which becomes the most recently used. A new key
    /// in a full cache evicts the least recently used entry, which is returned;
    /// replacing the value of a key already there evicts nothing.
    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        let mut entries = self.write();
        let now = self.tick();
        if let Some(entry) = entries.get_mut(&key) {
            entry.value = value;
            entry.used.store(now, Ordering::SeqCst);
            return None;
        }
        let mut evicted = None;
        if entries.len() >= self.capacity {
            let oldest = entries
                .iter()
                .min_by_key(|(_, entry)| entry.used.load(Ordering::SeqCst))
                .map(|(key, _)| key.clone());
            evicted = oldest
                .and_then(|key| entries.remove_entry(&key))
                .map(|(key, entry)| (key, entry.value));
        }
        let used = AtomicU64::new(now);
        entries.insert(key, Entry { value, used });
        evicted
    }

    /// The next value of the clock.
    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn read(&self) -> RwLockReadGuard<'_, HashMap<K, Entry<V>>> {
        self.entries.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<K, Entry<V>>> {
        self.entries.write().unwrap_or_else(|e| e.into_inner())
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Why a cache cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CacheError {
    #[error("a cache needs room for at least one entry")]
    ZeroCapacity,
}
