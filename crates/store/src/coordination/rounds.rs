//! Reporting rounds: the coordinator opens a round on a plan, each pilot
//! body's focal points send an update of their measures, the coordinator
//! validates (the status becomes the measure's, in a new version) or returns
//! it with a comment. Focal points reach only the measures of the bodies
//! linked to their organisation. A round concerns one year of the annual
//! plan: a validated update's indicator value and spending become that
//! year's, in the same transaction (ADR 0030).

use super::Plan;
use super::annual::{RoundFacts, ValueReport, YearMeasure, record_round_update};
use super::read::{measures, plan_row};
use super::write::{body_ids, save};
use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManagePlans, ReportOnMeasures, ViewPlans};
use relais_domain::coordination::annual::IndicatorValue;
use relais_domain::coordination::measure::PlanCode;
use relais_domain::coordination::money::Euros;
use relais_domain::coordination::round::{self, Completion, Event, ReminderPolicy, UpdateStatus, round_year};
use relais_domain::coordination::status::MeasureStatus;
use relais_domain::ids::OrganisationId;
use relais_domain::time::{Date, Timestamp};
use std::collections::BTreeMap;

/// A round as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: String,
    pub title: String,
    pub due: Date,
    /// The year of the annual plan the round concerns.
    pub year: i32,
    pub opened_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

impl Round {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

pub use relais_domain::coordination::round::Report;

/// One measure's update in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub measure: u32,
    pub measure_title: String,
    pub body: String,
    pub state: UpdateStatus,
    pub report: Report,
    /// The reported indicator's definition and unit.
    pub indicator: Option<(String, String)>,
    /// Why the coordinator returned it.
    pub comment: String,
    pub submitted_at: Option<Timestamp>,
    pub decided_at: Option<Timestamp>,
}

/// One body's progress in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProgress {
    pub body: String,
    /// Whether the body is linked to a Relais organisation, whose focal
    /// points can then answer in the application.
    pub linked: bool,
    pub completion: Completion,
    pub last_message_on: Date,
    pub reminders: i64,
}

/// Someone to ask or remind, in their language.
pub use crate::outbox::Recipient;

/// The coordinator's answer to an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Validate,
    Return { comment: String },
}

/// What opening a round did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub round: String,
    /// The measures without a pilot body, which nobody can be asked about.
    pub without_pilot: Vec<u32>,
    pub recipients: Vec<Recipient>,
}

type RoundRow = (String, String, String, i64, i64, Option<i64>);

fn to_round((id, title, due, year, opened_at, closed_at): RoundRow) -> Result<Round> {
    Ok(Round {
        id,
        title,
        due: Date::parse(&due).ok_or(StoreError::Corrupt("round due date"))?,
        year: i32::try_from(year).map_err(|_| StoreError::Corrupt("round year"))?,
        opened_at: Timestamp(opened_at),
        closed_at: closed_at.map(Timestamp),
    })
}

const ROUND_COLUMNS: &str = "id, title, due_date, year, opened_at, closed_at";

/// The active focal points of the organisations linked to `bodies`.
async fn focal_points(tx: &mut Tx, round: &str, bodies: Option<&[String]>) -> Result<Vec<Recipient>> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT DISTINCT rb.body_id, u.email, u.locale FROM reporting_round_bodies rb \
         JOIN plan_bodies b ON b.id = rb.body_id \
         JOIN users u ON u.organisation_id = b.organisation_id \
         JOIN user_roles ur ON ur.user_id = u.id \
         JOIN organisations o ON o.id = u.organisation_id \
         WHERE rb.round_id = $1 AND ur.role = 'focal-point' AND u.active = 1 AND o.active = 1 \
         ORDER BY u.email",
    )
    .bind(round.to_owned())
    .fetch_all(tx.conn())
    .await?;
    let mut out: Vec<Recipient> = rows
        .into_iter()
        .filter(|(body, _, _)| bodies.is_none_or(|only| only.contains(body)))
        .map(|(_, email, locale)| Recipient { email, locale })
        .collect();
    out.dedup_by(|a, b| a.email == b.email);
    Ok(out)
}

