//! Imports as jobs, for the API and the command line alike: the file is on
//! disk, a job row records how far it has got, and the job ends with the
//! same report either way.
//!
//! A job checks every row first, staging what it will write on a connection
//! of its own (nobody waits), then publishes it in one short write
//! transaction: all or nothing. While checking, it records the rows read
//! about once a second, which is also its heartbeat.

use super::Failure;
use super::access::{self, Caller};
use needsdb_domain::Invalid;
use needsdb_exchange::{Data, Format, ImportError, Lookups, Options, Progress, Report};
use needsdb_store::{Actor, ImportJob, JobEnd, NewImportJob, Role, Store, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use tokio::sync::{Semaphore, watch};

/// One import to run.
pub struct Job {
    pub id: i64,
    pub format: Format,
    pub data: Data,
    pub options: Options,
    pub actor: Actor,
}

/// Records a new job; the file's size and name are its description.
pub async fn create(
    store: &dyn Store,
    actor: &Actor,
    user_id: Option<i64>,
    format: Format,
    options: &Options,
    bytes: u64,
) -> Result<i64, StoreError> {
    let job = NewImportJob {
        user_id,
        file: options.label.clone(),
        format: format.as_str().to_owned(),
        bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
        dry_run: options.dry_run,
    };
    Ok(store.create_import_job(actor, &job).await?.id)
}

/// One import job, to the account that sent it or an administrator; to
/// anyone else it does not exist.
pub async fn job(store: &dyn Store, caller: Caller<'_>, id: i64) -> Result<ImportJob, Failure> {
    let u = access::user(caller)?;
    let job = store.import_job(id).await?;
    if u.role == Role::Admin || job.user_id == Some(u.id) {
        Ok(job)
    } else {
        Err(StoreError::not_found("import", id).into())
    }
}

/// The caller's latest imports, newest first; everyone's for an
/// administrator who asks (`all`).
pub async fn jobs(store: &dyn Store, caller: Caller<'_>, all: bool, limit: i64) -> Result<Vec<ImportJob>, Failure> {
    let u = access::user(caller)?;
    if !(1..=200).contains(&limit) {
        return Err(StoreError::Invalid(Invalid::one("limit", "out_of_range", "limit is 1 to 200")).into());
    }
    let whose = if all {
        access::require(caller, &access::ADMIN)?;
        None
    } else {
        Some(u.id)
    };
    Ok(store.import_jobs(whose, limit).await?)
}

/// Counts rows for the job's record, and passes them on (to a progress bar).
struct Counting {
    rows: AtomicU64,
    inner: Arc<dyn Progress>,
}

impl Progress for Counting {
    fn rows(&self, rows: u64) {
        self.rows.store(rows, Ordering::Relaxed);
        self.inner.rows(rows);
    }
    fn done(&self, rows: u64) {
        self.rows.store(rows, Ordering::Relaxed);
        self.inner.done(rows);
    }
}

fn count(rows: &AtomicU64) -> i64 {
    i64::try_from(rows.load(Ordering::Relaxed)).unwrap_or(i64::MAX)
}

/// Runs a job to its end and records how it ended. The names it resolves
/// against are loaded now, not when the job was queued: a waiting job holds
/// nothing but its file.
pub async fn run(store: Arc<dyn Store>, mut job: Job, progress: Arc<dyn Progress>) -> Result<Report, ImportError> {
    let lookups: Arc<Lookups> = match needsdb_exchange::lookups(store.as_ref()).await {
        Ok(l) => Arc::new(l),
        Err(e) => {
            let _ = store.finish_import_job(job.id, 0, &JobEnd::Failed(e.to_string())).await;
            return Err(e.into());
        }
    };
    let counting = Arc::new(Counting {
        rows: AtomicU64::new(0),
        inner: progress,
    });
    let (phase_tx, mut phase_rx) = watch::channel("checking");
    job.options.on_phase = Some(Arc::new(move |p: &'static str| {
        let _ = phase_tx.send(p);
    }));
    // Progress is recorded while checking. Once the import writes, its
    // transaction may hold SQLite's only write lock: one more update, after
    // which the job's end is recorded when it has committed.
    let ticker = {
        let (store, counting, id) = (store.clone(), counting.clone(), job.id);
        tokio::spawn(async move {
            let _ = store.import_job_progress(id, "checking", 0).await;
            loop {
                tokio::select! {
                    changed = phase_rx.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        let phase = *phase_rx.borrow_and_update();
                        if phase == "writing" {
                            if let Err(e) = store.import_job_progress(id, "writing", count(&counting.rows)).await {
                                tracing::debug!(error = %e, job = id, "progress not recorded");
                            }
                            return;
                        }
                    }
                    () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {
                        if let Err(e) = store.import_job_progress(id, "checking", count(&counting.rows)).await {
                            tracing::debug!(error = %e, job = id, "progress not recorded");
                        }
                    }
                }
            }
        })
    };
    let outcome = needsdb_exchange::import(
        store.as_ref(),
        &job.actor,
        lookups,
        job.format,
        job.data,
        &job.options,
        counting.clone(),
    )
    .await;
    // The options hold the phase sender: dropping them ends the ticker.
    drop(job.options);
    let _ = ticker.await;
    let rows = count(&counting.rows);
    let end = match &outcome {
        Ok(report) => JobEnd::Done(serde_json::to_value(report).unwrap_or_default()),
        Err(e) => JobEnd::Failed(e.to_string()),
    };
    if let Err(e) = store.finish_import_job(job.id, rows, &end).await {
        tracing::warn!(error = %e, job = job.id, "the end of an import job was not recorded");
    }
    outcome
}

