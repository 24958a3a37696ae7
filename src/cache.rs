//! A small time-bounded cache for data every request reads and that changes
//! rarely (tenants, category trees, search result pages, signed-in users).
//! Entries expire after a fixed time, so an edit shows within that time on
//! every app server without invalidation messages. It is bounded: past its
//! size it evicts the entries least likely to be asked for again (moka's
//! TinyLFU), so keys an attacker makes up cost a bounded amount of memory and
//! do not push everything else out at once.

use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

pub struct TtlCache<K, V> {
    /// Behind one `Arc`: the app state holding the caches is cloned per request.
    entries: Arc<moka::sync::Cache<K, Arc<V>>>,
    enabled: bool,
}

impl<K, V> Clone for TtlCache<K, V> {
    fn clone(&self) -> Self {
        Self { entries: self.entries.clone(), enabled: self.enabled }
    }
}

impl<K: Eq + Hash + Send + Sync + 'static, V: Send + Sync + 'static> TtlCache<K, V> {
    /// At most `max_entries`, each for `ttl`; a zero `ttl` turns caching off.
    pub fn new(ttl: Duration, max_entries: u64) -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(max_entries)
            .time_to_live(ttl.max(Duration::from_millis(1)))
            .build();
        Self { entries: Arc::new(entries), enabled: !ttl.is_zero() }
    }

    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        if !self.enabled {
            return None;
        }
        self.entries.get(key)
    }

    pub fn insert(&self, key: K, value: V) -> Arc<V> {
        let value = Arc::new(value);
        if self.enabled {
            self.entries.insert(key, value.clone());
        }
        value
    }

    /// Forgets one entry (this server sees a change at once; others within the TTL).
    pub fn remove(&self, key: &K) {
        self.entries.invalidate(key);
    }

    pub fn clear(&self) {
        self.entries.invalidate_all();
    }

    /// Entries held now (approximate: evictions run in the background of calls).
    pub fn len(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.entry_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_size_stays_bounded() {
        let c = TtlCache::new(Duration::from_millis(50), 100);
        c.insert(1, "one");
        assert_eq!(c.get(&1).as_deref(), Some(&"one"));
        std::thread::sleep(Duration::from_millis(80));
        assert_eq!(c.get(&1), None, "expired");
        for i in 0..10_000 {
            c.insert(i, "x");
        }
        assert!(c.len() <= 100, "{} entries", c.len());
        let off = TtlCache::new(Duration::ZERO, 100);
        off.insert(1, "one");
        assert_eq!(off.get(&1), None, "a zero TTL caches nothing");
    }
}
