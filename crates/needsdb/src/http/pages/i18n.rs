//! The six UN languages of the pages: strings from the Fluent files in
//! `locales/` (compiled into the binary), UN country names from the
//! reference data, and numbers and dates written as each language writes
//! them.
//!
//! Arabic pages use Western digits (0–9), as the UN's Arabic documents and
//! most Arabic government sites do, and as the codes, dates and quantities
//! users copy into and out of spreadsheets already are: a ministry pasting
//! a figure from the page into Excel gets a number, not text.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Fr,
    Es,
    Ar,
    Ru,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::Ar, Lang::Zh, Lang::En, Lang::Fr, Lang::Ru, Lang::Es];

    pub fn code(&self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
            Self::Es => "es",
            Self::Ar => "ar",
            Self::Ru => "ru",
            Self::Zh => "zh",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn dir(&self) -> &'static str {
        if *self == Self::Ar { "rtl" } else { "ltr" }
    }

    /// The language's name in itself, for the language links.
    pub fn native_name(&self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Fr => "Français",
            Self::Es => "Español",
            Self::Ar => "العربية",
            Self::Ru => "Русский",
            Self::Zh => "中文",
        }
    }

    /// The first of the caller's languages the pages have (English if none).
    pub fn from_accept_language(header: &str) -> Self {
        accept_language::parse(header)
            .iter()
            .find_map(|tag| Self::parse(tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase().as_str()))
            .unwrap_or(Self::En)
    }

    fn source(&self) -> &'static str {
        match self {
            Self::En => include_str!("../../../locales/en.ftl"),
            Self::Fr => include_str!("../../../locales/fr.ftl"),
            Self::Es => include_str!("../../../locales/es.ftl"),
            Self::Ar => include_str!("../../../locales/ar.ftl"),
            Self::Ru => include_str!("../../../locales/ru.ftl"),
            Self::Zh => include_str!("../../../locales/zh.ftl"),
        }
    }

    /// Thousands and decimal separators.
    fn separators(&self) -> (&'static str, &'static str) {
        match self {
            Self::En | Self::Zh | Self::Ar => (",", "."),
            // A narrow no-break space, as the French national printing office writes it.
            Self::Fr => ("\u{202F}", ","),
            Self::Es => (".", ","),
            Self::Ru => ("\u{00A0}", ","),
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static HashMap<Lang, Bundle> {
    static BUNDLES: OnceLock<HashMap<Lang, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let tag = lang.code().parse().unwrap_or_default();
                let mut b = FluentBundle::new_concurrent(vec![tag]);
                // Isolation marks would end up inside attribute values and
                // copied text; the templates isolate with dir and <bdi>.
                b.set_use_isolating(false);
                let res = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(res, errors)| {
                    tracing::error!(lang = lang.code(), ?errors, "a Fluent file has syntax errors");
                    res
                });
                if let Err(errors) = b.add_resource(res) {
                    tracing::error!(lang = lang.code(), ?errors, "a Fluent file repeats a key");
                }
                (lang, b)
            })
            .collect()
    })
}

/// The keys of a language's file, for the completeness test.
pub fn keys(lang: Lang) -> Vec<String> {
    let res = match FluentResource::try_new(lang.source().to_owned()) {
        Ok(r) | Err((r, _)) => r,
    };
    res.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// The field-error codes the pages have words for (`err-<code>`); others
/// keep the rule's own words.
pub const TRANSLATED_CODES: [&str; 9] = [
    "required",
    "not_a_number",
    "negative",
    "not_positive",
    "too_precise",
    "too_large",
    "invalid_date",
    "invalid_choice",
    "too_long",
];

/// Translates `key` into `lang`, with arguments. A missing key (which the
/// tests forbid) shows as the key itself, never as an error page.
pub fn text(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let Some(bundle) = bundles().get(&lang) else {
        return key.to_owned();
    };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        tracing::warn!(lang = lang.code(), key, "missing translation");
        return key.to_owned();
    };
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, FluentValue::from(v.clone()));
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, (!args.is_empty()).then_some(&fargs), &mut errors)
        .into_owned()
}

/// A unit of measure in `lang`, agreeing with `count` where the language
/// inflects (`200 pieces`, `200 штук`). A unit the catalogue gained later,
/// with no words yet, shows its code.
pub fn unit(lang: Lang, code: &str, count: f64) -> String {
    let key = format!("unit-{code}");
    let Some(bundle) = bundles().get(&lang) else {
        return code.to_owned();
    };
    let Some(pattern) = bundle.get_message(&key).and_then(|m| m.value()) else {
        return code.to_owned();
    };
    let mut args = FluentArgs::new();
    args.set("count", FluentValue::from(count));
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, Some(&args), &mut errors).into_owned()
}

