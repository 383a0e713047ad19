//! A delivery as it really happens: the recipient confirms what arrived,
//! when, and says how; goods may arrive in parts, and some never arrive.

use crate::contribution::{Stage, event_date, parse_source_url};
use crate::need::{optional_text, parse_quantity};
use crate::validation::{Errors, FieldError, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A confirmation as sent: the quantity (or amount) that arrived, in the
/// contribution's unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDelivery {
    #[cfg_attr(feature = "openapi", schema(value_type = f64, minimum = 0, exclusive_minimum = 0))]
    pub quantity: Option<Value>,
    /// YYYY-MM-DD; today when left out.
    pub date: Option<String>,
    /// What arrived and in what state, or the delivery note's number.
    pub note: Option<String>,
    pub source_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDelivery {
    /// Native units: item base units, or minor units of the currency.
    pub quantity: i64,
    pub date: NaiveDate,
    pub note: String,
    pub source_url: Option<String>,
}

/// Where a contribution stands when a delivery is confirmed against it.
#[derive(Debug, Clone, Copy)]
pub struct Shipment {
    pub stage: Stage,
    pub stage_date: NaiveDate,
    /// Native units promised, and confirmed so far.
    pub quantity: i64,
    pub delivered: i64,
    pub decimals: u32,
}

impl Shipment {
    /// What is still to arrive: nothing once the stage is delivered.
    pub fn outstanding(&self) -> i64 {
        if self.stage == Stage::Delivered {
            0
        } else {
            (self.quantity - self.delivered).max(0)
        }
    }
}

impl NewDelivery {
    pub fn validate(&self, s: &Shipment, today: NaiveDate) -> Result<ValidDelivery, Invalid> {
        let mut errs = Errors::new();
        if !matches!(s.stage, Stage::Committed | Stage::Shipped | Stage::Disbursed) {
            errs.add(
                "stage",
                "not_on_its_way",
                format!(
                    "a delivery is confirmed once the contribution is committed, shipped or disbursed; it is {}",
                    s.stage
                ),
            );
        }
        let quantity = errs
            .take(parse_quantity("quantity", self.quantity.as_ref(), s.decimals))
            .and_then(|q| {
                let left = s.outstanding();
                if q > left {
                    errs.add(
                        "quantity",
                        "more_than_outstanding",
                        format!(
                            "only {} of {} are still to be confirmed",
                            crate::decimal::format_scaled(left, s.decimals),
                            crate::decimal::format_scaled(s.quantity, s.decimals)
                        ),
                    );
                    None
                } else {
                    Some(q)
                }
            });
        let date = event_date(&mut errs, self.date.as_deref(), s.stage, s.stage_date, today);
        let note = errs.take(optional_text("note", &self.note, 2000)).flatten();
        let source_url = errs.take(parse_source_url(&self.source_url)).flatten();
        errs.finish()?;
        match (quantity, date) {
            (Some(quantity), Some(date)) => Ok(ValidDelivery {
                quantity,
                date,
                note: note.unwrap_or_default(),
                source_url,
            }),
            _ => Err(Invalid::from(FieldError::new(
                "quantity",
                "invalid",
                "the delivery is incomplete",
            ))),
        }
    }
}

/// The part of a link's coverage delivered when `delivered` of `total`
/// native units arrived: in proportion, rounded down, so the links never
/// add up to more than arrived; all of it once everything arrived.
pub fn delivered_share(covered: i64, delivered: i64, total: i64) -> i64 {
    if total <= 0 || delivered <= 0 {
        return 0;
    }
    if delivered >= total {
        return covered;
    }
    let share = i128::from(covered) * i128::from(delivered) / i128::from(total);
    i64::try_from(share).unwrap_or(covered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shipped(quantity: i64, delivered: i64) -> Shipment {
        Shipment {
            stage: Stage::Shipped,
            stage_date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            quantity,
            delivered,
            decimals: 0,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn a_part_can_arrive_and_no_more_than_is_outstanding() {
        let d = NewDelivery {
            quantity: Some(json!(600)),
            date: Some("2026-11-10".into()),
            note: Some("signed note 17".into()),
            source_url: None,
        };
        let v = d.validate(&shipped(1000, 0), today()).unwrap();
        assert_eq!((v.quantity, v.note.as_str()), (600, "signed note 17"));
        let e = d.validate(&shipped(1000, 980), today()).unwrap_err();
        assert_eq!(e.0[0].field, "quantity");
        assert!(e.0[0].message.contains("only 20 of 1000"), "{}", e.0[0].message);
    }

    #[test]
    fn every_problem_is_named_and_a_pledge_is_not_yet_on_its_way() {
        let d = NewDelivery {
            quantity: Some(json!("lots")),
            date: Some("2099-01-01".into()),
            note: None,
            source_url: Some("ftp://x".into()),
        };
        let mut s = shipped(10, 0);
        s.stage = Stage::Pledged;
        let e = d.validate(&s, today()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["stage", "quantity", "date", "source_url"]);
    }

    #[test]
    fn links_share_what_arrived_rounded_down_and_all_of_it_at_the_end() {
        assert_eq!(delivered_share(700, 600, 1000), 420);
        assert_eq!(delivered_share(300, 600, 1000), 180);
        assert_eq!(delivered_share(333, 1, 1000), 0);
        assert_eq!(delivered_share(333, 1000, 1000), 333);
        assert_eq!(
            i128::from(delivered_share(i64::MAX / 2, 3, 4)),
            i128::from(i64::MAX / 2) * 3 / 4
        );
        assert_eq!(delivered_share(5, 0, 0), 0);
    }
}
