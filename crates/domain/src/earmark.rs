//! Earmarks: conditions donors put on a contribution, such as "half for NAM
//! member states" or "for the African region".

use crate::catalog::{Catalog, CountryFacts};
use crate::codes::Iso3;
use crate::decimal::{self, json_to_text};
use crate::reference::{IncomeGroup, NamStatus, WhoRegion};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// Who an earmarked portion is for. Written as text in every exchange format:
/// `nam-members`, `m49:002`, `who:AFR`, `income:low`, `country:KEN`, `cluster:health`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EarmarkTarget {
    NamMembers,
    M49Area(String),
    WhoRegion(WhoRegion),
    IncomeGroup(IncomeGroup),
    Country(Iso3),
    Cluster(String),
}

impl EarmarkTarget {
    pub fn parse(field: &str, s: &str, catalog: &Catalog) -> Result<Self, FieldError> {
        let t = s.trim();
        let bad = |msg: String| FieldError::new(field, "invalid_earmark", msg);
        if t.eq_ignore_ascii_case("nam-members") {
            return Ok(Self::NamMembers);
        }
        let (kind, value) = t.split_once(':').ok_or_else(|| {
            bad(format!("'{s}' is not an earmark; use nam-members, m49:CODE, who:REGION, income:GROUP, country:ISO3 or cluster:NAME"))
        })?;
        match kind.trim().to_ascii_lowercase().as_str() {
            "m49" => {
                let code = format!("{:0>3}", value.trim());
                if catalog.m49_area_exists(&code) {
                    Ok(Self::M49Area(code))
                } else {
                    Err(bad(format!(
                        "'{value}' is not an M49 region code (Africa is 002, Asia 142)"
                    )))
                }
            }
            "who" => WhoRegion::parse(value)
                .map(Self::WhoRegion)
                .ok_or_else(|| bad(format!("'{value}' is not a WHO region (AFR, AMR, EMR, EUR, SEAR, WPR)"))),
            "income" => IncomeGroup::parse(value).map(Self::IncomeGroup).ok_or_else(|| {
                bad(format!(
                    "'{value}' is not an income group (low, lower_middle, upper_middle, high)"
                ))
            }),
            "country" => {
                let iso3 = Iso3::parse(field, value)?;
                if catalog.country(&iso3).is_some() {
                    Ok(Self::Country(iso3))
                } else {
                    Err(FieldError::new(
                        field,
                        "unknown_country",
                        format!("'{value}' is not a known country code"),
                    ))
                }
            }
            "cluster" => {
                let c = value.trim().to_ascii_lowercase();
                if catalog.cluster_exists(&c) {
                    Ok(Self::Cluster(c))
                } else {
                    Err(bad(format!("'{value}' is not a cluster in the catalogue")))
                }
            }
            other => Err(bad(format!(
                "'{other}' is not an earmark kind; use nam-members, m49, who, income, country or cluster"
            ))),
        }
    }

    /// Whether aid to this country, for an item of this cluster, satisfies the earmark.
    pub fn matches(&self, country: &CountryFacts, cluster: Option<&str>) -> bool {
        match self {
            Self::NamMembers => country.nam_status == NamStatus::Member,
            Self::M49Area(code) => country.m49_areas.iter().any(|a| a == code),
            Self::WhoRegion(r) => country.who_region == Some(*r),
            Self::IncomeGroup(g) => country.income_group == Some(*g),
            Self::Country(c) => &country.iso3 == c,
            Self::Cluster(c) => cluster == Some(c.as_str()),
        }
    }
}

impl fmt::Display for EarmarkTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NamMembers => f.write_str("nam-members"),
            Self::M49Area(c) => write!(f, "m49:{c}"),
            Self::WhoRegion(r) => write!(f, "who:{}", r.as_str()),
            Self::IncomeGroup(g) => write!(f, "income:{}", g.as_str()),
            Self::Country(c) => write!(f, "country:{c}"),
            Self::Cluster(c) => write!(f, "cluster:{c}"),
        }
    }
}

/// How much of the contribution is earmarked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarmarkPortion {
    /// A share in basis points (5000 = 50%).
    ShareBp(i64),
    /// An amount in the contribution's own base units.
    Amount(i64),
}

