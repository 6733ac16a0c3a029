//! What a decision-maker states with a transition of the identification
//! workflow (issue 12): a decision gives at least one reason from the closed
//! list, a negative one also explains itself in words (the person's letter
//! and a reconsideration rest on it), and a transfer names where the case
//! goes. [`Statement::new`] is the only way to build one from what was
//! posted, so no layer records a decision without its grounds.

use crate::casework::case_status::{Event, REASONS};
use crate::casework::closure::Closure;
use crate::ids::OrganisationId;
use crate::intake::referral::steps::MAX_TEXT;
use crate::territory::Departement;

/// What was posted with a transition, not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// Codes from [`REASONS`]; any other code is dropped.
    pub reasons: Vec<String>,
    pub note: String,
    pub transfer_to: Option<Departement>,
    pub transfer_organisation: Option<OrganisationId>,
}

/// What is wrong with a draft for its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// A decision with no reason from the list.
    Reasons,
    /// A negative decision with no explanation.
    Note,
    /// An explanation longer than [`MAX_TEXT`] characters.
    NoteTooLong,
    /// A transfer that names neither a département nor an organisation.
    Transfer,
}

impl Problem {
    /// The form field the problem belongs to.
    pub fn field(self) -> &'static str {
        match self {
            Self::Reasons => "reasons",
            Self::Note | Self::NoteTooLong => "note",
            Self::Transfer => "transfer_to",
        }
    }
}

/// A transition with what its rules require: only [`Statement::new`],
/// [`Statement::closure`] and [`Statement::bare`] build one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    event: Event,
    reasons: Vec<String>,
    note: String,
    transfer_to: Option<Departement>,
    transfer_organisation: Option<OrganisationId>,
}

impl Statement {
    /// Checks `draft` against the rules of `event`, returning every problem.
    /// The transfer's destination is kept only for a transfer.
    pub fn new(event: Event, draft: &Draft) -> Result<Self, Vec<Problem>> {
        let reasons: Vec<String> = draft
            .reasons
            .iter()
            .filter(|r| REASONS.contains(&r.as_str()))
            .cloned()
            .collect();
        let note = draft.note.trim();
        let transfer = event == Event::Transfer;
        let mut problems = Vec::new();
        if event.is_decision() && reasons.is_empty() {
            problems.push(Problem::Reasons);
        }
        if is_negative(event) && note.is_empty() {
            problems.push(Problem::Note);
        }
        if note.chars().count() > MAX_TEXT {
            problems.push(Problem::NoteTooLong);
        }
        if transfer && draft.transfer_to.is_none() && draft.transfer_organisation.is_none() {
            problems.push(Problem::Transfer);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            event,
            reasons,
            note: note.to_owned(),
            transfer_to: draft.transfer_to.filter(|_| transfer),
            transfer_organisation: draft.transfer_organisation.clone().filter(|_| transfer),
        })
    }

    /// A closure: its only reason is its outcome code, its note the summary.
    pub fn closure(closure: &Closure) -> Self {
        Self {
            reasons: vec![closure.outcome.key().to_owned()],
            note: closure.summary.clone(),
            ..Self::bare(Event::Close)
        }
    }

    /// An event that states nothing (reopening a case).
    pub fn bare(event: Event) -> Self {
        Self {
            event,
            reasons: Vec::new(),
            note: String::new(),
            transfer_to: None,
            transfer_organisation: None,
        }
    }

    pub fn event(&self) -> Event {
        self.event
    }

    pub fn reasons(&self) -> &[String] {
        &self.reasons
    }

    /// Trimmed; empty when nothing was said.
    pub fn note(&self) -> &str {
        &self.note
    }

    /// For a transfer: the département whose authority takes the case over.
    pub fn transfer_to(&self) -> Option<Departement> {
        self.transfer_to
    }

    /// For a transfer: the organisation that becomes the case's lead.
    pub fn transfer_organisation(&self) -> Option<&OrganisationId> {
        self.transfer_organisation.as_ref()
    }
}

