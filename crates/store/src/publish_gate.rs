//! One import publishes at a time, and the next waits a moment after it.
//! A publish holds the write lock for seconds; ordinary writes queued behind
//! it must get their turn before the next import takes the lock again,
//! or two imports back to back would keep them waiting past their timeout.

use std::time::{Duration, Instant};
use tokio::sync::{Mutex, MutexGuard};

/// How long writers get between two publishes.
const PAUSE: Duration = Duration::from_secs(2);

#[derive(Default)]
pub(crate) struct PublishGate {
    last_end: Mutex<Option<Instant>>,
}

pub(crate) struct Turn<'a>(MutexGuard<'a, Option<Instant>>);

impl PublishGate {
    /// Waits for the previous publish to end, and for the pause after it.
    pub(crate) async fn turn(&self) -> Turn<'_> {
        let last = self.last_end.lock().await;
        if let Some(end) = *last {
            let since = end.elapsed();
            if since < PAUSE {
                tokio::time::sleep(PAUSE - since).await;
            }
        }
        Turn(last)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        *self.0 = Some(Instant::now());
    }
}
