//! From rows of cells to records: finds the header (an HXL hashtag row, or
//! plain column names), decides whether the file holds needs or
//! contributions, resolves names to codes, and collects every problem with
//! its row and column.

use crate::cells::Cell;
use crate::columns::{self, Field, Tag};
use crate::report::{AcceptedName, FileProblem, Warning};
use crate::resolve::{Resolution, Resolver};
use needsdb_domain::decimal::{self, Either, Style};
use needsdb_domain::{NeedStatus, NewContribution, NewEarmark, NewNeed, Stage};
use needsdb_store::{ContributionImport, ImportChunk, NeedImport, NeedRef};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Most columns a file may have; wider files are refused as a whole.
pub const MAX_COLUMNS: usize = 1000;
/// How many leading rows are searched for the hashtag row.
const HEADER_SEARCH: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Needs,
    Contributions,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "needs" => Some(Kind::Needs),
            "contributions" => Some(Kind::Contributions),
            _ => None,
        }
    }
}

/// Who may import what: asked for every record before it reaches the store.
/// An answer of `Err` is reported on that row; nothing of the file is written.
pub trait RowGuard: Send + Sync {
    fn need(&self, country: &str, status: NeedStatus) -> Result<(), String>;
    /// `stage` is the stage the contribution would start at.
    fn contribution(&self, donor: &str, recipient: &str, channel: Option<&str>, stage: Stage) -> Result<(), String>;
}

/// What a mapper knows to resolve names against.
pub struct Lookups {
    pub countries: Resolver,
    pub items: Resolver,
    /// Organisation party codes (WHO, UNICEF...); states are resolved as countries.
    pub organisations: HashSet<String>,
}

struct Mapped {
    field: Field,
    index: usize,
}

/// The columns of a file, once its header is known.
struct Layout {
    kind: Kind,
    columns: Vec<Mapped>,
    labels: Vec<String>,
    /// Each mapped column as reports name it, `D (#item+code)`, made once
    /// rather than for every cell of a million rows.
    names: Vec<String>,
    /// The stage a `#value+disbursement` (say) column implies.
    value_stage: Option<&'static str>,
}

pub struct Mapper {
    lookups: std::sync::Arc<Lookups>,
    accept_suggestions: bool,
    /// Suggestions the user confirmed one by one: (as written, code).
    confirmed: std::collections::HashSet<(String, String)>,
    forced_kind: Option<Kind>,
    /// How numbers are written, when the user said so.
    style: Option<Style>,
    /// The style a cell proved, and where: later cells must agree with it.
    learned: Option<(Style, String)>,
    /// Suggested names taken with `--accept-suggestions`, row by row.
    pub accepted: Vec<AcceptedName>,
    pub accepted_count: u64,
    pub epoch_1904: bool,
    pending: Vec<(u64, Vec<Cell>)>,
    layout: Option<Layout>,
    country_cache: HashMap<String, Resolution>,
    item_cache: HashMap<String, Resolution>,
    pub problems: Vec<FileProblem>,
    pub problem_count: u64,
    pub warnings: Vec<Warning>,
    pub rows: u64,
    needs: Vec<NeedImport>,
    contributions: Vec<ContributionImport>,
    guard: Option<std::sync::Arc<dyn RowGuard>>,
}

/// Rows sent to the store at a time.
pub const CHUNK: usize = 2000;

impl Mapper {
    pub fn new(lookups: std::sync::Arc<Lookups>, accept_suggestions: bool, forced_kind: Option<Kind>) -> Self {
        Self {
            lookups,
            accept_suggestions,
            confirmed: std::collections::HashSet::new(),
            forced_kind,
            style: None,
            learned: None,
            accepted: Vec::new(),
            accepted_count: 0,
            epoch_1904: false,
            pending: Vec::new(),
            layout: None,
            country_cache: HashMap::new(),
            item_cache: HashMap::new(),
            problems: Vec::new(),
            problem_count: 0,
            warnings: Vec::new(),
            rows: 0,
            needs: Vec::new(),
            contributions: Vec::new(),
            guard: None,
        }
    }

    pub fn with_guard(mut self, guard: Option<std::sync::Arc<dyn RowGuard>>) -> Self {
        self.guard = guard;
        self
    }

