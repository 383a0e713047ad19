//! Running the allocation rule on the database's figures, or on a what-if
//! list of recipients. Shared by `needsdb allocate` and the API.

use needsdb_domain::allocation::{self, Allocation, Policy, Recipient, SupplyEarmark};
use needsdb_domain::decimal::{self, json_to_text, to_json_number};
use needsdb_domain::validation::Errors;
use needsdb_domain::{Catalog, CountryFacts, EarmarkTarget, FieldError, Invalid, ItemCode, NewEarmark};
use needsdb_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// An allocation to run, as the API and the CLI take it. Quantities are in
/// the item's unit; `cap` and `buffer` are fractions (0.20 is 20%).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    pub item: String,
    pub quantity: Value,
    /// population-cap, need-proportional, max-min or priority.
    pub policy: String,
    /// population-cap: the most a recipient may reach, as a share of its population (0.20 by default).
    pub cap: Option<Value>,
    /// population-cap: the share of the supply held back as a humanitarian buffer (0.05 by default).
    pub buffer: Option<Value>,
    /// priority: the policy that shares each tier (max-min by default).
    pub within: Option<String>,
    /// Who may receive: nam-members (default), who:AFR, income:low, m49:002 or country:KEN.
    pub eligible: Option<String>,
    /// Quantities are whole multiples of this (1 by default).
    pub lot: Option<Value>,
    /// No recipient gets less than this, except nothing.
    pub min_shipment: Option<Value>,
    #[serde(default)]
    pub earmarks: Vec<NewEarmark>,
    /// A what-if list of recipients; when given, it replaces `eligible`, and
    /// its figures override the database's. What each was already delivered,
    /// and its total need, still come from the database unless `file_only`.
    #[serde(default)]
    pub recipients: Vec<RecipientOverride>,
    /// With `recipients`: take nothing from the database. Deliveries count
    /// as none, unmet need is the file's need, and the total need is that need.
    #[serde(default)]
    pub file_only: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientOverride {
    pub iso3: String,
    pub population: Option<i64>,
    /// Unmet need, in the item's unit.
    pub need: Option<Value>,
    /// Absorption capacity, in the item's unit.
    pub capacity: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LineOut {
    pub iso3: String,
    pub name: String,
    pub quantity: Value,
    pub ratio_before_pct: f64,
    pub ratio_after_pct: f64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AllocationOut {
    /// Where the recipients' figures come from.
    pub basis: String,
    pub item: String,
    pub unit: String,
    pub policy: String,
    pub supply: Value,
    pub buffer: Value,
    pub allocated: Value,
    pub unallocated: Value,
    pub lines: Vec<LineOut>,
    pub checks: Vec<allocation::Check>,
}

fn fraction(errs: &mut Errors, field: &str, v: &Option<Value>, default: i64) -> i64 {
    match v.as_ref().and_then(json_to_text) {
        None => default,
        Some(t) => match decimal::parse_scaled(&t, 4) {
            Ok(bp) => bp,
            Err(e) => {
                errs.add(
                    field,
                    e.code(),
                    format!("{field} is a fraction such as 0.20: {}", e.describe(&t)),
                );
                default
            }
        },
    }
}

fn amount(errs: &mut Errors, field: &str, v: Option<&Value>, decimals: u32, default: i64) -> i64 {
    match v.and_then(json_to_text) {
        None => default,
        Some(t) => match decimal::parse_scaled(&t, decimals) {
            Ok(q) => q,
            Err(e) => {
                errs.add(field, e.code(), e.describe(&t));
                default
            }
        },
    }
}

fn policy(errs: &mut Errors, req: &AllocationRequest) -> Option<Policy> {
    let base = |name: &str, field: &str, errs: &mut Errors| -> Option<Policy> {
        match name.trim() {
            "population-cap" | "population_cap" => {
                let cap = fraction(errs, "cap", &req.cap, 2000);
                let buffer = fraction(errs, "buffer", &req.buffer, 500);
                if !(1..=10_000).contains(&cap) {
                    errs.add(
                        "cap",
                        "out_of_range",
                        "cap is a share of population: more than 0 and at most 1",
                    );
                }
                if !(0..10_000).contains(&buffer) {
                    errs.add(
                        "buffer",
                        "out_of_range",
                        "buffer is a share of the supply: at least 0 and less than 1",
                    );
                }
                Some(Policy::PopulationCap { cap, buffer })
            }
            "need-proportional" | "need_proportional" => Some(Policy::NeedProportional),
            "max-min" | "max_min" => Some(Policy::MaxMin),
            other => {
                errs.add(
                    field,
                    "invalid_choice",
                    format!("'{other}' is not a policy (population-cap, need-proportional, max-min or priority)"),
                );
                None
            }
        }
    };
    if req.policy.trim() == "priority" {
        base(req.within.as_deref().unwrap_or("max-min"), "within", errs).map(|p| Policy::Priority(Box::new(p)))
    } else {
        base(&req.policy, "policy", errs)
    }
}

pub async fn run(store: &dyn Store, req: &AllocationRequest) -> Result<AllocationOut, StoreError> {
    let reference = needsdb_domain::reference::embedded().map_err(|e| StoreError::Internal(e.to_string()))?;
    let catalog = Catalog::from_reference(reference);
    let mut errs = Errors::new();
    let code = errs.take(ItemCode::parse("item", &req.item));
    let items = store.items().await?;
    let item = code.as_ref().and_then(|c| items.iter().find(|i| &i.code == c));
    if code.is_some() && item.is_none() {
        errs.add(
            "item",
            "unknown_item",
            format!("'{}' is not in the item catalogue", req.item),
        );
    }
    let decimals = item.map_or(0, |i| i.decimals);
    let supply = amount(&mut errs, "quantity", Some(&req.quantity), decimals, 0);
    let lot = amount(&mut errs, "lot", req.lot.as_ref(), decimals, 1);
    let min_shipment = amount(&mut errs, "min_shipment", req.min_shipment.as_ref(), decimals, 0);
    let policy = policy(&mut errs, req);
    let eligible = match req.eligible.as_deref() {
        Some(e) => errs.take(EarmarkTarget::parse("eligible", e, &catalog)),
        None => Some(EarmarkTarget::NamMembers),
    };
    let mut earmarks = Vec::new();
    for (i, e) in req.earmarks.iter().enumerate() {
        if let Some(m) = errs.take(
            e.validate(&catalog, decimals)
                .map_err(|e: FieldError| e.nested(&format!("earmarks[{i}]."))),
        ) {
            earmarks.push(SupplyEarmark {
                target: m.target,
                portion: m.portion,
            });
        }
    }
    errs.finish()?;
    let (Some(item), Some(policy), Some(eligible)) = (item, policy, eligible) else {
        return Err(Invalid::one("allocation", "invalid", "the request is incomplete").into());
    };
    let inputs = store.allocation_inputs(item.code.as_str()).await?;
    let facts = |iso3: &str| {
        catalog
            .countries
            .iter()
            .find(|(k, _)| k.as_str() == iso3)
            .map(|(_, f)| f.clone())
    };
    let file_only = req.file_only && !req.recipients.is_empty();
    let to_recipient = |i: &needsdb_store::AllocationInput| Recipient {
        iso3: i.iso3.clone(),
        name: i.name.clone(),
        population: i.population.unwrap_or(0),
        unmet: if file_only { [0; 4] } else { i.unmet },
        total_need: if file_only { 0 } else { i.total_need },
        delivered: if file_only { 0 } else { i.delivered },
        capacity: None,
        facts: facts(&i.iso3),
    };
    let recipients: Vec<Recipient> = if req.recipients.is_empty() {
        inputs
            .iter()
            .filter(|i| facts(&i.iso3).is_some_and(|f: CountryFacts| eligible.matches(&f, None)))
            .map(to_recipient)
            .collect()
    } else {
        let mut errs = Errors::new();
        let mut out = Vec::new();
        for (row, o) in req.recipients.iter().enumerate() {
            let field = |f: &str| format!("recipients[{row}].{f}");
            let iso3 = o.iso3.trim().to_ascii_uppercase();
            let Some(base) = inputs.iter().find(|i| i.iso3 == iso3) else {
                errs.add(
                    field("iso3"),
                    "unknown_country",
                    format!("'{}' is not a known country code", o.iso3),
                );
                continue;
            };
            let mut r = to_recipient(base);
            if let Some(p) = o.population {
                if p < 0 {
                    errs.add(field("population"), "negative", "population cannot be negative");
                }
                r.population = p;
            }
            if o.need.is_some() {
                let need = amount(&mut errs, &field("need"), o.need.as_ref(), decimals, 0);
                // Keep the database's split by priority, scaled to the new total.
                let db_total: i64 = r.unmet.iter().sum();
                r.unmet = if db_total > 0 {
                    let mut split = r
                        .unmet
                        .map(|u| (i128::from(u) * i128::from(need) / i128::from(db_total)) as i64);
                    split[1] += need - split.iter().sum::<i64>();
                    split
                } else {
                    [0, need, 0, 0]
                };
                r.total_need = r.total_need.max(need + r.delivered);
            }
            if o.capacity.is_some() {
                r.capacity = Some(amount(&mut errs, &field("capacity"), o.capacity.as_ref(), decimals, 0));
            }
            out.push(r);
        }
        errs.finish()?;
        out
    };
    let a: Allocation = allocation::allocate(&allocation::Request {
        supply,
        lot,
        min_shipment,
        policy,
        recipients,
        earmarks,
        certify: true,
    })?;
    let n = |v: i64| to_json_number(v, decimals);
    let basis = match (req.recipients.is_empty(), file_only) {
        (true, _) => "the database: unmet need, total need and deliveries of validated needs".to_owned(),
        (false, false) => format!(
            "a what-if list of {} recipients; what each was already delivered, and its total need, come from the database",
            req.recipients.len()
        ),
        (false, true) => format!(
            "a what-if list of {} recipients alone: no deliveries, and each need is the file's",
            req.recipients.len()
        ),
    };
    Ok(AllocationOut {
        basis,
        item: item.code.to_string(),
        unit: item.unit.clone(),
        policy: a.policy,
        supply: n(a.supply),
        buffer: n(a.buffer),
        allocated: n(a.allocated),
        unallocated: n(a.unallocated),
        lines: a
            .lines
            .into_iter()
            .map(|l| LineOut {
                iso3: l.iso3,
                name: l.name,
                quantity: n(l.quantity),
                ratio_before_pct: l.ratio_before_pct,
                ratio_after_pct: l.ratio_after_pct,
                reason: l.reason,
            })
            .collect(),
        checks: a.checks,
    })
}

/// Reads a what-if recipients file: an `iso3` column and optional
/// `population`, `need` and `capacity`. Errors name the row and column.
pub fn read_recipients_csv(text: &str) -> Result<Vec<RecipientOverride>, Invalid> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| Invalid::one("recipients", "unreadable", format!("the file is not CSV: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let Some(iso3) = col("iso3") else {
        return Err(Invalid::one(
            "recipients",
            "missing_column",
            "the file needs an iso3 column",
        ));
    };
    let mut errs = Errors::new();
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errs.add(format!("row {row}"), "unreadable", e.to_string());
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).filter(|v| !v.is_empty());
        let population = match get(col("population")) {
            Some(p) => match p.replace([',', '_'], "").parse::<i64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    errs.add(
                        format!("row {row}, column population"),
                        "not_a_number",
                        format!("'{p}' is not a whole number"),
                    );
                    None
                }
            },
            None => None,
        };
        out.push(RecipientOverride {
            iso3: get(Some(iso3)).unwrap_or("").to_owned(),
            population,
            need: get(col("need")).map(|v| Value::String(v.to_owned())),
            capacity: get(col("capacity")).map(|v| Value::String(v.to_owned())),
        });
    }
    errs.finish()?;
    Ok(out)
}

