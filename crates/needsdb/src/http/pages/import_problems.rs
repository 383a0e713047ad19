//! An import's problems as the pages show them: in the page's language, by
//! the problem's code, with a fix that speaks of the upload form and the
//! template, never of command-line flags. A code with no words yet keeps
//! the rule's own (English) message after a sentence in the page's language.

use super::Page;
use super::i18n::TRANSLATED_CODES;
use needsdb_exchange::FileProblem;

pub struct ProblemRow {
    pub row: u64,
    pub column: String,
    pub message: String,
    pub fix: String,
}

/// The codes with a message of their own in the Fluent files
/// (`import-msg-<code>`), beside the field errors' `err-<code>`.
const MESSAGE_CODES: [&str; 16] = [
    "unknown_item",
    "unknown_country",
    "unknown_party",
    "unknown_currency",
    "retired_item",
    "not_valued",
    "in_future",
    "in_past",
    "unknown_sector",
    "duplicate_external_id",
    "not_editable",
    "mixed_decimal_style",
    "ambiguous_number",
    "unreadable_cell",
    "suggestion",
    "no_match",
];

/// The fix for a code (`import-fix-<group>`), grouped as the rules are.
fn fix_key(code: &str) -> &'static str {
    match code {
        "required" => "import-fix-required",
        "unknown_item" | "retired_item" => "import-fix-item",
        "unknown_country" | "no_match" => "import-fix-country",
        "unknown_party" => "import-fix-party",
        "unknown_currency" => "import-fix-currency",
        "invalid_choice" => "import-fix-choice",
        "not_a_number" | "invalid" | "not_positive" | "negative" | "too_precise" | "too_large" => "import-fix-number",
        "mixed_decimal_style" | "ambiguous_number" => "import-fix-decimals",
        "not_valued" => "import-fix-not-valued",
        "in_future" => "import-fix-in-future",
        "unknown_sector" => "import-fix-sector",
        "too_long" => "import-fix-too-long",
        "not_editable" | "duplicate_external_id" => "import-fix-external-id",
        "date" | "invalid_date" | "in_past" => "import-fix-date",
        "suggestion" => "import-fix-suggestion",
        _ => "import-fix-other",
    }
}

pub fn rows(page: &Page, problems: &[FileProblem]) -> Vec<ProblemRow> {
    problems
        .iter()
        .map(|p| {
            let column = p.column.clone().unwrap_or_else(|| p.field.clone());
            let field = [("field", p.field.replace('_', " "))];
            let message = if TRANSLATED_CODES.contains(&p.code.as_str()) {
                page.ta(&format!("err-{}", p.code), &field)
            } else if MESSAGE_CODES.contains(&p.code.as_str()) {
                let written = p.suggestion.as_ref().map(|s| s.written.clone()).unwrap_or_default();
                page.ta(&format!("import-msg-{}", p.code), &[("written", written)])
            } else if page.lang == super::i18n::Lang::En {
                p.message.clone()
            } else {
                // No words yet for this rule: a sentence in the page's
                // language, and the rule's own English after it.
                format!("{} — {}", page.t("import-msg-other"), p.message)
            };
            ProblemRow {
                row: p.row,
                column,
                message,
                fix: page.ta(fix_key(&p.code), &field),
            }
        })
        .collect()
}

/// The problems as a table to download.
pub fn sheet(page: &Page, problems: &[ProblemRow]) -> super::sheets::Sheet {
    use super::sheets::{Cell, Sheet};
    let mut sheet = Sheet::new(
        page,
        "import-problems",
        &["col-row", "col-column", "col-note", "col-fix"],
    );
    sheet.rows = problems
        .iter()
        .map(|p| {
            vec![
                Cell::Num(p.row.to_string()),
                Cell::text(p.column.clone()),
                Cell::text(p.message.clone()),
                Cell::text(p.fix.clone()),
            ]
        })
        .collect();
    sheet
}
