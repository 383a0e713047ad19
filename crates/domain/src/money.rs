//! Money as integer minor units of an ISO 4217 currency, and the exchange rate
//! used to record its US dollar value. No floats anywhere.

use crate::decimal::{self, DecimalError, MAX_BASE_UNITS};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency with its number of minor-unit digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    pub const USD: Currency = Currency(iso_currency::Currency::USD);

    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let code = s.trim().to_ascii_uppercase();
        match iso_currency::Currency::from_code(&code) {
            // Funds codes (XAU gold, XDR SDR...) have no minor unit and are not
            // a currency anyone pays relief in.
            Some(c) if c.exponent().is_some() => Ok(Self(c)),
            _ => Err(FieldError::new(
                field,
                "unknown_currency",
                format!("'{s}' is not an ISO 4217 currency code (such as USD, EUR, KES)"),
            )),
        }
    }

    pub fn code(&self) -> &'static str {
        // iso_currency returns a &str tied to a static table.
        self.0.code()
    }

    /// Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD.
    pub fn exponent(&self) -> u32 {
        self.0.exponent().map_or(0, u32::from)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse("currency", &s).map_err(serde::de::Error::custom)
    }
}

/// An amount in minor units (cents) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub currency: Currency,
    pub minor: i64,
}

impl Money {
    /// Parses "10000000.00" in `currency`, rejecting negatives and more
    /// decimals than the currency has.
    pub fn parse(field: &str, amount: &str, currency: Currency) -> Result<Self, FieldError> {
        decimal::parse_scaled(amount, currency.exponent())
            .map(|minor| Self { currency, minor })
            .map_err(|e| FieldError::new(field, e.code(), e.describe(amount)))
    }

    /// The amount in major units as exact decimal text.
    pub fn major_text(&self) -> String {
        decimal::format_scaled(self.minor, self.currency.exponent())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.major_text(), self.currency)
    }
}

/// US dollars per one unit of a currency, as recorded on a given day.
/// Kept as an exact decimal (mantissa and scale), never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FxRate {
    mantissa: i64,
    scale: u32,
}

impl FxRate {
    pub const ONE: FxRate = FxRate { mantissa: 1, scale: 0 };
    const MAX_SCALE: u32 = 12;

    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let t = s.trim();
        let scale = t
            .split_once('.')
            .map_or(0, |(_, f)| f.trim_end_matches('0').len() as u32);
        let err = |code: &str, msg: String| FieldError::new(field, code, msg);
        if scale > Self::MAX_SCALE {
            return Err(err(
                "too_precise",
                format!("'{s}' has more than {} decimal places", Self::MAX_SCALE),
            ));
        }
        match decimal::parse_scaled(t, scale) {
            Ok(0) => Err(err(
                "not_positive",
                format!("the exchange rate '{s}' must be more than zero"),
            )),
            Ok(mantissa) => Ok(Self { mantissa, scale }),
            Err(e) => Err(err(e.code(), e.describe(s))),
        }
    }

    pub fn text(&self) -> String {
        decimal::format_scaled(self.mantissa, self.scale)
    }

    /// The US cents this amount was worth at this rate, rounded half to even.
    pub fn usd_cents(&self, money: Money) -> Result<i64, DecimalError> {
        self.value_cents(money.minor, money.currency.exponent())
    }

    /// The US cents `base` units are worth at this many dollars per unit,
    /// where a unit is `10^decimals` base units; rounded half to even.
    pub fn value_cents(&self, base: i64, decimals: u32) -> Result<i64, DecimalError> {
        // cents = base * 10^-decimals * rate * 100 = base * mantissa * 10^(2 - decimals - scale)
        let shift = 2i32 - decimals as i32 - self.scale as i32;
        let num = i128::from(base) * i128::from(self.mantissa);
        let cents = if shift >= 0 {
            num.checked_mul(10i128.pow(shift.unsigned_abs()))
                .ok_or(DecimalError::TooLarge)?
        } else {
            div_round_half_even(num, 10i128.pow(shift.unsigned_abs()))
        };
        if cents > i128::from(MAX_BASE_UNITS) {
            return Err(DecimalError::TooLarge);
        }
        i64::try_from(cents).map_err(|_| DecimalError::TooLarge)
    }
}

/// `n / d`, rounded half to even: the rounding every value in needsdb uses.
pub fn div_round_half_even(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

impl fmt::Display for FxRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(c: &str) -> Currency {
        Currency::parse("c", c).unwrap()
    }

    #[test]
    fn currencies_must_exist() {
        assert_eq!(cur("usd").code(), "USD");
        assert_eq!(cur("JPY").exponent(), 0);
        assert_eq!(cur("KWD").exponent(), 3);
        let e = Currency::parse("currency", "XYZ").unwrap_err();
        assert_eq!((e.field.as_str(), e.code.as_str()), ("currency", "unknown_currency"));
        assert!(Currency::parse("c", "XAU").is_err());
    }

    #[test]
    fn money_respects_minor_units() {
        assert_eq!(
            Money::parse("a", "10000000", Currency::USD).unwrap().minor,
            1_000_000_000
        );
        assert!(Money::parse("a", "1.5", cur("JPY")).is_err());
        assert!(Money::parse("a", "-3", Currency::USD).is_err());
    }

    #[test]
    fn usd_value_is_exact_and_rounded_half_even() {
        let eur = Money::parse("a", "100.00", cur("EUR")).unwrap();
        assert_eq!(FxRate::parse("r", "1.085").unwrap().usd_cents(eur).unwrap(), 10_850);
        let jpy = Money::parse("a", "1000", cur("JPY")).unwrap();
        assert_eq!(FxRate::parse("r", "0.0067").unwrap().usd_cents(jpy).unwrap(), 670);
        let kes = Money::parse("a", "0.01", cur("KES")).unwrap();
        // 0.01 KES * 0.0075 = 0.0075 cents -> 0 (half-even below half)
        assert_eq!(FxRate::parse("r", "0.0075").unwrap().usd_cents(kes).unwrap(), 0);
        let usd = Money::parse("a", "12.34", Currency::USD).unwrap();
        assert_eq!(FxRate::ONE.usd_cents(usd).unwrap(), 1234);
        assert_eq!(div_round_half_even(5, 2), 2);
        // 3 tonnes (3000 kg) of rice at $400.50 a tonne.
        assert_eq!(
            FxRate::parse("v", "400.50").unwrap().value_cents(3000, 3).unwrap(),
            120_150
        );
        // 7 water tablets at $0.004 each: 2.8 cents, rounded to 3.
        assert_eq!(FxRate::parse("v", "0.004").unwrap().value_cents(7, 0).unwrap(), 3);
        assert_eq!(div_round_half_even(15, 2), 8);
    }

    #[test]
    fn rates_must_be_positive_decimals() {
        assert!(FxRate::parse("r", "0").is_err());
        assert!(FxRate::parse("r", "-1.2").is_err());
        assert!(FxRate::parse("r", "abc").is_err());
        assert_eq!(FxRate::parse("r", "1.0850").unwrap().text(), "1.085");
    }
}
