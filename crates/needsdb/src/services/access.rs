//! Who may do what. The API, the web pages and the command line acting as a
//! user (`--as`) all ask here; ARCHITECTURE.md has the table and the threat
//! model. A rule answers with the caller's user, or why not.

use needsdb_domain::{NeedStatus, Stage};
use needsdb_store::{NeedScope, Proposal, Role, User};

/// Why a caller may not do something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// Nobody is signed in (401).
    #[error("sign in, or send an API token as 'Authorization: Bearer ...'")]
    SignIn,
    /// Signed in, but not allowed (403).
    #[error("{0}")]
    Forbidden(String),
}

/// The caller: a user, or nobody.
pub type Caller<'a> = Option<&'a User>;

/// Needs other states may see once the secretariat has validated them.
pub const SHARED: [NeedStatus; 3] = NeedStatus::SHARED_STATUSES;

pub const CATALOGUE_MANAGERS: [Role; 2] = [Role::Admin, Role::Secretariat];
pub const ADMIN: [Role; 1] = [Role::Admin];
pub const SIGNED_IN: [Role; 5] = Role::ALL;

/// The signed-in user, or 401.
pub fn user(c: Caller<'_>) -> Result<&User, Denied> {
    c.ok_or(Denied::SignIn)
}

/// 403 unless the caller has one of these roles (401 when not signed in).
pub fn require<'a>(c: Caller<'a>, roles: &[Role]) -> Result<&'a User, Denied> {
    let u = user(c)?;
    if roles.contains(&u.role) {
        Ok(u)
    } else {
        Err(Denied::Forbidden(format!("a {} may not do this", u.role.as_str())))
    }
}

/// Which needs the caller may read: all (None), or a scope. Anonymous
/// callers see aggregates only, so they get 401 here.
pub fn need_scope(c: Caller<'_>) -> Result<Option<NeedScope>, Denied> {
    Ok(scope_of(user(c)?))
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

/// Which needs aggregates may count for the caller: the public sees shared
/// statuses only, whatever filter it sends; a signed-in user its own scope.
pub fn aggregate_scope(c: Caller<'_>) -> Option<NeedScope> {
    match c {
        None => Some(NeedScope {
            own_country: None,
            shared: SHARED.to_vec(),
        }),
        Some(u) => scope_of(u),
    }
}

pub fn can_see_need(scope: &Option<NeedScope>, country: &str, status: NeedStatus) -> bool {
    match scope {
        None => true,
        Some(s) => s.own_country.as_deref() == Some(country) || s.shared.contains(&status),
    }
}

pub(crate) fn own_country(u: &User, country: &str) -> bool {
    u.role == Role::FocalPoint && u.country.as_deref() == Some(country)
}

pub(crate) fn own_party(u: &User, party: &str) -> bool {
    u.role == Role::Partner && u.org.as_deref() == Some(party)
}

/// Creating or editing a need of `country`.
pub fn may_write_need<'a>(c: Caller<'a>, country: &str) -> Result<&'a User, Denied> {
    let u = user(c)?;
    if u.role == Role::Admin || own_country(u, country) {
        Ok(u)
    } else {
        Err(Denied::Forbidden(format!(
            "only {country}'s focal points and administrators may record or edit its needs"
        )))
    }
}

/// Moving a need of `country` to `to`.
pub fn may_set_need_status<'a>(c: Caller<'a>, country: &str, to: NeedStatus) -> Result<&'a User, Denied> {
    let u = user(c)?;
    let ok = match u.role {
        Role::Admin => true,
        Role::Secretariat => matches!(to, NeedStatus::Validated | NeedStatus::Draft | NeedStatus::Withdrawn),
        Role::FocalPoint => own_country(u, country) && matches!(to, NeedStatus::Submitted | NeedStatus::Withdrawn),
        Role::Partner | Role::Viewer => false,
    };
    if ok {
        Ok(u)
    } else {
        Err(Denied::Forbidden(format!(
            "a {} may not set this need to {to}",
            u.role.as_str()
        )))
    }
}

/// Recording a contribution at `stage`: by its donor, or, as the other
/// side's report of the same flow, by its recipient (or channel). A
/// contribution may start only at a stage the caller could have moved it to
/// (or at an announcement, which anyone party to the flow may record with
/// its public source): a partner cannot record goods already delivered, and
/// a ministry cannot record a donor's commitment to itself.
pub fn may_create_contribution<'a>(
    c: Caller<'a>,
    donor: &str,
    recipient: &str,
    channel: Option<&str>,
    stage: Stage,
) -> Result<&'a User, Denied> {
    let u = user(c)?;
    if u.role == Role::Admin {
        return Ok(u);
    }
    let receiving = own_country(u, recipient) || own_party(u, recipient) || channel.is_some_and(|c| own_party(u, c));
    if !own_party(u, donor) && !receiving {
        return Err(Denied::Forbidden(format!(
            "a contribution is recorded by its donor ({donor}), its recipient ({recipient}) or its channel, or by an administrator"
        )));
    }
    if stage == Stage::Announced || may_advance(c, donor, recipient, stage).is_ok() {
        return Ok(u);
    }
    let allowed: Vec<&str> = Stage::ALL
        .iter()
        .filter(|s| **s != Stage::Cancelled)
        .filter(|s| **s == Stage::Announced || may_advance(c, donor, recipient, **s).is_ok())
        .map(|s| s.as_str())
        .collect();
    Err(Denied::Forbidden(format!(
        "you may not record a contribution that is already {stage}: only {} may move one to {stage}. You may record it as {}",
        if stage == Stage::Delivered {
            format!("the recipient, {recipient},")
        } else {
            format!("the donor, {donor},")
        },
        allowed.join(" or ")
    )))
}

