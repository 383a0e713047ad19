//! Exact decimal text <-> scaled integers. Quantities and money are integers
//! in base units; people write "2.5" tonnes or "10000000.00" dollars.
//!
//! Half the world writes "12,75" for twelve and three quarters, the other
//! half "12.75", and both group thousands ("1,000" or "1.000"). A number is
//! read under one [`Style`]; thousands are only taken as such in groups of
//! three. Where the style is not known, [`read_either`] reads a text both
//! ways and says whether the two readings agree, only one is a number, or
//! they differ — in which case nothing must be guessed.

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
            Self::NotANumber => format!(
                "'{input}' is not a number (write digits, with '.' for decimals, such as 1500 or 2.5; thousands may be grouped by three, as in 1,500)"
            ),
            Self::Negative => format!("'{input}' is negative; use zero or more"),
            Self::TooPrecise { max_decimals: 0 } => {
                format!("'{input}' has decimals, but this unit is counted in whole numbers")
            }
            Self::TooPrecise { max_decimals } => format!("'{input}' has more than {max_decimals} decimal places"),
            Self::TooLarge => format!("'{input}' is too large"),
        }
    }
}

/// How a number is written: which mark separates the decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `1,234.5`: a decimal point, commas (or spaces) between thousands.
    Point,
    /// `1.234,5`: a decimal comma, points (or spaces) between thousands.
    Comma,
}

impl Style {
    fn decimal_mark(self) -> char {
        match self {
            Self::Point => '.',
            Self::Comma => ',',
        }
    }

    fn is_group_mark(self, c: char) -> bool {
        // Spaces (plain, no-break, narrow no-break), underscores and the
        // Swiss apostrophe group thousands in either style.
        matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_' | '\'')
            || match self {
                Self::Point => c == ',',
                Self::Comma => c == '.',
            }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Point => "decimal point",
            Self::Comma => "decimal comma",
        }
    }
}

/// A non-negative decimal as digits, before it is scaled: the integer part
/// without separators and the fraction without trailing zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digits {
    int: String,
    frac: String,
}

impl Digits {
    /// The number written with a decimal point and no grouping: `1234.5`.
    pub fn canonical(&self) -> String {
        let int = self.int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        if self.frac.is_empty() {
            int.to_owned()
        } else {
            format!("{int}.{}", self.frac)
        }
    }

    /// The value scaled by `10^scale`, checked against the limits.
    pub fn scaled(&self, scale: u32) -> Result<i64, DecimalError> {
        if self.frac.len() > scale as usize {
            return Err(DecimalError::TooPrecise { max_decimals: scale });
        }
        let mut value: i128 = 0;
        for b in self.int.bytes() {
            value = value * 10 + i128::from(b - b'0');
            if value > i128::from(MAX_BASE_UNITS) {
                return Err(DecimalError::TooLarge);
            }
        }
        let mut frac_value: i128 = 0;
        for i in 0..scale as usize {
            let d = self.frac.as_bytes().get(i).map_or(0, |b| b - b'0');
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
}

/// Reads a non-negative decimal written in `style`. Thousands separators
/// are accepted only between groups of three digits, one kind per number;
/// exponents are not accepted.
pub fn read(input: &str, style: Style) -> Result<Digits, DecimalError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DecimalError::Empty);
    }
    if s.starts_with('-') {
        return Err(DecimalError::Negative);
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let (int_part, frac_part) = match s.split_once(style.decimal_mark()) {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalError::NotANumber);
    }
    let int = grouped_digits(int_part, style).ok_or(DecimalError::NotANumber)?;
    if int.is_empty() && frac_part.is_empty() {
        return Err(DecimalError::NotANumber);
    }
    Ok(Digits {
        int,
        frac: frac_part.trim_end_matches('0').to_owned(),
    })
}

/// The digits of an integer part: plain digits, or groups of three after a
/// first group of one to three, all separated by the same mark.
fn grouped_digits(s: &str, style: Style) -> Option<String> {
    let mut groups: Vec<&str> = Vec::new();
    let mut mark: Option<char> = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        if !style.is_group_mark(c) || mark.is_some_and(|m| m != c) {
            return None;
        }
        mark = Some(c);
        groups.push(&s[start..i]);
        start = i + c.len_utf8();
    }
    groups.push(&s[start..]);
    if groups.len() > 1 && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    Some(groups.concat())
}

