//! Bulk import: every row of a file, or with any problem none.
//!
//! An import runs on a connection of its own, in two steps:
//!
//! 1. **Check and stage.** Rows arrive a chunk at a time. Each is checked
//!    against the catalogue and the stored records (reads only, no write
//!    lock), and what it will write is kept in temporary tables of the
//!    connection (`import_new_needs`, `import_need_updates`,
//!    `import_new_contributions`). Nobody else waits meanwhile.
//! 2. **Publish.** Only if no row had a problem (and not for a dry run): one
//!    write transaction moves the staged needs into `needs` with one
//!    `INSERT ... SELECT`, applies the staged edits and contributions, writes
//!    the audit entry and commits. Other writers wait only for this step.
//!
//! A concurrent change that makes a staged row wrong (the same external id
//! stored meanwhile) fails the publish, which then writes nothing.
//!
//! A row is known by its external id or, without one, by a key made from its
//! content: importing the same file twice changes nothing. A row whose
//! explicit external id is already stored with other content edits that
//! record (a new version); a content-keyed row never does, because its key
//! describes the content it was first imported with.
//!
//! A new need's first version is the row itself, as for any need whose
//! current version is not yet in `need_versions` (see `needs::history`), so
//! a million rows are written once, not twice. The audit log gets one entry
//! for the whole import, naming the file's hash and the range of ids created.

use super::needs::{self, NeedRow, columns};
use super::{Conn, Db, after_explicit_ids, audit_log, catalog, contributions, now};
use crate::model::{
    Actor, ContributionImport, ImportChunk, ImportOptions, ImportOutcome, ImportSource, NeedImport, NeedRef,
};
use crate::publish_gate::PublishGate;
use crate::staging::{StagedKeys, StagedNeed};
use crate::write_queue::WriteQueue;
use crate::{CONTENT_KEY_PREFIX, Result, StoreError, own_id};
use needsdb_domain::need::{self as need_rules, NeedSpec};
use needsdb_domain::{Catalog, ContributionKind, NeedStatus, NewContribution, NewLink, Stage, StageChange};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::QueryBuilder;
use sqlx::Row;
use std::collections::HashMap;
use std::collections::HashSet;

/// Rows per multi-row INSERT: 22 values each stays well under SQLite's
/// 32,766 and PostgreSQL's 65,535 bound parameters.
const INSERT_ROWS: usize = 500;

struct State {
    outcome: ImportOutcome,
    /// Rows staged so far in each temporary table; staged needs take the
    /// provisional ids 1, 2, ... in file order.
    staged_needs: i64,
    staged_updates: i64,
    staged_contributions: i64,
    /// Stage moves of stored contributions a file reports (a re-import).
    staged_stages: i64,
    /// The current chunk's stage moves, staged at the chunk's end.
    stage_moves: Vec<(u64, i64, StageChange)>,
    /// Contributions staged, by donor and key: a row repeated in the file is imported once.
    contribution_keys: HashSet<(String, String)>,
    at: chrono::DateTime<chrono::Utc>,
    /// The reader found problems of its own in what it has read so far.
    source_failed: bool,
    /// The digest of the staged needs' first versions, made as they are
    /// staged (by position), so the publish need not read them back.
    digest: RowDigest,
    /// Staged needs by the hash of their key.
    staged_keys: StagedKeys,
}

impl State {
    /// Writing stops at the first problem; validation goes on to the end.
    fn writing(&self) -> bool {
        self.outcome.problem_count == 0 && !self.source_failed
    }
}

/// Runs an import on `conn`, a connection the import holds to itself: its
/// temporary tables live there. On any failure the caller closes it.
pub(super) async fn run(
    conn: &mut Conn,
    actor: &Actor,
    source: &mut dyn ImportSource,
    opts: &ImportOptions,
    gate: &PublishGate,
    writes: &WriteQueue,
) -> Result<ImportOutcome> {
    super::import_settings(conn, crate::ImportStep::Check).await?;
    for ddl in super::super::STAGING_TABLES {
        sqlx::query(*ddl).execute(&mut *conn).await?;
    }
    let result = run_inner(conn, actor, source, opts, gate, writes).await;
    // Scratch tables of the import only; the connection may serve others next.
    for t in [
        "import_new_needs",
        "import_need_updates",
        "import_new_contributions",
        "import_contribution_stages",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {t}")))
            .execute(&mut *conn)
            .await?;
    }
    super::import_settings(conn, crate::ImportStep::End).await?;
    result
}

async fn run_inner(
    conn: &mut Conn,
    actor: &Actor,
    source: &mut dyn ImportSource,
    opts: &ImportOptions,
    gate: &PublishGate,
    writes: &WriteQueue,
) -> Result<ImportOutcome> {
    let catalog = catalog::load(conn).await?;
    let mut st = State {
        outcome: ImportOutcome::default(),
        staged_needs: 0,
        staged_updates: 0,
        staged_contributions: 0,
        staged_stages: 0,
        stage_moves: Vec::new(),
        contribution_keys: HashSet::new(),
        at: now(),
        source_failed: false,
        digest: RowDigest::default(),
        staged_keys: StagedKeys::default(),
    };
    opts.phase("checking");
    while let Some(chunk) = source.next_chunk().await {
        st.source_failed = source.has_problems();
        match chunk {
            ImportChunk::Needs(rows) => need_chunk(conn, actor, &catalog, rows, &mut st).await?,
            ImportChunk::Contributions(rows) => contribution_chunk(conn, &catalog, rows, &mut st).await?,
        }
    }
    st.source_failed = source.has_problems();
    let clean = st.writing();
    if clean && !opts.dry_run && st.staged_needs + st.staged_updates + st.staged_contributions + st.staged_stages > 0 {
        opts.phase("writing");
        publish(conn, actor, opts, &mut st, gate, writes).await?;
    }
    st.outcome.committed = st.writing() && !opts.dry_run;
    Ok(st.outcome)
}