/// What a new round is: its title, its due date, and the year of the annual
/// plan it concerns (`None`: the year of the due date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRound {
    pub title: String,
    pub due: Date,
    pub year: Option<i32>,
}

/// Refused: the round's year is not one of the plan's.
pub const YEAR_OUTSIDE_PLAN: &str = "the round's year is not one of the plan's";

/// Opens a round on the plan `code`, asking every measure that has a pilot
/// body. Only one round of a plan is open at a time.
pub async fn open(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    code: &PlanCode,
    new: &NewRound,
    today: Date,
) -> Result<Opened> {
    open_round(tx, code, new, today).await
}

/// [`open`] for the demonstration data.
pub async fn open_as_system(tx: &mut Tx, code: &PlanCode, new: &NewRound, today: Date) -> Result<Opened> {
    open_round(tx, code, new, today).await
}

async fn open_round(tx: &mut Tx, code: &PlanCode, new: &NewRound, today: Date) -> Result<Opened> {
    let (plan_id, plan) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let year = round_year(new.year, new.due, plan.period).ok_or(StoreError::Conflict(YEAR_OUTSIDE_PLAN))?;
    let open: Option<(String,)> =
        sqlx::query_as("SELECT id FROM reporting_rounds WHERE plan_id = $1 AND closed_at IS NULL")
            .bind(plan_id.clone())
            .fetch_optional(tx.conn())
            .await?;
    if open.is_some() {
        return Err(StoreError::Conflict("a round of this plan is already open"));
    }
    let rows: Vec<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT id, number, pilot_id FROM plan_measures WHERE plan_id = $1 ORDER BY number")
            .bind(plan_id.clone())
            .fetch_all(tx.conn())
            .await?;
    let id = crate::record_id_hex();
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO reporting_rounds (id, plan_id, title, due_date, year, opened_at, opened_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.clone())
    .bind(plan_id)
    .bind(new.title.clone())
    .bind(new.due.to_string())
    .bind(i64::from(year))
    .bind(now)
    .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
    .execute(tx.conn())
    .await?;
    let mut without_pilot = vec![];
    let mut bodies: Vec<String> = vec![];
    for (measure, number, pilot) in rows {
        let Some(body) = pilot else {
            without_pilot.push(u32::try_from(number).map_err(|_| StoreError::Corrupt("measure number"))?);
            continue;
        };
        sqlx::query(
            "INSERT INTO reporting_updates (round_id, measure_id, body_id, state) VALUES ($1, $2, $3, 'requested')",
        )
        .bind(id.clone())
        .bind(measure)
        .bind(body.clone())
        .execute(tx.conn())
        .await?;
        if !bodies.contains(&body) {
            bodies.push(body);
        }
    }
    for body in &bodies {
        sqlx::query("INSERT INTO reporting_round_bodies (round_id, body_id, last_message_on) VALUES ($1, $2, $3)")
            .bind(id.clone())
            .bind(body.clone())
            .bind(today.to_string())
            .execute(tx.conn())
            .await?;
    }
    let recipients = focal_points(tx, &id, None).await?;
    tx.audit(Action::CoordinationRoundOpen, Object::ReportingRound, Some(&id), None)
        .await?;
    Ok(Opened {
        round: id,
        without_pilot,
        recipients,
    })
}

/// The rounds of a plan, newest first.
pub async fn of_plan(tx: &mut Tx, _can: &Capability<ViewPlans>, code: &PlanCode) -> Result<Vec<Round>> {
    let (plan_id, _) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let rows: Vec<RoundRow> = sqlx::query_as(&format!(
        "SELECT {ROUND_COLUMNS} FROM reporting_rounds WHERE plan_id = $1 ORDER BY opened_at DESC, id"
    ))
    .bind(plan_id.clone())
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::CoordinationRoundsView, Object::Plan, Some(&plan_id), None)
        .await?;
    rows.into_iter().map(to_round).collect()
}

