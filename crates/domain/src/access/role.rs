//! Roles, the permissions they grant and at what scope. This table is the
//! written access policy of Relais: deny unless a row here says otherwise.

use serde::{Deserialize, Serialize};
use strum::EnumCount;

/// What a user may be asked to do. A user holds one or more roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, EnumCount)]
pub enum Role {
    /// Runs the platform: organisations, users, audit. Sees no victim data.
    Administrator,
    /// Manages the accounts of their own organisation.
    OrganisationAdministrator,
    /// A professional who meets a possible victim and refers them.
    FirstResponder,
    /// Works for the competent authority that identifies victims.
    IdentificationOfficer,
    /// Supports identified victims: accommodation, rights, care.
    SupportWorker,
    /// Interministerial coordination of the national action plan.
    Coordinator,
    /// Observatory: aggregate statistics only.
    Analyst,
    /// Independent national rapporteur: evaluation, aggregate data and audit.
    Rapporteur,
    /// A ministry's or agency's focal point (*correspondant*) for the national
    /// action plan: reports on the measures its body pilots.
    FocalPoint,
    /// A member of the plan's coordination committee (ministries,
    /// associations, trade unions, victims' representatives, independent
    /// authorities): reads the plans and the committee's meetings.
    CommitteeMember,
    /// Data-protection officer (*délégué à la protection des données*):
    /// the audit, emergency accesses, retention and the register; confirms
    /// erasure and subject-access requests.
    Dpo,
}

/// A permission: the right to perform one kind of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    ManageOrganisations,
    ManageUsers,
    ViewAuditLog,
    /// Import new versions of the identification indicator catalogues.
    ManageCatalogues,
    /// Write referrals and follow the ones one wrote.
    SubmitReferrals,
    /// Work the identification authority's triage queue.
    TriageReferrals,
    /// Issue and revoke organisations' API tokens.
    ManageApiTokens,
    /// Take the identification decisions on cases.
    IdentifyVictims,
    /// See aggregate figures (timeliness…), never a person.
    ViewStatistics,
    /// Read and add to the file of a case one's organisation owns or was shared.
    ViewCaseFile,
    /// Read the service directory and the prefecture contacts (not victim data).
    ViewDirectory,
    /// Report the places of one's own organisation's services.
    ManageServices,
    /// Import the directory's services and prefecture contacts from files.
    ImportDirectory,
    /// Read the data-protection pages: emergency accesses to review, the
    /// retention report, the records of processing.
    ViewDataProtection,
    /// Ask for a person's data to be erased or exported, and place or lift
    /// a legal hold on a case (docs/adr/0020-data-protection-lifecycle.md).
    RequestDataRights,
    /// Confirm or refuse someone else's erasure or export request (four eyes).
    ConfirmDataRights,
    /// Open a case outside one's reach in an emergency, with a reason
    /// that alerts the case's lead and the data-protection officer.
    EmergencyAccess,
    /// Read the national action plans, their measures and history.
    ViewPlans,
    /// Import, edit and publish the national action plans.
    ManagePlans,
    /// Rate the measures as the independent evaluator.
    RatePlans,
    /// Read and download a plan's evaluation report: the government's status
    /// beside the rapporteur's rating, and where they diverge.
    EvaluatePlans,
    /// Read the coordination committee: members, meetings, minutes, action items.
    ViewCommittee,
    /// Keep the committee's membership and meetings, and send invitations.
    ManageCommittee,
    /// Report status, indicator values and spending for the measures one's
    /// body pilots, in a reporting round.
    ReportOnMeasures,
    /// Keep the observatory's sources, import their tables, build releases.
    ManageObservatory,
    /// Fill in one's association's questionnaire of the annual survey.
    AnswerSurvey,
    /// Record the training sessions given to professionals (counts by
    /// profession, never a name) and read them back.
    RecordTraining,
}

/// How far a granted permission reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, EnumCount)]
pub enum ScopeKind {
    Own,
    Organisation,
    Territory,
    National,
}

impl ScopeKind {
    pub const ALL: [Self; Self::COUNT] = [Self::Own, Self::Organisation, Self::Territory, Self::National];

    /// Its code in translation keys (`privacy-reach-<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Own => "own",
            Self::Organisation => "organisation",
            Self::Territory => "territory",
            Self::National => "national",
        }
    }
}

