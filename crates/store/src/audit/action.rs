//! Every act the audit trail records, in one list: `Tx::audit` takes an
//! [`Action`] and an [`Object`], so no row is written under a code that is
//! missing here, and the page reading the trail can name each one in words
//! (the label-coverage test walks [`Action::ALL`] and [`Object::ALL`]).
//! The codes are the stored values: never rename one, rows already carry it.

use relais_domain::casework::{case_status, onward_referral, sharing};
use relais_domain::privacy::RequestKind;

/// Declares a closed list of codes: the enum, its codes and `ALL` come from
/// one table, so the list cannot drift from the variants.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                }
            }

            /// The variant stored as `code`, if it is one of today's.
            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|a| a.code() == code)
            }
        }
    };
}

codes! {
    /// What was done.
    Action {
        AccountLocaleChanged => "account.locale_changed",
        AccountMfaEnrolled => "account.mfa_enrolled",
        AccountPasswordChanged => "account.password_changed",
        AccountPasswordSet => "account.password_set",
        AccessRequestApprove => "access_request.approve",
        AccessRequestCreate => "access_request.create",
        AccessRequestList => "access_request.list",
        AccessRequestRefuse => "access_request.refuse",
        ApiReferralRead => "api.referral.read",
        ApiReferralReplay => "api.referral.replay",
        ApiReferralSubmit => "api.referral.submit",
        ApiTokenIssue => "api_token.issue",
        ApiTokenList => "api_token.list",
        ApiTokenRevoke => "api_token.revoke",
        AuditExport => "audit.export",
        AuditRead => "audit.read",
        AuthLogin => "auth.login",
        AuthLoginFailed => "auth.login_failed",
        AuthLogout => "auth.logout",
        AuthOidcLinked => "auth.oidc_linked",
        AuthOidcRefused => "auth.oidc_refused",
        AuthReauthFailed => "auth.reauth_failed",
        AuthReauthenticated => "auth.reauthenticated",
        CaseBreakGlass => "case.break-glass",
        CaseClose => "case.close",
        CaseClosure => "case.closure",
        CaseConfirmDecision => "case.confirm-decision",
        CaseCooperation => "case.cooperation",
        CaseDependantAdd => "case.dependant-add",
        CaseDependantRemove => "case.dependant-remove",
        CaseDocumentDownload => "case.document-download",
        CaseDocumentUpload => "case.document-upload",
        CaseEmergencyRead => "case.emergency-read",
        CaseFileRead => "case.file-read",
        CaseFormalInsufficientEvidence => "case.formal-insufficient-evidence",
        CaseExportHtcds => "case.export-htcds",
        CaseFormalNegative => "case.formal-negative",
        CaseFormalPositive => "case.formal-positive",
        CaseHeaderRead => "case.header-read",
        CaseInformationReceived => "case.information-received",
        CaseLegalHold => "case.legal-hold",
        CaseLegalHoldLift => "case.legal-hold-lift",
        CaseLetter => "case.letter",
        CaseList => "case.list",
        CaseListShared => "case.list-shared",
        CaseNeedsAssess => "case.needs-assess",
        CaseNoteAdd => "case.note-add",
        CaseOnwardAccept => "case.onward-accept",
        CaseOnwardComplete => "case.onward-complete",
        CaseOnwardDecline => "case.onward-decline",
        CaseOnwardRead => "case.onward-read",
        CaseOnwardReceivedRead => "case.onward-received-read",
        CaseOnwardSend => "case.onward-send",
        CaseOnwardSendOverride => "case.onward-send-override",
        CaseOnwardWithdraw => "case.onward-withdraw",
        CaseOpen => "case.open",
        CaseOverruleDecision => "case.overrule-decision",
        CasePeopleRead => "case.people-read",
        CasePermitAdd => "case.permit-add",
        CasePermitDeadlines => "case.permit-deadlines",
        CasePermitUpdate => "case.permit-update",
        CasePersonSave => "case.person-save",
        CasePreliminaryMoreInformation => "case.preliminary-more-information",
        CasePreliminaryNegative => "case.preliminary-negative",
        CasePreliminaryPositive => "case.preliminary-positive",
        CaseRead => "case.read",
        CaseReopen => "case.reopen",
        CaseRequestEarlyFormalDecision => "case.request-early-formal-decision",
        CaseRequestReconsideration => "case.request-reconsideration",
        CaseShareConsent => "case.share-consent",
        CaseShareOverride => "case.share-override",
        CaseShareRevoke => "case.share-revoke",
        CaseStartSupport => "case.start-support",
        CaseStatistics => "case.statistics",
        CaseStatisticsEqualAccess => "case.statistics-equal-access",
        CaseSupportRead => "case.support-read",
        CaseTaskAdd => "case.task-add",
        CaseTaskDone => "case.task-done",
        CaseTransfer => "case.transfer",
        CaseWithdrawConsent => "case.withdraw-consent",
        CatalogueImport => "catalogue.import",
        CommitteeActionAdd => "committee.action-add",
        CommitteeActionDone => "committee.action-done",
        CommitteeDecisionAdd => "committee.decision-add",
        CommitteeMeetingAdd => "committee.meeting-add",
        CommitteeMeetingInvite => "committee.meeting-invite",
        CommitteeMeetingRecord => "committee.meeting-record",
        CommitteeMeetingRecordHeld => "committee.meeting-record-held",
        CommitteeMeetingUpdate => "committee.meeting-update",
        CommitteeMeetingView => "committee.meeting-view",
        CommitteeMemberActivate => "committee.member-activate",
        CommitteeMemberAdd => "committee.member-add",
        CommitteeMemberDeactivate => "committee.member-deactivate",
        CommitteeView => "committee.view",
        CoordinationAnnualExport => "coordination.annual-export",
        CoordinationAnnualMeasureView => "coordination.annual-measure-view",
        CoordinationAnnualUpdate => "coordination.annual-update",
        CoordinationAnnualView => "coordination.annual-view",
        CoordinationBodiesView => "coordination.bodies-view",
        CoordinationBodyCreate => "coordination.body-create",
        CoordinationBodyLink => "coordination.body-link",
        CoordinationBudgetExport => "coordination.budget-export",
        CoordinationBudgetGrantCreate => "coordination.budget-grant-create",
        CoordinationBudgetLineCreate => "coordination.budget-line-create",
        CoordinationBudgetLineMeasures => "coordination.budget-line-measures",
        CoordinationBudgetLineUpdate => "coordination.budget-line-update",
        CoordinationBudgetView => "coordination.budget-view",
        CoordinationEvaluationView => "coordination.evaluation-view",
        CoordinationMeasureUpdate => "coordination.measure-update",
        CoordinationMeasureView => "coordination.measure-view",
        CoordinationPlanExport => "coordination.plan-export",
        CoordinationPlanImport => "coordination.plan-import",
        CoordinationPlanPublish => "coordination.plan-publish",
        CoordinationPlanSource => "coordination.plan-source",
        CoordinationPlanView => "coordination.plan-view",
        CoordinationPlanWithdraw => "coordination.plan-withdraw",
        CoordinationPlansView => "coordination.plans-view",
        CoordinationRoundClose => "coordination.round-close",
        CoordinationRoundMine => "coordination.round-mine",
        CoordinationRoundOpen => "coordination.round-open",
        CoordinationRoundRemind => "coordination.round-remind",
        CoordinationRoundReminders => "coordination.round-reminders",
        CoordinationRoundUpdateDecide => "coordination.round-update-decide",
        CoordinationRoundUpdateSubmit => "coordination.round-update-submit",
        CoordinationRoundUpdateView => "coordination.round-update-view",
        CoordinationRoundView => "coordination.round-view",
        CoordinationRoundsView => "coordination.rounds-view",
        DatabaseBackup => "database.backup",
        DemoCodeShown => "demo.code_shown",
        DigestCompose => "digest.compose",
        DirectoryChildProtectionUpdate => "directory.child-protection-update",
        DirectoryExport => "directory.export",
        DirectoryImport => "directory.import",
        DirectoryImportCleanup => "directory.import-cleanup",
        DirectoryImportStage => "directory.import-stage",
        DirectoryImportStart => "directory.import-start",
        DirectoryOffersRead => "directory.offers-read",
        DirectoryPlacesUpdate => "directory.places-update",
        DirectoryPrefectureList => "directory.prefecture-list",
        DirectoryPrefectureUpdate => "directory.prefecture-update",
        DirectoryStalePlacesRead => "directory.stale-places-read",
        DirectoryServiceList => "directory.service-list",
        DirectoryServiceRead => "directory.service-read",
        DirectoryServiceUpdate => "directory.service-update",
        KeyRotateBatch => "key.rotate-batch",
        LibraryCreate => "library.create",
        LibraryFileRead => "library.file-read",
        LibraryList => "library.list",
        LibraryPublish => "library.publish",
        LibraryRead => "library.read",
        LibraryWithdraw => "library.withdraw",
        ObservatoryEstimateClaim => "observatory.estimate-claim",
        ObservatoryEstimateCreate => "observatory.estimate-create",
        ObservatoryEstimateEnd => "observatory.estimate-end",
        ObservatoryEstimateRead => "observatory.estimate-read",
        ObservatoryEstimatesRead => "observatory.estimates-read",
        ObservatoryExportCtdc => "observatory.export-ctdc",
        ObservatoryExportEurostat => "observatory.export-eurostat",
        ObservatoryImport => "observatory.import",
        ObservatoryLinkageClaim => "observatory.linkage-claim",
        ObservatoryLinkageCreate => "observatory.linkage-create",
        ObservatoryLinkageEnd => "observatory.linkage-end",
        ObservatoryLinkageRead => "observatory.linkage-read",
        ObservatoryLinkageRunsRead => "observatory.linkage-runs-read",
        ObservatoryNrmExtract => "observatory.nrm-extract",
        ObservatoryReleaseCreate => "observatory.release-create",
        ObservatoryReleaseDiscard => "observatory.release-discard",
        ObservatoryReleasePublish => "observatory.release-publish",
        ObservatoryReleaseRead => "observatory.release-read",
        ObservatoryReleasesRead => "observatory.releases-read",
        ObservatoryRestore => "observatory.restore",
        ObservatoryRowsRead => "observatory.rows-read",
        ObservatorySourceCreate => "observatory.source-create",
        ObservatorySourceRead => "observatory.source-read",
        ObservatorySourceUpdate => "observatory.source-update",
        ObservatorySourcesRead => "observatory.sources-read",
        ObservatoryVersionsRead => "observatory.versions-read",
        OnwardInboxRead => "onward.inbox-read",
        OrganisationActivate => "organisation.activate",
        OrganisationCreate => "organisation.create",
        OrganisationDeactivate => "organisation.deactivate",
        OrganisationSignInChange => "organisation.sign_in_change",
        PersonCreate => "person.create",
        PrivacyAccessExport => "privacy.access-export",
        PrivacyAlertAcknowledge => "privacy.alert-acknowledge",
        PrivacyAlertsRead => "privacy.alerts-read",
        PrivacyAttention => "privacy.attention",
        PrivacyBreakGlassList => "privacy.break-glass-list",
        PrivacyBreakGlassReview => "privacy.break-glass-review",
        PrivacyCaseFind => "privacy.case-find",
        PrivacyCaseRead => "privacy.case-read",
        PrivacyErase => "privacy.erase",
        PrivacyErasurePreview => "privacy.erasure-preview",
        PrivacyRequestAccess => "privacy.request-access",
        PrivacyRequestConfirm => "privacy.request-confirm",
        PrivacyRequestErasure => "privacy.request-erasure",
        PrivacyRequestList => "privacy.request-list",
        PrivacyRequestRead => "privacy.request-read",
        PrivacyRequestRefuse => "privacy.request-refuse",
        ReferralAccept => "referral.accept",
        ReferralDraftCreate => "referral.draft-create",
        ReferralDraftSave => "referral.draft-save",
        ReferralListOwn => "referral.list-own",
        ReferralMarkDuplicate => "referral.mark-duplicate",
        ReferralRead => "referral.read",
        ReferralRecord => "referral.record",
        ReferralReject => "referral.reject",
        ReferralReply => "referral.reply",
        ReferralStatusNoticeQueued => "referral.status_notice_queued",
        ReferralRequestInformation => "referral.request-information",
        ReferralSubmit => "referral.submit",
        RetentionDryRun => "retention.dry-run",
        RetentionErase => "retention.erase",
        RetentionList => "retention.list",
        RetentionRun => "retention.run",
        SignalementAddInformation => "signalement.add-information",
        SignalementAddInformationRefused => "signalement.add-information-refused",
        SignalementFollowUp => "signalement.follow-up",
        SignalementFollowUpFailed => "signalement.follow-up-failed",
        SignalementReceiptShown => "signalement.receipt-shown",
        SignalementSubmit => "signalement.submit",
        StatisticsSnapshotSave => "statistics.snapshot-save",
        SurveyCampaignCreate => "survey.campaign-create",
        SurveyCampaignsRead => "survey.campaigns-read",
        SurveyCompletionRead => "survey.completion-read",
        SurveyExtract => "survey.extract",
        SurveyProfileAdd => "survey.profile-add",
        SurveyProfileRemove => "survey.profile-remove",
        SurveyReminders => "survey.reminders",
        SurveyResponseRead => "survey.response-read",
        SurveySubmit => "survey.submit",
        SurveyTotalsSave => "survey.totals-save",
        TaskCreate => "task.create",
        TaskDone => "task.done",
        TrainingCancel => "training.cancel",
        TrainingList => "training.list",
        TrainingRecord => "training.record",
        TrainingTotalsRead => "training.totals-read",
        TriageList => "triage.list",
        UserActivate => "user.activate",
        UserCreate => "user.create",
        UserDeactivate => "user.deactivate",
        UserList => "user.list",
        UserPasswordReset => "user.password_reset",
        UserRead => "user.read",
        UserRolesChanged => "user.roles_changed",
        UserUnusualRoleConfirmed => "user.unusual_role_confirmed",
    }
}

