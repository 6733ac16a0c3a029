//! The annual strategic plan (*plan stratégique annuel*, the CNCDH's fourth
//! recommendation): for each measure and each year of the plan, milestones
//! with their due dates, monitoring indicators with dated values, the cost
//! for the year, its funding source, and the year's status with its
//! evidence. What a measure's year lacks reuses the plan's [`Gap`]s.

use super::completeness::Gap;
use super::funding::FundingSource;
use super::measure::{Period, Problem, TEXT_MAX, TITLE_MAX};
use super::money::Euros;
use super::status::MeasureStatus;
use crate::observatory::training::TrainingCount;
use crate::time::Date;

/// Longest unit of an indicator ("personnes formées", "%").
pub const UNIT_MAX: usize = 100;
/// Longest indicator value as reported.
pub const VALUE_MAX: usize = 200;

/// Every problem key the checks of this file give, for translations.
pub const PROBLEM_KEYS: [&str; 11] = [
    "required",
    "too-long",
    "date",
    "future-date",
    "status",
    "cost",
    "funding-kind",
    "funding-programme",
    "funding-action",
    "funding-label",
    "training-count",
];

/// The names of a measure's year's fields: the form field a problem names,
/// and the field a version of the entry records.
pub mod field {
    use crate::coordination::funding;

    pub const COST: &str = "cost_eur";
    /// What was spent, reported in a round's update (see [`crate::coordination::round`]).
    pub const SPENT: &str = "spent_eur";
    /// The funding source as one text, in a version of the entry.
    pub const FUNDING: &str = "funding";
    pub const STATUS: &str = "status";
    /// The status's evidence in a version of the entry.
    pub const STATUS_EVIDENCE: &str = "status_evidence";
    /// The status's evidence on the form.
    pub const EVIDENCE: &str = "evidence";
    pub const STATUS_ON: &str = "status_on";
    pub const MILESTONE_TITLE: &str = "milestone_title";
    pub const MILESTONE_DUE: &str = "milestone_due";
    pub const DONE_ON: &str = "done_on";
    pub const DEFINITION: &str = "definition";
    pub const UNIT: &str = "unit";
    pub const SOURCE: &str = "source";
    pub const BASELINE: &str = "baseline";
    pub const TARGET: &str = "target";
    pub const COUNTS: &str = "counts";
    pub const VALUE_ON: &str = "value_on";
    pub const VALUE: &str = "value";

    /// Every field named on a form, in a problem or in the history.
    pub const ALL: [&str; 22] = [
        COST,
        SPENT,
        FUNDING,
        funding::KIND_FIELD,
        funding::PROGRAMME_FIELD,
        funding::ACTION_FIELD,
        funding::LABEL_FIELD,
        STATUS,
        STATUS_EVIDENCE,
        EVIDENCE,
        STATUS_ON,
        MILESTONE_TITLE,
        MILESTONE_DUE,
        DONE_ON,
        DEFINITION,
        UNIT,
        SOURCE,
        BASELINE,
        TARGET,
        COUNTS,
        VALUE_ON,
        VALUE,
    ];
}

/// The year `raw` names if it is one of the plan's period (`2025` of 2024–2027).
pub fn plan_year(period: Period, raw: &str) -> Option<i32> {
    let raw = raw.trim();
    if raw.len() != 4 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse()
        .ok()
        .filter(|year| (period.start..=period.end).contains(year))
}

/// A step of a measure with its due date (*jalon*), and when it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub title: String,
    pub due: Date,
    pub done: Option<Date>,
}

impl Milestone {
    pub fn due_in(&self, year: i32) -> bool {
        self.due.year == year
    }

    /// Not reached and its due date has passed.
    pub fn overdue(&self, today: Date) -> bool {
        self.done.is_none() && self.due < today
    }
}

/// A monitoring indicator (*indicateur de suivi*) of a measure's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub definition: String,
    pub unit: String,
    /// Where the figure comes from (a ministry's data, a survey…).
    pub source: Option<String>,
    pub baseline: Option<String>,
    pub target: Option<String>,
    /// Counted from the training records of the year instead of typed by
    /// hand (ADR 0044).
    pub counts: Option<TrainingCount>,
}

/// A value an indicator reached on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorValue {
    pub on: Date,
    pub value: String,
}

/// The year's status of a measure, with the evidence it rests on and its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearStatus {
    pub status: MeasureStatus,
    pub evidence: String,
    pub on: Date,
}

/// What the year's plan of a measure states about money.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearMoney {
    /// The cost estimate for the year.
    pub cost: Option<Euros>,
    pub funding: Option<FundingSource>,
}

