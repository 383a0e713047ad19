//! The audit chain: every write appends an entry whose hash covers the entry
//! and the previous entry's hash, so editing or removing any row breaks the
//! chain from that row on.

use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields of an entry that its hash covers, besides the previous hash.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

impl Entry {
    pub fn fields(&self) -> Fields<'_> {
        Fields {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            entity: &self.entity,
            entity_id: &self.entity_id,
            before: self.before.as_deref(),
            after: self.after.as_deref(),
        }
    }
}

/// Hashes one entry. Each field is length-prefixed so no two different
/// entries can produce the same byte stream.
pub fn hash_entry(prev_hash: &str, f: &Fields<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |s: Option<&str>| match s {
        Some(s) => {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
        None => h.update(u64::MAX.to_be_bytes()),
    };
    field(Some(prev_hash));
    field(Some(&f.seq.to_string()));
    field(Some(f.at));
    field(Some(f.actor));
    field(Some(f.action));
    field(Some(f.entity));
    field(Some(f.entity_id));
    field(f.before);
    field(f.after);
    hex::encode(h.finalize())
}

/// Where a check of the chain has got to: the sequence number and previous
/// hash the next entry must have. Lets a long log be checked in batches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub next_seq: i64,
    pub prev_hash: String,
}

impl Cursor {
    pub fn start() -> Self {
        Self {
            next_seq: 1,
            prev_hash: GENESIS.to_owned(),
        }
    }

    /// Checks the next entries in sequence order and advances past them.
    /// Returns the first bad entry's sequence number and what is wrong with it.
    pub fn check<'a>(&mut self, entries: impl IntoIterator<Item = &'a Entry>) -> Option<(i64, String)> {
        for e in entries {
            if e.seq != self.next_seq {
                return Some((
                    self.next_seq,
                    format!("entry {} is missing (the next entry is {})", self.next_seq, e.seq),
                ));
            }
            if e.prev_hash != self.prev_hash {
                return Some((e.seq, "its link to the previous entry does not match".into()));
            }
            let h = hash_entry(&e.prev_hash, &e.fields());
            if h != e.hash {
                return Some((e.seq, "its content does not match its hash (it was edited)".into()));
            }
            self.prev_hash = e.hash.clone();
            self.next_seq += 1;
        }
        None
    }
}

/// Checks a whole chain from its first entry.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Option<(i64, String)> {
    Cursor::start().check(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let after = format!("{{\"n\":{seq}}}");
                let mut e = Entry {
                    seq,
                    at: "t".into(),
                    actor: "a".into(),
                    action: "x.create".into(),
                    entity: "x".into(),
                    entity_id: seq.to_string(),
                    before: None,
                    after: Some(after),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = hash_entry(&prev, &e.fields());
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), None);
    }

    #[test]
    fn an_edit_is_found_at_its_entry() {
        let mut c = chain(5);
        c[2].after = Some("{\"n\":99}".into());
        assert_eq!(verify(&c).map(|(s, _)| s), Some(3));
    }

    #[test]
    fn a_removal_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).map(|(s, _)| s), Some(2));
        let mut tail = chain(5);
        tail.pop();
        assert_eq!(
            verify(&tail),
            None,
            "a cut-off tail cannot be seen without a checkpoint"
        );
    }

    #[test]
    fn a_rehashed_edit_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].after = Some("{\"n\":99}".into());
        c[2].hash = hash_entry(&c[2].prev_hash, &c[2].fields());
        assert_eq!(verify(&c).map(|(s, _)| s), Some(4));
    }
}