/// Jobs running at once, and how many may wait: each running job holds a
/// reader, a staging connection and a few chunks of rows in memory; each
/// waiting one only its file on disk.
pub struct Queue {
    running: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// A place in the queue, given back when dropped.
pub struct Place(Arc<Queue>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Queue {
    // One import at a time: two at once took the server past 300 MB under
    // sixteen 60 MB uploads (BENCHMARKS.md, "Uploads under load"), and the
    // publishes queue behind one write lock anyway.
    pub const RUNNING: usize = 1;
    pub const MAX_WAITING: usize = 16;
    const WAITING_HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(60);

    pub fn new(running: usize, max_waiting: usize) -> Arc<Self> {
        Arc::new(Self {
            running: Semaphore::new(running),
            waiting: AtomicUsize::new(0),
            max_waiting,
        })
    }

    /// A place, or None when the queue is full.
    pub fn enter(self: &Arc<Self>) -> Option<Place> {
        let mut n = self.waiting.load(Ordering::SeqCst);
        loop {
            if n >= self.max_waiting {
                return None;
            }
            match self
                .waiting
                .compare_exchange(n, n + 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return Some(Place(self.clone())),
                Err(now) => n = now,
            }
        }
    }

    /// Runs `job` when its turn comes.
    pub async fn run(&self, _place: &Place, store: Arc<dyn Store>, job: Job) -> Result<Report, ImportError> {
        let acquire = self.running.acquire();
        tokio::pin!(acquire);
        let _turn = loop {
            tokio::select! {
                turn = &mut acquire => break turn.map_err(|_| ImportError::Reader)?,
                // A job waiting its turn is alive, and its heartbeat says so:
                // behind fifteen others it may wait longer than the ten
                // minutes after which a silent job counts as interrupted.
                () = tokio::time::sleep(Self::WAITING_HEARTBEAT) => {
                    if let Err(e) = store.import_job_progress(job.id, "queued", 0).await {
                        tracing::debug!(error = %e, job = job.id, "heartbeat not recorded");
                    }
                }
            }
        };
        run(store, job, Arc::new(needsdb_exchange::Silent)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_has_room_for_so_many_and_gives_places_back() {
        let q = Queue::new(1, 2);
        let a = q.enter().unwrap();
        let _b = q.enter().unwrap();
        assert!(q.enter().is_none());
        drop(a);
        assert!(q.enter().is_some());
    }
}
