//! A write transaction on a pooled connection, begun and ended by hand.
//!
//! sqlx's own transaction keeps a depth count on the connection; when a
//! COMMIT failed (a full disk), the connection went back to the pool with
//! the count stuck, and every later write failed with "begin_with at
//! non-zero transaction depth" until a restart. Here a connection goes back
//! to the pool only after a COMMIT or ROLLBACK that succeeded; after any
//! failure, or if the transaction is dropped unfinished, the connection is
//! closed (the database rolls back what it had) and the pool opens a fresh one.

use super::{Conn, Db};
use crate::Result;
use crate::write_queue::{Place, WriteKind, WriteQueue};
use sqlx::Pool;
use sqlx::pool::PoolConnection;
use std::ops::{Deref, DerefMut};

pub(crate) struct WriteTx {
    conn: Option<PoolConnection<Db>>,
    /// The catalogue's stamp as the write lock found it, where the dialect
    /// reads it with the lock (PostgreSQL); taken by the first `catalogue_stamp`.
    catalogue_stamp: Option<String>,
    /// Held to the end: the next writer of this process goes after the
    /// COMMIT or ROLLBACK (fields drop in order, the connection first).
    _place: Place,
}

/// Waits for this process's turn to write, then takes a connection and
/// begins a write transaction on it (the dialect's way: `BEGIN IMMEDIATE`,
/// or `BEGIN` and the advisory write lock).
pub(crate) async fn begin_write(pool: &Pool<Db>, queue: &WriteQueue) -> Result<WriteTx> {
    begin(pool, queue, WriteKind::Whole).await
}

/// As `begin_write`, for one need's edit or one pledge (`WriteKind::Record`):
/// the caller locks the rows it changes and takes the chain's lock
/// (`lock_chain`) before it appends to the audit log.
pub(crate) async fn begin_record_write(pool: &Pool<Db>, queue: &WriteQueue) -> Result<WriteTx> {
    begin(pool, queue, WriteKind::Record).await
}

async fn begin(pool: &Pool<Db>, queue: &WriteQueue, kind: WriteKind) -> Result<WriteTx> {
    let place = queue.place(kind, super::super::DIALECT).await?;
    // The transaction owns the connection before BEGIN is sent: if BEGIN
    // fails, or the request is cancelled while BEGIN waits for the lock,
    // dropping it closes the connection. Back in the pool, the connection
    // would have held the write lock, idle in its transaction, once BEGIN
    // got it, and every later writer would have waited for it forever.
    let mut tx = WriteTx {
        conn: Some(pool.acquire().await?),
        catalogue_stamp: None,
        _place: place,
    };
    tx.catalogue_stamp = super::super::start_write(&mut tx, kind).await?;
    Ok(tx)
}

impl WriteTx {
    /// The catalogue's stamp as the write lock found it, given once: after
    /// the write changes anything it may no longer be, so only the first
    /// caller gets it (the others read it themselves).
    pub(crate) fn catalogue_stamp(&mut self) -> Option<String> {
        self.catalogue_stamp.take()
    }

    async fn finish(mut self, statement: &'static str) -> Result<()> {
        let Some(conn) = self.conn.as_deref_mut() else {
            return Ok(());
        };
        // On failure or cancellation `self` drops with the connection, which closes it.
        sqlx::query(statement).execute(conn).await?;
        // Ended: the connection goes back to the pool.
        drop(self.conn.take());
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.finish("COMMIT").await
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        // Dropped unfinished: an error or a cancelled request. Closing the
        // connection rolls the transaction back in the database.
        if let Some(conn) = self.conn.take() {
            drop(conn.detach());
        }
    }
}

impl Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
            .as_deref()
            .unwrap_or_else(|| unreachable!("a finished transaction is not used"))
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("a finished transaction is not used"))
    }
}

/// Writes a heartbeat row and commits: the write a readiness check makes to
/// learn whether writes work (a full disk or a read-only database fail it).
pub(crate) async fn probe_write(pool: &Pool<Db>, queue: &WriteQueue) -> Result<()> {
    let mut tx = begin_write(pool, queue).await?;
    let now = super::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ('heartbeat', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