/// `key` in `lang` when the file has it; None otherwise (no warning: the
/// caller has words of its own to fall back on).
pub fn lookup(lang: Lang, key: &str, args: &[(&str, String)]) -> Option<String> {
    let bundle = bundles().get(&lang)?;
    let pattern = bundle.get_message(key).and_then(|m| m.value())?;
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, FluentValue::from(v.clone()));
    }
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, (!args.is_empty()).then_some(&fargs), &mut errors)
            .into_owned(),
    )
}

/// A decimal number as JSON gives it (digits, an optional sign and point),
/// grouped and punctuated for `lang`. Anything else is shown as it is.
pub fn number(lang: Lang, plain: &str) -> String {
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return plain.to_owned();
    }
    let (thousands, point) = lang.separators();
    let mut grouped = String::with_capacity(int.len() + int.len() / 3 * 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push_str(thousands);
        }
        grouped.push(ch);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A date as `lang` writes it, with the month's name.
pub fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = text(lang, &format!("month-{}", d.month()), &[]);
    text(
        lang,
        "date-format",
        &[
            ("day", d.day().to_string()),
            ("month", month),
            ("year", d.year().to_string()),
        ],
    )
}

/// UN country names in the six languages, by ISO3 code.
pub fn country(lang: Lang, iso3: &str) -> String {
    static NAMES: OnceLock<HashMap<String, needsdb_domain::reference::Names>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        needsdb_domain::reference::embedded()
            .map(|r| {
                r.countries
                    .iter()
                    .map(|c| (c.iso3.as_str().to_owned(), c.names.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    let Some(n) = names.get(iso3) else {
        return iso3.to_owned();
    };
    match lang {
        Lang::En => n.en.clone(),
        Lang::Fr => n.fr.clone(),
        Lang::Es => n.es.clone(),
        Lang::Ar => n.ar.clone(),
        Lang::Ru => n.ru.clone(),
        Lang::Zh => n.zh.clone(),
    }
}

/// Item names in the five languages other than English, from
/// `data/item_names_i18n.csv`. An item the catalogue gained later, with no
/// translation yet, shows its English name.
pub fn item(lang: Lang, code: &str, english: &str) -> String {
    static NAMES: OnceLock<HashMap<String, [String; 5]>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let mut out = HashMap::new();
        let mut rdr = csv::Reader::from_reader(include_str!("../../../../../data/item_names_i18n.csv").as_bytes());
        for rec in rdr.records().flatten() {
            let f = |i: usize| rec.get(i).unwrap_or("").to_owned();
            out.insert(f(0), [f(1), f(2), f(3), f(4), f(5)]);
        }
        out
    });
    let pick = |n: &[String; 5]| match lang {
        Lang::En => None,
        Lang::Fr => Some(n[0].clone()),
        Lang::Es => Some(n[1].clone()),
        Lang::Ru => Some(n[2].clone()),
        Lang::Zh => Some(n[3].clone()),
        Lang::Ar => Some(n[4].clone()),
    };
    names
        .get(code)
        .and_then(pick)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            if english == code {
                // A record that carries only the code (an allocation, a
                // contribution): the catalogue's English name, as shipped.
                shipped_english(code).unwrap_or_else(|| english.to_owned())
            } else {
                english.to_owned()
            }
        })
}