impl EarmarkPortion {
    /// The portion in the contribution's base units, rounding shares down.
    pub fn of(&self, total: i64) -> i64 {
        match self {
            Self::ShareBp(bp) => (i128::from(total) * i128::from(*bp) / 10_000) as i64,
            Self::Amount(a) => *a,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earmark {
    pub target: EarmarkTarget,
    pub portion: EarmarkPortion,
}

/// An earmark as sent: a target and either `share_percent` or `amount`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEarmark {
    pub target: Option<String>,
    pub share_percent: Option<Value>,
    pub amount: Option<Value>,
}

impl NewEarmark {
    /// Reads `nam-members=50%` (a share) or `who:AFR=2000000` (an amount),
    /// as the command line and spreadsheet columns write earmarks.
    pub fn from_text(field: &str, s: &str) -> Result<NewEarmark, FieldError> {
        let (target, portion) = s.rsplit_once('=').ok_or_else(|| {
            FieldError::new(
                field,
                "invalid",
                format!(
                    "'{}' is not TARGET=SHARE% or TARGET=AMOUNT (such as nam-members=50%)",
                    s.trim()
                ),
            )
        })?;
        let portion = portion.trim();
        let (share, amount) = match portion.strip_suffix('%') {
            Some(p) => (Some(Value::String(p.trim().into())), None),
            None => (None, Some(Value::String(portion.into()))),
        };
        Ok(NewEarmark {
            target: Some(target.trim().into()),
            share_percent: share,
            amount,
        })
    }

    /// The earmark as [`NewEarmark::from_text`] reads it.
    pub fn to_text(&self) -> String {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let target = self.target.clone().unwrap_or_default();
        match (&self.share_percent, &self.amount) {
            (Some(p), _) => format!("{target}={}%", text(p)),
            (None, Some(a)) => format!("{target}={}", text(a)),
            (None, None) => target,
        }
    }

    pub fn validate(&self, catalog: &Catalog, decimals: u32) -> Result<Earmark, FieldError> {
        let target_text = self
            .target
            .as_deref()
            .ok_or_else(|| FieldError::new("target", "required", "target is required (such as nam-members)"))?;
        let target = EarmarkTarget::parse("target", target_text, catalog)?;
        let portion = match (&self.share_percent, &self.amount) {
            (Some(p), None) => {
                let text = json_to_text(p).unwrap_or_default();
                let bp = decimal::parse_scaled(&text, 2)
                    .map_err(|e| FieldError::new("share_percent", e.code(), e.describe(&text)))?;
                if bp == 0 || bp > 10_000 {
                    return Err(FieldError::new(
                        "share_percent",
                        "out_of_range",
                        "share_percent must be more than 0 and at most 100",
                    ));
                }
                EarmarkPortion::ShareBp(bp)
            }
            (None, Some(a)) => {
                let text = json_to_text(a).unwrap_or_default();
                let v = decimal::parse_scaled(&text, decimals)
                    .map_err(|e| FieldError::new("amount", e.code(), e.describe(&text)))?;
                if v == 0 {
                    return Err(FieldError::new(
                        "amount",
                        "not_positive",
                        "amount must be more than zero",
                    ));
                }
                EarmarkPortion::Amount(v)
            }
            _ => {
                return Err(FieldError::new(
                    "share_percent",
                    "required",
                    "give either share_percent or amount, not both",
                ));
            }
        };
        Ok(Earmark { target, portion })
    }
}

/// A contribution as earmark follow-through sees it: who gave it to whom,
/// when it was first funded, what it is worth in US cents, and its earmarks.
#[derive(Debug, Clone)]
pub struct Flow {
    pub id: i64,
    pub donor: String,
    pub recipient: String,
    /// The recipient state's facts; none for an organisation.
    pub recipient_facts: Option<CountryFacts>,
    /// The cluster of the goods carried; none for cash.
    pub cluster: Option<String>,
    /// The date it first reached a funded stage (committed or later); none
    /// while it is only announced or pledged.
    pub funded_on: Option<chrono::NaiveDate>,
    pub cancelled: bool,
    /// Its value in US cents; none for goods of no known value.
    pub value_cents: Option<i64>,
    /// Its quantity in its own base units (item base units, or minor units
    /// of its currency), for earmarks given as an amount.
    pub quantity: i64,
    pub earmarks: Vec<Earmark>,
}

impl Flow {
    fn reaches(&self, target: &EarmarkTarget) -> bool {
        match target {
            EarmarkTarget::Cluster(c) => self.cluster.as_deref() == Some(c.as_str()),
            t => self
                .recipient_facts
                .as_ref()
                .is_some_and(|f| t.matches(f, self.cluster.as_deref())),
        }
    }
}

/// How far one earmark was followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowStatus {
    /// Funded and valued: reached and shortfall say how far it got.
    Followed,
    /// Announced or pledged only: nothing is due yet.
    NotYetFunded,
    Cancelled,
    /// Goods of no known value: there is nothing to measure it in.
    NotValued,
}

impl FollowStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Followed => "followed",
            Self::NotYetFunded => "not_yet_funded",
            Self::Cancelled => "cancelled",
            Self::NotValued => "not_valued",
        }
    }
}