    /// Numbers are written with this decimal mark (`--decimal-comma`).
    pub fn with_style(mut self, style: Option<Style>) -> Self {
        self.style = style;
        self
    }

    /// A number as written in a text cell, as canonical decimal text
    /// (`1234.5`), read in the file's style. A number whose value depends on
    /// the style is never guessed: without `--decimal-comma` or
    /// `--decimal-point`, or another cell of the file that settles it, it is
    /// a problem that shows both readings. Text that is no number at all
    /// passes through, for the field's own check to name.
    fn number(&mut self, row: u64, colname: &str, text: &str) -> Result<String, CellProblem> {
        if let Some(style) = self.style {
            return match decimal::read(text, style) {
                Ok(d) => Ok(d.canonical()),
                Err(decimal::DecimalError::NotANumber) => Err(CellProblem {
                    code: "not_a_number",
                    message: format!("'{text}' is not a number written with a {}", style.name()),
                    fix: format!(
                        "write it with a {} (the import was told so), without letters",
                        style.name()
                    ),
                }),
                Err(_) => Ok(text.to_owned()),
            };
        }
        let here = format!("row {row}, column {colname}");
        match decimal::read_either(text) {
            Either::Known { digits, proves: None } => Ok(digits.canonical()),
            Either::Known {
                digits,
                proves: Some(style),
            } => match &self.learned {
                Some((seen, at)) if *seen != style => Err(CellProblem {
                    code: "mixed_decimal_style",
                    message: format!(
                        "'{text}' is written with a {}, but {at} is written with a {}",
                        style.name(),
                        seen.name()
                    ),
                    fix: "write every number in the file the same way, or import with --decimal-comma or --decimal-point".into(),
                }),
                _ => {
                    if self.learned.is_none() {
                        self.learned = Some((style, here));
                    }
                    Ok(digits.canonical())
                }
            },
            Either::Ambiguous { point, comma } => match &self.learned {
                Some((Style::Point, _)) => Ok(point.canonical()),
                Some((Style::Comma, _)) => Ok(comma.canonical()),
                None => Err(CellProblem {
                    code: "ambiguous_number",
                    message: format!(
                        "'{text}' is {} with a decimal point but {} with a decimal comma; needsdb does not guess which",
                        point.canonical(),
                        comma.canonical()
                    ),
                    fix: "import with --decimal-comma or --decimal-point, or write the number without a thousands separator".into(),
                }),
            },
            Either::Invalid(_) => Ok(text.to_owned()),
        }
    }

    /// A need the caller may import, or a problem on its row.
    fn admit_need(&mut self, n: NeedImport) {
        let verdict = match &self.guard {
            Some(_) if n.reported.iter().any(|f| f == "country") => Ok(()),
            Some(g) => g.need(
                &n.input.country.clone().unwrap_or_default().trim().to_ascii_uppercase(),
                n.status,
            ),
            None => Ok(()),
        };
        match verdict {
            Ok(()) => self.needs.push(n),
            Err(message) => {
                let column = self.column_of("country");
                self.problem(
                    n.row,
                    column,
                    "country",
                    "forbidden",
                    message,
                    "import only what your account may record".into(),
                );
            }
        }
    }

    fn admit_contribution(&mut self, c: ContributionImport) {
        let up = |v: &Option<String>| v.clone().unwrap_or_default().trim().to_ascii_uppercase();
        let reported = |f: &str| c.reported.iter().any(|r| r == f);
        let verdict = match &self.guard {
            Some(_) if reported("donor") || reported("recipient") || reported("channel") => Ok(()),
            Some(g) => g.contribution(
                &up(&c.input.donor),
                &up(&c.input.recipient),
                c.input.channel.as_ref().map(|_| up(&c.input.channel)).as_deref(),
                // An unknown stage is the store's to name; the guard judges the default.
                c.input
                    .stage
                    .as_deref()
                    .and_then(Stage::parse)
                    .unwrap_or(Stage::Pledged),
            ),
            None => Ok(()),
        };
        match verdict {
            Ok(()) => self.contributions.push(c),
            Err(message) => {
                let column = self.column_of("donor");
                self.problem(
                    c.row,
                    column,
                    "donor",
                    "forbidden",
                    message,
                    "import only what your account may record".into(),
                );
            }
        }
    }