/// Moves what was staged into the database in one write transaction. A row
/// that fails now (a record changed since it was checked) is a problem, and
/// the transaction is rolled back.
async fn publish(
    conn: &mut Conn,
    actor: &Actor,
    opts: &ImportOptions,
    st: &mut State,
    gate: &PublishGate,
    writes: &WriteQueue,
) -> Result<()> {
    // Checking is over: the publish has no use for the staged keys (about
    // 20 MB for a million rows), and its page cache can have the room.
    st.staged_keys = StagedKeys::default();
    // The digest of the new needs was made as they were staged: nobody
    // waits for it under the write lock.
    let digest = std::mem::take(&mut st.digest).finish().await?;
    let digest = digest.filter(|_| st.staged_needs > 0);
    let _turn = gate.turn().await;
    // Behind this process's other writers, like any write (`write_queue`).
    let _write = writes.publish_turn().await?;
    super::import_settings(conn, crate::ImportStep::Publish).await?;
    // The publish reads the head itself, when it appends its entry.
    let _ = super::super::start_write(conn, crate::write_queue::WriteKind::Whole).await?;
    let published = publish_inner(conn, actor, opts, st, digest).await;
    let end = if published.is_ok() && st.writing() {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    let clock = std::time::Instant::now();
    sqlx::query(end).execute(&mut *conn).await?;
    tracing::debug!(elapsed = ?clock.elapsed(), end, "import: transaction ended");
    if published.is_ok() && end == "COMMIT" {
        super::super::after_bulk_insert(conn, st.staged_needs, 0).await?;
    }
    published
}

async fn publish_inner(
    conn: &mut Conn,
    actor: &Actor,
    opts: &ImportOptions,
    st: &mut State,
    digest: Option<String>,
) -> Result<()> {
    let clock = std::time::Instant::now();
    // New needs take the ids after the largest, under the write lock.
    let base: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM needs")
        .fetch_one(&mut *conn)
        .await?;
    // What every new need shares (version 1, who, when) was not staged.
    let created = sqlx::query(
        "INSERT INTO needs (id, version, country, place, pcode, item, quantity, amount_minor, currency, usd_rate,
            priority, needed_by, justification, reported_via, external_id, status, created_at, created_by,
            updated_at, updated_by, value_cents, open_units, people_in_need, people_targeted, people_source, outcome)
         SELECT id + $1, 1, country, place, pcode, item, quantity, amount_minor, currency, usd_rate,
            priority, needed_by, justification, reported_via, external_id, status, $2, $3,
            $2, $3, value_cents, quantity, people_in_need, people_targeted, people_source, outcome
         FROM import_new_needs ORDER BY id",
    )
    .bind(base)
    .bind(st.at)
    .bind(&actor.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        super::conflict_or(e, || {
            "a need with the same country and external id was stored while the file was being checked; import it again"
                .into()
        })
    })?
    .rows_affected();
    if created > 0 {
        after_explicit_ids(conn, "needs").await?;
    }
    let mut updated_ids = Vec::new();
    let updates: Vec<(i64, i64, String)> =
        sqlx::query("SELECT row_no, need_id, payload FROM import_need_updates ORDER BY seq")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("row_no")?, r.try_get("need_id")?, r.try_get("payload")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    // Once for every update, under the write lock: as each update alone would read it.
    let catalog = catalog::load(conn).await?;
    for (row, id, payload) in updates {
        let input: needsdb_domain::NewNeed = serde_json::from_str(&payload)?;
        match needs::update(
            conn,
            actor,
            id,
            None,
            &input,
            &catalog,
            crate::write_queue::WriteKind::Whole,
        )
        .await
        {
            Ok(()) => updated_ids.push(id),
            Err(StoreError::Invalid(inv)) => {
                for e in inv.0 {
                    st.outcome.problem(row as u64, &e.field, &e.code, e.message);
                }
            }
            Err(e) => return Err(e),
        }
    }
    let linked = publish_contributions(conn, actor, st).await?;
    // The sums below read the links just written: the planner must know
    // they are there, or it scans every contribution for each need.
    super::super::after_bulk_insert(conn, 0, st.staged_contributions).await?;
    needs::refresh_statuses(conn, actor, &linked).await?;
    let moves: Vec<(i64, i64, String)> =
        sqlx::query("SELECT row_no, contribution_id, payload FROM import_contribution_stages ORDER BY seq")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("row_no")?,
                    r.try_get("contribution_id")?,
                    r.try_get("payload")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()?;
    for (row, id, payload) in moves {
        let change: StageChange = serde_json::from_str(&payload)?;
        let row = u64::try_from(row).unwrap_or(0);
        match contributions::advance(conn, actor, id, None, &change).await {
            Ok(()) => {}
            Err(StoreError::Invalid(inv)) => {
                for e in inv.0 {
                    st.outcome.problem(row, &e.field, &e.code, e.message);
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !st.writing() {
        return Ok(());
    }
    tracing::debug!(elapsed = ?clock.elapsed(), created, "import: rows published");
    let range = (created > 0).then(|| (base + 1, base + i64::try_from(created).unwrap_or(i64::MAX)));
    let summary = json!({
        "file": opts.label,
        "sha256": opts.fingerprint,
        "rows": st.outcome.rows,
        "created": st.outcome.created,
        "updated": st.outcome.updated,
        "unchanged": st.outcome.unchanged,
        "need_ids": range.map(|(f, l)| json!({"first": f, "last": l})),
        // By position in the import, so it could be made before the ids were known.
        "rows_sha256_by_position": digest.filter(|_| range.is_some()),
        "updated_need_ids": updated_ids,
    });
    audit_log::append(conn, actor, "import", "import", &opts.fingerprint, None, Some(&summary)).await
}

/// Creates the staged contributions, a batch at a time, and returns the
/// needs they link (each once). A row that fails now (a need changed since
/// it was checked) is a problem, and the caller rolls back.
async fn publish_contributions(conn: &mut Conn, actor: &Actor, st: &mut State) -> Result<Vec<i64>> {
    let mut linked = Vec::new();
    if st.staged_contributions == 0 {
        return Ok(linked);
    }
    let catalog = catalog::load(conn).await?;
    let reporter = contributions::reporter(conn, actor).await?;
    let batch = i64::try_from(PUBLISH_CONTRIBUTIONS).unwrap_or(i64::MAX);
    let mut from = 1;
    while from <= st.staged_contributions {
        let to = from + batch - 1;
        let staged: Vec<(i64, String)> = sqlx::query(
            "SELECT row_no, payload FROM import_new_contributions WHERE seq BETWEEN $1 AND $2 ORDER BY seq",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("row_no")?, r.try_get("payload")?)))
        .collect::<Result<_, sqlx::Error>>()?;
        let inputs: Vec<NewContribution> = staged
            .iter()
            .map(|(_, payload)| serde_json::from_str(payload))
            .collect::<Result<_, _>>()?;
        match contributions::create_many(
            conn,
            actor,
            reporter.as_ref(),
            &catalog,
            &inputs,
            crate::write_queue::WriteKind::Whole,
        )
        .await?
        {
            Ok(created) => linked.extend(created.linked),
            Err(invalid) => {
                for (i, inv) in invalid {
                    let row = staged.get(i).map_or(0, |(r, _)| u64::try_from(*r).unwrap_or(0));
                    for e in inv.0 {
                        st.outcome.problem(row, &e.field, &e.code, e.message);
                    }
                }
            }
        }
        from = to + 1;
    }
    linked.sort_unstable();
    linked.dedup();
    Ok(linked)
}

/// Contributions created per batch at publish: enough that each multi-row
/// INSERT is full, few enough that a batch's snapshots stay small.
const PUBLISH_CONTRIBUTIONS: usize = 2000;

/// The key a row without an external id is known by: a digest of what it asks for.
fn content_key(spec: &NeedSpec) -> String {
    let c = columns(spec);
    let mut h = Sha256::new();
    for part in [
        spec.country.as_str(),
        spec.place.as_deref().unwrap_or(""),
        spec.pcode.as_deref().unwrap_or(""),
        spec.item.as_str(),
        &c.quantity.to_string(),
        &c.amount_minor.map(|m| m.to_string()).unwrap_or_default(),
        c.currency.as_deref().unwrap_or(""),
        c.usd_rate.as_deref().unwrap_or(""),
        spec.priority.as_str(),
        &spec.needed_by.to_string(),
        &spec.justification,
        spec.reported_via.as_str(),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    // Only when given, so rows written before these fields keep their keys.
    let p = &spec.people;
    if *p != needsdb_domain::People::default() {
        for part in [
            p.in_need.map(|n| n.to_string()).unwrap_or_default(),
            p.targeted.map(|n| n.to_string()).unwrap_or_default(),
            p.source.clone().unwrap_or_default(),
            p.outcome.clone().unwrap_or_default(),
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
    }
    format!("{CONTENT_KEY_PREFIX}{}", &hex::encode(h.finalize())[..24])
}

/// Whether a stored need already says what the row says.
fn same_content(row: &NeedRow, spec: &NeedSpec) -> bool {
    let c = columns(spec);
    row.country == spec.country.as_str()
        && row.place == spec.place
        && row.pcode == spec.pcode
        && row.item == spec.item.as_str()
        && row.quantity == c.quantity
        && row.amount_minor == c.amount_minor
        && row.currency == c.currency
        && row.usd_rate == c.usd_rate
        && row.priority == spec.priority.as_str()
        && row.needed_by == spec.needed_by
        && row.justification == spec.justification
        && row.reported_via == spec.reported_via.as_str()
        && row.people_in_need == spec.people.in_need
        && row.people_targeted == spec.people.targeted
        && row.people_source == spec.people.source
        && row.outcome == spec.people.outcome
}

struct Valid {
    row: u64,
    spec: NeedSpec,
    status: NeedStatus,
    explicit_key: bool,
    input: needsdb_domain::NewNeed,
}

async fn need_chunk(
    conn: &mut Conn,
    actor: &Actor,
    catalog: &Catalog,
    rows: Vec<NeedImport>,
    st: &mut State,
) -> Result<()> {
    // Rows staged but not yet written would be written at publish; a file
    // with a problem stages nothing more.
    // Where a chunk's time goes, for `NEEDSDB_LOG=needsdb_store=trace`
    // (BENCHMARKS.md, "Import: 1M need rows").
    let started = std::time::Instant::now();
    let mut valid: Vec<Valid> = Vec::with_capacity(rows.len());
    // (country, key) → index in `valid`, to find repeats within the chunk.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for r in rows {
        st.outcome.rows += 1;
        if !matches!(
            r.status,
            NeedStatus::Draft | NeedStatus::Submitted | NeedStatus::Validated | NeedStatus::Withdrawn
        ) {
            st.outcome.problem(
                r.row,
                "status",
                "invalid_status",
                format!(
                    "a need is imported as draft, submitted, validated or withdrawn, not {}",
                    r.status
                ),
            );
            continue;
        }
        let mut spec = match need_rules::validate(&r.input, catalog) {
            Ok(s) if r.reported.is_empty() => s,
            Ok(_) => continue,
            Err(inv) => {
                for e in inv.0.into_iter().filter(|e| !r.reported.contains(&e.field)) {
                    st.outcome.problem(r.row, &e.field, &e.code, e.message);
                }
                continue;
            }
        };
        let explicit_key = spec.external_id.is_some();
        let key = match &spec.external_id {
            Some(k) => k.clone(),
            None => content_key(&spec),
        };
        spec.external_id = Some(key.clone());
        match seen.get(&(spec.country.to_string(), key.clone())) {
            Some(&i) if same_content_spec(&valid[i].spec, &spec) => {
                st.outcome.duplicates += 1;
                continue;
            }
            Some(&i) => {
                st.outcome.problem(
                    r.row,
                    "external_id",
                    "duplicate_external_id",
                    format!(
                        "row {} has the same external id '{key}' for {} with other content; give each row its own id",
                        valid[i].row, spec.country
                    ),
                );
                continue;
            }
            None => {}
        }
        seen.insert((spec.country.to_string(), key), valid.len());
        valid.push(Valid {
            row: r.row,
            spec,
            status: r.status,
            explicit_key,
            input: r.input,
        });
    }
    let checked = started.elapsed();
    let existing = find_existing(conn, &valid).await?;
    let looked_up = started.elapsed() - checked;
    let staged = find_staged(conn, &valid, &st.staged_keys, st.at, actor).await?;
    let mut fresh: Vec<NeedRow> = Vec::new();
    let mut updates: Vec<(u64, i64, String)> = Vec::new();
    for (i, v) in valid.iter().enumerate() {
        if let Some(row) = staged.get(&i) {
            // An earlier row of this same file.
            if same_content(row, &v.spec) {
                st.outcome.duplicates += 1;
            } else {
                st.outcome.problem(
                    v.row,
                    "external_id",
                    "duplicate_external_id",
                    format!(
                        "an earlier row has the same external id '{}' for {} with other content; give each row its own id",
                        v.spec.external_id.as_deref().unwrap_or_default(),
                        v.spec.country
                    ),
                );
            }
            continue;
        }
        match existing.get(&i) {
            Some(row) if same_content(row, &v.spec) || !v.explicit_key => st.outcome.unchanged += 1,
            Some(row) => {
                let status = row.status()?;
                if !status.is_editable() {
                    st.outcome.problem(
                        v.row,
                        "external_id",
                        "not_editable",
                        format!(
                            "need {} ('{}') is {status} and can no longer be edited; give this row a new external id",
                            row.id,
                            v.spec.external_id.as_deref().unwrap_or_default()
                        ),
                    );
                    continue;
                }
                // The edit is checked now as it will be applied at publish.
                let merged = row.to_input().merged(&v.input);
                if let Err(inv) = need_rules::validate_keeping(&merged, catalog, Some(&row.item)) {
                    for e in inv.0 {
                        st.outcome.problem(v.row, &e.field, &e.code, e.message);
                    }
                    continue;
                }
                st.outcome.updated += 1;
                updates.push((v.row, row.id, serde_json::to_string(&v.input)?));
            }
            None => {
                st.outcome.created += 1;
                if st.writing() {
                    st.staged_needs += 1;
                    let mut row = new_row(st.staged_needs, &v.spec, v.status, actor, st.at);
                    row.value_cents = needs::value_of(&v.spec, catalog);
                    st.staged_keys
                        .insert(row.id, key_hash(&row.country, row.external_id.as_deref()));
                    fresh.push(row);
                }
            }
        }
    }
    let staging = std::time::Instant::now();
    if st.writing() {
        let staged: Vec<StagedNeed> = fresh.iter().map(NeedRow::staged).collect();
        super::super::stage_needs(conn, &staged).await?;
        drop(staged);
        st.digest.add(fresh).await?;
        tracing::trace!(?checked, ?looked_up, staged = ?staging.elapsed(), total = ?started.elapsed(), "import: need chunk");
        for chunk in updates.chunks(INSERT_ROWS) {
            let mut qb = QueryBuilder::<Db>::new("INSERT INTO import_need_updates (seq, row_no, need_id, payload) ");
            qb.push_values(chunk, |mut b, (row, id, payload)| {
                st.staged_updates += 1;
                b.push_bind(st.staged_updates)
                    .push_bind(i64::try_from(*row).unwrap_or(i64::MAX))
                    .push_bind(*id)
                    .push_bind(payload);
            });
            qb.build().execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// The digest of an import's new needs, made on a thread of its own from
/// the rows as they are staged: serialising a million rows to JSON took a
/// second of the import's own thread, while the other core had room.
#[derive(Default)]
struct RowDigest {
    rows: Option<tokio::sync::mpsc::Sender<Vec<NeedRow>>>,
    done: Option<tokio::sync::oneshot::Receiver<Result<Sha256>>>,
}

impl RowDigest {
    /// Adds the next rows, in id order (their ids are their positions).
    async fn add(&mut self, rows: Vec<NeedRow>) -> Result<()> {
        if self.rows.is_none() {
            // Two chunks in flight at most, so memory stays flat.
            let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<NeedRow>>(2);
            let (done_tx, done_rx) = tokio::sync::oneshot::channel();
            std::thread::spawn(move || {
                let mut h = Sha256::new();
                let mut result = Ok(());
                while let Some(rows) = rx.blocking_recv() {
                    for row in &rows {
                        if result.is_err() {
                            break;
                        }
                        // Its id is its position already: no offset to take off.
                        result = digest_line(&mut h, row);
                    }
                }
                let _ = done_tx.send(result.map(|()| h));
            });
            self.rows = Some(tx);
            self.done = Some(done_rx);
        }
        match &self.rows {
            Some(tx) if tx.send(rows).await.is_ok() => Ok(()),
            _ => Err(StoreError::Internal("the import's digest thread stopped".into())),
        }
    }

    /// The digest of every row added, or None if none was.
    async fn finish(mut self) -> Result<Option<String>> {
        drop(self.rows.take());
        let Some(done) = self.done.take() else {
            return Ok(None);
        };
        let h = done
            .await
            .map_err(|_| StoreError::Internal("the import's digest thread stopped".into()))??;
        Ok(Some(hex::encode(h.finalize())))
    }
}

/// Adds one need's first version to a digest: its snapshot as JSON, with the
/// id written as `id - offset` (by position, 1 for the import's first need).
fn digest_snapshot(h: &mut Sha256, mut snapshot: serde_json::Value, offset: i64) -> Result<()> {
    if let Some(id) = snapshot["id"].as_i64() {
        snapshot["id"] = json!(id - offset);
    }
    digest_line(h, &snapshot)
}

/// One line of an import's digest: a first version as JSON, then a newline.
/// A `NeedRow` and its snapshot write the same JSON (`preserve_order`).
fn digest_line(h: &mut Sha256, version: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer(&mut *h, version)?;
    h.update(b"\n");
    Ok(())
}

/// How ids enter an import's digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DigestIds {
    /// As stored (imports audited before positions were used).
    Absolute,
    /// By position in the import: the first need is 1.
    ByPosition,
}

/// The digest of the first versions of needs `first..=last`, as an import
/// wrote them: a version-1 snapshot where a later change kept one, else the
/// row (still at version 1). Returns the digest and how many needs it covers.
/// The import's audit entry keeps it, so `audit verify` can tell whether any
/// was changed behind the store's back.
pub(super) async fn first_versions_digest(
    conn: &mut Conn,
    first: i64,
    last: i64,
    ids: DigestIds,
) -> Result<(String, i64)> {
    let offset = match ids {
        DigestIds::Absolute => 0,
        DigestIds::ByPosition => first - 1,
    };
    let mut h = Sha256::new();
    let mut count = 0;
    let mut from = first;
    while from <= last {
        let to = (from + 4999).min(last);
        let kept: HashMap<i64, String> =
            sqlx::query("SELECT need_id, snapshot FROM need_versions WHERE version = 1 AND need_id BETWEEN $1 AND $2")
                .bind(from)
                .bind(to)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("need_id")?, r.try_get("snapshot")?)))
                .collect::<Result<_, sqlx::Error>>()?;
        let mut qb = QueryBuilder::<Db>::new(needs::SELECT);
        qb.push(" WHERE n.id BETWEEN ")
            .push_bind(from)
            .push(" AND ")
            .push_bind(to)
            .push(" ORDER BY n.id");
        for r in qb.build().fetch_all(&mut *conn).await? {
            let row = NeedRow::from_row(&r)?;
            // Stored versions hold the same text the digest was made of.
            let snapshot = match kept.get(&row.id) {
                Some(snap) => serde_json::from_str(snap)?,
                None => row.snapshot()?,
            };
            digest_snapshot(&mut h, snapshot, offset)?;
            count += 1;
        }
        from = to + 1;
    }
    Ok((hex::encode(h.finalize()), count))
}

fn same_content_spec(a: &NeedSpec, b: &NeedSpec) -> bool {
    a.country == b.country
        && a.place == b.place
        && a.pcode == b.pcode
        && a.item == b.item
        && a.requested == b.requested
        && a.priority == b.priority
        && a.needed_by == b.needed_by
        && a.justification == b.justification
        && a.reported_via == b.reported_via
        && a.people == b.people
}

fn new_row(id: i64, spec: &NeedSpec, status: NeedStatus, actor: &Actor, at: chrono::DateTime<chrono::Utc>) -> NeedRow {
    let c = columns(spec);
    NeedRow {
        id,
        version: 1,
        country: spec.country.to_string(),
        place: spec.place.clone(),
        pcode: spec.pcode.clone(),
        item: spec.item.to_string(),
        quantity: c.quantity,
        amount_minor: c.amount_minor,
        currency: c.currency,
        usd_rate: c.usd_rate,
        priority: spec.priority.as_str().to_owned(),
        needed_by: spec.needed_by,
        justification: spec.justification.clone(),
        reported_via: spec.reported_via.as_str().to_owned(),
        external_id: spec.external_id.clone(),
        status: status.as_str().to_owned(),
        created_at: at,
        created_by: actor.0.clone(),
        updated_at: at,
        updated_by: actor.0.clone(),
        value_cents: None,
        people_in_need: spec.people.in_need,
        people_targeted: spec.people.targeted,
        people_source: spec.people.source.clone(),
        outcome: spec.people.outcome.clone(),
        joined: Default::default(),
    }
}

/// The stored needs the rows name, by index in `valid`: by (country,
/// external id), or by id for the `needsdb-<id>` an export gives a need
/// that had no external id.
async fn find_existing(conn: &mut Conn, valid: &[Valid]) -> Result<HashMap<usize, NeedRow>> {
    let mut out = HashMap::new();
    if valid.is_empty() {
        return Ok(out);
    }
    let mut by_key: HashMap<(&str, &str), usize> = HashMap::new();
    let mut by_id: HashMap<i64, usize> = HashMap::new();
    for (i, v) in valid.iter().enumerate() {
        let key = v.spec.external_id.as_deref().unwrap_or_default();
        by_key.insert((v.spec.country.as_str(), key), i);
        if let Some(id) = own_id(key) {
            by_id.insert(id, i);
        }
    }
    let keys: Vec<(&str, &str)> = by_key.keys().copied().collect();
    for row in needs_by_key(conn, &keys).await? {
        let key = row.external_id.clone().unwrap_or_default();
        if let Some(&i) = by_key.get(&(row.country.as_str(), key.as_str())) {
            out.insert(i, row);
        }
    }
    let ids: Vec<i64> = by_id.keys().copied().collect();
    for row in needs_by_own_id(conn, &ids).await? {
        if let Some(&i) = by_id.get(&row.id)
            && row.country == valid[i].spec.country.as_str()
        {
            out.entry(i).or_insert(row);
        }
    }
    Ok(out)
}

/// The key a need is staged under, as one number (`StagedKeys`). It need
/// only be the same within one import, in one process.
fn key_hash(country: &str, key: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (country, key.unwrap_or_default()).hash(&mut h);
    h.finish()
}

/// Needs staged by earlier chunks of this file, by index in `valid`. The
/// hash of a row's key names a candidate, read back and kept only if its
/// country and key are the row's.
async fn find_staged(
    conn: &mut Conn,
    valid: &[Valid],
    staged_keys: &StagedKeys,
    at: chrono::DateTime<chrono::Utc>,
    actor: &Actor,
) -> Result<HashMap<usize, NeedRow>> {
    let mut out = HashMap::new();
    let candidates: HashMap<i64, usize> = valid
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let id = staged_keys.find(key_hash(v.spec.country.as_str(), v.spec.external_id.as_deref()))?;
            Some((id, i))
        })
        .collect();
    let ids: Vec<i64> = candidates.keys().copied().collect();
    for chunk in ids.chunks(2000) {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT n.id, CAST(1 AS BIGINT) AS version, n.country, n.place, n.pcode, n.item, n.quantity, n.amount_minor, n.currency,
                n.usd_rate, n.priority, n.needed_by, n.justification, n.reported_via, n.external_id, n.status,
                n.value_cents, n.people_in_need, n.people_targeted, n.people_source, n.outcome, ",
        );
        qb.push_bind(at)
            .push(" AS created_at, ")
            .push_bind(&actor.0)
            .push(" AS created_by, ")
            .push_bind(at)
            .push(" AS updated_at, ")
            .push_bind(&actor.0)
            .push(
                " AS updated_by, '' AS country_name, '' AS item_name, '' AS cluster, '' AS unit, 'count' AS unit_kind,
                CAST(0 AS BIGINT) AS decimals FROM import_new_needs n WHERE n.id IN (",
            );
        super::super::push_ints(&mut qb, chunk);
        qb.push(")");
        for r in qb.build().persistent(false).fetch_all(&mut *conn).await? {
            let row = NeedRow::from_row(&r)?;
            if let Some(&i) = candidates.get(&row.id) {
                let v = &valid[i];
                if row.country == v.spec.country.as_str() && row.external_id == v.spec.external_id {
                    out.insert(i, row);
                }
            }
        }
    }
    Ok(out)
}