/// Moving a contribution to `to`. Delivery is confirmed by the recipient;
/// every other stage by the donor.
pub fn may_advance<'a>(c: Caller<'a>, donor: &str, recipient: &str, to: Stage) -> Result<&'a User, Denied> {
    let u = user(c)?;
    let ok = u.role == Role::Admin
        || if to == Stage::Delivered {
            own_country(u, recipient) || own_party(u, recipient)
        } else {
            own_party(u, donor)
        };
    if ok {
        Ok(u)
    } else if to == Stage::Delivered {
        Err(Denied::Forbidden(format!(
            "delivery is confirmed by the recipient, {recipient}"
        )))
    } else {
        Err(Denied::Forbidden(format!(
            "only {donor}'s partners and administrators may move its contributions"
        )))
    }
}

/// Correcting a contribution's record: its donor's partners and
/// administrators, who answer for what was pledged.
pub fn may_edit_contribution<'a>(c: Caller<'a>, donor: &str) -> Result<&'a User, Denied> {
    let u = user(c)?;
    if u.role == Role::Admin || own_party(u, donor) {
        Ok(u)
    } else {
        Err(Denied::Forbidden(format!(
            "only {donor}'s partners and administrators may correct its contributions"
        )))
    }
}

/// Reading allocation proposals: those who run them, viewers, and the
/// partners of the party whose supply a proposal shares (their own only).
pub fn may_read_proposal<'a>(c: Caller<'a>, p: &Proposal) -> Result<&'a User, Denied> {
    let u = user(c)?;
    match u.role {
        Role::Admin | Role::Secretariat | Role::Viewer => Ok(u),
        Role::Partner if u.org.as_deref() == Some(p.supplier.as_str()) => Ok(u),
        _ => Err(Denied::Forbidden(format!(
            "proposal {} shares {}'s supply: its partners, the secretariat and administrators may see it",
            p.id, p.supplier
        ))),
    }
}

/// Committing or withdrawing a proposal: the secretariat and administrators,
/// or the supplier's own partners, since the commitments are theirs.
pub fn may_decide_proposal<'a>(c: Caller<'a>, p: &Proposal) -> Result<&'a User, Denied> {
    let u = user(c)?;
    match u.role {
        Role::Admin | Role::Secretariat => Ok(u),
        Role::Partner if u.org.as_deref() == Some(p.supplier.as_str()) => Ok(u),
        _ => Err(Denied::Forbidden(format!(
            "proposal {} commits {}'s supply: its partners, the secretariat or an administrator decide it",
            p.id, p.supplier
        ))),
    }
}

/// The rules above, asked for every row of an import a user sends (over
/// HTTP, or on the command line with `--as`).
pub struct ImportGuard(pub User);

impl needsdb_exchange::RowGuard for ImportGuard {
    fn need(&self, country: &str, status: NeedStatus) -> Result<(), String> {
        may_write_need(Some(&self.0), country).map_err(|e| e.to_string())?;
        if matches!(status, NeedStatus::Validated) {
            may_set_need_status(Some(&self.0), country, status).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn contribution(&self, donor: &str, recipient: &str, channel: Option<&str>, stage: Stage) -> Result<(), String> {
        may_create_contribution(Some(&self.0), donor, recipient, channel, stage)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Whether `u` may see every record (not just its own share).
pub fn sees_everything(u: &User) -> bool {
    matches!(u.role, Role::Admin | Role::Secretariat | Role::Viewer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(role: Role, country: Option<&str>, org: Option<&str>) -> User {
        User {
            id: 1,
            email: "x@example.org".into(),
            role,
            country: country.map(Into::into),
            org: org.map(Into::into),
            must_change_password: false,
            created_at: chrono::Utc::now(),
            disabled: false,
        }
    }

    #[test]
    fn a_contribution_starts_only_where_its_recorder_could_have_moved_it() {
        let partner = u(Role::Partner, None, Some("IND"));
        let ministry = u(Role::FocalPoint, Some("KEN"), None);
        let ok = |who: &User, stage| may_create_contribution(Some(who), "IND", "KEN", None, stage).is_ok();
        for s in [Stage::Announced, Stage::Pledged, Stage::Committed, Stage::Shipped] {
            assert!(ok(&partner, s), "{s}");
        }
        assert!(
            !ok(&partner, Stage::Delivered),
            "the donor cannot declare its goods delivered"
        );
        assert!(ok(&ministry, Stage::Delivered));
        assert!(ok(&ministry, Stage::Announced));
        for s in [Stage::Pledged, Stage::Committed, Stage::Shipped] {
            assert!(!ok(&ministry, s), "a ministry cannot commit a donor's goods: {s}");
        }
        let admin = u(Role::Admin, None, None);
        assert!(ok(&admin, Stage::Delivered));
        assert_eq!(
            may_create_contribution(None, "IND", "KEN", None, Stage::Pledged).err(),
            Some(Denied::SignIn)
        );
    }
}