    pub fn kind(&self) -> Option<Kind> {
        self.layout.as_ref().map(|l| l.kind)
    }

    pub fn problem(&mut self, row: u64, column: Option<String>, field: &str, code: &str, message: String, fix: String) {
        self.problem_count += 1;
        if self.problems.len() < needsdb_store::MAX_ROW_PROBLEMS {
            self.problems.push(FileProblem {
                row,
                column,
                field: field.to_owned(),
                code: code.to_owned(),
                message,
                fix,
                suggestion: None,
            });
        }
    }

    /// Suggested names the user confirmed, each taken as if written exactly.
    pub fn with_confirmed(mut self, confirmed: &[(String, String)]) -> Self {
        self.confirmed = confirmed.iter().cloned().collect();
        self
    }

    /// The column a field is read from, for reports: `D (#item+code)`.
    pub fn column_of(&self, field: &str) -> Option<String> {
        let layout = self.layout.as_ref()?;
        let contributions = layout.kind == Kind::Contributions;
        layout
            .columns
            .iter()
            .find(|m| m.field.api_name(contributions) == field.split(['.', '[']).next().unwrap_or(field))
            .map(|m| format!("{} ({})", columns::letters(m.index), layout.labels[m.index]))
    }

    /// Takes one row; returns a chunk when enough rows are ready.
    pub fn row(&mut self, row: u64, cells: Vec<Cell>) -> Option<ImportChunk> {
        if self.layout.is_none() {
            self.pending.push((row, cells));
            if self.pending.len() >= HEADER_SEARCH {
                return self.settle_header();
            }
            return None;
        }
        self.data_row(row, cells);
        self.take_chunk(CHUNK)
    }

    /// At the end of the file: the rows still held.
    pub fn finish(&mut self) -> Option<ImportChunk> {
        if self.layout.is_none() {
            if self.pending.is_empty() {
                self.problem(
                    0,
                    None,
                    "file",
                    "empty",
                    "the file has no rows".into(),
                    "export the sheet again, or start from `needsdb export template`".into(),
                );
                return None;
            }
            let _ = self.settle_header();
        }
        self.take_chunk(1)
    }

    fn take_chunk(&mut self, at_least: usize) -> Option<ImportChunk> {
        if self.needs.len() >= at_least {
            return Some(ImportChunk::Needs(std::mem::take(&mut self.needs)));
        }
        if self.contributions.len() >= at_least {
            return Some(ImportChunk::Contributions(std::mem::take(&mut self.contributions)));
        }
        None
    }

