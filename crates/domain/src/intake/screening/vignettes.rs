//! Screening vignettes on the shipped ILO/EC Delphi labour catalogue: every clause of the
//! threshold and every branch of the adult and child combination rules.

use super::{
    Answer, DimensionResult, NOTICE_EN, NOTICE_FR, Observations, Overall, Screening, ScreeningError, evaluate,
    find_by_label,
};
use crate::intake::catalogue::{Catalogue, shipped};

use Answer::{No, Unknown, Yes};
use DimensionResult::{Insufficient, NotPositive, Positive};

const DECEPTIVE: &str = "deceptive_recruitment";
const COERCIVE: &str = "coercive_recruitment";
const VULNERABILITY: &str = "recruitment_abuse_of_vulnerability";
const EXPLOITATION: &str = "exploitative_conditions";
const COERCION: &str = "coercion_at_destination";
const ABUSE: &str = "abuse_of_vulnerability_at_destination";

fn delphi() -> Catalogue {
    shipped::latest("ilo-ec-delphi-2009-labour").unwrap().parse().unwrap()
}

/// Screens with every indicator of the set answered `rest`, except those listed.
fn screen(set: &str, act: Answer, rest: Answer, answers: &[(&str, &str, Answer)]) -> Screening {
    let catalogue = delphi();
    let indicators = catalogue.set(set).unwrap();
    let mut observations = Observations::new(act);
    let listed: Vec<_> = answers
        .iter()
        .map(|(dimension, label, answer)| {
            (
                find_by_label(&catalogue, indicators, Some(dimension), label).unwrap(),
                *answer,
            )
        })
        .collect();
    for entry in &indicators.entries {
        let entry = super::EntryRef::of(entry);
        let answer = listed.iter().find(|(e, _)| *e == entry).map_or(rest, |(_, a)| *a);
        observations.record(entry, answer).unwrap();
    }
    evaluate(&catalogue, set, &observations).unwrap()
}

/// (result, clause, indicators) of one dimension.
fn outcome(screening: &Screening, dimension: &str) -> (DimensionResult, Option<String>, Vec<String>) {
    let outcome = screening.dimension(dimension).unwrap();
    (
        outcome.result,
        outcome.clause.as_ref().map(ToString::to_string),
        outcome.indicators.iter().map(ToString::to_string).collect(),
    )
}

fn positive(clause: &str, indicators: &[&str]) -> (DimensionResult, Option<String>, Vec<String>) {
    (
        Positive,
        Some(clause.to_owned()),
        indicators.iter().map(|i| (*i).to_owned()).collect(),
    )
}

// Adult recruitment, exploitation and destination answers that make each dimension positive.
const ADULT_DECEPTIVE: [(&str, &str, Answer); 2] = [
    (
        DECEPTIVE,
        "Deceived about the nature of the job, location or employer",
        Yes,
    ),
    (DECEPTIVE, "Deceived about wages/earnings", Yes),
];
const ADULT_COERCIVE: [(&str, &str, Answer); 2] =
    [(COERCIVE, "Violence on victims", Yes), (COERCIVE, "Debt bondage", Yes)];
const ADULT_VULNERABILITY: [(&str, &str, Answer); 3] = [
    (VULNERABILITY, "Abuse of illegal status", Yes),
    (VULNERABILITY, "Economic reasons", Yes),
    (VULNERABILITY, "Difficulty to organize the travel", Yes),
];
const EXPLOITED: [(&str, &str, Answer); 2] = [
    (EXPLOITATION, "Excessive working days or hours", Yes),
    (EXPLOITATION, "Very bad working conditions", Yes),
];
const ADULT_COERCION: [(&str, &str, Answer); 2] = [
    (COERCION, "Confiscation of documents", Yes),
    (COERCION, "Debt bondage", Yes),
];
const ADULT_ABUSE: [(&str, &str, Answer); 3] = [
    (ABUSE, "Dependency on exploiters", Yes),
    (ABUSE, "Economic reasons", Yes),
    (ABUSE, "Difficulties in the past", Yes),
];

fn adult(parts: &[&[(&'static str, &'static str, Answer)]]) -> Screening {
    let answers: Vec<_> = parts.iter().flat_map(|p| p.iter().copied()).collect();
    screen("adult", Unknown, No, &answers)
}

#[test]
fn clause_two_strong() {
    let s = adult(&[&ADULT_COERCION]);
    assert_eq!(
        outcome(&s, COERCION),
        positive("two_strong", &["confiscation-of-documents", "debt-bondage"])
    );
}

