//! Contributions: money or goods from a donor to a recipient, optionally
//! through a channel, tracked from announcement to delivery.

use crate::catalog::Catalog;
use crate::codes::{Iso3, ItemCode, PartyCode};
use crate::decimal::json_to_text;
use crate::earmark::{Earmark, NewEarmark};
use crate::money::{FxRate, Money};
use crate::need::{
    NeedStatus, Requested, optional_text, parse_date, parse_money_fields, parse_quantity, required, text_enum,
};
use crate::party::PartyKind;
use crate::reference::UnitKind;
use crate::validation::{Errors, FieldError, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

text_enum!(
    Stage {
        Announced = "announced",
        Pledged = "pledged",
        Committed = "committed",
        Shipped = "shipped",
        Disbursed = "disbursed",
        Delivered = "delivered",
        Cancelled = "cancelled",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ContributionKind {
    InKind,
    Cash,
}

impl ContributionKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::InKind => "in_kind",
            Self::Cash => "cash",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "in_kind" => Some(Self::InKind),
            "cash" => Some(Self::Cash),
            _ => None,
        }
    }
}

impl Stage {
    fn rank(self) -> u8 {
        match self {
            Self::Announced => 0,
            Self::Pledged => 1,
            Self::Committed => 2,
            Self::Shipped | Self::Disbursed => 3,
            Self::Delivered => 4,
            Self::Cancelled => 5,
        }
    }

    /// As in OCHA FTS: only committed and later stages count as funded.
    pub fn is_funded(self) -> bool {
        matches!(
            self,
            Self::Committed | Self::Shipped | Self::Disbursed | Self::Delivered
        )
    }

    /// Only a cancelled contribution goes nowhere; a delivered one can still
    /// be cancelled, when the record of its delivery proves wrong.
    pub fn is_final(self) -> bool {
        self == Self::Cancelled
    }

    /// Whether a contribution of this kind may start at this stage.
    pub fn fits(self, kind: ContributionKind) -> bool {
        match self {
            Self::Shipped => kind == ContributionKind::InKind,
            Self::Disbursed => kind == ContributionKind::Cash,
            _ => true,
        }
    }

    /// Stages only move forward (skipping is allowed, as a pledge may be
    /// recorded only once committed); goods are shipped and cash disbursed;
    /// a contribution can be cancelled from any stage, and cancelled is final.
    pub fn can_become(self, next: Stage, kind: ContributionKind) -> bool {
        if self.is_final() || !next.fits(kind) {
            return false;
        }
        next == Self::Cancelled || next.rank() > self.rank()
    }

    pub fn check_transition(self, next: Stage, kind: ContributionKind) -> Result<(), FieldError> {
        if self.can_become(next, kind) {
            return Ok(());
        }
        let allowed: Vec<&str> = Self::ALL
            .iter()
            .filter(|s| self.can_become(**s, kind))
            .map(|s| s.as_str())
            .collect();
        let allowed = if allowed.is_empty() {
            "none; it is final".to_owned()
        } else {
            allowed.join(", ")
        };
        let why = if !next.fits(kind) {
            format!(
                " ({} contributions are {})",
                kind.as_str().replace('_', "-"),
                if kind == ContributionKind::Cash {
                    "disbursed, not shipped"
                } else {
                    "shipped, not disbursed"
                }
            )
        } else {
            String::new()
        };
        Err(FieldError::new(
            "stage",
            "illegal_transition",
            format!("a contribution cannot go from {self} to {next}{why} (allowed from {self}: {allowed})"),
        ))
    }
}

/// A link from a contribution to a need, as sent: the need's id and the part
/// of the contribution meant for it, in the contribution's unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLink {
    pub need: Option<i64>,
    pub quantity: Option<Value>,
}

impl NewLink {
    /// `12=60` links 60 (in the contribution's unit) to need 12, as the
    /// command line and the pages write a link.
    pub fn from_text(field: &str, s: &str) -> Result<NewLink, FieldError> {
        let (id, qty) = s
            .split_once('=')
            .ok_or_else(|| FieldError::new(field, "invalid", format!("'{s}' is not NEED_ID=QUANTITY")))?;
        let need = id
            .trim()
            .trim_start_matches('#')
            .parse::<i64>()
            .map_err(|_| FieldError::new(field, "invalid", format!("'{}' is not a need number", id.trim())))?;
        Ok(NewLink {
            need: Some(need),
            quantity: Some(Value::String(qty.trim().into())),
        })
    }
}

