//! Residence rights of a supported person (droit au séjour): which permit
//! was asked, when it was granted, until when it runs, and when its
//! renewal must be asked so that the person never falls out of status.
//! Validity defaults follow CESEDA; an expiry typed from the card wins.

use crate::time::Date;
use strum::EnumCount;

/// A renewal is asked in the two months before expiry.
pub const RENEWAL_LEAD_DAYS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum PermitKind {
    /// Receipt (récépissé) covering the reflection period: blocks removal
    /// and allows work (CESEDA R.425-2).
    ReflectionReceipt,
    /// Temporary residence card "vie privée et familiale" for a victim who
    /// files a complaint or testifies, renewed during the proceedings
    /// (carte de séjour temporaire, CESEDA L.425-1).
    TemporaryResidenceCard,
    /// Resident card after the final conviction of the accused
    /// (carte de résident, CESEDA L.425-3).
    ResidentCard,
    /// Provisional stay permit for people in the exit-from-prostitution
    /// programme (autorisation provisoire de séjour, APS, CESEDA L.425-4).
    ProvisionalStayPermit,
    /// Asylum application (demande d'asile, CESEDA L.521-1).
    Asylum,
    /// Admission on humanitarian grounds, for victims who do not cooperate
    /// (admission exceptionnelle au séjour, CESEDA L.435-1).
    HumanitarianStay,
}

impl PermitKind {
    pub const ALL: [Self; Self::COUNT] = [
        Self::ReflectionReceipt,
        Self::TemporaryResidenceCard,
        Self::ResidentCard,
        Self::ProvisionalStayPermit,
        Self::Asylum,
        Self::HumanitarianStay,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::ReflectionReceipt => "reflection-receipt",
            Self::TemporaryResidenceCard => "temporary-residence-card",
            Self::ResidentCard => "resident-card",
            Self::ProvisionalStayPermit => "provisional-stay-permit",
            Self::Asylum => "asylum",
            Self::HumanitarianStay => "humanitarian-stay",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The article it is granted under, as shown to caseworkers.
    pub fn legal_basis(self) -> &'static str {
        match self {
            Self::ReflectionReceipt => "CESEDA R.425-2",
            Self::TemporaryResidenceCard => "CESEDA L.425-1",
            Self::ResidentCard => "CESEDA L.425-3",
            Self::ProvisionalStayPermit => "CESEDA L.425-4",
            Self::Asylum => "CESEDA L.521-1",
            Self::HumanitarianStay => "CESEDA L.435-1",
        }
    }

    /// Days from the decision to expiry when the card does not say;
    /// `None` when the law sets no fixed term (asylum: the status follows
    /// the OFPRA decision, not a date).
    pub fn default_validity_days(self) -> Option<i64> {
        match self {
            Self::ReflectionReceipt => Some(30),
            Self::TemporaryResidenceCard | Self::HumanitarianStay => Some(365),
            Self::ResidentCard => Some(3652),
            Self::ProvisionalStayPermit => Some(183),
            Self::Asylum => None,
        }
    }

