//! Needs: what a state asks for, where, how much, how urgently and by when.

use crate::catalog::Catalog;
use crate::codes::{Iso3, ItemCode};
use crate::decimal::{self, json_to_text};
use crate::money::{Currency, FxRate, Money};
use crate::reference::UnitKind;
use crate::validation::{Errors, FieldError, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                let k = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                Self::ALL.iter().copied().find(|v| v.as_str() == k)
            }

            /// The accepted spellings, for error messages.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// Ordered from most to least urgent, so sorting ascending puts critical first.
    Priority { Critical = "critical", High = "high", Medium = "medium", Low = "low" }
);

text_enum!(
    /// How a need reached the database.
    ReportChannel {
        Web = "web",
        Api = "api",
        Cli = "cli",
        Import = "import",
        Email = "email",
        Phone = "phone",
        Assessment = "assessment",
        Other = "other",
    }
);

text_enum!(
    NeedStatus {
        Draft = "draft",
        Submitted = "submitted",
        Validated = "validated",
        PartlyMet = "partly_met",
        Met = "met",
        Withdrawn = "withdrawn",
    }
);

impl NeedStatus {
    /// The statuses a need has once the secretariat validated it, in which
    /// every state's partners may see it.
    pub const SHARED_STATUSES: [NeedStatus; 3] = [NeedStatus::Validated, NeedStatus::PartlyMet, NeedStatus::Met];

    /// The legal moves. `partly_met` and `met` follow committed coverage, so
    /// they can move back when a contribution is cancelled; `withdrawn` is final.
    pub fn can_become(self, next: NeedStatus) -> bool {
        use NeedStatus::*;
        matches!(
            (self, next),
            (Draft, Submitted | Withdrawn)
                | (Submitted, Validated | Draft | Withdrawn)
                | (Validated, PartlyMet | Met | Withdrawn)
                | (PartlyMet, Validated | Met | Withdrawn)
                | (Met, Validated | PartlyMet | Withdrawn)
        )
    }

    pub fn check_transition(self, next: NeedStatus) -> Result<(), FieldError> {
        if self.can_become(next) {
            Ok(())
        } else {
            let allowed: Vec<&str> = Self::ALL
                .iter()
                .filter(|s| self.can_become(**s))
                .map(|s| s.as_str())
                .collect();
            let allowed = if allowed.is_empty() {
                "none; it is final".to_owned()
            } else {
                allowed.join(", ")
            };
            Err(FieldError::new(
                "status",
                "illegal_transition",
                format!("a need cannot go from {self} to {next} (allowed from {self}: {allowed})"),
            ))
        }
    }

    /// Whether partners can see and pledge against it.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Validated | Self::PartlyMet)
    }

    /// Whether its fields may still be edited.
    pub fn is_editable(self) -> bool {
        !matches!(self, Self::Withdrawn)
    }

    /// The status that committed contributions imply for a validated need.
    pub fn from_coverage(self, size: Size, funded: Received) -> NeedStatus {
        if !matches!(self, Self::Validated | Self::PartlyMet | Self::Met) {
            return self;
        }
        if size.is_met(funded) {
            Self::Met
        } else if funded.units > 0 || funded.cash_cents > 0 {
            Self::PartlyMet
        } else {
            Self::Validated
        }
    }
}

/// How big a need is: its quantity in coverage units (item base units, or
/// US cents for a financial need) and, when known, its value in US cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub quantity: i64,
    pub value_cents: Option<i64>,
}

/// What a need receives at some stage: goods (or, for a financial need,
/// cash) in its coverage units, and cash for goods in US cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    pub units: i64,
    pub cash_cents: i64,
}

impl Size {
    /// The need's value in US cents, when it has one: a value of zero or
    /// less counts as none, so nothing is valued against it.
    pub fn value(&self) -> Option<i64> {
        self.value_cents.filter(|v| *v > 0)
    }

