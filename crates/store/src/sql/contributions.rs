//! Contributions: record, advance through stages, read, list, history.

use super::{Conn, Db, audit_log, catalog, check_version, conflict_or, needs, now, today};
use crate::model::{
    Actor, Contribution, ContributionQuery, DEFAULT_PAGE, Delivery, EarmarkOut, FlowEarmark, FlowRow, Link, MAX_PAGE,
    Page, StageChange, StageEvent, Version,
};
use crate::write_queue::WriteKind;
use crate::{Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use needsdb_domain::contribution::{self, Carried};
use needsdb_domain::decimal::to_json_number;
use needsdb_domain::delivery::delivered_share;
use needsdb_domain::validation::Errors;
use needsdb_domain::{
    ContributionEdit, ContributionKind, Currency, EarmarkPortion, Invalid, ItemCode, LinkTarget, NewContribution,
    NewDelivery, NewEarmark, NewLink, PartyCode, Shipment, Stage,
};
use serde::Serialize;
use serde_json::Value;
use sqlx::{AssertSqlSafe, QueryBuilder, Row};
use std::collections::HashMap;

const SELECT: &str = "SELECT k.id, k.version, k.donor, k.recipient, k.channel, k.kind, k.item, k.quantity, k.covered,
        k.currency, k.usd_rate, k.stage, k.stage_date, k.source_url, k.description, k.external_id,
        k.created_at, k.created_by, k.updated_at, k.updated_by, k.merged_into, k.value_given, k.sector,
        k.reported_side, k.value_cents, k.value_estimated, k.delivered, i.unit, i.decimals
    FROM contributions k LEFT JOIN items i ON i.code = k.item LEFT JOIN countries c ON c.iso3 = k.recipient";

#[derive(Debug, Clone, Serialize)]
struct Row_ {
    id: i64,
    version: i64,
    donor: String,
    recipient: String,
    channel: Option<String>,
    kind: String,
    item: Option<String>,
    quantity: i64,
    covered: i64,
    currency: Option<String>,
    usd_rate: Option<String>,
    stage: String,
    stage_date: NaiveDate,
    source_url: Option<String>,
    description: String,
    external_id: Option<String>,
    created_at: DateTime<Utc>,
    created_by: String,
    updated_at: DateTime<Utc>,
    updated_by: String,
    merged_into: Option<i64>,
    /// Goods: the donor's own value in US cents, when given.
    value_given: Option<i64>,
    sector: Option<String>,
    /// donor or receiving: the side of the flow the reporter is on.
    reported_side: Option<String>,
    /// Native units confirmed as arrived; left out of the record while none
    /// is, so records written before partial deliveries compare unchanged.
    #[serde(skip_serializing_if = "is_zero")]
    delivered: i64,
    /// Derived: the cash's US value, the donor's value, or the catalogue's estimate.
    #[serde(skip)]
    value_cents: Option<i64>,
    #[serde(skip)]
    value_estimated: bool,
    #[serde(skip)]
    unit: Option<String>,
    #[serde(skip)]
    decimals: u32,
}

#[derive(Debug, Clone, Serialize)]
struct LinkRow {
    need: i64,
    quantity: i64,
    covered: i64,
    covered_usd: i64,
}

#[derive(Debug, Clone, Serialize)]
struct EarmarkRow {
    target: String,
    share_bp: Option<i64>,
    amount: Option<i64>,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

impl Row_ {
    fn from_row(r: &<Db as sqlx::Database>::Row) -> Result<Self> {
        let currency: Option<String> = r.try_get("currency")?;
        let item_decimals: Option<i64> = r.try_get("decimals")?;
        let decimals = match (&currency, item_decimals) {
            (Some(c), _) => Currency::parse("currency", c).map(|c| c.exponent()).unwrap_or(2),
            (None, Some(d)) => u32::try_from(d).unwrap_or(0),
            (None, None) => 0,
        };
        Ok(Self {
            id: r.try_get("id")?,
            version: r.try_get("version")?,
            donor: r.try_get("donor")?,
            recipient: r.try_get("recipient")?,
            channel: r.try_get("channel")?,
            kind: r.try_get("kind")?,
            item: r.try_get("item")?,
            quantity: r.try_get("quantity")?,
            covered: r.try_get("covered")?,
            usd_rate: r.try_get("usd_rate")?,
            stage: r.try_get("stage")?,
            stage_date: r.try_get("stage_date")?,
            source_url: r.try_get("source_url")?,
            description: r.try_get("description")?,
            external_id: r.try_get("external_id")?,
            created_at: r.try_get("created_at")?,
            created_by: r.try_get("created_by")?,
            updated_at: r.try_get("updated_at")?,
            updated_by: r.try_get("updated_by")?,
            merged_into: r.try_get("merged_into")?,
            value_given: r.try_get("value_given")?,
            sector: r.try_get("sector")?,
            reported_side: r.try_get("reported_side")?,
            delivered: r.try_get("delivered")?,
            value_cents: r.try_get("value_cents")?,
            value_estimated: r.try_get("value_estimated")?,
            unit: r.try_get("unit")?,
            currency,
            decimals,
        })
    }

    fn stage(&self) -> Result<Stage> {
        Stage::parse(&self.stage)
            .ok_or_else(|| StoreError::Internal(format!("contribution {}: unknown stage {}", self.id, self.stage)))
    }

    fn kind(&self) -> Result<ContributionKind> {
        ContributionKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Internal(format!("contribution {}: unknown kind {}", self.id, self.kind)))
    }

    fn shipment(&self) -> Result<Shipment> {
        Ok(Shipment {
            stage: self.stage()?,
            stage_date: self.stage_date,
            quantity: self.quantity,
            delivered: self.delivered,
            decimals: self.decimals,
        })
    }
}

/// Links, earmarks and stage events of a set of contributions.
#[derive(Default)]
struct Parts {
    links: HashMap<i64, Vec<LinkRow>>,
    earmarks: HashMap<i64, Vec<EarmarkRow>>,
    events: HashMap<i64, Vec<StageEvent>>,
    deliveries: HashMap<i64, Vec<DeliveryRow>>,
}

struct DeliveryRow {
    quantity: i64,
    date: NaiveDate,
    note: String,
    source_url: Option<String>,
    recorded_at: DateTime<Utc>,
    recorded_by: String,
}

fn in_list(qb: &mut QueryBuilder<Db>, ids: &[i64]) {
    qb.push(" IN (");
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
}

async fn load_parts(conn: &mut Conn, ids: &[i64]) -> Result<Parts> {
    load_parts_of(conn, ids, true).await
}

/// The parts a snapshot holds (`snapshot`): links and earmarks, not stage
/// events or deliveries. Two reads fewer inside the write lock for every
/// version recorded.
async fn load_snapshot_parts(conn: &mut Conn, ids: &[i64]) -> Result<Parts> {
    load_parts_of(conn, ids, false).await
}

async fn load_parts_of(conn: &mut Conn, ids: &[i64], with_history: bool) -> Result<Parts> {
    let mut parts = Parts::default();
    if ids.is_empty() {
        return Ok(parts);
    }
    for chunk in ids.chunks(500) {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT contribution_id, need_id, quantity, covered, covered_usd FROM contribution_links WHERE removed_at IS NULL AND contribution_id",
        );
        in_list(&mut qb, chunk);
        qb.push(" ORDER BY contribution_id, need_id");
        for r in qb.build().fetch_all(&mut *conn).await? {
            parts
                .links
                .entry(r.try_get("contribution_id")?)
                .or_default()
                .push(LinkRow {
                    need: r.try_get("need_id")?,
                    quantity: r.try_get("quantity")?,
                    covered: r.try_get("covered")?,
                    covered_usd: r.try_get("covered_usd")?,
                });
        }
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT contribution_id, target, share_bp, amount FROM contribution_earmarks WHERE removed_at IS NULL AND contribution_id",
        );
        in_list(&mut qb, chunk);
        qb.push(" ORDER BY contribution_id, seq");
        for r in qb.build().fetch_all(&mut *conn).await? {
            parts
                .earmarks
                .entry(r.try_get("contribution_id")?)
                .or_default()
                .push(EarmarkRow {
                    target: r.try_get("target")?,
                    share_bp: r.try_get("share_bp")?,
                    amount: r.try_get("amount")?,
                });
        }
        if !with_history {
            continue;
        }
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT contribution_id, from_stage, to_stage, stage_date, note, source_url, actor, recorded_at FROM contribution_events WHERE contribution_id",
        );
        in_list(&mut qb, chunk);
        qb.push(" ORDER BY contribution_id, id");
        for r in qb.build().fetch_all(&mut *conn).await? {
            let from: Option<String> = r.try_get("from_stage")?;
            let to: String = r.try_get("to_stage")?;
            parts
                .events
                .entry(r.try_get("contribution_id")?)
                .or_default()
                .push(StageEvent {
                    from: from.as_deref().and_then(Stage::parse),
                    to: Stage::parse(&to).ok_or_else(|| StoreError::Internal(format!("unknown stage {to}")))?,
                    date: r.try_get("stage_date")?,
                    note: r.try_get("note")?,
                    source_url: r.try_get("source_url")?,
                    actor: r.try_get("actor")?,
                    recorded_at: r.try_get("recorded_at")?,
                });
        }
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT contribution_id, quantity, delivered_on, note, source_url, recorded_at, recorded_by FROM deliveries WHERE contribution_id",
        );
        in_list(&mut qb, chunk);
        qb.push(" ORDER BY contribution_id, id");
        for r in qb.build().fetch_all(&mut *conn).await? {
            parts
                .deliveries
                .entry(r.try_get("contribution_id")?)
                .or_default()
                .push(DeliveryRow {
                    quantity: r.try_get("quantity")?,
                    date: r.try_get("delivered_on")?,
                    note: r.try_get("note")?,
                    source_url: r.try_get("source_url")?,
                    recorded_at: r.try_get("recorded_at")?,
                    recorded_by: r.try_get("recorded_by")?,
                });
        }
    }
    Ok(parts)
}

