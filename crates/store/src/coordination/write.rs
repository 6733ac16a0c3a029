//! Changing measures: every change writes a new version (who, when, the
//! fields after it) in the same transaction as its audit row, and an edit
//! made on an older version than the stored one is refused.

use super::StoredMeasure;
use super::read::{measures, plan_row};
use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManagePlans, RatePlans};
use relais_domain::coordination::measure::{MeasureRecord, PlanCode};
use relais_domain::coordination::status::Rating;
use std::collections::HashMap;

/// The bodies by lower-case name → id.
pub(super) async fn body_ids(tx: &mut Tx) -> Result<HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT lower(name), id FROM plan_bodies")
        .fetch_all(tx.conn())
        .await?;
    Ok(rows.into_iter().collect())
}

fn body_id(bodies: &HashMap<String, String>, name: &str) -> Result<String> {
    bodies.get(&name.to_lowercase()).cloned().ok_or(StoreError::NotFound)
}

/// Writes `after` as the next version of the measure `existing` (or its
/// first, under `plan_id`). Nothing is written when no field changed.
/// Returns whether a version was written.
pub(super) async fn save(
    tx: &mut Tx,
    plan_id: &str,
    existing: Option<&(String, StoredMeasure)>,
    after: &StoredMeasure,
    bodies: &HashMap<String, String>,
) -> Result<bool> {
    let fields = after.versioned_fields();
    if existing.is_some_and(|(_, before)| before.versioned_fields() == fields && before.source == after.source) {
        return Ok(false);
    }
    let record = &after.record;
    let pilot = match record.pilot.as_deref() {
        Some(name) => Some(body_id(bodies, name)?),
        None => None,
    };
    let now = tx.now().0;
    let version = existing.map_or(1, |(_, before)| before.version + 1);
    let id = match existing {
        Some((id, _)) => id.clone(),
        None => crate::record_id_hex(),
    };
    if existing.is_some() {
        sqlx::query("DELETE FROM plan_measure_partners WHERE measure_id = $1")
            .bind(id.clone())
            .execute(tx.conn())
            .await?;
    }
    let statement = if existing.is_some() {
        "UPDATE plan_measures SET plan_id = $2, number = $3, axis = $4, action = $5, title = $6, description = $7, \
         pilot_id = $8, deadline = $9, indicator = $10, baseline = $11, target = $12, cost_cents = $13, funding = $14, \
         status = $15, rating = $16, rating_justification = $17, source = $18, version = $19, updated_at = $20 \
         WHERE id = $1 AND version = $19 - 1"
    } else {
        "INSERT INTO plan_measures (id, plan_id, number, axis, action, title, description, pilot_id, deadline, \
         indicator, baseline, target, cost_cents, funding, status, rating, rating_justification, source, version, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
    };
    let written = sqlx::query(statement)
        .bind(id.clone())
        .bind(plan_id.to_owned())
        .bind(i64::from(record.number))
        .bind(record.axis.map(i64::from))
        .bind(record.action.map(i64::from))
        .bind(record.title.clone())
        .bind(after.description.clone())
        .bind(pilot)
        .bind(record.deadline.map(|d| d.to_text()))
        .bind(record.indicator.clone())
        .bind(record.baseline.clone())
        .bind(record.target.clone())
        .bind(record.cost.map(|c| c.cents()))
        .bind(record.funding.clone())
        .bind(record.status.map(|s| s.key().to_owned()))
        .bind(record.rating.map(|r| r.key().to_owned()))
        .bind(after.justification.clone())
        .bind(after.source.clone())
        .bind(version)
        .bind(now)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "measure number"))?;
    if written.rows_affected() != 1 {
        return Err(StoreError::Conflict("measure changed meanwhile"));
    }
    for partner in &record.partners {
        sqlx::query("INSERT INTO plan_measure_partners (measure_id, body_id) VALUES ($1, $2)")
            .bind(id.clone())
            .bind(body_id(bodies, partner)?)
            .execute(tx.conn())
            .await?;
    }
    let json = serde_json::to_string(&fields).map_err(|_| StoreError::Corrupt("measure version"))?;
    sqlx::query(
        "INSERT INTO plan_measure_versions (measure_id, version, fields, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.clone())
    .bind(version)
    .bind(json)
    .bind(now)
    .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
    .execute(tx.conn())
    .await?;
    tx.audit(Action::CoordinationMeasureUpdate, Object::PlanMeasure, Some(&id), None)
        .await?;
    Ok(true)
}

/// A coordinator's edit of a measure, made on version `expected_version`.
/// The axis and action stay as they are.
#[derive(Debug, Clone)]
pub struct MeasureEdit {
    pub expected_version: i64,
    pub record: MeasureRecord,
    pub description: String,
}

/// The rapporteur's rating of a measure and its reasons.
#[derive(Debug, Clone)]
pub struct RatingEdit {
    pub expected_version: i64,
    pub rating: Option<Rating>,
    pub justification: String,
}

/// Loads the measure to change and refuses a stale version.
async fn current(
    tx: &mut Tx,
    code: &PlanCode,
    number: u32,
    expected: i64,
) -> Result<(String, (String, StoredMeasure))> {
    let (plan_id, _) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let (id, stored) = measures(tx.conn(), &plan_id, Some(number))
        .await?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?;
    if stored.version != expected {
        return Err(StoreError::Conflict("measure changed meanwhile"));
    }
    Ok((plan_id, (id, stored)))
}

/// Changes a measure's fields (not its place in the plan nor the rating).
pub async fn update_measure(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    code: &PlanCode,
    number: u32,
    edit: &MeasureEdit,
) -> Result<bool> {
    let (plan_id, existing) = current(tx, code, number, edit.expected_version).await?;
    let before = &existing.1;
    let after = StoredMeasure {
        record: MeasureRecord {
            axis: before.record.axis,
            axis_title: before.record.axis_title.clone(),
            action: before.record.action,
            action_title: before.record.action_title.clone(),
            number: before.record.number,
            rating: before.record.rating,
            ..edit.record.clone()
        },
        description: edit.description.clone(),
        ..before.clone()
    };
    let bodies = body_ids(tx).await?;
    save(tx, &plan_id, Some(&existing), &after, &bodies).await
}

/// Records the rapporteur's rating of a measure, with its reasons.
pub async fn rate_measure(
    tx: &mut Tx,
    _can: &Capability<RatePlans>,
    code: &PlanCode,
    number: u32,
    edit: &RatingEdit,
) -> Result<bool> {
    let (plan_id, existing) = current(tx, code, number, edit.expected_version).await?;
    let mut after = existing.1.clone();
    after.record.rating = edit.rating;
    after.justification.clone_from(&edit.justification);
    let bodies = body_ids(tx).await?;
    save(tx, &plan_id, Some(&existing), &after, &bodies).await
}

/// Shows the plan on the public page, or withdraws it.
pub async fn set_published(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    code: &PlanCode,
    published: bool,
) -> Result<()> {
    let (plan_id, _) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    sqlx::query("UPDATE plans SET published = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(published))
        .bind(tx.now().0)
        .bind(plan_id.clone())
        .execute(tx.conn())
        .await?;
    let action = if published {
        Action::CoordinationPlanPublish
    } else {
        Action::CoordinationPlanWithdraw
    };
    tx.audit(action, Object::Plan, Some(&plan_id), None).await
}