    /// The value received, in US cents: goods at the need's own price per
    /// unit, rounded down to the cent, plus cash. Rounding down makes
    /// "received at least the need's value" exactly "fully covered".
    pub fn valued(&self, r: Received) -> Option<i64> {
        let v = self.value()?;
        let goods = i128::from(r.units) * i128::from(v) / i128::from(self.quantity.max(1));
        Some(i64::try_from(goods).unwrap_or(i64::MAX).saturating_add(r.cash_cents))
    }

    /// The quantity still needed: what goods in kind have not covered, less
    /// what cash linked to the need buys at the need's own price (rounded
    /// up, so a need short of anything is short of at least one base unit).
    pub fn open_units(&self, r: Received) -> i64 {
        let gap = (self.quantity - r.units).max(0);
        if r.cash_cents <= 0 {
            return gap;
        }
        match (self.value(), self.valued(r)) {
            (Some(v), Some(got)) if got >= v => 0,
            (Some(v), Some(got)) => {
                let remaining = i128::from(v - got) * i128::from(self.quantity);
                let units = (remaining + i128::from(v) - 1) / i128::from(v);
                gap.min(i64::try_from(units).unwrap_or(i64::MAX))
            }
            _ => gap,
        }
    }

    /// Fully covered: in units, or, when cash counts against a need for
    /// goods, goods and cash together at least the need's value.
    pub fn is_met(&self, r: Received) -> bool {
        match (self.value(), self.valued(r)) {
            (Some(v), Some(got)) => got >= v,
            _ => r.units >= self.quantity,
        }
    }
}

/// What is asked for: a quantity of an item in base units, or money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    Quantity(i64),
    Money { money: Money, rate: FxRate, usd_cents: i64 },
}

impl Requested {
    /// The amount coverage is counted in: base units of the item, or US cents.
    pub fn coverage_units(&self) -> i64 {
        match self {
            Self::Quantity(q) => *q,
            Self::Money { usd_cents, .. } => *usd_cents,
        }
    }
}

/// A need as people and programs send it. Every field is optional here so
/// that a missing one gets a clear, named error rather than a parser message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewNeed {
    pub country: Option<String>,
    pub place: Option<String>,
    pub pcode: Option<String>,
    pub item: Option<String>,
    pub quantity: Option<Value>,
    pub amount: Option<Value>,
    pub currency: Option<String>,
    pub usd_rate: Option<Value>,
    pub priority: Option<String>,
    pub needed_by: Option<String>,
    pub justification: Option<String>,
    pub reported_via: Option<String>,
    pub external_id: Option<String>,
    /// How many people the need concerns, and how many it will reach, with
    /// where the figures come from (an assessment, a census...).
    pub people_in_need: Option<Value>,
    pub people_targeted: Option<Value>,
    pub people_source: Option<String>,
    /// What meeting the need makes possible, in the terms of the place:
    /// "so that 14 villages can return".
    pub outcome: Option<String>,
}

impl NewNeed {
    /// Fields set in `patch` replace those here; the rest stay.
    pub fn merged(&self, patch: &NewNeed) -> NewNeed {
        fn pick<T: Clone>(new: &Option<T>, old: &Option<T>) -> Option<T> {
            new.clone().or_else(|| old.clone())
        }
        let switching_to_money = patch.amount.is_some();
        let switching_to_quantity = patch.quantity.is_some();
        NewNeed {
            country: pick(&patch.country, &self.country),
            place: pick(&patch.place, &self.place),
            pcode: pick(&patch.pcode, &self.pcode),
            item: pick(&patch.item, &self.item),
            quantity: if switching_to_money {
                patch.quantity.clone()
            } else {
                pick(&patch.quantity, &self.quantity)
            },
            amount: if switching_to_quantity {
                patch.amount.clone()
            } else {
                pick(&patch.amount, &self.amount)
            },
            currency: if switching_to_quantity {
                patch.currency.clone()
            } else {
                pick(&patch.currency, &self.currency)
            },
            usd_rate: if switching_to_quantity {
                patch.usd_rate.clone()
            } else {
                pick(&patch.usd_rate, &self.usd_rate)
            },
            priority: pick(&patch.priority, &self.priority),
            needed_by: pick(&patch.needed_by, &self.needed_by),
            justification: pick(&patch.justification, &self.justification),
            reported_via: pick(&patch.reported_via, &self.reported_via),
            external_id: pick(&patch.external_id, &self.external_id),
            people_in_need: pick(&patch.people_in_need, &self.people_in_need),
            people_targeted: pick(&patch.people_targeted, &self.people_targeted),
            people_source: pick(&patch.people_source, &self.people_source),
            outcome: pick(&patch.outcome, &self.outcome),
        }
    }
}

