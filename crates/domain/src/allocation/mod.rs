//! Fair allocation of a scarce supply by an open, explainable rule.
//!
//! Every policy is a lexicographic max-min over a ratio, which is what makes
//! each of them explainable in one sentence:
//! - **population-cap** (COVAX phase 1): doses per person, counting what was
//!   already delivered, up to a cap (20%), after a humanitarian buffer (5%);
//! - **need-proportional**: the share of each recipient's unmet need;
//! - **max-min**: each recipient's coverage of its total need, counting
//!   deliveries: raise the lowest, then the next;
//! - **priority**: critical needs first, then high, medium and low, each tier
//!   shared by one of the policies above.
//!
//! Quantities are whole lots; nobody gets more than its unmet need or its
//! absorption capacity, or less than the minimum shipment unless nothing;
//! earmarks on the supply are served first. Every answer is checked against
//! all of these before it is returned.

pub mod leximin;

use crate::catalog::CountryFacts;
use crate::earmark::{EarmarkPortion, EarmarkTarget};
use crate::validation::{Errors, Invalid};
use leximin::Agent;
use serde::{Deserialize, Serialize};

/// Whole basis points: 2000 is 20%.
pub type Bp = i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    PopulationCap {
        cap: Bp,
        buffer: Bp,
    },
    NeedProportional,
    MaxMin,
    /// Tiers by need priority, each shared by the inner policy.
    Priority(Box<Policy>),
}

impl Policy {
    pub fn name(&self) -> String {
        match self {
            Self::PopulationCap { .. } => "population-cap".into(),
            Self::NeedProportional => "need-proportional".into(),
            Self::MaxMin => "max-min".into(),
            Self::Priority(inner) => format!("priority ({})", inner.name()),
        }
    }

    fn base(&self) -> &Policy {
        match self {
            Self::Priority(inner) => inner.base(),
            other => other,
        }
    }
}

/// What the rule needs to know about one eligible recipient, in the item's
/// base units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub iso3: String,
    pub name: String,
    pub population: i64,
    /// Unmet need by priority: critical, high, medium, low.
    pub unmet: [i64; 4],
    /// Total need (met or not), for coverage ratios.
    pub total_need: i64,
    /// Already delivered: counted towards caps and coverage.
    pub delivered: i64,
    /// The most it can absorb now; none means no limit.
    pub capacity: Option<i64>,
    pub facts: Option<CountryFacts>,
}

