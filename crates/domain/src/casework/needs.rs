//! Needs assessment of a supported person (évaluation des besoins). A case
//! is assessed again as things change; the plan follows the latest
//! assessment only, so a need met since drops out of it.
//!
//! Assistance never depends on cooperation with the authorities (Warsaw
//! Convention art. 12(6)): nothing here asks about a complaint.

use strum::EnumCount;
/// Longest label of who acts on a need, in characters.
pub const MAX_ACTOR: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum NeedKind {
    /// Safety and risk of reprisal.
    Safety,
    /// Accommodation (hébergement); its [`AccommodationType`] says which.
    Accommodation,
    Medical,
    Psychological,
    /// Sexual and reproductive health.
    SexualHealth,
    /// Legal aid and a lawyer (aide juridictionnelle, avocat).
    LegalAid,
    Interpreter,
    /// Residence status (droit au séjour): see [`crate::rights`].
    ResidenceStatus,
    /// Income and material help.
    Income,
    /// Education and training.
    Education,
    /// Children and other dependants.
    Dependants,
    /// Voluntary return to the country of origin, with a risk assessment.
    VoluntaryReturn,
}

impl NeedKind {
    /// Also the order of a plan within one urgency.
    pub const ALL: [Self; Self::COUNT] = [
        Self::Safety,
        Self::Accommodation,
        Self::Medical,
        Self::Psychological,
        Self::SexualHealth,
        Self::LegalAid,
        Self::Interpreter,
        Self::ResidenceStatus,
        Self::Income,
        Self::Education,
        Self::Dependants,
        Self::VoluntaryReturn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Safety => "safety",
            Self::Accommodation => "accommodation",
            Self::Medical => "medical",
            Self::Psychological => "psychological",
            Self::SexualHealth => "sexual-health",
            Self::LegalAid => "legal-aid",
            Self::Interpreter => "interpreter",
            Self::ResidenceStatus => "residence-status",
            Self::Income => "income",
            Self::Education => "education",
            Self::Dependants => "dependants",
            Self::VoluntaryReturn => "voluntary-return",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Who may read this need: the same written policy as case-file notes.
    /// Medical, psychological and sexual-health needs are health
    /// information (GDPR art. 9), hidden from law enforcement.
    pub fn sensitivity(self) -> crate::casework::case_file::Sensitivity {
        use crate::casework::case_file::Sensitivity;
        match self {
            Self::Medical | Self::Psychological | Self::SexualHealth => Sensitivity::Health,
            Self::Safety => Sensitivity::Safety,
            _ => Sensitivity::General,
        }
    }

    /// Position in [`Self::ALL`], for sorting.
    fn rank(self) -> usize {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(Self::ALL.len())
    }
}

/// The kind of accommodation needed; meaningful only for [`NeedKind::Accommodation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum AccommodationType {
    /// Emergency shelter (hébergement d'urgence).
    Emergency,
    /// A shelter specialised in victims of trafficking.
    Specialised,
    /// Secure accommodation far from the exploiters (éloignement géographique,
    /// the Ac.Sé scheme, CESEDA R.425-8).
    SecureDistant,
}

impl AccommodationType {
    pub const ALL: [Self; Self::COUNT] = [Self::Emergency, Self::Specialised, Self::SecureDistant];