/// A need that passed validation: every value is known good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedSpec {
    pub country: Iso3,
    pub place: Option<String>,
    pub pcode: Option<String>,
    pub item: ItemCode,
    pub requested: Requested,
    pub priority: Priority,
    pub needed_by: NaiveDate,
    pub justification: String,
    pub reported_via: ReportChannel,
    pub external_id: Option<String>,
    pub people: People,
}

/// The people a need serves, as reported. Counts are whole people; a count
/// comes with its source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People {
    pub in_need: Option<i64>,
    pub targeted: Option<i64>,
    pub source: Option<String>,
    pub outcome: Option<String>,
}

impl NeedSpec {
    /// The input that produces this spec, so an edit can be merged and re-checked.
    pub fn to_input(&self, decimals: u32) -> NewNeed {
        let (quantity, amount, currency, usd_rate) = match self.requested {
            Requested::Quantity(q) => (Some(decimal::to_json_number(q, decimals)), None, None, None),
            Requested::Money { money, rate, .. } => (
                None,
                Some(Value::String(money.major_text())),
                Some(money.currency.code().to_owned()),
                Some(Value::String(rate.text())),
            ),
        };
        NewNeed {
            country: Some(self.country.to_string()),
            place: self.place.clone(),
            pcode: self.pcode.clone(),
            item: Some(self.item.to_string()),
            quantity,
            amount,
            currency,
            usd_rate,
            priority: Some(self.priority.to_string()),
            needed_by: Some(self.needed_by.to_string()),
            justification: Some(self.justification.clone()),
            reported_via: Some(self.reported_via.to_string()),
            external_id: self.external_id.clone(),
            people_in_need: self.people.in_need.map(Value::from),
            people_targeted: self.people.targeted.map(Value::from),
            people_source: self.people.source.clone(),
            outcome: self.people.outcome.clone(),
        }
    }
}

pub const MAX_PLACE: usize = 200;
pub const MAX_JUSTIFICATION: usize = 4000;
pub const MAX_EXTERNAL_ID: usize = 200;

/// Checks a whole need and reports every problem at once, each naming its field.
pub fn validate(input: &NewNeed, catalog: &Catalog) -> Result<NeedSpec, Invalid> {
    validate_keeping(input, catalog, None)
}

