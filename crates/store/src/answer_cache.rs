//! Answers kept for as long as the data they were computed from.
//!
//! Every write appends to the audit log in its own transaction, so the log's
//! head (its last sequence number and hash) names the state of the data: a
//! [`DataVersion`]. An aggregate computed after reading version V counts
//! every write up to V, and maybe later ones; it is served only to requests
//! that read exactly V again, so no answer is older than the data its reader
//! saw. The version is read from the database on each request, so several
//! server processes on one database stay exact without telling each other
//! anything. The hash is part of the version, so a database restored to an
//! earlier state and written to again never matches an answer kept from
//! before the restore.
//!
//! When many requests ask the same question of a new version at once, one
//! computes and the others wait for its answer (a scan of 60,000 needs costs
//! about 100 ms of CPU; 64 of them at once would cost seconds).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// The state of the data: the audit log's head.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataVersion {
    pub seq: i64,
    pub hash: String,
}

impl DataVersion {
    /// A short text for ETags and logs: the sequence and the hash's start.
    pub fn tag(&self) -> String {
        format!("{}-{}", self.seq, self.hash.get(..16).unwrap_or(&self.hash))
    }
}

type Answer = Arc<dyn Any + Send + Sync>;

/// How many different questions are kept for one version by default; past
/// it, the map starts again (filters are many, the common questions few).
const MAX_ANSWERS: usize = 512;

pub struct AnswerCache {
    inner: Mutex<Kept>,
    capacity: usize,
}

impl Default for AnswerCache {
    fn default() -> Self {
        Self::with_capacity(MAX_ANSWERS)
    }
}

#[derive(Default)]
struct Kept {
    version: Option<DataVersion>,
    answers: HashMap<(TypeId, String), Arc<OnceCell<Answer>>>,
}

impl AnswerCache {
    /// A cache that keeps at most `capacity` answers per version: the bound
    /// on its memory is `capacity` times the largest answer kept.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Mutex::default(),
            capacity: capacity.max(1),
        }
    }

    /// The answer to `key` at `version`: kept, or computed by `compute` and
    /// kept. `key` must name the question fully: its filters and the caller's
    /// scope.
    pub async fn get_or_compute<T, E, F, Fut>(&self, version: &DataVersion, key: String, compute: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        // The answer's type is part of the key, so a downcast cannot fail.
        let Some(cell) = self.cell(version, (TypeId::of::<T>(), key)) else {
            // Asked at a version older than one already seen: answer, keep nothing.
            return compute().await;
        };
        let answer = cell
            .get_or_try_init(|| async { compute().await.map(|t| Arc::new(t) as Answer) })
            .await?;
        match answer.downcast_ref::<T>() {
            Some(t) => Ok(t.clone()),
            None => unreachable!("answers are keyed by their type"),
        }
    }

    /// How many answers are kept (for tests and metrics).
    pub fn len(&self) -> usize {
        self.inner.lock().map(|k| k.answers.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn cell(&self, version: &DataVersion, key: (TypeId, String)) -> Option<Arc<OnceCell<Answer>>> {
        // A poisoned lock only means a panic elsewhere mid-insert; the map is still sound.
        let mut kept = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match &kept.version {
            Some(v) if v == version => {}
            Some(v) if v.seq > version.seq => return None,
            _ => {
                kept.version = Some(version.clone());
                kept.answers.clear();
            }
        }
        if kept.answers.len() >= self.capacity && !kept.answers.contains_key(&key) {
            kept.answers.clear();
        }
        Some(kept.answers.entry(key).or_default().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn v(seq: i64, hash: &str) -> DataVersion {
        DataVersion { seq, hash: hash.into() }
    }

    #[tokio::test]
    async fn an_answer_is_kept_until_the_version_changes() {
        let cache = AnswerCache::default();
        let runs = AtomicUsize::new(0);
        let ask = |version: DataVersion| {
            let runs = &runs;
            let cache = &cache;
            async move {
                cache
                    .get_or_compute(&version, "q".into(), || async {
                        Ok::<_, ()>(runs.fetch_add(1, Ordering::SeqCst))
                    })
                    .await
            }
        };
        assert_eq!(ask(v(1, "a")).await, Ok(0));
        assert_eq!(ask(v(1, "a")).await, Ok(0), "same version: kept");
        assert_eq!(ask(v(2, "b")).await, Ok(1), "a write: computed again");
        assert_eq!(
            ask(v(2, "c")).await,
            Ok(2),
            "same seq, other hash (a restore): computed again"
        );
        assert_eq!(ask(v(1, "a")).await, Ok(3), "an older version is answered, not kept");
        assert_eq!(ask(v(2, "c")).await, Ok(2));
    }

    #[tokio::test]
    async fn concurrent_askers_share_one_computation() {
        let cache = Arc::new(AnswerCache::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (cache, runs) = (cache.clone(), runs.clone());
                tokio::spawn(async move {
                    cache
                        .get_or_compute(&v(5, "x"), "q".into(), || async {
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                            Ok::<_, ()>(runs.fetch_add(1, Ordering::SeqCst))
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.ok(), Some(Ok(0)));
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn past_its_capacity_the_cache_starts_again() {
        let cache = AnswerCache::with_capacity(2);
        for q in ["a", "b"] {
            let _: Result<(), ()> = cache.get_or_compute(&v(1, "x"), q.into(), || async { Ok(()) }).await;
        }
        assert_eq!(cache.len(), 2);
        let _: Result<(), ()> = cache.get_or_compute(&v(1, "x"), "c".into(), || async { Ok(()) }).await;
        assert_eq!(
            cache.len(),
            1,
            "a third question at the same version: the kept answers start again"
        );
    }

    #[tokio::test]
    async fn a_failed_computation_is_not_kept() {
        let cache = AnswerCache::default();
        let first: Result<i32, &str> = cache
            .get_or_compute(&v(1, "a"), "q".into(), || async { Err("busy") })
            .await;
        assert_eq!(first, Err("busy"));
        let second: Result<i32, &str> = cache.get_or_compute(&v(1, "a"), "q".into(), || async { Ok(7) }).await;
        assert_eq!(second, Ok(7));
    }
}