fn snapshot(row: &Row_, parts: &Parts) -> Result<Value> {
    let mut v = serde_json::to_value(row)?;
    if let Value::Object(m) = &mut v {
        m.insert("links".into(), serde_json::to_value(parts.links.get(&row.id))?);
        m.insert("earmarks".into(), serde_json::to_value(parts.earmarks.get(&row.id))?);
    }
    Ok(v)
}

fn present(row: Row_, parts: &mut Parts) -> Result<Contribution> {
    let stage = row.stage()?;
    let kind = row.kind()?;
    let d = row.decimals;
    let shipment = row.shipment()?;
    let delivered = if stage == Stage::Delivered {
        row.quantity
    } else {
        row.delivered
    };
    let deliveries = parts
        .deliveries
        .remove(&row.id)
        .unwrap_or_default()
        .into_iter()
        .map(|x| Delivery {
            quantity: to_json_number(x.quantity, d),
            date: x.date,
            note: x.note,
            source_url: x.source_url,
            recorded_at: x.recorded_at,
            recorded_by: x.recorded_by,
        })
        .collect();
    let links = parts
        .links
        .remove(&row.id)
        .unwrap_or_default()
        .into_iter()
        .map(|l| Link {
            need: l.need,
            quantity: to_json_number(l.quantity, d),
        })
        .collect();
    let earmarks = parts
        .earmarks
        .remove(&row.id)
        .unwrap_or_default()
        .into_iter()
        .map(|e| EarmarkOut {
            target: e.target,
            share_percent: e.share_bp.map(|bp| to_json_number(bp, 2)),
            amount: e.amount.map(|a| to_json_number(a, d)),
        })
        .collect();
    Ok(Contribution {
        id: row.id,
        version: row.version,
        donor: row.donor,
        recipient: row.recipient,
        channel: row.channel,
        kind,
        unit: match (&row.currency, &row.unit) {
            (Some(c), _) => c.clone(),
            (None, Some(u)) => u.clone(),
            (None, None) => String::new(),
        },
        item: row.item,
        quantity: to_json_number(row.quantity, d),
        usd_value: row.value_cents.map(|v| to_json_number(v, 2)),
        usd_value_estimated: row.value_estimated,
        currency: row.currency,
        usd_rate: row.usd_rate,
        funded: stage.is_funded() && row.merged_into.is_none(),
        counted: row.merged_into.is_none() && stage != Stage::Cancelled,
        sector: row.sector,
        reported_side: row.reported_side,
        stage,
        stage_date: row.stage_date,
        source_url: row.source_url,
        description: row.description,
        external_id: row.external_id,
        links,
        earmarks,
        events: parts.events.remove(&row.id).unwrap_or_default(),
        delivered: to_json_number(delivered, d),
        outstanding: (stage.is_funded() && stage != Stage::Cancelled && row.merged_into.is_none())
            .then(|| to_json_number(shipment.outstanding(), d)),
        deliveries,
        created_at: row.created_at,
        created_by: row.created_by,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
        merged_into: row.merged_into,
    })
}

async fn load_row(conn: &mut Conn, id: i64) -> Result<Row_> {
    let mut qb = QueryBuilder::<Db>::new(SELECT);
    qb.push(" WHERE k.deleted_at IS NULL AND k.id = ").push_bind(id);
    match qb.build().fetch_optional(&mut *conn).await? {
        Some(r) => Row_::from_row(&r),
        None => Err(StoreError::not_found("contribution", id)),
    }
}

/// The record as its versions and the audit log keep it.
pub(super) async fn snapshot_of(conn: &mut Conn, id: i64) -> Result<Value> {
    let row = load_row(conn, id).await?;
    let parts = load_snapshot_parts(conn, &[id]).await?;
    snapshot(&row, &parts)
}

pub(super) async fn get(conn: &mut Conn, id: i64) -> Result<Contribution> {
    let row = load_row(conn, id).await?;
    let mut parts = load_parts(conn, &[id]).await?;
    present(row, &mut parts)
}

async fn link_targets(conn: &mut Conn, input: &NewContribution) -> Result<HashMap<i64, LinkTarget>> {
    let ids: Vec<i64> = input.links.iter().filter_map(|l| l.need).collect();
    link_targets_of(conn, &ids).await
}

/// The needs named by links, as validation sees them; unknown or deleted ids are left out.
pub(super) async fn link_targets_of(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, LinkTarget>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for chunk in ids.chunks(500) {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT n.id, n.country, n.item, n.status, n.value_cents, i.unit_kind FROM needs n JOIN items i ON i.code = n.item WHERE n.deleted_at IS NULL AND n.id",
        );
        in_list(&mut qb, chunk);
        for r in qb.build().fetch_all(&mut *conn).await? {
            let id: i64 = r.try_get("id")?;
            let unit_kind: String = r.try_get("unit_kind")?;
            let target = needs::link_target(
                id,
                r.try_get("country")?,
                r.try_get("item")?,
                unit_kind == "money",
                r.try_get("value_cents")?,
                r.try_get("status")?,
            )?;
            out.insert(id, target);
        }
    }
    Ok(out)
}

async fn record_version(
    conn: &mut Conn,
    id: i64,
    actor: &Actor,
    action: &str,
    before: Option<&Value>,
) -> Result<Value> {
    record_noted_version(conn, id, actor, action, before, None).await
}