/// A contribution as sent. In kind: `item` and `quantity`. In cash: `amount`,
/// `currency` and, unless USD, `usd_rate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewContribution {
    pub donor: Option<String>,
    pub recipient: Option<String>,
    pub channel: Option<String>,
    pub item: Option<String>,
    pub quantity: Option<Value>,
    pub amount: Option<Value>,
    pub currency: Option<String>,
    pub usd_rate: Option<Value>,
    pub stage: Option<String>,
    pub stage_date: Option<String>,
    pub source_url: Option<String>,
    pub description: Option<String>,
    pub external_id: Option<String>,
    /// Goods: their value in US dollars, as the donor gives it. Without it,
    /// the catalogue's indicative unit value is used, marked as estimated.
    pub usd_value: Option<Value>,
    /// The DAC 5-digit sector of a cash contribution linked to no need
    /// (IATI): such as 12250 (infectious disease control) or 72010.
    pub sector: Option<String>,
    #[serde(default)]
    pub links: Vec<NewLink>,
    #[serde(default)]
    pub earmarks: Vec<NewEarmark>,
}

/// A correction to a recorded contribution: what was pledged or sent, when,
/// and what it is for. The donor, the recipient, what is carried (item or
/// currency) and the stage are the flow itself and are not edited here: a
/// stage moves by its own operation, and a wrong flow is cancelled and
/// recorded anew. Fields left out keep their value; `links` and `earmarks`,
/// when given, replace the lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContributionEdit {
    pub channel: Option<String>,
    /// Goods: the quantity. Cash: use `amount`.
    pub quantity: Option<Value>,
    pub amount: Option<Value>,
    pub usd_rate: Option<Value>,
    pub usd_value: Option<Value>,
    pub stage_date: Option<String>,
    pub source_url: Option<String>,
    pub description: Option<String>,
    pub external_id: Option<String>,
    pub sector: Option<String>,
    pub links: Option<Vec<NewLink>>,
    pub earmarks: Option<Vec<NewEarmark>>,
}

impl ContributionEdit {
    /// The contribution as it would be recorded with this correction made.
    pub fn apply(&self, current: &NewContribution) -> Result<NewContribution, Invalid> {
        let cash = current.amount.is_some();
        let mut errs = Errors::new();
        if cash && self.quantity.is_some() {
            errs.add(
                "quantity",
                "cash_has_amount",
                "a cash contribution is corrected by its amount",
            );
        }
        if !cash && (self.amount.is_some() || self.usd_rate.is_some()) {
            let field = if self.amount.is_some() { "amount" } else { "usd_rate" };
            errs.add(field, "goods_have_quantity", "goods are corrected by their quantity");
        }
        errs.finish()?;
        let pick = |edit: &Option<String>, now: &Option<String>| edit.clone().or_else(|| now.clone());
        let pick_v = |edit: &Option<Value>, now: &Option<Value>| edit.clone().or_else(|| now.clone());
        Ok(NewContribution {
            channel: pick(&self.channel, &current.channel).filter(|c| !c.trim().is_empty()),
            quantity: pick_v(&self.quantity, &current.quantity),
            amount: pick_v(&self.amount, &current.amount),
            usd_rate: pick_v(&self.usd_rate, &current.usd_rate),
            usd_value: pick_v(&self.usd_value, &current.usd_value),
            stage_date: pick(&self.stage_date, &current.stage_date),
            source_url: pick(&self.source_url, &current.source_url),
            description: pick(&self.description, &current.description),
            external_id: pick(&self.external_id, &current.external_id),
            sector: pick(&self.sector, &current.sector),
            links: self.links.clone().unwrap_or_else(|| current.links.clone()),
            earmarks: self.earmarks.clone().unwrap_or_else(|| current.earmarks.clone()),
            ..current.clone()
        })
    }
}

/// The goods or money a contribution carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    InKind {
        item: ItemCode,
        quantity: i64,
        decimals: u32,
    },
    Cash {
        money: Money,
        rate: FxRate,
        usd_cents: i64,
    },
}

impl Carried {
    pub fn kind(&self) -> ContributionKind {
        match self {
            Self::InKind { .. } => ContributionKind::InKind,
            Self::Cash { .. } => ContributionKind::Cash,
        }
    }

    /// The amount in its own base units: item base units or currency minor units.
    pub fn native(&self) -> i64 {
        match self {
            Self::InKind { quantity, .. } => *quantity,
            Self::Cash { money, .. } => money.minor,
        }
    }

    /// Decimal places of the native unit.
    pub fn decimals(&self) -> u32 {
        match self {
            Self::InKind { decimals, .. } => *decimals,
            Self::Cash { money, .. } => money.currency.exponent(),
        }
    }

    /// The amount coverage is counted in: item base units, or US cents.
    pub fn coverage_units(&self) -> i64 {
        match self {
            Self::InKind { quantity, .. } => *quantity,
            Self::Cash { usd_cents, .. } => *usd_cents,
        }
    }

