//! Changing a measure's year. Each function takes one small struct, so that
//! a reporting round can call the one it needs for one measure (a status
//! with its evidence, a dated indicator value). Every change writes the next
//! version of the entry, with who and when, in the same transaction as its
//! audit row; an edit made on an older version of the entry is refused.

use super::read::{Found, one};
use super::{YearMeasure, versioned_fields};
use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManagePlans};
use relais_domain::coordination::annual::{Indicator, IndicatorValue, Milestone, YearMoney, YearStatus};
use relais_domain::coordination::money::Euros;
use relais_domain::time::Date;

/// The year's cost and funding source, edited on version `expected_version`.
#[derive(Debug, Clone)]
pub struct MoneyEdit {
    pub expected_version: i64,
    pub money: YearMoney,
}

/// The year's status with its evidence and date, reported on version
/// `expected_version` of the entry.
#[derive(Debug, Clone)]
pub struct StatusReport {
    pub expected_version: i64,
    pub status: YearStatus,
}

/// A milestone reached on a day.
#[derive(Debug, Clone)]
pub struct MilestoneReached {
    pub milestone_id: String,
    pub on: Date,
}

/// A value an indicator of the measure's year reached on a day (a second
/// value for the same day replaces the first; the history keeps both).
#[derive(Debug, Clone)]
pub struct ValueReport {
    pub indicator_id: String,
    pub value: IndicatorValue,
}

/// What a validated update of a reporting round brings to the measure's
/// year: a dated value of one of its indicators, what was spent in the year.
#[derive(Debug, Clone, Default)]
pub struct RoundFacts {
    pub value: Option<ValueReport>,
    pub spent: Option<Euros>,
}

/// The measure's year and its entry's id, the entry created empty (version
/// 0) if the year had none; refuses a stale `expected` version.
async fn open(tx: &mut Tx, at: &YearMeasure, expected: Option<i64>) -> Result<(String, Found)> {
    let found = one(tx, at).await?;
    if expected.is_some_and(|v| v != found.measure.entry.version) {
        return Err(StoreError::Conflict("annual entry changed meanwhile"));
    }
    let entry_id = match &found.entry_id {
        Some(id) => id.clone(),
        None => {
            let id = crate::record_id_hex();
            sqlx::query(
                "INSERT INTO plan_annual_entries (id, plan_id, measure_id, year, version, updated_at) \
                 VALUES ($1, $2, $3, $4, 0, $5)",
            )
            .bind(id.clone())
            .bind(found.plan_id.clone())
            .bind(found.measure_id.clone())
            .bind(i64::from(at.year))
            .bind(tx.now().0)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "annual entry changed meanwhile"))?;
            id
        }
    };
    Ok((entry_id, found))
}