async fn record_noted_version(
    conn: &mut Conn,
    id: i64,
    actor: &Actor,
    action: &str,
    before: Option<&Value>,
    note: Option<&str>,
) -> Result<Value> {
    let row = load_row(conn, id).await?;
    let parts = load_snapshot_parts(conn, &[id]).await?;
    let snap = snapshot(&row, &parts)?;
    sqlx::query(
        "INSERT INTO contribution_versions (contribution_id, version, snapshot, changed_at, changed_by, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(row.version)
    .bind(snap.to_string())
    .bind(row.updated_at)
    .bind(&actor.0)
    .bind(note)
    .execute(&mut *conn)
    .await?;
    audit_log::append(
        conn,
        actor,
        action,
        "contribution",
        &id.to_string(),
        before,
        Some(&snap),
    )
    .await?;
    Ok(snap)
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    conn: &mut Conn,
    id: i64,
    from: Option<Stage>,
    to: Stage,
    date: NaiveDate,
    note: &str,
    source_url: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO contribution_events (contribution_id, from_stage, to_stage, stage_date, note, source_url, actor, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(date)
    .bind(note)
    .bind(source_url)
    .bind(&actor.0)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Validates a contribution as `create` would, writing nothing, against
/// needs loaded beforehand: an import loads the catalogue and the linked
/// needs once for a whole chunk of rows.
pub(super) fn check(
    catalog: &needsdb_domain::Catalog,
    targets: &HashMap<i64, LinkTarget>,
    input: &NewContribution,
) -> std::result::Result<(), Invalid> {
    contribution::validate(input, catalog, targets, today()).map(|_| ())
}

/// `catalog`: as of this transaction (see `SqlStore::catalogue`).
/// `kind`: how the caller's transaction is isolated; a record write locks
/// the linked needs and takes the chain's lock before it appends.
pub(super) async fn create(
    conn: &mut Conn,
    actor: &Actor,
    reporter: Option<&crate::model::User>,
    input: &NewContribution,
    catalog: &needsdb_domain::Catalog,
    kind: WriteKind,
) -> Result<i64> {
    let created = create_many(conn, actor, reporter, catalog, std::slice::from_ref(input), kind)
        .await?
        .map_err(|mut bad| StoreError::Invalid(bad.pop().map_or_else(|| Invalid(Vec::new()), |(_, inv)| inv)))?;
    let id = created
        .ids
        .first()
        .copied()
        .ok_or_else(|| StoreError::Internal("a contribution was created without an id".into()))?;
    // Recording a contribution changes no need's row, so the rows its
    // validation read are still current: one read fewer inside the lock.
    // A match with a report from the other side may have, so then they are read again.
    if created.matched {
        needs::refresh_statuses(conn, actor, &created.linked).await?;
    } else if let Some(moves) = created.moves {
        needs::move_statuses(conn, actor, moves).await?;
    } else {
        needs::refresh_rows(conn, actor, created.linked_rows).await?;
    }
    Ok(id)
}

/// What `create_many` wrote: the new ids in input order, and the needs
/// they link, for the caller to re-evaluate once.
pub(super) struct Created {
    pub ids: Vec<i64>,
    pub linked: Vec<i64>,
    /// The linked needs as validation read them, before anything was written.
    linked_rows: Vec<needs::NeedRow>,
    /// Whether any was matched with a report from the other side (which may change needs).
    matched: bool,
    /// When a record write already wrote the linked needs' coverage, before
    /// it took the chain's lock: the status moves left to record after its
    /// audit entry.
    moves: Option<Vec<(needs::NeedRow, needsdb_domain::need::NeedStatus)>>,
}

/// A checked contribution and the columns derived from it.
struct Prepared {
    spec: contribution::ContributionSpec,
    item: Option<String>,
    currency: Option<String>,
    usd_rate: Option<String>,
    value_given: Option<i64>,
    side: Option<Side>,
}

/// Rows per multi-row INSERT: 25 values each stays under SQLite's 32,766
/// bound parameters.
const INSERT_ROWS: usize = 500;

/// Records contributions against a loaded catalogue, all or none: if any
/// input is invalid, nothing is written and every problem is returned with
/// the index of its input. Rows, links, earmarks, first stage events,
/// versions and audit entries are each written in a few multi-row INSERTs,
/// so an import of thousands costs about what one costs per statement.
/// Each contribution still gets its own version and audit entry, chained
/// as if recorded one by one, and is matched against the other side's
/// reports in order.
pub(super) async fn create_many(
    conn: &mut Conn,
    actor: &Actor,
    reporter: Option<&crate::model::User>,
    catalog: &needsdb_domain::Catalog,
    inputs: &[NewContribution],
    kind: WriteKind,
) -> Result<std::result::Result<Created, Vec<(usize, Invalid)>>> {
    let mut need_ids: Vec<i64> = inputs
        .iter()
        .flat_map(|i| i.links.iter().filter_map(|l| l.need))
        .collect();
    need_ids.sort_unstable();
    need_ids.dedup();
    // One contribution (the API's pledge) reads its needs whole, for the
    // coverage refresh to reuse (`create`); an import reads only what
    // validation needs, and refreshes its needs once at the end.
    let (targets, mut linked_rows) = if let [_] = inputs {
        let mut rows = Vec::with_capacity(need_ids.len());
        for chunk in need_ids.chunks(500) {
            rows.extend(needs::live_rows(conn, chunk, kind).await?);
        }
        let targets = rows
            .iter()
            .map(|r| Ok((r.id, r.link_target()?)))
            .collect::<Result<HashMap<i64, LinkTarget>>>()?;
        (targets, rows)
    } else {
        (link_targets_of(conn, &need_ids).await?, Vec::new())
    };
    let today = today();
    let mut prepared = Vec::with_capacity(inputs.len());
    let mut invalid = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        match contribution::validate(input, catalog, &targets, today) {
            Ok(spec) => prepared.push(prepare(spec, reporter)),
            Err(inv) => invalid.push((i, inv)),
        }
    }
    if !invalid.is_empty() {
        return Ok(Err(invalid));
    }
    if prepared.is_empty() {
        return Ok(Ok(Created {
            ids: Vec::new(),
            linked: Vec::new(),
            linked_rows: Vec::new(),
            matched: false,
            moves: None,
        }));
    }
    let count = i64::try_from(prepared.len()).unwrap_or(i64::MAX);
    // New ids follow the largest, under the write lock the caller holds.
    let base = match kind {
        WriteKind::Whole => super::super::reserve_ids(conn, "contributions", count).await?,
        // Record writes run side by side on PostgreSQL, and there is one.
        WriteKind::Record => super::super::next_id(conn, "contributions").await? - 1,
    };
    let ids: Vec<i64> = (1..=count).map(|n| base + n).collect();
    let at = now();
    let rows: Vec<(i64, &Prepared)> = ids.iter().copied().zip(&prepared).collect();
    let links: Vec<(i64, &contribution::LinkSpec)> = rows
        .iter()
        .flat_map(|(id, p)| p.spec.links.iter().map(move |l| (*id, l)))
        .collect();
    let earmarks: Vec<(i64, i64, &needsdb_domain::earmark::Earmark)> = rows
        .iter()
        .flat_map(|(id, p)| {
            p.spec
                .earmarks
                .iter()
                .enumerate()
                .map(move |(seq, e)| (*id, seq as i64, e))
        })
        .collect();
    let conflict = |e: sqlx::Error| {
        conflict_or(e, || match inputs {
            [one] => format!(
                "{} already has a contribution with external_id '{}'",
                one.donor.as_deref().unwrap_or_default(),
                one.external_id.as_deref().unwrap_or_default()
            ),
            _ => "a contribution with the same donor and external id was stored meanwhile; try again".into(),
        })
    };
    let mut moves = None;
    if let [one] = rows.as_slice()
        && super::super::DIALECT == crate::Dialect::Postgres
        && links.len() + earmarks.len() <= ONE_STATEMENT_PARTS
    {
        // One contribution on PostgreSQL (the API's pledge): its row, links,
        // earmarks and first stage event in one statement that returns the
        // row as stored, and its version made from that and the parts as
        // written. Six statements were six round trips inside the write lock.
        let mut qb = QueryBuilder::<Db>::new(format!(
            "WITH k AS (INSERT INTO contributions ({CONTRIBUTION_COLUMNS}) "
        ));
        qb.push_values([one], |b, (id, p)| contribution_values(b, *id, p, actor, at));
        qb.push(" RETURNING *)");
        if !links.is_empty() {
            qb.push(format!(", l AS (INSERT INTO contribution_links ({LINK_COLUMNS}) "));
            qb.push_values(&links, |b, (id, l)| link_values(b, *id, l));
            qb.push(")");
        }
        if !earmarks.is_empty() {
            qb.push(format!(
                ", e AS (INSERT INTO contribution_earmarks ({EARMARK_COLUMNS}) "
            ));
            qb.push_values(&earmarks, |b, (id, seq, e)| earmark_values(b, *id, *seq, e));
            qb.push(")");
        }
        qb.push(format!(", v AS (INSERT INTO contribution_events ({EVENT_COLUMNS}) "));
        qb.push_values([one], |b, (id, p)| event_values(b, *id, p, actor, at));
        qb.push(") ").push(select_returned());
        let row = Row_::from_row(&qb.build().fetch_one(&mut *conn).await.map_err(conflict)?)?;
        let rows = [row];
        let parts = parts_as_written(&links, &earmarks);
        if kind == WriteKind::Record {
            // The first version and the linked needs' coverage columns are
            // this write's own rows (the needs are locked): only the audit
            // entry, the match and the status moves wait for the chain.
            let snaps = write_first_versions(conn, actor, &rows, &parts).await?;
            moves = Some(needs::write_coverage(conn, std::mem::take(&mut linked_rows)).await?);
            super::super::lock_chain(conn).await?;
            append_created(conn, actor, &rows, &snaps).await?;
        } else {
            record_versions_of(conn, actor, &rows, &parts).await?;
        }
    } else {
        for chunk in rows.chunks(INSERT_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(format!("INSERT INTO contributions ({CONTRIBUTION_COLUMNS}) "));
            qb.push_values(chunk, |b, (id, p)| contribution_values(b, *id, p, actor, at));
            qb.build().execute(&mut *conn).await.map_err(conflict)?;
        }
        for chunk in links.chunks(INSERT_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(format!("INSERT INTO contribution_links ({LINK_COLUMNS}) "));
            qb.push_values(chunk, |b, (id, l)| link_values(b, *id, l));
            qb.build().execute(&mut *conn).await?;
        }
        for chunk in earmarks.chunks(INSERT_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(format!("INSERT INTO contribution_earmarks ({EARMARK_COLUMNS}) "));
            qb.push_values(chunk, |b, (id, seq, e)| earmark_values(b, *id, *seq, e));
            qb.build().execute(&mut *conn).await?;
        }
        for chunk in rows.chunks(INSERT_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(format!("INSERT INTO contribution_events ({EVENT_COLUMNS}) "));
            qb.push_values(chunk, |b, (id, p)| event_values(b, *id, p, actor, at));
            qb.build().execute(&mut *conn).await?;
        }
        if kind == WriteKind::Record {
            super::super::lock_chain(conn).await?;
        }
        record_first_versions(conn, actor, &ids).await?;
    }
    // Only a report from a side can match the other side's: contributions
    // recorded from no side (an administrator's, or the CLI's) look for none.
    let sided: Vec<i64> = rows
        .iter()
        .filter(|(_, p)| p.side.is_some())
        .map(|(id, _)| *id)
        .collect();
    let matched = match_reports(conn, actor, &sided, kind).await?;
    // Matched, the needs may have changed since: `create` refreshes them whole.
    let moves = moves.filter(|_| !matched);
    let mut linked: Vec<i64> = prepared
        .iter()
        .flat_map(|p| p.spec.links.iter().map(|l| l.need_id))
        .collect();
    linked.sort_unstable();
    linked.dedup();
    Ok(Ok(Created {
        ids,
        linked,
        linked_rows,
        matched,
        moves,
    }))
}

/// Links and earmarks a single contribution may carry and still be written
/// in one statement: bound parameters stay far below PostgreSQL's 65,535.
const ONE_STATEMENT_PARTS: usize = 1_000;

const CONTRIBUTION_COLUMNS: &str =
    "id, version, donor, recipient, channel, kind, item, quantity, covered, currency, usd_rate,
    stage, stage_date, source_url, description, external_id, created_at, created_by, updated_at, updated_by,
    value_given, value_cents, value_estimated, sector, reported_side";
const LINK_COLUMNS: &str = "contribution_id, need_id, quantity, covered, covered_usd";
const EARMARK_COLUMNS: &str = "contribution_id, seq, target, share_bp, amount";
const EVENT_COLUMNS: &str = "contribution_id, from_stage, to_stage, stage_date, note, source_url, actor, recorded_at";

type Values<'qb> = sqlx::query_builder::Separated<'qb, Db, &'static str>;

fn contribution_values(mut b: Values<'_>, id: i64, p: &Prepared, actor: &Actor, at: DateTime<Utc>) {
    let spec = &p.spec;
    b.push_bind(id)
        .push_bind(1_i64)
        .push_bind(spec.donor.as_str())
        .push_bind(spec.recipient.as_str())
        .push_bind(spec.channel.as_ref().map(PartyCode::as_str))
        .push_bind(spec.carried.kind().as_str())
        .push_bind(&p.item)
        .push_bind(spec.carried.native())
        .push_bind(spec.carried.coverage_units())
        .push_bind(&p.currency)
        .push_bind(&p.usd_rate)
        .push_bind(spec.stage.as_str())
        .push_bind(spec.stage_date)
        .push_bind(&spec.source_url)
        .push_bind(&spec.description)
        .push_bind(&spec.external_id)
        .push_bind(at)
        .push_bind(&actor.0)
        .push_bind(at)
        .push_bind(&actor.0)
        .push_bind(p.value_given)
        .push_bind(spec.value.map(|v| v.cents))
        .push_bind(spec.value.is_some_and(|v| v.estimated))
        .push_bind(&spec.sector)
        .push_bind(p.side.map(Side::as_str));
}

fn link_values(mut b: Values<'_>, id: i64, l: &contribution::LinkSpec) {
    b.push_bind(id)
        .push_bind(l.need_id)
        .push_bind(l.quantity)
        .push_bind(l.covered)
        .push_bind(l.covered_usd);
}

/// An earmark's share or amount, as its two columns hold them.
fn portion_columns(e: &needsdb_domain::earmark::Earmark) -> (Option<i64>, Option<i64>) {
    match e.portion {
        EarmarkPortion::ShareBp(bp) => (Some(bp), None),
        EarmarkPortion::Amount(a) => (None, Some(a)),
    }
}

fn earmark_values(mut b: Values<'_>, id: i64, seq: i64, e: &needsdb_domain::earmark::Earmark) {
    let (share, amount) = portion_columns(e);
    b.push_bind(id)
        .push_bind(seq)
        .push_bind(e.target.to_string())
        .push_bind(share)
        .push_bind(amount);
}

fn event_values(mut b: Values<'_>, id: i64, p: &Prepared, actor: &Actor, at: DateTime<Utc>) {
    b.push_bind(id)
        .push_bind(None::<String>)
        .push_bind(p.spec.stage.as_str())
        .push_bind(p.spec.stage_date)
        .push_bind("recorded")
        .push_bind(&p.spec.source_url)
        .push_bind(&actor.0)
        .push_bind(at);
}

/// `SELECT` over the row a data-modifying `WITH` named `k` returned: the
/// same columns `SELECT` reads from the table.
fn select_returned() -> String {
    let columns = SELECT
        .split_once(" FROM contributions k")
        .map_or(SELECT, |(columns, _)| columns);
    format!("{columns} FROM k LEFT JOIN items i ON i.code = k.item")
}

/// The parts a snapshot holds, from what was just written, in the order
/// `load_snapshot_parts` reads them (links by need, earmarks by position).
fn parts_as_written(
    links: &[(i64, &contribution::LinkSpec)],
    earmarks: &[(i64, i64, &needsdb_domain::earmark::Earmark)],
) -> Parts {
    let mut parts = Parts::default();
    for (id, l) in links {
        parts.links.entry(*id).or_default().push(LinkRow {
            need: l.need_id,
            quantity: l.quantity,
            covered: l.covered,
            covered_usd: l.covered_usd,
        });
    }
    for rows in parts.links.values_mut() {
        rows.sort_by_key(|r| r.need);
    }
    for (id, _, e) in earmarks {
        let (share_bp, amount) = portion_columns(e);
        parts.earmarks.entry(*id).or_default().push(EarmarkRow {
            target: e.target.to_string(),
            share_bp,
            amount,
        });
    }
    parts
}

fn prepare(spec: contribution::ContributionSpec, reporter: Option<&crate::model::User>) -> Prepared {
    let (item, currency, usd_rate) = match &spec.carried {
        Carried::InKind { item, .. } => (Some(item.to_string()), None, None),
        Carried::Cash { money, rate, .. } => (None, Some(money.currency.code().to_owned()), Some(rate.text())),
    };
    let value_given = match (&spec.carried, spec.value) {
        (Carried::InKind { .. }, Some(v)) if !v.estimated => Some(v.cents),
        _ => None,
    };
    let side = reporter.and_then(|u| {
        side_of(
            u,
            spec.donor.as_str(),
            spec.recipient.as_str(),
            spec.channel.as_ref().map(PartyCode::as_str),
        )
    });
    Prepared {
        spec,
        item,
        currency,
        usd_rate,
        value_given,
        side,
    }
}

/// Version 1 and the `contribution.create` audit entry of each new
/// contribution, made from the rows as stored (consecutive ids).
async fn record_first_versions(conn: &mut Conn, actor: &Actor, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(INSERT_ROWS) {
        let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
            continue;
        };
        let mut qb = QueryBuilder::<Db>::new(SELECT);
        qb.push(" WHERE k.id BETWEEN ")
            .push_bind(*first)
            .push(" AND ")
            .push_bind(*last)
            .push(" ORDER BY k.id");
        let rows: Vec<Row_> = qb
            .build()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(Row_::from_row)
            .collect::<Result<_>>()?;
        let parts = load_snapshot_parts(conn, chunk).await?;
        record_versions_of(conn, actor, &rows, &parts).await?;
    }
    Ok(())
}

/// Version 1 and the `contribution.create` audit entry of each of `rows`
/// (at most `INSERT_ROWS`), new contributions as stored.
async fn record_versions_of(conn: &mut Conn, actor: &Actor, rows: &[Row_], parts: &Parts) -> Result<()> {
    let snaps = write_first_versions(conn, actor, rows, parts).await?;
    append_created(conn, actor, rows, &snaps).await
}

/// Version 1 of each of `rows`; returns their snapshots for the audit entries.
async fn write_first_versions(conn: &mut Conn, actor: &Actor, rows: &[Row_], parts: &Parts) -> Result<Vec<Value>> {
    let snaps: Vec<Value> = rows.iter().map(|r| snapshot(r, parts)).collect::<Result<_>>()?;
    let texts: Vec<String> = snaps.iter().map(Value::to_string).collect();
    let mut qb = QueryBuilder::<Db>::new(
        "INSERT INTO contribution_versions (contribution_id, version, snapshot, changed_at, changed_by, note) ",
    );
    qb.push_values(rows.iter().zip(&texts), |mut b, (r, text)| {
        b.push_bind(r.id)
            .push_bind(r.version)
            .push_bind(text)
            .push_bind(r.updated_at)
            .push_bind(&actor.0)
            .push_bind(None::<String>);
    });
    qb.build().execute(&mut *conn).await?;
    Ok(snaps)
}

/// The `contribution.create` audit entry of each of `rows`, with its snapshot.
async fn append_created(conn: &mut Conn, actor: &Actor, rows: &[Row_], snaps: &[Value]) -> Result<()> {
    let entries: Vec<audit_log::NewEntry> = rows
        .iter()
        .zip(snaps)
        .map(|(r, snap)| audit_log::NewEntry {
            action: "contribution.create",
            entity: "contribution",
            entity_id: r.id.to_string(),
            before: None,
            after: Some(snap),
        })
        .collect();
    audit_log::append_many(conn, actor, &entries).await
}

/// Runs `auto_match` for each new contribution that has a report from the
/// other side to match, in id order, as if each had been recorded alone.
/// One query finds them; most imports have none. `ids`: the new
/// contributions reported from a side, in id order.
async fn match_reports(conn: &mut Conn, actor: &Actor, ids: &[i64], kind: WriteKind) -> Result<bool> {
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
        return Ok(false);
    };
    let candidates: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT n.id FROM contributions n JOIN contributions k
           ON k.donor = n.donor AND k.recipient = n.recipient AND k.kind = n.kind AND {}
          AND COALESCE(k.item, '') = COALESCE(n.item, '') AND COALESCE(k.currency, '') = COALESCE(n.currency, '')
          AND k.reported_side IS NOT NULL AND k.reported_side <> n.reported_side
          AND k.merged_into IS NULL AND k.deleted_at IS NULL AND k.stage <> 'cancelled'
         WHERE n.id BETWEEN $1 AND $2 AND n.reported_side IS NOT NULL
         ORDER BY n.id",
        earlier_than(kind, "k.id", "n.id")
    )))
    .bind(*first)
    .bind(*last)
    .fetch_all(&mut *conn)
    .await?;
    for id in &candidates {
        auto_match(conn, actor, *id, kind).await?;
    }
    Ok(!candidates.is_empty())
}