    /// A native amount converted to coverage units.
    pub fn covered(&self, native: i64) -> i64 {
        match self {
            Self::InKind { .. } => native,
            Self::Cash { money, rate, .. } => rate
                .usd_cents(Money {
                    currency: money.currency,
                    minor: native,
                })
                .unwrap_or(i64::MAX),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSpec {
    pub need_id: i64,
    /// In the contribution's base units.
    pub quantity: i64,
    /// In coverage units of the need: item base units or US cents. Cash
    /// linked to a need for goods covers no units: it counts at its value.
    pub covered: i64,
    /// Cash: the link's value in US cents; goods: 0.
    pub covered_usd: i64,
}

/// What validation must know about a need a contribution links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub country: Iso3,
    pub item: ItemCode,
    pub is_money: bool,
    /// Whether the need has an indicative value in US dollars (its item has
    /// a unit value), so that cash can count against it.
    pub valued: bool,
    pub status: NeedStatus,
}

/// What a contribution is worth in US cents, and whether that is an
/// estimate from the catalogue rather than the donor's own figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Valuation {
    pub cents: i64,
    pub estimated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionSpec {
    pub donor: PartyCode,
    pub recipient: PartyCode,
    pub channel: Option<PartyCode>,
    pub carried: Carried,
    pub stage: Stage,
    pub stage_date: NaiveDate,
    pub source_url: Option<String>,
    pub description: String,
    pub external_id: Option<String>,
    pub links: Vec<LinkSpec>,
    pub earmarks: Vec<Earmark>,
    /// None for goods with neither a donor's value nor a catalogue value.
    pub value: Option<Valuation>,
    /// A declared DAC sector (cash linked to no need).
    pub sector: Option<String>,
}

pub const MAX_LINKS: usize = 1000;
pub const MAX_EARMARKS: usize = 20;

/// Checks a whole contribution. `needs` holds the needs its links name;
/// `today` is the stage date when none is given.
pub fn validate(
    input: &NewContribution,
    catalog: &Catalog,
    needs: &HashMap<i64, LinkTarget>,
    today: NaiveDate,
) -> Result<ContributionSpec, Invalid> {
    let mut errs = Errors::new();
    let party = |errs: &mut Errors, field: &str, v: &Option<String>, required_field: bool| -> Option<PartyCode> {
        let s = if required_field {
            required(errs, field, v)?
        } else {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())?
        };
        let code = errs.take(PartyCode::parse(field, s))?;
        if catalog.party(&code).is_none() {
            errs.add(
                field,
                "unknown_party",
                format!("'{s}' is not a known country or organisation (see `needsdb parties list`)"),
            );
            return None;
        }
        Some(code)
    };
    let donor = party(&mut errs, "donor", &input.donor, true);
    let recipient = party(&mut errs, "recipient", &input.recipient, true);
    let channel = party(&mut errs, "channel", &input.channel, false);
    if donor.is_some() && donor == recipient {
        errs.add("recipient", "same_as_donor", "the recipient must differ from the donor");
    }
    if channel.is_some() && (channel == donor || channel == recipient) {
        errs.add(
            "channel",
            "same_as_party",
            "the channel must differ from the donor and the recipient",
        );
    }

    let carried = parse_carried(&mut errs, input, catalog);

    let stage = match input.stage.as_deref() {
        None => Some(Stage::Pledged),
        Some(s) => match Stage::parse(s) {
            Some(Stage::Cancelled) => {
                errs.add(
                    "stage",
                    "invalid_choice",
                    "a contribution cannot be recorded as cancelled; record it, then cancel it",
                );
                None
            }
            Some(st) => Some(st),
            None => {
                errs.add(
                    "stage",
                    "invalid_choice",
                    format!("'{s}' is not a stage (use one of {})", Stage::choices()),
                );
                None
            }
        },
    };
    if let (Some(st), Some(c)) = (stage, &carried)
        && !st.fits(c.kind())
        && let Err(e) = Stage::Announced.check_transition(st, c.kind())
    {
        errs.push(e);
    }
    let stage_date = match input.stage_date.as_deref() {
        None => Some(today),
        Some(s) => errs.take(parse_date("stage_date", s).and_then(|d| not_ahead("stage_date", d, today))),
    };
    let source_url = errs.take(parse_source_url(&input.source_url)).flatten();
    if stage == Some(Stage::Announced) && source_url.is_none() {
        errs.add(
            "source_url",
            "required",
            "an announcement needs the link to its public statement",
        );
    }
    let description = errs
        .take(optional_text("description", &input.description, 4000))
        .flatten();
    let external_id = errs
        .take(optional_text("external_id", &input.external_id, 200))
        .flatten();

    let links = carried
        .as_ref()
        .map(|c| validate_links(&mut errs, input, c, recipient.as_ref(), catalog, needs));
    let earmarks = carried
        .as_ref()
        .map(|c| validate_earmarks(&mut errs, input, c, catalog));
    let value = carried.as_ref().and_then(|c| valuation(&mut errs, input, c, catalog));
    let sector = validate_sector(&mut errs, input, carried.as_ref());

    errs.finish()?;
    match (donor, recipient, carried, stage, stage_date, links, earmarks) {
        (Some(donor), Some(recipient), Some(carried), Some(stage), Some(stage_date), Some(links), Some(earmarks)) => {
            Ok(ContributionSpec {
                value,
                sector,
                donor,
                recipient,
                channel,
                carried,
                stage,
                stage_date,
                source_url,
                description: description.unwrap_or_default(),
                external_id,
                links,
                earmarks,
            })
        }
        _ => Err(Invalid::one(
            "contribution",
            "invalid",
            "the contribution is incomplete",
        )),
    }
}

fn parse_carried(errs: &mut Errors, input: &NewContribution, catalog: &Catalog) -> Option<Carried> {
    if input.amount.is_some() || input.currency.is_some() {
        if input.quantity.is_some() {
            errs.add(
                "quantity",
                "not_allowed",
                "give quantity (in kind) or amount and currency (cash), not both",
            );
            return None;
        }
        if let Some(item) = input.item.as_deref() {
            let code = errs.take(ItemCode::parse("item", item))?;
            if catalog.item(&code).map(|i| i.unit_kind) != Some(UnitKind::Money) {
                errs.add(
                    "item",
                    "not_allowed",
                    "a cash contribution carries money; leave item out, or name a financial item",
                );
                return None;
            }
        }
        match errs.take(parse_money_fields(
            input.amount.as_ref(),
            input.currency.as_deref(),
            input.usd_rate.as_ref(),
        ))? {
            Requested::Money { money, rate, usd_cents } => Some(Carried::Cash { money, rate, usd_cents }),
            Requested::Quantity(_) => None,
        }
    } else {
        let Some(item_text) = input.item.as_deref() else {
            errs.add(
                "item",
                "required",
                "give item and quantity for goods, or amount and currency for cash",
            );
            return None;
        };
        let code = errs.take(ItemCode::parse("item", item_text))?;
        let Some(item) = catalog.item(&code) else {
            errs.add(
                "item",
                "unknown_item",
                format!("'{item_text}' is not in the item catalogue (see `needsdb items list`)"),
            );
            return None;
        };
        if item.unit_kind == UnitKind::Money {
            errs.add(
                "amount",
                "required",
                format!("{} is a financial item: give amount and currency", item.code),
            );
            return None;
        }
        let quantity = errs.take(parse_quantity("quantity", input.quantity.as_ref(), item.decimals))?;
        Some(Carried::InKind {
            item: code,
            quantity,
            decimals: item.decimals,
        })
    }
}

fn validate_links(
    errs: &mut Errors,
    input: &NewContribution,
    carried: &Carried,
    recipient: Option<&PartyCode>,
    catalog: &Catalog,
    needs: &HashMap<i64, LinkTarget>,
) -> Vec<LinkSpec> {
    if input.links.len() > MAX_LINKS {
        errs.add(
            "links",
            "too_many",
            format!("at most {MAX_LINKS} links per contribution"),
        );
        return Vec::new();
    }
    let recipient_state = recipient.filter(|r| catalog.party(r) == Some(PartyKind::State));
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, l) in input.links.iter().enumerate() {
        let field = |f: &str| format!("links[{i}].{f}");
        let Some(id) = l.need else {
            errs.add(field("need"), "required", "the need's id is required");
            continue;
        };
        if !seen.insert(id) {
            errs.add(field("need"), "duplicate", format!("need {id} is linked twice"));
            continue;
        }
        // A need that does not exist and one the caller may not see (a draft)
        // get the same answer, so a link tells nobody what exists.
        let not_open = || {
            FieldError::new(
                field("need"),
                "need_not_open",
                format!("there is no open need {id}: contributions are linked to validated needs only"),
            )
        };
        let Some(target) = needs.get(&id) else {
            errs.push(not_open());
            continue;
        };
        if !matches!(
            target.status,
            NeedStatus::Validated | NeedStatus::PartlyMet | NeedStatus::Met
        ) {
            errs.push(not_open());
            continue;
        }
        match carried {
            Carried::InKind { item, .. } if &target.item != item => {
                errs.add(
                    field("need"),
                    "item_mismatch",
                    format!("need {id} is for {}, but this contribution carries {item}", target.item),
                );
            }
            Carried::Cash { .. } if !target.is_money && !target.valued => {
                errs.add(
                    field("need"),
                    "not_valued",
                    format!(
                        "need {id} is for goods ({}) that have no indicative value in the catalogue, so cash cannot count against it; ask the secretariat to give {} a unit value",
                        target.item, target.item
                    ),
                );
            }
            _ => {}
        }
        if let Some(r) = recipient_state
            && r.as_str() != target.country.as_str()
        {
            errs.add(
                field("need"),
                "country_mismatch",
                format!("need {id} is {}'s, but the recipient is {r}", target.country),
            );
        }
        if let Some(q) = errs.take(
            parse_quantity("quantity", l.quantity.as_ref(), carried.decimals())
                .map_err(|e| e.nested(&format!("links[{i}]."))),
        ) {
            let (covered, covered_usd) = match carried {
                Carried::InKind { .. } => (q, 0),
                Carried::Cash { .. } if target.is_money => (carried.covered(q), carried.covered(q)),
                Carried::Cash { .. } => (0, carried.covered(q)),
            };
            out.push(LinkSpec {
                need_id: id,
                quantity: q,
                covered,
                covered_usd,
            });
        }
    }
    let total: i128 = out.iter().map(|l| i128::from(l.quantity)).sum();
    if total > i128::from(carried.native()) {
        errs.add(
            "links",
            "links_exceed_contribution",
            format!(
                "the links add up to {}, more than the {} this contribution carries",
                crate::decimal::format_scaled(i64::try_from(total).unwrap_or(i64::MAX), carried.decimals()),
                crate::decimal::format_scaled(carried.native(), carried.decimals())
            ),
        );
    }
    out
}

