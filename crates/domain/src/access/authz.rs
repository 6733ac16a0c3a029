//! Typed capabilities. An operation that needs a right takes a
//! `Capability<P>` (or a `Privileged<P>` for dangerous acts); the only way to
//! obtain one is [`authorize`], so code without the right cannot call it.

use crate::access::role::{Permission, Role, ScopeKind};
use crate::casework::case_access::{CaseArea, CaseRefusal, CaseRelation, Mode, SharePurpose};
use crate::casework::case_file::{Sensitivity, readable};
use crate::ids::{CaseId, OrganisationId, UserId};
use crate::territory::{Departement, Territory};
use crate::time::Timestamp;
use std::marker::PhantomData;

/// Who is acting: built by the session layer after password and MFA checks.
/// The fields are private so that nothing but authentication (the store's
/// session loading, and the demo seeding that stands in for it) makes one,
/// and nothing downstream can widen its roles.
#[derive(Debug, Clone)]
pub struct Principal {
    user_id: UserId,
    organisation_id: OrganisationId,
    territory: Territory,
    roles: Vec<Role>,
    /// When the user last proved their password (login or re-authentication).
    authenticated_at: Timestamp,
}

impl Principal {
    /// The principal of an account whose password (and second factor) were
    /// checked at `authenticated_at`, with the roles read from the store.
    pub fn authenticated(
        user_id: UserId,
        organisation_id: OrganisationId,
        territory: Territory,
        roles: Vec<Role>,
        authenticated_at: Timestamp,
    ) -> Self {
        Self {
            user_id,
            organisation_id,
            territory,
            roles,
            authenticated_at,
        }
    }

    pub fn user_id(&self) -> &UserId {
        &self.user_id
    }

    pub fn organisation_id(&self) -> &OrganisationId {
        &self.organisation_id
    }

    pub fn territory(&self) -> Territory {
        self.territory
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// When the user last proved their password (login or re-authentication).
    pub fn authenticated_at(&self) -> Timestamp {
        self.authenticated_at
    }
}

/// The resolved reach of a capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Own(UserId),
    Organisation(OrganisationId),
    Territory(Territory),
    National,
}

impl Scope {
    /// Whether an object owned by `organisation` in `territory` lies in scope.
    pub fn covers(&self, organisation: &OrganisationId, territory: Territory) -> bool {
        match (self, territory) {
            (Self::National, _) => true,
            (Self::Territory(Territory::National), _) => true,
            (Self::Territory(mine), Territory::Departement(d)) => mine.covers(d),
            (Self::Territory(_), Territory::National) => false,
            (Self::Organisation(mine), _) => mine == organisation,
            (Self::Own(_), _) => false,
        }
    }

