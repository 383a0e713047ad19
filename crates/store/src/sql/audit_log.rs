//! Appending to and checking the hash-chained audit log.

use super::{Conn, now};
use crate::Result;
use crate::StoreError;
use crate::audit::{self, Cursor, Entry, GENESIS};
use crate::model::{Actor, AuditReport, RecordMismatch};
use serde_json::Value;
use sqlx::Row;

/// One entry to append: what was done to which record, and its state before and after.
pub(super) struct NewEntry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
}

/// Appends one entry. The caller holds the write lock (BEGIN IMMEDIATE or the
/// advisory lock) or, in a record write, the chain's lock, so reading the
/// head and appending cannot interleave.
pub(super) async fn append(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<()> {
    let entry = NewEntry {
        action,
        entity,
        entity_id: entity_id.to_owned(),
        before,
        after,
    };
    append_many(conn, actor, std::slice::from_ref(&entry)).await
}

/// Entries per multi-row INSERT: 10 values each.
const APPEND_ROWS: usize = 500;

/// Appends entries in order, chained as if appended one by one: the head is
/// read once and the hashes are made here, so a batch of a thousand records
/// costs a few statements, not a thousand round trips.
pub(super) async fn append_many(conn: &mut Conn, actor: &Actor, entries: &[NewEntry<'_>]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    if let ([one], crate::Dialect::Postgres) = (entries, super::super::DIALECT) {
        return append_one_chained_by_postgres(conn, actor, one).await;
    }
    // An empty log's head is version 0 with the genesis hash: the first entry is 1.
    let head = head(&mut *conn).await?;
    let (mut seq, mut prev) = (head.seq + 1, head.hash);
    let at = now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        let before = e.before.map(Value::to_string);
        let after = e.after.map(Value::to_string);
        let fields = audit::Fields {
            seq,
            at: &at,
            actor: &actor.0,
            action: e.action,
            entity: e.entity,
            entity_id: &e.entity_id,
            before: before.as_deref(),
            after: after.as_deref(),
        };
        let hash = audit::hash_entry(&prev, &fields);
        rows.push((seq, e, before, after, std::mem::replace(&mut prev, hash.clone()), hash));
        seq += 1;
    }
    let head = format!("{}:{prev}", seq - 1);
    // PostgreSQL moves the head in the same statement as the last entries
    // (a data-modifying WITH): one round trip fewer inside the write lock.
    // SQLite has no such WITH, and its statements cost no round trip.
    let together = super::super::DIALECT == crate::Dialect::Postgres;
    let chunks = rows.chunks(APPEND_ROWS).count();
    for (i, chunk) in rows.chunks(APPEND_ROWS).enumerate() {
        let last = together && i + 1 == chunks;
        let mut qb = sqlx::QueryBuilder::<super::Db>::new(if last { "WITH logged AS (" } else { "" });
        qb.push("INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) ");
        qb.push_values(chunk, |mut b, (seq, e, before, after, prev, hash)| {
            b.push_bind(*seq)
                .push_bind(&at)
                .push_bind(&actor.0)
                .push_bind(e.action)
                .push_bind(e.entity)
                .push_bind(&e.entity_id)
                .push_bind(before)
                .push_bind(after)
                .push_bind(prev)
                .push_bind(hash);
        });
        if last {
            qb.push(") ").push(MOVE_HEAD).push_bind(&head).push(MOVE_HEAD_END);
        }
        qb.build().execute(&mut *conn).await?;
    }
    if !together {
        sqlx::query(sqlx::AssertSqlSafe(format!("{MOVE_HEAD}$1{MOVE_HEAD_END}")))
            .bind(&head)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One entry, chained by PostgreSQL itself: the head is read, the entry
/// hashed as `audit::hash_entry` hashes it (each field's UTF-8 length as 8
/// bytes big-endian, then its bytes; an absent field as 8 bytes of 0xff),
/// appended, and the head moved, in one statement. Reading the head first
/// cost every write one round trip more inside the write lock. The chain's
/// check (`verify`) hashes in Rust, so a difference would show at once.
async fn append_one_chained_by_postgres(conn: &mut Conn, actor: &Actor, e: &NewEntry<'_>) -> Result<()> {
    let at = now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let before = e.before.map(Value::to_string);
    let after = e.after.map(Value::to_string);
    sqlx::query(APPEND_ONE)
        .bind(GENESIS)
        .bind(&at)
        .bind(&actor.0)
        .bind(e.action)
        .bind(e.entity)
        .bind(&e.entity_id)
        .bind(before)
        .bind(after)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A field as `audit::hash_entry` feeds it to the hash.
macro_rules! hashed_field {
    ($x:literal) => {
        concat!(
            "CASE WHEN ",
            $x,
            " IS NULL THEN '\\xffffffffffffffff'::bytea ELSE int8send(octet_length(convert_to(",
            $x,
            ", 'UTF8'))::bigint) || convert_to(",
            $x,
            ", 'UTF8') END"
        )
    };
}

const APPEND_ONE: &str = concat!(
    "WITH last AS (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1),
     head AS (SELECT COALESCE((SELECT seq FROM last), 0) + 1 AS seq, COALESCE((SELECT hash FROM last), $1::text) AS prev),
     entry AS (SELECT seq, prev, encode(sha256(",
    hashed_field!("prev"),
    " || ",
    hashed_field!("seq::text"),
    " || ",
    hashed_field!("$2::text"),
    " || ",
    hashed_field!("$3::text"),
    " || ",
    hashed_field!("$4::text"),
    " || ",
    hashed_field!("$5::text"),
    " || ",
    hashed_field!("$6::text"),
    " || ",
    hashed_field!("$7::text"),
    " || ",
    hashed_field!("$8::text"),
    "), 'hex') AS hash FROM head),
     logged AS (INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
        SELECT seq, $2, $3, $4, $5, $6, $7, $8, prev, hash FROM entry RETURNING seq, hash)
     INSERT INTO meta (key, value) SELECT 'audit_head', seq || ':' || hash FROM logged
     ON CONFLICT (key) DO UPDATE SET value = excluded.value"
);

// The head is kept apart from the log so that cutting entries off the end
// of the log is caught too. The new head goes between these two.
const MOVE_HEAD: &str = "INSERT INTO meta (key, value) VALUES ('audit_head', ";
const MOVE_HEAD_END: &str = ") ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/// The log's head: the data version (`answer_cache`). An empty log is
/// version 0, the genesis.
pub(super) async fn head<'c, E>(db: E) -> Result<crate::DataVersion>
where
    E: sqlx::Executor<'c, Database = super::Db>,
{
    let head = sqlx::query(HEAD)
        .persistent(head_plan_kept())
        .fetch_optional(db)
        .await?;
    Ok(match head {
        Some(r) => crate::DataVersion {
            seq: r.try_get("seq")?,
            hash: r.try_get("hash")?,
        },
        None => crate::DataVersion {
            seq: 0,
            hash: GENESIS.to_owned(),
        },
    })
}

const HEAD: &str = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

/// Whether the head read keeps its prepared statement. Not on PostgreSQL: a
/// statement kept on a pooled connection keeps the plan made when it was
/// first run, and a log still a few rows long (a database filled by imports
/// has one entry per import) is read by scanning and sorting it. The log
/// then grows by one entry per write while that plan stays, until
/// autovacuum analyses the table: every request paid a scan of the whole
/// log, 0.7 ms on average within 15 s of writes (BENCHMARKS.md, "A head read
/// planned for a short log"). Planned afresh each time, the log's size is
/// read at each run and its end found through the primary key. SQLite reads
/// the rowid's end whatever it keeps.
fn head_plan_kept() -> bool {
    super::super::DIALECT != crate::Dialect::Postgres
}

const BATCH: i64 = 5000;

pub(super) async fn verify(conn: &mut Conn) -> Result<AuditReport> {
    let mut cursor = Cursor::start();
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(cursor.next_seq)
        .bind(BATCH)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        let batch: Vec<Entry> = rows
            .iter()
            .map(|r| {
                Ok(Entry {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    before: r.try_get("before")?,
                    after: r.try_get("after")?,
                    prev_hash: r.try_get("prev_hash")?,
                    hash: r.try_get("hash")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        if let Some(bad) = cursor.check(&batch) {
            return Ok(AuditReport {
                records: Vec::new(),
                records_checked: 0,
                entries: cursor.next_seq - 1,
                first_bad: Some(bad),
            });
        }
    }
    let last_seq = cursor.next_seq - 1;
    let head: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = 'audit_head'")
        .fetch_optional(&mut *conn)
        .await?;
    let expected_head = (last_seq > 0).then(|| format!("{last_seq}:{}", cursor.prev_hash));
    if head != expected_head {
        return Ok(AuditReport {
            records: Vec::new(),
            records_checked: 0,
            entries: last_seq,
            first_bad: Some((
                last_seq + 1,
                format!(
                    "the log ends after entry {last_seq}, but the recorded head is {}: entries were removed from the end",
                    head.unwrap_or_else(|| "absent".into())
                ),
            )),
        });
    }
    let (records, records_checked) = verify_records(conn).await?;
    Ok(AuditReport {
        entries: last_seq,
        first_bad: None,
        records,
        records_checked,
    })
}

/// The most records named by their differences; the rest are counted.
const MAX_MISMATCHES: usize = 1000;

/// Compares every record the log speaks of with the last state the log
/// recorded for it. Only the fields the log recorded are compared, so a
/// field a later schema added is not a difference. Needs created by an
/// import, and unchanged since, are checked against the import's digest.
async fn verify_records(conn: &mut Conn) -> Result<(Vec<RecordMismatch>, i64)> {
    let mut out = Vec::new();
    let mut checked = 0i64;
    for entity in ["need", "contribution", "item", "user"] {
        let latest = sqlx::query(
            "SELECT a.seq, a.entity_id, a.after FROM audit_log a
             JOIN (SELECT entity_id, MAX(seq) AS seq FROM audit_log
                   WHERE entity = $1 AND action LIKE $2 AND after IS NOT NULL GROUP BY entity_id) m
               ON m.seq = a.seq
             ORDER BY a.seq",
        )
        .bind(entity)
        // Entries of other actions name the record without holding its state
        // (a session names its user).
        .bind(format!("{entity}.%"))
        .fetch_all(&mut *conn)
        .await?;
        for r in latest {
            let seq: i64 = r.try_get("seq")?;
            let id: String = r.try_get("entity_id")?;
            let after: Option<String> = r.try_get("after")?;
            let Some(recorded) = after.and_then(|a| serde_json::from_str::<Value>(&a).ok()) else {
                continue;
            };
            let current = match current_state(conn, entity, &id).await {
                Ok(v) => v,
                Err(StoreError::NotFound { .. }) => Value::Null,
                Err(e) => return Err(e),
            };
            checked += 1;
            let differences = differences(&recorded, &current);
            if !differences.is_empty() && out.len() < MAX_MISMATCHES {
                out.push(RecordMismatch {
                    entity: entity.to_owned(),
                    id,
                    entry: seq,
                    differences,
                });
            }
        }
    }
    let imports = sqlx::query("SELECT seq, after FROM audit_log WHERE entity = 'import' ORDER BY seq")
        .fetch_all(&mut *conn)
        .await?;
    for r in imports {
        let seq: i64 = r.try_get("seq")?;
        let after: Option<String> = r.try_get("after")?;
        let Some(summary) = after.and_then(|a| serde_json::from_str::<Value>(&a).ok()) else {
            continue;
        };
        let (Some(first), Some(last)) = (
            summary["need_ids"]["first"].as_i64(),
            summary["need_ids"]["last"].as_i64(),
        ) else {
            continue;
        };
        let (digest, ids) = match (
            summary["rows_sha256_by_position"].as_str(),
            summary["rows_sha256"].as_str(),
        ) {
            (Some(d), _) => (d, super::imports::DigestIds::ByPosition),
            (None, Some(d)) => (d, super::imports::DigestIds::Absolute),
            (None, None) => continue,
        };
        let (actual, count) = super::imports::first_versions_digest(conn, first, last, ids).await?;
        checked += count;
        if actual != digest && out.len() < MAX_MISMATCHES {
            out.push(RecordMismatch {
                entity: "need".into(),
                id: format!("{first}-{last}"),
                entry: seq,
                differences: vec![format!(
                    "the needs this import created (ids {first} to {last}) are not as it wrote them: their digest is {actual}, the log has {digest}"
                )],
            });
        }
    }
    Ok((out, checked))
}

async fn current_state(conn: &mut Conn, entity: &str, id: &str) -> Result<Value> {
    let num = || {
        id.parse::<i64>()
            .map_err(|_| StoreError::Internal(format!("audit entry for {entity} '{id}' has no numeric id")))
    };
    match entity {
        "need" => super::needs::load_row(conn, num()?).await?.snapshot(),
        "contribution" => super::contributions::snapshot_of(conn, num()?).await,
        "item" => Ok(serde_json::to_value(super::catalog::item(conn, id).await?)?),
        _ => Ok(serde_json::to_value(super::users::by_id(conn, num()?).await?)?),
    }
}

/// The fields of `recorded` whose value `current` does not have.
fn differences(recorded: &Value, current: &Value) -> Vec<String> {
    let Value::Object(fields) = recorded else {
        return Vec::new();
    };
    if current.is_null() {
        return vec!["the record is gone".into()];
    }
    fields
        .iter()
        .filter(|(k, v)| current.get(k.as_str()) != Some(*v))
        .map(|(k, v)| {
            let now = current
                .get(k.as_str())
                .map_or_else(|| "absent".to_owned(), Value::to_string);
            format!("{k}: {v} in the log, {now} now")
        })
        .collect()
}

/// The latest changes to needs and contributions, newest first: what
/// notifications are drawn from.
pub(super) async fn recent(conn: &mut Conn, limit: i64) -> Result<Vec<crate::model::AuditEvent>> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, entity, entity_id, after FROM audit_log
         WHERE entity IN ('need', 'contribution') ORDER BY seq DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let at: String = r.try_get("at")?;
            let after: Option<String> = r.try_get("after")?;
            Ok(crate::model::AuditEvent {
                seq: r.try_get("seq")?,
                at: chrono::DateTime::parse_from_rfc3339(&at)
                    .map_err(|e| StoreError::Internal(format!("audit entry time '{at}': {e}")))?
                    .with_timezone(&chrono::Utc),
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                after: after.map(|a| serde_json::from_str(&a)).transpose()?,
            })
        })
        .collect()
}