#[derive(sqlx::FromRow)]
struct UpdateRow {
    number: i64,
    title: String,
    body: String,
    body_id: String,
    state: String,
    status: Option<String>,
    evidence: String,
    indicator_id: Option<String>,
    indicator_definition: Option<String>,
    indicator_unit: Option<String>,
    indicator_value: Option<String>,
    indicator_date: Option<String>,
    spent_cents: Option<i64>,
    comment: String,
    submitted_at: Option<i64>,
    decided_at: Option<i64>,
}

const UPDATES: &str = "SELECT m.number, m.title, b.name AS body, u.body_id, u.state, u.status, u.evidence, \
     u.indicator_id, i.definition AS indicator_definition, i.unit AS indicator_unit, \
     u.indicator_value, u.indicator_date, u.spent_cents, u.comment, u.submitted_at, u.decided_at \
     FROM reporting_updates u JOIN plan_measures m ON m.id = u.measure_id JOIN plan_bodies b ON b.id = u.body_id \
     LEFT JOIN plan_annual_indicators i ON i.id = u.indicator_id \
     WHERE u.round_id = $1";

fn to_update(row: UpdateRow) -> Result<(String, Update)> {
    let corrupt = StoreError::Corrupt;
    Ok((
        row.body_id,
        Update {
            measure: u32::try_from(row.number).map_err(|_| corrupt("measure number"))?,
            measure_title: row.title,
            body: row.body,
            state: UpdateStatus::parse(&row.state).ok_or(corrupt("update state"))?,
            report: Report {
                status: row
                    .status
                    .map(|s| MeasureStatus::parse(&s).ok_or(corrupt("update status")))
                    .transpose()?,
                evidence: row.evidence,
                indicator: row.indicator_id,
                indicator_value: row.indicator_value,
                indicator_date: row
                    .indicator_date
                    .map(|d| Date::parse(&d).ok_or(corrupt("indicator date")))
                    .transpose()?,
                spent: row
                    .spent_cents
                    .map(|c| Euros::from_cents(c).ok_or(corrupt("spending")))
                    .transpose()?,
            },
            indicator: row.indicator_definition.zip(row.indicator_unit),
            comment: row.comment,
            submitted_at: row.submitted_at.map(Timestamp),
            decided_at: row.decided_at.map(Timestamp),
        },
    ))
}

async fn round_row(tx: &mut Tx, round: &str) -> Result<(String, Round)> {
    #[derive(sqlx::FromRow)]
    struct Row {
        code: String,
        id: String,
        title: String,
        due_date: String,
        year: i64,
        opened_at: i64,
        closed_at: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT p.code, r.id, r.title, r.due_date, r.year, r.opened_at, r.closed_at FROM reporting_rounds r \
         JOIN plans p ON p.id = r.plan_id WHERE r.id = $1",
    )
    .bind(round.to_owned())
    .fetch_optional(tx.conn())
    .await?;
    let row = row.ok_or(StoreError::NotFound)?;
    let found = (row.id, row.title, row.due_date, row.year, row.opened_at, row.closed_at);
    Ok((row.code, to_round(found)?))
}

/// A round in full for the coordination: every update and each body's progress.
pub struct RoundView {
    pub plan: Plan,
    pub round: Round,
    pub updates: Vec<Update>,
    pub bodies: Vec<BodyProgress>,
}

/// A round with every update, and each body's progress.
pub async fn round(tx: &mut Tx, _can: &Capability<ViewPlans>, round: &str) -> Result<RoundView> {
    let (code, found) = round_row(tx, round).await?;
    let code = PlanCode::parse(&code).ok_or(StoreError::Corrupt("plan code"))?;
    let (_, plan) = plan_row(tx, &code).await?.ok_or(StoreError::NotFound)?;
    let rows: Vec<UpdateRow> = sqlx::query_as(&format!("{UPDATES} ORDER BY m.number"))
        .bind(round.to_owned())
        .fetch_all(tx.conn())
        .await?;
    let updates = rows.into_iter().map(to_update).collect::<Result<Vec<_>>>()?;
    let body_rows: Vec<(String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT rb.body_id, b.name, b.organisation_id, rb.last_message_on, rb.reminders \
         FROM reporting_round_bodies rb JOIN plan_bodies b ON b.id = rb.body_id \
         WHERE rb.round_id = $1 ORDER BY lower(b.name)",
    )
    .bind(round.to_owned())
    .fetch_all(tx.conn())
    .await?;
    let bodies = progress(&updates, body_rows)?;
    tx.audit(Action::CoordinationRoundView, Object::ReportingRound, Some(round), None)
        .await?;
    Ok(RoundView {
        plan,
        round: found,
        updates: updates.into_iter().map(|(_, u)| u).collect(),
        bodies,
    })
}

