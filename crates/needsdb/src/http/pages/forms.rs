//! Forms as the GOV.UK Design System sets them out: what the user typed is
//! kept, and each problem is named at its field and in a summary at the top.

use super::{Lang, i18n};
use needsdb_domain::Invalid;
use std::collections::HashMap;

/// The fields a form sent, in order (a checkbox list sends a name many times).
#[derive(Debug, Default, Clone)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    pub fn insert(&mut self, name: &str, value: String) {
        self.0.push((name.to_owned(), value));
    }

    /// As typed ("" when absent); the last, if sent more than once.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value sent under `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Trimmed, or None when empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).trim()).filter(|s| !s.is_empty()).map(str::to_owned)
    }

    /// A number as the page's language writes it, as the plain decimal the
    /// rules read: grouping removed, the decimal separator made a point.
    pub fn number(&self, name: &str, lang: Lang) -> Option<serde_json::Value> {
        let raw = self.opt(name)?;
        let spaced: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '\u{202F}').collect();
        let plain = match lang {
            Lang::Fr | Lang::Ru => spaced.replace(',', "."),
            Lang::Es => spaced.replace('.', "").replace(',', "."),
            Lang::En | Lang::Zh | Lang::Ar => spaced.replace(',', ""),
        };
        Some(serde_json::Value::String(plain))
    }

    pub fn into_values(self) -> HashMap<String, String> {
        self.0.into_iter().collect()
    }
}

pub struct FieldMessage {
    pub field: String,
    pub message: String,
}

/// A form's values and problems, as its template shows them.
#[derive(Default)]
pub struct FormState {
    values: HashMap<String, String>,
    pub errors: Vec<FieldMessage>,
}

impl FormState {
    pub fn new(values: HashMap<String, String>) -> Self {
        Self {
            values,
            errors: Vec::new(),
        }
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_owned(), value.into());
    }

    pub fn value(&self, name: impl AsRef<str>) -> &str {
        self.values.get(name.as_ref()).map_or("", String::as_str)
    }

    pub fn error(&self, name: impl AsRef<str>) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name.as_ref())
            .map(|e| e.message.as_str())
    }

    pub fn add(&mut self, field: &str, message: String) {
        self.errors.push(FieldMessage {
            field: field.to_owned(),
            message,
        });
    }

    pub fn describes(&self, name: impl AsRef<str>, hint: impl AsRef<str>) -> bool {
        !hint.as_ref().is_empty() || self.error(name).is_some()
    }

    pub fn described_by(&self, name: impl AsRef<str>, hint: impl AsRef<str>) -> String {
        let name = name.as_ref();
        let mut ids = Vec::new();
        if !hint.as_ref().is_empty() {
            ids.push(format!("{name}-hint"));
        }
        if self.error(name).is_some() {
            ids.push(format!("{name}-error"));
        }
        ids.join(" ")
    }

    /// The rules' problems, in the page's language: the field by its label,
    /// the problem by its code where we have words for it, else the rule's
    /// own (English) words. Only fields the form has are linked; others are
    /// named against the first field.
    pub fn add_invalid(&mut self, lang: Lang, inv: &Invalid, labels: &[(&str, String)], first: &str) {
        for e in &inv.0 {
            let base = e.field.split(['.', '[']).next().unwrap_or(&e.field);
            let (field, label) = match labels.iter().find(|(f, _)| *f == base) {
                Some((f, l)) => ((*f).to_owned(), l.clone()),
                None => (first.to_owned(), e.field.clone()),
            };
            let message = if i18n::TRANSLATED_CODES.contains(&e.code.as_str()) {
                i18n::text(lang, &format!("err-{}", e.code), &[("field", label.to_lowercase())])
            } else {
                i18n::text(lang, "err-other", &[("field", label), ("message", e.message.clone())])
            };
            self.add(&field, message);
        }
    }
}