fn text(raw: &str, field: &'static str, max: usize, required: bool, problems: &mut Vec<Problem>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        if required {
            problems.push(Problem {
                column: field,
                key: "required",
            });
        }
        return None;
    }
    if raw.chars().count() > max {
        problems.push(Problem {
            column: field,
            key: "too-long",
        });
    }
    Some(raw.to_owned())
}

/// A date typed as `YYYY-MM-DD` (the value of a date field), required; with
/// `today`, no later than today (a fact is reported once it happened).
fn date(raw: &str, field: &'static str, today: Option<Date>, problems: &mut Vec<Problem>) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        problems.push(Problem {
            column: field,
            key: "required",
        });
        return None;
    }
    match Date::parse(raw) {
        Some(day) if today.is_some_and(|today| day > today) => {
            problems.push(Problem {
                column: field,
                key: "future-date",
            });
            None
        }
        Some(day) => Some(day),
        None => {
            problems.push(Problem {
                column: field,
                key: "date",
            });
            None
        }
    }
}

fn done<T>(value: Option<T>, problems: Vec<Problem>) -> Result<T, Vec<Problem>> {
    match value {
        Some(value) if problems.is_empty() => Ok(value),
        _ => Err(problems),
    }
}

/// The cost (euros, French or dotted form; empty: not estimated yet) and the
/// funding source (see [`FundingSource::parse`]).
pub fn check_money(
    cost: &str,
    kind: &str,
    programme: &str,
    action: &str,
    label: &str,
) -> Result<YearMoney, Vec<Problem>> {
    let mut problems = Vec::new();
    let cost = match cost.trim() {
        "" => None,
        raw => {
            let parsed = Euros::parse(raw);
            if parsed.is_none() {
                problems.push(Problem {
                    column: field::COST,
                    key: "cost",
                });
            }
            parsed
        }
    };
    let funding = match FundingSource::parse(kind, programme, action, label) {
        Ok(funding) => funding,
        Err(wrong) => {
            problems.extend(wrong.into_iter().map(|p| Problem {
                column: p.field,
                key: p.key,
            }));
            None
        }
    };
    done(Some(YearMoney { cost, funding }), problems)
}

/// A status needs its evidence and the date of that evidence, not in the future.
pub fn check_status(status: &str, evidence: &str, on: &str, today: Date) -> Result<YearStatus, Vec<Problem>> {
    let mut problems = Vec::new();
    let parsed = MeasureStatus::parse(status);
    if parsed.is_none() {
        problems.push(Problem {
            column: field::STATUS,
            key: if status.trim().is_empty() { "required" } else { "status" },
        });
    }
    let evidence = text(evidence, field::EVIDENCE, TEXT_MAX, true, &mut problems);
    let on = date(on, field::STATUS_ON, Some(today), &mut problems);
    let status = match (parsed, evidence, on) {
        (Some(status), Some(evidence), Some(on)) => Some(YearStatus { status, evidence, on }),
        _ => None,
    };
    done(status, problems)
}

/// A new milestone: a title and a due date (which may fall in another year).
pub fn check_milestone(title: &str, due: &str) -> Result<Milestone, Vec<Problem>> {
    let mut problems = Vec::new();
    let title = text(title, field::MILESTONE_TITLE, TITLE_MAX, true, &mut problems);
    let due = date(due, field::MILESTONE_DUE, None, &mut problems);
    let milestone = match (title, due) {
        (Some(title), Some(due)) => Some(Milestone { title, due, done: None }),
        _ => None,
    };
    done(milestone, problems)
}

/// The day a milestone was reached: not in the future.
pub fn check_reached(on: &str, today: Date) -> Result<Date, Vec<Problem>> {
    let mut problems = Vec::new();
    let on = date(on, field::DONE_ON, Some(today), &mut problems);
    done(on, problems)
}

/// A new indicator: its definition and unit are required, its source,
/// baseline and target may come later (a missing target is a gap); `counts`
/// is empty (values typed by hand) or a [`TrainingCount`] key.
pub fn check_indicator(
    definition: &str,
    unit: &str,
    source: &str,
    (baseline, target): (&str, &str),
    counts: &str,
) -> Result<Indicator, Vec<Problem>> {
    let mut problems = Vec::new();
    let definition = text(definition, field::DEFINITION, TITLE_MAX, true, &mut problems);
    let unit = text(unit, field::UNIT, UNIT_MAX, true, &mut problems);
    let source = text(source, field::SOURCE, TITLE_MAX, false, &mut problems);
    let baseline = text(baseline, field::BASELINE, VALUE_MAX, false, &mut problems);
    let target = text(target, field::TARGET, VALUE_MAX, false, &mut problems);
    let counts = match counts.trim() {
        "" => Some(None),
        key => TrainingCount::parse(key).map(Some),
    };
    if counts.is_none() {
        problems.push(Problem {
            column: field::COUNTS,
            key: "training-count",
        });
    }
    let indicator = match (definition, unit, counts) {
        (Some(definition), Some(unit), Some(counts)) => Some(Indicator {
            definition,
            unit,
            source,
            baseline,
            target,
            counts,
        }),
        _ => None,
    };
    done(indicator, problems)
}

