//! Analyses over the store, shared by the CLI and the API: equity, earmark
//! follow-through, matching an offer to open needs, and follow-up of
//! announcements and pledges that were never committed.

use chrono::{Duration, NaiveDate, Utc};
use needsdb_domain::equity::{self, Equity, StateFigure};
use needsdb_domain::{Catalog, EarmarkTarget, Invalid, ItemCode, NeedStatus};
use needsdb_store::{Contribution, ContributionQuery, CountryFilter, Need, NeedQuery, Page, Store, StoreError};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

fn catalog() -> Result<Catalog, StoreError> {
    let r = needsdb_domain::reference::embedded().map_err(|e| StoreError::Internal(e.to_string()))?;
    Ok(Catalog::from_reference(r))
}

/// Every page of a need query.
pub async fn all_needs(store: &dyn Store, q: &NeedQuery) -> Result<Vec<Need>, StoreError> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page: Page<Need> = store
            .needs(&NeedQuery {
                cursor,
                limit: Some(needsdb_store::MAX_PAGE),
                ..q.clone()
            })
            .await?;
        out.extend(page.items);
        match page.next {
            Some(n) => cursor = Some(n),
            None => return Ok(out),
        }
    }
}

/// Every page of a contribution query.
pub async fn all_contributions(store: &dyn Store, q: &ContributionQuery) -> Result<Vec<Contribution>, StoreError> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .contributions(&ContributionQuery {
                cursor,
                limit: Some(needsdb_store::MAX_PAGE),
                ..q.clone()
            })
            .await?;
        out.extend(page.items);
        match page.next {
            Some(n) => cursor = Some(n),
            None => return Ok(out),
        }
    }
}