    /// Whether a referral or case located in `departement` lies in a
    /// territorial scope (the identification authority's reach). Scopes
    /// bound to an organisation or a user reach none by territory.
    pub fn reaches_departement(&self, departement: Option<Departement>) -> bool {
        match self {
            Self::National => true,
            Self::Territory(territory) => territory.reaches(departement),
            Self::Organisation(_) | Self::Own(_) => false,
        }
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A permission as a type, so that capabilities can be told apart at compile time.
pub trait PermissionType: sealed::Sealed {
    const PERMISSION: Permission;
}

macro_rules! permission_type {
    ($name:ident) => {
        #[derive(Debug)]
        pub struct $name;
        impl sealed::Sealed for $name {}
        impl PermissionType for $name {
            const PERMISSION: Permission = Permission::$name;
        }
    };
}

permission_type!(ManageOrganisations);
permission_type!(ManageUsers);
permission_type!(ViewAuditLog);
permission_type!(ManageCatalogues);
permission_type!(SubmitReferrals);
permission_type!(TriageReferrals);
permission_type!(ManageApiTokens);
permission_type!(IdentifyVictims);
permission_type!(ViewStatistics);
permission_type!(ViewCaseFile);
permission_type!(ViewDirectory);
permission_type!(ManageServices);
permission_type!(ImportDirectory);
permission_type!(ViewDataProtection);
permission_type!(RequestDataRights);
permission_type!(ConfirmDataRights);
permission_type!(EmergencyAccess);
permission_type!(ViewPlans);
permission_type!(ManagePlans);
permission_type!(RatePlans);
permission_type!(EvaluatePlans);
permission_type!(ReportOnMeasures);
permission_type!(ViewCommittee);
permission_type!(ManageCommittee);
permission_type!(ManageObservatory);
permission_type!(AnswerSurvey);
permission_type!(RecordTraining);

/// Proof that `actor` holds permission `P` over `scope`.
#[derive(Debug)]
pub struct Capability<P: PermissionType> {
    actor: UserId,
    organisation: OrganisationId,
    roles: Vec<Role>,
    scope: Scope,
    _permission: PhantomData<P>,
}

impl<P: PermissionType> Capability<P> {
    pub fn actor(&self) -> &UserId {
        &self.actor
    }

    pub fn actor_organisation(&self) -> &OrganisationId {
        &self.organisation
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The roles of the principal the capability was granted to.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The note and document levels the holder's roles may read, so that a
    /// store function given the capability needs no separate list of roles.
    pub fn readable_levels(&self) -> Vec<Sensitivity> {
        readable(&self.roles)
    }
}

/// A capability backed by a recent password check, for acts that could do
/// harm if a session were hijacked (creating users, changing rights).
#[derive(Debug)]
pub struct Privileged<P: PermissionType>(Capability<P>);

impl<P: PermissionType> Privileged<P> {
    pub fn capability(&self) -> &Capability<P> {
        &self.0
    }
}

/// Why an operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("no role grants this permission")]
    NotPermitted,
    #[error("this act needs a recent password confirmation")]
    ReauthenticationRequired,
}

/// How long a password confirmation unlocks privileged acts.
pub const REAUTHENTICATION_WINDOW_SECONDS: i64 = 10 * 60;

/// Grants `P` at the widest scope any of the principal's roles gives, or refuses.
pub fn authorize<P: PermissionType>(principal: &Principal) -> Result<Capability<P>, Denied> {
    let widest = principal
        .roles
        .iter()
        .flat_map(|role| role.grants().iter())
        .filter(|(permission, _)| *permission == P::PERMISSION)
        .map(|(_, kind)| *kind)
        .max()
        .ok_or(Denied::NotPermitted)?;
    let scope = match widest {
        ScopeKind::Own => Scope::Own(principal.user_id.clone()),
        ScopeKind::Organisation => Scope::Organisation(principal.organisation_id.clone()),
        ScopeKind::Territory => Scope::Territory(principal.territory),
        ScopeKind::National => Scope::National,
    };
    Ok(Capability {
        actor: principal.user_id.clone(),
        organisation: principal.organisation_id.clone(),
        roles: principal.roles.clone(),
        scope,
        _permission: PhantomData,
    })
}

/// Grants `P` for a privileged act: also requires a password check within
/// [`REAUTHENTICATION_WINDOW_SECONDS`] of `now`.
pub fn authorize_privileged<P: PermissionType>(principal: &Principal, now: Timestamp) -> Result<Privileged<P>, Denied> {
    let capability = authorize::<P>(principal)?;
    let age = now.seconds_since(principal.authenticated_at);
    if (0..=REAUTHENTICATION_WINDOW_SECONDS).contains(&age) {
        Ok(Privileged(capability))
    } else {
        Err(Denied::ReauthenticationRequired)
    }
}

/// What the store read of a case's ties to the actor's organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseTies {
    /// The case's département (the identification authority's territory).
    pub departement: Option<Departement>,
    /// The case's lead organisation is the actor's.
    pub lead: bool,
    /// The purposes of the actor's organisation's active shares of the case.
    pub share_purposes: Vec<SharePurpose>,
}

/// The case-access capability: what the actor may read and write in one
/// case, by their organisation's relation to it and their roles
/// ([`crate::case_access`] is the policy). Store functions of a case take it
/// and check the area they touch, so the check cannot be forgotten.
#[derive(Debug)]
pub struct CaseAccess {
    case: CaseId,
    actor: UserId,
    organisation: OrganisationId,
    roles: Vec<Role>,
    relation: CaseRelation,
}

impl CaseAccess {
    /// The actor's strongest tie to the case: the authority whose territory
    /// holds it, the lead organisation, or the purposes of active shares.
    /// Built by the store from `ties`, read in the request's transaction.
    pub fn grant(can: &Capability<ViewCaseFile>, case: CaseId, ties: CaseTies) -> Self {
        let relation = if can.scope().reaches_departement(ties.departement) {
            CaseRelation::Authority
        } else if ties.lead {
            CaseRelation::Lead
        } else {
            CaseRelation::shared(ties.share_purposes)
        };
        Self {
            case,
            actor: can.actor().clone(),
            organisation: can.actor_organisation().clone(),
            roles: can.roles().to_vec(),
            relation,
        }
    }

    pub fn case(&self) -> &CaseId {
        &self.case
    }

    pub fn actor(&self) -> &UserId {
        &self.actor
    }

    pub fn actor_organisation(&self) -> &OrganisationId {
        &self.organisation
    }

    pub fn relation(&self) -> &CaseRelation {
        &self.relation
    }

    /// Refuses `area` in `mode` unless the policy opens it to this reader.
    pub fn check(&self, area: CaseArea, mode: Mode) -> Result<(), CaseRefusal> {
        self.relation.decide(&self.roles, area, mode)
    }

    pub fn may(&self, area: CaseArea, mode: Mode) -> bool {
        self.check(area, mode).is_ok()
    }

