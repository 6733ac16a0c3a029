//! The records of processing activities (GDPR art. 30, *registre des
//! activités de traitement*), kept in code next to what it describes: every
//! table Relais stores is listed under one activity (a store test checks
//! it against the database), its retention comes from the retention
//! schedule, and who reads it is computed from the roles' grants.

use crate::access::role::{Permission, Role, ScopeKind};
use crate::privacy::retention::RecordKind;
use strum::EnumCount;

/// How long an activity's data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// By the retention schedule, for these kinds.
    Schedule(&'static [RecordKind]),
    /// Sessions end after the configured idle and absolute timeouts and are purged.
    Sessions,
    /// While the account or organisation is active; deactivated ones stay
    /// for the audit trail, which names them by identifier.
    WhileActive,
    /// Until the message is sent.
    UntilSent,
    /// Until the work they feed ends (a linkage run's encoded files).
    UntilRunEnds,
    /// Reference data, replaced by the next version or import.
    Reference,
}

/// Lawfulness (GDPR art. 6, and art. 9 and 10 for special categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum Basis {
    /// A task carried out in the public interest (art. 6(1)(e)), with
    /// art. 9(2)(g) and art. 10 for health and offence data.
    PublicTask,
    /// A legal obligation (art. 6(1)(c)): security and traceability (art. 32).
    LegalObligation,
}

impl Basis {
    pub const ALL: [Self; Self::COUNT] = [Self::PublicTask, Self::LegalObligation];

    pub fn key(self) -> &'static str {
        match self {
            Self::PublicTask => "public-task",
            Self::LegalObligation => "legal-obligation",
        }
    }
}

/// One activity of the register.
#[derive(Debug, Clone, Copy)]
pub struct Activity {
    /// Translation keys start with `register-<key>-`.
    pub key: &'static str,
    pub tables: &'static [&'static str],
    pub basis: Basis,
    /// Health, sex life or offences (GDPR art. 9 and 10).
    pub special_categories: bool,
    /// Whether the personal content is encrypted at rest.
    pub encrypted: bool,
    pub kept: Kept,
    /// Who reads it: the roles granted any of these permissions.
    pub read_with: &'static [Permission],
}

impl Activity {
    /// The roles that read this activity's data, each with its widest reach.
    pub fn readers(&self) -> Vec<(Role, ScopeKind)> {
        Role::ALL
            .into_iter()
            .filter_map(|role| {
                role.grants()
                    .iter()
                    .filter(|(p, _)| self.read_with.contains(p))
                    .map(|(_, scope)| *scope)
                    .max()
                    .map(|scope| (role, scope))
            })
            .collect()
    }
}

