//! `needsdb contributions ...`

use super::args::{AddContribution, ContributionsCmd};
use super::{Format, output, store};
use crate::services::access;
use needsdb_domain::{ContributionEdit, FieldError, Invalid, NewContribution, NewDelivery, NewEarmark, NewLink, Stage};
use needsdb_store::{ContributionQuery, StageChange, StoreError};
use serde_json::Value;
use std::io::Write;

const LIST_COLUMNS: &[&str] = &[
    "id",
    "stage",
    "donor",
    "recipient",
    "channel",
    "item",
    "quantity",
    "unit",
    "usd_value",
    "stage_date",
    "counted",
];
const SHOW_COLUMNS: &[&str] = &[
    "id",
    "version",
    "stage",
    "funded",
    "stage_date",
    "donor",
    "recipient",
    "channel",
    "kind",
    "item",
    "quantity",
    "unit",
    "delivered",
    "outstanding",
    "currency",
    "usd_rate",
    "usd_value",
    "usd_value_estimated",
    "counted",
    "merged_into",
    "reported_side",
    "sector",
    "source_url",
    "description",
    "external_id",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// `12=60` links 60 (in the contribution's unit) to need 12.
fn parse_link(i: usize, s: &str) -> Result<NewLink, FieldError> {
    NewLink::from_text(&format!("link[{i}]"), s)
}

/// `nam-members=50%` earmarks a share; `who:AFR=2000000` an amount.
fn parse_earmark(i: usize, s: &str) -> Result<NewEarmark, FieldError> {
    NewEarmark::from_text(&format!("earmark[{i}]"), s)
}

/// Parses repeated `--earmark TARGET=SHARE%` flags.
pub fn parse_earmarks(items: &[String]) -> Result<Vec<NewEarmark>, StoreError> {
    collect(items, parse_earmark)
}

fn collect<T>(items: &[String], parse: fn(usize, &str) -> Result<T, FieldError>) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (i, s) in items.iter().enumerate() {
        match parse(i, s) {
            Ok(v) => out.push(v),
            Err(e) => errs.push(e),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(StoreError::Invalid(Invalid(errs)))
    }
}

pub async fn run(db: &str, fmt: Format, cmd: ContributionsCmd, as_user: Option<&str>) -> anyhow::Result<()> {
    let s = store(db).await?;
    let who = super::acting(s.as_ref(), as_user).await?;
    let caller = who.user.as_ref();
    if who.checked() {
        access::user(caller)?;
    }
    match cmd {
        ContributionsCmd::List {
            donor,
            recipient,
            item,
            stage,
            limit,
            sort,
            cursor,
        } => {
            let q = ContributionQuery {
                donor,
                recipient,
                item,
                stage,
                limit: Some(limit),
                sort,
                cursor,
                ..Default::default()
            };
            let page = s.contributions(&q).await?;
            let rows: Vec<Value> = page
                .items
                .into_iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, LIST_COLUMNS, Some((page.total, page.next)))
        }
        ContributionsCmd::Add(add) => {
            let AddContribution {
                donor,
                recipient,
                channel,
                item,
                quantity,
                amount,
                currency,
                usd_rate,
                stage,
                date,
                source_url,
                description,
                external_id,
                usd_value,
                sector,
                links,
                earmarks,
            } = *add;
            let text = |v: Option<String>| v.map(Value::String);
            let input = NewContribution {
                donor: Some(donor),
                recipient: Some(recipient),
                channel,
                item,
                quantity: text(quantity),
                amount: text(amount),
                currency,
                usd_rate: text(usd_rate),
                stage,
                stage_date: date,
                source_url,
                description,
                external_id,
                usd_value: text(usd_value),
                sector,
                links: collect(&links, parse_link)?,
                earmarks: collect(&earmarks, parse_earmark)?,
            };
            if who.checked() {
                let up = |v: &Option<String>| v.as_deref().map(|x| x.trim().to_ascii_uppercase());
                let stage = input.stage.as_deref().and_then(Stage::parse).unwrap_or(Stage::Pledged);
                access::may_create_contribution(
                    caller,
                    &up(&input.donor).unwrap_or_default(),
                    &up(&input.recipient).unwrap_or_default(),
                    up(&input.channel).as_deref(),
                    stage,
                )?;
            }
            let c = s.create_contribution(&who.actor, &input).await?;
            show(fmt, serde_json::to_value(c)?)
        }
        ContributionsCmd::Advance {
            id,
            to,
            date,
            note,
            source_url,
        } => {
            if who.checked() {
                let c = s.contribution(id).await?;
                let st = Stage::parse(&to).unwrap_or(Stage::Pledged);
                access::may_advance(caller, &c.donor, &c.recipient, st)?;
            }
            let c = s
                .advance_contribution(
                    &who.actor,
                    id,
                    None,
                    &StageChange {
                        to: Some(to),
                        date,
                        note,
                        source_url,
                    },
                )
                .await?;
            show(fmt, serde_json::to_value(c)?)
        }
        ContributionsCmd::Merge { keep, duplicate } => {
            if who.checked() {
                access::require(caller, &[needsdb_store::Role::Admin, needsdb_store::Role::Secretariat])?;
            }
            show(
                fmt,
                serde_json::to_value(s.merge_contributions(&who.actor, keep, duplicate).await?)?,
            )
        }
        ContributionsCmd::Edit(e) => {
            let e = *e;
            if who.checked() {
                let c = s.contribution(e.id).await?;
                access::may_edit_contribution(caller, &c.donor)?;
            }
            let text = |v: Option<String>| v.map(Value::String);
            let links = match (e.no_links, e.links.is_empty()) {
                (true, _) => Some(Vec::new()),
                (false, false) => Some(collect(&e.links, parse_link)?),
                (false, true) => None,
            };
            let earmarks = match (e.no_earmarks, e.earmarks.is_empty()) {
                (true, _) => Some(Vec::new()),
                (false, false) => Some(parse_earmarks(&e.earmarks)?),
                (false, true) => None,
            };
            let edit = ContributionEdit {
                channel: e.channel,
                quantity: text(e.quantity),
                amount: text(e.amount),
                usd_rate: text(e.usd_rate),
                usd_value: text(e.usd_value),
                stage_date: e.date,
                source_url: e.source_url,
                description: e.description,
                external_id: e.external_id,
                sector: e.sector,
                links,
                earmarks,
            };
            let c = s.update_contribution(&who.actor, e.id, None, &edit).await?;
            show(fmt, serde_json::to_value(c)?)
        }
        ContributionsCmd::Deliver {
            id,
            quantity,
            date,
            note,
            source_url,
        } => {
            if who.checked() {
                let c = s.contribution(id).await?;
                access::may_advance(caller, &c.donor, &c.recipient, Stage::Delivered)?;
            }
            let delivery = NewDelivery {
                quantity: Some(Value::String(quantity)),
                date,
                note,
                source_url,
            };
            let c = s.confirm_delivery(&who.actor, id, None, &delivery).await?;
            show(fmt, serde_json::to_value(c)?)
        }
        ContributionsCmd::Show { id } => show(fmt, serde_json::to_value(s.contribution(id).await?)?),
    }
}

