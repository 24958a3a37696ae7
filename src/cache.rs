//! A small time-bounded cache for data every request reads and that changes
//! rarely (tenants, category trees). Entries expire after a fixed time, so an
//! edit shows within that time on every app server without invalidation
//! messages; `clear` drops everything at once.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

type Entries<K, V> = Arc<RwLock<HashMap<K, (Instant, Arc<V>)>>>;

pub struct TtlCache<K, V> {
    ttl: Duration,
    max_entries: usize,
    entries: Entries<K, V>,
}

impl<K, V> Clone for TtlCache<K, V> {
    fn clone(&self) -> Self {
        Self { ttl: self.ttl, max_entries: self.max_entries, entries: self.entries.clone() }
    }
}

impl<K: Eq + Hash + Clone, V> TtlCache<K, V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        Self { ttl, max_entries, entries: Arc::default() }
    }

    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        let map = self.entries.read().ok()?;
        let (at, value) = map.get(key)?;
        (at.elapsed() < self.ttl).then(|| value.clone())
    }

    pub fn insert(&self, key: K, value: V) -> Arc<V> {
        let value = Arc::new(value);
        if self.ttl.is_zero() {
            return value; // caching turned off
        }
        if let Ok(mut map) = self.entries.write() {
            if map.len() >= self.max_entries {
                map.clear(); // bounded memory, even against made-up keys
            }
            map.insert(key, (Instant::now(), value.clone()));
        }
        value
    }

    /// Forgets one entry (this server sees a change at once; others within the TTL).
    pub fn remove(&self, key: &K) {
        if let Ok(mut map) = self.entries.write() {
            map.remove(key);
        }
    }

    pub fn clear(&self) {
        if let Ok(mut map) = self.entries.write() {
            map.clear();
        }
    }
}