    fn settle_header(&mut self) -> Option<ImportChunk> {
        let pending = std::mem::take(&mut self.pending);
        let tag_row = pending.iter().position(|(_, cells)| is_tag_row(cells));
        let (header_at, tagged) = match tag_row {
            Some(i) => (i, true),
            None => (0, false),
        };
        let (header_row, header) = pending.get(header_at)?;
        if header.len() > MAX_COLUMNS {
            self.problem(
                *header_row,
                None,
                "file",
                "too_many_columns",
                format!(
                    "the header has {} columns; needsdb reads at most {MAX_COLUMNS}",
                    header.len()
                ),
                "remove the columns needsdb does not use".into(),
            );
            return None;
        }
        let texts: Vec<String> = header
            .iter()
            .map(|c| c.text().ok().flatten().unwrap_or_default())
            .collect();
        let labels_row = if tagged && header_at > 0 {
            pending.get(header_at - 1).map(|(_, c)| c.clone())
        } else {
            None
        };
        let tags: Vec<Option<Tag>> = texts
            .iter()
            .map(|t| if tagged { Tag::parse(t) } else { None })
            .collect();
        let kind = self.forced_kind.unwrap_or_else(|| {
            let donor = tags.iter().enumerate().any(|(i, t)| match t {
                Some(t) => columns::field_for(t, true) == Some(Field::Donor),
                None => !tagged && columns::field_for_header(&texts[i], true) == Some(Field::Donor),
            });
            if donor { Kind::Contributions } else { Kind::Needs }
        });
        let contributions = kind == Kind::Contributions;
        let mut cols: Vec<Mapped> = Vec::new();
        let mut labels = Vec::with_capacity(texts.len());
        let mut value_stage = None;
        for (i, text) in texts.iter().enumerate() {
            let label = match &labels_row {
                Some(l) => match l.get(i).and_then(|c| c.text().ok().flatten()) {
                    Some(name) if !text.is_empty() => format!("{text} {name}"),
                    Some(name) => name,
                    None => text.clone(),
                },
                None => text.clone(),
            };
            labels.push(label.clone());
            if text.is_empty() {
                continue;
            }
            let field = match &tags[i] {
                Some(t) => {
                    if t.hashtag == "value" && value_stage.is_none() {
                        value_stage = columns::stage_from_attrs(t);
                    }
                    columns::field_for(t, contributions)
                }
                None => columns::field_for_header(text, contributions),
            };
            match field {
                Some(f) if cols.iter().any(|m| m.field == f) => self.warnings.push(Warning {
                    row: Some(*header_row),
                    column: Some(columns::letters(i)),
                    message: format!(
                        "column {} ({label}) repeats an earlier column and is ignored",
                        columns::letters(i)
                    ),
                }),
                Some(f) => cols.push(Mapped { field: f, index: i }),
                None => self.warnings.push(Warning {
                    row: Some(*header_row),
                    column: Some(columns::letters(i)),
                    message: format!(
                        "column {} ({label}) is not one needsdb reads for {}; it is ignored",
                        columns::letters(i),
                        if contributions { "contributions" } else { "needs" }
                    ),
                }),
            }
        }
        if cols.is_empty() {
            let shown: Vec<String> = labels
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.is_empty())
                .take(8)
                .map(|(i, l)| format!("{} ({l})", columns::letters(i)))
                .collect();
            self.problem(
                *header_row,
                None,
                "file",
                "no_known_columns",
                format!(
                    "no column of row {header_row} is one needsdb reads for {}{}",
                    if contributions { "contributions" } else { "needs" },
                    if shown.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", shown.join(", "))
                    }
                ),
                "name the columns as the template does (Country code, Item code, Quantity needed...), or tag them with HXL hashtags (#country+code, #item+code, #need+num...)".into(),
            );
        }
        let names = cols
            .iter()
            .map(|m| format!("{} ({})", columns::letters(m.index), labels[m.index]))
            .collect();
        self.layout = Some(Layout {
            kind,
            columns: cols,
            labels,
            names,
            value_stage,
        });
        for (row, cells) in pending.into_iter().skip(header_at + 1) {
            self.data_row(row, cells);
        }
        self.take_chunk(CHUNK)
    }

    fn data_row(&mut self, row: u64, cells: Vec<Cell>) {
        if cells.iter().all(Cell::is_empty) {
            return;
        }
        self.rows += 1;
        if cells.len() > MAX_COLUMNS {
            self.problem(
                row,
                None,
                "row",
                "too_many_columns",
                format!("the row has {} cells; needsdb reads at most {MAX_COLUMNS}", cells.len()),
                "remove the cells beyond the last column".into(),
            );
            return;
        }
        let Some(layout) = self.layout.take() else { return };
        let mut rec = RowValues {
            values: HashMap::with_capacity(layout.columns.len()),
            reported: Vec::new(),
        };
        for (m, colname) in layout.columns.iter().zip(&layout.names) {
            let cell = cells.get(m.index).cloned().unwrap_or(Cell::Empty);
            let colname = colname.clone();
            let contributions = layout.kind == Kind::Contributions;
            let api = m.field.api_name(contributions);
            if m.field.informational() {
                continue;
            }
            let value = if matches!(m.field, Field::NeededBy | Field::StageDate) {
                cell.date(self.epoch_1904)
                    .map(|d| d.map(|d| d.to_string()))
                    .map_err(|message| CellProblem {
                        code: "unreadable_cell",
                        message,
                        fix: "write the date as YYYY-MM-DD, or format the cell as a date".into(),
                    })
            } else {
                match (&cell, cell.text()) {
                    (Cell::Text(_), Ok(Some(t))) if m.field.numeric() => self.number(row, &colname, &t).map(Some),
                    (_, v) => v.map_err(|message| CellProblem {
                        code: "unreadable_cell",
                        message,
                        fix: "correct this cell".into(),
                    }),
                }
            };
            match value {
                Ok(Some(v)) => {
                    rec.values.insert(m.field, (v, colname));
                }
                Ok(None) => {}
                Err(p) => {
                    // Reported here; the rest of the row is still checked.
                    rec.reported.push(api.to_owned());
                    self.problem(row, Some(colname), api, p.code, p.message, p.fix);
                }
            }
        }
        let kind = layout.kind;
        let value_stage = layout.value_stage;
        self.layout = Some(layout);
        // The template fills in the country on every row: a row with nothing
        // else is an empty row.
        if rec.reported.is_empty()
            && rec
                .values
                .keys()
                .all(|f| matches!(f, Field::Country | Field::CountryName))
        {
            self.rows -= 1;
            return;
        }
        match kind {
            Kind::Needs => {
                let n = self.need(row, &mut rec);
                self.admit_need(n);
            }
            Kind::Contributions => {
                let c = self.contribution(row, &mut rec, value_stage);
                self.admit_contribution(c);
            }
        }
    }

    fn resolve(&mut self, row: u64, what: &'static str, field: &str, value: &str, colname: &str) -> Option<String> {
        let (cache, resolver) = match what {
            "item" => (&mut self.item_cache, &self.lookups.items),
            _ => (&mut self.country_cache, &self.lookups.countries),
        };
        // Most rows repeat a name already seen: only its answer is copied out.
        let res = cache.entry(value.to_owned()).or_insert_with(|| resolver.resolve(value));
        let confirmed = res.kind == crate::resolve::MatchKind::Suggestion
            && res
                .code
                .as_ref()
                .is_some_and(|c| self.confirmed.contains(&(value.to_owned(), c.clone())));
        let taken = if confirmed {
            res.code.as_deref()
        } else {
            res.accepted(self.accept_suggestions)
        };
        if let Some(code) = taken {
            let code = code.to_owned();
            if res.kind == crate::resolve::MatchKind::Suggestion {
                let name = res.candidates.first().map(|c| c.name.clone()).unwrap_or_default();
                self.accepted_count += 1;
                if self.accepted.len() < needsdb_store::MAX_ROW_PROBLEMS {
                    self.accepted.push(AcceptedName {
                        row,
                        column: colname.to_owned(),
                        written: value.to_owned(),
                        code: code.clone(),
                        name,
                    });
                }
            }
            return Some(code);
        }
        let code = if res.code.is_some() { "suggestion" } else { "no_match" };
        let suggestion = res.code.clone().map(|c| crate::report::Suggestion {
            written: value.to_owned(),
            name: res.candidates.first().map(|x| x.name.clone()).unwrap_or_default(),
            code: c,
        });
        if let Some((message, fix)) = res.problem(what) {
            self.problem(row, Some(colname.to_owned()), field, code, message, fix);
            if let Some(last) = self.problems.last_mut().filter(|p| p.row == row && p.field == field) {
                last.suggestion = suggestion;
            }
        }
        None
    }

    /// The first of `fields` the row fills in, resolved as a `what`; a name
    /// that does not resolve is a problem and sets `failed`.
    fn resolve_first(&mut self, row: u64, rec: &mut RowValues, what: &'static str, fields: &[Field]) -> Option<String> {
        let (v, col) = fields.iter().find_map(|f| rec.get(*f))?;
        let (v, col) = (v.clone(), col.clone());
        let r = self.resolve(row, what, what, &v, &col);
        if r.is_none() {
            rec.reported.push(what.to_owned());
        }
        r
    }

    /// A status as written, reported on `row` when it is not one.
    fn status(&mut self, row: u64, column: Option<String>, s: &str) -> Option<NeedStatus> {
        let st = import_status(s);
        if st.is_none() {
            self.problem(
                row,
                column,
                "status",
                "invalid_choice",
                format!("'{s}' is not a status"),
                "write draft, submitted, validated or withdrawn".into(),
            );
        }
        st
    }

    /// A party: an organisation's code as written, or a country by any name.
    fn party(&mut self, row: u64, field: &str, value: &str, colname: &str) -> Option<String> {
        let upper = value.trim().to_uppercase();
        if self.lookups.organisations.contains(&upper) {
            return Some(upper);
        }
        self.resolve(row, "country", field, value, colname)
    }

    fn need(&mut self, row: u64, rec: &mut RowValues) -> NeedImport {
        let country = self.resolve_first(row, rec, "country", &[Field::Country, Field::CountryName]);
        let item = self.resolve_first(row, rec, "item", &[Field::Item, Field::ItemName]);
        let status = match rec.text(Field::Status) {
            None => NeedStatus::Submitted,
            Some(s) => match self.status(row, rec.col(Field::Status), &s.to_lowercase().replace(' ', "_")) {
                Some(st) => st,
                None => {
                    rec.reported.push("status".into());
                    NeedStatus::Submitted
                }
            },
        };
        let currency = rec.text(Field::Currency);
        let money_needed = rec.text(Field::Amount);
        NeedImport {
            row,
            status,
            reported: std::mem::take(&mut rec.reported),
            input: NewNeed {
                country,
                place: rec.text(Field::Place),
                pcode: rec.text(Field::Pcode),
                item,
                quantity: rec.text(Field::Quantity).map(Value::String),
                amount: money_needed.map(Value::String),
                currency,
                usd_rate: rec.text(Field::UsdRate).map(Value::String),
                priority: rec.text(Field::Priority).map(|p| p.to_lowercase()),
                needed_by: rec.text(Field::NeededBy),
                justification: rec.text(Field::Justification),
                reported_via: rec.text(Field::ReportedVia).map(|p| p.to_lowercase()),
                external_id: rec.text(Field::ExternalId),
                people_in_need: rec.text(Field::PeopleInNeed).map(Value::String),
                people_targeted: rec.text(Field::PeopleTargeted).map(Value::String),
                people_source: rec.text(Field::PeopleSource),
                outcome: rec.text(Field::Outcome),
            },
        }
    }

    /// The numbers inside a list cell (`KEN/x=2,5`, `who:AFR=2.000.000`),
    /// read in the file's style like any number cell.
    fn number_part(&mut self, row: u64, rec: &mut RowValues, field: Field, text: &str) -> String {
        let col = rec.col(field).unwrap_or_default();
        match self.number(row, &col, text.trim()) {
            Ok(t) => t,
            Err(p) => {
                let api = field.api_name(true);
                rec.reported.push(api.to_owned());
                self.problem(row, Some(col), api, p.code, p.message, p.fix);
                text.to_owned()
            }
        }
    }

    fn contribution(&mut self, row: u64, rec: &mut RowValues, value_stage: Option<&str>) -> ContributionImport {
        let party = |m: &mut Self, rec: &mut RowValues, field: Field| -> Option<String> {
            let (v, col) = rec.get(field)?;
            let (v, col) = (v.clone(), col.clone());
            let api = field.api_name(true);
            let r = m.party(row, api, &v, &col);
            if r.is_none() {
                rec.reported.push(api.to_owned());
            }
            r
        };
        let donor = party(self, rec, Field::Donor);
        let recipient = party(self, rec, Field::Recipient).or_else(|| party(self, rec, Field::Country));
        let recipient = recipient.or_else(|| party(self, rec, Field::CountryName));
        let channel = party(self, rec, Field::Channel);
        let item = self.resolve_first(row, rec, "item", &[Field::Item, Field::ItemName]);
        let currency = rec.text(Field::Currency);
        // One value column serves both: money when a currency is given.
        let (quantity, amount) = match (rec.text(Field::Quantity), rec.text(Field::Amount), &currency) {
            (Some(q), _, None) => (Some(q), None),
            (None, Some(a), None) => (Some(a), None),
            (q, a, Some(_)) => (None, a.or(q)),
            (None, None, None) => (None, None),
        };
        let stage = rec
            .text(Field::Status)
            .map(|s| s.to_lowercase())
            .or_else(|| value_stage.map(str::to_owned));
        let mut need_refs = match rec.get(Field::Needs) {
            None => Vec::new(),
            Some((text, col)) => match parse_need_refs(text) {
                Ok(refs) => refs,
                Err(message) => {
                    let col = col.clone();
                    rec.reported.push("needs".into());
                    self.problem(row, Some(col), "needs", "invalid", message, NEED_REFS_FIX.into());
                    Vec::new()
                }
            },
        };
        for r in &mut need_refs {
            if let Value::String(q) = &r.quantity {
                let q = q.clone();
                r.quantity = Value::String(self.number_part(row, rec, Field::Needs, &q));
            }
        }
        let mut earmarks = Vec::new();
        if let Some((text, col)) = rec.get(Field::Earmarks) {
            let (text, col) = (text.clone(), col.clone());
            for (i, part) in text.split(';').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
                match NewEarmark::from_text(&format!("earmarks[{i}]"), part) {
                    Ok(mut e) => {
                        for v in [&mut e.share_percent, &mut e.amount].into_iter().flatten() {
                            if let Value::String(t) = v {
                                let t = t.clone();
                                *v = Value::String(self.number_part(row, rec, Field::Earmarks, &t));
                            }
                        }
                        earmarks.push(e);
                    }
                    Err(e) => {
                        rec.reported.push("earmarks".into());
                        self.problem(
                            row,
                            Some(col.clone()),
                            "earmarks",
                            "invalid",
                            e.message,
                            "write earmarks as TARGET=SHARE% or TARGET=AMOUNT, separated by semicolons".into(),
                        );
                    }
                }
            }
        }
        ContributionImport {
            row,
            need_refs,
            reported: std::mem::take(&mut rec.reported),
            input: NewContribution {
                donor,
                recipient,
                channel,
                item,
                quantity: quantity.map(Value::String),
                amount: amount.map(Value::String),
                currency,
                usd_rate: rec.text(Field::UsdRate).map(Value::String),
                stage,
                stage_date: rec.text(Field::StageDate),
                source_url: rec.text(Field::SourceUrl),
                description: rec.text(Field::Description),
                external_id: rec.text(Field::ExternalId),
                usd_value: rec.text(Field::UsdValue).map(Value::String),
                sector: rec.text(Field::Sector),
                links: Vec::new(),
                earmarks,
            },
        }
    }

    /// A JSON record in the API's schema (plus `status` for a need).
    pub fn json_record(&mut self, row: u64, value: Value) -> Option<ImportChunk> {
        self.rows += 1;
        let Value::Object(mut map) = value else {
            self.problem(
                row,
                None,
                "record",
                "not_an_object",
                format!("record {row} is not a JSON object"),
                "write each record as an object, as the API takes it".into(),
            );
            return None;
        };
        let kind = match (&self.layout, self.forced_kind) {
            (Some(l), _) => l.kind,
            (None, Some(k)) => k,
            (None, None) if map.contains_key("donor") => Kind::Contributions,
            (None, None) => Kind::Needs,
        };
        if self.layout.is_none() {
            self.layout = Some(Layout {
                kind,
                columns: Vec::new(),
                labels: Vec::new(),
                names: Vec::new(),
                value_stage: None,
            });
        }
        match kind {
            Kind::Needs => {
                let status = match map.remove("status") {
                    None | Some(Value::Null) => NeedStatus::Submitted,
                    Some(Value::String(s)) => self.status(row, None, &s)?,
                    Some(other) => {
                        self.problem(
                            row,
                            None,
                            "status",
                            "invalid_type",
                            format!("status must be text, not {other}"),
                            "write the status as text".into(),
                        );
                        return None;
                    }
                };
                match from_map::<NewNeed>(map) {
                    Ok(input) => self.admit_need(NeedImport {
                        row,
                        input,
                        status,
                        reported: Vec::new(),
                    }),
                    Err((field, message)) => {
                        self.problem(row, None, &field, "invalid", message, "correct this field".into())
                    }
                }
            }
            Kind::Contributions => {
                // `needs` carries links by need reference; the rest is the API's schema.
                {
                    let refs = match map.remove("needs") {
                        None | Some(Value::Null) => Ok(Vec::new()),
                        Some(Value::String(s)) => parse_need_refs(&s),
                        Some(other) => Err(format!("needs must be text, not {other}")),
                    };
                    match (refs, from_map::<NewContribution>(map)) {
                        // The same access rules as a spreadsheet row.
                        (Ok(need_refs), Ok(input)) => self.admit_contribution(ContributionImport {
                            row,
                            input,
                            need_refs,
                            reported: Vec::new(),
                        }),
                        (Err(message), _) => self.problem(row, None, "needs", "invalid", message, NEED_REFS_FIX.into()),
                        (_, Err((field, message))) => {
                            self.problem(row, None, &field, "invalid", message, "correct this field".into())
                        }
                    }
                }
            }
        }
        self.take_chunk(CHUNK)
    }
}