codes! {
    /// The kind of object acted upon (named by identifier only in the row).
    Object {
        AccessRequest => "access_request",
        ApiToken => "api_token",
        AuditLog => "audit_log",
        BreakGlass => "break_glass",
        BudgetGrant => "budget_grant",
        BudgetLine => "budget_line",
        Case => "case",
        Catalogue => "catalogue",
        ChildProtectionUnit => "child_protection_unit",
        Committee => "committee",
        CommitteeActionItem => "committee_action_item",
        CommitteeMeeting => "committee_meeting",
        CommitteeMember => "committee_member",
        DataRequest => "data_request",
        Database => "database",
        DirectoryImport => "directory_import",
        EncryptedColumn => "encrypted-column",
        Job => "job",
        LibraryEntry => "library_entry",
        ObservatoryEstimate => "observatory_estimate",
        ObservatoryLinkageRun => "observatory_linkage_run",
        ObservatoryRelease => "observatory_release",
        ObservatorySource => "observatory_source",
        ObservatoryVersion => "observatory_version",
        Organisation => "organisation",
        Person => "person",
        Plan => "plan",
        PlanAnnualEntry => "plan_annual_entry",
        PlanBody => "plan_body",
        PlanMeasure => "plan_measure",
        PrefectureContacts => "prefecture-contacts",
        PrefectureContact => "prefecture_contact",
        Referral => "referral",
        ReportingRound => "reporting_round",
        Retention => "retention",
        Service => "service",
        Services => "services",
        SurveyCampaign => "survey_campaign",
        SurveyResponse => "survey_response",
        Task => "task",
        TrainingSession => "training_session",
        User => "user",
    }
}