/// Live needs by (country, external id), 2,000 keys per query. Joined to
/// the keys, so the unique index on (country, external_id) answers it.
async fn needs_by_key(conn: &mut Conn, keys: &[(&str, &str)]) -> Result<Vec<NeedRow>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(2000) {
        let mut qb = QueryBuilder::<Db>::new("WITH k (country, external_id) AS (");
        super::super::push_pairs(&mut qb, chunk);
        qb.push(") ")
            .push(needs::SELECT)
            .push(" JOIN k ON k.country = n.country AND k.external_id = n.external_id WHERE n.deleted_at IS NULL");
        fetch_fresh(conn, qb, &mut out).await?;
    }
    Ok(out)
}

/// Live needs without an external id, by id, 2,000 ids per query.
async fn needs_by_own_id(conn: &mut Conn, ids: &[i64]) -> Result<Vec<NeedRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(2000) {
        let mut qb = QueryBuilder::<Db>::new(needs::SELECT);
        qb.push(" WHERE n.deleted_at IS NULL AND n.external_id IS NULL AND n.id IN (");
        let mut sep = qb.separated(", ");
        for id in chunk {
            sep.push_bind(*id);
        }
        qb.push(")");
        fetch_fresh(conn, qb, &mut out).await?;
    }
    Ok(out)
}

