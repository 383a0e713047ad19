//! Who may do what. Every route asks here; ARCHITECTURE.md has the table.

use super::auth::Principal;
use super::problem::ApiError;
use needsdb_domain::{NeedStatus, Stage};
use needsdb_store::{NeedScope, Role, User};

/// Needs other states may see once the secretariat has validated them.
pub const SHARED: [NeedStatus; 3] = [NeedStatus::Validated, NeedStatus::PartlyMet, NeedStatus::Met];

/// Which needs the caller may read: all (None), or a scope. Anonymous
/// callers see aggregates only, so they get 401 here.
pub fn need_scope(p: &Principal) -> Result<Option<NeedScope>, ApiError> {
    Ok(scope_of(p.user()?))
}

/// Which needs a user may read: all (None), or a scope.
pub fn scope_of(u: &User) -> Option<NeedScope> {
    match u.role {
        Role::Admin | Role::Secretariat | Role::Viewer => None,
        Role::FocalPoint => Some(NeedScope {
            own_country: u.country.clone(),
            shared: SHARED.to_vec(),
        }),
        Role::Partner => Some(NeedScope {
            own_country: None,
            shared: SHARED.to_vec(),
        }),
    }
}

pub fn can_see_need(scope: &Option<NeedScope>, country: &str, status: NeedStatus) -> bool {
    match scope {
        None => true,
        Some(s) => s.own_country.as_deref() == Some(country) || s.shared.contains(&status),
    }
}

fn own_country(u: &User, country: &str) -> bool {
    u.role == Role::FocalPoint && u.country.as_deref() == Some(country)
}

fn own_party(u: &User, party: &str) -> bool {
    u.role == Role::Partner && u.org.as_deref() == Some(party)
}

/// Creating or editing a need of `country`.
pub fn may_write_need(p: &Principal, country: &str) -> Result<(), ApiError> {
    let u = p.user()?;
    if u.role == Role::Admin || own_country(u, country) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "only {country}'s focal points and administrators may record or edit its needs"
        )))
    }
}

/// Moving a need of `country` to `to`.
pub fn may_set_need_status(p: &Principal, country: &str, to: NeedStatus) -> Result<(), ApiError> {
    let u = p.user()?;
    let ok = match u.role {
        Role::Admin => true,
        Role::Secretariat => matches!(to, NeedStatus::Validated | NeedStatus::Draft | NeedStatus::Withdrawn),
        Role::FocalPoint => own_country(u, country) && matches!(to, NeedStatus::Submitted | NeedStatus::Withdrawn),
        Role::Partner | Role::Viewer => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "a {} may not set this need to {to}",
            u.role.as_str()
        )))
    }
}

/// Recording a contribution: by its donor, or, as the other side's report
/// of the same flow, by its recipient (or channel).
pub fn may_create_contribution(
    p: &Principal,
    donor: &str,
    recipient: &str,
    channel: Option<&str>,
) -> Result<(), ApiError> {
    let u = p.user()?;
    let receiving = own_country(u, recipient) || own_party(u, recipient) || channel.is_some_and(|c| own_party(u, c));
    if u.role == Role::Admin || own_party(u, donor) || receiving {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "a contribution is recorded by its donor ({donor}), its recipient ({recipient}) or its channel, or by an administrator"
        )))
    }
}

/// Moving a contribution to `to`. Delivery is confirmed by the recipient;
/// every other stage by the donor.
pub fn may_advance(p: &Principal, donor: &str, recipient: &str, to: Stage) -> Result<(), ApiError> {
    let u = p.user()?;
    let ok = u.role == Role::Admin
        || if to == Stage::Delivered {
            own_country(u, recipient) || own_party(u, recipient)
        } else {
            own_party(u, donor)
        };
    if ok {
        Ok(())
    } else if to == Stage::Delivered {
        Err(ApiError::forbidden(format!(
            "delivery is confirmed by the recipient, {recipient}"
        )))
    } else {
        Err(ApiError::forbidden(format!(
            "only {donor}'s partners and administrators may move its contributions"
        )))
    }
}

pub const CATALOGUE_MANAGERS: [Role; 2] = [Role::Admin, Role::Secretariat];
pub const ADMIN: [Role; 1] = [Role::Admin];
pub const SIGNED_IN: [Role; 5] = Role::ALL;