#[test]
fn clause_one_strong_one_medium() {
    let s = adult(&[&ADULT_DECEPTIVE]);
    assert_eq!(
        outcome(&s, DECEPTIVE),
        positive(
            "one_strong_one_medium_or_weak",
            &["deceived-nature-of-job", "deceived-wages"]
        )
    );
}

#[test]
fn clause_one_strong_one_weak() {
    let s = adult(&[&[
        (
            DECEPTIVE,
            "deceived about the nature of the job, location or employer",
            Yes,
        ),
        (DECEPTIVE, "DECEIVED ABOUT ACCESS TO EDUCATION OPPORTUNITIES", Yes),
    ]]);
    assert_eq!(
        outcome(&s, DECEPTIVE),
        positive(
            "one_strong_one_medium_or_weak",
            &["deceived-nature-of-job", "deceived-education"]
        )
    );
}

#[test]
fn clause_three_medium() {
    let s = adult(&[&ADULT_VULNERABILITY]);
    assert_eq!(
        outcome(&s, VULNERABILITY),
        positive(
            "three_medium",
            &[
                "abuse-of-illegal-status",
                "economic-reasons",
                "difficulty-organising-travel"
            ]
        )
    );
}

#[test]
fn clause_two_medium_one_weak() {
    let s = adult(&[&ADULT_ABUSE]);
    assert_eq!(
        outcome(&s, ABUSE),
        positive(
            "two_medium_one_weak",
            &[
                "dependency-on-exploiters",
                "economic-reasons",
                "difficulties-in-the-past"
            ]
        )
    );
}

#[test]
fn the_first_clause_that_holds_is_reported_with_the_indicators_it_counts() {
    let s = adult(&[&[
        (COERCION, "Violence on victims", Yes),
        (COERCION, "Debt bondage", Yes),
        (COERCION, "Withholding of wages", Yes),
    ]]);
    assert_eq!(
        outcome(&s, COERCION),
        positive("two_strong", &["debt-bondage", "violence-on-victims"])
    );
}

#[test]
fn below_every_clause_is_not_positive() {
    let one_strong = adult(&[&[(COERCION, "Violence on victims", Yes)]]);
    assert_eq!(
        outcome(&one_strong, COERCION),
        (NotPositive, None, vec!["violence-on-victims".into()])
    );
    let two_medium = adult(&[&[
        (COERCION, "Forced tasks or clients", Yes),
        (COERCION, "Forced to lie to authorities, family, etc.", Yes),
    ]]);
    assert_eq!(outcome(&two_medium, COERCION).0, NotPositive);
    let one_medium_two_weak = adult(&[&[
        (VULNERABILITY, "Economic reasons", Yes),
        (VULNERABILITY, "Abuse of cultural/religious beliefs", Yes),
        (VULNERABILITY, "General context", Yes),
    ]]);
    assert_eq!(outcome(&one_medium_two_weak, VULNERABILITY).0, NotPositive);
    let nothing = adult(&[]);
    assert!(
        nothing
            .dimensions()
            .iter()
            .all(|d| d.result == NotPositive && d.indicators.is_empty())
    );
    assert_eq!(nothing.overall(), Overall::NoPresumption);
}

#[test]
fn disputed_indicators_count_as_the_table_rates_them() {
    // Medium in the table, strong for one secondary source: two are not enough, three are.
    let two = adult(&[&[
        (EXPLOITATION, "Bad living conditions", Yes),
        (EXPLOITATION, "Hazardous work", Yes),
    ]]);
    assert_eq!(outcome(&two, EXPLOITATION).0, NotPositive);
    let three = adult(&[&[
        (EXPLOITATION, "Bad living conditions", Yes),
        (EXPLOITATION, "Hazardous work", Yes),
        (EXPLOITATION, "Low or no salary", Yes),
    ]]);
    assert_eq!(outcome(&three, EXPLOITATION).1.as_deref(), Some("three_medium"));
}

