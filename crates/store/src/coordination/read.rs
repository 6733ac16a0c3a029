//! Reading plans and measures: for users with a capability (audited), for
//! the command line as the system, and the published plans for the public.

use super::{Plan, StoredMeasure};
use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::authz::{Capability, ViewPlans};
use relais_domain::coordination::deadline::Deadline;
use relais_domain::coordination::measure::{MeasureRecord, Period, PlanCode};
use relais_domain::coordination::money::Euros;
use relais_domain::coordination::status::{MeasureStatus, Rating};
use relais_domain::time::Timestamp;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};

type PlanRow = (String, String, String, i64, i64, i64, i64);

const PLAN_COLUMNS: &str = "id, code, title, start_year, end_year, published, updated_at";

fn to_plan(row: PlanRow) -> Result<(String, Plan)> {
    let (id, code, title, start, end, published, updated_at) = row;
    let year = |y: i64| i32::try_from(y).map_err(|_| StoreError::Corrupt("plan period"));
    Ok((
        id,
        Plan {
            code: PlanCode::parse(&code).ok_or(StoreError::Corrupt("plan code"))?,
            title,
            period: Period::new(year(start)?, year(end)?).ok_or(StoreError::Corrupt("plan period"))?,
            published: published != 0,
            updated_at: Timestamp(updated_at),
        },
    ))
}

/// Every plan, newest period first.
pub async fn plans(tx: &mut Tx, _can: &Capability<ViewPlans>) -> Result<Vec<Plan>> {
    let rows: Vec<PlanRow> = sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM plans ORDER BY start_year DESC, code"
    ))
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::CoordinationPlansView, Object::Plan, None, None)
        .await?;
    rows.into_iter().map(|row| to_plan(row).map(|(_, plan)| plan)).collect()
}

/// A plan and its measures in number order.
pub async fn plan(tx: &mut Tx, _can: &Capability<ViewPlans>, code: &PlanCode) -> Result<(Plan, Vec<StoredMeasure>)> {
    plan_as_system(tx, code).await
}

/// [`plan`] for the command line.
pub async fn plan_as_system(tx: &mut Tx, code: &PlanCode) -> Result<(Plan, Vec<StoredMeasure>)> {
    let (id, plan) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let measures = measures(tx.conn(), &id, None).await?;
    tx.audit(Action::CoordinationPlanView, Object::Plan, Some(&id), None)
        .await?;
    Ok((plan, measures.into_iter().map(|(_, m)| m).collect()))
}

/// One measure of a plan with every version, oldest first.
pub async fn measure(
    tx: &mut Tx,
    _can: &Capability<ViewPlans>,
    code: &PlanCode,
    number: u32,
) -> Result<(Plan, StoredMeasure, Vec<Version>)> {
    let (plan_id, plan) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let (measure_id, measure) = measures(tx.conn(), &plan_id, Some(number))
        .await?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?;
    let versions = versions(tx, &measure_id).await?;
    tx.audit(
        Action::CoordinationMeasureView,
        Object::PlanMeasure,
        Some(&measure_id),
        None,
    )
    .await?;
    Ok((plan, measure, versions))
}

