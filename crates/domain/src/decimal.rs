//! Exact decimal text <-> scaled integers. Quantities and money are integers
//! in base units; people write "2.5" tonnes or "10000000.00" dollars.

/// The largest base-unit value we accept: fifteen digits. Any decimal of at
/// most fifteen significant digits survives a trip through an IEEE double, so
/// every value stays exact as a JSON number in any client, whatever its scale.
pub const MAX_BASE_UNITS: i64 = 999_999_999_999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    Empty,
    NotANumber,
    Negative,
    TooPrecise { max_decimals: u32 },
    TooLarge,
}

impl DecimalError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "required",
            Self::NotANumber => "not_a_number",
            Self::Negative => "negative",
            Self::TooPrecise { .. } => "too_precise",
            Self::TooLarge => "too_large",
        }
    }

    pub fn describe(&self, input: &str) -> String {
        match self {
            Self::Empty => "a number is required".to_owned(),
            Self::NotANumber => {
                format!("'{input}' is not a number (write digits, with '.' for decimals, such as 1500 or 2.5)")
            }
            Self::Negative => format!("'{input}' is negative; use zero or more"),
            Self::TooPrecise { max_decimals: 0 } => {
                format!("'{input}' has decimals, but this unit is counted in whole numbers")
            }
            Self::TooPrecise { max_decimals } => format!("'{input}' has more than {max_decimals} decimal places"),
            Self::TooLarge => format!("'{input}' is too large"),
        }
    }
}

/// Parses a non-negative decimal such as `1500`, `2.5` or `1,500.25` into an
/// integer scaled by `10^scale`. Thousands separators (`,` `_` and spaces) are
/// accepted in the integer part; exponents are not.
pub fn parse_scaled(input: &str, scale: u32) -> Result<i64, DecimalError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DecimalError::Empty);
    }
    if s.starts_with('-') {
        return Err(DecimalError::Negative);
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let int_digits: String = int_part.chars().filter(|c| !matches!(c, ',' | '_' | ' ')).collect();
    if (int_digits.is_empty() && frac_part.is_empty())
        || !int_digits.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(DecimalError::NotANumber);
    }
    let frac_trimmed = frac_part.trim_end_matches('0');
    if frac_trimmed.len() > scale as usize {
        return Err(DecimalError::TooPrecise { max_decimals: scale });
    }
    let mut value: i128 = 0;
    for b in int_digits.bytes() {
        value = value * 10 + i128::from(b - b'0');
        if value > i128::from(MAX_BASE_UNITS) {
            return Err(DecimalError::TooLarge);
        }
    }
    let mut frac_value: i128 = 0;
    for i in 0..scale as usize {
        let d = frac_trimmed.as_bytes().get(i).map_or(0, |b| b - b'0');
        frac_value = frac_value * 10 + i128::from(d);
    }
    let total = value
        .checked_mul(10i128.pow(scale))
        .and_then(|v| v.checked_add(frac_value))
        .ok_or(DecimalError::TooLarge)?;
    if total > i128::from(MAX_BASE_UNITS) {
        return Err(DecimalError::TooLarge);
    }
    i64::try_from(total).map_err(|_| DecimalError::TooLarge)
}

/// Formats a scaled integer as the shortest exact decimal: 2500 at scale 3 is "2.5".
pub fn format_scaled(value: i64, scale: u32) -> String {
    let neg = value < 0;
    let abs = i128::from(value).unsigned_abs();
    let div = 10u128.pow(scale);
    let int = abs / div;
    let frac = abs % div;
    let mut out = if neg { format!("-{int}") } else { int.to_string() };
    if scale > 0 && frac > 0 {
        let f = format!("{frac:0width$}", width = scale as usize);
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// A scaled integer as a JSON number. Exact because values have at most
/// fifteen digits and the float is printed with the shortest round-trip digits.
pub fn to_json_number(value: i64, scale: u32) -> serde_json::Value {
    let unit = 10i64.pow(scale);
    if value % unit == 0 {
        return serde_json::Value::from(value / unit);
    }
    let as_f64 = format_scaled(value, scale).parse::<f64>().unwrap_or(f64::NAN);
    serde_json::Number::from_f64(as_f64).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// Reads a JSON number or numeric string as decimal text, without going
/// through a float for integers.
pub fn json_to_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_integers_and_decimals_exactly() {
        assert_eq!(parse_scaled("1500", 0), Ok(1500));
        assert_eq!(parse_scaled("2.5", 3), Ok(2500));
        assert_eq!(parse_scaled("1,500.25", 2), Ok(150_025));
        assert_eq!(parse_scaled("0.1", 3), Ok(100));
        assert_eq!(parse_scaled(".5", 1), Ok(5));
        assert_eq!(parse_scaled("3.000", 0), Ok(3));
    }

    #[test]
    fn rejects_what_is_not_a_non_negative_decimal() {
        assert_eq!(parse_scaled("", 0), Err(DecimalError::Empty));
        assert_eq!(parse_scaled("-1", 0), Err(DecimalError::Negative));
        assert_eq!(parse_scaled("1e6", 0), Err(DecimalError::NotANumber));
        assert_eq!(parse_scaled("abc", 0), Err(DecimalError::NotANumber));
        assert_eq!(parse_scaled(".", 0), Err(DecimalError::NotANumber));
        assert_eq!(
            parse_scaled("2.5", 0),
            Err(DecimalError::TooPrecise { max_decimals: 0 })
        );
        assert_eq!(parse_scaled("99999999999999999999", 0), Err(DecimalError::TooLarge));
        assert_eq!(parse_scaled("1000000000000000", 0), Err(DecimalError::TooLarge));
        assert_eq!(parse_scaled("999999999999999", 0), Ok(MAX_BASE_UNITS));
        assert_eq!(parse_scaled("999999999.999999", 6), Ok(MAX_BASE_UNITS));
    }

    #[test]
    fn formats_round_trip() {
        for (v, s) in [
            (0, 0),
            (2500, 3),
            (150_025, 2),
            (7, 6),
            (MAX_BASE_UNITS, 0),
            (MAX_BASE_UNITS, 6),
        ] {
            let text = format_scaled(v, s);
            assert_eq!(parse_scaled(&text, s), Ok(v), "{text}");
        }
        assert_eq!(format_scaled(2500, 3), "2.5");
        assert_eq!(format_scaled(7, 6), "0.000007");
    }

    #[test]
    fn json_numbers_round_trip_exactly() {
        for (v, s) in [
            (100, 3),
            (2500, 3),
            (123_456_789, 2),
            (MAX_BASE_UNITS, 0),
            (MAX_BASE_UNITS, 6),
            (MAX_BASE_UNITS - 1, 3),
        ] {
            let j = to_json_number(v, s);
            let back = parse_scaled(&json_to_text(&j).unwrap(), s);
            assert_eq!(back, Ok(v), "{j}");
        }
    }
}
