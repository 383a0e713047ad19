//! Writers of one process take turns here before they ask the database for
//! its write lock.
//!
//! Both stores hold one write lock at a time (SQLite's, or PostgreSQL's
//! advisory lock that keeps the audit chain a single line), except record
//! writes on PostgreSQL (`WriteKind::Record`), which take a place among a
//! few side by side instead of the turn. Left to the
//! database, sixteen writers of one process would each hold a pooled
//! connection while they wait, and on SQLite they would wait by polling:
//! the busy handler sleeps 1, 2, 5 ... up to 100 ms between tries, so a
//! writer that just missed the lock waits long after it is free, and the
//! order is luck. The queue is first come, first served, and a writer
//! takes a connection only when its turn comes. Other processes on the
//! same database still meet at the database's lock, as before.

use crate::{Result, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio::time::Instant;

/// As long as a writer waits for SQLite's lock (its busy timeout): behind
/// other ordinary writes, a writer waits this long, then gets `Busy`.
const LONGEST_WAIT: Duration = Duration::from_secs(25);

/// How long a writer waits while an import is publishing. A publish of a
/// large file holds the turn for seconds on an idle machine and for more
/// than `LONGEST_WAIT` on a loaded one; it is making progress and will end,
/// and failing the write the moment before it does would only make the
/// person send it again. Bounded, so a stuck publish still ends in `Busy`.
const LONGEST_WAIT_BEHIND_PUBLISH: Duration = Duration::from_secs(120);

/// How often a writer past `LONGEST_WAIT` looks again whether a publish
/// still holds the turn.
const RECHECK: Duration = Duration::from_millis(250);

/// Record writes of one process that may hold a pooled connection at once
/// on PostgreSQL: half the pool, so readers keep the other half while
/// record writes wait for rows or for the audit chain.
const RECORD_WRITES_AT_ONCE: usize = 8;

/// How a write is isolated from the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteKind {
    /// Alone: no other write runs until it ends. Every write but these two.
    Whole,
    /// One need's edit or one pledge. On PostgreSQL, record writes run side
    /// by side, each holding the need rows it reads and changes, and one at
    /// a time appends to the audit chain and commits (`postgres::lock_chain`);
    /// a whole write waits for them all. On SQLite it is a whole write.
    Record,
}

#[derive(Clone)]
pub(crate) struct WriteQueue {
    turn: Arc<Mutex<()>>,
    /// Set while an import's publish holds the turn.
    publishing: Arc<AtomicBool>,
    /// Places for record writes on PostgreSQL (`RECORD_WRITES_AT_ONCE`).
    records: Arc<tokio::sync::Semaphore>,
}

impl Default for WriteQueue {
    fn default() -> Self {
        Self {
            turn: Arc::default(),
            publishing: Arc::default(),
            records: Arc::new(tokio::sync::Semaphore::new(RECORD_WRITES_AT_ONCE)),
        }
    }
}

/// What a writer holds until its transaction ends.
pub(crate) enum Place {
    /// The process's one turn to write.
    Turn(#[allow(dead_code)] Turn),
    /// One of the places for record writes side by side.
    Record(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit),
}

/// A writer's turn: the next writer goes when it is dropped.
pub(crate) type Turn = OwnedMutexGuard<()>;

/// An import's turn: as `Turn`, and writers behind it wait it out.
pub(crate) struct PublishTurn {
    _turn: Turn,
    publishing: Arc<AtomicBool>,
}

impl Drop for PublishTurn {
    fn drop(&mut self) {
        self.publishing.store(false, Ordering::Release);
    }
}

impl WriteQueue {
    pub(crate) async fn turn(&self) -> Result<Turn> {
        let started = Instant::now();
        // One future for the whole wait, so the writer keeps its place.
        let lock = self.turn.clone().lock_owned();
        tokio::pin!(lock);
        let mut deadline = started + LONGEST_WAIT;
        loop {
            match tokio::time::timeout_at(deadline, &mut lock).await {
                Ok(turn) => return Ok(turn),
                Err(_) => {
                    let waited = started.elapsed();
                    if self.publishing.load(Ordering::Acquire) && waited < LONGEST_WAIT_BEHIND_PUBLISH {
                        deadline = Instant::now() + RECHECK;
                        continue;
                    }
                    return Err(StoreError::Busy(format!(
                        "no turn to write within {} s",
                        waited.as_secs()
                    )));
                }
            }
        }
    }

