//! The screening of a referral: its indicator answers run through the
//! catalogue version the draft was started with (adult or child set).

use super::ReferralDetails;
use crate::intake::catalogue::{Catalogue, Entry};
use crate::intake::screening::{self, Answer, EntryRef, Observations, Screening, ScreeningError};

/// The catalogue set for this person: children need no "means".
pub fn set_key(details: &ReferralDetails) -> &'static str {
    if details.is_child() { "child" } else { "adult" }
}

/// Where an entry's answer is kept in [`ReferralDetails::answers`].
pub fn answer_key(entry: &Entry) -> String {
    match &entry.dimension {
        Some(dimension) => format!("{dimension}/{}", entry.key),
        None => entry.key.to_string(),
    }
}

/// Screens the referral's answers; answers to the other set's questions
/// (saved before the age was changed) are ignored.
pub fn screen(details: &ReferralDetails, catalogue: &Catalogue) -> Result<Screening, ScreeningError> {
    let set_key = set_key(details);
    let mut observations = Observations::new(details.act);
    if let Some(set) = catalogue.set(set_key) {
        for entry in &set.entries {
            let answer = details.answers.get(&answer_key(entry)).copied().unwrap_or_default();
            if answer != Answer::Unknown {
                observations.record(EntryRef::of(entry), answer)?;
            }
        }
    }
    screening::evaluate(catalogue, set_key, &observations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::catalogue::shipped;
    use crate::intake::screening::Overall;

    fn delphi() -> Catalogue {
        let file = shipped::ALL
            .iter()
            .find(|f| f.id == "ilo-ec-delphi-2009-labour")
            .unwrap();
        Catalogue::parse(file.text).unwrap()
    }

    #[test]
    fn an_empty_adult_referral_is_insufficient() {
        let details = ReferralDetails {
            age: "adult".into(),
            ..ReferralDetails::default()
        };
        assert_eq!(screen(&details, &delphi()).unwrap().overall(), Overall::Insufficient);
    }

    #[test]
    fn a_child_with_the_act_and_exploitative_conditions_is_a_presumption() {
        let catalogue = delphi();
        let set = catalogue.set("child").unwrap();
        let mut details = ReferralDetails {
            age: "minor".into(),
            act: Answer::Yes,
            ..ReferralDetails::default()
        };
        for entry in set
            .entries
            .iter()
            .filter(|e| e.dimension.as_ref().map(|d| d.as_str()) == Some("exploitative_conditions"))
        {
            details.answers.insert(answer_key(entry), Answer::Yes);
        }
        assert_eq!(screen(&details, &catalogue).unwrap().overall(), Overall::Presumption);
        details.age = "adult".into();
        assert_ne!(screen(&details, &catalogue).unwrap().overall(), Overall::Presumption);
    }
}
