use super::*;
use crate::intake::catalogue::shipped;

fn delphi() -> Catalogue {
    shipped::latest(shipped::DELPHI_LABOUR).unwrap().parse().unwrap()
}

fn unodc() -> Catalogue {
    shipped::latest(shipped::UNODC).unwrap().parse().unwrap()
}

fn referral(age: &str, forms: &[&str], yes: &[&str]) -> ReferralDetails {
    let mut details = ReferralDetails {
        age: age.into(),
        forms: forms.iter().map(|f| (*f).to_owned()).collect(),
        ..ReferralDetails::default()
    };
    for key in yes {
        details.answers.insert((*key).to_owned(), Answer::Yes);
    }
    details
}

fn keys(groups: &[Group]) -> Vec<(String, Vec<String>)> {
    groups
        .iter()
        .map(|g| {
            (
                g.dimension.key.to_string(),
                g.entries.iter().map(|e| e.key.to_string()).collect(),
            )
        })
        .collect()
}

/// The defect of issue 16: debt bondage, a confiscated passport, isolation and forced clients.
const EIGHT_YES: [&str; 8] = [
    "coercive_recruitment/debt-bondage",
    "coercive_recruitment/confiscation-of-documents",
    "coercive_recruitment/isolation-confinement-surveillance",
    "coercion_at_destination/confiscation-of-documents",
    "coercion_at_destination/debt-bondage",
    "coercion_at_destination/isolation-confinement-surveillance",
    "coercion_at_destination/forced-tasks-or-clients",
    "unodc_sexual_exploitation/no-identity-document",
];

#[test]
fn sexual_exploitation_gets_no_verdict_and_the_yes_answers_by_dimension() {
    let details = referral("adult", &["sexual"], &EIGHT_YES);
    let result = screen(&details, &delphi(), Some(&unodc())).unwrap();
    assert_eq!(result.overall(), Overall::NotApplicable);
    assert_ne!(result.overall(), Overall::Insufficient);
    assert!(
        result.rule().is_none(),
        "the labour rule never scores sexual exploitation"
    );
    assert_eq!(result.without_rule(), [ExploitationForm::Sexual]);
    assert!(result.deciding().is_empty());
    assert_eq!(
        keys(result.observed()),
        [
            (
                "coercive_recruitment".to_owned(),
                vec![
                    "confiscation-of-documents".to_owned(),
                    "debt-bondage".to_owned(),
                    "isolation-confinement-surveillance".to_owned()
                ]
            ),
            (
                "coercion_at_destination".to_owned(),
                vec![
                    "confiscation-of-documents".to_owned(),
                    "debt-bondage".to_owned(),
                    "isolation-confinement-surveillance".to_owned(),
                    "forced-tasks-or-clients".to_owned()
                ]
            ),
            (
                "unodc_sexual_exploitation".to_owned(),
                vec!["no-identity-document".to_owned()]
            ),
        ]
    );
    // Labels to show in both languages, never keys.
    let first = &result.observed()[0].entries[0];
    assert_eq!(first.labels.en, "Confiscation of documents");
    assert!(!first.labels.fr.is_empty());
    assert_eq!(
        result.checklists().map(|(id, v)| (id.as_str(), v.get())),
        Some((shipped::UNODC, 1))
    );
}

#[test]
fn sexual_exploitation_asks_its_checklist_and_the_form_independent_dimensions() {
    let details = referral("adult", &["sexual"], &[]);
    let asked: Vec<String> = questions(&details, &delphi(), Some(&unodc()))
        .iter()
        .map(|g| g.dimension.key.to_string())
        .collect();
    assert_eq!(
        asked,
        [
            "deceptive_recruitment",
            "coercive_recruitment",
            "recruitment_abuse_of_vulnerability",
            "coercion_at_destination",
            "unodc_sexual_exploitation"
        ]
    );
    // Answers to the labour-only dimensions, given before the form was changed, are ignored.
    let details = referral(
        "adult",
        &["sexual"],
        &["exploitative_conditions/excessive-working-hours"],
    );
    let result = screen(&details, &delphi(), Some(&unodc())).unwrap();
    assert!(result.observed().is_empty());
}

