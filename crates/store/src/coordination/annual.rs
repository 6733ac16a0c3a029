//! The annual strategic plan (issue 13, part 2): for each year of a plan and
//! each measure, an entry with the year's cost and funding source, its status
//! with evidence, milestones, and indicators with dated values. Every change
//! to an entry writes a version of it (who, when, every field after the
//! change) in the same transaction as its audit row: the year's history sits
//! beside the measure's own, so that the frequent yearly updates never make a
//! coordinator's edit of the measure stale (ADR 0026).

mod export;
mod read;
mod write;

pub use export::{ANNUAL_COLUMNS, export_year_csv, export_year_xlsx};
pub use read::{annual_measure, annual_plan, annual_plan_as_system};
pub use write::{
    MilestoneReached, MoneyEdit, RoundFacts, StatusReport, ValueReport, YearSeed, add_indicator, add_milestone,
    reach_milestone, record_round_update, report_status, report_value, seed_year_as_system, set_money,
};

use super::Plan;
use super::read::Version;
use relais_domain::coordination::annual::{
    Indicator, IndicatorValue, MeasureYear, Milestone, YearMoney, YearStatus, field,
};
use relais_domain::coordination::funding::FundingSource;
use relais_domain::coordination::measure::{MeasureRecord, PlanCode};
use relais_domain::coordination::money::Euros;
use relais_domain::time::Timestamp;
use std::collections::BTreeMap;

/// Which measure's year: the plan's code, the year and the measure's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearMeasure {
    pub code: PlanCode,
    pub year: i32,
    pub number: u32,
}

/// A milestone as stored, with its identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMilestone {
    pub id: String,
    pub milestone: Milestone,
}

/// An indicator as stored, with its identifier and its values, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIndicator {
    pub id: String,
    pub indicator: Indicator,
    pub values: Vec<IndicatorValue>,
}

/// One measure's year. A measure nobody planned for the year yet has an
/// empty entry at version 0.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearEntry {
    pub money: YearMoney,
    /// Spent on the measure in the year, as last validated in a reporting
    /// round (ADR 0030).
    pub spent: Option<Euros>,
    pub status: Option<YearStatus>,
    /// By due date.
    pub milestones: Vec<StoredMilestone>,
    /// In the order they were added.
    pub indicators: Vec<StoredIndicator>,
    /// Incremented by every change: an edit based on an older one is refused.
    pub version: i64,
    pub updated_at: Option<Timestamp>,
}

/// A measure of the plan (its plan-level facts) with its entry for the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualMeasure {
    pub record: MeasureRecord,
    pub entry: YearEntry,
}

impl AnnualMeasure {
    /// The milestones and indicators without identifiers, for
    /// [`AnnualMeasure::with_year`].
    pub fn parts(&self) -> (Vec<Milestone>, Vec<Indicator>) {
        (
            self.entry.milestones.iter().map(|m| m.milestone.clone()).collect(),
            self.entry.indicators.iter().map(|i| i.indicator.clone()).collect(),
        )
    }

    /// The measure as completeness reads it, given its [`AnnualMeasure::parts`].
    pub fn with_year<'a>(&'a self, milestones: &'a [Milestone], indicators: &'a [Indicator]) -> MeasureYear<'a> {
        MeasureYear {
            has_pilot: self.record.pilot.is_some(),
            milestones,
            indicators,
            money: &self.entry.money,
        }
    }
}

/// A plan's year: the plan and every measure with its entry, in number order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualPlan {
    pub plan: Plan,
    pub year: i32,
    pub measures: Vec<AnnualMeasure>,
}

/// One measure's year with every version of its entry, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualMeasurePage {
    pub plan: Plan,
    pub year: i32,
    pub measure: AnnualMeasure,
    pub versions: Vec<Version>,
}

/// The fields a version of an entry records, as texts by name. Milestones,
/// indicators and values are keyed by their identifiers so that a diff
/// follows each of them: `milestone:ID` → `due|done|title`,
/// `indicator:ID` → `unit|baseline|target|source|definition` (then
/// `|training…` when counted from the training records),
/// `value:ID:YYYY-MM-DD` → the value.
pub fn versioned_fields(entry: &YearEntry) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    let money = &entry.money;
    fields.insert(
        field::COST.to_owned(),
        money.cost.map(|c| c.to_text()).unwrap_or_default(),
    );
    fields.insert(
        field::FUNDING.to_owned(),
        money.funding.as_ref().map(FundingSource::french).unwrap_or_default(),
    );
    // Only once known, so that older versions do not show it as removed.
    if let Some(spent) = entry.spent {
        fields.insert(field::SPENT.to_owned(), spent.to_text());
    }
    let status = entry.status.as_ref();
    fields.insert(
        field::STATUS.to_owned(),
        status.map(|s| s.status.key().to_owned()).unwrap_or_default(),
    );
    fields.insert(
        field::STATUS_EVIDENCE.to_owned(),
        status.map(|s| s.evidence.clone()).unwrap_or_default(),
    );
    fields.insert(
        field::STATUS_ON.to_owned(),
        status.map(|s| s.on.to_string()).unwrap_or_default(),
    );
    for StoredMilestone { id, milestone } in &entry.milestones {
        let done = milestone.done.map(|d| d.to_string()).unwrap_or_default();
        fields.insert(
            format!("milestone:{id}"),
            format!("{}|{done}|{}", milestone.due, milestone.title),
        );
    }
    for StoredIndicator { id, indicator, values } in &entry.indicators {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        // What an indicator counts is added only when it counts training
        // records, so that older versions read the same as before.
        let counts = indicator.counts.map(|c| format!("|{}", c.key())).unwrap_or_default();
        fields.insert(
            format!("indicator:{id}"),
            format!(
                "{}|{}|{}|{}|{}{counts}",
                indicator.unit,
                text(&indicator.baseline),
                text(&indicator.target),
                text(&indicator.source),
                indicator.definition
            ),
        );
        for value in values {
            fields.insert(format!("value:{id}:{}", value.on), value.value.clone());
        }
    }
    fields
}