fn progress(
    updates: &[(String, Update)],
    bodies: Vec<(String, String, Option<String>, String, i64)>,
) -> Result<Vec<BodyProgress>> {
    let mut states: BTreeMap<&str, Vec<UpdateStatus>> = BTreeMap::new();
    for (body, update) in updates {
        states.entry(body.as_str()).or_default().push(update.state);
    }
    bodies
        .into_iter()
        .map(|(id, body, organisation, last, reminders)| {
            Ok(BodyProgress {
                completion: Completion::of(states.get(id.as_str()).cloned().unwrap_or_default()),
                body,
                linked: organisation.is_some(),
                last_message_on: Date::parse(&last).ok_or(StoreError::Corrupt("round message day"))?,
                reminders,
            })
        })
        .collect()
}

/// A measure asked of the actor's organisation in an open round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub plan: String,
    pub round: Round,
    pub measure: u32,
    pub measure_title: String,
    pub state: UpdateStatus,
}

/// The updates asked of the actor's organisation in open rounds: a focal
/// point's work list.
pub async fn asked_of_me(tx: &mut Tx, can: &Capability<ReportOnMeasures>) -> Result<Vec<Asked>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        code: String,
        id: String,
        title: String,
        due_date: String,
        year: i64,
        opened_at: i64,
        number: i64,
        measure_title: String,
        state: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.code, r.id, r.title, r.due_date, r.year, r.opened_at, m.number, m.title AS measure_title, u.state \
         FROM reporting_updates u JOIN reporting_rounds r ON r.id = u.round_id \
         JOIN plans p ON p.id = r.plan_id JOIN plan_measures m ON m.id = u.measure_id \
         JOIN plan_bodies b ON b.id = u.body_id \
         WHERE b.organisation_id = $1 AND r.closed_at IS NULL ORDER BY r.opened_at, m.number",
    )
    .bind(can.actor_organisation().as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::CoordinationRoundMine, Object::ReportingRound, None, None)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Asked {
                plan: row.code,
                round: to_round((row.id, row.title, row.due_date, row.year, row.opened_at, None))?,
                measure: u32::try_from(row.number).map_err(|_| StoreError::Corrupt("measure number"))?,
                measure_title: row.measure_title,
                state: UpdateStatus::parse(&row.state).ok_or(StoreError::Corrupt("update state"))?,
            })
        })
        .collect()
}

/// An indicator of the measure's year a value can be reported for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorChoice {
    pub id: String,
    pub definition: String,
    pub unit: String,
}

/// One measure's update in a round, the round and its plan code, with the
/// body's organisation and the measure's indicators of the round's year:
/// what an update page shows.
pub struct UpdateView {
    pub plan: PlanCode,
    pub round: Round,
    pub update: Update,
    pub organisation: Option<OrganisationId>,
    /// In the order they were added to the annual plan.
    pub indicators: Vec<IndicatorChoice>,
}

