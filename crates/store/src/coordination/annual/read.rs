//! Reading a plan's year: the measures, then their entries, milestones,
//! indicators and values, one query each whatever the number of measures.

use super::{AnnualMeasure, AnnualMeasurePage, AnnualPlan, StoredIndicator, StoredMilestone, YearEntry, YearMeasure};
use crate::audit::{Action, Object};
use crate::coordination::Plan;
use crate::coordination::read::{measures, plan_row, versions_of};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ViewPlans};
use relais_domain::coordination::annual::{Indicator, IndicatorValue, Milestone, YearMoney, YearStatus, plan_year};
use relais_domain::coordination::funding::FundingSource;
use relais_domain::coordination::measure::PlanCode;
use relais_domain::coordination::money::Euros;
use relais_domain::coordination::status::MeasureStatus;
use relais_domain::observatory::training::TrainingCount;
use relais_domain::time::{Date, Timestamp};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// The plan and its id, if `year` is one of its period.
pub(super) async fn plan_of_year(tx: &mut Tx, code: &PlanCode, year: i32) -> Result<(String, Plan)> {
    let (id, plan) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    plan_year(plan.period, &year.to_string()).ok_or(StoreError::NotFound)?;
    Ok((id, plan))
}

/// Every measure of a plan's year, in number order.
pub async fn annual_plan(tx: &mut Tx, _can: &Capability<ViewPlans>, code: &PlanCode, year: i32) -> Result<AnnualPlan> {
    annual_plan_as_system(tx, code, year).await
}

/// [`annual_plan`] for the exports and the command line.
pub async fn annual_plan_as_system(tx: &mut Tx, code: &PlanCode, year: i32) -> Result<AnnualPlan> {
    let (plan_id, plan) = plan_of_year(tx, code, year).await?;
    let stored = measures(tx.conn(), &plan_id, None).await?;
    let mut entries = entries(tx.conn(), &plan_id, year, None).await?;
    let measures = stored
        .into_iter()
        .map(|(id, m)| AnnualMeasure {
            record: m.record,
            entry: entries.remove(&id).map(|(_, e)| e).unwrap_or_default(),
        })
        .collect();
    tx.audit(Action::CoordinationAnnualView, Object::Plan, Some(&plan_id), None)
        .await?;
    Ok(AnnualPlan { plan, year, measures })
}

/// One measure's year with the history of its entry.
pub async fn annual_measure(tx: &mut Tx, _can: &Capability<ViewPlans>, at: &YearMeasure) -> Result<AnnualMeasurePage> {
    let Found {
        plan,
        measure_id,
        entry_id,
        measure,
        ..
    } = one(tx, at).await?;
    let versions = match &entry_id {
        Some(entry) => versions_of(tx, "plan_annual_versions", "entry_id", entry).await?,
        None => Vec::new(),
    };
    tx.audit(
        Action::CoordinationAnnualMeasureView,
        Object::PlanMeasure,
        Some(&measure_id),
        None,
    )
    .await?;
    Ok(AnnualMeasurePage {
        plan,
        year: at.year,
        measure,
        versions,
    })
}

/// One measure's year as found.
pub(super) struct Found {
    pub plan_id: String,
    pub plan: Plan,
    pub measure_id: String,
    /// `None` until something is planned for the measure's year.
    pub entry_id: Option<String>,
    pub measure: AnnualMeasure,
}

/// One measure's year, with the ids a change needs.
pub(super) async fn one(tx: &mut Tx, at: &YearMeasure) -> Result<Found> {
    let (plan_id, plan) = plan_of_year(tx, &at.code, at.year).await?;
    let (measure_id, stored) = measures(tx.conn(), &plan_id, Some(at.number))
        .await?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?;
    let found = entries(tx.conn(), &plan_id, at.year, Some(&measure_id))
        .await?
        .remove(&measure_id);
    let (entry_id, entry) = match found {
        Some((id, entry)) => (Some(id), entry),
        None => (None, YearEntry::default()),
    };
    Ok(Found {
        plan_id,
        plan,
        measure_id,
        entry_id,
        measure: AnnualMeasure {
            record: stored.record,
            entry,
        },
    })
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: String,
    measure_id: String,
    cost_cents: Option<i64>,
    spent_cents: Option<i64>,
    funding_kind: Option<String>,
    funding_programme: Option<String>,
    funding_action: Option<String>,
    funding_label: Option<String>,
    status: Option<String>,
    status_evidence: String,
    status_on: Option<String>,
    version: i64,
    updated_at: i64,
}

fn day(raw: &str, what: &'static str) -> Result<Date> {
    Date::parse(raw).ok_or(StoreError::Corrupt(what))
}

fn to_entry(row: EntryRow) -> Result<YearEntry> {
    let corrupt = StoreError::Corrupt;
    let funding = match row.funding_kind.as_deref() {
        None => None,
        Some(kind) => FundingSource::parse(
            kind,
            row.funding_programme.as_deref().unwrap_or_default(),
            row.funding_action.as_deref().unwrap_or_default(),
            row.funding_label.as_deref().unwrap_or_default(),
        )
        .map_err(|_| corrupt("annual funding"))?,
    };
    let status = match (row.status, row.status_on) {
        (Some(status), Some(on)) => Some(YearStatus {
            status: MeasureStatus::parse(&status).ok_or(corrupt("annual status"))?,
            evidence: row.status_evidence,
            on: day(&on, "annual status date")?,
        }),
        _ => None,
    };
    Ok(YearEntry {
        money: YearMoney {
            cost: row
                .cost_cents
                .map(|c| Euros::from_cents(c).ok_or(corrupt("annual cost")))
                .transpose()?,
            funding,
        },
        spent: row
            .spent_cents
            .map(|c| Euros::from_cents(c).ok_or(corrupt("annual spending")))
            .transpose()?,
        status,
        milestones: Vec::new(),
        indicators: Vec::new(),
        version: row.version,
        updated_at: Some(Timestamp(row.updated_at)),
    })
}

