//! `needsdb needs ...`

use super::args::{NeedFields, NeedFilters, NeedsCmd};
use super::{Format, output, store};
use crate::services::access;
use needsdb_domain::{Invalid, NewNeed, need::parse_date};
use needsdb_store::{NeedQuery, StatusChange, StoreError};
use serde_json::Value;
use std::io::Write;

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
        people_in_need: text(f.people_in_need),
        people_targeted: text(f.people_targeted),
        people_source: f.people_source,
        outcome: f.outcome,
    }
}

pub async fn run(db: &str, fmt: Format, cmd: NeedsCmd, as_user: Option<&str>) -> anyhow::Result<()> {
    let s = store(db).await?;
    let who = super::acting(s.as_ref(), as_user).await?;
    let caller = who.user.as_ref();
    match cmd {
        NeedsCmd::List(filters) => {
            let mut q = query(filters)?;
            if who.checked() {
                q.scope = access::need_scope(caller)?;
            }
            let page = s.needs(&q).await?;
            let rows: Vec<Value> = page
                .items
                .into_iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, LIST_COLUMNS, Some((page.total, page.next)))
        }
        NeedsCmd::Add { fields, submit } => {
            let input = input(fields);
            if who.checked() {
                access::may_write_need(
                    caller,
                    &input.country.clone().unwrap_or_default().trim().to_ascii_uppercase(),
                )?;
            }
            let n = s.create_need(&who.actor, &input, submit).await?;
            output::print_value(fmt, &serde_json::to_value(n)?, SHOW_COLUMNS)
        }
        NeedsCmd::Show { id } => {
            let need = s.need(id).await?;
            if who.checked() && !access::can_see_need(&access::need_scope(caller)?, &need.country, need.status) {
                return Err(StoreError::not_found("need", id).into());
            }
            let n = serde_json::to_value(need)?;
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
                    writeln!(std::io::stdout())?;
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
            if who.checked() {
                let need = s.need(id).await?;
                if !access::can_see_need(&access::need_scope(caller)?, &need.country, need.status) {
                    return Err(StoreError::not_found("need", id).into());
                }
                match needsdb_domain::NeedStatus::parse(&to) {
                    Some(st) => access::may_set_need_status(caller, &need.country, st)?,
                    None => access::may_write_need(caller, &need.country)?,
                };
            }
            let n = s
                .change_need_status(&who.actor, id, None, &StatusChange { to: Some(to), note })
                .await?;
            output::print_value(
                fmt,
                &serde_json::to_value(n)?,
                &["id", "version", "status", "country", "item", "quantity", "unit"],
            )
        }
    }
}
