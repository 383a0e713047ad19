//! Coverage, series, equity, earmarks, offers and follow-up, as tables, JSON or CSV.

use super::args::NeedFilters;
use super::{Format, output, store};
use crate::services::analysis;
use needsdb_domain::Invalid;
use needsdb_store::{CoverageBy, NeedQuery, StoreError};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

fn rows<T: Serialize>(items: &[T]) -> anyhow::Result<Vec<Value>> {
    Ok(items.iter().map(serde_json::to_value).collect::<Result<_, _>>()?)
}

pub async fn coverage(db: &str, fmt: Format, by: &str, measure: &str, filters: NeedFilters) -> anyhow::Result<()> {
    let by = CoverageBy::parse(by).ok_or_else(|| {
        let all: Vec<&str> = CoverageBy::ALL.iter().map(|b| b.as_str()).collect();
        StoreError::Invalid(Invalid::one(
            "by",
            "invalid_choice",
            format!("'{by}' is not a grouping (use one of {})", all.join(", ")),
        ))
    })?;
    let q = super::needs::query(filters)?;
    let s = store(db).await?;
    let columns = [
        "group",
        "item",
        "unit",
        "needs",
        "needed",
        "announced",
        "pledged",
        "committed",
        "delivered",
        "unmet",
        "coverage_pct",
    ];
    match measure {
        "units" => output::print_rows(fmt, &rows(&s.coverage(by, &q).await?)?, &columns, None),
        "usd" => {
            let r = s.coverage_usd(by, &q).await?;
            let mut cols: Vec<&str> = columns.iter().copied().filter(|c| *c != "item").collect();
            cols.insert(3, "unvalued_needs");
            output::print_rows(fmt, &rows(&r)?, &cols, None)
        }
        other => Err(StoreError::Invalid(Invalid::one(
            "measure",
            "invalid_choice",
            format!("'{other}' is not a measure (units or usd)"),
        ))
        .into()),
    }
}

pub async fn series(db: &str, fmt: Format, item: &str) -> anyhow::Result<()> {
    let s = store(db).await?;
    let r = s.monthly(&item.trim().to_ascii_uppercase()).await?;
    output::print_rows(
        fmt,
        &rows(&r)?,
        &["month", "needed", "announced", "pledged", "committed", "delivered"],
        None,
    )
}

pub async fn top_unmet(db: &str, fmt: Format, limit: usize) -> anyhow::Result<()> {
    let s = store(db).await?;
    let r = analysis::top_unmet_critical(s.as_ref(), limit, None).await?;
    output::print_rows(fmt, &rows(&r)?, super::needs::LIST_COLUMNS, None)
}

pub async fn equity(
    db: &str,
    fmt: Format,
    item: Option<String>,
    group: Option<String>,
    states_only: bool,
) -> anyhow::Result<()> {
    let s = store(db).await?;
    let entities = if states_only {
        analysis::Entities::States
    } else {
        analysis::Entities::All
    };
    let e = analysis::equity(s.as_ref(), item.as_deref(), group.as_deref(), entities).await?;
    match fmt {
        Format::Json => output::print_value(fmt, &serde_json::to_value(&e)?, &[]),
        Format::Csv => output::print_rows(fmt, &rows(&e.per_person)?, &[], None),
        Format::Table => {
            let gini = e
                .gini
                .map_or_else(|| "not defined (nothing delivered)".to_owned(), |g| g.to_string());
            writeln!(
                std::io::stdout(),
                "{}\nCounted: {}.\nDelivered in {}.\nGini coefficient (per person, population-weighted): {gini}\n",
                e.summary,
                e.counted.description,
                e.unit
            )?;
            let cols = [
                "group",
                "states",
                "population_share_pct",
                "delivered_share_pct",
                "population",
                "delivered",
            ];
            output::print_rows(fmt, &rows(&e.by_income_group)?, &cols, None)?;
            writeln!(std::io::stdout())?;
            output::print_rows(fmt, &rows(&e.by_region)?, &cols, None)
        }
    }
}

pub async fn earmarks(db: &str, fmt: Format) -> anyhow::Result<()> {
    let s = store(db).await?;
    let r = analysis::earmark_report(s.as_ref()).await?;
    output::print_rows(
        fmt,
        &rows(&r)?,
        &[
            "contribution",
            "donor",
            "recipient",
            "target",
            "status",
            "earmarked",
            "reached",
            "shortfall",
            "flagged",
        ],
        None,
    )
}

pub async fn offer(
    db: &str,
    fmt: Format,
    item: &str,
    quantity: &str,
    region: Option<String>,
    nam_only: bool,
    countries: Option<String>,
) -> anyhow::Result<()> {
    let s = store(db).await?;
    let q = NeedQuery {
        region,
        country: countries,
        nam_status: nam_only.then(|| "member".to_owned()),
        ..Default::default()
    };
    let r = analysis::match_offer(s.as_ref(), &item.trim().to_ascii_uppercase(), quantity, q).await?;
    output::print_rows(
        fmt,
        &rows(&r)?,
        &[
            "need",
            "country",
            "priority",
            "needed_by",
            "open",
            "unmet_share_pct",
            "give",
        ],
        None,
    )
}

pub async fn follow_up(db: &str, fmt: Format, days: i64, filter: &analysis::FollowUpFilter) -> anyhow::Result<()> {
    let s = store(db).await?;
    let r = analysis::follow_up(s.as_ref(), days, filter).await?;
    output::print_rows(
        fmt,
        &rows(&r)?,
        &[
            "contribution",
            "stage",
            "since",
            "days_waiting",
            "donor",
            "recipient",
            "quantity",
            "outstanding",
            "unit",
        ],
        None,
    )
}

pub async fn reconcile(db: &str, fmt: Format, tolerance: f64, days: i64, apply: bool) -> anyhow::Result<()> {
    let s = store(db).await?;
    let pairs = analysis::reconcile(s.as_ref(), tolerance, days).await?;
    output::print_rows(
        fmt,
        &rows(&pairs)?,
        &[
            "kind",
            "keep",
            "duplicate",
            "donor",
            "recipient",
            "what",
            "quantities",
            "days_apart",
            "reported_by",
        ],
        None,
    )?;
    if apply {
        let n = analysis::apply_matches(s.as_ref(), &needsdb_store::Actor::cli(), &pairs).await?;
        eprintln!(
            "Merged {n} matched pair(s); suspected duplicates are left for you: needsdb contributions merge KEEP DUPLICATE"
        );
    }
    Ok(())
}

pub async fn proposals(db: &str, fmt: Format, cmd: super::args::ProposalsCmd) -> anyhow::Result<()> {
    use super::args::ProposalsCmd;
    let s = store(db).await?;
    let actor = needsdb_store::Actor::cli();
    let cols = [
        "id",
        "item",
        "supplier",
        "status",
        "created_at",
        "created_by",
        "decided_at",
        "contributions",
    ];
    let p = match cmd {
        ProposalsCmd::List => return output::print_rows(fmt, &rows(&s.proposals().await?)?, &cols, None),
        ProposalsCmd::Show { id } => s.proposal(id).await?,
        ProposalsCmd::Commit { id } => crate::services::allocate::commit(s.as_ref(), &actor, id).await?,
        ProposalsCmd::Withdraw { id } => s.withdraw_proposal(&actor, id).await?,
    };
    output::print_value(fmt, &serde_json::to_value(&p)?, &cols)
}
