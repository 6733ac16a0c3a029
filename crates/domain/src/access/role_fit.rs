//! Which roles usually fit which kind of organisation (issue 16, part 9).
//!
//! Giving a role outside this table is not forbidden — a school may host a
//! seconded social worker — but it is unusual enough that the manager
//! confirms it and the confirmation is audited: an identification officer's
//! role in a school would open case files to the wrong people.

use crate::access::organisation::OrganisationType;
use crate::access::role::Role;

/// Whether `role` is the kind of role people in an organisation of `kind`
/// usually hold.
pub fn is_usual(role: Role, kind: OrganisationType) -> bool {
    use OrganisationType as O;
    match role {
        // Every organisation manages its accounts, may have a data-protection
        // officer and may hold a seat on the coordination committee.
        Role::OrganisationAdministrator | Role::Dpo | Role::CommitteeMember => true,
        Role::Administrator => matches!(kind, O::NationalCoordination | O::IdentificationAuthority),
        Role::FirstResponder => matches!(
            kind,
            O::Police
                | O::Gendarmerie
                | O::LabourInspectorate
                | O::Justice
                | O::Health
                | O::Education
                | O::SocialServices
                | O::ChildProtection
                | O::Association
                | O::Prefecture
                | O::OfiiOfpra
        ),
        Role::IdentificationOfficer => kind == O::IdentificationAuthority,
        Role::SupportWorker => matches!(
            kind,
            O::Association | O::SocialServices | O::ChildProtection | O::Health | O::OfiiOfpra
        ),
        Role::Coordinator => kind == O::NationalCoordination,
        Role::Analyst => matches!(kind, O::Observatory | O::NationalCoordination | O::Ministry),
        Role::Rapporteur => kind == O::IndependentRapporteur,
        // The bodies that pilot measures of the national action plan.
        Role::FocalPoint => matches!(
            kind,
            O::Ministry
                | O::NationalCoordination
                | O::Police
                | O::Gendarmerie
                | O::LabourInspectorate
                | O::Justice
                | O::Prefecture
                | O::OfiiOfpra
        ),
    }
}

/// The roles among `roles` that do not usually fit `kind`, in the given order.
pub fn unusual(roles: &[Role], kind: OrganisationType) -> Vec<Role> {
    roles.iter().copied().filter(|r| !is_usual(*r, kind)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identification_officer_belongs_to_the_authority_not_a_school() {
        assert!(is_usual(
            Role::IdentificationOfficer,
            OrganisationType::IdentificationAuthority
        ));
        assert!(!is_usual(Role::IdentificationOfficer, OrganisationType::Education));
        assert!(is_usual(Role::FirstResponder, OrganisationType::Education));
    }

    #[test]
    fn every_role_fits_some_organisation() {
        for role in Role::ALL {
            assert!(OrganisationType::ALL.into_iter().any(|k| is_usual(role, k)), "{role:?}");
        }
    }

    #[test]
    fn unusual_keeps_only_the_roles_that_do_not_fit() {
        let roles = [Role::FirstResponder, Role::SupportWorker, Role::Rapporteur];
        assert_eq!(
            unusual(&roles, OrganisationType::Gendarmerie),
            vec![Role::SupportWorker, Role::Rapporteur]
        );
    }
}