async fn update_row(tx: &mut Tx, round: &str, number: u32) -> Result<(UpdateView, String)> {
    let (code, found) = round_row(tx, round).await?;
    let row: Option<UpdateRow> = sqlx::query_as(&format!("{UPDATES} AND m.number = $2"))
        .bind(round.to_owned())
        .bind(i64::from(number))
        .fetch_optional(tx.conn())
        .await?;
    let (body_id, update) = to_update(row.ok_or(StoreError::NotFound)?)?;
    let organisation: Option<(Option<String>,)> =
        sqlx::query_as("SELECT organisation_id FROM plan_bodies WHERE id = $1")
            .bind(body_id)
            .fetch_optional(tx.conn())
            .await?;
    let measure: (String,) = sqlx::query_as(
        "SELECT u.measure_id FROM reporting_updates u JOIN plan_measures m ON m.id = u.measure_id \
         WHERE u.round_id = $1 AND m.number = $2",
    )
    .bind(round.to_owned())
    .bind(i64::from(number))
    .fetch_one(tx.conn())
    .await?;
    let indicators: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT i.id, i.definition, i.unit FROM plan_annual_indicators i \
         JOIN plan_annual_entries e ON e.id = i.entry_id WHERE e.measure_id = $1 AND e.year = $2 \
         AND i.counts_training IS NULL ORDER BY i.created_at, i.id",
    )
    .bind(measure.0.clone())
    .bind(i64::from(found.year))
    .fetch_all(tx.conn())
    .await?;
    Ok((
        UpdateView {
            plan: PlanCode::parse(&code).ok_or(StoreError::Corrupt("plan code"))?,
            round: found,
            update,
            organisation: organisation
                .and_then(|(o,)| o)
                .map(|o| OrganisationId::parse(&o).ok_or(StoreError::Corrupt("organisation id")))
                .transpose()?,
            indicators: indicators
                .into_iter()
                .map(|(id, definition, unit)| IndicatorChoice { id, definition, unit })
                .collect(),
        },
        measure.0,
    ))
}

/// One update in a round.
pub async fn update(tx: &mut Tx, _can: &Capability<ViewPlans>, round: &str, number: u32) -> Result<UpdateView> {
    let (view, measure) = update_row(tx, round, number).await?;
    tx.audit(
        Action::CoordinationRoundUpdateView,
        Object::PlanMeasure,
        Some(&measure),
        None,
    )
    .await?;
    Ok(view)
}

fn refused(error: round::Refused) -> StoreError {
    match error {
        round::Refused::RoundClosed => StoreError::Conflict("the round is closed"),
        round::Refused::NotFrom { .. } => StoreError::Conflict("the update cannot change this way"),
    }
}

/// Refused: the indicator is not one of the measure's in the round's year.
pub const UNKNOWN_INDICATOR: &str = "not an indicator of the measure's year";

/// The focal point sends the update of one of its body's measures.
pub async fn submit(
    tx: &mut Tx,
    can: &Capability<ReportOnMeasures>,
    round: &str,
    number: u32,
    report: &Report,
) -> Result<()> {
    let (view, measure) = update_row(tx, round, number).await?;
    if view.organisation.as_ref() != Some(can.actor_organisation()) {
        return Err(StoreError::NotFound);
    }
    let next = round::apply(view.round.is_open(), view.update.state, Event::Submit).map_err(refused)?;
    if let Some(indicator) = &report.indicator
        && !view.indicators.iter().any(|i| &i.id == indicator)
    {
        return Err(StoreError::Conflict(UNKNOWN_INDICATOR));
    }
    sqlx::query(
        "UPDATE reporting_updates SET state = $1, status = $2, evidence = $3, indicator_id = $4, \
         indicator_value = $5, indicator_date = $6, spent_cents = $7, submitted_at = $8, submitted_by = $9 \
         WHERE round_id = $10 AND measure_id = $11 AND state = $12",
    )
    .bind(next.key())
    .bind(report.status.map(|s| s.key().to_owned()))
    .bind(report.evidence.clone())
    .bind(report.indicator.clone())
    .bind(report.indicator_value.clone())
    .bind(report.indicator_date.map(|d| d.to_string()))
    .bind(report.spent.map(|e| e.cents()))
    .bind(tx.now().0)
    .bind(can.actor().as_str().to_owned())
    .bind(round.to_owned())
    .bind(measure.clone())
    .bind(view.update.state.key())
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::CoordinationRoundUpdateSubmit,
        Object::PlanMeasure,
        Some(&measure),
        None,
    )
    .await?;
    Ok(())
}