/// A value an indicator reached, on a day no later than today.
pub fn check_value(on: &str, value: &str, today: Date) -> Result<IndicatorValue, Vec<Problem>> {
    let mut problems = Vec::new();
    let on = date(on, field::VALUE_ON, Some(today), &mut problems);
    let value = text(value, field::VALUE, VALUE_MAX, true, &mut problems);
    let reported = match (on, value) {
        (Some(on), Some(value)) => Some(IndicatorValue { on, value }),
        _ => None,
    };
    done(reported, problems)
}

/// One measure's year, as completeness reads it.
#[derive(Debug, Clone, Copy)]
pub struct MeasureYear<'a> {
    /// Whether the measure names its body in charge (*pilote*).
    pub has_pilot: bool,
    pub milestones: &'a [Milestone],
    pub indicators: &'a [Indicator],
    pub money: &'a YearMoney,
}

/// What a measure's year lacks, in [`Gap::ALL`] order: a pilot, a deadline
/// (a milestone due in the year), an indicator, a target (an indicator with
/// one), a cost, a funding source.
pub fn year_gaps(year: i32, measure: &MeasureYear<'_>) -> Vec<Gap> {
    Gap::ALL
        .into_iter()
        .filter(|gap| match gap {
            Gap::Pilot => !measure.has_pilot,
            Gap::Deadline => !measure.milestones.iter().any(|m| m.due_in(year)),
            Gap::Indicator => measure.indicators.is_empty(),
            Gap::Target => !measure.indicators.iter().any(|i| i.target.is_some()),
            Gap::Cost => measure.money.cost.is_none(),
            Gap::Funding => measure.money.funding.is_none(),
        })
        .collect()
}

/// The completeness of a year's plan over its measures (a plan, or an axis).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearCompleteness {
    pub measures: usize,
    /// Per gap in [`Gap::ALL`] order: how many measures lack it.
    pub missing: [usize; 6],
    /// Measures that lack nothing.
    pub complete: usize,
    /// The sum of the year's cost estimates.
    pub cost_total: Euros,
}

