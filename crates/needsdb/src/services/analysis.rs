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
                without_total: true,
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

/// Which entities an equity report counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Entities {
    /// States and territories with a known population.
    #[default]
    All,
    /// Independent states only.
    States,
}

/// Equity of deliveries of an item (or of cash, with no item) among the
/// states of `group` (every state by default).
pub async fn equity(
    store: &dyn Store,
    item: Option<&str>,
    group: Option<&str>,
    entities: Entities,
) -> Result<Equity, StoreError> {
    let catalog = catalog()?;
    let reference = needsdb_domain::reference::embedded().map_err(|e| StoreError::Internal(e.to_string()))?;
    let target = group
        .map(|g| EarmarkTarget::parse("group", g, &catalog))
        .transpose()
        .map_err(Invalid::from)?;
    let (unit, code, decimals) = match item {
        Some(code) => {
            let c = ItemCode::parse("item", code).map_err(Invalid::from)?;
            let items = store.items().await?;
            let it = items.iter().find(|i| i.code == c).ok_or_else(|| {
                Invalid::one("item", "unknown_item", format!("'{code}' is not in the item catalogue"))
            })?;
            (
                format!("{} ({})", it.name_en, it.unit),
                Some(it.code.to_string()),
                it.decimals,
            )
        }
        None => ("US dollars of cash".to_owned(), None, 2),
    };
    let delivered: std::collections::HashMap<String, i64> =
        store.delivered_by_country(code.as_deref()).await?.into_iter().collect();
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
            is_state: reference.country(&c.iso3).is_some_and(|r| r.independent),
            iso3: c.iso3,
            name: c.name_en,
        })
        .filter(|s| entities == Entities::All || s.is_state)
        .collect();
    Ok(equity::report(&states, &unit, decimals))
}

/// One earmark followed to its group, in US dollars.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EarmarkLine {
    pub contribution: i64,
    pub donor: String,
    pub recipient: String,
    pub target: String,
    /// followed, not_yet_funded, cancelled or not_valued (goods of no known value).
    pub status: String,
    /// Always USD.
    pub unit: String,
    /// The earmarked value.
    #[schema(value_type = f64)]
    pub earmarked: Value,
    /// What reached the group: the contribution itself when its recipient
    /// is in the group, else onward flows of its recipient (see `onward`).
    #[schema(value_type = f64)]
    pub reached: Value,
    #[schema(value_type = f64)]
    pub shortfall: Value,
    /// A funded earmark that did not fully reach its group.
    pub flagged: bool,
    /// The onward flows it counts, and how much of each.
    pub onward: Vec<OnwardUse>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OnwardUse {
    pub contribution: i64,
    #[schema(value_type = f64)]
    pub amount: Value,
}

/// Follows every earmark through to the earmarked group (see
/// `needsdb_domain::earmark::follow_through` for the rule).
///
/// It reads every contribution (onward flows may start anywhere), so it is
/// kept per data version: computed once after each write.
pub async fn earmark_report(store: &dyn Store) -> Result<Vec<EarmarkLine>, StoreError> {
    let version = store.data_version().await?;
    store
        .answers()
        .get_or_compute(&version, "earmark_report".into(), || follow_earmarks(store))
        .await
}