/// Equity of deliveries of an item (or of cash, with no item) among the
/// states of `group` (every state by default).
pub async fn equity(store: &dyn Store, item: Option<&str>, group: Option<&str>) -> Result<Equity, StoreError> {
    let catalog = catalog()?;
    let target = group
        .map(|g| EarmarkTarget::parse("group", g, &catalog))
        .transpose()
        .map_err(Invalid::from)?;
    let (unit, decimals_item) = match item {
        Some(code) => {
            let c = ItemCode::parse("item", code).map_err(Invalid::from)?;
            let items = store.items().await?;
            let it = items.iter().find(|i| i.code == c).ok_or_else(|| {
                Invalid::one("item", "unknown_item", format!("'{code}' is not in the item catalogue"))
            })?;
            (format!("{} ({})", it.name_en, it.unit), Some(it.code.to_string()))
        }
        None => ("US dollars of cash".to_owned(), None),
    };
    let delivered: std::collections::HashMap<String, i64> = store
        .delivered_by_country(decimals_item.as_deref())
        .await?
        .into_iter()
        .collect();
    let countries = store.countries(&CountryFilter::default()).await?;
    let states: Vec<StateFigure> = countries
        .into_iter()
        .filter(|c| {
            target.as_ref().is_none_or(|t| {
                catalog
                    .countries
                    .iter()
                    .find(|(k, _)| k.as_str() == c.iso3)
                    .is_some_and(|(_, f)| t.matches(f, None))
            })
        })
        .map(|c| StateFigure {
            delivered: delivered.get(&c.iso3).copied().unwrap_or(0),
            population: c.population.unwrap_or(0),
            income_group: c
                .income_group
                .as_deref()
                .and_then(needsdb_domain::reference::IncomeGroup::parse),
            region: c.region.clone(),
            iso3: c.iso3,
            name: c.name_en,
        })
        .collect();
    Ok(equity::report(&states, &unit))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EarmarkLine {
    pub contribution: i64,
    pub donor: String,
    pub recipient: String,
    pub target: String,
    /// The earmarked amount, in the contribution's unit (US dollars for cash).
    pub earmarked: f64,
    /// How much reached the group: the contribution itself when its
    /// recipient is in the group, plus what its recipient (or channel)
    /// passed on to the group, first come first served between earmarks.
    pub reached: f64,
    pub shortfall: f64,
    pub flagged: bool,
}

/// Follows every earmark through to the earmarked group.
pub async fn earmark_report(store: &dyn Store) -> Result<Vec<EarmarkLine>, StoreError> {
    let catalog = catalog()?;
    let mut all = all_contributions(store, &ContributionQuery::default()).await?;
    all.retain(|c| c.merged_into.is_none());
    let value = |c: &Contribution| -> f64 {
        c.usd_value
            .as_ref()
            .or(Some(&c.quantity))
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
    };
    let in_group = |t: &EarmarkTarget, c: &Contribution| -> bool {
        let cluster = c
            .item
            .as_deref()
            .and_then(|i| catalog.items.iter().find(|(k, _)| k.as_str() == i))
            .map(|(_, it)| it.cluster.as_str());
        if let EarmarkTarget::Cluster(want) = t {
            return cluster == Some(want.as_str());
        }
        catalog
            .countries
            .iter()
            .find(|(k, _)| k.as_str() == c.recipient)
            .is_some_and(|(_, f)| t.matches(f, cluster))
    };
    // What each intermediary passed on, per group, not yet claimed by an earmark.
    let mut claimed: std::collections::HashMap<(String, String), f64> = std::collections::HashMap::new();
    let mut out = Vec::new();
    let mut earmarked: Vec<&Contribution> = all
        .iter()
        .filter(|c| !c.earmarks.is_empty() && c.stage.is_funded())
        .collect();
    earmarked.sort_by_key(|c| (c.stage_date, c.id));
    for c in earmarked {
        let total = value(c);
        for e in &c.earmarks {
            let Ok(target) = EarmarkTarget::parse("target", &e.target, &catalog) else {
                continue;
            };
            let amount = match (&e.share_percent, &e.amount) {
                (Some(p), _) => total * p.as_f64().unwrap_or(0.0) / 100.0,
                (None, Some(a)) => {
                    a.as_f64().unwrap_or(0.0)
                        * if c.usd_value.is_some() {
                            total / c.quantity.as_f64().unwrap_or(1.0).max(f64::MIN_POSITIVE)
                        } else {
                            1.0
                        }
                }
                (None, None) => 0.0,
            };
            let direct = if in_group(&target, c) { total } else { 0.0 };
            let onward: f64 = all
                .iter()
                .filter(|o| o.id != c.id && o.stage.is_funded() && o.stage_date >= c.stage_date)
                .filter(|o| o.donor == c.recipient || o.channel.as_deref() == Some(c.recipient.as_str()))
                .filter(|o| o.kind == c.kind && (c.kind == needsdb_domain::ContributionKind::Cash || o.item == c.item))
                .filter(|o| in_group(&target, o))
                .map(value)
                .sum();
            let key = (c.recipient.clone(), e.target.clone());
            let used = claimed.get(&key).copied().unwrap_or(0.0);
            let reached = (direct + (onward - used).max(0.0)).min(amount);
            claimed.insert(key, used + (reached - direct).max(0.0));
            let shortfall = (amount - reached).max(0.0);
            out.push(EarmarkLine {
                contribution: c.id,
                donor: c.donor.clone(),
                recipient: c.recipient.clone(),
                target: e.target.clone(),
                earmarked: (amount * 100.0).round() / 100.0,
                reached: (reached * 100.0).round() / 100.0,
                shortfall: (shortfall * 100.0).round() / 100.0,
                flagged: shortfall > 0.005,
            });
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferLine {
    pub need: i64,
    pub country: String,
    pub priority: String,
    pub needed_by: NaiveDate,
    pub unmet: Value,
    pub unmet_share_pct: f64,
    /// What to give this need, in rank order until the offer runs out.
    pub give: Value,
}

/// Open needs an offer could fill, ranked by priority, date needed and unmet
/// share, with the amount to give each.
pub async fn match_offer(
    store: &dyn Store,
    item: &str,
    quantity: f64,
    mut q: NeedQuery,
) -> Result<Vec<OfferLine>, StoreError> {
    if !(quantity.is_finite() && quantity > 0.0) {
        return Err(Invalid::one(
            "quantity",
            "not_positive",
            "the offer's quantity must be more than zero",
        )
        .into());
    }
    q.item = Some(item.to_owned());
    q.status = Some("validated,partly_met".into());
    let mut needs = all_needs(store, &q).await?;
    let unmet = |n: &Need| n.coverage.unmet.as_f64().unwrap_or(0.0);
    let share = |n: &Need| 100.0 - n.coverage.coverage_pct;
    needs.retain(|n| unmet(n) > 0.0);
    needs.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(a.needed_by.cmp(&b.needed_by))
            .then(share(b).total_cmp(&share(a)))
            .then(a.id.cmp(&b.id))
    });
    let mut left = quantity;
    Ok(needs
        .iter()
        .map(|n| {
            let give = unmet(n).min(left).max(0.0);
            left -= give;
            OfferLine {
                need: n.id,
                country: n.country.clone(),
                priority: n.priority.to_string(),
                needed_by: n.needed_by,
                unmet: n.coverage.unmet.clone(),
                unmet_share_pct: (share(n) * 10.0).round() / 10.0,
                give: serde_json::Number::from_f64((give * 1e6).round() / 1e6).map_or(Value::Null, Value::Number),
            }
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUp {
    pub contribution: i64,
    pub donor: String,
    pub recipient: String,
    pub stage: String,
    pub since: NaiveDate,
    pub days_waiting: i64,
    pub quantity: Value,
    pub unit: String,
    pub source_url: Option<String>,
}

/// Announcements and pledges still not committed after `days` days.
pub async fn follow_up(store: &dyn Store, days: i64) -> Result<Vec<FollowUp>, StoreError> {
    if !(0..=3650).contains(&days) {
        return Err(Invalid::one("days", "out_of_range", "days must be between 0 and 3650").into());
    }
    let today = Utc::now().date_naive();
    let mut out = Vec::new();
    for stage in ["announced", "pledged"] {
        let q = ContributionQuery {
            stage: Some(stage.into()),
            date_to: Some(today - Duration::days(days)),
            ..Default::default()
        };
        for c in all_contributions(store, &q)
            .await?
            .into_iter()
            .filter(|c| c.merged_into.is_none())
        {
            out.push(FollowUp {
                contribution: c.id,
                donor: c.donor,
                recipient: c.recipient,
                stage: stage.into(),
                since: c.stage_date,
                days_waiting: (today - c.stage_date).num_days(),
                quantity: c.quantity,
                unit: c.unit,
                source_url: c.source_url,
            });
        }
    }
    out.sort_by(|a, b| {
        b.days_waiting
            .cmp(&a.days_waiting)
            .then(a.contribution.cmp(&b.contribution))
    });
    Ok(out)
}

/// The critical needs least covered, soonest needed first among equals.
pub async fn top_unmet_critical(
    store: &dyn Store,
    limit: usize,
    scope: Option<needsdb_store::NeedScope>,
) -> Result<Vec<Need>, StoreError> {
    let q = NeedQuery {
        priority: Some("critical".into()),
        status: Some(format!("{},{}", NeedStatus::Validated, NeedStatus::PartlyMet)),
        scope,
        ..Default::default()
    };
    let mut needs = all_needs(store, &q).await?;
    needs.sort_by(|a, b| {
        a.coverage
            .coverage_pct
            .total_cmp(&b.coverage.coverage_pct)
            .then(a.needed_by.cmp(&b.needed_by))
            .then(a.id.cmp(&b.id))
    });
    needs.truncate(limit);
    Ok(needs)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Pair {
    /// The report to keep (the further along, or the earlier).
    pub keep: i64,
    pub duplicate: i64,
    /// matched_reports: the same flow reported by two parties;
    /// suspected_duplicate: entered twice by the same reporter.
    pub kind: String,
    pub donor: String,
    pub recipient: String,
    pub what: String,
    pub quantities: [Value; 2],
    pub days_apart: i64,
    pub reported_by: [String; 2],
}

/// Pairs of contributions that look like one flow: same donor, recipient
/// and item (or currency), quantities within `tolerance` (a fraction), first
/// dates within `days`.
pub async fn reconcile(store: &dyn Store, tolerance: f64, days: i64) -> Result<Vec<Pair>, StoreError> {
    if !(0.0..=1.0).contains(&tolerance) {
        return Err(Invalid::one("tolerance", "out_of_range", "tolerance is a fraction between 0 and 1").into());
    }
    if !(0..=3650).contains(&days) {
        return Err(Invalid::one("days", "out_of_range", "days must be between 0 and 3650").into());
    }
    let all: Vec<Contribution> = all_contributions(store, &ContributionQuery::default())
        .await?
        .into_iter()
        .filter(|c| c.merged_into.is_none() && c.stage != needsdb_domain::Stage::Cancelled)
        .collect();
    let first_date = |c: &Contribution| c.events.first().map_or(c.stage_date, |e| e.date);
    let rank = |c: &Contribution| {
        needsdb_domain::Stage::ALL
            .iter()
            .position(|s| *s == c.stage)
            .unwrap_or(0)
    };
    let mut groups: std::collections::BTreeMap<(String, String, String), Vec<&Contribution>> =
        std::collections::BTreeMap::new();
    for c in &all {
        let what = c.item.clone().or_else(|| c.currency.clone()).unwrap_or_default();
        groups
            .entry((c.donor.clone(), c.recipient.clone(), what))
            .or_default()
            .push(c);
    }
    let mut out = Vec::new();
    for ((donor, recipient, what), cs) in groups {
        for (i, a) in cs.iter().enumerate() {
            for b in &cs[i + 1..] {
                let (qa, qb) = (a.quantity.as_f64().unwrap_or(0.0), b.quantity.as_f64().unwrap_or(0.0));
                let apart = (first_date(a) - first_date(b)).num_days().abs();
                if (qa - qb).abs() > tolerance * qa.max(qb) || apart > days {
                    continue;
                }
                let (keep, dup) = if (rank(b), std::cmp::Reverse(b.id)) > (rank(a), std::cmp::Reverse(a.id)) {
                    (b, a)
                } else {
                    (a, b)
                };
                out.push(Pair {
                    keep: keep.id,
                    duplicate: dup.id,
                    kind: if a.created_by == b.created_by {
                        "suspected_duplicate"
                    } else {
                        "matched_reports"
                    }
                    .into(),
                    donor: donor.clone(),
                    recipient: recipient.clone(),
                    what: what.clone(),
                    quantities: [keep.quantity.clone(), dup.quantity.clone()],
                    days_apart: apart,
                    reported_by: [keep.created_by.clone(), dup.created_by.clone()],
                });
            }
        }
    }
    Ok(out)
}

/// Merges every matched pair of reports, so coverage counts each flow once.
/// Suspected duplicates are left for a person to decide.
pub async fn apply_matches(
    store: &dyn Store,
    actor: &needsdb_store::Actor,
    pairs: &[Pair],
) -> Result<usize, StoreError> {
    let mut merged = std::collections::HashSet::new();
    for p in pairs.iter().filter(|p| p.kind == "matched_reports") {
        if merged.contains(&p.keep) || merged.contains(&p.duplicate) {
            continue;
        }
        store.merge_contributions(actor, p.keep, p.duplicate).await?;
        merged.insert(p.duplicate);
    }
    Ok(merged.len())
}
