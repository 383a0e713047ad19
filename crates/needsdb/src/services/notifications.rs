//! What each user is told: the events that concern them, drawn from the
//! audit log (so nothing can happen without it showing) and from what is
//! still waiting. A ministry's focal point hears of pledges against its
//! needs, of its needs validated or returned (with the reviewer's note), and
//! of shipments waiting for its confirmation; a partner hears of deliveries
//! confirmed and of its pledges due for follow-up; the secretariat hears of
//! needs submitted for validation.

use crate::services::access::{own_country, own_party};
use crate::services::analysis::{FollowUpFilter, follow_up};
use chrono::{DateTime, Utc};
use needsdb_store::{AuditEvent, Role, Store, StoreError, User};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// How far back the log is read, in changes; and how many notices are kept.
const SCAN: i64 = 5_000;
const KEEP: usize = 100;
/// Days after which an uncommitted pledge or an unconfirmed shipment is
/// due for follow-up.
const FOLLOW_UP_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notice {
    /// A stable id: the audit entry, or the record waiting.
    pub id: String,
    pub at: DateTime<Utc>,
    /// pledge, need_validated, need_returned, need_withdrawn, need_submitted,
    /// awaiting_confirmation, delivery_confirmed or follow_up.
    pub kind: &'static str,
    pub title: String,
    pub summary: String,
    /// The record, as a path under the server's address.
    pub path: String,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// The changes notices are drawn from; read once, for as many users as need them.
pub async fn recent(store: &dyn Store) -> Result<Vec<AuditEvent>, StoreError> {
    store.recent_changes(SCAN).await
}

/// The notices for `u`, newest first.
pub async fn for_user(store: &dyn Store, u: &User) -> Result<Vec<Notice>, StoreError> {
    for_user_in(store, u, &recent(store).await?).await
}

/// The notices for `u` among `changes` (from `recent`), newest first.
pub async fn for_user_in(store: &dyn Store, u: &User, changes: &[AuditEvent]) -> Result<Vec<Notice>, StoreError> {
    let mut out = Vec::new();
    for e in changes {
        let Some(after) = &e.after else { continue };
        let notice = |kind: &'static str, title: String, summary: String, path: String| Notice {
            id: format!("audit-{}", e.seq),
            at: e.at,
            kind,
            title,
            summary,
            path,
        };
        match (e.entity.as_str(), e.action.as_str()) {
            ("need", "need.status" | "need.create" | "need.update") => {
                let (country, status, item) = (text(after, "country"), text(after, "status"), text(after, "item"));
                let path = format!("/api/v1/needs/{}", e.entity_id);
                if own_country(u, &country) && e.action == "need.status" {
                    let kind = match status.as_str() {
                        "validated" => "need_validated",
                        "draft" => "need_returned",
                        "withdrawn" => "need_withdrawn",
                        _ => continue,
                    };
                    let note = reviewer_note(store, &e.entity_id, after).await?;
                    let verb = &kind["need_".len()..];
                    out.push(notice(
                        kind,
                        format!("Need {} ({item}) was {verb}", e.entity_id),
                        match note {
                            Some(n) => format!("By {}: {n}", e.actor),
                            None => format!("By {}.", e.actor),
                        },
                        path,
                    ));
                } else if matches!(u.role, Role::Secretariat | Role::Admin) && status == "submitted" {
                    out.push(notice(
                        "need_submitted",
                        format!("Need {} ({country}, {item}) awaits validation", e.entity_id),
                        format!("Submitted by {}.", e.actor),
                        path,
                    ));
                }
            }
            ("contribution", action) => {
                let (donor, recipient, stage) = (text(after, "donor"), text(after, "recipient"), text(after, "stage"));
                let what = after
                    .get("item")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| {
                        after
                            .get("currency")
                            .and_then(Value::as_str)
                            .map(|c| format!("{c} cash"))
                    })
                    .unwrap_or_default();
                let path = format!("/api/v1/contributions/{}", e.entity_id);
                let linked = after
                    .get("links")
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .filter_map(|x| x.get("need").and_then(Value::as_i64))
                            .map(|n| n.to_string())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                if action == "contribution.create" && own_country(u, &recipient) && !linked.is_empty() {
                    out.push(notice(
                        "pledge",
                        format!("{donor} {stage} {what} against your need {}", linked.join(", ")),
                        format!("Contribution {} recorded by {}.", e.entity_id, e.actor),
                        path,
                    ));
                } else if action == "contribution.stage" && stage == "shipped" && own_country(u, &recipient) {
                    out.push(notice(
                        "awaiting_confirmation",
                        format!("{donor} shipped {what}: confirm what arrives"),
                        format!(
                            "Contribution {}: record each delivery as it arrives, in part or in full.",
                            e.entity_id
                        ),
                        path,
                    ));
                } else if action == "contribution.delivery" && own_party(u, &donor) {
                    out.push(notice(
                        "delivery_confirmed",
                        format!("{recipient} confirmed a delivery of {what}"),
                        format!("Contribution {} is now {stage}; confirmed by {}.", e.entity_id, e.actor),
                        path,
                    ));
                }
            }
            _ => {}
        }
    }
    if u.role == Role::Partner
        && let Some(org) = &u.org
    {
        let filter = FollowUpFilter {
            donor: Some(org.clone()),
            recipient: None,
        };
        for f in follow_up(store, FOLLOW_UP_DAYS, &filter).await? {
            out.push(Notice {
                id: format!("follow-up-{}-{}", f.contribution, f.stage),
                at: Utc::now(),
                kind: "follow_up",
                title: format!(
                    "Contribution {} to {} has been {} for {} days",
                    f.contribution, f.recipient, f.stage, f.days_waiting
                ),
                summary: match &f.outstanding {
                    Some(left) => format!("{left} {} not yet confirmed as delivered.", f.unit),
                    None => format!("{} {} not yet committed.", f.quantity, f.unit),
                },
                path: format!("/api/v1/contributions/{}", f.contribution),
            });
        }
    }
    out.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    out.truncate(KEEP);
    Ok(out)
}

/// The note kept with the version a status change produced.
async fn reviewer_note(store: &dyn Store, id: &str, after: &Value) -> Result<Option<String>, StoreError> {
    let (Ok(id), Some(version)) = (id.parse::<i64>(), after.get("version").and_then(Value::as_i64)) else {
        return Ok(None);
    };
    Ok(store
        .need_history(id)
        .await?
        .into_iter()
        .find(|v| v.version == version)
        .and_then(|v| v.note))
}