/// Writes the next version of the entry as it now stands, or only the audit
/// row when nothing changed. Returns whether a version was written.
async fn seal(tx: &mut Tx, at: &YearMeasure, entry_id: &str, before: &Found) -> Result<bool> {
    let after = one(tx, at).await?;
    let fields = versioned_fields(&after.measure.entry);
    let changed = versioned_fields(&before.measure.entry) != fields;
    if changed {
        let version = before.measure.entry.version + 1;
        let written =
            sqlx::query("UPDATE plan_annual_entries SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4")
                .bind(version)
                .bind(tx.now().0)
                .bind(entry_id.to_owned())
                .bind(version - 1)
                .execute(tx.conn())
                .await?;
        if written.rows_affected() != 1 {
            return Err(StoreError::Conflict("annual entry changed meanwhile"));
        }
        let json = serde_json::to_string(&fields).map_err(|_| StoreError::Corrupt("annual version"))?;
        sqlx::query(
            "INSERT INTO plan_annual_versions (entry_id, version, fields, changed_at, changed_by) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(entry_id.to_owned())
        .bind(version)
        .bind(json)
        .bind(tx.now().0)
        .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
        .execute(tx.conn())
        .await?;
    }
    tx.audit(
        Action::CoordinationAnnualUpdate,
        Object::PlanAnnualEntry,
        Some(entry_id),
        None,
    )
    .await?;
    Ok(changed)
}

/// Sets the year's cost estimate and funding source.
pub async fn set_money(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    at: &YearMeasure,
    edit: &MoneyEdit,
) -> Result<bool> {
    write_money(tx, at, edit).await
}

async fn write_money(tx: &mut Tx, at: &YearMeasure, edit: &MoneyEdit) -> Result<bool> {
    let (entry_id, before) = open(tx, at, Some(edit.expected_version)).await?;
    let funding = edit.money.funding.as_ref();
    let budget = funding.and_then(|f| f.budget_codes());
    sqlx::query(
        "UPDATE plan_annual_entries SET cost_cents = $1, funding_kind = $2, funding_programme = $3, \
         funding_action = $4, funding_label = $5 WHERE id = $6",
    )
    .bind(edit.money.cost.map(|c| c.cents()))
    .bind(funding.map(|f| f.kind().to_owned()))
    .bind(budget.map(|(programme, _)| programme.to_owned()))
    .bind(budget.map(|(_, action)| action.to_owned()))
    .bind(funding.and_then(|f| f.label()).map(str::to_owned))
    .bind(entry_id.clone())
    .execute(tx.conn())
    .await?;
    seal(tx, at, &entry_id, &before).await
}

/// Reports the year's status with its evidence and date.
pub async fn report_status(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    at: &YearMeasure,
    report: &StatusReport,
) -> Result<bool> {
    write_status(tx, at, report).await
}

async fn write_status(tx: &mut Tx, at: &YearMeasure, report: &StatusReport) -> Result<bool> {
    let (entry_id, before) = open(tx, at, Some(report.expected_version)).await?;
    let status = &report.status;
    sqlx::query("UPDATE plan_annual_entries SET status = $1, status_evidence = $2, status_on = $3 WHERE id = $4")
        .bind(status.status.key().to_owned())
        .bind(status.evidence.clone())
        .bind(status.on.to_string())
        .bind(entry_id.clone())
        .execute(tx.conn())
        .await?;
    seal(tx, at, &entry_id, &before).await
}

/// Adds a milestone to the measure's year.
pub async fn add_milestone(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    at: &YearMeasure,
    milestone: &Milestone,
) -> Result<()> {
    insert_milestone(tx, at, milestone).await
}

async fn insert_milestone(tx: &mut Tx, at: &YearMeasure, milestone: &Milestone) -> Result<()> {
    let (entry_id, before) = open(tx, at, None).await?;
    sqlx::query(
        "INSERT INTO plan_annual_milestones (id, entry_id, title, due_on, done_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::record_id_hex())
    .bind(entry_id.clone())
    .bind(milestone.title.clone())
    .bind(milestone.due.to_string())
    .bind(milestone.done.map(|d| d.to_string()))
    .bind(tx.now().0)
    .execute(tx.conn())
    .await?;
    seal(tx, at, &entry_id, &before).await.map(|_| ())
}

/// Records the day a milestone of the measure's year was reached.
pub async fn reach_milestone(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    at: &YearMeasure,
    reached: &MilestoneReached,
) -> Result<bool> {
    let (entry_id, before) = open(tx, at, None).await?;
    let written = sqlx::query("UPDATE plan_annual_milestones SET done_on = $1 WHERE id = $2 AND entry_id = $3")
        .bind(reached.on.to_string())
        .bind(reached.milestone_id.clone())
        .bind(entry_id.clone())
        .execute(tx.conn())
        .await?;
    if written.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    seal(tx, at, &entry_id, &before).await
}

/// Adds a monitoring indicator to the measure's year.
pub async fn add_indicator(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    at: &YearMeasure,
    indicator: &Indicator,
) -> Result<()> {
    insert_indicator(tx, at, indicator).await.map(|_| ())
}

/// Returns the new indicator's id.
async fn insert_indicator(tx: &mut Tx, at: &YearMeasure, indicator: &Indicator) -> Result<String> {
    let (entry_id, before) = open(tx, at, None).await?;
    let id = crate::record_id_hex();
    sqlx::query(
        "INSERT INTO plan_annual_indicators (id, entry_id, definition, unit, source, baseline, target, created_at, \
         counts_training) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.clone())
    .bind(entry_id.clone())
    .bind(indicator.definition.clone())
    .bind(indicator.unit.clone())
    .bind(indicator.source.clone())
    .bind(indicator.baseline.clone())
    .bind(indicator.target.clone())
    .bind(tx.now().0)
    .bind(indicator.counts.map(|c| c.key()))
    .execute(tx.conn())
    .await?;
    seal(tx, at, &entry_id, &before).await?;
    Ok(id)
}

/// Records a dated value of one of the measure's indicators for the year.
pub async fn report_value(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    at: &YearMeasure,
    report: &ValueReport,
) -> Result<bool> {
    insert_value(tx, at, report).await
}

async fn insert_value(tx: &mut Tx, at: &YearMeasure, report: &ValueReport) -> Result<bool> {
    let (entry_id, before) = open(tx, at, None).await?;
    write_value(tx, &before, report).await?;
    seal(tx, at, &entry_id, &before).await
}

/// Records the value of one of the year's indicators; refuses another's,
/// and one counted from the training records (its value is computed).
async fn write_value(tx: &mut Tx, before: &Found, report: &ValueReport) -> Result<()> {
    let known = before
        .measure
        .entry
        .indicators
        .iter()
        .any(|i| i.id == report.indicator_id && i.indicator.counts.is_none());
    if !known {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO plan_indicator_values (indicator_id, measured_on, value, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (indicator_id, measured_on) \
         DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
    )
    .bind(report.indicator_id.clone())
    .bind(report.value.on.to_string())
    .bind(report.value.value.clone())
    .bind(tx.now().0)
    .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Writes what a validated round update brings to the measure's year, in
/// one version of the entry by the validating coordinator: the caller's
/// transaction also records the validation, so both happen or neither.
pub async fn record_round_update(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    at: &YearMeasure,
    facts: &RoundFacts,
) -> Result<bool> {
    let (entry_id, before) = open(tx, at, None).await?;
    if let Some(value) = &facts.value {
        write_value(tx, &before, value).await?;
    }
    if let Some(spent) = facts.spent {
        sqlx::query("UPDATE plan_annual_entries SET spent_cents = $1 WHERE id = $2")
            .bind(spent.cents())
            .bind(entry_id.clone())
            .execute(tx.conn())
            .await?;
    }
    seal(tx, at, &entry_id, &before).await
}

/// A measure's whole year as the demonstration data states it.
#[derive(Debug, Clone, Default)]
pub struct YearSeed {
    pub money: YearMoney,
    pub status: Option<YearStatus>,
    pub milestones: Vec<Milestone>,
    pub indicators: Vec<(Indicator, Vec<IndicatorValue>)>,
}

/// Writes a measure's year as the system (demonstration data), a version
/// per change like a coordinator's edits.
pub async fn seed_year_as_system(tx: &mut Tx, at: &YearMeasure, seed: &YearSeed) -> Result<()> {
    if seed.money != YearMoney::default() {
        let version = one(tx, at).await?.measure.entry.version;
        let edit = MoneyEdit {
            expected_version: version,
            money: seed.money.clone(),
        };
        write_money(tx, at, &edit).await?;
    }
    for milestone in &seed.milestones {
        insert_milestone(tx, at, milestone).await?;
    }
    for (indicator, values) in &seed.indicators {
        let id = insert_indicator(tx, at, indicator).await?;
        for value in values {
            let report = ValueReport {
                indicator_id: id.clone(),
                value: value.clone(),
            };
            insert_value(tx, at, &report).await?;
        }
    }
    if let Some(status) = &seed.status {
        let version = one(tx, at).await?.measure.entry.version;
        let report = StatusReport {
            expected_version: version,
            status: status.clone(),
        };
        write_status(tx, at, &report).await?;
    }
    Ok(())
}