/// Which reports a new one may be matched with: those recorded before it.
/// In a whole write (an import) ids follow the order of recording, and rows
/// of one file match only the rows before them. A record write has one new
/// report, and sees only reports committed before it (it matches under the
/// chain's lock), whose ids may be larger than its own: record writes take
/// ids from the sequence side by side and commit in another order.
fn earlier_than(kind: WriteKind, other: &str, new: &str) -> String {
    match kind {
        WriteKind::Whole => format!("{other} < {new}"),
        WriteKind::Record => format!("{other} <> {new}"),
    }
}

pub(super) async fn advance(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    change: &StageChange,
) -> Result<()> {
    let row = load_row(conn, id).await?;
    check_version("contribution", id, expected, row.version)?;
    let from = row.stage()?;
    let valid = change.validate(from, row.kind()?, row.stage_date, today())?;
    let before = snapshot(&row, &load_snapshot_parts(conn, &[id]).await?)?;
    sqlx::query(
        "UPDATE contributions SET version = version + 1, stage = $1, stage_date = $2, updated_at = $3, updated_by = $4
         WHERE id = $5 AND version = $6",
    )
    .bind(valid.to.as_str())
    .bind(valid.date)
    .bind(now())
    .bind(&actor.0)
    .bind(id)
    .bind(row.version)
    .execute(&mut *conn)
    .await?;
    insert_event(
        conn,
        id,
        Some(from),
        valid.to,
        valid.date,
        &valid.note,
        valid.source_url.as_deref(),
        actor,
    )
    .await?;
    record_version(conn, id, actor, "contribution.stage", Some(&before)).await?;
    let need_ids: Vec<i64> =
        sqlx::query_scalar("SELECT need_id FROM contribution_links WHERE contribution_id = $1 AND removed_at IS NULL")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    needs::refresh_statuses(conn, actor, &need_ids).await
}