/// As [`validate`], for an edit of a need of `keeping`: a need whose item was
/// retired since may keep it, but no need may take up a retired item.
pub fn validate_keeping(input: &NewNeed, catalog: &Catalog, keeping: Option<&str>) -> Result<NeedSpec, Invalid> {
    let mut errs = Errors::new();

    let country = required(&mut errs, "country", &input.country).and_then(|s| {
        let code = errs.take(Iso3::parse("country", s))?;
        if catalog.country(&code).is_none() {
            errs.add(
                "country",
                "unknown_country",
                format!("'{s}' is not a known country or area code"),
            );
            return None;
        }
        Some(code)
    });

    let item = required(&mut errs, "item", &input.item).and_then(|s| {
        let code = errs.take(ItemCode::parse("item", s))?;
        match catalog.item(&code) {
            Some(i) if i.retired && keeping != Some(code.as_str()) => {
                errs.add(
                    "item",
                    "retired_item",
                    format!(
                        "{} ({}) was retired from the catalogue; choose another item",
                        i.code, i.name_en
                    ),
                );
                None
            }
            Some(i) => Some(i),
            None => {
                errs.add(
                    "item",
                    "unknown_item",
                    format!("'{s}' is not in the item catalogue (see `needsdb items list`)"),
                );
                None
            }
        }
    });

    let requested = item.and_then(|item| {
        if item.unit_kind == UnitKind::Money {
            if input.quantity.is_some() {
                errs.add(
                    "quantity",
                    "not_allowed",
                    format!(
                        "{} is a financial item: give amount and currency, not quantity",
                        item.code
                    ),
                );
            }
            errs.take(parse_money_fields(
                input.amount.as_ref(),
                input.currency.as_deref(),
                input.usd_rate.as_ref(),
            ))
        } else {
            for (field, present) in [
                ("amount", input.amount.is_some()),
                ("currency", input.currency.is_some()),
            ] {
                if present {
                    errs.add(
                        field,
                        "not_allowed",
                        format!("{} is counted in {}: give quantity, not {field}", item.code, item.unit),
                    );
                }
            }
            errs.take(parse_quantity("quantity", input.quantity.as_ref(), item.decimals))
                .map(Requested::Quantity)
        }
    });

    let priority = required(&mut errs, "priority", &input.priority).and_then(|s| {
        let p = Priority::parse(s);
        if p.is_none() {
            errs.add(
                "priority",
                "invalid_choice",
                format!("'{s}' is not a priority (use one of {})", Priority::choices()),
            );
        }
        p
    });

    let needed_by =
        required(&mut errs, "needed_by", &input.needed_by).and_then(|s| errs.take(parse_date("needed_by", s)));

    let reported_via = match input.reported_via.as_deref() {
        None => Some(ReportChannel::Api),
        Some(s) => {
            let c = ReportChannel::parse(s);
            if c.is_none() {
                errs.add(
                    "reported_via",
                    "invalid_choice",
                    format!(
                        "'{s}' is not a reporting channel (use one of {})",
                        ReportChannel::choices()
                    ),
                );
            }
            c
        }
    };

    let place = errs.take(optional_text("place", &input.place, MAX_PLACE)).flatten();
    let pcode = errs.take(parse_pcode(&input.pcode)).flatten();
    let justification = errs
        .take(optional_text("justification", &input.justification, MAX_JUSTIFICATION))
        .flatten();
    let external_id = errs
        .take(optional_text("external_id", &input.external_id, MAX_EXTERNAL_ID))
        .flatten();
    let people = parse_people(&mut errs, input);

    errs.finish()?;
    match (country, item, requested, priority, needed_by, reported_via) {
        (Some(country), Some(item), Some(requested), Some(priority), Some(needed_by), Some(reported_via)) => {
            Ok(NeedSpec {
                country,
                place,
                pcode,
                item: item.code.clone(),
                requested,
                priority,
                needed_by,
                justification: justification.unwrap_or_default(),
                reported_via,
                external_id,
                people,
            })
        }
        // Every None above recorded an error, so finish() returned already.
        _ => Err(Invalid::one("need", "invalid", "the need is incomplete")),
    }
}

/// No more people than live on Earth; a count is whole and not negative.
const MAX_PEOPLE: i64 = 10_000_000_000;

