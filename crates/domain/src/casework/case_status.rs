//! The identification workflow of a case (issue 4, part 1): referred →
//! preliminary identification ("reasonable grounds") → reflection and
//! recovery period (CESEDA R.425-2: 30 days by default) → formal
//! identification → support → closed.
//!
//! [`TRANSITIONS`] is the whole table; [`apply`] adds the guards that
//! depend on time and people: no formal decision before the period ends
//! unless the person asks, and a negative decision takes effect only when
//! a second decision-maker confirms it (when the policy says so).
//! Identification never depends on a complaint: nothing here asks for one.

use crate::time::Date;
use strum::EnumCount;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Status {
    /// Waiting for the preliminary decision.
    Referred,
    /// Preliminary decision deferred: more information needed.
    InformationRequested,
    /// No reasonable grounds.
    NegativePreliminary,
    /// Reasonable grounds: the reflection and recovery period runs.
    Reflection,
    /// Formally identified as a victim.
    Identified,
    NotIdentified,
    InsufficientEvidence,
    /// Supported by an organisation (needs, accommodation, rights).
    Support,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Event {
    PreliminaryPositive,
    PreliminaryNegative,
    PreliminaryMoreInformation,
    InformationReceived,
    /// The person asks for the formal decision before the period ends.
    RequestEarlyFormalDecision,
    FormalPositive,
    FormalNegative,
    FormalInsufficientEvidence,
    /// A second decision-maker confirms a proposed negative decision.
    ConfirmDecision,
    /// A second decision-maker does not confirm it: the proposal is dropped.
    OverruleDecision,
    StartSupport,
    Close,
    /// Asked by the referrer or the support organisation.
    RequestReconsideration,
    WithdrawConsent,
    /// The case moves to another département's authority; the stage does not change.
    Transfer,
    /// A closed case is taken up again: back to support (whatever the stage
    /// it was closed from, since reopening is about helping the person again;
    /// a negative decision is challenged by reconsideration, not by this).
    /// The closing event stays in the timeline.
    Reopen,
}

impl Status {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Referred,
        Self::InformationRequested,
        Self::NegativePreliminary,
        Self::Reflection,
        Self::Identified,
        Self::NotIdentified,
        Self::InsufficientEvidence,
        Self::Support,
        Self::Closed,
    ];

    /// The stored key (`referred` is what triage writes when it opens a case).
    pub fn key(self) -> &'static str {
        match self {
            Self::Referred => "referred",
            Self::InformationRequested => "information-requested",
            Self::NegativePreliminary => "negative-preliminary",
            Self::Reflection => "reflection",
            Self::Identified => "identified",
            Self::NotIdentified => "not-identified",
            Self::InsufficientEvidence => "insufficient-evidence",
            Self::Support => "support",
            Self::Closed => "closed",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl Event {
    pub const ALL: [Self; Self::COUNT] = [
        Self::PreliminaryPositive,
        Self::PreliminaryNegative,
        Self::PreliminaryMoreInformation,
        Self::InformationReceived,
        Self::RequestEarlyFormalDecision,
        Self::FormalPositive,
        Self::FormalNegative,
        Self::FormalInsufficientEvidence,
        Self::ConfirmDecision,
        Self::OverruleDecision,
        Self::StartSupport,
        Self::Close,
        Self::RequestReconsideration,
        Self::WithdrawConsent,
        Self::Transfer,
        Self::Reopen,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::PreliminaryPositive => "preliminary-positive",
            Self::PreliminaryNegative => "preliminary-negative",
            Self::PreliminaryMoreInformation => "preliminary-more-information",
            Self::InformationReceived => "information-received",
            Self::RequestEarlyFormalDecision => "request-early-formal-decision",
            Self::FormalPositive => "formal-positive",
            Self::FormalNegative => "formal-negative",
            Self::FormalInsufficientEvidence => "formal-insufficient-evidence",
            Self::ConfirmDecision => "confirm-decision",
            Self::OverruleDecision => "overrule-decision",
            Self::StartSupport => "start-support",
            Self::Close => "close",
            Self::RequestReconsideration => "request-reconsideration",
            Self::WithdrawConsent => "withdraw-consent",
            Self::Transfer => "transfer",
            Self::Reopen => "reopen",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.key() == key)
    }

    /// A decision whose letter the person receives.
    pub fn is_decision(self) -> bool {
        is_negative(self) || matches!(self, Self::PreliminaryPositive | Self::FormalPositive)
    }
}

/// The reasons a decision-maker can state, as codes (translated on screen
/// and in letters, so that no free text travels with a decision's grounds).
pub const REASONS: [&str; 6] = [
    "indicators",
    "person-account",
    "third-party-information",
    "documents",
    "insufficient-information",
    "other",
];

/// The events `actor` can perform now (what the decision page offers): the
/// table's events that [`apply`] accepts today, so that a formal decision
/// is not offered while the reflection period runs, nor a confirmation to
/// the person who proposed the decision.
pub fn possible(case: &Case, actor: &str, today: Date, policy: &Policy) -> Vec<Event> {
    Event::ALL
        .into_iter()
        .filter(|e| apply(case, *e, actor, today, policy).is_ok())
        .collect()
}

/// `None` as the source means "any stage but closed".
pub const TRANSITIONS: &[(Option<Status>, Event, Target)] = {
    use Event::*;
    use Status::*;
    use Target::{Same, To};
    &[
        (Some(Referred), PreliminaryPositive, To(Reflection)),
        (Some(Referred), PreliminaryNegative, To(NegativePreliminary)),
        (Some(Referred), PreliminaryMoreInformation, To(InformationRequested)),
        (Some(InformationRequested), InformationReceived, To(Referred)),
        (Some(InformationRequested), PreliminaryPositive, To(Reflection)),
        (Some(InformationRequested), PreliminaryNegative, To(NegativePreliminary)),
        (Some(Reflection), RequestEarlyFormalDecision, Same),
        (Some(Reflection), FormalPositive, To(Identified)),
        (Some(Reflection), FormalNegative, To(NotIdentified)),
        (Some(Reflection), FormalInsufficientEvidence, To(InsufficientEvidence)),
        (Some(Identified), StartSupport, To(Support)),
        (Some(NegativePreliminary), RequestReconsideration, To(Referred)),
        (Some(NotIdentified), RequestReconsideration, To(Reflection)),
        (Some(InsufficientEvidence), RequestReconsideration, To(Reflection)),
        (Some(NegativePreliminary), Close, To(Closed)),
        (Some(NotIdentified), Close, To(Closed)),
        (Some(InsufficientEvidence), Close, To(Closed)),
        (Some(Support), Close, To(Closed)),
        (None, WithdrawConsent, To(Closed)),
        (None, Transfer, Same),
        (Some(Closed), Reopen, To(Support)),
    ]
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    To(Status),
    Same,
}

/// A negative decision waiting for its second decision-maker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub event: Event,
    pub proposed_by: String,
}