fn validate_earmarks(errs: &mut Errors, input: &NewContribution, carried: &Carried, catalog: &Catalog) -> Vec<Earmark> {
    if input.earmarks.len() > MAX_EARMARKS {
        errs.add(
            "earmarks",
            "too_many",
            format!("at most {MAX_EARMARKS} earmarks per contribution"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, e) in input.earmarks.iter().enumerate() {
        if let Some(m) = errs.take(
            e.validate(catalog, carried.decimals())
                .map_err(|e| e.nested(&format!("earmarks[{i}]."))),
        ) {
            out.push(m);
        }
    }
    let total: i128 = out.iter().map(|m| i128::from(m.portion.of(carried.native()))).sum();
    if total > i128::from(carried.native()) {
        errs.add(
            "earmarks",
            "earmarks_exceed_contribution",
            "the earmarks add up to more than the whole contribution",
        );
    }
    out
}

/// A date a stage was reached: at most a day ahead of today, which allows
/// for time zones but not for a stage that has not happened.
pub fn not_ahead(field: &str, d: NaiveDate, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    if d > today + chrono::Days::new(1) {
        Err(FieldError::new(
            field,
            "in_future",
            format!("{d} is in the future; record a stage once it is reached"),
        ))
    } else {
        Ok(d)
    }
}

/// The contribution's value in US cents: the cash itself, the donor's value
/// of goods, or else the catalogue's indicative unit value (an estimate).
fn valuation(errs: &mut Errors, input: &NewContribution, carried: &Carried, catalog: &Catalog) -> Option<Valuation> {
    match carried {
        Carried::Cash { usd_cents, .. } => {
            if input.usd_value.is_some() {
                errs.add(
                    "usd_value",
                    "not_allowed",
                    "cash is valued by its amount and US dollar rate; usd_value is for goods",
                );
            }
            Some(Valuation {
                cents: *usd_cents,
                estimated: false,
            })
        }
        Carried::InKind {
            item,
            quantity,
            decimals,
        } => {
            if let Some(v) = &input.usd_value {
                let text = json_to_text(v).unwrap_or_default();
                return match crate::decimal::parse_scaled(&text, 2) {
                    Ok(0) => {
                        errs.add("usd_value", "not_positive", "usd_value must be more than zero");
                        None
                    }
                    Ok(cents) => Some(Valuation {
                        cents,
                        estimated: false,
                    }),
                    Err(e) => {
                        errs.add("usd_value", e.code(), e.describe(&text));
                        None
                    }
                };
            }
            let rate = catalog.item(item)?.unit_value()?;
            match rate.value_cents(*quantity, *decimals) {
                Ok(cents) => Some(Valuation { cents, estimated: true }),
                Err(_) => {
                    errs.add(
                        "quantity",
                        "too_large",
                        "the quantity is too large to value in US dollars",
                    );
                    None
                }
            }
        }
    }
}

/// A declared sector must be in the IATI codelist; cash that funds no need
/// must declare one, so that every IATI activity has a sector.
fn validate_sector(errs: &mut Errors, input: &NewContribution, carried: Option<&Carried>) -> Option<String> {
    let declared = input.sector.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(code) = declared {
        let known = crate::reference::embedded().is_ok_and(|r| r.dac_sectors.contains_key(code));
        if !known {
            errs.add(
                "sector",
                "unknown_sector",
                format!("'{code}' is not a DAC 5-digit code of the IATI Sector codelist (such as 12250 or 72010)"),
            );
            return None;
        }
        return Some(code.to_owned());
    }
    if matches!(carried, Some(Carried::Cash { .. })) && input.links.is_empty() {
        errs.add(
            "sector",
            "required",
            "cash that is linked to no need must name the sector it funds (a DAC 5-digit code such as 12250 infectious disease control, or 72010 material relief)",
        );
    }
    None
}

/// A stage change as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChange {
    pub to: Option<String>,
    pub date: Option<String>,
    pub note: Option<String>,
    pub source_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStageChange {
    pub to: Stage,
    pub date: NaiveDate,
    pub note: String,
    pub source_url: Option<String>,
}

impl StageChange {
    /// Checks the move from `current` (reached on `current_date`); the date
    /// defaults to `today` and may not come before the current stage's date.
    pub fn validate(
        &self,
        current: Stage,
        kind: ContributionKind,
        current_date: NaiveDate,
        today: NaiveDate,
    ) -> Result<ValidStageChange, Invalid> {
        let mut errs = Errors::new();
        let to = match required(&mut errs, "to", &self.to) {
            Some(t) => match Stage::parse(t) {
                Some(st) => errs
                    .take(current.check_transition(st, kind).map_err(|e| FieldError {
                        field: "to".into(),
                        ..e
                    }))
                    .map(|_| st),
                None => {
                    errs.add(
                        "to",
                        "invalid_choice",
                        format!("'{t}' is not a stage (use one of {})", Stage::choices()),
                    );
                    None
                }
            },
            None => None,
        };
        let date = event_date(&mut errs, self.date.as_deref(), current, current_date, today);
        let note = errs.take(optional_text("note", &self.note, 2000)).flatten();
        let source_url = errs.take(parse_source_url(&self.source_url)).flatten();
        errs.finish()?;
        match (to, date) {
            (Some(to), Some(date)) => Ok(ValidStageChange {
                to,
                date,
                note: note.unwrap_or_default(),
                source_url,
            }),
            _ => Err(Invalid::one("to", "invalid", "the stage change is incomplete")),
        }
    }
}

/// The date of something that happens to a contribution at `current` (a
/// stage change, a delivery): today by default, never ahead of today, and
/// not before the date the contribution reached its current stage.
pub(crate) fn event_date(
    errs: &mut Errors,
    date: Option<&str>,
    current: Stage,
    current_date: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let Some(d) = date else {
        return Some(today.max(current_date));
    };
    let d = errs.take(parse_date("date", d).and_then(|d| not_ahead("date", d, today)))?;
    if d < current_date {
        errs.add(
            "date",
            "before_current_stage",
            format!("{d} is before {current_date}, when the contribution became {current}"),
        );
        return None;
    }
    Some(d)
}

pub(crate) fn parse_source_url(v: &Option<String>) -> Result<Option<String>, FieldError> {
    let Some(s) = optional_text("source_url", v, 2000)? else {
        return Ok(None);
    };
    let lower = s.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || s.contains(char::is_whitespace)
        || s.len() < 10
    {
        return Err(FieldError::new(
            "source_url",
            "invalid_url",
            format!("'{s}' is not a web address (https://...)"),
        ));
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;
    use serde_json::json;

    fn catalog() -> Catalog {
        Catalog::from_reference(reference::embedded().unwrap())
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn needs() -> HashMap<i64, LinkTarget> {
        let t = |c: &str, i: &str, money: bool| LinkTarget {
            country: Iso3::parse("c", c).unwrap(),
            item: ItemCode::parse("i", i).unwrap(),
            is_money: money,
            valued: money,
            status: NeedStatus::Validated,
        };
        HashMap::from([
            (1, t("KEN", "BIO-O2-CONCENTRATOR", false)),
            (2, t("KEN", "BIO-O2-CONCENTRATOR", false)),
            (3, t("UGA", "BIO-O2-CONCENTRATOR", false)),
            (4, t("KEN", "CASH-CONTRIBUTION", true)),
        ])
    }

    fn in_kind() -> NewContribution {
        NewContribution {
            donor: Some("IND".into()),
            recipient: Some("KEN".into()),
            item: Some("BIO-O2-CONCENTRATOR".into()),
            quantity: Some(json!(100)),
            links: vec![
                NewLink {
                    need: Some(1),
                    quantity: Some(json!(60)),
                },
                NewLink {
                    need: Some(2),
                    quantity: Some(json!(40)),
                },
            ],
            ..Default::default()
        }
    }

    fn codes(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|e| format!("{}:{}", e.field, e.code)).collect()
    }

    #[test]
    fn an_in_kind_contribution_with_links_validates() {
        let s = validate(&in_kind(), &catalog(), &needs(), today()).unwrap();
        assert_eq!(s.stage, Stage::Pledged);
        assert_eq!(s.links.len(), 2);
        assert_eq!(s.stage_date, today());
    }

    #[test]
    fn links_may_not_exceed_what_the_contribution_carries() {
        let mut c = in_kind();
        c.links[1].quantity = Some(json!(41));
        assert_eq!(
            codes(validate(&c, &catalog(), &needs(), today()).unwrap_err()),
            vec!["links:links_exceed_contribution"]
        );
    }

    #[test]
    fn links_must_fit_item_and_recipient() {
        let mut c = in_kind();
        c.links = vec![
            NewLink {
                need: Some(3),
                quantity: Some(json!(1)),
            },
            NewLink {
                need: Some(4),
                quantity: Some(json!(1)),
            },
            NewLink {
                need: Some(99),
                quantity: Some(json!(1)),
            },
        ];
        assert_eq!(
            codes(validate(&c, &catalog(), &needs(), today()).unwrap_err()),
            vec![
                "links[0].need:country_mismatch",
                "links[1].need:item_mismatch",
                "links[2].need:need_not_open"
            ]
        );
    }

    #[test]
    fn cash_with_an_earmark() {
        let c = NewContribution {
            donor: Some("AZE".into()),
            recipient: Some("WHO".into()),
            amount: Some(json!(10_000_000)),
            currency: Some("USD".into()),
            stage: Some("committed".into()),
            sector: Some("12250".into()),
            earmarks: vec![NewEarmark {
                target: Some("nam-members".into()),
                share_percent: Some(json!(50)),
                amount: None,
            }],
            ..Default::default()
        };
        let s = validate(&c, &catalog(), &needs(), today()).unwrap();
        assert_eq!(s.carried.coverage_units(), 1_000_000_000);
        assert_eq!(s.earmarks[0].portion.of(s.carried.native()), 500_000_000);
        let over = NewContribution {
            earmarks: vec![
                NewEarmark {
                    target: Some("nam-members".into()),
                    share_percent: Some(json!(60)),
                    amount: None,
                },
                NewEarmark {
                    target: Some("who:AFR".into()),
                    share_percent: Some(json!(50)),
                    amount: None,
                },
            ],
            ..c
        };
        assert_eq!(
            codes(validate(&over, &catalog(), &needs(), today()).unwrap_err()),
            vec!["earmarks:earmarks_exceed_contribution"]
        );
    }

    #[test]
    fn cash_needs_a_sector_unless_it_funds_a_need() {
        let cash = NewContribution {
            donor: Some("AZE".into()),
            recipient: Some("WHO".into()),
            amount: Some(json!(100)),
            currency: Some("USD".into()),
            ..Default::default()
        };
        assert_eq!(
            codes(validate(&cash, &catalog(), &needs(), today()).unwrap_err()),
            ["sector:required"]
        );
        let bad = NewContribution {
            sector: Some("99999".into()),
            ..cash.clone()
        };
        assert_eq!(
            codes(validate(&bad, &catalog(), &needs(), today()).unwrap_err()),
            ["sector:unknown_sector"]
        );
        let linked = NewContribution {
            recipient: Some("KEN".into()),
            links: vec![NewLink {
                need: Some(4),
                quantity: Some(json!(100)),
            }],
            ..cash
        };
        let s = validate(&linked, &catalog(), &needs(), today()).unwrap();
        assert_eq!(
            s.value,
            Some(Valuation {
                cents: 10_000,
                estimated: false
            })
        );
        assert_eq!((s.links[0].covered, s.links[0].covered_usd), (10_000, 10_000));
    }

    #[test]
    fn cash_counts_against_goods_at_its_value_when_the_goods_have_one() {
        let mut targets = needs();
        let cash = NewContribution {
            donor: Some("IND".into()),
            recipient: Some("KEN".into()),
            amount: Some(json!(60_000)),
            currency: Some("USD".into()),
            links: vec![NewLink {
                need: Some(1),
                quantity: Some(json!(60_000)),
            }],
            ..Default::default()
        };
        assert_eq!(
            codes(validate(&cash, &catalog(), &targets, today()).unwrap_err()),
            ["links[0].need:not_valued"]
        );
        if let Some(t) = targets.get_mut(&1) {
            t.valued = true;
        }
        let s = validate(&cash, &catalog(), &targets, today()).unwrap();
        assert_eq!((s.links[0].covered, s.links[0].covered_usd), (0, 6_000_000));
    }

    #[test]
    fn goods_carry_the_donors_value_or_the_catalogues_estimate() {
        let mut c = catalog();
        let s = validate(&in_kind(), &c, &needs(), today()).unwrap();
        assert_eq!(s.value, None, "no donor value and no catalogue value");
        if let Some(i) = c.items.values_mut().find(|i| i.code.as_str() == "BIO-O2-CONCENTRATOR") {
            i.unit_value_usd = Some("650".into());
        }
        let s = validate(&in_kind(), &c, &needs(), today()).unwrap();
        assert_eq!(
            s.value,
            Some(Valuation {
                cents: 6_500_000,
                estimated: true
            })
        );
        let given = NewContribution {
            usd_value: Some(json!("58000.50")),
            ..in_kind()
        };
        let s = validate(&given, &c, &needs(), today()).unwrap();
        assert_eq!(
            s.value,
            Some(Valuation {
                cents: 5_800_050,
                estimated: false
            })
        );
    }

    #[test]
    fn a_stage_more_than_a_day_ahead_is_refused() {
        let ahead = |days: u64| NewContribution {
            stage_date: Some((today() + chrono::Days::new(days)).to_string()),
            ..in_kind()
        };
        assert!(validate(&ahead(1), &catalog(), &needs(), today()).is_ok());
        assert_eq!(
            codes(validate(&ahead(2), &catalog(), &needs(), today()).unwrap_err()),
            ["stage_date:in_future"]
        );
        let change = StageChange {
            to: Some("committed".into()),
            date: Some((today() + chrono::Days::new(30)).to_string()),
            ..Default::default()
        };
        let e = change
            .validate(Stage::Pledged, ContributionKind::InKind, today(), today())
            .unwrap_err();
        assert_eq!(codes(e), ["date:in_future"]);
    }

    #[test]
    fn bad_parties_and_currencies_are_named() {
        let c = NewContribution {
            donor: Some("ZZZ".into()),
            recipient: Some("KEN".into()),
            amount: Some(json!(5)),
            currency: Some("ABC".into()),
            ..Default::default()
        };
        assert_eq!(
            codes(validate(&c, &catalog(), &needs(), today()).unwrap_err()),
            vec!["donor:unknown_party", "currency:unknown_currency"]
        );
    }

    #[test]
    fn announcements_need_their_source() {
        let c = NewContribution {
            stage: Some("announced".into()),
            ..in_kind()
        };
        assert_eq!(
            codes(validate(&c, &catalog(), &needs(), today()).unwrap_err()),
            vec!["source_url:required"]
        );
    }

    #[test]
    fn stage_changes_are_checked_whole() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ok = StageChange {
            to: Some("committed".into()),
            ..Default::default()
        };
        let v = ok
            .validate(Stage::Pledged, ContributionKind::InKind, d("2026-01-01"), today())
            .unwrap();
        assert_eq!((v.to, v.date), (Stage::Committed, today()));
        let back = StageChange {
            to: Some("pledged".into()),
            date: Some("2025-01-01".into()),
            ..Default::default()
        };
        let e = back
            .validate(Stage::Committed, ContributionKind::InKind, d("2026-01-01"), today())
            .unwrap_err();
        assert_eq!(codes(e), vec!["to:illegal_transition", "date:before_current_stage"]);
    }

    #[test]
    fn stages_move_forward_only_and_fit_the_kind() {
        use ContributionKind::*;
        use Stage::*;
        assert!(Announced.can_become(Pledged, InKind));
        assert!(Pledged.can_become(Committed, Cash));
        assert!(Committed.can_become(Shipped, InKind));
        assert!(!Committed.can_become(Shipped, Cash));
        assert!(Committed.can_become(Disbursed, Cash));
        assert!(Shipped.can_become(Delivered, InKind));
        assert!(!Committed.can_become(Pledged, InKind));
        assert!(
            Delivered.can_become(Cancelled, InKind),
            "a wrong delivery record can be cancelled"
        );
        assert!(!Delivered.can_become(Shipped, InKind));
        assert!(!Cancelled.can_become(Pledged, InKind));
        for s in [Announced, Pledged, Committed, Shipped, Delivered] {
            assert!(s.can_become(Cancelled, InKind), "{s}");
        }
        assert!(!Pledged.is_funded() && Committed.is_funded() && Delivered.is_funded() && !Cancelled.is_funded());
        let e = Committed.check_transition(Shipped, Cash).unwrap_err();
        assert!(e.message.contains("disbursed"), "{}", e.message);
    }
}