fn is_negative(event: Event) -> bool {
    matches!(
        event,
        Event::PreliminaryNegative | Event::FormalNegative | Event::FormalInsufficientEvidence
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::closure::Outcome;

    fn draft(reasons: &[&str], note: &str) -> Draft {
        Draft {
            reasons: reasons.iter().map(|r| (*r).to_owned()).collect(),
            note: note.to_owned(),
            ..Draft::default()
        }
    }

    #[test]
    fn a_negative_decision_needs_reasons_and_an_explanation() {
        assert_eq!(
            Statement::new(Event::FormalNegative, &draft(&[], " ")),
            Err(vec![Problem::Reasons, Problem::Note])
        );
        assert_eq!(
            Statement::new(Event::PreliminaryNegative, &draft(&["indicators"], "")),
            Err(vec![Problem::Note])
        );
        assert_eq!(
            Statement::new(Event::FormalInsufficientEvidence, &draft(&[], "Récit contradictoire")),
            Err(vec![Problem::Reasons])
        );
        let ok = Statement::new(Event::FormalNegative, &draft(&["documents"], "  Récit contradictoire ")).unwrap();
        assert_eq!(ok.event(), Event::FormalNegative);
        assert_eq!(ok.reasons(), ["documents"]);
        assert_eq!(ok.note(), "Récit contradictoire");
    }

    #[test]
    fn a_positive_decision_needs_a_listed_reason_but_no_explanation() {
        // A code outside the list is dropped, so it does not count as a reason.
        assert_eq!(
            Statement::new(Event::PreliminaryPositive, &draft(&["made-up"], "")),
            Err(vec![Problem::Reasons])
        );
        let ok = Statement::new(Event::FormalPositive, &draft(&["made-up", "person-account"], "")).unwrap();
        assert_eq!(ok.reasons(), ["person-account"]);
        // Other events state nothing required.
        assert!(Statement::new(Event::StartSupport, &Draft::default()).is_ok());
        assert!(Statement::new(Event::ConfirmDecision, &Draft::default()).is_ok());
    }

    #[test]
    fn an_explanation_has_a_maximum_length() {
        let long = "x".repeat(MAX_TEXT + 1);
        assert_eq!(
            Statement::new(Event::PreliminaryNegative, &draft(&["other"], &long)),
            Err(vec![Problem::NoteTooLong])
        );
        assert!(Statement::new(Event::PreliminaryNegative, &draft(&["other"], &"é".repeat(MAX_TEXT))).is_ok());
    }

    #[test]
    fn a_transfer_names_its_destination_which_only_a_transfer_keeps() {
        assert_eq!(
            Statement::new(Event::Transfer, &Draft::default()),
            Err(vec![Problem::Transfer])
        );
        let to = Departement::parse("57");
        let posted = Draft {
            transfer_to: to,
            ..Draft::default()
        };
        assert_eq!(Statement::new(Event::Transfer, &posted).unwrap().transfer_to(), to);
        let organisation = OrganisationId::parse("0123456789abcdef0123456789abcdef");
        assert!(organisation.is_some());
        let posted = Draft {
            transfer_organisation: organisation.clone(),
            ..Draft::default()
        };
        assert_eq!(
            Statement::new(Event::Transfer, &posted)
                .unwrap()
                .transfer_organisation(),
            organisation.as_ref()
        );
        let elsewhere = Statement::new(Event::StartSupport, &posted).unwrap();
        assert_eq!(elsewhere.transfer_organisation(), None);
        assert_eq!(Problem::Transfer.field(), "transfer_to");
    }

    #[test]
    fn a_closure_states_its_outcome_and_summary() {
        let closure = Closure {
            outcome: Outcome::ALL[0],
            summary: "Relogée, suivi terminé".to_owned(),
        };
        let statement = Statement::closure(&closure);
        assert_eq!(statement.event(), Event::Close);
        assert_eq!(statement.reasons(), [Outcome::ALL[0].key()]);
        assert_eq!(statement.note(), "Relogée, suivi terminé");
        assert_eq!(Statement::bare(Event::Reopen).reasons(), [] as [String; 0]);
    }
}