    /// Renewed on request while its conditions hold, so a renewal deadline
    /// is tracked rather than just the expiry.
    pub fn renewable(self) -> bool {
        matches!(self, Self::TemporaryResidenceCard | Self::ProvisionalStayPermit)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Outcome {
    Pending,
    Granted,
    /// With a [`RefusalReason`].
    Refused,
    /// The application was withdrawn.
    Withdrawn,
}

impl Outcome {
    pub const ALL: [Self; Self::COUNT] = [Self::Pending, Self::Granted, Self::Refused, Self::Withdrawn];

    pub fn key(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Granted => "granted",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// The ground the prefecture gave for a refusal: a small closed list so
/// that refusals can be counted and challenged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum RefusalReason {
    /// Threat to public order (menace à l'ordre public).
    PublicOrder,
    InsufficientEvidence,
    /// No complaint or testimony, where the permit requires one (L.425-1).
    NoCooperation,
    Other,
}

impl RefusalReason {
    pub const ALL: [Self; Self::COUNT] = [
        Self::PublicOrder,
        Self::InsufficientEvidence,
        Self::NoCooperation,
        Self::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::PublicOrder => "public-order",
            Self::InsufficientEvidence => "insufficient-evidence",
            Self::NoCooperation => "no-cooperation",
            Self::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// One application for a permit and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permit {
    pub kind: PermitKind,
    pub applied_on: Option<Date>,
    /// When the receipt of the application was issued.
    pub receipt_on: Option<Date>,
    pub decided_on: Option<Date>,
    pub expires_on: Option<Date>,
    pub outcome: Outcome,
    /// Set exactly when the outcome is refused.
    pub refusal_reason: Option<RefusalReason>,
}

/// The posted fields of a permit, as typed (keys and `YYYY-MM-DD`, or empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermitInput {
    pub kind: String,
    pub applied_on: String,
    pub receipt_on: String,
    pub decided_on: String,
    pub expires_on: String,
    pub outcome: String,
    pub refusal_reason: String,
}

/// What is wrong with a posted permit. [`Self::key`] is a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum RightsProblem {
    /// Empty or not a [`PermitKind`] key.
    KindUnknown,
    /// Empty or not an [`Outcome`] key.
    OutcomeUnknown,
    RefusalReasonUnknown,
    AppliedOnInvalid,
    ReceiptOnInvalid,
    DecidedOnInvalid,
    ExpiresOnInvalid,
    ReceiptBeforeApplication,
    DecisionBeforeApplication,
    ExpiryBeforeDecision,
    DecisionDateRequired,
    RefusalReasonRequired,
}

impl RightsProblem {
    pub const ALL: [Self; Self::COUNT] = [
        Self::KindUnknown,
        Self::OutcomeUnknown,
        Self::RefusalReasonUnknown,
        Self::AppliedOnInvalid,
        Self::ReceiptOnInvalid,
        Self::DecidedOnInvalid,
        Self::ExpiresOnInvalid,
        Self::ReceiptBeforeApplication,
        Self::DecisionBeforeApplication,
        Self::ExpiryBeforeDecision,
        Self::DecisionDateRequired,
        Self::RefusalReasonRequired,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::KindUnknown => "rights-kind-unknown",
            Self::OutcomeUnknown => "rights-outcome-unknown",
            Self::RefusalReasonUnknown => "rights-refusal-reason-unknown",
            Self::AppliedOnInvalid => "rights-applied-on-invalid",
            Self::ReceiptOnInvalid => "rights-receipt-on-invalid",
            Self::DecidedOnInvalid => "rights-decided-on-invalid",
            Self::ExpiresOnInvalid => "rights-expires-on-invalid",
            Self::ReceiptBeforeApplication => "rights-receipt-before-application",
            Self::DecisionBeforeApplication => "rights-decision-before-application",
            Self::ExpiryBeforeDecision => "rights-expiry-before-decision",
            Self::DecisionDateRequired => "rights-decision-date-required",
            Self::RefusalReasonRequired => "rights-refusal-reason-required",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The [`PermitInput`] field the problem is shown next to.
    pub fn field(self) -> &'static str {
        match self {
            Self::KindUnknown => "kind",
            Self::OutcomeUnknown => "outcome",
            Self::RefusalReasonUnknown | Self::RefusalReasonRequired => "refusal_reason",
            Self::AppliedOnInvalid => "applied_on",
            Self::ReceiptOnInvalid | Self::ReceiptBeforeApplication => "receipt_on",
            Self::DecidedOnInvalid | Self::DecisionBeforeApplication | Self::DecisionDateRequired => "decided_on",
            Self::ExpiresOnInvalid | Self::ExpiryBeforeDecision => "expires_on",
        }
    }
}

/// An optional date: empty is none; anything else must be a real `YYYY-MM-DD`.
fn date(raw: &str, invalid: RightsProblem, problems: &mut Vec<RightsProblem>) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = Date::parse(raw);
    if parsed.is_none() {
        problems.push(invalid);
    }
    parsed
}

/// Both dates are known and `later` comes before `earlier`.
fn out_of_order(earlier: Option<Date>, later: Option<Date>) -> bool {
    matches!((earlier, later), (Some(e), Some(l)) if l < e)
}

impl Permit {
    /// Parses a posted permit, reporting every problem at once. When a
    /// permit is granted without an expiry, the expiry is the decision day
    /// plus the kind's default validity.
    pub fn parse(input: &PermitInput) -> Result<Permit, Vec<RightsProblem>> {
        use RightsProblem::*;
        let mut problems = vec![];
        let kind = PermitKind::parse(input.kind.trim());
        if kind.is_none() {
            problems.push(KindUnknown);
        }
        let outcome = Outcome::parse(input.outcome.trim());
        if outcome.is_none() {
            problems.push(OutcomeUnknown);
        }
        let reason_raw = input.refusal_reason.trim();
        let reason = RefusalReason::parse(reason_raw);
        if !reason_raw.is_empty() && reason.is_none() {
            problems.push(RefusalReasonUnknown);
        }
        let applied_on = date(&input.applied_on, AppliedOnInvalid, &mut problems);
        let receipt_on = date(&input.receipt_on, ReceiptOnInvalid, &mut problems);
        let decided_on = date(&input.decided_on, DecidedOnInvalid, &mut problems);
        let expires_on = date(&input.expires_on, ExpiresOnInvalid, &mut problems);
        if out_of_order(applied_on, receipt_on) {
            problems.push(ReceiptBeforeApplication);
        }
        if out_of_order(applied_on, decided_on) {
            problems.push(DecisionBeforeApplication);
        }
        if out_of_order(decided_on, expires_on) {
            problems.push(ExpiryBeforeDecision);
        }
        // An invalid date was already reported: "required" would say it twice.
        if outcome == Some(Outcome::Granted) && input.decided_on.trim().is_empty() {
            problems.push(DecisionDateRequired);
        }
        if outcome == Some(Outcome::Refused) && reason_raw.is_empty() {
            problems.push(RefusalReasonRequired);
        }
        let (Some(kind), Some(outcome), true) = (kind, outcome, problems.is_empty()) else {
            return Err(problems);
        };
        let default_expiry = || {
            let validity = kind.default_validity_days()?;
            decided_on.map(|d| d.plus_days(validity))
        };
        let expires_on = match (outcome, expires_on) {
            (Outcome::Granted, None) => default_expiry(),
            (_, typed) => typed,
        };
        Ok(Permit {
            kind,
            applied_on,
            receipt_on,
            decided_on,
            expires_on,
            outcome,
            refusal_reason: reason.filter(|_| outcome == Outcome::Refused),
        })
    }
}

/// The last day to ask for the renewal of a granted renewable permit:
/// `lead_days` before it expires. `None` for anything else.
pub fn renewal_due(permit: &Permit, lead_days: i64) -> Option<Date> {
    if permit.outcome != Outcome::Granted || !permit.kind.renewable() {
        return None;
    }
    permit.expires_on.map(|expiry| expiry.plus_days(-lead_days))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum DeadlineKind {
    /// Ask for the renewal by then.
    Renewal,
    /// The permit ends then and cannot be renewed: another basis is needed.
    Expiry,
}

impl DeadlineKind {
    pub const ALL: [Self; Self::COUNT] = [Self::Renewal, Self::Expiry];

    pub fn key(self) -> &'static str {
        match self {
            Self::Renewal => "renewal",
            Self::Expiry => "expiry",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// What a granted permit asks for next, and by when: its renewal if it is
/// renewable, otherwise its expiry. `None` when it is not granted or has
/// no expiry. A date already past is overdue, not skipped: without the
/// clock this function cannot tell, and the caller compares with today.
pub fn next_deadline(permit: &Permit, lead_days: i64) -> Option<(DeadlineKind, Date)> {
    if let Some(due) = renewal_due(permit, lead_days) {
        return Some((DeadlineKind::Renewal, due));
    }
    if permit.outcome != Outcome::Granted {
        return None;
    }
    permit.expires_on.map(|expiry| (DeadlineKind::Expiry, expiry))
}

/// Days from application to decision, for statistics on processing time;
/// `None` when either is unknown or they are out of order.
pub fn days_to_permit(applied_on: Option<Date>, decided_on: Option<Date>) -> Option<i64> {
    let days = decided_on?.to_days() - applied_on?.to_days();
    (days >= 0).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn input(kind: &str, outcome: &str) -> PermitInput {
        PermitInput {
            kind: kind.into(),
            outcome: outcome.into(),
            ..PermitInput::default()
        }
    }

    fn granted(kind: PermitKind, decided: &str, expires: Option<&str>) -> Permit {
        Permit {
            kind,
            applied_on: None,
            receipt_on: None,
            decided_on: Some(day(decided)),
            expires_on: expires.map(day),
            outcome: Outcome::Granted,
            refusal_reason: None,
        }
    }

    #[test]
    fn keys_round_trip() {
        for k in PermitKind::ALL {
            assert_eq!(PermitKind::parse(k.key()), Some(k));
            assert!(k.legal_basis().starts_with("CESEDA "));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.key()), Some(o));
        }
        for r in RefusalReason::ALL {
            assert_eq!(RefusalReason::parse(r.key()), Some(r));
        }
        for d in DeadlineKind::ALL {
            assert_eq!(DeadlineKind::parse(d.key()), Some(d));
        }
        for p in RightsProblem::ALL {
            assert_eq!(RightsProblem::parse(p.key()), Some(p));
            assert!(p.key().starts_with("rights-"));
        }
    }

    #[test]
    fn validity_follows_the_code() {
        use PermitKind::*;
        assert_eq!(ReflectionReceipt.default_validity_days(), Some(30));
        assert_eq!(TemporaryResidenceCard.default_validity_days(), Some(365));
        assert_eq!(ResidentCard.default_validity_days(), Some(3652));
        assert_eq!(ProvisionalStayPermit.default_validity_days(), Some(183));
        assert_eq!(Asylum.default_validity_days(), None);
        assert_eq!(HumanitarianStay.default_validity_days(), Some(365));
        let renewable: Vec<_> = PermitKind::ALL.into_iter().filter(|k| k.renewable()).collect();
        assert_eq!(renewable, [TemporaryResidenceCard, ProvisionalStayPermit]);
        assert_eq!(TemporaryResidenceCard.legal_basis(), "CESEDA L.425-1");
    }

    #[test]
    fn a_granted_permit_without_expiry_gets_the_default() {
        let form = PermitInput {
            applied_on: "2026-01-05".into(),
            receipt_on: "2026-01-05".into(),
            decided_on: " 2026-03-02 ".into(),
            refusal_reason: "other".into(),
            ..input("temporary-residence-card", "granted")
        };
        assert_eq!(
            Permit::parse(&form),
            Ok(Permit {
                kind: PermitKind::TemporaryResidenceCard,
                applied_on: Some(day("2026-01-05")),
                receipt_on: Some(day("2026-01-05")),
                decided_on: Some(day("2026-03-02")),
                expires_on: Some(day("2027-03-02")),
                outcome: Outcome::Granted,
                refusal_reason: None,
            })
        );
        // A typed expiry wins over the default.
        let typed = PermitInput {
            expires_on: "2027-02-28".into(),
            ..form
        };
        assert_eq!(Permit::parse(&typed).unwrap().expires_on, Some(day("2027-02-28")));
        // Asylum has no default term.
        let asylum = PermitInput {
            decided_on: "2026-03-02".into(),
            ..input("asylum", "granted")
        };
        assert_eq!(Permit::parse(&asylum).unwrap().expires_on, None);
    }

    #[test]
    fn a_pending_application_needs_no_decision() {
        let form = PermitInput {
            applied_on: "2026-01-05".into(),
            ..input("provisional-stay-permit", "pending")
        };
        let permit = Permit::parse(&form).unwrap();
        assert_eq!((permit.decided_on, permit.expires_on), (None, None));
        assert_eq!(next_deadline(&permit, RENEWAL_LEAD_DAYS), None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        use RightsProblem::*;
        assert_eq!(
            Permit::parse(&PermitInput::default()),
            Err(vec![KindUnknown, OutcomeUnknown])
        );
        let form = PermitInput {
            applied_on: "2026-02-01".into(),
            receipt_on: "2026-01-31".into(),
            decided_on: "2026-01-15".into(),
            expires_on: "2026-01-14".into(),
            ..input("resident-card", "refused")
        };
        assert_eq!(
            Permit::parse(&form),
            Err(vec![
                ReceiptBeforeApplication,
                DecisionBeforeApplication,
                ExpiryBeforeDecision,
                RefusalReasonRequired
            ])
        );
        let form = PermitInput {
            applied_on: "2026-02-30".into(),
            receipt_on: "yesterday".into(),
            decided_on: "02/03/2026".into(),
            expires_on: "2026-13-01".into(),
            refusal_reason: "mood".into(),
            ..input("visa", "granted")
        };
        assert_eq!(
            Permit::parse(&form),
            Err(vec![
                KindUnknown,
                RefusalReasonUnknown,
                AppliedOnInvalid,
                ReceiptOnInvalid,
                DecidedOnInvalid,
                ExpiresOnInvalid
            ])
        );
        assert_eq!(
            Permit::parse(&input("asylum", "granted")),
            Err(vec![DecisionDateRequired])
        );
    }

    #[test]
    fn a_refusal_keeps_its_reason() {
        let form = PermitInput {
            decided_on: "2026-04-01".into(),
            refusal_reason: "no-cooperation".into(),
            ..input("temporary-residence-card", "refused")
        };
        let permit = Permit::parse(&form).unwrap();
        assert_eq!(permit.refusal_reason, Some(RefusalReason::NoCooperation));
        assert_eq!(permit.expires_on, None);
        assert_eq!(next_deadline(&permit, RENEWAL_LEAD_DAYS), None);
    }

    #[test]
    fn renewable_permits_are_renewed_ahead_of_expiry() {
        let card = granted(PermitKind::TemporaryResidenceCard, "2026-03-02", Some("2027-03-02"));
        assert_eq!(renewal_due(&card, RENEWAL_LEAD_DAYS), Some(day("2027-01-01")));
        assert_eq!(
            next_deadline(&card, RENEWAL_LEAD_DAYS),
            Some((DeadlineKind::Renewal, day("2027-01-01")))
        );
        let resident = granted(PermitKind::ResidentCard, "2026-03-02", Some("2036-03-02"));
        assert_eq!(renewal_due(&resident, RENEWAL_LEAD_DAYS), None);
        assert_eq!(
            next_deadline(&resident, RENEWAL_LEAD_DAYS),
            Some((DeadlineKind::Expiry, day("2036-03-02")))
        );
        let asylum = granted(PermitKind::Asylum, "2026-03-02", None);
        assert_eq!(next_deadline(&asylum, RENEWAL_LEAD_DAYS), None);
        let pending = Permit {
            outcome: Outcome::Pending,
            ..card
        };
        assert_eq!(renewal_due(&pending, RENEWAL_LEAD_DAYS), None);
    }

    #[test]
    fn time_to_permit() {
        assert_eq!(
            days_to_permit(Some(day("2026-01-05")), Some(day("2026-03-02"))),
            Some(56)
        );
        assert_eq!(
            days_to_permit(Some(day("2026-01-05")), Some(day("2026-01-05"))),
            Some(0)
        );
        assert_eq!(days_to_permit(None, Some(day("2026-03-02"))), None);
        assert_eq!(days_to_permit(Some(day("2026-01-05")), None), None);
        assert_eq!(days_to_permit(Some(day("2026-03-02")), Some(day("2026-01-05"))), None);
    }

    proptest! {
        #[test]
        fn a_parsed_permit_keeps_its_dates_in_order(
            kind in 0..PermitKind::ALL.len(),
            outcome in 0..Outcome::ALL.len(),
            applied in proptest::option::of(0i64..400),
            receipt in proptest::option::of(0i64..400),
            decided in proptest::option::of(0i64..400),
            expires in proptest::option::of(0i64..4000),
            lead in 0i64..120,
        ) {
            let base = day("2026-01-01");
            let raw = |d: Option<i64>| d.map(|d| base.plus_days(d).to_string()).unwrap_or_default();
            let form = PermitInput {
                applied_on: raw(applied),
                receipt_on: raw(receipt),
                decided_on: raw(decided),
                expires_on: raw(expires),
                refusal_reason: "other".into(),
                ..input(PermitKind::ALL[kind].key(), Outcome::ALL[outcome].key())
            };
            let Ok(permit) = Permit::parse(&form) else { return Ok(()) };
            let ordered = |a: Option<Date>, b: Option<Date>| !out_of_order(a, b);
            prop_assert!(ordered(permit.applied_on, permit.receipt_on));
            prop_assert!(ordered(permit.applied_on, permit.decided_on));
            prop_assert!(ordered(permit.decided_on, permit.expires_on));
            if permit.outcome == Outcome::Granted {
                prop_assert!(permit.decided_on.is_some());
                let has_term = permit.kind.default_validity_days().is_some() || expires.is_some();
                prop_assert_eq!(permit.expires_on.is_some(), has_term);
            }
            if let Some((kind, due)) = next_deadline(&permit, lead) {
                let expiry = permit.expires_on.unwrap();
                prop_assert!(due <= expiry);
                prop_assert_eq!(kind == DeadlineKind::Renewal, permit.kind.renewable());
            }
        }
    }
}
