//! `needsdb evidence`: links and files kept for needs and deliveries.

use super::args::{EvidenceCmd, EvidenceOf};
use super::{Format, output, store};
use crate::services::access;
use anyhow::Context;
use needsdb_domain::evidence::{self, NewEvidenceLink};
use needsdb_store::StoreError;
use serde_json::Value;

const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "title",
    "url",
    "file_name",
    "media_type",
    "bytes",
    "created_by",
];

fn entity(of: EvidenceOf) -> &'static str {
    match of {
        EvidenceOf::Need => "need",
        EvidenceOf::Contribution => "contribution",
    }
}

/// The type a file's name declares; its content is then checked against it.
fn media_type(path: &std::path::Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        _ => "application/octet-stream",
    }
}

pub async fn run(db: &str, fmt: Format, cmd: EvidenceCmd, as_user: Option<&str>) -> anyhow::Result<()> {
    let s = store(db).await?;
    let who = super::acting(s.as_ref(), as_user).await?;
    let caller = who.user.as_ref();
    match cmd {
        EvidenceCmd::Add {
            of,
            id,
            link,
            file,
            title,
        } => {
            if who.checked() {
                match of {
                    EvidenceOf::Need => {
                        let n = s.need(id).await?;
                        access::may_write_need(caller, &n.country)?;
                    }
                    EvidenceOf::Contribution => {
                        let c = s.contribution(id).await?;
                        if access::may_edit_contribution(caller, &c.donor).is_err() {
                            access::may_advance(caller, &c.donor, &c.recipient, needsdb_domain::Stage::Delivered)?;
                        }
                    }
                }
            }
            let valid = match (link, file) {
                (Some(url), _) => NewEvidenceLink { url: Some(url), title }.validate(),
                (None, Some(path)) => {
                    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("evidence");
                    evidence::validate_file(name, media_type(&path), bytes, title.as_deref())
                }
                (None, None) => {
                    return Err(super::UsageError("give --link URL or --file PATH".into()).into());
                }
            }
            .map_err(StoreError::Invalid)?;
            let e = s.add_evidence(&who.actor, entity(of), id, &valid).await?;
            output::print_value(fmt, &serde_json::to_value(e)?, COLUMNS)
        }
        EvidenceCmd::List { of, id } => {
            let rows: Vec<Value> = s
                .evidence(entity(of), id)
                .await?
                .into_iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, COLUMNS, None)
        }
    }
}
