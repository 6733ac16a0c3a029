//! The evaluation itself. Per dimension, three values: positive if a clause of the threshold
//! holds counting unknowns as no, not positive if none holds counting unknowns as yes,
//! insufficient otherwise. Clauses are monotone (more indicators never hurt), so these two
//! extremes bound every way the unknowns could be answered. The dimensions then combine by
//! the set's expression in Kleene logic.

use super::kleene::Truth;
use super::{Answer, DimensionOutcome, DimensionResult, EntryRef, Observations, Overall, Screening, ScreeningError};
use crate::intake::catalogue::{Catalogue, Dimension, Entry, Expr, IndicatorSet, Rule, Strength, Tally, Threshold};

/// Screens `observations` with set `set` of `catalogue` (e.g. `adult` or `child`).
pub fn evaluate(catalogue: &Catalogue, set: &str, observations: &Observations) -> Result<Screening, ScreeningError> {
    let unknown_set = || ScreeningError::UnknownSet {
        catalogue: catalogue.id().to_string(),
        set: set.to_owned(),
        available: catalogue
            .sets()
            .iter()
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let indicators = catalogue.set(set).ok_or_else(unknown_set)?;
    if let Some((entry, _)) = observations
        .answered()
        .find(|(entry, _)| indicators.entry(entry.dimension.as_ref(), &entry.indicator).is_none())
    {
        return Err(ScreeningError::UnknownIndicator {
            set: set.to_owned(),
            dimension: entry.dimension.as_ref().map(ToString::to_string),
            indicator: entry.indicator.to_string(),
        });
    }
    let checked = indicators
        .entries
        .iter()
        .map(EntryRef::of)
        .filter(|entry| observations.answer(entry) == Answer::Yes)
        .collect();
    let (overall, dimensions) = match catalogue.rule() {
        Rule::None => (Overall::NotApplicable, Vec::new()),
        Rule::Weighted(rule) => {
            // A parsed catalogue has a combination for every set.
            let combination = rule.combination(&indicators.key).ok_or_else(unknown_set)?;
            let mut outcomes: Vec<DimensionOutcome> = catalogue
                .dimensions()
                .iter()
                .map(|d| dimension(&rule.threshold, indicators, d, observations))
                .collect();
            let truth = truth_of(&combination.expression, observations.act(), &outcomes);
            mark_decisive(&combination.expression, observations.act(), &mut outcomes);
            (overall(truth), outcomes)
        }
    };
    Ok(Screening {
        catalogue: catalogue.id().clone(),
        version: catalogue.version(),
        set: indicators.key.clone(),
        act: observations.act(),
        overall,
        dimensions,
        checked,
    })
}

fn dimension(
    threshold: &Threshold,
    set: &IndicatorSet,
    dimension: &Dimension,
    observations: &Observations,
) -> DimensionOutcome {
    let answered: Vec<(&Entry, Strength, Answer)> = set
        .entries
        .iter()
        .filter(|e| e.dimension.as_ref() == Some(&dimension.key))
        .filter_map(|e| Some((e, e.strength?, observations.answer(&EntryRef::of(e)))))
        .collect();
    let tally = |counted: &dyn Fn(Answer) -> bool| {
        let mut tally = Tally::default();
        for (_, strength, answer) in &answered {
            if counted(*answer) {
                tally.add(*strength);
            }
        }
        tally
    };
    let certain = tally(&|a| a == Answer::Yes);
    let possible = tally(&|a| a != Answer::No);
    let keys = |keep: &dyn Fn(Strength, Answer) -> bool| {
        answered
            .iter()
            .filter(|(_, strength, answer)| keep(*strength, *answer))
            .map(|(entry, _, _)| entry.key.clone())
            .collect::<Vec<_>>()
    };
    let yes = keys(&|_, a| a == Answer::Yes);
    if let Some(clause) = threshold.clauses.iter().find(|c| c.minimum.is_met_by(certain)) {
        return DimensionOutcome {
            dimension: dimension.key.clone(),
            result: DimensionResult::Positive,
            clause: Some(clause.key.clone()),
            indicators: keys(&|s, a| a == Answer::Yes && clause.minimum.counts(s)),
            could_tip: Vec::new(),
            decisive: false,
        };
    }
    let reachable: Vec<_> = threshold
        .clauses
        .iter()
        .filter(|c| c.minimum.is_met_by(possible))
        .collect();
    let (result, could_tip) = if reachable.is_empty() {
        (DimensionResult::NotPositive, Vec::new())
    } else {
        let tips = keys(&|s, a| a == Answer::Unknown && reachable.iter().any(|c| c.minimum.counts(s)));
        (DimensionResult::Insufficient, tips)
    };
    DimensionOutcome {
        dimension: dimension.key.clone(),
        result,
        clause: None,
        indicators: yes,
        could_tip,
        decisive: false,
    }
}

/// Marks the insufficient dimensions on which an overall result that is not yet known still
/// depends: those reached from the top of the expression through sub-expressions that are
/// themselves unknown (an `any` already true or an `all` already false no longer needs them).
fn mark_decisive(expression: &Expr, act: Answer, outcomes: &mut [DimensionOutcome]) {
    if truth_of(expression, act, outcomes) != Truth::Unknown {
        return;
    }
    match expression {
        Expr::Act => {}
        Expr::Dimension(key) => {
            if let Some(outcome) = outcomes.iter_mut().find(|o| &o.dimension == key) {
                outcome.decisive = outcome.result == DimensionResult::Insufficient;
            }
        }
        Expr::All(terms) | Expr::Any(terms) => {
            for term in terms {
                mark_decisive(term, act, outcomes);
            }
        }
    }
}

fn truth_of(expression: &Expr, act: Answer, outcomes: &[DimensionOutcome]) -> Truth {
    match expression {
        Expr::Act => match act {
            Answer::Yes => Truth::True,
            Answer::No => Truth::False,
            Answer::Unknown => Truth::Unknown,
        },
        // Every dimension of the catalogue has an outcome; a missing one would be unknown.
        Expr::Dimension(key) => match outcomes.iter().find(|o| &o.dimension == key).map(|o| o.result) {
            Some(DimensionResult::Positive) => Truth::True,
            Some(DimensionResult::NotPositive) => Truth::False,
            Some(DimensionResult::Insufficient) | None => Truth::Unknown,
        },
        Expr::All(terms) => Truth::all(terms.iter().map(|t| truth_of(t, act, outcomes))),
        Expr::Any(terms) => Truth::any(terms.iter().map(|t| truth_of(t, act, outcomes))),
    }
}

fn overall(truth: Truth) -> Overall {
    match truth {
        Truth::True => Overall::Presumption,
        Truth::False => Overall::NoPresumption,
        Truth::Unknown => Overall::Insufficient,
    }
}
