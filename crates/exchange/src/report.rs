//! What an import tells its user: counts, warnings, and every problem with
//! its row, its column and a suggested fix.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    /// The row as the spreadsheet numbers it (1 is the first line); 0 for the file as a whole.
    pub row: u64,
    /// `D (#item+code Item code)`, when the problem is in one cell.
    pub column: Option<String>,
    pub field: String,
    pub code: String,
    pub message: String,
    pub fix: String,
    /// For a name that is close to a known one: what the file says and the
    /// code it would become, for the user to confirm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
}

/// A suggested name, to confirm or reject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub written: String,
    pub code: String,
    /// The UN (or catalogue) name of the code.
    pub name: String,
}

/// A name taken from a suggestion (`--accept-suggestions`): what the file
/// says, and what it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptedName {
    pub row: u64,
    pub column: String,
    /// As written in the file.
    pub written: String,
    pub code: String,
    /// The UN (or catalogue) name of the code.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub row: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub format: &'static str,
    pub kind: Option<crate::Kind>,
    pub dry_run: bool,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub duplicates: u64,
    /// True when the rows were written: never for a dry run or a file with problems.
    pub committed: bool,
    pub warnings: Vec<Warning>,
    /// Every suggested name taken (the first 1,000; `accepted_count` counts all).
    pub accepted: Vec<AcceptedName>,
    pub accepted_count: u64,
    pub problem_count: u64,
    pub problems: Vec<FileProblem>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problem_count == 0
    }
}

/// A suggested fix for a problem the store found, by its code.
pub fn fix_for(code: &str, field: &str) -> String {
    match code {
        "required" => format!("fill in {field}"),
        "unknown_item" => "use an item code from `needsdb items list` (the template's Lists sheet has them)".into(),
        "unknown_country" => "use an ISO3 code such as KEN; `needsdb resolve country NAME` finds it".into(),
        "unknown_party" => "use an ISO3 code or an organisation code from `needsdb parties list`".into(),
        "unknown_currency" => "use an ISO 4217 code such as USD or EUR".into(),
        "invalid_choice" => format!("use one of the values the error lists for {field}"),
        "not_a_number" | "invalid" | "not_positive" | "negative" | "too_precise" | "too_large" => {
            format!("write {field} as a positive number (for a decimal comma, import with --decimal-comma)")
        }
        "retired_item" => "choose an item that is still in the catalogue".into(),
        "not_valued" => {
            "link the cash to a financial need, or ask the secretariat to give the item a unit value".into()
        }
        "in_future" => "record the stage once it is reached".into(),
        "unknown_sector" => "use a DAC 5-digit code from the IATI Sector codelist, such as 72010".into(),
        "too_long" => format!("shorten {field}"),
        "not_editable" | "duplicate_external_id" => "give the row a new external id".into(),
        "date" | "invalid_date" | "in_past" => "write the date as YYYY-MM-DD".into(),
        _ => format!("correct {field} and import the file again"),
    }
}