#[test]
fn labour_is_screened_by_the_rule_as_before() {
    for forms in [&["labour"][..], &[]] {
        let details = referral("adult", forms, &[]);
        let result = screen(&details, &delphi(), Some(&unodc())).unwrap();
        assert_eq!(result.overall(), Overall::Insufficient);
        assert!(result.without_rule().is_empty());
        assert_eq!(questions(&details, &delphi(), Some(&unodc())).len(), 6);
        // Every undecided dimension is named with the questions that would decide it.
        let deciding = result.deciding();
        assert_eq!(deciding.len(), 6);
        assert!(deciding.iter().all(|g| !g.entries.is_empty()));
    }
}

#[test]
fn an_insufficient_labour_result_lists_the_deciding_questions() {
    let yes = [
        "deceptive_recruitment/deceived-nature-of-job",
        "deceptive_recruitment/deceived-wages",
        "coercion_at_destination/confiscation-of-documents",
        "coercion_at_destination/debt-bondage",
    ];
    let mut details = referral("adult", &["labour"], &yes);
    for key in [
        "exploitative_conditions/bad-living-conditions",
        "exploitative_conditions/hazardous-work",
        "exploitative_conditions/no-respect-of-labour-laws",
        "exploitative_conditions/no-social-protection",
        "exploitative_conditions/very-bad-working-conditions",
        "exploitative_conditions/wage-manipulation",
        "exploitative_conditions/no-access-to-education",
    ] {
        details.answers.insert(key.to_owned(), Answer::No);
    }
    let result = screen(&details, &delphi(), Some(&unodc())).unwrap();
    assert_eq!(result.overall(), Overall::Insufficient);
    // Only exploitation decides now: recruitment and destination are settled.
    assert_eq!(
        keys(result.deciding()),
        [(
            "exploitative_conditions".to_owned(),
            vec!["excessive-working-hours".to_owned(), "low-or-no-salary".to_owned()]
        )]
    );
    assert_eq!(
        result.deciding()[0].dimension.labels.en,
        "Exploitative conditions of work"
    );
}

#[test]
fn labour_and_sexual_keep_the_rule_and_say_the_officer_decides_for_the_rest() {
    let details = referral("adult", &["labour", "sexual"], &EIGHT_YES);
    let result = screen(&details, &delphi(), Some(&unodc())).unwrap();
    assert!(result.rule().is_some());
    assert_eq!(result.without_rule(), [ExploitationForm::Sexual]);
    assert_eq!(result.overall(), Overall::NotApplicable);
}

#[test]
fn a_child_is_asked_the_childrens_checklist_and_domestic_servitude_its_own() {
    let details = referral("minor", &["domestic-servitude"], &["unodc_children/no-education"]);
    let asked: Vec<String> = questions(&details, &delphi(), Some(&unodc()))
        .iter()
        .map(|g| g.dimension.key.to_string())
        .collect();
    assert_eq!(asked.len(), 8);
    assert_eq!(asked[6..], ["unodc_domestic_servitude", "unodc_children"]);
    let result = screen(&details, &delphi(), Some(&unodc())).unwrap();
    assert_eq!(result.rule().map(|r| r.set().as_str()), Some("child"));
    assert_eq!(
        keys(result.observed()),
        [("unodc_children".to_owned(), vec!["no-education".to_owned()])]
    );
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
    let overall = |d: &ReferralDetails| screen(d, &catalogue, None).unwrap().overall();
    assert_eq!(overall(&details), Overall::Presumption);
    details.forms = vec!["labour".into(), "sexual".into()];
    assert_eq!(overall(&details), Overall::Presumption, "a presumption stands");
    details.age = "adult".into();
    assert_ne!(overall(&details), Overall::Presumption);
}
