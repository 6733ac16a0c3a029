//! The screening of a referral. The questions follow the declared forms of exploitation
//! (docs/adr/0034-screening-follows-the-declared-forms.md): the Delphi labour rule scores labour
//! exploitation only; a form that no validated rule scores (sexual exploitation today) gets its
//! UNODC checklist and the Delphi dimensions that do not depend on the form, and the result says
//! that the identification officer decides — never "insufficient information", which would read
//! as a verdict on the referrer's answers. A child is also asked the children's checklist.

use std::num::NonZeroU32;

use super::{ExploitationForm, ReferralDetails};
use crate::intake::catalogue::{Catalogue, Dimension, Entry, Key};
use crate::intake::screening::{self, Answer, EntryRef, Observations, Overall, Screening, ScreeningError};

/// The Delphi dimensions that do not depend on the form of exploitation: recruitment and
/// coercion (shared/reference/indicators.md, "When a form of exploitation has no validated
/// scoring rule").
pub const FORM_INDEPENDENT: [&str; 4] = [
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
    "coercion_at_destination",
];

/// The checklist set every child is asked.
const CHILDREN: &str = "children";

/// The Delphi catalogue set for this person: children need no "means".
pub fn set_key(details: &ReferralDetails) -> &'static str {
    if details.is_child() { "child" } else { "adult" }
}

/// Where an entry's answer is kept in [`ReferralDetails::answers`]. Checklist groups never
/// share a key with a Delphi dimension, so one map holds both.
pub fn answer_key(entry: &Entry) -> String {
    match &entry.dimension {
        Some(dimension) => format!("{dimension}/{}", entry.key),
        None => entry.key.to_string(),
    }
}

/// Whether the Delphi labour rule scores this form. Domestic servitude is forced domestic
/// work, which the labour set's indicators describe.
fn has_rule(form: ExploitationForm) -> bool {
    matches!(form, ExploitationForm::Labour | ExploitationForm::DomesticServitude)
}

/// The UNODC checklist set of a form, when one is shipped.
fn checklist_of(form: ExploitationForm) -> Option<&'static str> {
    match form {
        ExploitationForm::Sexual => Some("sexual_exploitation"),
        ExploitationForm::DomesticServitude => Some("domestic_servitude"),
        _ => None,
    }
}

/// What a referral is asked, from its declared forms and the person's age.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The Delphi set (`adult` or `child`).
    pub set: &'static str,
    /// Whether the Delphi rule applies (all six dimensions are asked); otherwise only the
    /// [`FORM_INDEPENDENT`] dimensions are.
    pub rule: bool,
    /// The declared forms no validated rule scores.
    pub without_rule: Vec<ExploitationForm>,
    /// The checklist sets asked, in the order shown.
    pub checklists: Vec<&'static str>,
}

pub fn plan(details: &ReferralDetails) -> Plan {
    let forms = details.forms();
    let mut checklists: Vec<&'static str> = forms.iter().filter_map(|f| checklist_of(*f)).collect();
    if details.is_child() {
        checklists.push(CHILDREN);
    }
    Plan {
        set: set_key(details),
        // Nothing declared yet: screened as labour, as before the questions followed the forms.
        rule: forms.is_empty() || forms.iter().any(|f| has_rule(*f)),
        without_rule: forms.into_iter().filter(|f| !has_rule(*f)).collect(),
        checklists,
    }
}

/// Questions under one Delphi dimension or checklist group, in catalogue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub dimension: Dimension,
    pub entries: Vec<Entry>,
}

/// The questions this referral is asked: the Delphi dimensions of its [`Plan`], then its
/// checklists (when the checklist catalogue is available).
pub fn questions(details: &ReferralDetails, delphi: &Catalogue, checklists: Option<&Catalogue>) -> Vec<Group> {
    let plan = plan(details);
    let mut groups = Vec::new();
    if let Some(set) = delphi.set(plan.set) {
        let asked = delphi
            .dimensions()
            .iter()
            .filter(|d| plan.rule || FORM_INDEPENDENT.contains(&d.key.as_str()));
        groups.extend(grouped(asked, &set.entries));
    }
    if let Some(catalogue) = checklists {
        for set in plan.checklists.iter().filter_map(|key| catalogue.set(key)) {
            groups.extend(grouped(catalogue.dimensions().iter(), &set.entries));
        }
    }
    groups
}