/// The contribution as it was sent, rebuilt from what is stored: the base
/// a correction is made to, then checked whole as a new one would be.
fn as_input(row: &Row_, parts: &Parts) -> NewContribution {
    let d = row.decimals;
    let cash = row.currency.is_some();
    let native = Some(to_json_number(row.quantity, d));
    NewContribution {
        donor: Some(row.donor.clone()),
        recipient: Some(row.recipient.clone()),
        channel: row.channel.clone(),
        item: row.item.clone(),
        quantity: if cash { None } else { native.clone() },
        amount: if cash { native } else { None },
        currency: row.currency.clone(),
        usd_rate: row.usd_rate.clone().map(Value::String),
        stage: Some(row.stage.clone()),
        stage_date: Some(row.stage_date.to_string()),
        source_url: row.source_url.clone(),
        description: Some(row.description.clone()),
        external_id: row.external_id.clone(),
        usd_value: row.value_given.map(|v| to_json_number(v, 2)),
        sector: row.sector.clone(),
        links: parts
            .links
            .get(&row.id)
            .into_iter()
            .flatten()
            .map(|l| NewLink {
                need: Some(l.need),
                quantity: Some(to_json_number(l.quantity, d)),
            })
            .collect(),
        earmarks: parts
            .earmarks
            .get(&row.id)
            .into_iter()
            .flatten()
            .map(|e| NewEarmark {
                target: Some(e.target.clone()),
                share_percent: e.share_bp.map(|bp| to_json_number(bp, 2)),
                amount: e.amount.map(|a| to_json_number(a, d)),
            })
            .collect(),
    }
}