/// Where a case stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub status: Status,
    /// The last day of the reflection period, once it started.
    pub reflection_ends: Option<Date>,
    pub early_formal_requested: bool,
    pub pending: Option<Proposal>,
}

impl Case {
    pub fn referred() -> Self {
        Self {
            status: Status::Referred,
            reflection_ends: None,
            early_formal_requested: false,
            pending: None,
        }
    }
}

/// Configurable rules (defaults: 30-day period, four eyes on negatives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub reflection_days: i64,
    pub second_decision_for_negatives: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            reflection_days: 30,
            second_decision_for_negatives: true,
        }
    }
}

/// Why a transition was refused, in words a decision-maker can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("`{event:?}` is not possible at stage `{from:?}`")]
    NotFrom { from: Status, event: Event },
    #[error("the reflection period runs until {ends}: no formal decision before, unless the person asks")]
    ReflectionPeriodRunning { ends: Date },
    #[error("a negative decision is waiting for a second decision-maker")]
    AwaitingSecondDecision,
    #[error("nothing is waiting for a second decision")]
    NothingToConfirm,
    #[error("the second decision-maker must be someone else than the one who proposed")]
    SameDecisionMaker,
}

fn is_negative(event: Event) -> bool {
    matches!(
        event,
        Event::PreliminaryNegative | Event::FormalNegative | Event::FormalInsufficientEvidence
    )
}

fn is_formal(event: Event) -> bool {
    matches!(
        event,
        Event::FormalPositive | Event::FormalNegative | Event::FormalInsufficientEvidence
    )
}

/// The stage `event` leads to from `from`, per the table.
pub fn target(from: Status, event: Event) -> Result<Status, Refused> {
    TRANSITIONS
        .iter()
        .find(|(source, e, _)| *e == event && source.map_or(from != Status::Closed, |s| s == from))
        .map(|(_, _, target)| match target {
            Target::To(to) => *to,
            Target::Same => from,
        })
        .ok_or(Refused::NotFrom { from, event })
}

