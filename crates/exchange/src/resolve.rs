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
/// How far ahead of the next candidate a suggestion must be to be taken
/// with `--accept-suggestions`: a near tie is a question for a person.
pub const CLEAR_LEAD: f64 = 0.04;
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

    /// The code to use: an exact match always; a suggestion only when the
    /// user has accepted suggestions and one candidate is clearly best.
    pub fn accepted(&self, accept_suggestions: bool) -> Option<&str> {
        match self.kind {
            MatchKind::Exact => self.code.as_deref(),
            MatchKind::Suggestion if accept_suggestions && self.clear() => self.code.as_deref(),
            _ => None,
        }
    }

    /// Whether the best candidate leads the next by a clear margin.
    pub fn clear(&self) -> bool {
        match self.candidates.as_slice() {
            [] => false,
            [_] => true,
            [first, second, ..] => first.score - second.score >= CLEAR_LEAD,
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
            MatchKind::Suggestion if !self.clear() => Some((
                format!("'{}' could be any of {list}; none is clearly the one meant", self.input),
                format!("write the {what} code you mean ({list})"),
            )),
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

/// Abbreviations and their long forms, in the languages names arrive in,
/// reduced to one word each, so that "Lao People's Dem. Rep.", "Solomon Is."
/// and "St. Lucia" are the names they abbreviate.
fn canonical_word(w: &str) -> &str {
    match w {
        "republic" | "rep" | "republique" | "republica" | "respublika" => "rep",
        "democratic" | "dem" | "democratique" | "democratica" => "dem",
        "federal" | "federated" | "federation" | "fed" | "federale" | "federativa" => "fed",
        "states" | "sts" => "sts",
        "saint" | "st" | "sainte" | "ste" => "st",
        "islands" | "island" | "is" | "isl" | "isls" | "iles" | "ile" | "islas" | "isla" => "is",
        "people" | "peoples" => "people",
        "and" | "et" | "y" => "and",
        other => other,
    }
}

/// Words that carry no meaning in a country's name: "the" in "Gambia, The",
/// "of" in "Republic of Korea", and their counterparts in French and Spanish.
const STOP_WORDS: &[&str] = &[
    "of", "the", "and", "s", "de", "del", "du", "des", "la", "le", "les", "el", "los", "las", "d", "l",
];

/// Words that many country names share, left out when judging closeness.
const COMMON_WORDS: &[&str] = &[
    "rep",
    "dem",
    "fed",
    "sts",
    "state",
    "islamic",
    "kingdom",
    "united",
    "plurinational",
    "bolivarian",
    "arab",
    "socialist",
    "people",
    "popular",
    "populaire",
];

/// The words of a folded name, with initials run together ("Lao P.D.R."
/// is "lao pdr", "U.S." is "us") and a few phrases shortened the way lists
/// shorten them ("special administrative region" is "sar").
fn words(folded: &str) -> Vec<String> {
    let folded = folded.replace("special administrative region", "sar");
    let mut out: Vec<String> = Vec::new();
    let mut initials = String::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
            initials.push_str(w);
            continue;
        }
        if !initials.is_empty() {
            out.push(std::mem::take(&mut initials));
        }
        out.push(w.to_owned());
    }
    if !initials.is_empty() {
        out.push(initials);
    }
    out
}

