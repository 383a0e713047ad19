//! One read of a small, hot value shared by every request that asks for it
//! while the read is on its way, without ever answering with a value read
//! before the request asked.
//!
//! Every request reads the data version (the audit log's head) so that its
//! kept answers are never older than the data. Under a crowd that is one
//! round trip per request, and on PostgreSQL those round trips, not the
//! answers, were what a crowd waited for (BENCHMARKS.md). Sharing a read is
//! only exact if the read *began* after the request asked: a write committed
//! before the request must show. So a request never joins a read that is
//! already on its way; it waits for the next one, which starts when that one
//! ends and serves everyone who arrived meanwhile. Each request waits for at
//! most two reads, and the database sees at most one at a time per process.

use std::future::Future;
use std::sync::Mutex;
use tokio::sync::watch;

pub struct SharedRead<T> {
    turns: Mutex<Turns>,
    finished: watch::Sender<Finished<T>>,
}

#[derive(Default)]
struct Turns {
    /// How many reads have begun; the one on its way, if any, is this one.
    started: u64,
    running: bool,
}

/// The last read to end: its turn, and its value unless it failed or was
/// dropped (its waiters then read for themselves, and meet the error).
#[derive(Clone)]
struct Finished<T> {
    turn: u64,
    value: Option<T>,
}

impl<T: Clone> Default for SharedRead<T> {
    fn default() -> Self {
        Self {
            turns: Mutex::default(),
            finished: watch::Sender::new(Finished { turn: 0, value: None }),
        }
    }
}

impl<T: Clone> SharedRead<T> {
    /// The value as read by a `read` that began after this call.
    pub async fn get<E, F, Fut>(&self, read: F) -> Result<T, E>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        // Subscribed before the turn is fixed, so no ending is missed.
        let mut ended = self.finished.subscribe();
        // The first turn to begin after now: the next one, whether or not a read is on its way.
        let needed = self.turns().started + 1;
        loop {
            {
                let last = ended.borrow_and_update();
                if last.turn >= needed {
                    match &last.value {
                        Some(v) => return Ok(v.clone()),
                        None => break,
                    }
                }
            }
            let lead = {
                let mut t = self.turns();
                (!t.running).then(|| {
                    t.running = true;
                    t.started += 1;
                    t.started
                })
            };
            if let Some(turn) = lead {
                // `turn` began after `needed` was fixed, so it is at least `needed`.
                let mut ending = Ending {
                    shared: self,
                    turn,
                    value: None,
                };
                let r = read().await;
                ending.value = r.as_ref().ok().cloned();
                return r;
            }
            if ended.changed().await.is_err() {
                break;
            }
        }
        read().await
    }

    fn turns(&self) -> std::sync::MutexGuard<'_, Turns> {
        // A poisoned lock only means a panic elsewhere between two plain assignments.
        self.turns.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Ends a turn when its reader finishes or is dropped mid-read (a request
/// whose client went away), so the waiters never wait on a read that died.
struct Ending<'a, T: Clone> {
    shared: &'a SharedRead<T>,
    turn: u64,
    value: Option<T>,
}

impl<T: Clone> Drop for Ending<'_, T> {
    fn drop(&mut self) {
        let mut t = self.shared.turns();
        t.running = false;
        self.shared.finished.send_replace(Finished {
            turn: self.turn,
            value: self.value.take(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    /// A value that moves on every write, and a read that takes a while.
    #[derive(Default)]
    struct Data {
        writes: AtomicU64,
        reads: AtomicU64,
    }

    impl Data {
        async fn read(&self) -> Result<u64, ()> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            let seen = self.writes.load(Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(10)).await;
            Ok(seen)
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_crowd_shares_reads_and_never_sees_a_value_older_than_its_call() {
        let data = Arc::new(Data::default());
        let shared = Arc::new(SharedRead::default());
        let mut asked = Vec::new();
        for i in 0..200u64 {
            // Writes out of step with the reads, so some land while a read is on its way.
            if i % 7 == 3 {
                data.writes.fetch_add(1, Ordering::SeqCst);
            }
            let written_before = data.writes.load(Ordering::SeqCst);
            let (data, shared) = (data.clone(), shared.clone());
            asked.push(tokio::spawn(async move {
                let seen = shared.get(|| data.read()).await;
                (written_before, seen)
            }));
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        for a in asked {
            let (written_before, seen) = a.await.expect("the task ends");
            assert!(seen.expect("reads succeed") >= written_before);
        }
        // 200 calls 1 ms apart, 10 ms per read: about one read per 10 ms.
        let reads = data.reads.load(Ordering::SeqCst);
        assert!(reads < 40, "{reads} reads for 200 calls");
    }

    #[tokio::test(start_paused = true)]
    async fn a_reader_dropped_mid_read_does_not_strand_the_waiters() {
        let data = Arc::new(Data::default());
        let shared = Arc::new(SharedRead::default());
        let leader = {
            let (data, shared) = (data.clone(), shared.clone());
            tokio::spawn(async move { shared.get(|| data.read()).await })
        };
        tokio::time::sleep(Duration::from_millis(1)).await;
        let waiter = {
            let (data, shared) = (data.clone(), shared.clone());
            tokio::spawn(async move { shared.get(|| data.read()).await })
        };
        tokio::time::sleep(Duration::from_millis(1)).await;
        leader.abort();
        let seen = tokio::time::timeout(Duration::from_secs(1), waiter).await;
        assert_eq!(seen.expect("the waiter is not stranded").expect("the task ends"), Ok(0));
    }

    #[tokio::test]
    async fn a_failed_read_is_met_by_its_waiters_too() {
        let shared = SharedRead::<u64>::default();
        let failing = || async { Err::<u64, &str>("away") };
        assert_eq!(shared.get(failing).await, Err("away"));
        assert_eq!(shared.get(|| async { Ok::<u64, &str>(7) }).await, Ok(7));
    }
}