impl YearCompleteness {
    pub fn of<'a>(year: i32, measures: impl IntoIterator<Item = MeasureYear<'a>>) -> Self {
        let mut counts = Self::default();
        for measure in measures {
            counts.measures += 1;
            let gaps = year_gaps(year, &measure);
            for gap in &gaps {
                if let Some(at) = Gap::ALL.iter().position(|g| g == gap) {
                    counts.missing[at] += 1;
                }
            }
            counts.complete += usize::from(gaps.is_empty());
            if let Some(cost) = measure.money.cost {
                counts.cost_total = counts.cost_total.saturating_add(cost);
            }
        }
        counts
    }

    pub fn lacking(&self, gap: Gap) -> usize {
        Gap::ALL.iter().position(|g| *g == gap).map_or(0, |at| self.missing[at])
    }

    /// Share of the measures that lack nothing, in whole per cent (0 for none).
    pub fn complete_percent(&self) -> usize {
        (self.complete * 100).checked_div(self.measures).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> Date {
        Date::parse(raw).unwrap()
    }

    fn keys(problems: &[Problem]) -> Vec<(&str, &str)> {
        problems.iter().map(|p| (p.column, p.key)).collect()
    }

    #[test]
    fn a_year_must_be_one_of_the_period() {
        let period = Period::new(2024, 2027).unwrap();
        assert_eq!(plan_year(period, "2025"), Some(2025));
        assert_eq!(plan_year(period, "2024"), Some(2024));
        assert_eq!(plan_year(period, "2027"), Some(2027));
        for raw in ["2023", "2028", "25", "+2025", "2025x", ""] {
            assert_eq!(plan_year(period, raw), None, "{raw}");
        }
    }

    #[test]
    fn money_reads_french_amounts_and_a_funding_kind() {
        let money = check_money("12 500,50", "budget", "137", "15", "").unwrap();
        assert_eq!(money.cost, Euros::parse("12500.50"));
        assert_eq!(money.funding.unwrap().budget_codes(), Some(("137", "15")));
        assert_eq!(check_money("", "", "", "", "").unwrap(), YearMoney::default());
        let wrong = check_money("douze", "budget", "", "15", "").unwrap_err();
        assert_eq!(
            keys(&wrong),
            [("cost_eur", "cost"), ("funding_programme", "funding-programme")]
        );
    }

    #[test]
    fn a_status_needs_evidence_and_a_past_date() {
        let today = day("2025-06-30");
        let status = check_status("en cours", " Marché notifié ", "2025-06-30", today).unwrap();
        assert_eq!(status.status, MeasureStatus::InProgress);
        assert_eq!(status.evidence, "Marché notifié");
        assert_eq!(status.on, today);
        assert_eq!(
            keys(&check_status("", "", "", today).unwrap_err()),
            [
                ("status", "required"),
                ("evidence", "required"),
                ("status_on", "required")
            ]
        );
        assert_eq!(
            keys(&check_status("fini", "x", "2025-07-01", today).unwrap_err()),
            [("status", "status"), ("status_on", "future-date")]
        );
        assert_eq!(
            keys(&check_status("done", "x", "30/06/2025", today).unwrap_err()),
            [("status_on", "date")]
        );
    }

    #[test]
    fn milestones_indicators_and_values_are_checked() {
        let today = day("2025-06-30");
        let milestone = check_milestone("Marché notifié", "2026-01-15").unwrap();
        assert!(!milestone.due_in(2025) && milestone.due_in(2026));
        assert!(!milestone.overdue(today));
        assert!(milestone.overdue(day("2026-01-16")));
        assert_eq!(
            keys(&check_milestone(" ", "2025-02-30").unwrap_err()),
            [("milestone_title", "required"), ("milestone_due", "date")]
        );
        assert_eq!(check_reached("2025-06-01", today), Ok(day("2025-06-01")));
        assert_eq!(
            keys(&check_reached("2025-07-01", today).unwrap_err()),
            [("done_on", "future-date")]
        );
        let indicator = check_indicator("Professionnels formés", "personnes", "", ("350", ""), "").unwrap();
        assert_eq!(indicator.source, None);
        assert_eq!(indicator.baseline.as_deref(), Some("350"));
        assert_eq!(indicator.counts, None);
        let counted = check_indicator("Policiers formés", "personnes", "", ("", "500"), "training:police").unwrap();
        assert_eq!(counted.counts.map(|c| c.key()).as_deref(), Some("training:police"));
        assert_eq!(
            keys(&check_indicator("", "", "", ("", &"9".repeat(VALUE_MAX + 1)), "training:pilots").unwrap_err()),
            [
                ("definition", "required"),
                ("unit", "required"),
                ("target", "too-long"),
                ("counts", "training-count")
            ]
        );
        assert_eq!(
            check_value("2025-03-31", " 420 ", today).unwrap(),
            IndicatorValue {
                on: day("2025-03-31"),
                value: "420".into()
            }
        );
        assert_eq!(
            keys(&check_value("2025-12-31", "", today).unwrap_err()),
            [("value_on", "future-date"), ("value", "required")]
        );
    }

    #[test]
    fn a_year_lacks_what_it_does_not_state_and_the_counts_add_up() {
        let milestones = [Milestone {
            title: "Formations lancées".into(),
            due: day("2025-09-30"),
            done: None,
        }];
        let indicators = [Indicator {
            definition: "Professionnels formés".into(),
            unit: "personnes".into(),
            source: None,
            baseline: Some("350".into()),
            target: Some("2000".into()),
            counts: None,
        }];
        let money = YearMoney {
            cost: Euros::parse("180 000"),
            funding: Some(FundingSource::Agrasc),
        };
        let full = MeasureYear {
            has_pilot: true,
            milestones: &milestones,
            indicators: &indicators,
            money: &money,
        };
        assert!(year_gaps(2025, &full).is_empty());
        assert_eq!(year_gaps(2026, &full), [Gap::Deadline], "no milestone due in 2026");
        let untargeted = [Indicator {
            target: None,
            ..indicators[0].clone()
        }];
        assert_eq!(
            year_gaps(
                2025,
                &MeasureYear {
                    indicators: &untargeted,
                    ..full
                }
            ),
            [Gap::Target]
        );
        let nothing = YearMoney::default();
        let bare = MeasureYear {
            has_pilot: false,
            milestones: &[],
            indicators: &[],
            money: &nothing,
        };
        assert_eq!(year_gaps(2025, &bare), Gap::ALL);

        let counts = YearCompleteness::of(2025, [full, bare, full]);
        assert_eq!(counts.measures, 3);
        assert_eq!(counts.complete, 2);
        assert_eq!(counts.missing, [1, 1, 1, 1, 1, 1]);
        assert_eq!(counts.lacking(Gap::Funding), 1);
        assert_eq!(counts.cost_total, Euros::parse("360000").unwrap());
        assert_eq!(counts.complete_percent(), 66);
        assert_eq!(YearCompleteness::of(2025, []).complete_percent(), 0);
    }
}