/// The coordinator validates an update or returns it with a comment. On
/// validation its reported status becomes the measure's (a new version of
/// the measure), and its indicator value and spending become the round's
/// year's in the annual plan (a new version of the year's entry, by the
/// coordinator).
pub async fn decide(
    tx: &mut Tx,
    can: &Capability<ManagePlans>,
    round: &str,
    number: u32,
    decision: &Decision,
) -> Result<()> {
    let (view, measure) = update_row(tx, round, number).await?;
    let (event, comment) = match decision {
        Decision::Validate => (Event::Validate, String::new()),
        Decision::Return { comment } => (Event::Return, comment.clone()),
    };
    let next = round::apply(view.round.is_open(), view.update.state, event).map_err(refused)?;
    sqlx::query(
        "UPDATE reporting_updates SET state = $1, comment = $2, decided_at = $3, decided_by = $4 \
         WHERE round_id = $5 AND measure_id = $6 AND state = $7",
    )
    .bind(next.key())
    .bind(comment)
    .bind(tx.now().0)
    .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
    .bind(round.to_owned())
    .bind(measure.clone())
    .bind(view.update.state.key())
    .execute(tx.conn())
    .await?;
    if next == UpdateStatus::Validated
        && let Some(status) = view.update.report.status
    {
        let (plan_id, _) = plan_row(tx, &view.plan).await?.ok_or(StoreError::NotFound)?;
        let existing = measures(tx.conn(), &plan_id, Some(number))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        let mut after = existing.1.clone();
        after.record.status = Some(status);
        let bodies = body_ids(tx).await?;
        save(tx, &plan_id, Some(&existing), &after, &bodies).await?;
    }
    if next == UpdateStatus::Validated {
        let report = &view.update.report;
        let value = match (&report.indicator, &report.indicator_value, report.indicator_date) {
            (Some(indicator_id), Some(value), Some(on)) => Some(ValueReport {
                indicator_id: indicator_id.clone(),
                value: IndicatorValue {
                    on,
                    value: value.clone(),
                },
            }),
            _ => None,
        };
        if value.is_some() || report.spent.is_some() {
            let at = YearMeasure {
                code: view.plan.clone(),
                year: view.round.year,
                number,
            };
            let facts = RoundFacts {
                value,
                spent: report.spent,
            };
            record_round_update(tx, can, &at, &facts).await?;
        }
    }
    tx.audit(
        Action::CoordinationRoundUpdateDecide,
        Object::PlanMeasure,
        Some(&measure),
        None,
    )
    .await?;
    Ok(())
}

/// Closes a round: nothing more can be sent or decided in it.
pub async fn close(tx: &mut Tx, _can: &Capability<ManagePlans>, round: &str) -> Result<()> {
    let closed = sqlx::query("UPDATE reporting_rounds SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
        .bind(tx.now().0)
        .bind(round.to_owned())
        .execute(tx.conn())
        .await?;
    if closed.rows_affected() != 1 {
        return Err(StoreError::Conflict("the round is closed"));
    }
    tx.audit(
        Action::CoordinationRoundClose,
        Object::ReportingRound,
        Some(round),
        None,
    )
    .await?;
    Ok(())
}

/// A reminder to send: the round and the focal points of one late body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub round: String,
    pub round_title: String,
    pub due: Date,
    pub recipients: Vec<Recipient>,
}

/// The reminders due on `today` in every open round, recorded as sent in
/// the caller's transaction (which queues the e-mails, so that both happen
/// or neither). Read by the system.
pub async fn remind(tx: &mut Tx, policy: ReminderPolicy, today: Date) -> Result<Vec<Reminder>> {
    let rows: Vec<OwingRow> = sqlx::query_as(
        "SELECT r.id AS round, r.title, r.due_date, rb.body_id, rb.last_message_on, u.state \
         FROM reporting_round_bodies rb JOIN reporting_rounds r ON r.id = rb.round_id \
         JOIN reporting_updates u ON u.round_id = rb.round_id AND u.body_id = rb.body_id \
         WHERE r.closed_at IS NULL ORDER BY r.id, rb.body_id",
    )
    .fetch_all(tx.conn())
    .await?;
    tx.audit(
        Action::CoordinationRoundReminders,
        Object::Job,
        Some(&today.to_string()),
        None,
    )
    .await?;
    let due = due_bodies(rows, policy, today)?;
    let mut reminders = vec![];
    for (round, title, due, body) in due {
        sqlx::query(
            "UPDATE reporting_round_bodies SET last_message_on = $1, reminders = reminders + 1 \
             WHERE round_id = $2 AND body_id = $3",
        )
        .bind(today.to_string())
        .bind(round.clone())
        .bind(body.clone())
        .execute(tx.conn())
        .await?;
        let recipients = focal_points(tx, &round, Some(std::slice::from_ref(&body))).await?;
        tx.audit(
            Action::CoordinationRoundRemind,
            Object::ReportingRound,
            Some(&round),
            None,
        )
        .await?;
        if !recipients.is_empty() {
            reminders.push(Reminder {
                round,
                round_title: title,
                due,
                recipients,
            });
        }
    }
    Ok(reminders)
}