const NEED_REFS_FIX: &str = "write the needs as ISO3/external id=quantity, separated by semicolons";

/// `KEN/moh-17=500; UGA/needsdb-42=20` into need references.
pub fn parse_need_refs(text: &str) -> Result<Vec<NeedRef>, String> {
    let mut out = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((need, quantity)) = part.rsplit_once('=') else {
            return Err(format!("'{part}' has no quantity (=)"));
        };
        let Some((country, key)) = need.trim().split_once('/') else {
            return Err(format!("'{need}' does not name a country (ISO3/external id)"));
        };
        out.push(NeedRef {
            country: country.trim().to_uppercase(),
            key: key.trim().to_owned(),
            quantity: Value::String(quantity.trim().to_owned()),
        });
    }
    Ok(out)
}

/// Need references as the export writes them.
pub fn format_need_refs(refs: &[NeedRef]) -> String {
    refs.iter()
        .map(|r| {
            let q = match &r.quantity {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{}/{}={q}", r.country, r.key)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn need_references_read_back_as_written() {
        let refs = parse_need_refs("KEN/moh-17=500; ugA/needsdb-42=2.5").unwrap();
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[1].country, "UGA");
        assert_eq!(format_need_refs(&refs), "KEN/moh-17=500; UGA/needsdb-42=2.5");
        assert!(parse_need_refs("KEN-17=5").is_err());
        assert!(parse_need_refs("KEN/17").is_err());
        assert_eq!(parse_need_refs(" ; ").unwrap(), vec![]);
    }
}

/// The status a need is imported in. Partly met and met follow coverage:
/// imported, such a need is validated, and its links decide the rest.
fn import_status(s: &str) -> Option<NeedStatus> {
    match NeedStatus::parse(s)? {
        NeedStatus::PartlyMet | NeedStatus::Met => Some(NeedStatus::Validated),
        st => Some(st),
    }
}

fn from_map<T: serde::de::DeserializeOwned>(map: Map<String, Value>) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "record".to_owned() } else { path };
        (field, e.inner().to_string())
    })
}