impl Recipient {
    pub fn unmet_total(&self) -> i64 {
        self.unmet.iter().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyEarmark {
    pub target: EarmarkTarget,
    pub portion: EarmarkPortion,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub supply: i64,
    /// Quantities are whole multiples of this.
    pub lot: i64,
    /// No recipient gets less than this, except nothing.
    pub min_shipment: i64,
    pub policy: Policy,
    pub recipients: Vec<Recipient>,
    pub earmarks: Vec<SupplyEarmark>,
    /// Check each pass's water level with the LP solver (good_lp, microlp).
    pub certify: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub iso3: String,
    pub name: String,
    pub quantity: i64,
    /// The recipient's ratio under the policy (coverage of population or of
    /// need), in percent, before and after this allocation.
    pub ratio_before_pct: f64,
    pub ratio_after_pct: f64,
    /// Why, as a stable code: `common_level`, `bound` (as much as its need,
    /// capacity or cap allows), `no_population`, `no_need`, `capacity_zero`,
    /// `cap_reached`, `below_one_lot`, `lower_tier`, `below_minimum`,
    /// `above_level` or `supply_ran_out`.
    pub why: String,
    /// The same, in words, with the figures that make it true.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Check {
    pub check: String,
    pub passed: bool,
    pub detail: String,
    /// A failed hard check (supply, need, capacity, cap, lots, minimum
    /// shipment, LP certificate) would be a defect, and the allocation is not
    /// shown. An earmark check may fail honestly: the group could not take
    /// its earmark, and the allocation says so.
    #[serde(default)]
    pub hard: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub policy: String,
    pub supply: i64,
    /// Held back as the humanitarian buffer.
    pub buffer: i64,
    pub allocated: i64,
    pub unallocated: i64,
    pub lines: Vec<Line>,
    pub checks: Vec<Check>,
}

/// Why the rule could not run, or a check failed (which would be a defect).
pub fn allocate(req: &Request) -> Result<Allocation, Invalid> {
    validate(req)?;
    let mut recipients = req.recipients.clone();
    // The same input gives the same output, whatever the input order.
    recipients.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    let buffer = match req.policy.base() {
        Policy::PopulationCap { buffer, .. } => portion_of(req.supply, *buffer),
        _ => 0,
    };
    let available = req.supply - buffer;
    let mut excluded = vec![false; recipients.len()];
    let mut why_excluded: Vec<Option<(&'static str, String)>> = vec![None; recipients.len()];
    // Below-minimum shipments are dropped and the rule runs again without
    // them, until every shipment is nothing or at least the minimum.
    let given = loop {
        let given = run(req, &recipients, &excluded, available);
        let mut dropped = false;
        for (i, g) in given.total.iter().enumerate() {
            if *g > 0 && *g < req.min_shipment {
                excluded[i] = true;
                why_excluded[i] = Some((
                    "below_minimum",
                    format!(
                        "nothing: its share ({}) would be below the minimum shipment of {}",
                        fmt(*g),
                        fmt(req.min_shipment)
                    ),
                ));
                dropped = true;
            }
        }
        if !dropped {
            break given;
        }
    };
    let allocated: i64 = given.total.iter().sum();
    let leftover = available - allocated;
    let lines = recipients
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (w, a) = weight_and_offset(req.policy.base(), r, 0);
            let pct = |v: i64| {
                if w > 0 {
                    (v as f64 / w as f64 * 1000.0).round() / 10.0
                } else {
                    0.0
                }
            };
            let (why, reason) = why_excluded[i].clone().unwrap_or_else(|| {
                explain(
                    req,
                    r,
                    Outcome {
                        given: given.total[i],
                        earmarked: given.earmarked[i],
                        leftover,
                    },
                    &given,
                )
            });
            Line {
                iso3: r.iso3.clone(),
                name: r.name.clone(),
                quantity: given.total[i],
                ratio_before_pct: pct(a),
                ratio_after_pct: pct(a + given.total[i]),
                why: why.to_owned(),
                reason,
            }
        })
        .collect::<Vec<_>>();
    let mut checks = check(req, &recipients, &given.total, &given.earmarked, buffer);
    if req.certify {
        let bad: Vec<String> = given
            .certificates
            .iter()
            .filter_map(|c| c.as_ref().err().cloned())
            .collect();
        let passed = bad.is_empty();
        checks.push(Check {
            check: "LP certificate".into(),
            hard: true,
            passed,
            detail: if passed {
                format!(
                    "the LP solver (good_lp, microlp) reached the same level in all {} pass(es)",
                    given.certificates.len()
                )
            } else {
                bad.join("; ")
            },
        });
    }
    let result = Allocation {
        policy: req.policy.name(),
        supply: req.supply,
        buffer,
        allocated,
        unallocated: req.supply - buffer - allocated,
        lines,
        checks,
    };
    let failed: Vec<String> = result
        .checks
        .iter()
        .filter(|c| c.hard && !c.passed)
        .map(|c| format!("{}: {}", c.check, c.detail))
        .collect();
    if failed.is_empty() {
        Ok(result)
    } else {
        Err(Invalid::one(
            "allocation",
            "check_failed",
            format!(
                "the allocation failed its checks and is not shown: {}",
                failed.join("; ")
            ),
        ))
    }
}

fn validate(req: &Request) -> Result<(), Invalid> {
    let mut errs = Errors::new();
    if req.supply < 0 {
        errs.add("quantity", "negative", "the quantity available cannot be negative");
    }
    if req.lot < 1 {
        errs.add("lot", "not_positive", "the lot size must be at least 1");
    }
    if req.min_shipment < 0 {
        errs.add("min_shipment", "negative", "the minimum shipment cannot be negative");
    }
    if let Policy::PopulationCap { cap, buffer } = req.policy.base() {
        if !(1..=10_000).contains(cap) {
            errs.add(
                "cap",
                "out_of_range",
                "the cap must be more than 0 and at most 1 (100% of population)",
            );
        }
        if !(0..10_000).contains(buffer) {
            errs.add(
                "buffer",
                "out_of_range",
                "the buffer must be at least 0 and less than 1",
            );
        }
    }
    if req.recipients.is_empty() {
        errs.add("eligible", "empty", "no recipient is eligible");
    }
    let mut seen = std::collections::HashSet::new();
    for (i, r) in req.recipients.iter().enumerate() {
        if !seen.insert(&r.iso3) {
            errs.add(
                format!("recipients[{i}].iso3"),
                "duplicate",
                format!("{} appears twice", r.iso3),
            );
        }
        if r.population < 0
            || r.total_need < 0
            || r.delivered < 0
            || r.unmet.iter().any(|u| *u < 0)
            || r.capacity.is_some_and(|c| c < 0)
        {
            errs.add(
                format!("recipients[{i}]"),
                "negative",
                format!("{} has a negative figure", r.iso3),
            );
        }
    }
    errs.finish()
}

fn portion_of(total: i64, bp: Bp) -> i64 {
    (i128::from(total) * i128::from(bp) / 10_000) as i64
}

/// The ratio a policy raises: its denominator and what already counts.
/// `extra` is what earlier passes gave this recipient.
fn weight_and_offset(policy: &Policy, r: &Recipient, extra: i64) -> (i64, i64) {
    match policy {
        Policy::PopulationCap { .. } => (r.population, r.delivered + extra),
        Policy::NeedProportional => (r.unmet_total(), extra),
        Policy::MaxMin | Policy::Priority(_) => (r.total_need.max(r.unmet_total() + r.delivered), r.delivered + extra),
    }
}

/// The most a recipient may get in total: its unmet need, its capacity, and
/// under population-cap the cap less what it already has.
fn bound(policy: &Policy, r: &Recipient) -> i64 {
    let mut b = r.unmet_total();
    if let Some(c) = r.capacity {
        b = b.min(c);
    }
    if let Policy::PopulationCap { cap, .. } = policy {
        b = b.min((portion_of(r.population, *cap) - r.delivered).max(0));
    }
    b.max(0)
}

struct Given {
    total: Vec<i64>,
    earmarked: Vec<i64>,
    /// The LP solver's verdict on each pass's level, when asked for.
    certificates: Vec<Result<f64, String>>,
    /// The common level the last pass reached, in percent, for reasons.
    level_pct: Option<f64>,
    /// What was left of the supply when each priority tier of the last pass
    /// began (one entry without the priority policy).
    left_before_tier: Vec<i64>,
}

/// Earmarks first, then everyone, tier by tier under the priority policy.
fn run(req: &Request, recipients: &[Recipient], excluded: &[bool], available: i64) -> Given {
    let n = recipients.len();
    let mut total = vec![0i64; n];
    let mut earmarked = vec![0i64; n];
    let mut certificates = Vec::new();
    let mut left = available;
    for e in &req.earmarks {
        let portion = match e.portion {
            EarmarkPortion::ShareBp(bp) => portion_of(available, bp),
            EarmarkPortion::Amount(a) => a,
        }
        .min(left);
        let eligible: Vec<bool> = recipients
            .iter()
            .zip(excluded)
            .map(|(r, x)| !x && r.facts.as_ref().is_some_and(|f| e.target.matches(f, None)))
            .collect();
        let gave = tiers(req, recipients, &eligible, &total, portion, &mut certificates).gave;
        for i in 0..n {
            total[i] += gave[i];
            earmarked[i] += gave[i];
        }
        left -= gave.iter().sum::<i64>();
    }
    let eligible: Vec<bool> = excluded.iter().map(|x| !x).collect();
    let pass = tiers(req, recipients, &eligible, &total, left, &mut certificates);
    for (t, g) in total.iter_mut().zip(&pass.gave) {
        *t += g;
    }
    Given {
        total,
        earmarked,
        certificates,
        level_pct: pass.level,
        left_before_tier: pass.left_before_tier,
    }
}

struct Pass {
    gave: Vec<i64>,
    level: Option<f64>,
    left_before_tier: Vec<i64>,
}

/// One pass over the eligible recipients with `supply`, tier by tier.
fn tiers(
    req: &Request,
    recipients: &[Recipient],
    eligible: &[bool],
    already: &[i64],
    supply: i64,
    certificates: &mut Vec<Result<f64, String>>,
) -> Pass {
    let n = recipients.len();
    let base = req.policy.base();
    let mut gave = vec![0i64; n];
    let mut left = supply;
    let tier_count = if matches!(req.policy, Policy::Priority(_)) {
        4
    } else {
        1
    };
    let mut level = None;
    let mut left_before_tier = Vec::with_capacity(tier_count);
    for tier in 0..tier_count {
        left_before_tier.push(left);
        let mut agents = Vec::new();
        let mut index = Vec::new();
        for (i, r) in recipients.iter().enumerate() {
            if !eligible[i] {
                continue;
            }
            let so_far = already[i] + gave[i];
            // Under priority, this tier's room is its own unmet need, within
            // the recipient's overall bound.
            let room = if tier_count == 4 {
                let tier_need: i64 = r.unmet[..=tier].iter().sum();
                (tier_need.min(bound(base, r)) - so_far).max(0)
            } else {
                (bound(base, r) - so_far).max(0)
            };
            let (w, a) = weight_and_offset(base, r, so_far);
            if w <= 0 || room <= 0 {
                continue;
            }
            agents.push(Agent {
                weight: w,
                offset: a,
                cap: room / req.lot,
            });
            index.push(i);
        }
        let lots = leximin::allocate(&agents, left / req.lot, req.lot);
        if req.certify && !agents.is_empty() && left >= req.lot {
            let budget = (left / req.lot) as f64;
            let (_, t) = leximin::water_level(&agents, budget, req.lot);
            certificates.push(leximin::certify(&agents, budget, req.lot, t));
        }
        for (k, i) in index.iter().enumerate() {
            gave[*i] += lots[k] * req.lot;
            left -= lots[k] * req.lot;
        }
        // The level: the lowest ratio among those not held by their bound.
        // A tier with no one left to serve keeps the level of the one before.
        let tier_level = agents
            .iter()
            .zip(&lots)
            .filter(|(a, l)| **l < a.cap)
            .map(|(a, l)| (a.offset + l * req.lot) as f64 / a.weight as f64 * 100.0)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))));
        if tier_level.is_some() {
            level = tier_level;
        }
    }
    Pass {
        gave,
        level,
        left_before_tier,
    }
}

