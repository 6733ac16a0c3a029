//! Closing a case (clôture): how support ended, as a code for statistics,
//! and a summary for whoever reopens or reviews the file.

use strum::EnumCount;
/// Longest closure summary, in characters.
pub const MAX_SUMMARY: usize = 4_000;
/// Shortest summary when the outcome is "other": there it is the explanation.
pub const MIN_OTHER_SUMMARY: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Outcome {
    /// Living independently in France (housing, income, status).
    Integrated,
    /// Returned to the country of origin with support (retour accompagné).
    ReturnedWithSupport,
    /// The person could no longer be reached.
    LostContact,
    Deceased,
    /// Explained in the summary.
    Other,
}

impl Outcome {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Integrated,
        Self::ReturnedWithSupport,
        Self::LostContact,
        Self::Deceased,
        Self::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Integrated => "integrated",
            Self::ReturnedWithSupport => "returned-with-support",
            Self::LostContact => "lost-contact",
            Self::Deceased => "deceased",
            Self::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// A checked closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub outcome: Outcome,
    /// Trimmed, never empty.
    pub summary: String,
}

/// What is wrong with a posted closure. [`Self::key`] is a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum ClosureProblem {
    /// Empty or not an [`Outcome`] key.
    OutcomeUnknown,
    SummaryRequired,
    SummaryTooLong,
    /// "Other" with fewer than [`MIN_OTHER_SUMMARY`] characters of explanation.
    ExplanationTooShort,
}

impl ClosureProblem {
    pub const ALL: [Self; Self::COUNT] = [
        Self::OutcomeUnknown,
        Self::SummaryRequired,
        Self::SummaryTooLong,
        Self::ExplanationTooShort,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::OutcomeUnknown => "closure-outcome-unknown",
            Self::SummaryRequired => "closure-summary-required",
            Self::SummaryTooLong => "closure-summary-too-long",
            Self::ExplanationTooShort => "closure-explanation-too-short",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

impl Closure {
    /// Parses the posted outcome and summary; the first problem found, the
    /// outcome first (what counts as too short depends on it).
    pub fn parse(outcome_key: &str, summary: &str) -> Result<Closure, ClosureProblem> {
        let outcome = Outcome::parse(outcome_key.trim()).ok_or(ClosureProblem::OutcomeUnknown)?;
        let summary = summary.trim();
        let length = summary.chars().count();
        if length == 0 {
            return Err(ClosureProblem::SummaryRequired);
        }
        if length > MAX_SUMMARY {
            return Err(ClosureProblem::SummaryTooLong);
        }
        if outcome == Outcome::Other && length < MIN_OTHER_SUMMARY {
            return Err(ClosureProblem::ExplanationTooShort);
        }
        Ok(Closure {
            outcome,
            summary: summary.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_round_trip() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.key()), Some(o));
        }
        for p in ClosureProblem::ALL {
            assert_eq!(ClosureProblem::parse(p.key()), Some(p));
            assert!(p.key().starts_with("closure-"));
        }
    }

    #[test]
    fn a_closure_has_an_outcome_and_a_summary() {
        assert_eq!(
            Closure::parse(" integrated ", "  Housed in Lyon, working.\n"),
            Ok(Closure {
                outcome: Outcome::Integrated,
                summary: "Housed in Lyon, working.".into()
            })
        );
        assert_eq!(
            Closure::parse("deceased", "Ok"),
            Ok(Closure {
                outcome: Outcome::Deceased,
                summary: "Ok".into()
            })
        );
        assert_eq!(Closure::parse("finished", "x"), Err(ClosureProblem::OutcomeUnknown));
        assert_eq!(Closure::parse("", ""), Err(ClosureProblem::OutcomeUnknown));
        assert_eq!(
            Closure::parse("lost-contact", " \n "),
            Err(ClosureProblem::SummaryRequired)
        );
    }

    #[test]
    fn limits_count_characters_after_trimming() {
        let longest = "é".repeat(MAX_SUMMARY);
        assert!(Closure::parse("integrated", &format!("  {longest}  ")).is_ok());
        assert_eq!(
            Closure::parse("integrated", &format!("{longest}e")),
            Err(ClosureProblem::SummaryTooLong)
        );
    }

    #[test]
    fn other_must_be_explained() {
        assert_eq!(
            Closure::parse("other", "Moved."),
            Err(ClosureProblem::ExplanationTooShort)
        );
        assert_eq!(
            Closure::parse("other", "   123456789   "),
            Err(ClosureProblem::ExplanationTooShort)
        );
        assert!(Closure::parse("other", "1234567890").is_ok());
        // The same short summary is enough when the outcome says it all.
        assert!(Closure::parse("lost-contact", "Moved.").is_ok());
    }

    proptest! {
        #[test]
        fn an_accepted_summary_is_trimmed_and_within_bounds(
            outcome in 0..Outcome::ALL.len(),
            summary in "\\PC{0,30}",
        ) {
            let outcome = Outcome::ALL[outcome];
            if let Ok(closure) = Closure::parse(outcome.key(), &summary) {
                prop_assert_eq!(closure.summary.as_str(), summary.trim());
                let length = closure.summary.chars().count();
                prop_assert!((1..=MAX_SUMMARY).contains(&length));
                prop_assert!(outcome != Outcome::Other || length >= MIN_OTHER_SUMMARY);
            } else {
                prop_assert!(summary.trim().chars().count() < MIN_OTHER_SUMMARY);
            }
        }
    }
}