#[test]
fn unknowns_that_could_tip_make_a_dimension_insufficient() {
    let s = screen("adult", Unknown, Unknown, &[(COERCION, "Violence on victims", Yes)]);
    let coercion = s.dimension(COERCION).unwrap();
    assert_eq!(coercion.result, Insufficient);
    assert_eq!(coercion.clause, None);
    assert_eq!(coercion.indicators.len(), 1);
    assert_eq!(
        coercion.could_tip.len(),
        14,
        "every other indicator of the dimension could tip it"
    );
    assert!(s.dimensions().iter().all(|d| d.result == Insufficient));
    assert_eq!(s.overall(), Overall::Insufficient);

    // Two medium answered yes, the rest of the dimension no but two weak unknown: one weak
    // indicator would complete "2 medium + 1 weak".
    let s = screen(
        "adult",
        Unknown,
        No,
        &[
            (ABUSE, "Dependency on exploiters", Yes),
            (ABUSE, "Family situation", Yes),
            (ABUSE, "Difficulties in the past", Unknown),
            (ABUSE, "Personal characteristics", Unknown),
        ],
    );
    let abuse = s.dimension(ABUSE).unwrap();
    assert_eq!(abuse.result, Insufficient);
    let tips: Vec<&str> = abuse.could_tip.iter().map(|k| k.as_str()).collect();
    assert_eq!(tips, ["difficulties-in-the-past", "personal-characteristics"]);
}

#[test]
fn unknowns_that_cannot_tip_leave_a_dimension_not_positive() {
    // Only two weak indicators are unknown: no clause can be met with weak indicators alone.
    let s = screen(
        "adult",
        Unknown,
        No,
        &[
            (ABUSE, "Difficulties in the past", Unknown),
            (ABUSE, "Personal characteristics", Unknown),
        ],
    );
    let abuse = s.dimension(ABUSE).unwrap();
    assert_eq!(abuse.result, NotPositive);
    assert!(abuse.could_tip.is_empty());
}

#[test]
fn adult_presumption_through_every_recruitment_branch() {
    for recruitment in [&ADULT_DECEPTIVE[..], &ADULT_COERCIVE, &ADULT_VULNERABILITY] {
        let s = adult(&[recruitment, &EXPLOITED, &ADULT_COERCION]);
        assert_eq!(s.overall(), Overall::Presumption, "{recruitment:?}");
    }
}

#[test]
fn adult_presumption_through_every_destination_branch() {
    for destination in [&ADULT_COERCION[..], &ADULT_ABUSE] {
        let s = adult(&[&ADULT_DECEPTIVE, &EXPLOITED, destination]);
        assert_eq!(s.overall(), Overall::Presumption, "{destination:?}");
    }
}

#[test]
fn adult_needs_recruitment_exploitation_and_destination() {
    assert_eq!(adult(&[&EXPLOITED, &ADULT_COERCION]).overall(), Overall::NoPresumption);
    assert_eq!(
        adult(&[&ADULT_DECEPTIVE, &ADULT_COERCION]).overall(),
        Overall::NoPresumption
    );
    assert_eq!(adult(&[&ADULT_DECEPTIVE, &EXPLOITED]).overall(), Overall::NoPresumption);
}

#[test]
fn adult_act_alone_is_not_a_means() {
    let s = screen("adult", Yes, No, &[EXPLOITED, ADULT_COERCION].concat());
    assert_eq!(s.overall(), Overall::NoPresumption);
    let s = screen("adult", No, No, &[ADULT_DECEPTIVE, EXPLOITED, ADULT_COERCION].concat());
    assert_eq!(
        s.overall(),
        Overall::Presumption,
        "for adults the act is inside the recruitment dimensions"
    );
}

#[test]
fn adult_undecided_exploitation_leaves_the_presumption_open() {
    let mut answers = [ADULT_DECEPTIVE, ADULT_COERCION].concat();
    answers.push((EXPLOITATION, "Excessive working days or hours", Yes));
    answers.push((EXPLOITATION, "Wage manipulation", Unknown));
    let s = screen("adult", Unknown, No, &answers);
    assert_eq!(outcome(&s, EXPLOITATION).0, Insufficient);
    assert_eq!(s.overall(), Overall::Insufficient);
    // …but a dimension that has failed settles it whatever the unknowns.
    answers.retain(|(d, _, _)| *d != COERCION);
    assert_eq!(screen("adult", Unknown, No, &answers).overall(), Overall::NoPresumption);
}

