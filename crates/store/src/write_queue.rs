//! Writers of one process take turns here before they ask the database for
//! its write lock.
//!
//! Both stores hold one write lock at a time (SQLite's, or PostgreSQL's
//! advisory lock that keeps the audit chain a single line). Left to the
//! database, sixteen writers of one process would each hold a pooled
//! connection while they wait, and on SQLite they would wait by polling:
//! the busy handler sleeps 1, 2, 5 ... up to 100 ms between tries, so a
//! writer that just missed the lock waits long after it is free, and the
//! order is luck. The queue is first come, first served, and a writer
//! takes a connection only when its turn comes. Other processes on the
//! same database still meet at the database's lock, as before.

use crate::{Result, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// As long as a writer waits for SQLite's lock (its busy timeout): behind
/// an import's publish, the longest write, a writer waits rather than fails.
const LONGEST_WAIT: Duration = Duration::from_secs(25);

#[derive(Default, Clone)]
pub(crate) struct WriteQueue {
    turn: Arc<Mutex<()>>,
}

/// A writer's turn: the next writer goes when it is dropped.
pub(crate) type Turn = OwnedMutexGuard<()>;

impl WriteQueue {
    pub(crate) async fn turn(&self) -> Result<Turn> {
        tokio::time::timeout(LONGEST_WAIT, self.turn.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Busy(format!("no turn to write within {} s", LONGEST_WAIT.as_secs())))
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
}