async fn follow_earmarks(store: &dyn Store) -> Result<Vec<EarmarkLine>, StoreError> {
    use needsdb_domain::decimal::to_json_number;
    use needsdb_domain::earmark::{Flow, follow_through};
    let catalog = catalog()?;
    let items = store.items().await?;
    // The earmarked contributions and their recipients' onward flows, with
    // quantities and amounts as stored: nothing else can reach an earmarked
    // group (`follow_through`). Merged reports are left out by the store.
    let rows = store.earmark_flows().await?;
    let items: std::collections::HashMap<&str, &needsdb_domain::reference::CatalogueItem> =
        items.iter().map(|i| (i.code.as_str(), i)).collect();
    let mut flows = Vec::with_capacity(rows.len());
    for c in &rows {
        let item = c.item.as_deref().and_then(|i| items.get(i));
        let mut earmarks = Vec::new();
        for e in &c.earmarks {
            let Ok(target) = EarmarkTarget::parse("target", &e.target, &catalog) else {
                continue;
            };
            let portion = match (e.share_bp, e.amount) {
                (Some(bp), _) => needsdb_domain::EarmarkPortion::ShareBp(bp),
                (None, Some(a)) => needsdb_domain::EarmarkPortion::Amount(a),
                (None, None) => continue,
            };
            earmarks.push(needsdb_domain::Earmark { target, portion });
        }
        let cancelled = c.stage == needsdb_domain::Stage::Cancelled;
        // The date it first reached a funded stage; a cancelled flow that
        // never did was never funded.
        let funded_on = match c.first_funded_event {
            Some(d) => Some(d),
            None if cancelled => None,
            None => c.stage.is_funded().then_some(c.stage_date),
        };
        flows.push(Flow {
            id: c.id,
            donor: c.donor.clone(),
            recipient: c.recipient.clone(),
            recipient_facts: catalog.countries.get(c.recipient.as_str()).cloned(),
            cluster: item.map(|i| i.cluster.clone()),
            funded_on,
            cancelled,
            value_cents: c.value_cents,
            quantity: c.quantity,
            earmarks,
        });
    }
    let by_id: std::collections::HashMap<i64, &needsdb_store::FlowRow> = rows.iter().map(|c| (c.id, c)).collect();
    let usd = |cents: i64| to_json_number(cents, 2);
    Ok(follow_through(&flows)
        .into_iter()
        .map(|l| {
            let c = by_id.get(&l.contribution);
            EarmarkLine {
                contribution: l.contribution,
                donor: c.map(|c| c.donor.clone()).unwrap_or_default(),
                recipient: c.map(|c| c.recipient.clone()).unwrap_or_default(),
                target: l.target.to_string(),
                status: l.status.as_str().to_owned(),
                unit: "USD".into(),
                earmarked: usd(l.earmarked),
                reached: usd(l.reached()),
                shortfall: usd(l.shortfall()),
                flagged: l.status == needsdb_domain::earmark::FollowStatus::Followed && l.shortfall() > 0,
                onward: l
                    .onward
                    .iter()
                    .map(|(id, cents)| OnwardUse {
                        contribution: *id,
                        amount: usd(*cents),
                    })
                    .collect(),
            }
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferLine {
    pub need: i64,
    pub country: String,
    pub priority: String,
    pub needed_by: NaiveDate,
    /// Still needed: unmet, less what is already announced or pledged.
    #[schema(value_type = f64)]
    pub open: Value,
    pub unmet_share_pct: f64,
    /// What to give this need, in rank order until the offer runs out.
    #[schema(value_type = f64)]
    pub give: Value,
}

/// Open needs an offer could fill, ranked by priority, date needed and unmet
/// share, with the amount to give each. Amounts are whole base units of the
/// item (whole tents, kilograms of rice), and what other donors have already
/// announced or pledged is taken off first, so two offers are not sent to
/// the same gap.
pub async fn match_offer(
    store: &dyn Store,
    item: &str,
    quantity: &str,
    mut q: NeedQuery,
) -> Result<Vec<OfferLine>, StoreError> {
    use needsdb_domain::decimal::{json_to_text, parse_scaled, to_json_number};
    let code = ItemCode::parse("item", item).map_err(Invalid::from)?;
    let items = store.items().await?;
    let it = items
        .iter()
        .find(|i| i.code == code)
        .ok_or_else(|| Invalid::one("item", "unknown_item", format!("'{item}' is not in the item catalogue")))?;
    let decimals = if it.unit_kind == needsdb_domain::reference::UnitKind::Money {
        2
    } else {
        it.decimals
    };
    let offered = match parse_scaled(quantity, decimals) {
        Ok(0) => Err(Invalid::one(
            "quantity",
            "not_positive",
            "the offer's quantity must be more than zero",
        )),
        Ok(v) => Ok(v),
        Err(e) => Err(Invalid::one("quantity", e.code(), e.describe(quantity))),
    }?;
    q.item = Some(code.to_string());
    q.status = Some("validated,partly_met".into());
    let needs = all_needs(store, &q).await?;
    let base = |v: &Value| {
        json_to_text(v)
            .and_then(|t| parse_scaled(&t, decimals).ok())
            .unwrap_or(0)
    };
    let mut ranked: Vec<(&Need, i64)> = needs
        .iter()
        .map(|n| {
            let promised = base(&n.coverage.announced) + base(&n.coverage.pledged);
            (n, (base(&n.coverage.unmet) - promised).max(0))
        })
        .filter(|(_, open)| *open > 0)
        .collect();
    let share = |n: &Need| 100.0 - n.coverage.coverage_pct;
    ranked.sort_by(|(a, _), (b, _)| {
        a.priority
            .cmp(&b.priority)
            .then(a.needed_by.cmp(&b.needed_by))
            .then(share(b).total_cmp(&share(a)))
            .then(a.id.cmp(&b.id))
    });
    let mut left = offered;
    Ok(ranked
        .into_iter()
        .map(|(n, open)| {
            let give = open.min(left);
            left -= give;
            OfferLine {
                need: n.id,
                country: n.country.clone(),
                priority: n.priority.to_string(),
                needed_by: n.needed_by,
                open: to_json_number(open, decimals),
                unmet_share_pct: (share(n) * 10.0).round() / 10.0,
                give: to_json_number(give, decimals),
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
    #[schema(value_type = f64)]
    pub quantity: Value,
    /// For a shipment: what is still to be confirmed as arrived.
    #[schema(value_type = Option<f64>)]
    pub outstanding: Option<Value>,
    pub unit: String,
    pub source_url: Option<String>,
}

/// Whose contributions to follow up: one donor's, one recipient's, or all.
#[derive(Debug, Clone, Default)]
pub struct FollowUpFilter {
    pub donor: Option<String>,
    pub recipient: Option<String>,
}

/// Announcements and pledges still not committed after `days` days, and
/// shipments not confirmed as wholly delivered `days` days after they left.
pub async fn follow_up(store: &dyn Store, days: i64, filter: &FollowUpFilter) -> Result<Vec<FollowUp>, StoreError> {
    if !(0..=3650).contains(&days) {
        return Err(Invalid::one("days", "out_of_range", "days must be between 0 and 3650").into());
    }
    let today = Utc::now().date_naive();
    let mut out = Vec::new();
    for stage in ["announced", "pledged", "shipped"] {
        let q = ContributionQuery {
            stage: Some(stage.into()),
            date_to: Some(today - Duration::days(days)),
            donor: filter.donor.clone(),
            recipient: filter.recipient.clone(),
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
                outstanding: c.outstanding.filter(|_| stage == "shipped"),
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
    /// matched_reports: the same flow reported by its donor and its
    /// receiving side; suspected_duplicate: anything else, for a person.
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
    let everything = all_contributions(store, &ContributionQuery::default()).await?;
    // Reports that already absorbed the other side's report of their flow.
    let matched: std::collections::HashSet<i64> = everything.iter().filter_map(|c| c.merged_into).collect();
    let all: Vec<Contribution> = everything
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
                // Only a donor's report and a receiving side's report of one
                // flow are two views of it; two reports from one side may be
                // two shipments, and a person decides.
                let sides = (a.reported_side.as_deref(), b.reported_side.as_deref());
                let two_sides = matches!(
                    sides,
                    (Some("donor"), Some("receiving")) | (Some("receiving"), Some("donor"))
                ) && !matched.contains(&a.id)
                    && !matched.contains(&b.id);
                out.push(Pair {
                    keep: keep.id,
                    duplicate: dup.id,
                    kind: if two_sides {
                        "matched_reports"
                    } else {
                        "suspected_duplicate"
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

/// Merges every matched pair of reports (donor side with receiving side),
/// so coverage counts each flow once. A report already matched is not
/// matched again. Suspected duplicates are left for a person to decide.
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
