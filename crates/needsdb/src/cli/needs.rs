//! `needsdb needs ...`

use super::args::{NeedFields, NeedFilters, NeedsCmd};
use super::{Format, output, store};
use needsdb_domain::{Invalid, NewNeed, need::parse_date};
use needsdb_store::{Actor, NeedQuery, StatusChange, StoreError};
use serde_json::Value;

pub const LIST_COLUMNS: &[&str] = &[
    "id",
    "status",
    "country",
    "item",
    "quantity",
    "unit",
    "priority",
    "needed_by",
    "coverage.committed",
    "coverage.unmet",
    "coverage.coverage_pct",
];

const SHOW_COLUMNS: &[&str] = &[
    "id",
    "version",
    "status",
    "country",
    "country_name",
    "place",
    "pcode",
    "item",
    "item_name",
    "cluster",
    "quantity",
    "unit",
    "amount",
    "currency",
    "usd_rate",
    "priority",
    "needed_by",
    "justification",
    "reported_via",
    "external_id",
    "coverage.needed",
    "coverage.announced",
    "coverage.pledged",
    "coverage.committed",
    "coverage.delivered",
    "coverage.unmet",
    "coverage.coverage_pct",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

pub fn query(f: NeedFilters) -> Result<NeedQuery, StoreError> {
    let date = |field: &str, v: Option<String>| -> Result<Option<chrono::NaiveDate>, StoreError> {
        v.map(|s| parse_date(field, &s).map_err(|e| StoreError::Invalid(e.into())))
            .transpose()
    };
    Ok(NeedQuery {
        country: f.country,
        nam_status: f.nam_status,
        region: f.region,
        who_region: f.who_region,
        income_group: f.income_group,
        cluster: f.cluster,
        item: f.item,
        priority: f.priority,
        status: f.status,
        needed_from: date("needed_from", f.needed_from)?,
        needed_to: date("needed_to", f.needed_to)?,
        sort: f.sort,
        cursor: f.cursor,
        limit: Some(f.limit),
        ..Default::default()
    })
}

fn input(f: NeedFields) -> NewNeed {
    let text = |v: Option<String>| v.map(Value::String);
    NewNeed {
        country: f.country,
        place: f.place,
        pcode: f.pcode,
        item: f.item,
        quantity: text(f.quantity),
        amount: text(f.amount),
        currency: f.currency,
        usd_rate: text(f.usd_rate),
        priority: f.priority,
        needed_by: f.needed_by,
        justification: f.justification,
        reported_via: Some("cli".into()),
        external_id: f.external_id,
    }
}

pub async fn run(db: &str, fmt: Format, cmd: NeedsCmd) -> anyhow::Result<()> {
    match cmd {
        NeedsCmd::List(filters) => {
            let q = query(filters)?;
            let s = store(db).await?;
            let page = s.needs(&q).await?;
            let rows: Vec<Value> = page
                .items
                .into_iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, LIST_COLUMNS, Some((page.total, page.next)))
        }
        NeedsCmd::Add { fields, submit } => {
            let s = store(db).await?;
            let n = s.create_need(&Actor::cli(), &input(fields), submit).await?;
            output::print_value(fmt, &serde_json::to_value(n)?, SHOW_COLUMNS)
        }
        NeedsCmd::Show { id } => {
            let s = store(db).await?;
            let n = serde_json::to_value(s.need(id).await?)?;
            let history = s.need_history(id).await?;
            match fmt {
                Format::Json => {
                    let mut v = n;
                    if let Value::Object(m) = &mut v {
                        m.insert("history".into(), serde_json::to_value(&history)?);
                    }
                    output::print_value(fmt, &v, &[])
                }
                Format::Csv => output::print_value(fmt, &n, &[]),
                Format::Table => {
                    output::print_value(fmt, &n, SHOW_COLUMNS)?;
                    println!();
                    let rows: Vec<Value> = history
                        .iter()
                        .map(|v| serde_json::json!({"version": v.version, "changed_at": v.changed_at, "changed_by": v.changed_by, "status": v.data["status"]}))
                        .collect();
                    output::print_rows(fmt, &rows, &["version", "status", "changed_at", "changed_by"], None)
                }
            }
        }
        NeedsCmd::Status { id, to, note } => {
            if to.trim().is_empty() {
                return Err(StoreError::Invalid(Invalid::one("to", "required", "give the new status")).into());
            }
            let s = store(db).await?;
            let n = s
                .change_need_status(&Actor::cli(), id, None, &StatusChange { to: Some(to), note })
                .await?;
            output::print_value(
                fmt,
                &serde_json::to_value(n)?,
                &["id", "version", "status", "country", "item", "quantity", "unit"],
            )
        }
    }
}