    pub fn key(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Specialised => "specialised",
            Self::SecureDistant => "secure-distant",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// How soon a need must be acted on. Ordered most pressing first, so that
/// sorting puts `Immediate` at the top of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumCount)]
pub enum Urgency {
    Immediate,
    High,
    Normal,
}

impl Urgency {
    pub const ALL: [Self; Self::COUNT] = [Self::Immediate, Self::High, Self::Normal];

    pub fn key(self) -> &'static str {
        match self {
            Self::Immediate => "immediate",
            Self::High => "high",
            Self::Normal => "normal",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.key() == key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum NeedStatus {
    /// Being worked on.
    Open,
    Met,
    /// Could not be met, with an [`UnmetReason`].
    Unmet,
}

impl NeedStatus {
    pub const ALL: [Self; Self::COUNT] = [Self::Open, Self::Met, Self::Unmet];

    pub fn key(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Met => "met",
            Self::Unmet => "unmet",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Why a need is unmet: codes, so that gaps in provision can be counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum UnmetReason {
    NoPlace,
    NotEligible,
    DeclinedByPerson,
    WaitingList,
    Other,
}

impl UnmetReason {
    pub const ALL: [Self; Self::COUNT] = [
        Self::NoPlace,
        Self::NotEligible,
        Self::DeclinedByPerson,
        Self::WaitingList,
        Self::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::NoPlace => "no-place",
            Self::NotEligible => "not-eligible",
            Self::DeclinedByPerson => "declined-by-person",
            Self::WaitingList => "waiting-list",
            Self::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// The assessed risk of a voluntary return (reprisals, re-trafficking);
/// meaningful only for [`NeedKind::VoluntaryReturn`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum ReturnRisk {
    Low,
    Medium,
    High,
}

impl ReturnRisk {
    pub const ALL: [Self; Self::COUNT] = [Self::Low, Self::Medium, Self::High];

    pub fn key(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// One assessed need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub kind: NeedKind,
    pub urgency: Urgency,
    pub status: NeedStatus,
    /// Set exactly when `status` is unmet.
    pub unmet_reason: Option<UnmetReason>,
    /// Set exactly when `kind` is accommodation.
    pub accommodation: Option<AccommodationType>,
    /// Set exactly when `kind` is voluntary return.
    pub return_risk: Option<ReturnRisk>,
    /// Who acts on it: a free label such as an organisation's name; may be empty.
    pub actor: String,
}

/// The posted fields of one need, as typed (keys, or empty for none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedInput {
    pub kind: String,
    pub urgency: String,
    pub status: String,
    pub unmet_reason: String,
    pub accommodation: String,
    pub return_risk: String,
    pub actor: String,
}

/// What is wrong with a posted need. [`Self::key`] is a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum NeedProblem {
    /// Empty or not a [`NeedKind`] key.
    KindUnknown,
    /// Empty or not an [`Urgency`] key.
    UrgencyUnknown,
    /// Empty or not a [`NeedStatus`] key.
    StatusUnknown,
    UnmetReasonUnknown,
    AccommodationUnknown,
    ReturnRiskUnknown,
    UnmetReasonRequired,
    AccommodationRequired,
    ReturnRiskRequired,
    ActorTooLong,
}

impl NeedProblem {
    pub const ALL: [Self; Self::COUNT] = [
        Self::KindUnknown,
        Self::UrgencyUnknown,
        Self::StatusUnknown,
        Self::UnmetReasonUnknown,
        Self::AccommodationUnknown,
        Self::ReturnRiskUnknown,
        Self::UnmetReasonRequired,
        Self::AccommodationRequired,
        Self::ReturnRiskRequired,
        Self::ActorTooLong,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::KindUnknown => "need-kind-unknown",
            Self::UrgencyUnknown => "need-urgency-unknown",
            Self::StatusUnknown => "need-status-unknown",
            Self::UnmetReasonUnknown => "need-unmet-reason-unknown",
            Self::AccommodationUnknown => "need-accommodation-unknown",
            Self::ReturnRiskUnknown => "need-return-risk-unknown",
            Self::UnmetReasonRequired => "need-unmet-reason-required",
            Self::AccommodationRequired => "need-accommodation-required",
            Self::ReturnRiskRequired => "need-return-risk-required",
            Self::ActorTooLong => "need-actor-too-long",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The [`NeedInput`] field the problem is shown next to.
    pub fn field(self) -> &'static str {
        match self {
            Self::KindUnknown => "kind",
            Self::UrgencyUnknown => "urgency",
            Self::StatusUnknown => "status",
            Self::UnmetReasonUnknown | Self::UnmetReasonRequired => "unmet_reason",
            Self::AccommodationUnknown | Self::AccommodationRequired => "accommodation",
            Self::ReturnRiskUnknown | Self::ReturnRiskRequired => "return_risk",
            Self::ActorTooLong => "actor",
        }
    }
}

/// An optional choice: empty is none, anything else must be a key.
fn optional<T>(
    raw: &str,
    parse: fn(&str) -> Option<T>,
    unknown: NeedProblem,
    problems: &mut Vec<NeedProblem>,
) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = parse(raw);
    if parsed.is_none() {
        problems.push(unknown);
    }
    parsed
}

/// A required choice: empty or unknown is the same problem.
fn required<T>(
    raw: &str,
    parse: fn(&str) -> Option<T>,
    unknown: NeedProblem,
    problems: &mut Vec<NeedProblem>,
) -> Option<T> {
    let parsed = parse(raw.trim());
    if parsed.is_none() {
        problems.push(unknown);
    }
    parsed
}

impl Need {
    /// Parses a posted need, reporting every problem at once. Details that
    /// do not apply (a reason on a need that is not unmet, a type on a need
    /// that is not accommodation) are dropped rather than refused: a form
    /// without script posts every select, whatever the kind chosen.
    pub fn parse(form: &NeedInput) -> Result<Need, Vec<NeedProblem>> {
        use NeedProblem::*;
        let mut problems = vec![];
        let kind = required(&form.kind, NeedKind::parse, KindUnknown, &mut problems);
        let urgency = required(&form.urgency, Urgency::parse, UrgencyUnknown, &mut problems);
        let status = required(&form.status, NeedStatus::parse, StatusUnknown, &mut problems);
        let reason = optional(
            &form.unmet_reason,
            UnmetReason::parse,
            UnmetReasonUnknown,
            &mut problems,
        );
        let accommodation = optional(
            &form.accommodation,
            AccommodationType::parse,
            AccommodationUnknown,
            &mut problems,
        );
        let risk = optional(&form.return_risk, ReturnRisk::parse, ReturnRiskUnknown, &mut problems);
        // An unknown value was already reported: "required" would say it twice.
        let blank = |raw: &str| raw.trim().is_empty();
        if status == Some(NeedStatus::Unmet) && blank(&form.unmet_reason) {
            problems.push(UnmetReasonRequired);
        }
        if kind == Some(NeedKind::Accommodation) && blank(&form.accommodation) {
            problems.push(AccommodationRequired);
        }
        if kind == Some(NeedKind::VoluntaryReturn) && blank(&form.return_risk) {
            problems.push(ReturnRiskRequired);
        }
        let actor = form.actor.trim();
        if actor.chars().count() > MAX_ACTOR {
            problems.push(ActorTooLong);
        }
        match (kind, urgency, status) {
            (Some(kind), Some(urgency), Some(status)) if problems.is_empty() => Ok(Need {
                kind,
                urgency,
                status,
                unmet_reason: reason.filter(|_| status == NeedStatus::Unmet),
                accommodation: accommodation.filter(|_| kind == NeedKind::Accommodation),
                return_risk: risk.filter(|_| kind == NeedKind::VoluntaryReturn),
                actor: actor.to_owned(),
            }),
            _ => Err(problems),
        }
    }
}

/// The needs recorded at one assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// The day of the assessment, as [`crate::time::Date::to_days`].
    pub at_days: i64,
    pub needs: Vec<Need>,
}

/// One line of the case plan (plan d'accompagnement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItem {
    pub kind: NeedKind,
    pub urgency: Urgency,
    pub status: NeedStatus,
    pub accommodation: Option<AccommodationType>,
    pub actor: String,
}

/// The latest of `assessments` that satisfies `keep`. Two on the same day:
/// the one recorded later in the slice wins (it corrects the other).
fn latest(assessments: &[Assessment], keep: impl Fn(&Assessment) -> bool) -> Option<&Assessment> {
    assessments.iter().filter(|a| keep(a)).max_by_key(|a| a.at_days)
}

/// The case plan: the open and unmet needs of the latest assessment, most
/// urgent first, then in [`NeedKind::ALL`] order. Unmet needs stay in the
/// plan because someone still has to look for another way to meet them.
pub fn plan(assessments: &[Assessment]) -> Vec<PlanItem> {
    let Some(assessment) = latest(assessments, |_| true) else {
        return vec![];
    };
    let mut items: Vec<PlanItem> = assessment
        .needs
        .iter()
        .filter(|n| n.status != NeedStatus::Met)
        .map(|n| PlanItem {
            kind: n.kind,
            urgency: n.urgency,
            status: n.status,
            accommodation: n.accommodation,
            actor: n.actor.clone(),
        })
        .collect();
    items.sort_by_key(|i| (i.urgency, i.kind.rank()));
    items
}

/// Whether accommodation was found, for equal-access statistics: `None`
/// when no assessment ever recorded an accommodation need; otherwise
/// whether every accommodation need of the latest assessment that has one
/// is met (emergency shelter found while a specialised place is still
/// missing is not "met").
pub fn accommodation_met(assessments: &[Assessment]) -> Option<bool> {
    let is_accommodation = |n: &Need| n.kind == NeedKind::Accommodation;
    let assessment = latest(assessments, |a| a.needs.iter().any(is_accommodation))?;
    Some(
        assessment
            .needs
            .iter()
            .filter(|n| is_accommodation(n))
            .all(|n| n.status == NeedStatus::Met),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(kind: &str, urgency: &str, status: &str) -> NeedInput {
        NeedInput {
            kind: kind.into(),
            urgency: urgency.into(),
            status: status.into(),
            ..NeedInput::default()
        }
    }

    fn need(kind: NeedKind, urgency: Urgency, status: NeedStatus) -> Need {
        Need {
            kind,
            urgency,
            status,
            unmet_reason: (status == NeedStatus::Unmet).then_some(UnmetReason::NoPlace),
            accommodation: (kind == NeedKind::Accommodation).then_some(AccommodationType::Emergency),
            return_risk: (kind == NeedKind::VoluntaryReturn).then_some(ReturnRisk::Low),
            actor: String::new(),
        }
    }

    #[test]
    fn health_needs_follow_the_health_notes_policy() {
        use crate::access::role::Role;
        use crate::casework::case_file::{Sensitivity, readable};
        let police = readable(&[Role::FirstResponder]);
        let hidden: Vec<_> = NeedKind::ALL
            .into_iter()
            .filter(|k| !police.contains(&k.sensitivity()))
            .collect();
        assert_eq!(
            hidden,
            [NeedKind::Medical, NeedKind::Psychological, NeedKind::SexualHealth]
        );
        assert!(hidden.iter().all(|k| k.sensitivity() == Sensitivity::Health));
        let support = readable(&[Role::SupportWorker]);
        assert!(NeedKind::ALL.iter().all(|k| support.contains(&k.sensitivity())));
    }

    #[test]
    fn keys_round_trip() {
        for k in NeedKind::ALL {
            assert_eq!(NeedKind::parse(k.key()), Some(k));
        }
        for a in AccommodationType::ALL {
            assert_eq!(AccommodationType::parse(a.key()), Some(a));
        }
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.key()), Some(u));
        }
        for s in NeedStatus::ALL {
            assert_eq!(NeedStatus::parse(s.key()), Some(s));
        }
        for r in UnmetReason::ALL {
            assert_eq!(UnmetReason::parse(r.key()), Some(r));
        }
        for r in ReturnRisk::ALL {
            assert_eq!(ReturnRisk::parse(r.key()), Some(r));
        }
        for p in NeedProblem::ALL {
            assert_eq!(NeedProblem::parse(p.key()), Some(p));
            assert!(p.key().starts_with("need-"));
        }
        assert_eq!(NeedKind::parse("Safety"), None);
    }

    #[test]
    fn urgency_orders_immediate_first() {
        let mut all = [Urgency::Normal, Urgency::Immediate, Urgency::High];
        all.sort();
        assert_eq!(all, Urgency::ALL);
    }

    #[test]
    fn a_valid_need_is_trimmed_and_keeps_only_what_applies() {
        let form = NeedInput {
            unmet_reason: "waiting-list".into(),
            accommodation: "specialised".into(),
            return_risk: "high".into(),
            actor: "  Amicale du Nid  ".into(),
            ..input(" medical ", "high", "open")
        };
        assert_eq!(
            Need::parse(&form),
            Ok(Need {
                kind: NeedKind::Medical,
                urgency: Urgency::High,
                status: NeedStatus::Open,
                unmet_reason: None,
                accommodation: None,
                return_risk: None,
                actor: "Amicale du Nid".into(),
            })
        );
        let form = NeedInput {
            unmet_reason: "no-place".into(),
            accommodation: "secure-distant".into(),
            ..input("accommodation", "immediate", "unmet")
        };
        let parsed = Need::parse(&form).unwrap();
        assert_eq!(parsed.unmet_reason, Some(UnmetReason::NoPlace));
        assert_eq!(parsed.accommodation, Some(AccommodationType::SecureDistant));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        assert_eq!(
            Need::parse(&NeedInput::default()),
            Err(vec![
                NeedProblem::KindUnknown,
                NeedProblem::UrgencyUnknown,
                NeedProblem::StatusUnknown
            ])
        );
        let form = NeedInput {
            actor: "x".repeat(MAX_ACTOR + 1),
            ..input("accommodation", "soon", "unmet")
        };
        assert_eq!(
            Need::parse(&form),
            Err(vec![
                NeedProblem::UrgencyUnknown,
                NeedProblem::UnmetReasonRequired,
                NeedProblem::AccommodationRequired,
                NeedProblem::ActorTooLong,
            ])
        );
        let form = input("voluntary-return", "normal", "open");
        assert_eq!(Need::parse(&form), Err(vec![NeedProblem::ReturnRiskRequired]));
    }

    #[test]
    fn an_unknown_detail_is_reported_once_even_where_it_is_required() {
        let form = NeedInput {
            unmet_reason: "bad-luck".into(),
            ..input("income", "normal", "unmet")
        };
        assert_eq!(Need::parse(&form), Err(vec![NeedProblem::UnmetReasonUnknown]));
        // Unknown keys are refused even in a field that does not apply.
        let form = NeedInput {
            return_risk: "extreme".into(),
            ..input("income", "normal", "open")
        };
        assert_eq!(Need::parse(&form), Err(vec![NeedProblem::ReturnRiskUnknown]));
    }

    #[test]
    fn the_actor_limit_counts_characters_not_bytes() {
        let form = NeedInput {
            actor: "é".repeat(MAX_ACTOR),
            ..input("interpreter", "normal", "open")
        };
        assert!(Need::parse(&form).is_ok());
    }

    #[test]
    fn the_plan_follows_the_latest_assessment() {
        use NeedKind::*;
        use NeedStatus::*;
        use Urgency::*;
        let first = Assessment {
            at_days: 100,
            needs: vec![need(Safety, Immediate, Open), need(Medical, High, Open)],
        };
        let later = Assessment {
            at_days: 130,
            needs: vec![
                need(Income, Normal, Open),
                need(Safety, Immediate, Met),
                need(Accommodation, High, Unmet),
                need(Medical, High, Open),
                need(LegalAid, Immediate, Open),
            ],
        };
        let kinds = |items: Vec<PlanItem>| items.into_iter().map(|i| (i.kind, i.urgency)).collect::<Vec<_>>();
        // Order of the slice does not matter, the day does.
        assert_eq!(
            kinds(plan(&[later.clone(), first.clone()])),
            vec![
                (LegalAid, Immediate),
                (Accommodation, High),
                (Medical, High),
                (Income, Normal)
            ]
        );
        assert_eq!(plan(std::slice::from_ref(&first)).len(), 2);
        assert!(plan(&[]).is_empty());
        let item = &plan(&[first, later])[1];
        assert_eq!(
            (item.status, item.accommodation),
            (Unmet, Some(AccommodationType::Emergency))
        );
    }

    #[test]
    fn a_correction_on_the_same_day_wins() {
        let first = Assessment {
            at_days: 5,
            needs: vec![need(NeedKind::Medical, Urgency::High, NeedStatus::Open)],
        };
        let correction = Assessment {
            at_days: 5,
            needs: vec![need(NeedKind::Medical, Urgency::High, NeedStatus::Met)],
        };
        assert!(plan(&[first, correction]).is_empty());
    }

    #[test]
    fn accommodation_met_looks_at_the_latest_assessment_that_has_it() {
        use NeedKind::*;
        use NeedStatus::*;
        use Urgency::*;
        let at = |at_days, needs| Assessment { at_days, needs };
        assert_eq!(accommodation_met(&[]), None);
        assert_eq!(accommodation_met(&[at(1, vec![need(Medical, High, Open)])]), None);
        let history = [
            at(1, vec![need(Accommodation, Immediate, Open)]),
            at(9, vec![need(Accommodation, Immediate, Met)]),
            // A later assessment without accommodation does not erase it.
            at(20, vec![need(Income, Normal, Open)]),
        ];
        assert_eq!(accommodation_met(&history), Some(true));
        let partly = at(
            30,
            vec![need(Accommodation, Immediate, Met), need(Accommodation, High, Unmet)],
        );
        assert_eq!(accommodation_met(&[history[1].clone(), partly]), Some(false));
    }

    fn arbitrary_need() -> impl Strategy<Value = Need> {
        (0..NeedKind::ALL.len(), 0..Urgency::ALL.len(), 0..NeedStatus::ALL.len())
            .prop_map(|(k, u, s)| need(NeedKind::ALL[k], Urgency::ALL[u], NeedStatus::ALL[s]))
    }

    proptest! {
        #[test]
        fn a_plan_is_the_latest_unmet_or_open_needs_in_order(
            history in proptest::collection::vec(
                (0i64..10, proptest::collection::vec(arbitrary_need(), 0..8)),
                0..5,
            ),
        ) {
            let assessments: Vec<Assessment> =
                history.into_iter().map(|(at_days, needs)| Assessment { at_days, needs }).collect();
            let items = plan(&assessments);
            let latest_day = assessments.iter().map(|a| a.at_days).max();
            let latest = assessments.iter().rev().find(|a| Some(a.at_days) == latest_day);
            let expected = latest.map_or(0, |a| a.needs.iter().filter(|n| n.status != NeedStatus::Met).count());
            prop_assert_eq!(items.len(), expected);
            prop_assert!(items.iter().all(|i| i.status != NeedStatus::Met));
            prop_assert!(items.windows(2).all(|w| (w[0].urgency, w[0].kind.rank()) <= (w[1].urgency, w[1].kind.rank())));
        }

        #[test]
        fn parse_never_accepts_an_incomplete_need(
            kind in 0..NeedKind::ALL.len(),
            status in 0..NeedStatus::ALL.len(),
            reason in proptest::option::of(0..UnmetReason::ALL.len()),
            accommodation in proptest::option::of(0..AccommodationType::ALL.len()),
            risk in proptest::option::of(0..ReturnRisk::ALL.len()),
        ) {
            let form = NeedInput {
                unmet_reason: reason.map_or("", |r| UnmetReason::ALL[r].key()).into(),
                accommodation: accommodation.map_or("", |a| AccommodationType::ALL[a].key()).into(),
                return_risk: risk.map_or("", |r| ReturnRisk::ALL[r].key()).into(),
                ..input(NeedKind::ALL[kind].key(), "normal", NeedStatus::ALL[status].key())
            };
            if let Ok(need) = Need::parse(&form) {
                prop_assert_eq!(need.unmet_reason.is_some(), need.status == NeedStatus::Unmet);
                prop_assert_eq!(need.accommodation.is_some(), need.kind == NeedKind::Accommodation);
                prop_assert_eq!(need.return_risk.is_some(), need.kind == NeedKind::VoluntaryReturn);
            }
        }
    }
}