impl Action {
    /// A decision or step of the identification workflow.
    pub fn case_event(event: case_status::Event) -> Self {
        use case_status::Event as E;
        match event {
            E::PreliminaryPositive => Self::CasePreliminaryPositive,
            E::PreliminaryNegative => Self::CasePreliminaryNegative,
            E::PreliminaryMoreInformation => Self::CasePreliminaryMoreInformation,
            E::InformationReceived => Self::CaseInformationReceived,
            E::RequestEarlyFormalDecision => Self::CaseRequestEarlyFormalDecision,
            E::FormalPositive => Self::CaseFormalPositive,
            E::FormalNegative => Self::CaseFormalNegative,
            E::FormalInsufficientEvidence => Self::CaseFormalInsufficientEvidence,
            E::ConfirmDecision => Self::CaseConfirmDecision,
            E::OverruleDecision => Self::CaseOverruleDecision,
            E::StartSupport => Self::CaseStartSupport,
            E::Close => Self::CaseClose,
            E::RequestReconsideration => Self::CaseRequestReconsideration,
            E::WithdrawConsent => Self::CaseWithdrawConsent,
            E::Transfer => Self::CaseTransfer,
            E::Reopen => Self::CaseReopen,
        }
    }

    /// A step of an onward referral.
    pub fn onward_event(event: onward_referral::Event) -> Self {
        use onward_referral::Event as E;
        match event {
            E::Accept => Self::CaseOnwardAccept,
            E::Decline => Self::CaseOnwardDecline,
            E::Complete => Self::CaseOnwardComplete,
            E::Withdraw => Self::CaseOnwardWithdraw,
        }
    }