    /// The note and document levels the reader may read (and write).
    pub fn levels(&self) -> Vec<Sensitivity> {
        self.relation.levels(&self.roles)
    }
}

/// Whether the principal holds `permission` at all (for navigation menus).
pub fn holds(principal: &Principal, permission: Permission) -> bool {
    principal
        .roles
        .iter()
        .any(|role| role.grants().iter().any(|(p, _)| *p == permission))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn territorial_reach_of_referrals_and_cases() {
        let nord = Departement::parse("59");
        let paris = Departement::parse("75");
        let officer = Scope::Territory(Territory::Departement(nord.unwrap()));
        assert!(officer.reaches_departement(nord));
        assert!(!officer.reaches_departement(paris));
        assert!(
            !officer.reaches_departement(None),
            "no département: national reach only"
        );
        assert!(Scope::Territory(Territory::National).reaches_departement(None));
        assert!(Scope::National.reaches_departement(paris));
        assert!(!Scope::Organisation(OrganisationId::from_bytes([3; 16])).reaches_departement(nord));
    }

    fn principal(roles: Vec<Role>, authenticated_at: i64) -> Principal {
        Principal::authenticated(
            UserId::from_bytes([1; 16]),
            OrganisationId::from_bytes([2; 16]),
            Departement::parse("93").map_or(Territory::National, Territory::Departement),
            roles,
            Timestamp(authenticated_at),
        )
    }

    #[test]
    fn deny_by_default() {
        let p = principal(vec![Role::FirstResponder, Role::Analyst], 0);
        assert_eq!(authorize::<ManageUsers>(&p).err(), Some(Denied::NotPermitted));
        assert_eq!(authorize::<ViewAuditLog>(&p).err(), Some(Denied::NotPermitted));
    }

    #[test]
    fn widest_scope_wins() {
        let org_admin = principal(vec![Role::OrganisationAdministrator], 0);
        let cap = authorize::<ManageUsers>(&org_admin).map(|c| c.scope().clone());
        assert_eq!(cap, Ok(Scope::Organisation(org_admin.organisation_id.clone())));
        let both = principal(vec![Role::OrganisationAdministrator, Role::Administrator], 0);
        assert_eq!(
            authorize::<ManageUsers>(&both).map(|c| c.scope().clone()),
            Ok(Scope::National)
        );
    }

    #[test]
    fn privileged_acts_need_a_recent_password() {
        let admin = principal(vec![Role::Administrator], 1_000);
        assert!(authorize_privileged::<ManageUsers>(&admin, Timestamp(1_000 + 599)).is_ok());
        assert_eq!(
            authorize_privileged::<ManageUsers>(&admin, Timestamp(1_000 + 601)).err(),
            Some(Denied::ReauthenticationRequired)
        );
    }

    #[test]
    fn the_strongest_tie_to_a_case_wins() {
        let officer = principal(vec![Role::IdentificationOfficer], 0);
        let worker = principal(vec![Role::SupportWorker], 0);
        let case = CaseId::from_bytes([9; 16]);
        let ties = |departement: &str, lead: bool, purposes: Vec<SharePurpose>| CaseTies {
            departement: Departement::parse(departement),
            lead,
            share_purposes: purposes,
        };
        let relation = |p: &Principal, t: CaseTies| {
            let can = authorize::<ViewCaseFile>(p).unwrap();
            CaseAccess::grant(&can, case.clone(), t).relation().clone()
        };
        assert_eq!(relation(&officer, ties("93", false, vec![])), CaseRelation::Authority);
        assert_eq!(
            relation(&officer, ties("13", false, vec![SharePurpose::Health])),
            CaseRelation::Shared(vec![SharePurpose::Health]),
            "an officer of another territory reaches only through a share"
        );
        assert_eq!(
            relation(&worker, ties("93", true, vec![SharePurpose::Support])),
            CaseRelation::Lead
        );
        assert_eq!(relation(&worker, ties("93", false, vec![])), CaseRelation::None);
        let access = CaseAccess::grant(
            &authorize::<ViewCaseFile>(&worker).unwrap(),
            case.clone(),
            ties("93", false, vec![SharePurpose::Investigation]),
        );
        assert_eq!(access.check(CaseArea::Placement, Mode::Read), Err(CaseRefusal::Hidden));
        assert_eq!(
            access.levels(),
            vec![Sensitivity::General, Sensitivity::Legal, Sensitivity::Safety]
        );
    }

    #[test]
    fn organisation_scope_covers_only_that_organisation() {
        let mine = OrganisationId::from_bytes([2; 16]);
        let other = OrganisationId::from_bytes([3; 16]);
        let scope = Scope::Organisation(mine.clone());
        assert!(scope.covers(&mine, Territory::National));
        assert!(!scope.covers(&other, Territory::National));
        let paris = Departement::parse("75").map_or(Territory::National, Territory::Departement);
        let lyon = Departement::parse("69").map_or(Territory::National, Territory::Departement);
        assert!(Scope::Territory(paris).covers(&other, paris));
        assert!(!Scope::Territory(paris).covers(&other, lyon));
    }
}