/// Everything Relais stores, by activity.
pub const REGISTER: &[Activity] = &[
    Activity {
        key: "referrals",
        tables: &[
            "referrals",
            "referral_messages",
            "referral_status_notices",
            "persons",
            "person_match_keys",
            "tasks",
            "signalement_submissions",
            "api_idempotency_keys",
        ],
        basis: Basis::PublicTask,
        special_categories: true,
        encrypted: true,
        kept: Kept::Schedule(&[
            RecordKind::DraftReferral,
            RecordKind::UnfollowedReferral,
            RecordKind::UnfollowedSignalement,
            RecordKind::AnonymousNotification,
        ]),
        read_with: &[Permission::SubmitReferrals, Permission::TriageReferrals],
    },
    Activity {
        key: "cases",
        tables: &[
            "cases",
            "case_events",
            "case_notes",
            "case_documents",
            "case_people",
            "case_shares",
            "need_assessments",
            "permits",
            "onward_referrals",
            "case_due_counts",
        ],
        basis: Basis::PublicTask,
        special_categories: true,
        encrypted: true,
        kept: Kept::Schedule(&[RecordKind::ClosedCase, RecordKind::CaseDocuments]),
        read_with: &[Permission::IdentifyVictims, Permission::ViewCaseFile],
    },
    Activity {
        key: "data-protection",
        tables: &["legal_holds", "data_requests", "break_glass", "break_glass_alerts"],
        basis: Basis::LegalObligation,
        special_categories: false,
        encrypted: true,
        kept: Kept::Schedule(&[RecordKind::AuditRows]),
        read_with: &[Permission::ViewDataProtection, Permission::RequestDataRights],
    },
    Activity {
        key: "audit",
        tables: &["audit_log", "audit_head", "audit_checkpoints"],
        basis: Basis::LegalObligation,
        special_categories: false,
        encrypted: false,
        kept: Kept::Schedule(&[RecordKind::AuditRows]),
        read_with: &[Permission::ViewAuditLog],
    },
    Activity {
        key: "accounts",
        tables: &[
            "organisations",
            "users",
            "user_roles",
            "setup_tokens",
            "api_tokens",
            "oidc_identities",
            "access_requests",
        ],
        basis: Basis::PublicTask,
        special_categories: false,
        encrypted: false,
        kept: Kept::WhileActive,
        read_with: &[
            Permission::ManageUsers,
            Permission::ManageOrganisations,
            Permission::ManageApiTokens,
        ],
    },
    Activity {
        key: "security",
        tables: &[
            "sessions",
            "login_throttle",
            "rate_events",
            "key_rotation_progress",
            "oidc_pending_logins",
        ],
        basis: Basis::LegalObligation,
        special_categories: false,
        encrypted: false,
        kept: Kept::Sessions,
        read_with: &[],
    },
    Activity {
        key: "mail",
        tables: &["mail_outbox"],
        basis: Basis::LegalObligation,
        special_categories: false,
        encrypted: false,
        kept: Kept::UntilSent,
        read_with: &[],
    },
    Activity {
        key: "directory",
        tables: &[
            "services",
            "service_covers",
            "service_places",
            "prefecture_contacts",
            "child_protection_units",
            "directory_imports",
            "directory_import_services",
            "directory_import_covers",
            "directory_import_places",
            "directory_import_contacts",
        ],
        basis: Basis::PublicTask,
        special_categories: false,
        encrypted: false,
        kept: Kept::Reference,
        read_with: &[Permission::ViewDirectory],
    },
    Activity {
        key: "coordination",
        tables: &[
            "plan_bodies",
            "plans",
            "plan_axes",
            "plan_actions",
            "plan_measures",
            "plan_measure_partners",
            "plan_measure_versions",
            "reporting_rounds",
            "reporting_round_bodies",
            "reporting_updates",
            // The committee: members' names and e-mail addresses are personal data.
            "committee_members",
            "committee_meetings",
            "committee_attendance",
            "committee_decisions",
            "committee_action_items",
            // Grant beneficiaries are organisations, never persons.
            "budget_lines",
            "budget_line_measures",
            "budget_grants",
            "plan_annual_entries",
            "plan_annual_milestones",
            "plan_annual_indicators",
            "plan_indicator_values",
            "plan_annual_versions",
        ],
        basis: Basis::PublicTask,
        special_categories: false,
        encrypted: false,
        kept: Kept::Reference,
        read_with: &[Permission::ViewPlans, Permission::ViewCommittee],
    },
    // Aggregated tables hold no person; pseudonymised records do (GDPR
    // recital 26): one row per person under the producer's pseudonym, with
    // no name, kept as versions for the provenance of every figure. Releases
    // hold published figures only, and their privacy ledger.
    Activity {
        key: "observatory",
        tables: &[
            "observatory_sources",
            "observatory_versions",
            "observatory_version_events",
            "observatory_rows",
            "observatory_releases",
            "observatory_privacy_ledger",
        ],
        basis: Basis::PublicTask,
        special_categories: true,
        encrypted: false,
        kept: Kept::Reference,
        read_with: &[Permission::ManageObservatory],
    },
    // Linkage runs: the sources' encoded files are pseudonymised keys of
    // persons (no name, but linkable), sealed and erased when the run ends;
    // the run keeps counts, checksums and the sources' record identifiers
    // of the pairs near the threshold, for review.
    Activity {
        key: "linkage",
        tables: &["observatory_linkage_runs", "observatory_linkage_inputs"],
        basis: Basis::PublicTask,
        special_categories: true,
        encrypted: true,
        kept: Kept::UntilRunEnds,
        read_with: &[Permission::ManageObservatory],
    },
    // Estimates with the methods side by side: a table of how many persons
    // each combination of lists saw (no identity, but cells of one or two
    // persons are confidential), sealed; the outcome holds only estimates.
    Activity {
        key: "estimate",
        tables: &["observatory_estimates"],
        basis: Basis::PublicTask,
        special_categories: true,
        encrypted: true,
        kept: Kept::Reference,
        read_with: &[Permission::ManageObservatory],
    },
    // The associations' annual survey: coded profiles, no name and no free
    // text, but still about people (special categories), so encrypted.
    Activity {
        key: "survey",
        tables: &["survey_campaigns", "survey_responses", "survey_profiles"],
        basis: Basis::PublicTask,
        special_categories: true,
        encrypted: true,
        kept: Kept::Reference,
        read_with: &[Permission::ManageObservatory, Permission::AnswerSurvey],
    },
    // The library holds published material (authors are named as they
    // are on the publication); training records count professionals by
    // profession, never a name. Who recorded what is kept for the history.
    Activity {
        key: "studies-training",
        tables: &[
            "library_entries",
            "library_audiences",
            "library_files",
            "library_events",
            "training_sessions",
            "training_counts",
        ],
        basis: Basis::PublicTask,
        special_categories: false,
        encrypted: false,
        kept: Kept::Reference,
        read_with: &[Permission::ManageObservatory, Permission::RecordTraining],
    },
    Activity {
        key: "statistics",
        tables: &["catalogues", "job_runs", "statistics_snapshots"],
        basis: Basis::PublicTask,
        special_categories: false,
        encrypted: false,
        kept: Kept::Reference,
        read_with: &[Permission::ViewStatistics],
    },
];

/// Every table named in the register.
pub fn tables() -> impl Iterator<Item = &'static str> {
    REGISTER.iter().flat_map(|a| a.tables.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_belongs_to_one_activity() {
        let mut all: Vec<_> = tables().collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count, "a table is listed twice");
    }

    #[test]
    fn readers_come_from_the_roles_grants() {
        let cases = REGISTER.iter().find(|a| a.key == "cases").unwrap();
        let readers = cases.readers();
        assert!(readers.contains(&(Role::IdentificationOfficer, ScopeKind::Territory)));
        assert!(readers.contains(&(Role::SupportWorker, ScopeKind::Organisation)));
        assert!(!readers.iter().any(|(r, _)| *r == Role::Analyst));
        let audit = REGISTER.iter().find(|a| a.key == "audit").unwrap();
        assert!(audit.readers().contains(&(Role::Dpo, ScopeKind::National)));
    }
}
