//! Contributions as a caller records and moves them on: the rules of
//! `access` applied once, for the API, the pages and the CLI.

use super::Failure;
use super::access::{self, Caller};
use needsdb_domain::{ContributionEdit, NewContribution, NewDelivery, Stage, StageChange};
use needsdb_store::{Actor, Contribution, Role, Store};

fn code(v: &Option<String>) -> Option<String> {
    v.as_deref().map(|s| s.trim().to_ascii_uppercase())
}

/// Records a contribution: as its donor, or as its recipient or channel
/// (the other side's report of the same flow).
pub async fn create(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    input: &NewContribution,
) -> Result<Contribution, Failure> {
    access::require(caller, &[Role::Admin, Role::Partner, Role::FocalPoint])?;
    let (donor, recipient) = (
        code(&input.donor).unwrap_or_default(),
        code(&input.recipient).unwrap_or_default(),
    );
    // The stage it would start at; an unknown stage is the store's to name.
    let stage = input
        .stage
        .as_deref()
        .map_or(Some(Stage::Pledged), Stage::parse)
        .unwrap_or(Stage::Pledged);
    access::may_create_contribution(caller, &donor, &recipient, code(&input.channel).as_deref(), stage)?;
    Ok(store.create_contribution(actor, input).await?)
}

/// Corrects a recorded contribution, as its donor's partner or an
/// administrator: the quantity or amount, the date, the description.
pub async fn correct(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    edit: &ContributionEdit,
) -> Result<Contribution, Failure> {
    access::require(caller, &[Role::Admin, Role::Partner, Role::FocalPoint])?;
    let c = store.contribution(id).await?;
    access::may_edit_contribution(caller, &c.donor)?;
    Ok(store.update_contribution(actor, id, expected, edit).await?)
}

/// The caller may correct this contribution.
pub fn may_correct(caller: Caller<'_>, c: &Contribution) -> bool {
    c.merged_into.is_none() && access::may_edit_contribution(caller, &c.donor).is_ok()
}

/// One contribution, for anyone signed in.
pub async fn get(store: &dyn Store, caller: Caller<'_>, id: i64) -> Result<Contribution, Failure> {
    access::require(caller, &access::SIGNED_IN)?;
    Ok(store.contribution(id).await?)
}

/// Moves a contribution to a later stage.
pub async fn advance(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    change: &StageChange,
) -> Result<Contribution, Failure> {
    access::require(caller, &[Role::Admin, Role::Partner, Role::FocalPoint])?;
    let c = store.contribution(id).await?;
    let to = change.to.as_deref().and_then(Stage::parse).unwrap_or(Stage::Pledged);
    access::may_advance(caller, &c.donor, &c.recipient, to)?;
    Ok(store.advance_contribution(actor, id, expected, change).await?)
}

/// Confirms what arrived, as the recipient: all of it or a part.
pub async fn deliver(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    delivery: &NewDelivery,
) -> Result<Contribution, Failure> {
    access::require(caller, &[Role::Admin, Role::Partner, Role::FocalPoint])?;
    let c = store.contribution(id).await?;
    access::may_advance(caller, &c.donor, &c.recipient, Stage::Delivered)?;
    Ok(store.confirm_delivery(actor, id, expected, delivery).await?)
}

/// The stages the caller may move this contribution to now.
pub fn moves_for(caller: Caller<'_>, c: &Contribution) -> Vec<Stage> {
    Stage::ALL
        .iter()
        .copied()
        .filter(|to| {
            *to != Stage::Delivered
                && c.merged_into.is_none()
                && c.stage.can_become(*to, c.kind)
                && access::may_advance(caller, &c.donor, &c.recipient, *to).is_ok()
        })
        .collect()
}

/// Whether the caller may confirm a delivery of this contribution now.
pub fn may_confirm_delivery(caller: Caller<'_>, c: &Contribution) -> bool {
    c.merged_into.is_none()
        && matches!(c.stage, Stage::Committed | Stage::Shipped | Stage::Disbursed)
        && access::may_advance(caller, &c.donor, &c.recipient, Stage::Delivered).is_ok()
}

/// Who may see suspected duplicates, and who may merge them.
const RECONCILERS: [Role; 3] = [Role::Admin, Role::Secretariat, Role::Viewer];
const MERGERS: [Role; 2] = [Role::Admin, Role::Secretariat];

/// Pairs of contributions that look like one flow reported twice.
pub async fn reconciliation(
    store: &dyn Store,
    caller: Caller<'_>,
    tolerance: f64,
    days: i64,
) -> Result<Vec<super::analysis::Pair>, Failure> {
    access::require(caller, &RECONCILERS)?;
    Ok(super::analysis::reconcile(store, tolerance, days).await?)
}

pub fn may_merge(caller: Caller<'_>) -> bool {
    access::require(caller, &MERGERS).is_ok()
}

/// Merges `duplicate` into `keep`; both histories stay.
pub async fn merge(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    keep: i64,
    duplicate: i64,
) -> Result<Contribution, Failure> {
    access::require(caller, &MERGERS)?;
    Ok(store.merge_contributions(actor, keep, duplicate).await?)
}
