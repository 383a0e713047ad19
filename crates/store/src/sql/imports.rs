//! Bulk import: every row of a file in one transaction, committed only when
//! no row has a problem. Rows arrive a chunk at a time and new needs are
//! written with multi-row inserts, so a million rows take seconds and never
//! sit in memory together.
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
use crate::{CONTENT_KEY_PREFIX, Result, StoreError, own_id};
use needsdb_domain::need::{self as need_rules, NeedSpec};
use needsdb_domain::{Catalog, NeedStatus, NewContribution, NewLink};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::QueryBuilder;
use std::collections::HashMap;

/// Rows per multi-row INSERT: 22 values each stays well under SQLite's
/// 32,766 and PostgreSQL's 65,535 bound parameters.
const INSERT_ROWS: usize = 500;

struct State {
    outcome: ImportOutcome,
    /// Needs from this id on were created by this import.
    start_id: i64,
    next_id: i64,
    first_id: Option<i64>,
    updated_ids: Vec<i64>,
    at: chrono::DateTime<chrono::Utc>,
    /// The reader found problems of its own in what it has read so far.
    source_failed: bool,
    /// SHA-256 over the first version of every need created, in id order:
    /// the audit log keeps it, so `audit verify` can tell whether any was
    /// changed behind the store's back.
    digest: Sha256,
}

impl State {
    /// Writing stops at the first problem; validation goes on to the end.
    fn writing(&self) -> bool {
        self.outcome.problem_count == 0 && !self.source_failed
    }
}

pub(super) async fn run(
    conn: &mut Conn,
    actor: &Actor,
    source: &mut dyn ImportSource,
    opts: &ImportOptions,
) -> Result<ImportOutcome> {
    super::import_settings(conn, true).await?;
    let result = run_inner(conn, actor, source, opts).await;
    super::import_settings(conn, false).await?;
    result
}

async fn run_inner(
    conn: &mut Conn,
    actor: &Actor,
    source: &mut dyn ImportSource,
    opts: &ImportOptions,
) -> Result<ImportOutcome> {
    let catalog = catalog::load(conn).await?;
    let next_id: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM needs")
        .fetch_one(&mut *conn)
        .await?;
    let mut st = State {
        outcome: ImportOutcome::default(),
        start_id: next_id,
        next_id,
        first_id: None,
        updated_ids: Vec::new(),
        at: now(),
        source_failed: false,
        digest: Sha256::new(),
    };
    while let Some(chunk) = source.next_chunk().await {
        st.source_failed = source.has_problems();
        match chunk {
            ImportChunk::Needs(rows) => need_chunk(conn, actor, &catalog, rows, &mut st).await?,
            ImportChunk::Contributions(rows) => contribution_chunk(conn, actor, rows, &mut st).await?,
        }
    }
    st.source_failed = source.has_problems();
    if st.first_id.is_some() {
        after_explicit_ids(conn, "needs").await?;
    }
    let clean = st.writing();
    if clean && !opts.dry_run && (st.outcome.created > 0 || st.outcome.updated > 0) {
        let summary = json!({
            "file": opts.label,
            "sha256": opts.fingerprint,
            "rows": st.outcome.rows,
            "created": st.outcome.created,
            "updated": st.outcome.updated,
            "unchanged": st.outcome.unchanged,
            "need_ids": st.first_id.map(|f| json!({"first": f, "last": st.next_id - 1})),
            "rows_sha256": hex::encode(st.digest.clone().finalize()),
            "updated_need_ids": st.updated_ids,
        });
        audit_log::append(conn, actor, "import", "import", &opts.fingerprint, None, Some(&summary)).await?;
    }
    st.outcome.committed = clean && !opts.dry_run;
    Ok(st.outcome)
}

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
    let existing = find_existing(conn, &valid).await?;
    let mut fresh: Vec<NeedRow> = Vec::new();
    for (i, v) in valid.iter().enumerate() {
        match existing.get(&i) {
            // An earlier row of this same file.
            Some(row) if row.id >= st.start_id => {
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
            }
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
                } else if st.writing() {
                    match needs::update(conn, actor, row.id, None, &v.input).await {
                        Ok(()) => {
                            st.outcome.updated += 1;
                            st.updated_ids.push(row.id);
                        }
                        Err(StoreError::Invalid(inv)) => {
                            for e in inv.0 {
                                st.outcome.problem(v.row, &e.field, &e.code, e.message);
                            }
                        }
                        Err(e) => return Err(e),
                    }
                } else {
                    st.outcome.updated += 1;
                }
            }
            None => {
                let id = st.next_id;
                st.next_id += 1;
                st.first_id.get_or_insert(id);
                st.outcome.created += 1;
                let mut row = new_row(id, &v.spec, v.status, actor, st.at);
                row.value_cents = needs::value_of(&v.spec, catalog);
                fresh.push(row);
            }
        }
    }
    if st.writing() {
        insert_needs(conn, &fresh).await?;
        for row in &fresh {
            digest_row(&mut st.digest, row)?;
        }
    }
    Ok(())
}

fn digest_row(h: &mut Sha256, row: &NeedRow) -> Result<()> {
    h.update(row.snapshot()?.to_string().as_bytes());
    h.update(b"\n");
    Ok(())
}

