//! Names as people write them: "Côte d’Ivoire", "Ivory Coast", "Lao PDR",
//! "伊朗", "CI", "384" all name a country, and "Medical mask" names an item.
//!
//! A name that equals a known name or code, once case, accents, apostrophes
//! and punctuation are set aside, is an **exact** match and is accepted. A
//! name close to known names is a **suggestion**: the candidates are
//! returned, best first, and the caller must ask for confirmation before
//! using one. Nothing is ever guessed silently.

use needsdb_domain::reference::{CatalogueItem, Reference};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const NAMES_I18N_CSV: &str = include_str!("../../../data/country_names_i18n.csv");
const ALIASES_CSV: &str = include_str!("../../../data/country_aliases.csv");
const COUNTRIES_CSV: &str = include_str!("../../../data/countries.csv");

/// How closely a suggestion must resemble a known name (Jaro-Winkler, 0–1).
const SUGGEST_AT: f64 = 0.86;
const MAX_CANDIDATES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Suggestion,
    None,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Suggestion => "suggestion",
            Self::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub code: String,
    pub name: String,
    /// How close the input is to this candidate's nearest known name, 0–1.
    pub score: f64,
}

/// The answer for one input. `code` is the exact match, or the best
/// suggestion; `None` when nothing is close.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    pub input: String,
    #[serde(rename = "match")]
    pub kind: MatchKind,
    pub code: Option<String>,
    pub candidates: Vec<Candidate>,
}

impl Resolution {
    /// As the CLI and the API print it: `{input, match, <key>, candidates}`,
    /// where `key` is `iso3` for a country and `code` for an item.
    pub fn to_json(&self, key: &str) -> serde_json::Value {
        serde_json::json!({
            "input": self.input,
            "match": self.kind.as_str(),
            key: self.code,
            "candidates": self.candidates,
        })
    }

    /// The code to use: an exact match always, a suggestion only when the
    /// user has accepted suggestions.
    pub fn accepted(&self, accept_suggestions: bool) -> Option<&str> {
        match self.kind {
            MatchKind::Exact => self.code.as_deref(),
            MatchKind::Suggestion if accept_suggestions => self.code.as_deref(),
            _ => None,
        }
    }

    /// A sentence for a report: what was not accepted, and what to do.
    pub fn problem(&self, what: &str) -> Option<(String, String)> {
        let list = self
            .candidates
            .iter()
            .map(|c| format!("{} ({})", c.code, c.name))
            .collect::<Vec<_>>()
            .join(", ");
        match self.kind {
            MatchKind::Exact => None,
            MatchKind::Suggestion => Some((
                format!("'{}' is not an exact {what} name; did you mean {list}?", self.input),
                format!(
                    "write the code {} instead, or import with --accept-suggestions",
                    self.code.as_deref().unwrap_or_default()
                ),
            )),
            MatchKind::None => Some((
                format!("'{}' matches no known {what}", self.input),
                format!("write the {what} code; `needsdb resolve {what} NAME` looks one up"),
            )),
        }
    }
}

/// Folds a name to the form names are compared in: no accents, lower case,
/// every run of punctuation or space turned into one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if c == '&' {
            if !space {
                out.push(' ');
            }
            out.push_str("and ");
            space = true;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Words that many country names share, left out when judging closeness.
const COMMON_WORDS: &[&str] = &[
    "republic",
    "of",
    "the",
    "democratic",
    "people",
    "s",
    "state",
    "states",
    "islamic",
    "federal",
    "federated",
    "kingdom",
    "united",
    "and",
    "plurinational",
    "bolivarian",
    "arab",
    "socialist",
    "rep",
    "dem",
];

