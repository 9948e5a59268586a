//! A bounded memo: what was worked out for a key (a credential's claims, its rendered JSON) is
//! kept so the next time the same key comes, it is looked up, not worked out again. A HAR sends
//! the same few tokens in thousands of requests; a hostile one sends thousands of distinct
//! ones, so the memo holds at most a fixed number of entries and bytes, and starts afresh when
//! either is reached (results never change, only how often they are worked out).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// A map from key to result with a cap on its entries and on their weight in bytes.
pub struct Memo<K, V> {
    map: HashMap<K, V>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// An empty memo holding at most `max_entries` results weighing `max_bytes` in all.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Memo {
            map: HashMap::new(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    /// The result for `key`: looked up, or made by `make` and kept with its `weight` in bytes
    /// (counting the key), unless that alone is over the cap. `V` is meant to be cheap to
    /// clone (an `Rc`).
    pub fn get_or_make<Q>(
        &mut self,
        key: &Q,
        weight: impl FnOnce(&V) -> usize,
        make: impl FnOnce() -> V,
    ) -> V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(v) = self.map.get(key) {
            return v.clone();
        }
        let value = make();
        let w = weight(&value);
        if w > self.max_bytes {
            return value;
        }
        if self.map.len() >= self.max_entries || self.bytes + w > self.max_bytes {
            self.map = HashMap::new();
            self.bytes = 0;
        }
        self.bytes += w;
        self.map.insert(key.to_owned(), value.clone());
        value
    }

    /// How many results are kept now.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no result is kept.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The weight of the results kept now, in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn a_key_is_worked_out_once_and_the_bounds_hold() {
        let mut memo: Memo<String, String> = Memo::new(3, 100);
        let mut made = 0;
        for _ in 0..5 {
            let v = memo.get_or_make("a", String::len, || {
                made += 1;
                "A".to_string()
            });
            assert_eq!(v, "A");
        }
        assert_eq!(made, 1, "a hit is not worked out again");
        for i in 0..1000 {
            let key = format!("k{i}");
            let v = memo.get_or_make(key.as_str(), String::len, || format!("v{i}"));
            assert_eq!(v, format!("v{i}"), "the result is the one for its key");
            assert!(memo.len() <= 3 && memo.bytes() <= 100);
        }
        let big = memo.get_or_make("big", String::len, || "x".repeat(500));
        assert_eq!(
            big.len(),
            500,
            "a result over the weight cap is still returned"
        );
        assert!(memo.bytes() <= 100, "but not kept");
    }
}