/// A row whose cells are all hashtags (or empty), with at least one hashtag.
fn is_tag_row(cells: &[Cell]) -> bool {
    let mut any = false;
    for c in cells {
        match c.text() {
            Ok(None) => {}
            Ok(Some(t)) if Tag::parse(&t).is_some() => any = true,
            _ => return false,
        }
    }
    any
}

#[derive(Default)]
struct RowValues {
    values: HashMap<Field, (String, String)>,
    /// API fields with a problem already reported on this row.
    reported: Vec<String>,
}

/// What is wrong with one cell.
struct CellProblem {
    code: &'static str,
    message: String,
    fix: String,
}

impl RowValues {
    fn get(&self, f: Field) -> Option<(&String, &String)> {
        self.values.get(&f).map(|(v, c)| (v, c))
    }
    fn text(&self, f: Field) -> Option<String> {
        self.values.get(&f).map(|(v, _)| v.clone())
    }
    fn col(&self, f: Field) -> Option<String> {
        self.values.get(&f).map(|(_, c)| c.clone())
    }
}

/// Earmarks as the export writes them.
pub fn earmark_of(e: &needsdb_store::EarmarkOut) -> NewEarmark {
    NewEarmark {
        target: Some(e.target.clone()),
        share_percent: e.share_percent.clone(),
        amount: e.amount.clone(),
    }
}