/// Corrects a contribution: quantity or amount, dates, links and earmarks.
/// The corrected whole is checked as a new contribution would be; links and
/// earmarks no longer meant are kept as removed; every need linked before
/// or after is re-evaluated in the same transaction.
pub(super) async fn update(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    edit: &ContributionEdit,
) -> Result<()> {
    let row = load_row(conn, id).await?;
    check_version("contribution", id, expected, row.version)?;
    if let Some(keep) = row.merged_into {
        return Err(Invalid::one(
            "id",
            "merged",
            format!("contribution {id} was merged into {keep}: correct {keep}"),
        )
        .into());
    }
    if row.stage()? == Stage::Cancelled {
        return Err(Invalid::one("stage", "final", "a cancelled contribution is not corrected").into());
    }
    let parts = load_snapshot_parts(conn, &[id]).await?;
    let before = snapshot(&row, &parts)?;
    let input = edit.apply(&as_input(&row, &parts))?;
    let catalog = catalog::load(conn).await?;
    let targets = link_targets(conn, &input).await?;
    let spec = contribution::validate(&input, &catalog, &targets, today())?;
    let quantity = spec.carried.native();
    if quantity < row.delivered {
        let field = if row.currency.is_some() { "amount" } else { "quantity" };
        return Err(Invalid::one(
            field,
            "below_delivered",
            format!(
                "{} have already been confirmed as delivered",
                needsdb_domain::decimal::format_scaled(row.delivered, row.decimals)
            ),
        )
        .into());
    }
    let usd_rate = match &spec.carried {
        Carried::Cash { rate, .. } => Some(rate.text()),
        Carried::InKind { .. } => None,
    };
    let value_given = match (&spec.carried, spec.value) {
        (Carried::InKind { .. }, Some(v)) if !v.estimated => Some(v.cents),
        _ => None,
    };
    let at = now();
    sqlx::query(
        "UPDATE contributions SET version = version + 1, channel = $1, quantity = $2, covered = $3, usd_rate = $4,
            stage_date = $5, source_url = $6, description = $7, external_id = $8, value_given = $9, value_cents = $10,
            value_estimated = $11, sector = $12, updated_at = $13, updated_by = $14
         WHERE id = $15 AND version = $16",
    )
    .bind(spec.channel.as_ref().map(PartyCode::as_str))
    .bind(quantity)
    .bind(spec.carried.coverage_units())
    .bind(&usd_rate)
    .bind(spec.stage_date)
    .bind(&spec.source_url)
    .bind(&spec.description)
    .bind(&spec.external_id)
    .bind(value_given)
    .bind(spec.value.map(|v| v.cents))
    .bind(spec.value.is_some_and(|v| v.estimated))
    .bind(&spec.sector)
    .bind(at)
    .bind(&actor.0)
    .bind(id)
    .bind(row.version)
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        conflict_or(e, || {
            format!(
                "{} already has a contribution with external_id '{}'",
                row.donor,
                spec.external_id.clone().unwrap_or_default()
            )
        })
    })?;
    sqlx::query("UPDATE contribution_links SET removed_at = $1 WHERE contribution_id = $2 AND removed_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for l in &spec.links {
        sqlx::query(
            "INSERT INTO contribution_links (contribution_id, need_id, quantity, covered, covered_usd, delivered, delivered_usd)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (contribution_id, need_id) DO UPDATE SET quantity = excluded.quantity, covered = excluded.covered,
                covered_usd = excluded.covered_usd, delivered = excluded.delivered, delivered_usd = excluded.delivered_usd,
                removed_at = NULL",
        )
        .bind(id)
        .bind(l.need_id)
        .bind(l.quantity)
        .bind(l.covered)
        .bind(l.covered_usd)
        .bind(delivered_share(l.covered, row.delivered, quantity))
        .bind(delivered_share(l.covered_usd, row.delivered, quantity))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE contribution_earmarks SET removed_at = $1 WHERE contribution_id = $2 AND removed_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let next: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(seq), -1) + 1 AS BIGINT) FROM contribution_earmarks WHERE contribution_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    for (i, e) in spec.earmarks.iter().enumerate() {
        let (share, amount) = match e.portion {
            EarmarkPortion::ShareBp(bp) => (Some(bp), None),
            EarmarkPortion::Amount(a) => (None, Some(a)),
        };
        sqlx::query("INSERT INTO contribution_earmarks (contribution_id, seq, target, share_bp, amount) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(next + i as i64)
            .bind(e.target.to_string())
            .bind(share)
            .bind(amount)
            .execute(&mut *conn)
            .await?;
    }
    record_version(conn, id, actor, "contribution.update", Some(&before)).await?;
    let mut need_ids: Vec<i64> = parts.links.get(&id).into_iter().flatten().map(|l| l.need).collect();
    need_ids.extend(spec.links.iter().map(|l| l.need_id));
    need_ids.sort_unstable();
    need_ids.dedup();
    needs::refresh_statuses(conn, actor, &need_ids).await
}

