//! The public signalement: what a witness, an association or the person
//! themself may report without an account, its size limits, and the rate
//! limits that keep the form usable without letting it be flooded.
//!
//! The form has few fields and asks nothing about the reporter; it maps onto
//! [`ReferralDetails`] so that triage reads it like any other referral.

use super::{AgeStatus, ExploitationForm, ReferralDetails};
use crate::territory::Departement;
use strum::EnumCount;

/// Longest accepted description of what happened, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 5000;
/// Longest free-text place, in characters.
pub const MAX_PLACE_CHARS: usize = 300;
/// Longest "when", in characters.
pub const MAX_WHEN_CHARS: usize = 200;
/// Longest way to contact the reporter, in characters.
pub const MAX_CONTACT_CHARS: usize = 500;
/// Longest information added later through the follow-up page.
pub const MAX_COMPLEMENT_CHARS: usize = 5000;

/// At most `max` events per subject in `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_seconds: i64,
}

impl Limit {
    /// Whether one more event is allowed after `seen` in the current window.
    pub fn allows(self, seen: i64) -> bool {
        seen < self.max
    }

    /// The start of the window ending at `now` (events after it count).
    pub fn since(self, now: i64) -> i64 {
        now - self.window_seconds
    }
}

/// The rate limits of the public pages, counted in the database so that
/// every app process sees the same numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicLimits {
    /// Signalements submitted from one network address.
    pub submissions_per_address: Limit,
    /// Follow-up attempts (right or wrong) from one network address.
    pub follow_ups_per_address: Limit,
    /// Wrong passphrases for one follow-up code, from anywhere.
    pub failures_per_code: Limit,
}

impl Default for PublicLimits {
    fn default() -> Self {
        Self {
            submissions_per_address: Limit {
                max: 5,
                window_seconds: 60 * 60,
            },
            follow_ups_per_address: Limit {
                max: 20,
                window_seconds: 15 * 60,
            },
            failures_per_code: Limit {
                max: 5,
                window_seconds: 15 * 60,
            },
        }
    }
}

/// Whether the person may be a minor, as the reporter answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum PossiblyMinor {
    Yes,
    No,
    DontKnow,
}

impl PossiblyMinor {
    pub const ALL: [Self; Self::COUNT] = [Self::Yes, Self::No, Self::DontKnow];

    pub fn key(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::DontKnow => "unknown",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The age status recorded: a "don't know" records nothing, so triage
    /// decides (and the child rule applies only when the reporter said so).
    pub fn age(self) -> Option<AgeStatus> {
        match self {
            Self::Yes => Some(AgeStatus::Minor),
            Self::No => Some(AgeStatus::Adult),
            Self::DontKnow => None,
        }
    }
}

/// A signalement as typed on the public form. Values stay text so that a
/// refused form is shown back exactly as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicReport {
    /// What happened (required).
    pub description: String,
    /// A département code, or empty.
    pub departement: String,
    /// The place in the reporter's words.
    pub place: String,
    /// When, in the reporter's words.
    pub when: String,
    /// [`PossiblyMinor`] key, or empty.
    pub minor: String,
    /// [`ExploitationForm`] keys.
    pub forms: Vec<String>,
    /// Someone is in immediate danger.
    pub danger: bool,
    /// How the authority may contact the reporter, if it is safe.
    pub contact: String,
}

/// What is wrong with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong { max: usize },
    Unknown,
}

fn too_long(value: &str, max: usize) -> Option<Problem> {
    (value.chars().count() > max).then_some(Problem::TooLong { max })
}

impl PublicReport {
    /// Every problem, by field name (the form's input names).
    pub fn problems(&self) -> Vec<(&'static str, Problem)> {
        let mut problems = vec![];
        if self.description.trim().is_empty() {
            problems.push(("description", Problem::Required));
        }
        let lengths = [
            ("description", &self.description, MAX_DESCRIPTION_CHARS),
            ("place", &self.place, MAX_PLACE_CHARS),
            ("when", &self.when, MAX_WHEN_CHARS),
            ("contact", &self.contact, MAX_CONTACT_CHARS),
        ];
        for (field, value, max) in lengths {
            if let Some(p) = too_long(value, max) {
                problems.push((field, p));
            }
        }
        let departement = self.departement.trim();
        if !departement.is_empty() && Departement::parse(departement).is_none() {
            problems.push(("departement", Problem::Unknown));
        }
        if !self.minor.is_empty() && PossiblyMinor::parse(&self.minor).is_none() {
            problems.push(("minor", Problem::Unknown));
        }
        if self.forms.iter().any(|f| ExploitationForm::parse(f).is_none()) {
            problems.push(("forms", Problem::Unknown));
        }
        problems
    }