fn fmt(v: i64) -> String {
    let s = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// What one recipient got, and what was left of the supply.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    given: i64,
    earmarked: i64,
    /// Supply not given to anyone, the buffer aside.
    leftover: i64,
}

const TIERS: [&str; 4] = ["critical", "high", "medium", "low"];

/// Why a recipient got what it got: a code and a sentence, each true of the
/// figures (`tests.rs` checks every code's condition on random instances).
fn explain(req: &Request, r: &Recipient, o: Outcome, given: &Given) -> (&'static str, String) {
    let base = req.policy.base();
    let (w, a) = weight_and_offset(base, r, 0);
    let q = o.given;
    let from_earmark = if o.earmarked > 0 {
        format!(" ({} of it from an earmarked portion of the supply)", fmt(o.earmarked))
    } else {
        String::new()
    };
    let need = r.unmet_total();
    if w <= 0 && matches!(base, Policy::PopulationCap { .. }) {
        return ("no_population", "nothing: no population figure".into());
    }
    if need == 0 || w <= 0 {
        return ("no_need", "nothing: no unmet need".into());
    }
    let limit = bound(base, r);
    let lot_room = limit / req.lot * req.lot;
    let cap_room = match base {
        Policy::PopulationCap { cap, .. } => Some((portion_of(r.population, *cap) - r.delivered).max(0)),
        _ => None,
    };
    // Which bound holds it: its capacity, the cap, or its unmet need.
    let binding = if r.capacity == Some(limit) && r.capacity.is_some_and(|c| c < need) {
        format!("its absorption capacity of {}", fmt(limit))
    } else if cap_room == Some(limit) && limit < need {
        match base {
            Policy::PopulationCap { cap, .. } => format!(
                "the cap of {}% of its population of {}",
                *cap as f64 / 100.0,
                fmt(r.population)
            ),
            _ => format!("its limit of {}", fmt(limit)),
        }
    } else {
        format!("its unmet need of {}", fmt(need))
    };
    if q > 0 && q == lot_room {
        let rounding = if lot_room < limit {
            format!(", rounded down to whole lots of {}", fmt(req.lot))
        } else {
            String::new()
        };
        return (
            "bound",
            format!("{}: as much as {binding} allows{rounding}{from_earmark}", fmt(q)),
        );
    }
    let ratio = match base {
        Policy::PopulationCap { .. } => "of its population",
        Policy::NeedProportional => "of its unmet need",
        _ => "of its total need",
    };
    if q > 0 {
        let counted = if a > 0 {
            format!(", counting {} already delivered", fmt(a))
        } else {
            String::new()
        };
        let after = (a + q) as f64 / w as f64 * 100.0;
        return match given.level_pct {
            Some(l) => (
                "common_level",
                format!(
                    "{}: brings it to {:.1}% {ratio}{counted}, the common level the supply reaches (within one lot){from_earmark}",
                    fmt(q),
                    after.max(l)
                ),
            ),
            None => (
                "common_level",
                format!("{}: brings it to {after:.1}% {ratio}{counted}{from_earmark}", fmt(q)),
            ),
        };
    }
    if r.capacity == Some(0) {
        return ("capacity_zero", "nothing: its absorption capacity is 0".into());
    }
    if cap_room == Some(0) {
        return (
            "cap_reached",
            format!(
                "nothing: the {} already delivered reach the cap of its population",
                fmt(r.delivered)
            ),
        );
    }
    if limit < req.lot {
        return (
            "below_one_lot",
            format!("nothing: {binding} is less than one lot of {}", fmt(req.lot)),
        );
    }
    if matches!(req.policy, Policy::Priority(_))
        && let Some(top) = r.unmet.iter().position(|u| *u > 0)
        && top > 0
        && given.left_before_tier.get(top).is_some_and(|left| *left < req.lot)
    {
        return (
            "lower_tier",
            format!(
                "nothing: its most urgent need is {} priority, and higher-priority needs took the whole supply first",
                TIERS[top]
            ),
        );
    }
    if o.leftover < req.lot {
        let stands = a as f64 / w as f64 * 100.0;
        return match given.level_pct {
            Some(l) if stands >= l => (
                "above_level",
                format!(
                    "nothing: it already stands at {stands:.1}% {ratio}, at or above the {l:.1}% the supply reaches for others"
                ),
            ),
            _ => (
                "supply_ran_out",
                format!(
                    "nothing: the supply ran out ({} left, less than one lot of {})",
                    fmt(o.leftover),
                    fmt(req.lot)
                ),
            ),
        };
    }
    // Not reached: with a whole lot left and room for it, the rule gives it.
    (
        "supply_ran_out",
        format!("nothing: {} left over was not enough to reach it", fmt(o.leftover)),
    )
}