fn grouped<'a>(dimensions: impl Iterator<Item = &'a Dimension>, entries: &'a [Entry]) -> impl Iterator<Item = Group> {
    dimensions
        .map(|d| Group {
            dimension: d.clone(),
            entries: entries
                .iter()
                .filter(|e| e.dimension.as_ref() == Some(&d.key))
                .cloned()
                .collect(),
        })
        .filter(|g| !g.entries.is_empty())
}

/// A referral's screening: the Delphi rule's result where a declared form has one, and what
/// was observed for the officer to weigh where none has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralScreening {
    rule: Option<Screening>,
    without_rule: Vec<ExploitationForm>,
    observed: Vec<Group>,
    deciding: Vec<Group>,
    checklists: Option<(Key, NonZeroU32)>,
}

impl ReferralScreening {
    /// The Delphi labour rule's result, when it applies.
    pub fn rule(&self) -> Option<&Screening> {
        self.rule.as_ref()
    }

    /// The declared forms for which no automated presumption exists: the officer decides.
    pub fn without_rule(&self) -> &[ExploitationForm] {
        &self.without_rule
    }

    /// Every indicator answered yes among the questions asked, grouped by dimension.
    pub fn observed(&self) -> &[Group] {
        &self.observed
    }

    /// When the rule's result is insufficient: the dimensions that lack information, each with
    /// the questions whose "yes" could decide it.
    pub fn deciding(&self) -> &[Group] {
        &self.deciding
    }

    /// The checklist catalogue version used, if any.
    pub fn checklists(&self) -> Option<&(Key, NonZeroU32)> {
        self.checklists.as_ref()
    }

    /// The one value kept in the queue: a presumption under the rule stands whatever else is
    /// declared; with a form that no rule scores, no automated result exists
    /// ([`Overall::NotApplicable`]), never "insufficient".
    pub fn overall(&self) -> Overall {
        match &self.rule {
            Some(rule) if rule.overall() == Overall::Presumption => Overall::Presumption,
            _ if !self.without_rule.is_empty() => Overall::NotApplicable,
            Some(rule) => rule.overall(),
            None => Overall::NotApplicable,
        }
    }
}

/// Screens the referral's answers to the questions it is asked; answers to questions no longer
/// asked (saved before the age or the forms were changed) are ignored.
pub fn screen(
    details: &ReferralDetails,
    delphi: &Catalogue,
    checklists: Option<&Catalogue>,
) -> Result<ReferralScreening, ScreeningError> {
    let plan = plan(details);
    let answer = |entry: &Entry| details.answers.get(&answer_key(entry)).copied().unwrap_or_default();
    let rule = if plan.rule {
        let mut observations = Observations::new(details.act);
        if let Some(set) = delphi.set(plan.set) {
            for entry in set.entries.iter().filter(|e| answer(e) != Answer::Unknown) {
                observations.record(EntryRef::of(entry), answer(entry))?;
            }
        }
        Some(screening::evaluate(delphi, plan.set, &observations)?)
    } else {
        None
    };
    let observed = questions(details, delphi, checklists)
        .into_iter()
        .map(|g| Group {
            entries: g.entries.into_iter().filter(|e| answer(e) == Answer::Yes).collect(),
            dimension: g.dimension,
        })
        .filter(|g| !g.entries.is_empty())
        .collect();
    let deciding = match (&rule, delphi.set(plan.set)) {
        (Some(rule), Some(set)) => rule
            .deciding()
            .filter_map(|outcome| {
                Some(Group {
                    dimension: delphi.dimension(outcome.dimension.as_str())?.clone(),
                    entries: outcome
                        .could_tip
                        .iter()
                        .filter_map(|key| set.entry(Some(&outcome.dimension), key).cloned())
                        .collect(),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(ReferralScreening {
        rule,
        without_rule: plan.without_rule,
        observed,
        deciding,
        checklists: checklists.map(|c| (c.id().clone(), c.version())),
    })
}

#[cfg(test)]
#[path = "screen_tests.rs"]
mod tests;
