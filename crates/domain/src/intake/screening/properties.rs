//! Properties of the engine on random answer sheets over the shipped Delphi catalogue:
//! a "yes" only ever helps, "unknown" never counts as "yes", and the three values bound every
//! way the unknowns could be answered.

use std::sync::LazyLock;

use proptest::prelude::*;

use super::{Answer, DimensionResult, EntryRef, Observations, Overall, Screening, evaluate};
use crate::intake::catalogue::{Catalogue, shipped};

/// Parsed once: proptest runs each property 256 times.
static DELPHI: LazyLock<Catalogue> =
    LazyLock::new(|| shipped::latest("ilo-ec-delphi-2009-labour").unwrap().parse().unwrap());

fn delphi() -> &'static Catalogue {
    &DELPHI
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![Just(Answer::Yes), Just(Answer::No), Just(Answer::Unknown)]
}

/// A set, the act and one answer per entry (extra answers are ignored for the child set).
fn sheet() -> impl Strategy<Value = (&'static str, Answer, Vec<Answer>)> {
    (
        prop_oneof![Just("adult"), Just("child")],
        answer(),
        prop::collection::vec(answer(), 67),
    )
}

fn screen(catalogue: &Catalogue, set: &str, act: Answer, answers: &[Answer]) -> Screening {
    let mut observations = Observations::new(act);
    for (entry, answer) in catalogue.set(set).unwrap().entries.iter().zip(answers) {
        observations.record(EntryRef::of(entry), *answer).unwrap();
    }
    evaluate(catalogue, set, &observations).unwrap()
}

fn results(screening: &Screening) -> Vec<DimensionResult> {
    screening.dimensions().iter().map(|d| d.result).collect()
}

/// Every unknown replaced by `to`.
fn resolve(answers: &[Answer], to: Answer) -> Vec<Answer> {
    answers
        .iter()
        .map(|a| if *a == Answer::Unknown { to } else { *a })
        .collect()
}

fn resolve_act(act: Answer, to: Answer) -> Answer {
    if act == Answer::Unknown { to } else { act }
}

proptest! {
    #[test]
    fn adding_a_yes_never_turns_a_positive_dimension_or_presumption_negative(
        (set, act, answers) in sheet(),
        index in 0..65usize,
    ) {
        let catalogue = delphi();
        let before = screen(catalogue, set, act, &answers);
        let mut more = answers.clone();
        more[index] = Answer::Yes;
        let after = screen(catalogue, set, act, &more);
        for (b, a) in results(&before).into_iter().zip(results(&after)) {
            prop_assert!(b != DimensionResult::Positive || a == DimensionResult::Positive);
            prop_assert!(a != DimensionResult::NotPositive || b == DimensionResult::NotPositive);
        }
        prop_assert!(before.overall() != Overall::Presumption || after.overall() == Overall::Presumption);
    }

    #[test]
    fn unknown_never_counts_as_yes((set, act, answers) in sheet()) {
        let catalogue = delphi();
        let screening = screen(catalogue, set, act, &answers);
        let as_no = screen(catalogue, set, resolve_act(act, Answer::No), &resolve(&answers, Answer::No));
        for (with_unknowns, unknowns_as_no) in results(&screening).into_iter().zip(results(&as_no)) {
            prop_assert_eq!(
                with_unknowns == DimensionResult::Positive,
                unknowns_as_no == DimensionResult::Positive
            );
        }
        prop_assert_eq!(
            screening.overall() == Overall::Presumption,
            as_no.overall() == Overall::Presumption
        );
    }

    #[test]
    fn the_three_values_bound_every_way_of_answering_the_unknowns(
        (set, act, answers) in sheet(),
        coins in prop::collection::vec(any::<bool>(), 68),
    ) {
        let catalogue = delphi();
        let screening = screen(catalogue, set, act, &answers);
        let all_no = screen(catalogue, set, resolve_act(act, Answer::No), &resolve(&answers, Answer::No));
        let all_yes = screen(catalogue, set, resolve_act(act, Answer::Yes), &resolve(&answers, Answer::Yes));
        let coin = |c: &bool| if *c { Answer::Yes } else { Answer::No };
        let random: Vec<Answer> = answers
            .iter()
            .zip(&coins)
            .map(|(a, c)| if *a == Answer::Unknown { coin(c) } else { *a })
            .collect();
        let any_way = screen(catalogue, set, resolve_act(act, coin(&coins[67])), &random);
        let dimensions = results(&screening).into_iter().zip(results(&all_no)).zip(results(&all_yes)).zip(results(&any_way));
        for (((result, no), yes), some) in dimensions {
            match result {
                DimensionResult::Positive => prop_assert_eq!(some, DimensionResult::Positive),
                DimensionResult::NotPositive => prop_assert_eq!(some, DimensionResult::NotPositive),
                DimensionResult::Insufficient => {
                    prop_assert_eq!(no, DimensionResult::NotPositive);
                    prop_assert_eq!(yes, DimensionResult::Positive);
                    prop_assert_ne!(some, DimensionResult::Insufficient);
                }
            }
        }
        match screening.overall() {
            Overall::Insufficient => {
                prop_assert_eq!(all_no.overall(), Overall::NoPresumption);
                prop_assert_eq!(all_yes.overall(), Overall::Presumption);
            }
            decided => prop_assert_eq!(any_way.overall(), decided),
        }
    }
}