/// Runs a query over `needs::SELECT`, planned afresh each time: a plan
/// cached while the table was small would scan it whole once the import has
/// filled it.
async fn fetch_fresh(conn: &mut Conn, mut qb: QueryBuilder<Db>, out: &mut Vec<NeedRow>) -> Result<()> {
    for r in qb.build().persistent(false).fetch_all(&mut *conn).await? {
        out.push(NeedRow::from_row(&r)?);
    }
    Ok(())
}

/// Contributions carry links and earmarks. Each is checked as one sent to
/// the API would be, and staged to be created at publish. The lookups a
/// chunk needs (stored contributions, linked needs and what they ask for)
/// are made once for the whole chunk, not once per row.
async fn contribution_chunk(
    conn: &mut Conn,
    catalog: &Catalog,
    rows: Vec<ContributionImport>,
    st: &mut State,
) -> Result<()> {
    let keyed: Vec<(ContributionImport, String, String)> = rows
        .into_iter()
        .map(|r| {
            let donor = r.input.donor.clone().unwrap_or_default().trim().to_owned();
            let key = match r.input.external_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(k) => k.to_owned(),
                None => contribution_key(&r.input, &r.need_refs),
            };
            (r, donor, key)
        })
        .collect();
    let pairs: HashSet<(&str, &str)> = keyed.iter().map(|(_, d, k)| (d.as_str(), k.as_str())).collect();
    let stored = ids_by_keys(conn, &CONTRIBUTION_KEYS, &pairs).await?;
    let ids: Vec<i64> = stored.values().copied().collect();
    let stages = stored_stages(conn, &ids).await?;
    let pairs: HashSet<(&str, &str)> = keyed
        .iter()
        .flat_map(|(r, _, _)| r.need_refs.iter().map(|n| (n.country.as_str(), n.key.as_str())))
        .collect();
    let needs = ids_by_keys(conn, &NEED_KEYS, &pairs).await?;
    let linked: Vec<i64> = needs.values().copied().collect();
    let targets = contributions::link_targets_of(conn, &linked).await?;
    let mut staged = Vec::new();
    for (r, donor, key) in keyed {
        st.outcome.rows += 1;
        let mut input = r.input;
        input.external_id = Some(key.clone());
        if let Some(id) = stored.get(&(donor.clone(), key.clone())) {
            match stages.get(id) {
                Some(now) => stage_move(st, r.row, *id, now, &input),
                None => st.outcome.unchanged += 1,
            }
            continue;
        }
        if !st.contribution_keys.insert((donor, key)) {
            st.outcome.duplicates += 1;
            continue;
        }
        let mut missing = false;
        for (i, n) in r.need_refs.iter().enumerate() {
            match needs.get(&(n.country.clone(), n.key.clone())) {
                Some(id) => input.links.push(NewLink {
                    need: Some(*id),
                    quantity: Some(n.quantity.clone()),
                }),
                None => {
                    missing = true;
                    st.outcome.problem(
                        r.row,
                        &format!("needs[{i}]"),
                        "unknown_need",
                        format!(
                            "no need {}/{} is stored; import the needs before the contributions",
                            n.country, n.key
                        ),
                    );
                }
            }
        }
        let mut reported = r.reported;
        if missing {
            // The rest of the row is still checked; its links are not.
            reported.push("links".into());
            input.links.clear();
        }
        match contributions::check(catalog, &targets, &input) {
            Err(inv) => {
                let base = |f: &str| f.split(['.', '[']).next().unwrap_or(f).to_owned();
                for e in inv.0.into_iter().filter(|e| !reported.contains(&base(&e.field))) {
                    st.outcome.problem(r.row, &e.field, &e.code, e.message);
                }
            }
            Ok(()) if !reported.is_empty() => {}
            Ok(()) => {
                st.outcome.created += 1;
                if st.writing() {
                    staged.push((r.row, serde_json::to_string(&input)?));
                }
            }
        }
    }
    if st.writing() {
        for chunk in staged.chunks(INSERT_ROWS) {
            let mut qb = QueryBuilder::<Db>::new("INSERT INTO import_new_contributions (seq, row_no, payload) ");
            qb.push_values(chunk, |mut b, (row, payload)| {
                st.staged_contributions += 1;
                b.push_bind(st.staged_contributions)
                    .push_bind(i64::try_from(*row).unwrap_or(i64::MAX))
                    .push_bind(payload);
            });
            qb.build().execute(&mut *conn).await?;
        }
        let moves = std::mem::take(&mut st.stage_moves);
        for chunk in moves.chunks(INSERT_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(
                "INSERT INTO import_contribution_stages (seq, row_no, contribution_id, payload) ",
            );
            let mut rows = Vec::with_capacity(chunk.len());
            for (row, id, change) in chunk {
                st.staged_stages += 1;
                rows.push((st.staged_stages, *row, *id, serde_json::to_string(change)?));
            }
            qb.push_values(rows, |mut b, (seq, row, id, payload)| {
                b.push_bind(seq)
                    .push_bind(i64::try_from(row).unwrap_or(i64::MAX))
                    .push_bind(id)
                    .push_bind(payload);
            });
            qb.build().execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// A stored contribution's stage, as a re-import compares with.
struct StoredStage {
    stage: String,
    kind: String,
    stage_date: chrono::NaiveDate,
    merged: bool,
}

async fn stored_stages(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, StoredStage>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(INSERT_ROWS) {
        let mut qb =
            QueryBuilder::<Db>::new("SELECT id, stage, kind, stage_date, merged_into FROM contributions WHERE id IN (");
        let mut sep = qb.separated(", ");
        for id in chunk {
            sep.push_bind(*id);
        }
        qb.push(")");
        for r in qb.build().fetch_all(&mut *conn).await? {
            let merged: Option<i64> = r.try_get("merged_into")?;
            out.insert(
                r.try_get("id")?,
                StoredStage {
                    stage: r.try_get("stage")?,
                    kind: r.try_get("kind")?,
                    stage_date: r.try_get("stage_date")?,
                    merged: merged.is_some(),
                },
            );
        }
    }
    Ok(out)
}

/// A row naming a stored contribution at a later stage than it has: the
/// file reports that it moved on (pledged, then committed, then shipped),
/// and the move is checked now and made with the rest. A row at the same
/// or an earlier stage is an older report, and changes nothing.
fn stage_move(st: &mut State, row: u64, id: i64, now: &StoredStage, input: &NewContribution) {
    let Some(to) = input.stage.as_deref().and_then(Stage::parse) else {
        st.outcome.unchanged += 1;
        return;
    };
    let (Some(from), Some(kind)) = (Stage::parse(&now.stage), ContributionKind::parse(&now.kind)) else {
        st.outcome.unchanged += 1;
        return;
    };
    if now.merged || from == to || !from.can_become(to, kind) {
        st.outcome.unchanged += 1;
        return;
    }
    let change = StageChange {
        to: Some(to.as_str().to_owned()),
        date: input.stage_date.clone(),
        note: Some("reported by an import".into()),
        source_url: input.source_url.clone(),
    };
    match change.validate(from, kind, now.stage_date, super::today()) {
        Err(inv) => {
            for e in inv.0 {
                let field = if e.field == "date" {
                    "stage_date".to_owned()
                } else {
                    e.field
                };
                st.outcome.problem(row, &field, &e.code, e.message);
            }
        }
        Ok(_) => {
            st.outcome.updated += 1;
            if st.writing() {
                st.stage_moves.push((row, id, change));
            }
        }
    }
}

/// The statements that find live records by their owner and external id,
/// or by the `needsdb-<id>` an export gave a record that had none.
struct KeyLookup {
    /// `id`, `owner`, `key` of live records, joined to the (owner, key)
    /// pairs appended to it (`push_pairs`): the unique index on
    /// (owner, external_id) finds each.
    by_key: &'static str,
    /// What closes `by_key`: the join condition.
    by_key_on: &'static str,
    /// `id`, `owner` of live records without an external id, by id.
    by_own_id: &'static str,
}

const NEED_KEYS: KeyLookup = KeyLookup {
    by_key: "SELECT n.id, n.country AS owner, n.external_id AS key FROM needs n JOIN (",
    by_key_on: ") AS v ON n.country = v.a AND n.external_id = v.b WHERE n.deleted_at IS NULL",
    by_own_id: "SELECT id, country AS owner FROM needs WHERE deleted_at IS NULL AND external_id IS NULL AND id IN (",
};

const CONTRIBUTION_KEYS: KeyLookup = KeyLookup {
    by_key: "SELECT n.id, n.donor AS owner, n.external_id AS key FROM contributions n JOIN (",
    by_key_on: ") AS v ON n.donor = v.a AND n.external_id = v.b WHERE n.deleted_at IS NULL",
    by_own_id: "SELECT id, donor AS owner FROM contributions WHERE deleted_at IS NULL AND external_id IS NULL AND id IN (",
};

/// The ids of the live records named by (owner, key) pairs, in a few
/// queries: a stored external id first, else a `needsdb-<id>` key.
async fn ids_by_keys(
    conn: &mut Conn,
    lookup: &KeyLookup,
    wanted: &HashSet<(&str, &str)>,
) -> Result<HashMap<(String, String), i64>> {
    let pairs: Vec<(&str, &str)> = wanted.iter().copied().collect();
    let mut out = HashMap::new();
    for chunk in pairs.chunks(INSERT_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(lookup.by_key);
        super::super::push_pairs(&mut qb, chunk);
        qb.push(lookup.by_key_on);
        for r in qb.build().fetch_all(&mut *conn).await? {
            out.insert((r.try_get("owner")?, r.try_get("key")?), r.try_get("id")?);
        }
    }
    let own: Vec<(i64, &str, &str)> = wanted
        .iter()
        .filter(|(o, k)| !out.contains_key(&((*o).to_owned(), (*k).to_owned())))
        .filter_map(|(o, k)| own_id(k).map(|id| (id, *o, *k)))
        .collect();
    for chunk in own.chunks(INSERT_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(lookup.by_own_id);
        let mut sep = qb.separated(", ");
        for (id, _, _) in chunk {
            sep.push_bind(*id);
        }
        qb.push(")");
        let found: HashMap<i64, String> = qb
            .build()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("owner")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        for (id, owner, key) in chunk {
            if found.get(id).is_some_and(|o| o == owner) {
                out.insert(((*owner).to_owned(), (*key).to_owned()), *id);
            }
        }
    }
    Ok(out)
}

fn contribution_key(input: &NewContribution, refs: &[NeedRef]) -> String {
    let text = format!("{}{refs:?}", serde_json::to_string(input).unwrap_or_default());
    format!(
        "{CONTENT_KEY_PREFIX}{}",
        &hex::encode(Sha256::digest(text.as_bytes()))[..24]
    )
}