fn show(fmt: Format, c: Value) -> anyhow::Result<()> {
    output::print_value(fmt, &c, SHOW_COLUMNS)?;
    if fmt == Format::Table {
        for (title, key, cols) in [
            ("links", "links", &["need", "quantity"][..]),
            ("earmarks", "earmarks", &["target", "share_percent", "amount"][..]),
            ("stages", "events", &["from", "to", "date", "actor", "note"][..]),
            (
                "deliveries",
                "deliveries",
                &["quantity", "date", "recorded_by", "note"][..],
            ),
        ] {
            if let Some(Value::Array(rows)) = c.get(key)
                && !rows.is_empty()
            {
                writeln!(std::io::stdout(), "\n{title}:")?;
                output::print_rows(fmt, rows, cols, None)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_earmarks_parse() {
        let l = parse_link(0, "12=60").unwrap();
        assert_eq!((l.need, l.quantity), (Some(12), Some(Value::String("60".into()))));
        assert_eq!(parse_link(1, "12").unwrap_err().field, "link[1]");
        let e = parse_earmark(0, "nam-members=50%").unwrap();
        assert_eq!(
            (e.target.as_deref(), e.share_percent),
            (Some("nam-members"), Some(Value::String("50".into())))
        );
        let e = parse_earmark(0, "who:AFR=2000000").unwrap();
        assert_eq!(
            (e.target.as_deref(), e.amount),
            (Some("who:AFR"), Some(Value::String("2000000".into())))
        );
    }
}
