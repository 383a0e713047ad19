//! A new need as an import stages it, before the publish moves it into
//! `needs`. Each dialect writes these rows its fastest way (`stage_needs` in
//! `sqlite.rs` and `postgres.rs`: multi-row INSERTs, or `COPY`).
//!
//! Only what differs from row to row is staged. What every new need of one
//! import shares (version 1, who and when) is given once, at publish.

use chrono::NaiveDate;

/// The staging table's columns, in the order both dialects write them.
pub(crate) const STAGED_NEED_COLUMNS: &str = "id, country, place, pcode, item, quantity, amount_minor, currency, \
     usd_rate, priority, needed_by, justification, reported_via, external_id, status, value_cents, people_in_need, \
     people_targeted, people_source, outcome";

/// One staged need. `id` is its position among the import's new needs (1, 2, ...).
pub(crate) struct StagedNeed<'a> {
    pub id: i64,
    pub country: &'a str,
    pub place: Option<&'a str>,
    pub pcode: Option<&'a str>,
    pub item: &'a str,
    pub quantity: i64,
    pub amount_minor: Option<i64>,
    pub currency: Option<&'a str>,
    pub usd_rate: Option<&'a str>,
    pub priority: &'a str,
    pub needed_by: NaiveDate,
    pub justification: &'a str,
    pub reported_via: &'a str,
    pub external_id: Option<&'a str>,
    pub status: &'a str,
    pub value_cents: Option<i64>,
    pub people_in_need: Option<i64>,
    pub people_targeted: Option<i64>,
    pub people_source: Option<&'a str>,
    pub outcome: Option<&'a str>,
}

/// The keys an import has staged so far, to find a row repeating an earlier
/// chunk's key without an index on the staging table: an index there, kept
/// in SQLite's small temporary cache, tripled the time staging took.
///
/// Each staged need costs 8 bytes for its key's hash and about 5 for the
/// table (about 13 MB per million rows, plus slack as each grows; freed
/// before the publish). A hash names a candidate only: the caller compares
/// the staged row itself.
#[derive(Default)]
pub(crate) struct StagedKeys {
    /// The hash of staged need `id`'s key, at `id - 1`.
    hashes: Vec<u64>,
    /// Staged ids, found by their key's hash.
    ids: hashbrown::HashTable<u32>,
}

impl StagedKeys {
    /// Records that need `id` (the next, 1, 2, ...) was staged under `hash`.
    pub(crate) fn insert(&mut self, id: i64, hash: u64) {
        let Ok(slot) = u32::try_from(id) else {
            // Past four billion staged needs only the staging table's own
            // check at publish finds repeats.
            return;
        };
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.ids
            .insert_unique(hash, slot, |&i| hashes.get(i as usize - 1).copied().unwrap_or_default());
    }

    /// The staged id whose key has this hash, if any.
    pub(crate) fn find(&self, hash: u64) -> Option<i64> {
        self.ids
            .find(hash, |&i| self.hashes.get(i as usize - 1) == Some(&hash))
            .map(|&i| i64::from(i))
    }
}

#[cfg(test)]
mod tests {
    use super::StagedKeys;

    #[test]
    fn staged_keys_find_each_id_by_its_hash() {
        let mut keys = StagedKeys::default();
        let hash = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for id in 1..=50_000_i64 {
            keys.insert(id, hash(id.cast_unsigned()));
        }
        for id in [1_i64, 2, 777, 49_999, 50_000] {
            assert_eq!(keys.find(hash(id.cast_unsigned())), Some(id));
        }
        assert_eq!(keys.find(hash(50_001)), None);
        assert_eq!(StagedKeys::default().find(0), None);
    }
}