fn check(req: &Request, recipients: &[Recipient], total: &[i64], earmarked: &[i64], buffer: i64) -> Vec<Check> {
    let base = req.policy.base();
    let mut checks = Vec::new();
    let mut push = |name: &str, bad: Vec<String>, ok: String| {
        let passed = bad.is_empty();
        checks.push(Check {
            check: name.into(),
            passed,
            detail: if passed { ok } else { bad.join("; ") },
            hard: true,
        });
    };
    let sum: i64 = total.iter().sum();
    push(
        "supply",
        if sum + buffer > req.supply {
            vec![format!(
                "{} allocated and {} held back exceed the {} available",
                fmt(sum),
                fmt(buffer),
                fmt(req.supply)
            )]
        } else {
            vec![]
        },
        format!(
            "{} allocated, {} held back as buffer, of {} available",
            fmt(sum),
            fmt(buffer),
            fmt(req.supply)
        ),
    );
    let over = |f: &dyn Fn(&Recipient) -> Option<i64>| -> Vec<String> {
        recipients
            .iter()
            .zip(total)
            .filter_map(|(r, q)| {
                f(r).filter(|lim| q > lim)
                    .map(|lim| format!("{} gets {} over {}", r.iso3, fmt(*q), fmt(lim)))
            })
            .collect()
    };
    push(
        "unmet need",
        over(&|r| Some(r.unmet_total())),
        "no recipient gets more than its unmet need".into(),
    );
    push(
        "capacity",
        over(&|r| r.capacity),
        "no recipient gets more than it can absorb".into(),
    );
    if let Policy::PopulationCap { cap, .. } = base {
        push(
            "population cap",
            over(&|r| Some((portion_of(r.population, *cap) - r.delivered).max(0))),
            format!(
                "no recipient passes {}% of its population, counting deliveries",
                *cap as f64 / 100.0
            ),
        );
    }
    let lots: Vec<String> = recipients
        .iter()
        .zip(total)
        .filter(|(_, q)| *q % req.lot != 0)
        .map(|(r, q)| format!("{} gets {}", r.iso3, fmt(*q)))
        .collect();
    push(
        "whole lots",
        lots,
        format!("every quantity is a whole number of lots of {}", fmt(req.lot)),
    );
    let small: Vec<String> = recipients
        .iter()
        .zip(total)
        .filter(|(_, q)| **q > 0 && **q < req.min_shipment)
        .map(|(r, q)| format!("{} gets {}", r.iso3, fmt(*q)))
        .collect();
    push(
        "minimum shipment",
        small,
        format!("every shipment is nothing or at least {}", fmt(req.min_shipment)),
    );
    let mut soft = Vec::new();
    for e in &req.earmarks {
        let in_group = |r: &Recipient| r.facts.as_ref().is_some_and(|f| e.target.matches(f, None));
        let off_target: Vec<String> = recipients
            .iter()
            .zip(earmarked)
            .filter(|(r, g)| **g > 0 && !in_group(r))
            .map(|(r, _)| format!("{} is outside {}", r.iso3, e.target))
            .collect();
        push(
            &format!("earmark {} stays in its group", e.target),
            off_target,
            format!("every earmarked share went to recipients in {}", e.target),
        );
        let portion = match e.portion {
            EarmarkPortion::ShareBp(bp) => portion_of(req.supply - buffer, bp),
            EarmarkPortion::Amount(a) => a,
        };
        let members = recipients.iter().filter(|r| in_group(r)).count();
        let to_group: i64 = recipients
            .iter()
            .zip(total)
            .filter(|(r, _)| in_group(r))
            .map(|(_, q)| q)
            .sum();
        let room: i64 = recipients.iter().filter(|r| in_group(r)).map(|r| bound(base, r)).sum();
        let (passed, detail) = if members == 0 {
            (
                false,
                format!(
                    "no eligible recipient is in {}: the earmark of {} cannot be met",
                    e.target,
                    fmt(portion)
                ),
            )
        } else if to_group < portion {
            (
                false,
                format!(
                    "{} went to recipients in {}, less than its earmark of {}: its {members} eligible recipients could take no more than {} (unmet need, capacity{})",
                    fmt(to_group),
                    e.target,
                    fmt(portion),
                    fmt(room),
                    if matches!(base, Policy::PopulationCap { .. }) {
                        ", cap"
                    } else {
                        ""
                    }
                ),
            )
        } else {
            (
                true,
                format!(
                    "{} went to recipients in {}, at least its earmark of {}",
                    fmt(to_group),
                    e.target,
                    fmt(portion)
                ),
            )
        };
        soft.push(Check {
            check: format!("earmark {}", e.target),
            passed,
            detail,
            hard: false,
        });
    }
    checks.extend(soft);
    checks
}

#[cfg(test)]
mod tests;