/// One update of a body in an open round, with what decides its reminder.
#[derive(sqlx::FromRow)]
struct OwingRow {
    round: String,
    title: String,
    due_date: String,
    body_id: String,
    last_message_on: String,
    state: String,
}

/// A body of a round: its round's title and due date, the day it was last
/// asked, and the states of its updates.
struct Owing {
    title: String,
    due: Date,
    last: Date,
    states: Vec<UpdateStatus>,
}

/// (round, title, due, body) of the bodies that owe updates and are due a reminder.
fn due_bodies(rows: Vec<OwingRow>, policy: ReminderPolicy, today: Date) -> Result<Vec<(String, String, Date, String)>> {
    let corrupt = StoreError::Corrupt;
    let mut owing: BTreeMap<(String, String), Owing> = BTreeMap::new();
    for row in rows {
        let state = UpdateStatus::parse(&row.state).ok_or(corrupt("update state"))?;
        let due = Date::parse(&row.due_date).ok_or(corrupt("round due date"))?;
        let last = Date::parse(&row.last_message_on).ok_or(corrupt("round message day"))?;
        owing
            .entry((row.round, row.body_id))
            .or_insert_with(|| Owing {
                title: row.title,
                due,
                last,
                states: vec![],
            })
            .states
            .push(state);
    }
    Ok(owing
        .into_iter()
        .filter(|(_, o)| {
            Completion::of(o.states.iter().copied()).awaits_focal_point() && policy.due(o.due, o.last, today)
        })
        .map(|((round, body), o)| (round, o.title, o.due, body))
        .collect())
}

/// Links a plan's body to the Relais organisation whose focal points answer
/// for it, or unlinks it.
pub async fn link_body(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    body: &str,
    organisation: Option<&OrganisationId>,
) -> Result<()> {
    set_body_organisation(tx, body, organisation).await
}

/// [`link_body`] for the demonstration data.
pub async fn link_body_as_system(tx: &mut Tx, body: &str, organisation: &OrganisationId) -> Result<()> {
    set_body_organisation(tx, body, Some(organisation)).await
}

async fn set_body_organisation(tx: &mut Tx, body: &str, organisation: Option<&OrganisationId>) -> Result<()> {
    let changed = sqlx::query("UPDATE plan_bodies SET organisation_id = $1 WHERE lower(name) = lower($2)")
        .bind(organisation.map(|o| o.as_str().to_owned()))
        .bind(body.to_owned())
        .execute(tx.conn())
        .await?;
    if changed.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    tx.audit(Action::CoordinationBodyLink, Object::PlanBody, None, None)
        .await?;
    Ok(())
}

/// Every body with the organisation it is linked to, for the linking page.
pub async fn body_links(tx: &mut Tx, _can: &Capability<ViewPlans>) -> Result<Vec<(String, Option<OrganisationId>)>> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT name, organisation_id FROM plan_bodies ORDER BY lower(name)")
            .fetch_all(tx.conn())
            .await?;
    tx.audit(Action::CoordinationBodiesView, Object::PlanBody, None, None)
        .await?;
    rows.into_iter()
        .map(|(name, organisation)| {
            let organisation = organisation
                .map(|o| OrganisationId::parse(&o).ok_or(StoreError::Corrupt("organisation id")))
                .transpose()?;
            Ok((name, organisation))
        })
        .collect()
}