    /// A case shared with or without the person's consent.
    pub fn share(basis: sharing::Basis) -> Self {
        match basis {
            sharing::Basis::Consent => Self::CaseShareConsent,
            sharing::Basis::Override => Self::CaseShareOverride,
        }
    }

    /// A data-protection request recorded.
    pub fn privacy_request(kind: RequestKind) -> Self {
        match kind {
            RequestKind::Erasure => Self::PrivacyRequestErasure,
            RequestKind::Access => Self::PrivacyRequestAccess,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.code()), "{} twice", a.code());
            assert_eq!(Action::parse(a.code()), Some(*a));
        }
        for o in Object::ALL {
            assert_eq!(Object::parse(o.code()), Some(*o));
        }
    }

    #[test]
    fn dynamic_actions_keep_their_stored_codes() {
        for e in case_status::Event::ALL {
            assert_eq!(Action::case_event(e).code(), format!("case.{}", e.key()));
        }
        for e in onward_referral::Event::ALL {
            assert_eq!(Action::onward_event(e).code(), format!("case.onward-{}", e.key()));
        }
        for b in sharing::Basis::ALL {
            assert_eq!(Action::share(b).code(), format!("case.share-{}", b.key()));
        }
        for k in [RequestKind::Erasure, RequestKind::Access] {
            assert_eq!(
                Action::privacy_request(k).code(),
                format!("privacy.request-{}", k.key())
            );
        }
    }
}