#[test]
fn an_insufficient_result_names_the_dimensions_and_questions_that_would_decide_it() {
    let mut answers = [ADULT_DECEPTIVE, ADULT_COERCION].concat();
    answers.push((EXPLOITATION, "Excessive working days or hours", Yes));
    answers.push((EXPLOITATION, "Wage manipulation", Unknown));
    answers.push((EXPLOITATION, "Low or no salary", Unknown));
    // Recruitment by coercion is undecided too, but deception already settles recruitment.
    answers.push((COERCIVE, "Violence on victims", Unknown));
    answers.push((COERCIVE, "Debt bondage", Unknown));
    let s = screen("adult", Unknown, No, &answers);
    assert_eq!(s.overall(), Overall::Insufficient);
    assert_eq!(outcome(&s, COERCIVE).0, Insufficient);
    let deciding: Vec<(&str, Vec<&str>)> = s
        .deciding()
        .map(|d| (d.dimension.as_str(), d.could_tip.iter().map(|k| k.as_str()).collect()))
        .collect();
    assert_eq!(
        deciding,
        [(EXPLOITATION, vec!["low-or-no-salary", "wage-manipulation"])]
    );
    // A decided result has nothing left to decide.
    let decided = screen(
        "adult",
        Unknown,
        No,
        &[ADULT_DECEPTIVE, EXPLOITED, ADULT_COERCION].concat(),
    );
    assert_eq!(decided.overall(), Overall::Presumption);
    assert_eq!(decided.deciding().count(), 0);
}

const CHILD_EXPLOITED: [(&str, &str, Answer); 2] = [
    (EXPLOITATION, "Excessive working days or hours", Yes),
    (EXPLOITATION, "Low or no salary", Yes),
];

#[test]
fn child_presumption_through_the_act_needs_no_means() {
    let s = screen("child", Yes, No, &CHILD_EXPLOITED);
    assert_eq!(
        outcome(&s, EXPLOITATION),
        positive(
            "one_strong_one_medium_or_weak",
            &["excessive-working-hours", "low-or-no-salary"]
        )
    );
    for dimension in [DECEPTIVE, COERCIVE, VULNERABILITY, COERCION, ABUSE] {
        assert_eq!(outcome(&s, dimension).0, NotPositive);
    }
    assert_eq!(s.overall(), Overall::Presumption);
}

#[test]
fn child_presumption_through_every_recruitment_dimension() {
    let deceptive = [
        (
            DECEPTIVE,
            "Deceived about the nature of the job, location or employer",
            Yes,
        ),
        (DECEPTIVE, "Deceived about access to education opportunities", Yes),
    ];
    let coercive = [
        (
            COERCIVE,
            "Abduction, forced marriage, forced adoption or selling of victim",
            Yes,
        ),
        (COERCIVE, "Debt bondage", Yes),
    ];
    let vulnerability = [
        (VULNERABILITY, "Abuse of difficult family situation", Yes),
        (VULNERABILITY, "Abuse of cultural/religious beliefs", Yes),
        (VULNERABILITY, "General context", Yes),
    ];
    for (dimension, recruitment, clause) in [
        (DECEPTIVE, &deceptive[..], "two_strong"),
        (COERCIVE, &coercive, "two_strong"),
        (VULNERABILITY, &vulnerability, "three_medium"),
    ] {
        let s = screen("child", No, No, &[recruitment, &CHILD_EXPLOITED].concat());
        assert_eq!(outcome(&s, dimension).1.as_deref(), Some(clause), "{dimension}");
        assert_eq!(s.overall(), Overall::Presumption, "{dimension}");
    }
}

#[test]
fn child_without_act_or_recruitment_or_exploitation() {
    assert_eq!(
        screen("child", No, No, &CHILD_EXPLOITED).overall(),
        Overall::NoPresumption
    );
    assert_eq!(
        screen("child", Unknown, No, &CHILD_EXPLOITED).overall(),
        Overall::Insufficient
    );
    assert_eq!(screen("child", Yes, No, &[]).overall(), Overall::NoPresumption);
    let undecided = [
        (EXPLOITATION, "Excessive working days or hours", Yes),
        (EXPLOITATION, "Hazardous work", Unknown),
    ];
    assert_eq!(screen("child", Yes, No, &undecided).overall(), Overall::Insufficient);
}