/// A text read without knowing its style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Either {
    /// Both styles read it the same way, or only one style reads it at all
    /// (then `proves` names that style).
    Known { digits: Digits, proves: Option<Style> },
    /// Both styles read it, as different numbers: "1.000" is one or a thousand.
    Ambiguous { point: Digits, comma: Digits },
    /// Neither style reads it.
    Invalid(DecimalError),
}

/// Reads a text under both styles and compares the readings.
pub fn read_either(input: &str) -> Either {
    match (read(input, Style::Point), read(input, Style::Comma)) {
        (Ok(p), Ok(c)) if p == c => Either::Known {
            digits: p,
            proves: None,
        },
        (Ok(p), Ok(c)) => Either::Ambiguous { point: p, comma: c },
        (Ok(p), Err(_)) => Either::Known {
            digits: p,
            proves: Some(Style::Point),
        },
        (Err(_), Ok(c)) => Either::Known {
            digits: c,
            proves: Some(Style::Comma),
        },
        (Err(e), Err(_)) => Either::Invalid(e),
    }
}

/// Parses a non-negative decimal written with a decimal point, such as
/// `1500`, `2.5` or `1,500.25`, into an integer scaled by `10^scale`.
pub fn parse_scaled(input: &str, scale: u32) -> Result<i64, DecimalError> {
    read(input, Style::Point)?.scaled(scale)
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
    fn thousands_are_only_grouped_by_three() {
        // "12,75" was once read as 1275 tonnes.
        assert_eq!(parse_scaled("12,75", 3), Err(DecimalError::NotANumber));
        assert_eq!(parse_scaled("2,5", 0), Err(DecimalError::NotANumber));
        assert_eq!(parse_scaled("1,2345", 0), Err(DecimalError::NotANumber));
        assert_eq!(parse_scaled("1,000,000", 0), Ok(1_000_000));
        assert_eq!(parse_scaled("1 000 000", 0), Ok(1_000_000));
        assert_eq!(parse_scaled("1\u{a0}000", 0), Ok(1000));
        assert_eq!(
            parse_scaled("1,000 000", 0),
            Err(DecimalError::NotANumber),
            "one kind of mark"
        );
        assert_eq!(parse_scaled(",100", 0), Err(DecimalError::NotANumber));
    }

    #[test]
    fn a_decimal_comma_reads_in_its_own_style() {
        let c = |s: &str, scale| read(s, Style::Comma).and_then(|d| d.scaled(scale));
        assert_eq!(c("12,75", 3), Ok(12_750));
        assert_eq!(c("2,5", 1), Ok(25));
        assert_eq!(c("1.000", 0), Ok(1000));
        assert_eq!(c("1.234.567,891", 3), Ok(1_234_567_891));
        assert_eq!(c("1 234,5", 1), Ok(12_345));
        assert_eq!(c("1.5", 1), Err(DecimalError::NotANumber));
        assert_eq!(read("1.234.567,891", Style::Comma).unwrap().canonical(), "1234567.891");
    }

    #[test]
    fn a_number_whose_meaning_depends_on_the_style_is_not_guessed() {
        let known = |s: &str| match read_either(s) {
            Either::Known { digits, proves } => Some((digits.canonical(), proves)),
            _ => None,
        };
        assert_eq!(known("1500"), Some(("1500".into(), None)));
        assert_eq!(known("2.5"), Some(("2.5".into(), Some(Style::Point))));
        assert_eq!(known("12,75"), Some(("12.75".into(), Some(Style::Comma))));
        assert_eq!(known("1.234,5"), Some(("1234.5".into(), Some(Style::Comma))));
        assert_eq!(known("1,234.5"), Some(("1234.5".into(), Some(Style::Point))));
        assert_eq!(known("1 500"), Some(("1500".into(), None)));
        for s in ["1.000", "1,000", "2,500", "12.345"] {
            let Either::Ambiguous { point, comma } = read_either(s) else {
                panic!("{s} should be ambiguous");
            };
            assert_ne!(point.canonical(), comma.canonical(), "{s}");
        }
        assert_eq!(read_either("abc"), Either::Invalid(DecimalError::NotANumber));
        assert_eq!(read_either("-3"), Either::Invalid(DecimalError::Negative));
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