/// The follow-through of one earmark, in US cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowLine {
    pub contribution: i64,
    pub target: EarmarkTarget,
    pub status: FollowStatus,
    pub earmarked: i64,
    /// The contribution itself, when its recipient is in the group.
    pub direct: i64,
    /// Onward flows of its recipient to the group: (contribution, cents).
    pub onward: Vec<(i64, i64)>,
}

impl FollowLine {
    pub fn reached(&self) -> i64 {
        self.direct + self.onward.iter().map(|(_, c)| c).sum::<i64>()
    }

    pub fn shortfall(&self) -> i64 {
        (self.earmarked - self.reached()).max(0)
    }
}

/// The earmarked part of a flow in US cents: a share of its value, rounded
/// down, or an amount in its own units at its own value per unit, rounded
/// half to even.
pub fn earmarked_cents(flow: &Flow, portion: EarmarkPortion) -> Option<i64> {
    let v = flow.value_cents?;
    Some(match portion {
        EarmarkPortion::ShareBp(bp) => (i128::from(v) * i128::from(bp) / 10_000) as i64,
        EarmarkPortion::Amount(a) => {
            crate::money::div_round_half_even(i128::from(a) * i128::from(v), i128::from(flow.quantity.max(1)))
                .min(i128::from(v)) as i64
        }
    })
}

