//! One import publishes at a time, and the next waits a moment after it.
//! A publish holds the write lock for seconds; ordinary writes queued behind
//! it must get their turn before the next import takes the lock again,
//! or two imports back to back would keep them waiting past their timeout.

use std::time::{Duration, Instant};
use tokio::sync::{Mutex, MutexGuard};

/// The longest pause writers get between two publishes. A publish that
/// held the lock for less is followed by a pause as long as it held it:
/// writers queued behind a 30 ms publish need no 2 s pause, and a queue
/// of small imports should not wait 2 s each.
const PAUSE: Duration = Duration::from_secs(2);

#[derive(Default)]
pub(crate) struct PublishGate {
    /// When the last publish ended, and the pause owed after it.
    last: Mutex<Option<(Instant, Duration)>>,
}

pub(crate) struct Turn<'a> {
    last: MutexGuard<'a, Option<(Instant, Duration)>>,
    started: Instant,
}

impl PublishGate {
    /// Waits for the previous publish to end, and for the pause after it.
    pub(crate) async fn turn(&self) -> Turn<'_> {
        let last = self.last.lock().await;
        if let Some((end, pause)) = *last {
            let since = end.elapsed();
            if since < pause {
                tokio::time::sleep(pause - since).await;
            }
        }
        Turn {
            last,
            started: Instant::now(),
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        *self.last = Some((Instant::now(), self.started.elapsed().min(PAUSE)));
    }
}