fn parse_people(errs: &mut Errors, input: &NewNeed) -> People {
    let count = |errs: &mut Errors, field: &str, v: &Option<Value>| -> Option<i64> {
        let v = v
            .as_ref()
            .filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))?;
        let text = json_to_text(v).unwrap_or_else(|| v.to_string());
        match decimal::parse_scaled(&text, 0) {
            Ok(n) if (0..=MAX_PEOPLE).contains(&n) => Some(n),
            _ => {
                errs.add(
                    field,
                    "invalid_count",
                    format!("{field} is a whole number of people, 0 to 10 billion; '{text}' is not"),
                );
                None
            }
        }
    };
    let in_need = count(errs, "people_in_need", &input.people_in_need);
    let targeted = count(errs, "people_targeted", &input.people_targeted);
    let source = errs
        .take(optional_text("people_source", &input.people_source, 500))
        .flatten();
    let outcome = errs.take(optional_text("outcome", &input.outcome, 500)).flatten();
    if let (Some(n), Some(t)) = (in_need, targeted)
        && t > n
    {
        errs.add(
            "people_targeted",
            "more_than_in_need",
            format!("{t} people targeted is more than the {n} in need"),
        );
    }
    if (in_need.is_some() || targeted.is_some()) && source.is_none() {
        errs.add(
            "people_source",
            "required",
            "say where the number of people comes from (an assessment, a census...)",
        );
    }
    People {
        in_need,
        targeted,
        source,
        outcome,
    }
}

pub(crate) fn required<'a>(errs: &mut Errors, field: &str, v: &'a Option<String>) -> Option<&'a str> {
    match v.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Some(s),
        _ => {
            errs.add(field, "required", format!("{field} is required"));
            None
        }
    }
}

pub fn parse_quantity(field: &str, v: Option<&Value>, decimals: u32) -> Result<i64, FieldError> {
    let Some(v) = v else {
        return Err(FieldError::new(field, "required", format!("{field} is required")));
    };
    let text = json_to_text(v)
        .ok_or_else(|| FieldError::new(field, "not_a_number", format!("{field} must be a number, not {v}")))?;
    let q = decimal::parse_scaled(&text, decimals).map_err(|e| FieldError::new(field, e.code(), e.describe(&text)))?;
    if q == 0 {
        return Err(FieldError::new(
            field,
            "not_positive",
            format!("{field} must be more than zero"),
        ));
    }
    Ok(q)
}

/// Parses amount, currency and US dollar rate together; USD needs no rate.
pub fn parse_money_fields(
    amount: Option<&Value>,
    currency: Option<&str>,
    usd_rate: Option<&Value>,
) -> Result<Requested, FieldError> {
    let currency = match currency {
        Some(c) => Currency::parse("currency", c)?,
        None => {
            return Err(FieldError::new(
                "currency",
                "required",
                "currency is required with an amount (such as USD)",
            ));
        }
    };
    let text = amount
        .and_then(json_to_text)
        .ok_or_else(|| FieldError::new("amount", "required", "amount is required, as a number"))?;
    let money = Money::parse("amount", &text, currency)?;
    if money.minor == 0 {
        return Err(FieldError::new(
            "amount",
            "not_positive",
            "amount must be more than zero",
        ));
    }
    let rate = match (usd_rate.and_then(json_to_text), currency == Currency::USD) {
        (None, true) => FxRate::ONE,
        (Some(r), true) => {
            let rate = FxRate::parse("usd_rate", &r)?;
            if rate != FxRate::ONE {
                return Err(FieldError::new("usd_rate", "invalid", "the US dollar rate of USD is 1"));
            }
            rate
        }
        (Some(r), false) => FxRate::parse("usd_rate", &r)?,
        (None, false) => {
            return Err(FieldError::new(
                "usd_rate",
                "required",
                format!(
                    "usd_rate is required for {currency}: US dollars per one {currency} on the day it was recorded"
                ),
            ));
        }
    };
    let usd_cents = rate
        .usd_cents(money)
        .map_err(|e| FieldError::new("amount", e.code(), "the amount is too large in US dollars"))?;
    Ok(Requested::Money { money, rate, usd_cents })
}

pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, FieldError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            "invalid_date",
            format!("'{s}' is not a date in the form YYYY-MM-DD"),
        )
    })?;
    let year = chrono::Datelike::year(&d);
    if !(1990..=2100).contains(&year) {
        return Err(FieldError::new(
            field,
            "out_of_range",
            format!("{s} is outside the years 1990 to 2100"),
        ));
    }
    Ok(d)
}

pub(crate) fn optional_text(field: &str, v: &Option<String>, max: usize) -> Result<Option<String>, FieldError> {
    let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if s.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("{field} is longer than {max} characters"),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(
            field,
            "control_characters",
            format!("{field} contains control characters"),
        ));
    }
    Ok(Some(s.to_owned()))
}

/// A P-code (OCHA place code) is a country's ISO2 or ISO3 prefix and digits.
fn parse_pcode(v: &Option<String>) -> Result<Option<String>, FieldError> {
    let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let up = s.to_ascii_uppercase();
    let letters = up.bytes().take_while(u8::is_ascii_uppercase).count();
    if !(2..=3).contains(&letters) || up.len() > 20 || !up.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(FieldError::new(
            "pcode",
            "invalid_pcode",
            format!("'{s}' is not a P-code (such as KE047 or AFG0101)"),
        ));
    }
    Ok(Some(up))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;
    use serde_json::json;

    fn catalog() -> Catalog {
        Catalog::from_reference(reference::embedded().unwrap())
    }

    fn good() -> NewNeed {
        NewNeed {
            country: Some("KEN".into()),
            item: Some("BIO-O2-CONCENTRATOR".into()),
            quantity: Some(json!(200)),
            priority: Some("critical".into()),
            needed_by: Some("2026-12-31".into()),
            ..Default::default()
        }
    }

    fn fields(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|e| format!("{}:{}", e.field, e.code)).collect()
    }

    #[test]
    fn a_complete_need_validates() {
        let spec = validate(&good(), &catalog()).unwrap();
        assert_eq!(spec.requested, Requested::Quantity(200));
        assert_eq!(spec.priority, Priority::Critical);
        assert_eq!(spec.reported_via, ReportChannel::Api);
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let bad = NewNeed {
            country: Some("XXX".into()),
            item: Some("NO-SUCH-ITEM".into()),
            priority: Some("urgent".into()),
            needed_by: Some("31/12/2026".into()),
            ..Default::default()
        };
        let f = fields(validate(&bad, &catalog()).unwrap_err());
        assert_eq!(
            f,
            vec![
                "country:unknown_country",
                "item:unknown_item",
                "priority:invalid_choice",
                "needed_by:invalid_date"
            ]
        );
    }

    #[test]
    fn negative_and_zero_quantities_are_rejected() {
        for (q, code) in [
            (json!(-5), "negative"),
            (json!(0), "not_positive"),
            (json!("many"), "not_a_number"),
            (json!(1.5), "too_precise"),
        ] {
            let n = NewNeed {
                quantity: Some(q),
                ..good()
            };
            assert_eq!(
                fields(validate(&n, &catalog()).unwrap_err()),
                vec![format!("quantity:{code}")]
            );
        }
    }

    #[test]
    fn tonnes_keep_kilograms() {
        let n = NewNeed {
            item: Some("FOOD-RICE".into()),
            quantity: Some(json!(2.5)),
            ..good()
        };
        assert_eq!(validate(&n, &catalog()).unwrap().requested, Requested::Quantity(2500));
    }

    #[test]
    fn financial_needs_take_money_with_a_rate() {
        let n = NewNeed {
            item: Some("CASH-CONTRIBUTION".into()),
            quantity: None,
            amount: Some(json!("1000000")),
            currency: Some("EUR".into()),
            usd_rate: Some(json!("1.08")),
            ..good()
        };
        let spec = validate(&n, &catalog()).unwrap();
        assert_eq!(spec.requested.coverage_units(), 108_000_000);
        let no_rate = NewNeed {
            usd_rate: None,
            ..n.clone()
        };
        assert_eq!(
            fields(validate(&no_rate, &catalog()).unwrap_err()),
            vec!["usd_rate:required"]
        );
        let bad_cur = NewNeed {
            currency: Some("EUX".into()),
            ..n
        };
        assert_eq!(
            fields(validate(&bad_cur, &catalog()).unwrap_err()),
            vec!["currency:unknown_currency"]
        );
    }

    #[test]
    fn status_changes_follow_legal_transitions_only() {
        use NeedStatus::*;
        assert!(Draft.can_become(Submitted));
        assert!(Submitted.can_become(Validated));
        assert!(!Draft.can_become(Validated));
        assert!(!Withdrawn.can_become(Draft));
        assert!(!Met.can_become(Draft));
        for s in NeedStatus::ALL {
            assert!(!Withdrawn.can_become(*s));
            assert!(!s.can_become(*s), "{s} to itself");
        }
        let e = Draft.check_transition(Met).unwrap_err();
        assert_eq!(e.code, "illegal_transition");
        assert!(e.message.contains("submitted"), "{}", e.message);
    }

    #[test]
    fn coverage_sets_fulfilment_status() {
        use NeedStatus::*;
        let size = Size {
            quantity: 100,
            value_cents: None,
        };
        let units = |units| Received { units, cash_cents: 0 };
        assert_eq!(Validated.from_coverage(size, units(0)), Validated);
        assert_eq!(Validated.from_coverage(size, units(40)), PartlyMet);
        assert_eq!(PartlyMet.from_coverage(size, units(100)), Met);
        assert_eq!(Met.from_coverage(size, units(10)), PartlyMet);
        assert_eq!(Draft.from_coverage(size, units(100)), Draft);
        assert_eq!(Withdrawn.from_coverage(size, units(100)), Withdrawn);
    }

    #[test]
    fn cash_for_goods_counts_at_the_needs_value() {
        use NeedStatus::*;
        // 200 concentrators at $500: $100,000.
        let size = Size {
            quantity: 200,
            value_cents: Some(10_000_000),
        };
        let r = |units, cash_cents| Received { units, cash_cents };
        assert_eq!(size.valued(r(150, 0)), Some(7_500_000));
        assert_eq!(Validated.from_coverage(size, r(0, 6_000_000)), PartlyMet);
        assert_eq!(Validated.from_coverage(size, r(100, 5_000_000)), Met);
        assert_eq!(Validated.from_coverage(size, r(199, 0)), PartlyMet);
        // 1,000 tablets worth 400 cents: 999 tablets are 399.6 cents, counted as 399.
        let tablets = Size {
            quantity: 1000,
            value_cents: Some(400),
        };
        assert_eq!(tablets.valued(r(999, 0)), Some(399));
        assert_eq!(size.open_units(r(0, 6_000_000)), 80);
        assert_eq!(size.open_units(r(150, 0)), 50);
        assert_eq!(size.open_units(r(100, 5_000_000)), 0);
        assert_eq!(size.open_units(r(100, 4_999_999)), 1);
        assert!(!tablets.is_met(r(999, 0)));
        assert!(tablets.is_met(r(999, 1)));
    }

    #[test]
    fn merging_a_patch_keeps_unpatched_fields() {
        let base = good();
        let patch = NewNeed {
            quantity: Some(json!(300)),
            ..Default::default()
        };
        let m = base.merged(&patch);
        assert_eq!(m.quantity, Some(json!(300)));
        assert_eq!(m.country, base.country);
    }

    #[test]
    fn spec_round_trips_through_input() {
        let c = catalog();
        let spec = validate(
            &NewNeed {
                item: Some("FOOD-RICE".into()),
                quantity: Some(json!("12.345")),
                ..good()
            },
            &c,
        )
        .unwrap();
        assert_eq!(validate(&spec.to_input(3), &c).unwrap(), spec);
    }
}