/// The digest of the first versions of needs `first..=last`, as an import
/// wrote them: a version-1 snapshot where a later change kept one, else the
/// row (still at version 1). Returns the digest and how many needs it covers.
pub(super) async fn first_versions_digest(conn: &mut Conn, first: i64, last: i64) -> Result<(String, i64)> {
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
                .map(|r| {
                    use sqlx::Row;
                    Ok((r.try_get("need_id")?, r.try_get("snapshot")?))
                })
                .collect::<Result<_, sqlx::Error>>()?;
        let mut qb = QueryBuilder::<Db>::new(needs::SELECT);
        qb.push(" WHERE n.id BETWEEN ")
            .push_bind(from)
            .push(" AND ")
            .push_bind(to)
            .push(" ORDER BY n.id");
        for r in qb.build().fetch_all(&mut *conn).await? {
            let row = NeedRow::from_row(&r)?;
            match kept.get(&row.id) {
                // Stored versions hold the same text the digest was made of.
                Some(snap) => {
                    let v: serde_json::Value = serde_json::from_str(snap)?;
                    h.update(v.to_string().as_bytes());
                    h.update(b"\n");
                }
                None => digest_row(&mut h, &row)?,
            }
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

/// Live needs by (country, external id), 2,000 keys per query. Joined to
/// the keys, so the unique index on (country, external_id) answers it.
async fn needs_by_key(conn: &mut Conn, keys: &[(&str, &str)]) -> Result<Vec<NeedRow>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(2000) {
        let mut qb = QueryBuilder::<Db>::new("WITH k (country, external_id) AS (");
        qb.push_values(chunk, |mut b, (country, key)| {
            b.push_bind(*country).push_bind(*key);
        });
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

async fn insert_needs(conn: &mut Conn, rows: &[NeedRow]) -> Result<()> {
    for chunk in rows.chunks(INSERT_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO needs (id, version, country, place, pcode, item, quantity, amount_minor, currency, usd_rate,
                priority, needed_by, justification, reported_via, external_id, status, created_at, created_by,
                updated_at, updated_by, value_cents, open_units) ",
        );
        qb.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.version)
                .push_bind(&r.country)
                .push_bind(&r.place)
                .push_bind(&r.pcode)
                .push_bind(&r.item)
                .push_bind(r.quantity)
                .push_bind(r.amount_minor)
                .push_bind(&r.currency)
                .push_bind(&r.usd_rate)
                .push_bind(&r.priority)
                .push_bind(r.needed_by)
                .push_bind(&r.justification)
                .push_bind(&r.reported_via)
                .push_bind(&r.external_id)
                .push_bind(&r.status)
                .push_bind(r.created_at)
                .push_bind(&r.created_by)
                .push_bind(r.updated_at)
                .push_bind(&r.updated_by)
                .push_bind(r.value_cents)
                .push_bind(r.quantity);
        });
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Contributions are fewer and carry links and earmarks: each goes through
/// the same path as one sent to the API, inside the import's transaction.
async fn contribution_chunk(
    conn: &mut Conn,
    actor: &Actor,
    rows: Vec<ContributionImport>,
    st: &mut State,
) -> Result<()> {
    for r in rows {
        st.outcome.rows += 1;
        let r_row = r.row;
        let mut input = r.input;
        let donor = input.donor.clone().unwrap_or_default().trim().to_owned();
        let key = match input.external_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(k) => k.to_owned(),
            None => contribution_key(&input, &r.need_refs),
        };
        input.external_id = Some(key.clone());
        if id_by_key(conn, &CONTRIBUTION_BY_KEY, &donor, &key).await?.is_some() {
            st.outcome.unchanged += 1;
            continue;
        }
        let mut missing = false;
        for (i, r) in r.need_refs.iter().enumerate() {
            match id_by_key(conn, &NEED_BY_KEY, &r.country, &r.key).await? {
                Some(id) => input.links.push(NewLink {
                    need: Some(id),
                    quantity: Some(r.quantity.clone()),
                }),
                None => {
                    missing = true;
                    st.outcome.problem(
                        r_row,
                        &format!("needs[{i}]"),
                        "unknown_need",
                        format!(
                            "no need {}/{} is stored; import the needs before the contributions",
                            r.country, r.key
                        ),
                    );
                }
            }
        }
        let mut reported = r.reported.clone();
        if missing {
            // The rest of the row is still checked; its links are not.
            reported.push("links".into());
            input.links.clear();
        }
        let check = contributions::check(conn, &input).await?;
        match check {
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
                    contributions::create(conn, actor, &input).await?;
                }
            }
        }
    }
    Ok(())
}

/// The statements that find a live record by its owner and external id, or
/// by the `needsdb-<id>` an export gave a record that had none.
struct KeyLookup {
    by_key: &'static str,
    by_own_id: &'static str,
}

const NEED_BY_KEY: KeyLookup = KeyLookup {
    by_key: "SELECT id FROM needs WHERE deleted_at IS NULL AND country = $1 AND external_id = $2",
    by_own_id: "SELECT id FROM needs WHERE deleted_at IS NULL AND external_id IS NULL AND country = $1 AND id = $2",
};

const CONTRIBUTION_BY_KEY: KeyLookup = KeyLookup {
    by_key: "SELECT id FROM contributions WHERE deleted_at IS NULL AND donor = $1 AND external_id = $2",
    by_own_id: "SELECT id FROM contributions WHERE deleted_at IS NULL AND external_id IS NULL AND donor = $1 AND id = $2",
};

async fn id_by_key(conn: &mut Conn, lookup: &KeyLookup, owner: &str, key: &str) -> Result<Option<i64>> {
    let by_key: Option<i64> = sqlx::query_scalar(lookup.by_key)
        .bind(owner)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    if by_key.is_some() {
        return Ok(by_key);
    }
    let Some(id) = own_id(key) else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar(lookup.by_own_id)
        .bind(owner)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

fn contribution_key(input: &NewContribution, refs: &[NeedRef]) -> String {
    let text = format!("{}{refs:?}", serde_json::to_string(input).unwrap_or_default());
    format!(
        "{CONTENT_KEY_PREFIX}{}",
        &hex::encode(Sha256::digest(text.as_bytes()))[..24]
    )
}