    /// The referral content triage reads. For a public signalement the
    /// contact is the reporter's, kept where a referral keeps the safe way
    /// to reach someone.
    pub fn to_details(&self) -> ReferralDetails {
        let age = PossiblyMinor::parse(&self.minor)
            .and_then(PossiblyMinor::age)
            .map(|a| a.key().to_owned())
            .unwrap_or_default();
        let mut forms: Vec<_> = self.forms.iter().filter_map(|f| ExploitationForm::parse(f)).collect();
        forms.sort();
        forms.dedup();
        ReferralDetails {
            circumstances: self.description.trim().to_owned(),
            departement: Departement::parse(&self.departement)
                .map(|d| d.code().to_owned())
                .unwrap_or_default(),
            places: self.place.trim().to_owned(),
            period_start: self.when.trim().to_owned(),
            age,
            forms: forms.into_iter().map(|f| f.key().to_owned()).collect(),
            need_safety: self.danger,
            safe_contact: self.contact.trim().to_owned(),
            ..ReferralDetails::default()
        }
    }
}

/// Checks information added later through the follow-up page.
pub fn complement_problem(text: &str) -> Option<Problem> {
    if text.trim().is_empty() {
        Some(Problem::Required)
    } else {
        too_long(text, MAX_COMPLEMENT_CHARS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> PublicReport {
        PublicReport {
            description: "Workers locked in at night".into(),
            departement: "2a".into(),
            place: "Farm".into(),
            when: "Last week".into(),
            minor: "yes".into(),
            forms: vec!["labour".into(), "labour".into()],
            danger: true,
            contact: String::new(),
        }
    }

    #[test]
    fn limits_count_within_their_window() {
        let l = PublicLimits::default().submissions_per_address;
        assert!(l.allows(4));
        assert!(!l.allows(5));
        assert_eq!(l.since(10_000), 10_000 - 3600);
        let d = PublicLimits::default();
        assert_eq!((d.follow_ups_per_address.max, d.failures_per_code.max), (20, 5));
    }

    #[test]
    fn only_the_description_is_required() {
        assert!(report().problems().is_empty());
        let minimal = PublicReport {
            description: "x".into(),
            ..PublicReport::default()
        };
        assert!(minimal.problems().is_empty());
        assert_eq!(
            PublicReport::default().problems(),
            vec![("description", Problem::Required)]
        );
    }

    #[test]
    fn sizes_and_closed_lists_are_checked() {
        let mut r = report();
        r.description = "é".repeat(MAX_DESCRIPTION_CHARS);
        assert!(r.problems().is_empty(), "characters, not bytes");
        r.description.push('x');
        r.departement = "20".into();
        r.minor = "maybe".into();
        r.forms.push("bogus".into());
        let fields: Vec<_> = r.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["description", "departement", "minor", "forms"]);
    }

    #[test]
    fn maps_onto_referral_details() {
        let d = report().to_details();
        assert_eq!(d.departement, "2A");
        assert_eq!(d.age, "minor");
        assert!(d.is_child() && d.urgent());
        assert_eq!(d.forms, vec!["labour"]);
        let mut unknown = report();
        unknown.minor = "unknown".into();
        assert_eq!(unknown.to_details().age, "");
        unknown.minor = "no".into();
        assert!(!unknown.to_details().is_child());
    }

    #[test]
    fn complements_are_bounded() {
        assert_eq!(complement_problem("  "), Some(Problem::Required));
        assert_eq!(complement_problem("ok"), None);
        let long = "x".repeat(MAX_COMPLEMENT_CHARS + 1);
        assert_eq!(
            complement_problem(&long),
            Some(Problem::TooLong {
                max: MAX_COMPLEMENT_CHARS
            })
        );
    }
}
