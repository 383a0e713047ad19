//! Evidence for needs and for contributions' deliveries: who may add it and
//! who may see it, once, for the API and the pages.

use super::Failure;
use super::access::{self, Caller};
use needsdb_domain::Stage;
use needsdb_domain::evidence::ValidEvidence;
use needsdb_store::{Actor, Evidence, Role, Store};

/// Those who may edit a need add evidence to it, and so does the
/// secretariat reviewing it.
pub async fn may_add_to_need(store: &dyn Store, caller: Caller<'_>, id: i64) -> Result<(), Failure> {
    let n = super::needs::visible(store, caller, id).await?;
    let u = access::user(caller)?;
    if u.role == Role::Secretariat {
        return Ok(());
    }
    access::may_write_need(caller, &n.country)?;
    Ok(())
}

/// The donor's partners, the recipient (for a delivery note) and administrators.
pub async fn may_add_to_contribution(store: &dyn Store, caller: Caller<'_>, id: i64) -> Result<(), Failure> {
    let c = store.contribution(id).await?;
    if access::may_edit_contribution(caller, &c.donor).is_ok() {
        return Ok(());
    }
    access::may_advance(caller, &c.donor, &c.recipient, Stage::Delivered)?;
    Ok(())
}

/// Evidence of a need the caller may see, or of a contribution (anyone signed in).
pub async fn list(store: &dyn Store, caller: Caller<'_>, entity: &str, id: i64) -> Result<Vec<Evidence>, Failure> {
    if entity == "need" {
        super::needs::visible(store, caller, id).await?;
    } else {
        access::require(caller, &access::SIGNED_IN)?;
        store.contribution(id).await?;
    }
    Ok(store.evidence(entity, id).await?)
}

/// Adds checked evidence, if the caller may.
pub async fn add(
    store: &dyn Store,
    caller: Caller<'_>,
    actor: &Actor,
    entity: &str,
    id: i64,
    evidence: &ValidEvidence,
) -> Result<Evidence, Failure> {
    if entity == "need" {
        may_add_to_need(store, caller, id).await?;
    } else {
        may_add_to_contribution(store, caller, id).await?;
    }
    Ok(store.add_evidence(actor, entity, id, evidence).await?)
}
