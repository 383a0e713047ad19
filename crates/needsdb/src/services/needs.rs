//! Needs as a caller sees and changes them: the rules of `access` applied
//! to the store's operations, once, for the API, the pages and the CLI.

use super::Failure;
use super::access::{self, Caller, can_see_need, need_scope};
use needsdb_domain::{NeedStatus, NewNeed};
use needsdb_store::{Actor, Need, NeedQuery, Page, Role, StatusChange, Store, StoreError, Version};

/// A need the caller may see; one it may not see is answered exactly as one
/// that does not exist.
pub async fn visible(store: &dyn Store, caller: Caller<'_>, id: i64) -> Result<Need, Failure> {
    let scope = need_scope(caller)?;
    let n = store.need(id).await?;
    if can_see_need(&scope, &n.country, n.status) {
        Ok(n)
    } else {
        Err(StoreError::not_found("need", id).into())
    }
}

/// A page of the needs the caller may see.
pub async fn list(store: &dyn Store, caller: Caller<'_>, mut q: NeedQuery) -> Result<Page<Need>, Failure> {
    q.scope = need_scope(caller)?;
    Ok(store.needs(&q).await?)
}

/// Records a need of the caller's own state (any state for an administrator).
pub async fn create(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    input: &NewNeed,
    submit: bool,
) -> Result<Need, Failure> {
    access::require(caller, &[Role::Admin, Role::FocalPoint])?;
    if let Some(c) = input.country.as_deref() {
        access::may_write_need(caller, &c.trim().to_ascii_uppercase())?;
    }
    Ok(store.create_need(actor, input, submit).await?)
}

/// Edits a need: only fields given change; a material change to a
/// validated need sends it back for validation (the store's rule).
pub async fn update(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    patch: &NewNeed,
) -> Result<Need, Failure> {
    let n = visible(store, caller, id).await?;
    access::may_write_need(caller, &n.country)?;
    if let Some(c) = patch.country.as_deref() {
        access::may_write_need(caller, &c.trim().to_ascii_uppercase())?;
    }
    Ok(store.update_need(actor, id, expected, patch).await?)
}

/// Submits, validates, returns or withdraws a need, with a note.
pub async fn change_status(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    change: &StatusChange,
) -> Result<Need, Failure> {
    let user = access::require(caller, &[Role::Admin, Role::Secretariat, Role::FocalPoint])?;
    let n = visible(store, caller, id).await?;
    if let Some(to) = change.to.as_deref().and_then(NeedStatus::parse) {
        access::may_set_need_status(caller, &n.country, to)?;
    } else if user.role == Role::FocalPoint {
        access::may_write_need(caller, &n.country)?;
    }
    Ok(store.change_need_status(actor, id, expected, change).await?)
}

/// Every version of a need the caller may see.
pub async fn history(store: &dyn Store, caller: Caller<'_>, id: i64) -> Result<Vec<Version>, Failure> {
    visible(store, caller, id).await?;
    Ok(store.need_history(id).await?)
}

/// The moves of a need's status the caller may make now, in the order a
/// page offers them.
pub fn moves_for(caller: Caller<'_>, need: &Need) -> Vec<NeedStatus> {
    // Partly met and met follow coverage; nobody sets them by hand.
    [
        NeedStatus::Submitted,
        NeedStatus::Validated,
        NeedStatus::Draft,
        NeedStatus::Withdrawn,
    ]
    .into_iter()
    .filter(|to| need.status.can_become(*to) && access::may_set_need_status(caller, &need.country, *to).is_ok())
    .collect()
}

/// The open needs, among those the caller may see, that an offer of
/// `quantity` of `item` could fill, with the amount to give each.
pub async fn offer(
    store: &dyn Store,
    caller: Caller<'_>,
    item: &str,
    quantity: &str,
    mut q: NeedQuery,
) -> Result<Vec<super::analysis::OfferLine>, Failure> {
    q.scope = need_scope(caller)?;
    Ok(super::analysis::match_offer(store, &item.trim().to_ascii_uppercase(), quantity, q).await?)
}
