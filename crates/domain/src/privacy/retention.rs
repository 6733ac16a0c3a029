//! The retention schedule (GDPR art. 5(1)(e), *durées de conservation*):
//! how long each kind of record is kept, and from which event the time
//! runs. The durations are configuration (docs/adr/0020-data-protection-lifecycle.md
//! says why the defaults are what they are); this file only computes.

use crate::time::{Date, Timestamp};
use strum::EnumCount;

/// A kind of record the retention job erases when its time has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumCount)]
pub enum RecordKind {
    /// A closed case with everything hanging off it, counted from its closure.
    ClosedCase,
    /// The documents of a closed case (identity papers, certificates),
    /// erased before the rest of the case, counted from its closure.
    CaseDocuments,
    /// An anonymous notification (the adult refused), counted from its recording.
    AnonymousNotification,
    /// A public *signalement* that led to no case, counted from its last activity.
    UnfollowedSignalement,
    /// A professional referral rejected or found a duplicate, counted from the decision.
    UnfollowedReferral,
    /// A draft never submitted, counted from its last change.
    DraftReferral,
    /// Rows of the audit trail, counted from when they were written.
    AuditRows,
}

impl RecordKind {
    pub const ALL: [Self; Self::COUNT] = [
        Self::ClosedCase,
        Self::CaseDocuments,
        Self::AnonymousNotification,
        Self::UnfollowedSignalement,
        Self::UnfollowedReferral,
        Self::DraftReferral,
        Self::AuditRows,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::ClosedCase => "closed-case",
            Self::CaseDocuments => "case-documents",
            Self::AnonymousNotification => "anonymous-notification",
            Self::UnfollowedSignalement => "unfollowed-signalement",
            Self::UnfollowedReferral => "unfollowed-referral",
            Self::DraftReferral => "draft-referral",
            Self::AuditRows => "audit-rows",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Whether a legal hold on the case stops the erasure of this kind.
    pub fn held_by_legal_hold(self) -> bool {
        matches!(self, Self::ClosedCase | Self::CaseDocuments)
    }
}

/// Months each kind is kept. Months, not days, so that "five years" is
/// exactly five calendar years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    pub closed_case_months: u32,
    pub case_documents_months: u32,
    pub anonymous_notification_months: u32,
    pub unfollowed_signalement_months: u32,
    pub unfollowed_referral_months: u32,
    pub draft_referral_months: u32,
    pub audit_rows_months: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            closed_case_months: 60,
            case_documents_months: 24,
            anonymous_notification_months: 36,
            unfollowed_signalement_months: 12,
            unfollowed_referral_months: 12,
            draft_referral_months: 6,
            audit_rows_months: 72,
        }
    }
}

/// Why a policy was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{0}: a retention period must be at least one month")]
    Zero(&'static str),
    #[error("case documents cannot be kept longer than the closed case they belong to")]
    DocumentsOutliveCase,
    #[error("the audit trail must be kept at least as long as closed cases, so that it proves their erasure")]
    AuditShorterThanCases,
}

impl RetentionPolicy {
    pub fn months(&self, kind: RecordKind) -> u32 {
        match kind {
            RecordKind::ClosedCase => self.closed_case_months,
            RecordKind::CaseDocuments => self.case_documents_months,
            RecordKind::AnonymousNotification => self.anonymous_notification_months,
            RecordKind::UnfollowedSignalement => self.unfollowed_signalement_months,
            RecordKind::UnfollowedReferral => self.unfollowed_referral_months,
            RecordKind::DraftReferral => self.draft_referral_months,
            RecordKind::AuditRows => self.audit_rows_months,
        }
    }

    /// Checks the periods against each other: a configuration that would
    /// keep a document after its case, or erase the proof of an erasure
    /// before the erasure, is refused at start.
    pub fn validate(self) -> Result<Self, PolicyError> {
        if let Some(kind) = RecordKind::ALL.into_iter().find(|k| self.months(*k) == 0) {
            return Err(PolicyError::Zero(kind.key()));
        }
        if self.case_documents_months > self.closed_case_months {
            return Err(PolicyError::DocumentsOutliveCase);
        }
        if self.audit_rows_months < self.closed_case_months {
            return Err(PolicyError::AuditShorterThanCases);
        }
        Ok(self)
    }

    /// Records of `kind` whose time started before the returned instant are due.
    pub fn cutoff(&self, kind: RecordKind, now: Timestamp) -> Timestamp {
        months_before(now, self.months(kind))
    }
}

/// The same time of day `months` calendar months before `at`; the 31st of
/// a shorter month becomes its last day.
pub fn months_before(at: Timestamp, months: u32) -> Timestamp {
    shift_months(at, -i64::from(months))
}

/// The same time of day `months` calendar months after `at` (when a record
/// whose time started at `at` becomes due).
pub fn months_after(at: Timestamp, months: u32) -> Timestamp {
    shift_months(at, i64::from(months))
}

fn shift_months(at: Timestamp, months: i64) -> Timestamp {
    let day = Date::utc(at);
    let seconds_into_day = at.0 - day.start_utc().0;
    let index = i64::from(day.year) * 12 + i64::from(day.month) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).unwrap_or(i32::MIN);
    let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
    let first = Date { year, month, day: 1 };
    let target = Date {
        day: day.day.min(first.days_in_month()),
        ..first
    };
    Timestamp(target.start_utc().0 + seconds_into_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: &str) -> Timestamp {
        Date::parse(day).unwrap().start_utc().plus_seconds(3600)
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(months_before(at("2031-03-15"), 60), at("2026-03-15"));
        assert_eq!(months_before(at("2026-03-31"), 1), at("2026-02-28"));
        assert_eq!(months_before(at("2024-03-31"), 1), at("2024-02-29"));
        assert_eq!(months_before(at("2026-01-10"), 13), at("2024-12-10"));
        assert_eq!(months_before(at("2026-01-10"), 0), at("2026-01-10"));
        assert_eq!(months_after(at("2026-03-15"), 60), at("2031-03-15"));
        assert_eq!(months_after(at("2026-01-31"), 1), at("2026-02-28"));
    }

    #[test]
    fn a_closed_case_is_due_five_years_after_closure_by_default() {
        let policy = RetentionPolicy::default();
        let now = at("2031-06-01");
        let cutoff = policy.cutoff(RecordKind::ClosedCase, now);
        assert!(at("2026-05-31") < cutoff, "closed more than five years ago: due");
        assert!(at("2026-06-02") > cutoff, "closed less than five years ago: kept");
    }

    #[test]
    fn inconsistent_policies_are_refused() {
        assert_eq!(RetentionPolicy::default().validate(), Ok(RetentionPolicy::default()));
        let zero = RetentionPolicy {
            draft_referral_months: 0,
            ..RetentionPolicy::default()
        };
        assert_eq!(zero.validate(), Err(PolicyError::Zero("draft-referral")));
        let documents = RetentionPolicy {
            case_documents_months: 61,
            ..RetentionPolicy::default()
        };
        assert_eq!(documents.validate(), Err(PolicyError::DocumentsOutliveCase));
        let audit = RetentionPolicy {
            audit_rows_months: 12,
            ..RetentionPolicy::default()
        };
        assert_eq!(audit.validate(), Err(PolicyError::AuditShorterThanCases));
    }

    #[test]
    fn keys_round_trip() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.key()), Some(kind));
        }
    }
}