/// Follows every earmark to its group. An earmark is reached by the flow
/// itself when its recipient is in the group; otherwise by what that
/// recipient, as donor, passes on to the group once the earmarked flow is
/// funded. Each intermediary's onward flows are one pool: earmarks draw on
/// it in the order they were funded (then by contribution and earmark), each
/// from the earliest onward flows it may use, and a dollar passed on counts
/// for one earmark only. Merged reports are left out by the caller.
pub fn follow_through(flows: &[Flow]) -> Vec<FollowLine> {
    // What is left of each onward flow, by contribution id.
    let mut left: std::collections::HashMap<i64, i64> = flows
        .iter()
        .filter(|f| !f.cancelled && f.funded_on.is_some())
        .filter_map(|f| f.value_cents.map(|v| (f.id, v)))
        .collect();
    // Each donor's live flows in funding order: the pools earmarks draw on,
    // found by the earmarked flow's recipient without a scan of every flow.
    let mut by_donor: std::collections::HashMap<&str, Vec<&Flow>> = std::collections::HashMap::new();
    for o in flows.iter().filter(|o| !o.cancelled && o.funded_on.is_some()) {
        by_donor.entry(o.donor.as_str()).or_default().push(o);
    }
    for pool in by_donor.values_mut() {
        pool.sort_by_key(|o| (o.funded_on, o.id));
    }
    let mut order: Vec<&Flow> = flows.iter().filter(|f| !f.earmarks.is_empty()).collect();
    order.sort_by_key(|f| (f.funded_on.is_none(), f.funded_on, f.id));
    let mut out = Vec::new();
    for f in order {
        for e in &f.earmarks {
            let status = if f.cancelled {
                FollowStatus::Cancelled
            } else if f.funded_on.is_none() {
                FollowStatus::NotYetFunded
            } else if f.value_cents.is_none() {
                FollowStatus::NotValued
            } else {
                FollowStatus::Followed
            };
            let earmarked = earmarked_cents(f, e.portion).unwrap_or(0);
            let mut line = FollowLine {
                contribution: f.id,
                target: e.target.clone(),
                status,
                earmarked,
                direct: 0,
                onward: Vec::new(),
            };
            if line.status == FollowStatus::Followed {
                if f.reaches(&e.target) {
                    line.direct = earmarked;
                } else {
                    let pool = by_donor
                        .get(f.recipient.as_str())
                        .into_iter()
                        .flatten()
                        .filter(|o| o.id != f.id)
                        .filter(|o| o.funded_on.is_some_and(|d| Some(d) >= f.funded_on))
                        .filter(|o| o.reaches(&e.target));
                    let mut need = earmarked;
                    for o in pool {
                        if need == 0 {
                            break;
                        }
                        let Some(rest) = left.get_mut(&o.id) else { continue };
                        let take = (*rest).min(need);
                        if take > 0 {
                            *rest -= take;
                            need -= take;
                            line.onward.push((o.id, take));
                        }
                    }
                }
            }
            out.push(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

    #[test]
    fn targets_parse_and_print_the_same() {
        let c = Catalog::from_reference(reference::embedded().unwrap());
        for t in [
            "nam-members",
            "m49:002",
            "who:AFR",
            "income:low",
            "country:KEN",
            "cluster:health",
        ] {
            assert_eq!(EarmarkTarget::parse("t", t, &c).unwrap().to_string(), t);
        }
        for t in [
            "nam",
            "m49:999",
            "who:XX",
            "income:rich",
            "country:XXX",
            "cluster:space",
            "planet:mars",
        ] {
            assert!(EarmarkTarget::parse("t", t, &c).is_err(), "{t}");
        }
    }

    #[test]
    fn nam_members_earmark_matches_members_only() {
        let r = reference::embedded().unwrap();
        let facts = |iso: &str| CountryFacts::from_country(r.country(iso).unwrap());
        assert!(EarmarkTarget::NamMembers.matches(&facts("KEN"), None));
        assert!(
            !EarmarkTarget::NamMembers.matches(&facts("BRA"), None),
            "Brazil is an observer"
        );
        assert!(!EarmarkTarget::NamMembers.matches(&facts("FRA"), None));
        assert!(EarmarkTarget::M49Area("002".into()).matches(&facts("KEN"), None));
    }

    #[test]
    fn earmarks_read_back_as_written() {
        for t in ["nam-members=50%", "who:AFR=2000000", "income:low=12.5%"] {
            assert_eq!(NewEarmark::from_text("e", t).unwrap().to_text(), t);
        }
        assert!(NewEarmark::from_text("e", "nam-members").is_err());
    }

    fn flow(id: i64, donor: &str, recipient: &str, on: &str, dollars: i64) -> Flow {
        let r = reference::embedded().unwrap();
        Flow {
            id,
            donor: donor.into(),
            recipient: recipient.into(),
            recipient_facts: r.country(recipient).map(CountryFacts::from_country),
            cluster: None,
            funded_on: Some(on.parse().unwrap()),
            cancelled: false,
            value_cents: Some(dollars * 100),
            quantity: dollars * 100,
            earmarks: vec![],
        }
    }

    /// The worked example in ARCHITECTURE.md ("Earmark follow-through").
    #[test]
    fn one_pool_per_intermediary_in_date_order() {
        let c = Catalog::from_reference(reference::embedded().unwrap());
        let mut fra = flow(1, "FRA", "WHO", "2021-02-01", 1_000_000);
        fra.earmarks = vec![Earmark {
            target: EarmarkTarget::parse("t", "income:low", &c).unwrap(),
            portion: EarmarkPortion::ShareBp(10_000),
        }];
        let mut aze = flow(2, "AZE", "WHO", "2021-03-01", 10_000_000);
        aze.earmarks = vec![Earmark {
            target: EarmarkTarget::NamMembers,
            portion: EarmarkPortion::ShareBp(5_000),
        }];
        let ken = flow(3, "WHO", "KEN", "2021-02-15", 3_000_000);
        let uga = flow(4, "WHO", "UGA", "2021-04-01", 4_000_000);
        let bra = flow(5, "WHO", "BRA", "2021-04-10", 2_000_000);
        let mut pledged = flow(6, "IND", "WHO", "2021-05-01", 500_000);
        pledged.funded_on = None;
        pledged.earmarks = aze.earmarks.clone();
        let lines = follow_through(&[aze, fra, ken, uga, bra, pledged]);
        type Got<'a> = (i64, i64, Vec<(i64, i64)>, i64, &'a str);
        let got: Vec<Got> = lines
            .iter()
            .map(|l| {
                (
                    l.contribution,
                    l.earmarked / 100,
                    l.onward.iter().map(|(c, v)| (*c, v / 100)).collect(),
                    l.shortfall() / 100,
                    l.status.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                // France's earmark comes first and takes $1M of Uganda's $4M.
                (1, 1_000_000, vec![(4, 1_000_000)], 0, "followed"),
                // Kenya's goods came before Azerbaijan's gift; Brazil is an
                // observer: only Uganda's remaining $3M reaches NAM members.
                (2, 5_000_000, vec![(4, 3_000_000)], 2_000_000, "followed"),
                (6, 250_000, vec![], 250_000, "not_yet_funded"),
            ]
        );
    }

    #[test]
    fn half_of_ten_million() {
        assert_eq!(EarmarkPortion::ShareBp(5000).of(1_000_000_000), 500_000_000);
    }
}