/// Runs `sql` bound to the plan's id (`$1`), the year (`$2`) and, when
/// given, the measure's id (`$3`).
async fn fetch<T>(
    conn: &mut AnyConnection,
    sql: &str,
    plan_id: &str,
    year: i32,
    measure_id: Option<&str>,
) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let query = sqlx::query_as(sql).bind(plan_id.to_owned()).bind(i64::from(year));
    let query = match measure_id {
        Some(id) => query.bind(id.to_owned()),
        None => query,
    };
    Ok(query.fetch_all(conn).await?)
}

/// The entries of a plan's year (or of one measure) by measure id, each
/// with its entry id, their milestones, indicators and values: four queries.
pub(super) async fn entries(
    conn: &mut AnyConnection,
    plan_id: &str,
    year: i32,
    measure_id: Option<&str>,
) -> Result<HashMap<String, (String, YearEntry)>> {
    // The filter every query shares: a plan's year, or one measure of it.
    let only = if measure_id.is_some() {
        " AND e.measure_id = $3"
    } else {
        ""
    };
    let rows: Vec<EntryRow> = fetch(
        &mut *conn,
        &format!(
            "SELECT e.id, e.measure_id, e.cost_cents, e.spent_cents, e.funding_kind, e.funding_programme, e.funding_action, \
             e.funding_label, e.status, e.status_evidence, e.status_on, e.version, e.updated_at \
             FROM plan_annual_entries e WHERE e.plan_id = $1 AND e.year = $2{only}"
        ),
        plan_id,
        year,
        measure_id,
    )
    .await?;
    let mut by_entry: HashMap<String, (String, YearEntry)> = HashMap::new();
    for row in rows {
        let (id, measure) = (row.id.clone(), row.measure_id.clone());
        by_entry.insert(id, (measure, to_entry(row)?));
    }

    let milestones: Vec<(String, String, String, String, Option<String>)> = fetch(
        &mut *conn,
        &format!(
            "SELECT m.entry_id, m.id, m.title, m.due_on, m.done_on FROM plan_annual_milestones m \
             JOIN plan_annual_entries e ON e.id = m.entry_id WHERE e.plan_id = $1 AND e.year = $2{only} \
             ORDER BY m.due_on, m.created_at, m.id"
        ),
        plan_id,
        year,
        measure_id,
    )
    .await?;
    for (entry, id, title, due, done) in milestones {
        let milestone = Milestone {
            title,
            due: day(&due, "milestone due date")?,
            done: done.map(|d| day(&d, "milestone date")).transpose()?,
        };
        if let Some((_, e)) = by_entry.get_mut(&entry) {
            e.milestones.push(StoredMilestone { id, milestone });
        }
    }

    type IndicatorRow = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let indicators: Vec<IndicatorRow> = fetch(
        &mut *conn,
        &format!(
            "SELECT i.entry_id, i.id, i.definition, i.unit, i.source, i.baseline, i.target, i.counts_training \
             FROM plan_annual_indicators i JOIN plan_annual_entries e ON e.id = i.entry_id \
             WHERE e.plan_id = $1 AND e.year = $2{only} ORDER BY i.created_at, i.id"
        ),
        plan_id,
        year,
        measure_id,
    )
    .await?;
    let values: Vec<(String, String, String)> = fetch(
        &mut *conn,
        &format!(
            "SELECT v.indicator_id, v.measured_on, v.value FROM plan_indicator_values v \
             JOIN plan_annual_indicators i ON i.id = v.indicator_id \
             JOIN plan_annual_entries e ON e.id = i.entry_id \
             WHERE e.plan_id = $1 AND e.year = $2{only} ORDER BY v.measured_on"
        ),
        plan_id,
        year,
        measure_id,
    )
    .await?;
    let mut values_of: HashMap<String, Vec<IndicatorValue>> = HashMap::new();
    for (indicator, on, value) in values {
        values_of.entry(indicator).or_default().push(IndicatorValue {
            on: day(&on, "indicator value date")?,
            value,
        });
    }
    for (entry, id, definition, unit, source, baseline, target, counts) in indicators {
        let counts = counts
            .map(|key| TrainingCount::parse(&key).ok_or(StoreError::Corrupt("indicator training count")))
            .transpose()?;
        if let Some((_, e)) = by_entry.get_mut(&entry) {
            e.indicators.push(StoredIndicator {
                values: values_of.remove(&id).unwrap_or_default(),
                id,
                indicator: Indicator {
                    definition,
                    unit,
                    source,
                    baseline,
                    target,
                    counts,
                },
            });
        }
    }
    Ok(by_entry
        .into_iter()
        .map(|(entry_id, (measure, entry))| (measure, (entry_id, entry)))
        .collect())
}
