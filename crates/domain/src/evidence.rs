//! Evidence for a need or a delivery: a link, or a small file whose content
//! must be what it says it is. Only the types a ministry or a carrier
//! actually sends are taken: PDF documents and photographs.

use crate::contribution::parse_source_url;
use crate::need::optional_text;
use crate::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};

/// The largest file kept: a scanned assessment or a few photographs.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// The types taken, with the bytes each file of that type begins with.
const TYPES: &[(&str, &[u8])] = &[
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
];

/// A link as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEvidenceLink {
    pub url: Option<String>,
    /// What it shows: "rapid needs assessment, May 2027".
    pub title: Option<String>,
}

/// Evidence that passed its checks, ready to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidEvidence {
    Link {
        url: String,
        title: String,
    },
    File {
        name: String,
        media_type: String,
        title: String,
        content: Vec<u8>,
    },
}

impl NewEvidenceLink {
    pub fn validate(&self) -> Result<ValidEvidence, Invalid> {
        let url = parse_source_url(&self.url)
            .map_err(|e| FieldError {
                field: "url".into(),
                ..e
            })?
            .ok_or_else(|| FieldError::new("url", "required", "url is required"))?;
        let title = optional_text("title", &self.title, 300)?.unwrap_or_else(|| url.clone());
        Ok(ValidEvidence::Link { url, title })
    }
}

/// Checks a file: its declared type is one taken, its content begins as
/// that type does, and it is not too large.
pub fn validate_file(
    name: &str,
    declared: &str,
    content: Vec<u8>,
    title: Option<&str>,
) -> Result<ValidEvidence, Invalid> {
    let declared = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((media_type, magic)) = TYPES.iter().find(|(t, _)| *t == declared) else {
        let taken: Vec<&str> = TYPES.iter().map(|(t, _)| *t).collect();
        return Err(Invalid::one(
            "content-type",
            "unsupported_type",
            format!("'{declared}' is not taken; send {}", taken.join(", ")),
        ));
    };
    if content.is_empty() {
        return Err(Invalid::one("file", "empty", "the file is empty"));
    }
    if content.len() > MAX_FILE_BYTES {
        return Err(Invalid::one(
            "file",
            "too_large",
            format!("the file is {} bytes; at most 5 MiB is kept", content.len()),
        ));
    }
    if !content.starts_with(magic) {
        return Err(Invalid::one(
            "file",
            "content_mismatch",
            format!("the file does not look like {media_type}, as it was declared"),
        ));
    }
    let name = name.trim();
    let name = if name.is_empty() { "evidence" } else { name };
    if name.len() > 200 || name.contains(['/', '\\', '\0']) {
        return Err(Invalid::one(
            "name",
            "invalid_name",
            "a file name of up to 200 characters, without / or \\",
        ));
    }
    let title = title.map(str::trim).filter(|t| !t.is_empty()).unwrap_or(name);
    Ok(ValidEvidence::File {
        name: name.to_owned(),
        media_type: (*media_type).to_owned(),
        title: title.chars().take(300).collect(),
        content,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_must_be_what_it_says() {
        assert!(validate_file("a.pdf", "application/pdf", b"%PDF-1.7 ...".to_vec(), None).is_ok());
        let e = validate_file("a.pdf", "application/pdf", b"MZ\x90\x00 not a pdf".to_vec(), None).unwrap_err();
        assert_eq!(e.0[0].code, "content_mismatch");
        let e = validate_file("a.exe", "application/x-msdownload", b"MZ".to_vec(), None).unwrap_err();
        assert_eq!(e.0[0].field, "content-type");
        let e = validate_file(
            "big.png",
            "image/png",
            [b"\x89PNG\r\n\x1a\n".to_vec(), vec![0; MAX_FILE_BYTES]].concat(),
            None,
        )
        .unwrap_err();
        assert_eq!(e.0[0].code, "too_large");
        let e = validate_file("../x.jpg", "image/jpeg", b"\xff\xd8\xff\xe0".to_vec(), None).unwrap_err();
        assert_eq!(e.0[0].field, "name");
    }

    #[test]
    fn a_link_is_a_web_address() {
        let ok = NewEvidenceLink {
            url: Some("https://reliefweb.int/report/x".into()),
            title: None,
        };
        assert!(matches!(ok.validate(), Ok(ValidEvidence::Link { .. })));
        let bad = NewEvidenceLink {
            url: Some("file:///etc/passwd".into()),
            title: None,
        };
        assert_eq!(bad.validate().unwrap_err().0[0].field, "url");
    }
}