fn core(folded: &str) -> String {
    folded
        .split(' ')
        .filter(|w| !COMMON_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An index of known names and codes for one kind of thing.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    /// Folded name or code → the codes it names (several when ambiguous: "Congo").
    exact: HashMap<String, BTreeSet<String>>,
    /// Folded names only (codes are never fuzzy-matched), for suggestions.
    names: Vec<(String, String)>,
    display: HashMap<String, String>,
}

impl Resolver {
    fn add_code(&mut self, code: &str, target: &str) {
        let k = fold(code);
        if !k.is_empty() {
            self.exact.entry(k).or_default().insert(target.to_owned());
        }
    }

    fn add_name(&mut self, name: &str, target: &str) {
        let k = fold(name);
        if k.is_empty() {
            return;
        }
        self.exact.entry(k.clone()).or_default().insert(target.to_owned());
        self.names.push((k, target.to_owned()));
    }

    /// Countries and territories from the embedded reference data: UN names
    /// in six languages, ISO names, common aliases, ISO2, ISO3 and M49.
    pub fn countries(reference: &Reference) -> Self {
        let mut r = Self::default();
        for c in &reference.countries {
            let iso3 = c.iso3.as_str();
            r.display.insert(iso3.to_owned(), c.names.en.clone());
            r.add_code(iso3, iso3);
            r.add_code(&c.iso2, iso3);
            r.add_code(&c.m49, iso3);
            // "4" and "004" are the same M49 code.
            r.add_code(c.m49.trim_start_matches('0'), iso3);
            for n in c.names.all() {
                r.add_name(n, iso3);
            }
        }
        let known = |iso3: &str| r.display.contains_key(iso3);
        let mut extra = Vec::new();
        for (text, name_cols) in [
            (NAMES_I18N_CSV, &["name"][..]),
            (ALIASES_CSV, &["name"][..]),
            (COUNTRIES_CSV, &["iso_name", "iso_official_name"][..]),
        ] {
            let mut rdr = csv::Reader::from_reader(text.as_bytes());
            let Ok(headers) = rdr.headers().cloned() else { continue };
            let col = |name: &str| headers.iter().position(|h| h == name);
            let Some(iso_i) = col("iso3") else { continue };
            let name_is: Vec<usize> = name_cols.iter().filter_map(|n| col(n)).collect();
            for rec in rdr.records().flatten() {
                let Some(iso3) = rec.get(iso_i) else { continue };
                if !known(iso3) {
                    continue;
                }
                for &i in &name_is {
                    if let Some(n) = rec.get(i) {
                        extra.push((n.to_owned(), iso3.to_owned()));
                    }
                }
            }
        }
        for (n, iso3) in extra {
            r.add_name(&n, &iso3);
        }
        r.finish()
    }

    /// Items of a catalogue: by code and by English name.
    pub fn items(items: &[CatalogueItem]) -> Self {
        let mut r = Self::default();
        for i in items {
            let code = i.code.as_str();
            r.display.insert(code.to_owned(), i.name_en.clone());
            r.add_code(code, code);
            r.add_name(&i.name_en, code);
            // "Medical mask (surgical type II/IIR)" is often written "Medical mask".
            if let Some((short, _)) = i.name_en.split_once(" (") {
                r.names.push((fold(short), code.to_owned()));
            }
        }
        r.finish()
    }

    fn finish(mut self) -> Self {
        self.names.sort();
        self.names.dedup();
        self
    }

    fn name_of(&self, code: &str) -> String {
        self.display.get(code).cloned().unwrap_or_default()
    }

    pub fn resolve(&self, input: &str) -> Resolution {
        let key = fold(input);
        let mut res = Resolution {
            input: input.to_owned(),
            kind: MatchKind::None,
            code: None,
            candidates: Vec::new(),
        };
        if key.is_empty() {
            return res;
        }
        if let Some(codes) = self.exact.get(&key) {
            res.candidates = codes
                .iter()
                .map(|c| Candidate {
                    code: c.clone(),
                    name: self.name_of(c),
                    score: 1.0,
                })
                .collect();
            res.code = codes.iter().next().cloned();
            // One name for two countries ("Congo") is a question, not an answer.
            res.kind = if codes.len() == 1 {
                MatchKind::Exact
            } else {
                MatchKind::Suggestion
            };
            return res;
        }
        let mut best: HashMap<&str, f64> = HashMap::new();
        let core_in = core(&key);
        let words: BTreeSet<&str> = core_in.split(' ').filter(|w| !w.is_empty()).collect();
        for (name, code) in &self.names {
            // Compare what tells names apart: "Republic of Tanzania" is close
            // to "United Republic of Tanzania", not to "Republic of Panama".
            let core_name = core(name);
            let mut score = if core_in.is_empty() || core_name.is_empty() {
                strsim::jaro_winkler(&key, name)
            } else {
                strsim::jaro_winkler(&core_in, &core_name)
            };
            if score < SUGGEST_AT && !words.is_empty() {
                let theirs: BTreeSet<&str> = core_name.split(' ').filter(|w| !w.is_empty()).collect();
                let significant = words.iter().chain(theirs.iter()).all(|w| w.chars().count() >= 4);
                if significant && !theirs.is_empty() && (words.is_subset(&theirs) || theirs.is_subset(&words)) {
                    score = SUGGEST_AT;
                }
            }
            if score >= SUGGEST_AT {
                let e = best.entry(code.as_str()).or_insert(0.0);
                if score > *e {
                    *e = score;
                }
            }
        }
        let mut ranked: Vec<(&str, f64)> = best.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        ranked.truncate(MAX_CANDIDATES);
        res.candidates = ranked
            .into_iter()
            .map(|(c, s)| Candidate {
                code: c.to_owned(),
                name: self.name_of(c),
                score: (s * 1000.0).round() / 1000.0,
            })
            .collect();
        if let Some(first) = res.candidates.first() {
            res.kind = MatchKind::Suggestion;
            res.code = Some(first.code.clone());
        }
        res
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use needsdb_domain::reference;

    fn countries() -> Resolver {
        Resolver::countries(reference::embedded().unwrap())
    }

    #[test]
    fn folding_ignores_case_accents_apostrophes_and_punctuation() {
        assert_eq!(fold("Côte d’Ivoire"), "cote d ivoire");
        assert_eq!(fold("  Cote d'Ivoire "), "cote d ivoire");
        assert_eq!(fold("Iran (Islamic Rep. of)"), "iran islamic rep of");
        assert_eq!(fold("Bosnia & Herzegovina"), "bosnia and herzegovina");
    }

    #[test]
    fn names_people_write_resolve_exactly() {
        let r = countries();
        for (input, iso3) in [
            ("Cote d'Ivoire", "CIV"),
            ("Côte d’Ivoire", "CIV"),
            ("Ivory Coast", "CIV"),
            ("Lao PDR", "LAO"),
            ("DPRK", "PRK"),
            ("Iran (Islamic Rep. of)", "IRN"),
            ("Viet Nam", "VNM"),
            ("Côte-d'Ivoire", "CIV"),
            ("Costa de Marfil", "CIV"),
            ("Кот-д’Ивуар", "CIV"),
            ("科特迪瓦", "CIV"),
            ("ساحل العاج", "CIV"),
            ("Laos", "LAO"),
            ("Irán", "IRN"),
            ("КНДР (Корейская Народно-Демократическая Республика)", "PRK"),
            ("CI", "CIV"),
            ("civ", "CIV"),
            ("384", "CIV"),
            ("4", "AFG"),
            ("004", "AFG"),
        ] {
            let res = r.resolve(input);
            assert_eq!(res.kind, MatchKind::Exact, "{input}: {res:?}");
            assert_eq!(res.code.as_deref(), Some(iso3), "{input}");
        }
    }

    #[test]
    fn close_names_are_suggested_never_accepted_silently() {
        let r = countries();
        let res = r.resolve("Keyna");
        assert_eq!(res.kind, MatchKind::Suggestion, "{res:?}");
        assert_eq!(res.code.as_deref(), Some("KEN"));
        assert_eq!(res.accepted(false), None);
        assert_eq!(res.accepted(true), Some("KEN"));
        assert!(res.problem("country").is_some());

        let res = r.resolve("Republic of Tanzania");
        assert_eq!(res.kind, MatchKind::Suggestion, "{res:?}");
        assert_eq!(res.code.as_deref(), Some("TZA"));
    }

    #[test]
    fn one_name_for_two_countries_is_a_question() {
        let res = countries().resolve("Congo");
        // "Congo" is COG's UN short name but also an alias of COD.
        assert_eq!(res.kind, MatchKind::Suggestion);
        let codes: Vec<&str> = res.candidates.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["COD", "COG"]);
    }

    #[test]
    fn nonsense_matches_nothing() {
        let r = countries();
        for input in ["Atlantis", "", "   ", "zz", "12345", "#country+code"] {
            let res = r.resolve(input);
            assert_eq!(res.kind, MatchKind::None, "{input}: {res:?}");
            assert!(res.code.is_none());
            assert!(res.problem("country").is_some());
        }
    }

    #[test]
    fn items_resolve_by_code_and_name() {
        let items = &reference::embedded().unwrap().items;
        let r = Resolver::items(items);
        let mask = items.iter().find(|i| i.code.as_str() == "PPE-MASK-MED").unwrap();
        assert_eq!(r.resolve("ppe-mask-med").kind, MatchKind::Exact);
        assert_eq!(r.resolve(&mask.name_en).code.as_deref(), Some("PPE-MASK-MED"));
        assert_eq!(r.resolve(&mask.name_en.to_uppercase()).kind, MatchKind::Exact);
        let res = r.resolve("Medical mask");
        assert_eq!(res.kind, MatchKind::Suggestion, "{res:?}");
        assert_eq!(res.code.as_deref(), Some("PPE-MASK-MED"));
        assert_eq!(r.resolve("flux capacitor").kind, MatchKind::None);
    }
}