impl Role {
    pub const ALL: [Role; Role::COUNT] = [
        Self::Administrator,
        Self::OrganisationAdministrator,
        Self::FirstResponder,
        Self::IdentificationOfficer,
        Self::SupportWorker,
        Self::Coordinator,
        Self::Analyst,
        Self::Rapporteur,
        Self::FocalPoint,
        Self::CommitteeMember,
        Self::Dpo,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::OrganisationAdministrator => "organisation-administrator",
            Self::FirstResponder => "first-responder",
            Self::IdentificationOfficer => "identification-officer",
            Self::SupportWorker => "support-worker",
            Self::Coordinator => "coordinator",
            Self::Analyst => "analyst",
            Self::Rapporteur => "rapporteur",
            Self::FocalPoint => "focal-point",
            Self::CommitteeMember => "committee-member",
            Self::Dpo => "dpo",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }

    /// Whether the role can see personal data (of victims or of users). Such
    /// roles must use multi-factor authentication.
    pub fn sees_personal_data(self) -> bool {
        !matches!(
            self,
            Self::Coordinator | Self::Analyst | Self::FocalPoint | Self::CommitteeMember
        )
    }

    /// The permissions this role grants, each with its scope.
    pub fn grants(self) -> &'static [(Permission, ScopeKind)] {
        use Permission::*;
        use ScopeKind::*;
        match self {
            Self::Administrator => &[
                (ManageOrganisations, National),
                (ManageUsers, National),
                (ViewAuditLog, National),
                (ManageCatalogues, National),
                (ManageApiTokens, National),
                (ImportDirectory, National),
            ],
            Self::OrganisationAdministrator => &[
                (ManageUsers, Organisation),
                (ViewDirectory, National),
                (ManageServices, Organisation),
                (AnswerSurvey, Organisation),
            ],
            Self::Rapporteur => &[
                (ViewAuditLog, National),
                (ViewStatistics, National),
                (ViewPlans, National),
                (RatePlans, National),
                (EvaluatePlans, National),
                (ViewCommittee, National),
            ],
            Self::FirstResponder => &[
                (SubmitReferrals, Own),
                (ViewCaseFile, Organisation),
                (ViewDirectory, National),
            ],
            Self::SupportWorker => &[
                (SubmitReferrals, Own),
                (ViewCaseFile, Organisation),
                (ViewDirectory, National),
                (ManageServices, Organisation),
                (AnswerSurvey, Organisation),
            ],
            Self::IdentificationOfficer => &[
                (TriageReferrals, Territory),
                (IdentifyVictims, Territory),
                (ViewStatistics, Territory),
                (ViewCaseFile, Territory),
                (ViewDirectory, National),
                (RequestDataRights, Territory),
                (EmergencyAccess, National),
            ],
            Self::Coordinator => &[
                (ViewStatistics, National),
                (ViewDirectory, National),
                (ImportDirectory, National),
                (ViewPlans, National),
                (ManagePlans, National),
                (EvaluatePlans, National),
                (ViewCommittee, National),
                (ManageCommittee, National),
                (RecordTraining, National),
            ],
            Self::Analyst => &[
                (ViewStatistics, National),
                (ManageObservatory, National),
                (RecordTraining, National),
            ],
            Self::FocalPoint => &[(ViewPlans, National), (ReportOnMeasures, Organisation)],
            Self::CommitteeMember => &[(ViewPlans, National), (ViewCommittee, National)],
            Self::Dpo => &[
                (ViewAuditLog, National),
                (ViewDataProtection, National),
                (RequestDataRights, National),
                (ConfirmDataRights, National),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()), Some(role));
        }
    }

    #[test]
    fn the_directory_is_open_to_roles_that_work_with_people() {
        let reads: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| r.grants().contains(&(Permission::ViewDirectory, ScopeKind::National)))
            .collect();
        assert_eq!(
            reads,
            vec![
                Role::OrganisationAdministrator,
                Role::FirstResponder,
                Role::IdentificationOfficer,
                Role::SupportWorker,
                Role::Coordinator
            ]
        );
        for role in Role::ALL {
            let manages = role.grants().iter().find(|(p, _)| *p == Permission::ManageServices);
            assert!(
                manages.is_none_or(|(_, scope)| *scope == ScopeKind::Organisation),
                "{role:?}"
            );
        }
    }

    #[test]
    fn only_aggregate_roles_may_skip_mfa() {
        let without: Vec<_> = Role::ALL.into_iter().filter(|r| !r.sees_personal_data()).collect();
        assert_eq!(
            without,
            vec![
                Role::Coordinator,
                Role::Analyst,
                Role::FocalPoint,
                Role::CommitteeMember
            ]
        );
    }
}