/// Records what the recipient says arrived. Each link is credited its share
/// of everything confirmed so far, and the needs re-evaluated, in the same
/// transaction; once all of it has arrived the contribution is delivered.
pub(super) async fn confirm_delivery(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    input: &NewDelivery,
) -> Result<()> {
    let row = load_row(conn, id).await?;
    check_version("contribution", id, expected, row.version)?;
    if let Some(keep) = row.merged_into {
        return Err(Invalid::one(
            "id",
            "merged",
            format!("contribution {id} was merged into {keep}: confirm the delivery against {keep}"),
        )
        .into());
    }
    let shipment = row.shipment()?;
    let valid = input.validate(&shipment, today())?;
    let parts = load_snapshot_parts(conn, &[id]).await?;
    let before = snapshot(&row, &parts)?;
    let at = now();
    sqlx::query(
        "INSERT INTO deliveries (contribution_id, quantity, delivered_on, note, source_url, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(valid.quantity)
    .bind(valid.date)
    .bind(&valid.note)
    .bind(&valid.source_url)
    .bind(at)
    .bind(&actor.0)
    .execute(&mut *conn)
    .await?;
    let delivered = row.delivered + valid.quantity;
    let complete = delivered >= row.quantity;
    let stage = if complete { Stage::Delivered } else { shipment.stage };
    let stage_date = if complete { valid.date } else { row.stage_date };
    sqlx::query(
        "UPDATE contributions SET version = version + 1, delivered = $1, stage = $2, stage_date = $3, updated_at = $4, updated_by = $5
         WHERE id = $6 AND version = $7",
    )
    .bind(delivered)
    .bind(stage.as_str())
    .bind(stage_date)
    .bind(at)
    .bind(&actor.0)
    .bind(id)
    .bind(row.version)
    .execute(&mut *conn)
    .await?;
    for l in parts.links.get(&id).into_iter().flatten() {
        sqlx::query(
            "UPDATE contribution_links SET delivered = $1, delivered_usd = $2
             WHERE contribution_id = $3 AND need_id = $4 AND removed_at IS NULL",
        )
        .bind(delivered_share(l.covered, delivered, row.quantity))
        .bind(delivered_share(l.covered_usd, delivered, row.quantity))
        .bind(id)
        .bind(l.need)
        .execute(&mut *conn)
        .await?;
    }
    if complete {
        insert_event(
            conn,
            id,
            Some(shipment.stage),
            Stage::Delivered,
            valid.date,
            "confirmed in full by the recipient",
            valid.source_url.as_deref(),
            actor,
        )
        .await?;
    }
    let note = Some(valid.note.as_str()).filter(|n| !n.is_empty());
    record_noted_version(conn, id, actor, "contribution.delivery", Some(&before), note).await?;
    let need_ids: Vec<i64> = parts.links.get(&id).into_iter().flatten().map(|l| l.need).collect();
    needs::refresh_statuses(conn, actor, &need_ids).await
}

pub(super) async fn history(conn: &mut Conn, id: i64) -> Result<Vec<Version>> {
    load_row(conn, id).await?;
    let rows = sqlx::query(
        "SELECT version, snapshot, changed_at, changed_by, note FROM contribution_versions WHERE contribution_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    super::versions_from_rows(&rows)
}

fn push_filters(qb: &mut QueryBuilder<Db>, q: &ContributionQuery) -> Result<(), Invalid> {
    let mut errs = Errors::new();
    qb.push(" WHERE k.deleted_at IS NULL");
    for (field, col, v) in [
        ("donor", "k.donor", &q.donor),
        ("recipient", "k.recipient", &q.recipient),
        ("channel", "k.channel", &q.channel),
    ] {
        if let Some(s) = v.as_deref()
            && let Some(code) = errs.take(PartyCode::parse(field, s))
        {
            qb.push(format!(" AND {col} = ")).push_bind(code.to_string());
        }
    }
    if let Some(s) = q.item.as_deref()
        && let Some(code) = errs.take(ItemCode::parse("item", s))
    {
        qb.push(" AND k.item = ").push_bind(code.to_string());
    }
    if let Some(s) = q.stage.as_deref() {
        match Stage::parse(s) {
            Some(st) => {
                qb.push(" AND k.stage = ").push_bind(st.as_str());
            }
            None => errs.add(
                "stage",
                "invalid_choice",
                format!("'{s}' is not a stage (use one of {})", Stage::choices()),
            ),
        }
    }
    if let Some(s) = q.country.as_deref() {
        super::needs::push_country_list(qb, &mut errs, "k.recipient", s);
    }
    super::needs::push_country_filters(
        qb,
        &mut errs,
        "k.recipient",
        q.nam_status.as_deref(),
        q.region.as_deref(),
        q.who_region.as_deref(),
        q.income_group.as_deref(),
    );
    if let Some(s) = q.cluster.as_deref() {
        qb.push(" AND i.cluster = ").push_bind(s.trim().to_ascii_lowercase());
    }
    if let Some(s) = q.priority.as_deref() {
        match needsdb_domain::Priority::parse(s) {
            Some(p) => {
                qb.push(
                    " AND EXISTS (SELECT 1 FROM contribution_links l JOIN needs n ON n.id = l.need_id
                      WHERE l.contribution_id = k.id AND l.removed_at IS NULL AND n.priority = ",
                )
                .push_bind(p.as_str())
                .push(")");
            }
            None => errs.add(
                "priority",
                "invalid_choice",
                format!(
                    "'{s}' is not a priority (use one of {})",
                    needsdb_domain::Priority::choices()
                ),
            ),
        }
    }
    if let Some(d) = q.date_from {
        qb.push(" AND k.stage_date >= ").push_bind(d);
    }
    if let Some(d) = q.date_to {
        qb.push(" AND k.stage_date <= ").push_bind(d);
    }
    if let Some(s) = q.kind.as_deref() {
        match ContributionKind::parse(s) {
            Some(k) => {
                qb.push(" AND k.kind = ").push_bind(k.as_str());
            }
            None => errs.add("kind", "invalid_choice", format!("'{s}' is not a kind (in_kind, cash)")),
        }
    }
    errs.finish()
}

const SORT_KEYS: [&str; 3] = ["id", "stage_date", "created_at"];

pub(super) async fn list(conn: &mut Conn, q: &ContributionQuery) -> Result<Page<Contribution>> {
    let limit = i64::from(q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE));
    let (key, desc) = super::cursor::sort_spec(q.sort.as_deref(), &SORT_KEYS)?;
    let total: i64 = if q.without_total {
        -1
    } else {
        let mut count = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM contributions k LEFT JOIN items i ON i.code = k.item LEFT JOIN countries c ON c.iso3 = k.recipient",
        );
        push_filters(&mut count, q)?;
        count.build_query_scalar().fetch_one(&mut *conn).await?
    };
    let mut qb = QueryBuilder::<Db>::new(SELECT);
    push_filters(&mut qb, q)?;
    let expr = match key {
        "stage_date" => "k.stage_date",
        "created_at" => "k.created_at",
        _ => "k.id",
    };
    let op = if desc { "<" } else { ">" };
    // An empty cursor is the first page, as no cursor is.
    if let Some(c) = q.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
        let (value, id) = super::cursor::decode(c)?;
        let bad = || {
            Invalid::one(
                "cursor",
                "invalid_cursor",
                "the cursor does not fit this sort order; start again from the first page",
            )
        };
        match key {
            "stage_date" => {
                let d: NaiveDate = value.parse().map_err(|_| bad())?;
                qb.push(format!(" AND ({expr} {op} "))
                    .push_bind(d)
                    .push(format!(" OR ({expr} = "))
                    .push_bind(d);
                qb.push(format!(" AND k.id {op} ")).push_bind(id).push("))");
            }
            "created_at" => {
                let t: DateTime<Utc> = value.parse().map_err(|_| bad())?;
                qb.push(format!(" AND ({expr} {op} "))
                    .push_bind(t)
                    .push(format!(" OR ({expr} = "))
                    .push_bind(t);
                qb.push(format!(" AND k.id {op} ")).push_bind(id).push("))");
            }
            _ => {
                qb.push(format!(" AND k.id {op} ")).push_bind(id);
            }
        }
    }
    let dir = if desc { "DESC" } else { "ASC" };
    qb.push(format!(" ORDER BY {expr} {dir}, k.id {dir} LIMIT "))
        .push_bind(limit + 1);
    let mut rows: Vec<Row_> = qb
        .build()
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(Row_::from_row)
        .collect::<Result<_>>()?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| {
            let value = match key {
                "stage_date" => r.stage_date.to_string(),
                "created_at" => r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                _ => r.id.to_string(),
            };
            super::cursor::encode(&value, r.id)
        })
    } else {
        None
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut parts = load_parts(conn, &ids).await?;
    let items = rows
        .into_iter()
        .map(|r| present(r, &mut parts))
        .collect::<Result<_>>()?;
    Ok(Page { total, items, next })
}

/// Merges `duplicate` into `keep`: both rows and histories stay; the
/// duplicate no longer counts anywhere, and its needs' statuses follow.
pub(super) async fn merge(conn: &mut Conn, actor: &Actor, keep: i64, duplicate: i64) -> Result<()> {
    if keep == duplicate {
        return Err(Invalid::one(
            "into",
            "same_contribution",
            "a contribution cannot be merged into itself",
        )
        .into());
    }
    let k = load_row(conn, keep).await?;
    let d = load_row(conn, duplicate).await?;
    if let Some(m) = k.merged_into {
        return Err(Invalid::one(
            "into",
            "already_merged",
            format!("contribution {keep} was itself merged into {m}; merge into {m}"),
        )
        .into());
    }
    if let Some(m) = d.merged_into {
        return Err(StoreError::Conflict(format!(
            "contribution {duplicate} is already merged into {m}"
        )));
    }
    if (
        k.donor.as_str(),
        k.recipient.as_str(),
        k.kind.as_str(),
        &k.item,
        &k.currency,
    ) != (
        d.donor.as_str(),
        d.recipient.as_str(),
        d.kind.as_str(),
        &d.item,
        &d.currency,
    ) {
        return Err(Invalid::one(
            "into",
            "not_the_same_flow",
            format!("contributions {keep} and {duplicate} differ in donor, recipient, item or currency; only reports of one flow can be merged"),
        )
        .into());
    }
    let before = snapshot(&d, &load_snapshot_parts(conn, &[duplicate]).await?)?;
    sqlx::query("UPDATE contributions SET merged_into = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4")
        .bind(keep)
        .bind(now())
        .bind(&actor.0)
        .bind(duplicate)
        .execute(&mut *conn)
        .await?;
    record_version(conn, duplicate, actor, "contribution.merge", Some(&before)).await?;
    let mut need_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT need_id FROM contribution_links WHERE contribution_id IN ($1, $2) AND removed_at IS NULL",
    )
    .bind(keep)
    .bind(duplicate)
    .fetch_all(&mut *conn)
    .await?;
    need_ids.sort_unstable();
    need_ids.dedup();
    needs::refresh_statuses(conn, actor, &need_ids).await
}