/// Runs an allocation and saves it as a proposal from `supplier`.
pub async fn propose(
    store: &dyn Store,
    actor: &needsdb_store::Actor,
    req: &AllocationRequest,
    supplier: &str,
) -> Result<needsdb_store::Proposal, StoreError> {
    let out = run(store, req).await?;
    let supplier = needsdb_domain::PartyCode::parse("supplier", supplier).map_err(Invalid::from)?;
    let request = serde_json::to_value(req)?;
    let result = serde_json::to_value(&out)?;
    store
        .save_proposal(actor, &out.item, supplier.as_str(), &request, &result)
        .await
}

/// Turns a proposal into commitments from its supplier.
pub async fn commit(
    store: &dyn Store,
    actor: &needsdb_store::Actor,
    id: i64,
) -> Result<needsdb_store::Proposal, StoreError> {
    let p = store.proposal(id).await?;
    let out: AllocationOut = serde_json::from_value(p.result.clone())?;
    let items = store.items().await?;
    let decimals = items
        .iter()
        .find(|i| i.code.as_str() == p.item)
        .map_or(0, |i| i.decimals);
    let mut shares = Vec::new();
    for l in out.lines {
        let text = json_to_text(&l.quantity).unwrap_or_default();
        let quantity = decimal::parse_scaled(&text, decimals)
            .map_err(|e| StoreError::Internal(format!("proposal {id}: {}", e.describe(&text))))?;
        shares.push(needsdb_store::ProposalShare { iso3: l.iso3, quantity });
    }
    store.commit_proposal(actor, id, &shares).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_files_name_the_row_and_column_at_fault() {
        let ok = read_recipients_csv("\u{feff}ISO3,population,need\nKEN,53000000,1000\nUGA,,\n").unwrap();
        assert_eq!(
            (ok.len(), ok[0].population, ok[1].need.clone()),
            (2, Some(53_000_000), None)
        );
        let e = read_recipients_csv("iso3,population\nKEN,many\n").unwrap_err();
        assert_eq!(e.0[0].field, "row 2, column population");
        assert_eq!(
            read_recipients_csv("country\nKEN\n").unwrap_err().0[0].code,
            "missing_column"
        );
    }
}