pub(super) async fn plan_row(tx: &mut Tx, code: &PlanCode) -> Result<Option<(String, Plan)>> {
    let row: Option<PlanRow> = sqlx::query_as(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE code = $1"))
        .bind(code.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?;
    row.map(to_plan).transpose()
}

#[derive(sqlx::FromRow)]
struct MeasureRow {
    id: String,
    number: i64,
    axis: Option<i64>,
    axis_title: Option<String>,
    action: Option<i64>,
    action_title: Option<String>,
    title: String,
    description: String,
    pilot: Option<String>,
    deadline: Option<String>,
    indicator: Option<String>,
    baseline: Option<String>,
    target: Option<String>,
    cost_cents: Option<i64>,
    funding: Option<String>,
    status: Option<String>,
    rating: Option<String>,
    rating_justification: String,
    source: String,
    version: i64,
    updated_at: i64,
}

const MEASURES: &str = "SELECT m.id, m.number, m.axis, ax.title AS axis_title, m.action, \
     ac.title AS action_title, m.title, m.description, b.name AS pilot, m.deadline, m.indicator, m.baseline, m.target, m.cost_cents, m.funding, m.status, m.rating, \
     m.rating_justification, m.source, m.version, m.updated_at \
     FROM plan_measures m \
     LEFT JOIN plan_axes ax ON ax.plan_id = m.plan_id AND ax.number = m.axis \
     LEFT JOIN plan_actions ac ON ac.plan_id = m.plan_id AND ac.number = m.action \
     LEFT JOIN plan_bodies b ON b.id = m.pilot_id \
     WHERE m.plan_id = $1";

/// The measures of a plan by id, in number order (or the one numbered
/// `only`), their partners read in one more query.
pub(super) async fn measures(
    conn: &mut AnyConnection,
    plan_id: &str,
    only: Option<u32>,
) -> Result<Vec<(String, StoredMeasure)>> {
    let rows: Vec<MeasureRow> = match only {
        Some(number) => {
            sqlx::query_as(&format!("{MEASURES} AND m.number = $2"))
                .bind(plan_id.to_owned())
                .bind(i64::from(number))
                .fetch_all(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{MEASURES} ORDER BY m.number"))
                .bind(plan_id.to_owned())
                .fetch_all(&mut *conn)
                .await?
        }
    };
    let partners: Vec<(String, String)> = sqlx::query_as(
        "SELECT p.measure_id, b.name FROM plan_measure_partners p \
         JOIN plan_bodies b ON b.id = p.body_id \
         JOIN plan_measures m ON m.id = p.measure_id \
         WHERE m.plan_id = $1 ORDER BY b.name",
    )
    .bind(plan_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    let mut partners_of: HashMap<String, Vec<String>> = HashMap::new();
    for (measure, name) in partners {
        partners_of.entry(measure).or_default().push(name);
    }
    rows.into_iter().map(|row| to_measure(row, &mut partners_of)).collect()
}

fn to_measure(row: MeasureRow, partners_of: &mut HashMap<String, Vec<String>>) -> Result<(String, StoredMeasure)> {
    let MeasureRow {
        id,
        number,
        axis,
        axis_title,
        action,
        action_title,
        title,
        description,
        pilot,
        deadline,
        indicator,
        baseline,
        target,
        cost_cents: cost,
        funding,
        status,
        rating,
        rating_justification: justification,
        source,
        version,
        updated_at,
    } = row;
    let corrupt = |what| StoreError::Corrupt(what);
    let small = |n: i64| u32::try_from(n).map_err(|_| corrupt("measure number"));
    let record = MeasureRecord {
        axis: axis.map(small).transpose()?,
        axis_title: axis_title.unwrap_or_default(),
        action: action.map(small).transpose()?,
        action_title: action_title.unwrap_or_default(),
        number: small(number)?,
        title,
        pilot,
        partners: partners_of.remove(&id).unwrap_or_default(),
        deadline: deadline
            .map(|d| Deadline::parse(&d).ok_or(corrupt("measure deadline")))
            .transpose()?,
        indicator,
        baseline,
        target,
        cost: cost
            .map(|c| Euros::from_cents(c).ok_or(corrupt("measure cost")))
            .transpose()?,
        funding,
        status: status
            .map(|s| MeasureStatus::parse(&s).ok_or(corrupt("measure status")))
            .transpose()?,
        rating: rating
            .map(|r| Rating::parse(&r).ok_or(corrupt("measure rating")))
            .transpose()?,
    };
    Ok((
        id,
        StoredMeasure {
            record,
            description,
            justification,
            source,
            version,
            updated_at: Timestamp(updated_at),
        },
    ))
}

/// One version of a measure: its fields after the change, who made it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub version: i64,
    pub fields: BTreeMap<String, String>,
    pub changed_at: Timestamp,
    /// The account's display name; `None` for the command line or a removed account.
    pub changed_by: Option<String>,
}

async fn versions(tx: &mut Tx, measure_id: &str) -> Result<Vec<Version>> {
    versions_of(tx, "plan_measure_versions", "measure_id", measure_id).await
}

/// The versions kept in `table` (a measure's, or a year's entry's) of the
/// object whose id is in `column`, oldest first. Both names are constants.
pub(super) async fn versions_of(
    tx: &mut Tx,
    table: &'static str,
    column: &'static str,
    id: &str,
) -> Result<Vec<Version>> {
    let rows: Vec<(i64, String, i64, Option<String>)> = sqlx::query_as(&format!(
        "SELECT v.version, v.fields, v.changed_at, u.display_name FROM {table} v \
         LEFT JOIN users u ON u.id = v.changed_by WHERE v.{column} = $1 ORDER BY v.version"
    ))
    .bind(id.to_owned())
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(version, fields, changed_at, changed_by)| {
            Ok(Version {
                version,
                fields: serde_json::from_str(&fields).map_err(|_| StoreError::Corrupt("measure version"))?,
                changed_at: Timestamp(changed_at),
                changed_by,
            })
        })
        .collect()
}

/// The names of every body, for pickers and for matching a file's names.
pub async fn bodies(tx: &mut Tx) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM plan_bodies ORDER BY lower(name)")
        .fetch_all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

/// The plans the coordinator published, with their measures, for the public
/// page. Nothing in them is about a person and anyone may read them, so the
/// read is neither audited nor in a transaction that would take the audit
/// lock (like the site's other public pages).
pub async fn published_plans(store: &Store) -> Result<Vec<(Plan, Vec<MeasureRecord>)>> {
    let mut conn = store.pool().acquire().await?;
    let rows: Vec<PlanRow> = sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM plans WHERE published = 1 ORDER BY start_year DESC, code"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut published = Vec::new();
    for row in rows {
        let (id, plan) = to_plan(row)?;
        let measures = measures(&mut conn, &id, None).await?;
        published.push((plan, measures.into_iter().map(|(_, m)| m.record).collect()));
    }
    Ok(published)
}
