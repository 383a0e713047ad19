//! Saved searches: a caller keeps a set of need filters and follows the
//! newly validated needs that match through an Atom feed. The feed's
//! address carries a secret token (shown once, stored hashed), because feed
//! readers cannot send headers. Shared by the API and the pages.

use super::Failure;
use super::access::{self, Caller};
use super::accounts::sha256_hex;
use needsdb_store::{Actor, NeedQuery, NeedScope, SavedSearch, Store};
use serde::{Deserialize, Serialize};

/// The filters a saved search keeps.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    pub country: Option<String>,
    pub nam_status: Option<String>,
    pub region: Option<String>,
    pub who_region: Option<String>,
    pub income_group: Option<String>,
    pub cluster: Option<String>,
    pub item: Option<String>,
    pub priority: Option<String>,
}

impl SearchQuery {
    pub fn need_query(&self, scope: Option<NeedScope>) -> NeedQuery {
        NeedQuery {
            country: self.country.clone(),
            nam_status: self.nam_status.clone(),
            region: self.region.clone(),
            who_region: self.who_region.clone(),
            income_group: self.income_group.clone(),
            cluster: self.cluster.clone(),
            item: self.item.clone(),
            priority: self.priority.clone(),
            status: Some(access::SHARED.map(|s| s.as_str()).join(",")),
            scope,
            ..Default::default()
        }
    }
}

/// Saves a search for the caller; returns it with its feed's address.
pub async fn save(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    name: &str,
    query: &SearchQuery,
) -> Result<(SavedSearch, String), Failure> {
    let user = access::require(caller, &access::SIGNED_IN)?;
    // Check the filters now, so a broken search is never saved.
    store
        .needs(&NeedQuery {
            limit: Some(1),
            ..query.need_query(None)
        })
        .await?;
    let token = super::accounts::random_hex(24);
    let value = serde_json::to_value(query).map_err(|e| needsdb_store::StoreError::Internal(e.to_string()))?;
    let search = store
        .create_search(actor, user.id, name, &value, &sha256_hex(&token))
        .await?;
    Ok((search, format!("/api/v1/feeds/{token}")))
}

/// A feed of the caller's own notifications, kept as a saved search so it
/// is listed and stopped the same way; returns its address.
pub async fn follow_notifications(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
) -> Result<(SavedSearch, String), Failure> {
    let user = access::require(caller, &access::SIGNED_IN)?;
    let token = super::accounts::random_hex(24);
    let search = store
        .create_search(
            actor,
            user.id,
            "notifications",
            &serde_json::json!({"kind": "notifications"}),
            &sha256_hex(&token),
        )
        .await?;
    Ok((search, format!("/api/v1/feeds/{token}")))
}

/// Whether a saved search is the feed of its owner's notifications.
pub fn is_notifications(query: &serde_json::Value) -> bool {
    query.get("kind").and_then(|k| k.as_str()) == Some("notifications")
}

/// The caller's saved searches.
pub async fn mine(store: &dyn Store, caller: Caller<'_>) -> Result<Vec<SavedSearch>, Failure> {
    let user = access::require(caller, &access::SIGNED_IN)?;
    Ok(store.searches(user.id).await?)
}

/// Stops following one of the caller's searches (its feed stops too).
pub async fn forget(store: &dyn Store, caller: Caller<'_>, actor: &Actor, id: i64) -> Result<(), Failure> {
    let user = access::require(caller, &access::SIGNED_IN)?;
    Ok(store.delete_search(actor, user.id, id).await?)
}