#[test]
fn child_clauses_and_strengths() {
    let two_strong = screen(
        "child",
        Yes,
        No,
        &[
            (COERCION, "Forced tasks or clients", Yes),
            (COERCION, "Under strong influence", Yes),
        ],
    );
    assert_eq!(outcome(&two_strong, COERCION).1.as_deref(), Some("two_strong"));
    let three_medium = screen(
        "child",
        Yes,
        No,
        &[
            (EXPLOITATION, "Bad living conditions", Yes),
            (EXPLOITATION, "Hazardous work", Yes),
            (EXPLOITATION, "Low or no salary", Yes),
        ],
    );
    assert_eq!(outcome(&three_medium, EXPLOITATION).1.as_deref(), Some("three_medium"));
    // The child set has no weak tier: what is "2 medium + 1 weak" for an adult is "3 medium"
    // for a child, and "1 strong + 1 weak" becomes "2 strong".
    let abuse = screen("child", Yes, No, &ADULT_ABUSE);
    assert_eq!(outcome(&abuse, ABUSE).1.as_deref(), Some("three_medium"));
    let education = [
        (
            DECEPTIVE,
            "Deceived about the nature of the job, location or employer",
            Yes,
        ),
        (DECEPTIVE, "Deceived about access to education opportunities", Yes),
    ];
    assert_eq!(
        outcome(&screen("child", Yes, No, &education), DECEPTIVE).1.as_deref(),
        Some("two_strong")
    );
    assert_eq!(
        outcome(&screen("adult", Yes, No, &education), DECEPTIVE).1.as_deref(),
        Some("one_strong_one_medium_or_weak")
    );
}

#[test]
fn every_result_names_its_catalogue_version_and_its_limits() {
    let s = adult(&[&ADULT_DECEPTIVE, &EXPLOITED, &ADULT_COERCION]);
    assert_eq!(s.catalogue().as_str(), "ilo-ec-delphi-2009-labour");
    assert_eq!(s.version().get(), 2);
    assert_eq!(s.set().as_str(), "adult");
    assert_eq!(
        s.notice_en(),
        "presumption supporting a referral — not an identification"
    );
    assert_eq!(
        s.notice_fr(),
        "présomption justifiant une orientation — pas une identification"
    );
    assert_eq!((NOTICE_EN, NOTICE_FR), (s.notice_en(), s.notice_fr()));
    assert_eq!(s.checked().len(), 6);
}

#[test]
fn a_checklist_lists_what_was_observed() {
    let catalogue = shipped::latest("ilo-forced-labour-2012").unwrap().parse().unwrap();
    let set = catalogue.set("general").unwrap();
    let mut observations = Observations::new(Unknown);
    for (label, answer) in [("Debt bondage", Yes), ("Isolation", No), ("excessive overtime", Yes)] {
        observations
            .record(find_by_label(&catalogue, set, None, label).unwrap(), answer)
            .unwrap();
    }
    let s = evaluate(&catalogue, "general", &observations).unwrap();
    assert_eq!(s.overall(), Overall::NotApplicable);
    assert!(s.dimensions().is_empty());
    let checked: Vec<&str> = s.checked().iter().map(|e| e.indicator.as_str()).collect();
    assert_eq!(checked, ["debt-bondage", "excessive-overtime"]);
}

#[test]
fn unknown_names_are_errors_that_name_them() {
    let catalogue = delphi();
    let child = catalogue.set("child").unwrap();
    let error = find_by_label(
        &catalogue,
        child,
        Some(EXPLOITATION),
        "No social protection (contract, social insurance, etc.)",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "set `child` has no indicator `No social protection (contract, social insurance, etc.)` in dimension `exploitative_conditions`"
    );
    let error = find_by_label(&catalogue, child, Some("exploitation"), "Hazardous work").unwrap_err();
    assert!(matches!(error, ScreeningError::UnknownDimension { ref dimension, .. } if dimension == "exploitation"));
    let error = evaluate(&catalogue, "teenager", &Observations::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "catalogue `ilo-ec-delphi-2009-labour` has no set `teenager` (it has: adult, child)"
    );
    // An adult-only entry recorded for a child screening is refused.
    let adult = catalogue.set("adult").unwrap();
    let entry = find_by_label(
        &catalogue,
        adult,
        Some(EXPLOITATION),
        "No social protection (contract, social insurance, etc.)",
    )
    .unwrap();
    let mut observations = Observations::default();
    observations.record(entry.clone(), Yes).unwrap();
    assert!(matches!(
        evaluate(&catalogue, "child", &observations),
        Err(ScreeningError::UnknownIndicator { .. })
    ));
    assert!(observations.record(entry.clone(), Yes).is_ok());
    assert!(matches!(
        observations.record(entry, No),
        Err(ScreeningError::ConflictingAnswers { .. })
    ));
}