/// Which side of a flow a report comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Donor,
    Receiving,
}

impl Side {
    fn as_str(self) -> &'static str {
        match self {
            Self::Donor => "donor",
            Self::Receiving => "receiving",
        }
    }

    fn other(self) -> Self {
        match self {
            Self::Donor => Self::Receiving,
            Self::Receiving => Self::Donor,
        }
    }
}

/// The user recording, if a user is: administrators' and the command
/// line's reports come from no side.
pub(super) async fn reporter(conn: &mut Conn, actor: &Actor) -> Result<Option<crate::model::User>> {
    let Some(uid) = actor.0.strip_prefix("user:").and_then(|s| s.parse::<i64>().ok()) else {
        return Ok(None);
    };
    Ok(Some(super::users::by_id(conn, uid).await?))
}

/// The side a user reports from: a partner of the donor reports as the
/// donor; a partner of the recipient or channel, or a focal point of the
/// recipient state, as the receiving side. Administrators report from no side.
fn side_of(u: &crate::model::User, donor: &str, recipient: &str, channel: Option<&str>) -> Option<Side> {
    let org = u.org.as_deref();
    match u.role {
        crate::model::Role::Partner if org == Some(donor) => Some(Side::Donor),
        crate::model::Role::Partner if org == Some(recipient) || (org.is_some() && org == channel) => {
            Some(Side::Receiving)
        }
        crate::model::Role::FocalPoint if u.country.as_deref() == Some(recipient) => Some(Side::Receiving),
        _ => None,
    }
}

/// The date a contribution was first recorded at.
async fn first_date(conn: &mut Conn, id: i64) -> Result<NaiveDate> {
    Ok(
        sqlx::query_scalar("SELECT MIN(stage_date) FROM contribution_events WHERE contribution_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Match tolerances: quantities within 5%, first dates within 30 days.
const MATCH_TOLERANCE: f64 = 0.05;
const MATCH_DAYS: i64 = 30;

/// A report from one side of a flow that the other side already reported
/// is matched as one: when exactly one report from the other side fits, and
/// it has no counterpart from this side yet, the two are merged at once,
/// keeping both histories. Two reports from the same side are never merged
/// here, however alike: a second shipment is not a duplicate. Anything less
/// certain is left to `reconcile` and a person.
async fn auto_match(conn: &mut Conn, actor: &Actor, id: i64, kind: WriteKind) -> Result<()> {
    let new = load_row(conn, id).await?;
    let Some(side) = new.reported_side.as_deref().and_then(|s| match s {
        "donor" => Some(Side::Donor),
        "receiving" => Some(Side::Receiving),
        _ => None,
    }) else {
        return Ok(());
    };
    let new_date = first_date(conn, id).await?;
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT k.id FROM contributions k WHERE {} AND k.donor = $2 AND k.recipient = $3 AND k.kind = $4
           AND COALESCE(k.item, '') = COALESCE($5, '') AND COALESCE(k.currency, '') = COALESCE($6, '')
           AND k.merged_into IS NULL AND k.deleted_at IS NULL AND k.stage <> 'cancelled' AND k.reported_side = $7
           AND NOT EXISTS (SELECT 1 FROM contributions m WHERE m.merged_into = k.id AND m.reported_side = $8)
         ORDER BY k.id",
        earlier_than(kind, "k.id", "$1")
    )))
    .bind(id)
    .bind(&new.donor)
    .bind(&new.recipient)
    .bind(&new.kind)
    .bind(&new.item)
    .bind(&new.currency)
    .bind(side.other().as_str())
    .bind(side.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut matches = Vec::new();
    for cid in ids {
        let other = load_row(conn, cid).await?;
        let (a, b) = (new.quantity as f64, other.quantity as f64);
        if (a - b).abs() > MATCH_TOLERANCE * a.max(b) {
            continue;
        }
        let other_date = first_date(conn, cid).await?;
        if (new_date - other_date).num_days().abs() > MATCH_DAYS {
            continue;
        }
        matches.push(other);
    }
    if let [other] = matches.as_slice() {
        let rank =
            |r: &Row_| Stage::parse(&r.stage).map_or(0, |s| Stage::ALL.iter().position(|x| *x == s).unwrap_or(0));
        let (keep, dup) = if rank(&new) > rank(other) {
            (id, other.id)
        } else {
            (other.id, id)
        };
        merge(conn, actor, keep, dup).await?;
    }
    Ok(())
}

/// The earmark report's flows (see `Store::earmark_flows`): three reads of
/// only the columns it follows, not the contribution list's full records.
pub(super) async fn earmark_flows(conn: &mut Conn) -> Result<Vec<FlowRow>> {
    const EARMARKED: &str =
        "EXISTS (SELECT 1 FROM contribution_earmarks e WHERE e.contribution_id = k.id AND e.removed_at IS NULL)";
    let funded = Stage::ALL
        .iter()
        .filter(|s| s.is_funded())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    // Three statements, whatever the number of flows: the flows with the
    // date each first reached a funded stage (one indexed lookup a row),
    // then the earmarks, which are all on flows of this set (a contribution
    // with an earmark is one).
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT k.id, k.donor, k.recipient, k.item, k.quantity, k.value_cents, k.stage, k.stage_date,
            (SELECT MIN(ev.stage_date) FROM contribution_events ev
              WHERE ev.contribution_id = k.id AND ev.to_stage IN ({funded})) AS first_funded
         FROM contributions k
         WHERE k.deleted_at IS NULL AND k.merged_into IS NULL
           AND ({EARMARKED}
                OR k.donor IN (SELECT k.recipient FROM contributions k WHERE k.deleted_at IS NULL AND {EARMARKED}))
         ORDER BY k.id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut flows = Vec::with_capacity(rows.len());
    for r in &rows {
        let stage: String = r.try_get("stage")?;
        flows.push(FlowRow {
            id: r.try_get("id")?,
            donor: r.try_get("donor")?,
            recipient: r.try_get("recipient")?,
            item: r.try_get("item")?,
            quantity: r.try_get("quantity")?,
            value_cents: r.try_get("value_cents")?,
            stage: Stage::parse(&stage).ok_or_else(|| StoreError::Internal(format!("unknown stage {stage}")))?,
            stage_date: r.try_get("stage_date")?,
            first_funded_event: r.try_get("first_funded")?,
            earmarks: Vec::new(),
        });
    }
    let at: HashMap<i64, usize> = flows.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    let earmarks = sqlx::query(
        "SELECT e.contribution_id, e.target, e.share_bp, e.amount
         FROM contribution_earmarks e JOIN contributions k ON k.id = e.contribution_id
         WHERE e.removed_at IS NULL AND k.deleted_at IS NULL
         ORDER BY e.contribution_id, e.seq",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in earmarks {
        if let Some(&i) = at.get(&r.try_get::<i64, _>("contribution_id")?) {
            flows[i].earmarks.push(FlowEarmark {
                target: r.try_get("target")?,
                share_bp: r.try_get("share_bp")?,
                amount: r.try_get("amount")?,
            });
        }
    }
    Ok(flows)
}

#[cfg(test)]
mod tests {
    /// `select_returned` is made from `SELECT` by cutting at its FROM: were
    /// that text to change, the one-statement pledge would read the table
    /// again instead of the row it wrote.
    #[test]
    fn the_pledge_statement_selects_the_row_it_wrote() {
        let sql = super::select_returned();
        assert!(sql.ends_with(" FROM k LEFT JOIN items i ON i.code = k.item"), "{sql}");
        assert!(!sql.contains("FROM contributions"), "{sql}");
        assert!(sql.contains("i.decimals"), "{sql}");
    }
}