fn shipped_english(code: &str) -> Option<String> {
    static NAMES: OnceLock<HashMap<String, String>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            needsdb_domain::reference::embedded()
                .map(|r| {
                    r.items
                        .iter()
                        .map(|i| (i.code.to_string(), i.name_en.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
        .get(code)
        .cloned()
}

/// Cluster names in the six languages, from the reference data.
pub fn cluster(lang: Lang, code: &str) -> String {
    static CLUSTERS: OnceLock<HashMap<String, needsdb_domain::reference::Cluster>> = OnceLock::new();
    let clusters = CLUSTERS.get_or_init(|| {
        needsdb_domain::reference::embedded()
            .map(|r| r.clusters.iter().map(|c| (c.code.clone(), c.clone())).collect())
            .unwrap_or_default()
    });
    let Some(c) = clusters.get(code) else {
        return code.to_owned();
    };
    match lang {
        Lang::En => c.name_en.clone(),
        Lang::Fr => c.name_fr.clone(),
        Lang::Es => c.name_es.clone(),
        Lang::Ar => c.name_ar.clone(),
        Lang::Ru => c.name_ru.clone(),
        Lang::Zh => c.name_zh.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_item_has_a_name_in_every_language() {
        let reference = needsdb_domain::reference::embedded().expect("reference data");
        for i in &reference.items {
            for lang in [Lang::Fr, Lang::Es, Lang::Ar, Lang::Ru, Lang::Zh] {
                assert_ne!(
                    item(lang, i.code.as_str(), "\u{0}"),
                    "\u{0}",
                    "{} has no {} name in data/item_names_i18n.csv",
                    i.code,
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn every_language_has_every_key_and_no_other() {
        let english: std::collections::BTreeSet<String> = keys(Lang::En).into_iter().collect();
        assert!(english.len() > 100, "the English file lost its keys");
        for lang in Lang::ALL {
            let these: std::collections::BTreeSet<String> = keys(lang).into_iter().collect();
            let missing: Vec<_> = english.difference(&these).collect();
            let extra: Vec<_> = these.difference(&english).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            assert!(extra.is_empty(), "{} has keys English lacks: {extra:?}", lang.code());
            // And each parses cleanly.
            assert!(
                FluentResource::try_new(lang.source().to_owned()).is_ok(),
                "{} has syntax errors",
                lang.code()
            );
        }
    }

    #[test]
    fn every_key_the_templates_and_pages_use_exists() {
        let english: std::collections::BTreeSet<String> = keys(Lang::En).into_iter().collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut sources = Vec::new();
        for sub in ["templates", "templates/pages", "src/http/pages"] {
            for entry in std::fs::read_dir(format!("{dir}{sub}"))
                .expect("read templates")
                .flatten()
            {
                if entry.path().is_file() {
                    sources.push(std::fs::read_to_string(entry.path()).expect("read a template"));
                }
            }
        }
        let mut used = 0;
        for text in &sources {
            let calls = text
                .match_indices(".t(\"")
                .map(|(i, m)| i + m.len())
                .chain(text.match_indices(".ta(\"").map(|(i, m)| i + m.len()))
                .chain(text.match_indices(".ta1(\"").map(|(i, m)| i + m.len()));
            for start in calls {
                let rest = &text[start..];
                let key = &rest[..rest.find('"').unwrap_or(0)];
                if key.contains('{') || key.is_empty() {
                    continue;
                }
                used += 1;
                assert!(english.contains(key), "'{key}' is used but not in locales/en.ftl");
            }
        }
        assert!(used > 50, "only {used} keys found: the scan is broken");
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(number(Lang::En, "1234567.5"), "1,234,567.5");
        assert_eq!(number(Lang::Fr, "1234567.5"), "1\u{202F}234\u{202F}567,5");
        assert_eq!(number(Lang::Es, "-1234"), "-1.234");
        assert_eq!(number(Lang::Ar, "1234"), "1,234");
        assert_eq!(number(Lang::En, "999"), "999");
        assert_eq!(number(Lang::En, "n/a"), "n/a");
    }

    #[test]
    fn units_agree_with_the_quantity_and_every_catalogue_unit_has_words() {
        assert_eq!(unit(Lang::En, "piece", 1.0), "piece");
        assert_eq!(unit(Lang::En, "piece", 200.0), "pieces");
        assert_eq!(unit(Lang::Ru, "piece", 1.0), "штука");
        assert_eq!(unit(Lang::Ru, "piece", 3.0), "штуки");
        assert_eq!(unit(Lang::Ru, "piece", 200.0), "штук");
        assert_eq!(unit(Lang::Ru, "piece", 2.5), "штуки");
        assert_eq!(unit(Lang::Ar, "piece", 5.0), "قطع");
        assert_eq!(unit(Lang::Ar, "piece", 200.0), "قطعة");
        assert_eq!(unit(Lang::Zh, "piece", 200.0), "件");
        // A unit the catalogue gained later shows its code.
        assert_eq!(unit(Lang::Fr, "barrel", 2.0), "barrel");
        let units: std::collections::BTreeSet<String> = needsdb_domain::reference::embedded()
            .expect("reference data")
            .items
            .iter()
            .map(|i| i.unit.clone())
            .collect();
        for lang in Lang::ALL {
            for u in &units {
                assert!(
                    keys(lang).contains(&format!("unit-{u}")),
                    "{} has no words for the unit {u}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn dates_and_country_names_follow_the_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2027, 6, 30).expect("a date");
        assert_eq!(date(Lang::En, d), "30 June 2027");
        assert_eq!(date(Lang::Es, d), "30 de junio de 2027");
        assert_eq!(date(Lang::Zh, d), "2027年6月30日");
        assert_eq!(country(Lang::Fr, "KEN"), "Kenya");
        assert_eq!(item(Lang::Fr, "FOOD-RICE", "Rice"), "Riz");
        assert_eq!(item(Lang::En, "FOOD-RICE", "Rice"), "Rice");
        assert_eq!(item(Lang::En, "FOOD-RICE", "FOOD-RICE"), "Rice");
        assert_eq!(item(Lang::Ar, "NEW-ITEM", "New item"), "New item");
        assert_eq!(cluster(Lang::Es, "health"), "Salud");
        assert_ne!(country(Lang::Ar, "KEN"), "Kenya");
        assert_eq!(Lang::from_accept_language("ar-EG,ar;q=0.9,en;q=0.5"), Lang::Ar);
        assert_eq!(Lang::from_accept_language("de-DE"), Lang::En);
    }
}