/// A folded name with abbreviations resolved: "st lucia", "solomon is".
fn canonical(folded: &str) -> String {
    words(folded)
        .iter()
        .map(|w| canonical_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of a name that matter, in order: "Micronesia, Fed. Sts." and
/// "Micronesia (Federated States of)" are both "fed micronesia sts".
fn word_set(folded: &str) -> String {
    let words = words(folded);
    let mut set: Vec<&str> = words
        .iter()
        .map(|w| canonical_word(w))
        .filter(|w| !STOP_WORDS.contains(w))
        .collect();
    set.sort_unstable();
    set.dedup();
    set.join(" ")
}

fn core(folded: &str) -> String {
    words(folded)
        .iter()
        .map(|w| canonical_word(w))
        .filter(|w| !COMMON_WORDS.contains(w) && !STOP_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An index of known names and codes for one kind of thing.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    /// Codes, and the official names (UN names in six languages; catalogue
    /// names of items), folded: these win over any other name.
    official: HashMap<String, BTreeSet<String>>,
    /// Folded name or code → the codes it names (several when ambiguous).
    exact: HashMap<String, BTreeSet<String>>,
    /// The same names as word sets (abbreviations resolved, small words and
    /// word order set aside), tried when no name matches as written.
    words: HashMap<String, BTreeSet<String>>,
    /// Folded names only (codes are never fuzzy-matched), for suggestions.
    names: Vec<(String, String)>,
    display: HashMap<String, String>,
}

impl Resolver {
    fn add_code(&mut self, code: &str, target: &str) {
        let k = fold(code);
        if !k.is_empty() {
            self.official.entry(k).or_default().insert(target.to_owned());
        }
    }

    fn add_official(&mut self, name: &str, target: &str) {
        let k = canonical(&fold(name));
        if !k.is_empty() {
            self.official.entry(k).or_default().insert(target.to_owned());
        }
        self.add_name(name, target);
    }

    fn add_name(&mut self, name: &str, target: &str) {
        let k = fold(name);
        if k.is_empty() {
            return;
        }
        self.exact.entry(canonical(&k)).or_default().insert(target.to_owned());
        let set = word_set(&k);
        if !set.is_empty() {
            self.words.entry(set).or_default().insert(target.to_owned());
        }
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
                r.add_official(n, iso3);
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
            r.add_official(&i.name_en, code);
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
        // Official names and codes first, then any known name as written,
        // then as a set of words: the first that knows the name answers.
        let canon = canonical(&key);
        let found = self
            .official
            .get(&key)
            .or_else(|| self.official.get(&canon))
            .or_else(|| self.exact.get(&canon))
            .or_else(|| self.words.get(&word_set(&key)));
        if let Some(codes) = found {
            res.candidates = codes
                .iter()
                .map(|c| Candidate {
                    code: c.clone(),
                    name: self.name_of(c),
                    score: 1.0,
                })
                .collect();
            res.code = codes.iter().next().cloned();
            // One name for two countries is a question, not an answer.
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
        let all_words: BTreeSet<String> = word_set(&key).split(' ').map(str::to_owned).collect();
        // Codes with a name that holds every word of the input: when two do
        // ("Virgin Islands"), the input names neither more than the other.
        let mut holding: BTreeSet<&str> = BTreeSet::new();
        for (name, code) in &self.names {
            let theirs: BTreeSet<String> = word_set(name).split(' ').map(str::to_owned).collect();
            if !all_words.is_empty() && all_words.is_subset(&theirs) {
                holding.insert(code.as_str());
            }
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
        if holding.len() > 1 {
            let top = holding
                .iter()
                .filter_map(|c| best.get(c))
                .fold(SUGGEST_AT, |m: f64, s| m.max(*s));
            for c in &holding {
                best.insert(c, top);
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
    fn a_un_short_name_wins_over_aliases() {
        let r = countries();
        // "Congo" is COG's UN short name, and an alias of COD elsewhere.
        for input in [
            "Congo",
            "الكونغو",
            "Конго",
            "刚果",
            "República del Congo",
            "Congo, Rep.",
        ] {
            let res = r.resolve(input);
            assert_eq!(
                (res.kind, res.code.as_deref()),
                (MatchKind::Exact, Some("COG")),
                "{input}: {res:?}"
            );
        }
        for input in [
            "Congo, Dem. Rep.",
            "Dem. Rep. of the Congo",
            "République démocratique du Congo",
        ] {
            let res = r.resolve(input);
            assert_eq!(
                (res.kind, res.code.as_deref()),
                (MatchKind::Exact, Some("COD")),
                "{input}: {res:?}"
            );
        }
    }

    #[test]
    fn abbreviations_are_the_words_they_stand_for() {
        let r = countries();
        for (input, iso3) in [
            ("Lao People's Dem. Rep.", "LAO"),
            ("Micronesia, Fed. Sts.", "FSM"),
            ("Solomon Is.", "SLB"),
            ("Solomon Isl.", "SLB"),
            ("St. Kitts & Nevis", "KNA"),
            ("St. Vincent and the Grenadines", "VCT"),
            ("Korea, Dem. People's Rep.", "PRK"),
            ("Rep. of Korea", "KOR"),
            ("Iran, Islamic Rep.", "IRN"),
            ("Gambia, The", "GMB"),
            ("Egypt, Arab Rep.", "EGY"),
            ("Central African Rep.", "CAF"),
        ] {
            let res = r.resolve(input);
            assert_eq!(
                (res.kind, res.code.as_deref()),
                (MatchKind::Exact, Some(iso3)),
                "{input}: {res:?}"
            );
        }
    }

    #[test]
    fn a_name_two_countries_share_is_a_question() {
        let r = countries();
        for input in ["Dominica Republic", "Virgin Islands"] {
            let res = r.resolve(input);
            assert_eq!(res.kind, MatchKind::Suggestion, "{input}: {res:?}");
            assert_eq!(res.accepted(true), None, "{input}: {res:?}");
        }
    }

    #[test]
    fn a_near_tie_is_never_accepted() {
        let res = Resolution {
            input: "x".into(),
            kind: MatchKind::Suggestion,
            code: Some("AAA".into()),
            candidates: vec![
                Candidate {
                    code: "AAA".into(),
                    name: "A".into(),
                    score: 0.91,
                },
                Candidate {
                    code: "BBB".into(),
                    name: "B".into(),
                    score: 0.90,
                },
            ],
        };
        assert_eq!(res.accepted(true), None);
        let (message, _) = res.problem("country").unwrap();
        assert!(message.contains("AAA (A), BBB (B)"), "{message}");
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