/// Applies `event` by `actor` on `today`, or says why it cannot happen.
pub fn apply(case: &Case, event: Event, actor: &str, today: Date, policy: &Policy) -> Result<Case, Refused> {
    if let Some(proposal) = &case.pending {
        return match event {
            Event::ConfirmDecision if proposal.proposed_by == actor => Err(Refused::SameDecisionMaker),
            Event::ConfirmDecision => {
                let mut next = case.clone();
                next.status = target(case.status, proposal.event)?;
                next.pending = None;
                Ok(next)
            }
            Event::OverruleDecision => Ok(Case {
                pending: None,
                ..case.clone()
            }),
            Event::WithdrawConsent | Event::Transfer => {
                let mut next = case.clone();
                next.status = target(case.status, event)?;
                if next.status == Status::Closed {
                    next.pending = None;
                }
                Ok(next)
            }
            _ => Err(Refused::AwaitingSecondDecision),
        };
    }
    if matches!(event, Event::ConfirmDecision | Event::OverruleDecision) {
        return Err(Refused::NothingToConfirm);
    }
    let to = target(case.status, event)?;
    if is_formal(event)
        && !case.early_formal_requested
        && let Some(ends) = case.reflection_ends
        && today <= ends
    {
        return Err(Refused::ReflectionPeriodRunning { ends });
    }
    let mut next = case.clone();
    if is_negative(event) && policy.second_decision_for_negatives {
        next.pending = Some(Proposal {
            event,
            proposed_by: actor.to_owned(),
        });
        return Ok(next);
    }
    match event {
        Event::PreliminaryPositive => {
            next.reflection_ends = Some(today.plus_days(policy.reflection_days));
            next.early_formal_requested = false;
        }
        Event::RequestEarlyFormalDecision => next.early_formal_requested = true,
        _ => {}
    }
    next.status = to;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Event::*;
    use proptest::prelude::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_path_to_support_waits_for_the_period() {
        let policy = Policy::default();
        let start = day("2026-01-05");
        let case = apply(&Case::referred(), PreliminaryPositive, "a", start, &policy).unwrap();
        assert_eq!(case.status, Status::Reflection);
        assert_eq!(case.reflection_ends, Some(day("2026-02-04")));
        assert_eq!(
            apply(&case, FormalPositive, "a", day("2026-02-04"), &policy),
            Err(Refused::ReflectionPeriodRunning {
                ends: day("2026-02-04")
            })
        );
        let case = apply(&case, FormalPositive, "a", day("2026-02-05"), &policy).unwrap();
        let case = apply(&case, StartSupport, "a", day("2026-02-05"), &policy).unwrap();
        let case = apply(&case, Close, "a", day("2026-06-01"), &policy).unwrap();
        assert_eq!(case.status, Status::Closed);
        assert!(apply(&case, Transfer, "a", day("2026-06-01"), &policy).is_err());
    }

    #[test]
    fn the_person_may_ask_for_an_early_decision() {
        let policy = Policy::default();
        let case = apply(&Case::referred(), PreliminaryPositive, "a", day("2026-01-05"), &policy).unwrap();
        let case = apply(&case, RequestEarlyFormalDecision, "a", day("2026-01-06"), &policy).unwrap();
        let case = apply(&case, FormalPositive, "a", day("2026-01-07"), &policy).unwrap();
        assert_eq!(case.status, Status::Identified);
    }

    #[test]
    fn negatives_need_someone_else_to_confirm() {
        let policy = Policy::default();
        let case = apply(&Case::referred(), PreliminaryNegative, "a", day("2026-01-05"), &policy).unwrap();
        assert_eq!(case.status, Status::Referred);
        assert!(case.pending.is_some());
        assert_eq!(
            apply(&case, ConfirmDecision, "a", day("2026-01-05"), &policy),
            Err(Refused::SameDecisionMaker)
        );
        assert_eq!(
            apply(&case, PreliminaryPositive, "b", day("2026-01-05"), &policy),
            Err(Refused::AwaitingSecondDecision)
        );
        let overruled = apply(&case, OverruleDecision, "b", day("2026-01-05"), &policy).unwrap();
        assert_eq!((overruled.status, overruled.pending), (Status::Referred, None));
        let confirmed = apply(&case, ConfirmDecision, "b", day("2026-01-05"), &policy).unwrap();
        assert_eq!(confirmed.status, Status::NegativePreliminary);
        let reconsidered = apply(&confirmed, RequestReconsideration, "c", day("2026-02-01"), &policy).unwrap();
        assert_eq!(reconsidered.status, Status::Referred);
    }

    #[test]
    fn without_four_eyes_a_negative_is_immediate() {
        let policy = Policy {
            second_decision_for_negatives: false,
            ..Policy::default()
        };
        let case = apply(&Case::referred(), PreliminaryNegative, "a", day("2026-01-05"), &policy).unwrap();
        assert_eq!(case.status, Status::NegativePreliminary);
    }

    #[test]
    fn keys_round_trip_and_possible_events_follow_the_table() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(s));
        }
        for e in Event::ALL {
            assert_eq!(Event::parse(e.key()), Some(e));
        }
        assert_eq!(
            possible(&Case::referred(), "a", day("2026-01-05"), &Policy::default()),
            vec![
                PreliminaryPositive,
                PreliminaryNegative,
                PreliminaryMoreInformation,
                WithdrawConsent,
                Transfer
            ]
        );
    }

    #[test]
    fn the_page_offers_no_early_formal_decision_and_no_self_confirmation() {
        let policy = Policy::default();
        let reflecting = apply(&Case::referred(), PreliminaryPositive, "a", day("2026-01-05"), &policy).unwrap();
        let ends = reflecting.reflection_ends.unwrap();
        assert!(!possible(&reflecting, "a", ends, &policy).contains(&FormalNegative));
        let after = ends.plus_days(1);
        assert!(possible(&reflecting, "a", after, &policy).contains(&FormalNegative));
        let proposed = apply(&reflecting, FormalNegative, "a", after, &policy).unwrap();
        assert!(!possible(&proposed, "a", after, &policy).contains(&ConfirmDecision));
        assert!(possible(&proposed, "b", after, &policy).contains(&ConfirmDecision));
    }

    #[test]
    fn a_closed_case_reopens_into_support_and_only_a_closed_one() {
        let policy = Policy::default();
        let today = day("2026-06-01");
        let mut case = Case::referred();
        case.status = Status::Support;
        assert_eq!(
            apply(&case, Reopen, "a", today, &policy),
            Err(Refused::NotFrom {
                from: Status::Support,
                event: Reopen
            })
        );
        let closed = apply(&case, Close, "a", today, &policy).unwrap();
        assert_eq!(closed.status, Status::Closed);
        assert_eq!(possible(&closed, "a", today, &policy), vec![Reopen]);
        let reopened = apply(&closed, Reopen, "b", today, &policy).unwrap();
        assert_eq!(reopened.status, Status::Support);
        assert!(apply(&reopened, Close, "b", today, &policy).is_ok());
        // A case closed at another stage (consent withdrawn) also reopens into support.
        let withdrawn = apply(&Case::referred(), WithdrawConsent, "a", today, &policy).unwrap();
        assert_eq!(
            apply(&withdrawn, Reopen, "a", today, &policy).unwrap().status,
            Status::Support
        );
    }

    #[test]
    fn impossible_transitions_say_why() {
        let err = apply(
            &Case::referred(),
            FormalPositive,
            "a",
            day("2026-01-05"),
            &Policy::default(),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "`FormalPositive` is not possible at stage `Referred`");
    }

    proptest! {
        #[test]
        fn no_formal_decision_before_the_period_ends_and_no_negative_without_a_second_person(
            steps in proptest::collection::vec((0usize..16, 0usize..3, 0i64..20), 1..60),
            four_eyes in any::<bool>(),
        ) {
            let policy = Policy { reflection_days: 30, second_decision_for_negatives: four_eyes };
            let actors = ["a", "b", "c"];
            let mut today = day("2026-01-05");
            let mut case = Case::referred();
            for (event, actor, days) in steps {
                today = today.plus_days(days);
                let event = Event::ALL[event];
                let Ok(next) = apply(&case, event, actors[actor], today, &policy) else { continue };
                let formal_outcome = matches!(next.status, Status::Identified | Status::NotIdentified | Status::InsufficientEvidence);
                if formal_outcome && case.status == Status::Reflection {
                    let ends = case.reflection_ends.unwrap();
                    prop_assert!(today > ends || case.early_formal_requested, "formal decision on {today} before {ends}");
                }
                let negative_outcome = matches!(next.status, Status::NegativePreliminary | Status::NotIdentified | Status::InsufficientEvidence);
                if four_eyes && negative_outcome && next.status != case.status {
                    let proposal = case.pending.clone();
                    prop_assert_eq!(event, ConfirmDecision);
                    prop_assert!(proposal.is_some_and(|p| p.proposed_by != actors[actor]));
                }
                case = next;
            }
        }
    }
}