    /// A place to write of the given kind: the process's one turn, or, for
    /// a record write on PostgreSQL, one of the places side by side.
    pub(crate) async fn place(&self, kind: WriteKind, dialect: crate::Dialect) -> Result<Place> {
        if kind == WriteKind::Whole || dialect != crate::Dialect::Postgres {
            return self.turn().await.map(Place::Turn);
        }
        let wait = self.records.clone().acquire_owned();
        match tokio::time::timeout(LONGEST_WAIT, wait).await {
            Ok(Ok(permit)) => Ok(Place::Record(permit)),
            Ok(Err(_)) => Err(StoreError::Internal("the record writers' places were closed".into())),
            Err(_) => Err(StoreError::Busy(format!(
                "no place to write within {} s",
                LONGEST_WAIT.as_secs()
            ))),
        }
    }

    /// The turn for an import's publish: writers already waiting go first,
    /// and those who come after wait until the publish ends.
    pub(crate) async fn publish_turn(&self) -> Result<PublishTurn> {
        let turn = self.turn().await?;
        self.publishing.store(true, Ordering::Release);
        Ok(PublishTurn {
            _turn: turn,
            publishing: self.publishing.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writers_take_turns_in_the_order_they_came() {
        let queue = WriteQueue::default();
        let first = queue.turn().await.unwrap();
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for n in 0..5 {
            let (queue, order) = (queue.clone(), order.clone());
            waiting.push(tokio::spawn(async move {
                let _turn = queue.turn().await.unwrap();
                order.lock().unwrap().push(n);
            }));
            // Each is queued before the next arrives.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(order.lock().unwrap().is_empty(), "nobody writes while a turn is held");
        drop(first);
        for w in waiting {
            w.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn record_writes_on_postgres_take_places_side_by_side_and_elsewhere_the_turn() {
        use crate::Dialect::{Postgres, Sqlite};
        let queue = WriteQueue::default();
        let mut held = Vec::new();
        for _ in 0..RECORD_WRITES_AT_ONCE {
            held.push(queue.place(WriteKind::Record, Postgres).await.unwrap());
        }
        // A whole write does not wait for record writes in the process
        // (PostgreSQL's lock holds it back), and takes the one turn.
        let whole = queue.place(WriteKind::Whole, Postgres).await.unwrap();
        let more = queue.place(WriteKind::Record, Postgres);
        tokio::pin!(more);
        assert!(
            tokio::time::timeout(Duration::from_millis(50), &mut more)
                .await
                .is_err(),
            "a record write got a place beyond the last"
        );
        drop(held.pop());
        more.await.unwrap();
        // On SQLite a record write is a whole write: it waits for the turn.
        let sqlite = queue.place(WriteKind::Record, Sqlite);
        tokio::pin!(sqlite);
        assert!(
            tokio::time::timeout(Duration::from_millis(50), &mut sqlite)
                .await
                .is_err()
        );
        drop(whole);
        sqlite.await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn a_writer_waits_out_a_publish_but_not_an_ordinary_write() {
        let queue = WriteQueue::default();
        // Behind a publish that outlasts the ordinary wait, the writer waits.
        let publish = queue.publish_turn().await.unwrap();
        let waiting = tokio::spawn({
            let queue = queue.clone();
            async move { queue.turn().await.map(drop) }
        });
        tokio::time::sleep(LONGEST_WAIT + Duration::from_secs(10)).await;
        assert!(!waiting.is_finished(), "the writer gave up behind a publish");
        drop(publish);
        waiting.await.unwrap().unwrap();
        // Behind an ordinary write held as long, it gets Busy.
        let held = queue.turn().await.unwrap();
        let err = queue.turn().await.unwrap_err();
        assert!(matches!(err, StoreError::Busy(_)), "{err}");
        drop(held);
        // And a publish that never ends does not hold writers forever.
        let _stuck = queue.publish_turn().await.unwrap();
        let err = queue.turn().await.unwrap_err();
        assert!(matches!(err, StoreError::Busy(_)), "{err}");
    }
}
