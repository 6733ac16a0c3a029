//! Training sessions (issue 14, part 8; ADR 0044): each with its counts by
//! profession, a year's sessions, its totals by profession and by
//! département, and a session cancelled (not deleted) when entered by
//! mistake. Counts of professionals, never a name; read and written in
//! audited transactions all the same.

use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, RecordTraining, ViewPlans, ViewStatistics};
use relais_domain::observatory::training::{Profession, Session};
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Timestamp};
use std::collections::HashMap;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub id: String,
    pub session: Session,
    pub recorded_at: Timestamp,
    /// The display name of who recorded it; `None` for the demo data.
    pub recorded_by: Option<String>,
}

/// A year's totals: people trained by profession (in [`Profession::ALL`]
/// order, professions with nobody left out) and by département (by code).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearTotals {
    pub by_profession: Vec<(Profession, u64)>,
    pub by_departement: Vec<(Departement, u64)>,
    pub sessions: u64,
}

fn count(n: i64, what: &'static str) -> Result<u64> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(what))
}

fn profession(key: &str) -> Result<Profession> {
    Profession::parse(key).ok_or(StoreError::Corrupt("training profession"))
}

/// Records a session with its counts; returns its id.
pub async fn record(tx: &mut Tx, _can: &Capability<RecordTraining>, session: &Session) -> Result<String> {
    record_as_system(tx, session).await
}

/// [`record`] for the demo data.
pub async fn record_as_system(tx: &mut Tx, session: &Session) -> Result<String> {
    let id = crate::record_id_hex();
    let total = i64::try_from(session.total()).map_err(|_| StoreError::Conflict("too many people"))?;
    sqlx::query(
        "INSERT INTO training_sessions (id, held_on, year, title, organiser, departement, total, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.clone())
    .bind(session.held_on.to_string())
    .bind(i64::from(session.held_on.year))
    .bind(session.title.clone())
    .bind(session.organiser.clone())
    .bind(session.departement.code())
    .bind(total)
    .bind(tx.now().0)
    .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
    .execute(tx.conn())
    .await?;
    for (profession, trained) in &session.trained {
        sqlx::query("INSERT INTO training_counts (session_id, profession, trained) VALUES ($1, $2, $3)")
            .bind(id.clone())
            .bind(profession.key())
            .bind(i64::from(*trained))
            .execute(tx.conn())
            .await?;
    }
    tx.audit(Action::TrainingRecord, Object::TrainingSession, Some(&id), None)
        .await?;
    Ok(id)
}

/// Cancels a session entered by mistake: it stays, with who and when, and
/// stops counting.
pub async fn cancel(tx: &mut Tx, _can: &Capability<RecordTraining>, id: &str) -> Result<()> {
    let written = sqlx::query(
        "UPDATE training_sessions SET cancelled_at = $1, cancelled_by = $2 WHERE id = $3 AND cancelled_at IS NULL",
    )
    .bind(tx.now().0)
    .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
    .bind(id.to_owned())
    .execute(tx.conn())
    .await?;
    if written.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    tx.audit(Action::TrainingCancel, Object::TrainingSession, Some(id), None)
        .await
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    held_on: String,
    title: String,
    organiser: String,
    departement: String,
    recorded_at: i64,
    recorded_by: Option<String>,
}

/// The sessions held in `year` that count (not cancelled), latest first,
/// with the years that have sessions: three queries whatever their number.
pub async fn sessions(
    tx: &mut Tx,
    _can: &Capability<RecordTraining>,
    year: i32,
) -> Result<(Vec<StoredSession>, Vec<i32>)> {
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT s.id, s.held_on, s.title, s.organiser, s.departement, s.recorded_at, u.display_name AS recorded_by \
         FROM training_sessions s LEFT JOIN users u ON u.id = s.recorded_by \
         WHERE s.year = $1 AND s.cancelled_at IS NULL ORDER BY s.held_on DESC, s.id",
    )
    .bind(i64::from(year))
    .fetch_all(tx.conn())
    .await?;
    let counts: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT c.session_id, c.profession, c.trained FROM training_counts c \
         JOIN training_sessions s ON s.id = c.session_id WHERE s.year = $1 AND s.cancelled_at IS NULL",
    )
    .bind(i64::from(year))
    .fetch_all(tx.conn())
    .await?;
    let mut by_session: HashMap<String, Vec<(Profession, u32)>> = HashMap::new();
    for (session, key, trained) in counts {
        let trained = u32::try_from(trained).map_err(|_| StoreError::Corrupt("training count"))?;
        by_session
            .entry(session)
            .or_default()
            .push((profession(&key)?, trained));
    }
    let years = years(tx).await?;
    tx.audit(Action::TrainingList, Object::TrainingSession, None, None)
        .await?;
    let sessions = rows
        .into_iter()
        .map(|row| {
            let counted = by_session.remove(&row.id).unwrap_or_default();
            let trained = Profession::ALL
                .into_iter()
                .filter_map(|p| counted.iter().find(|(q, _)| *q == p).copied())
                .collect();
            Ok(StoredSession {
                session: Session {
                    held_on: Date::parse(&row.held_on).ok_or(StoreError::Corrupt("training date"))?,
                    title: row.title,
                    organiser: row.organiser,
                    departement: Departement::parse(&row.departement)
                        .ok_or(StoreError::Corrupt("training département"))?,
                    trained,
                },
                id: row.id,
                recorded_at: Timestamp(row.recorded_at),
                recorded_by: row.recorded_by,
            })
        })
        .collect::<Result<_>>()?;
    Ok((sessions, years))
}

/// The years that have sessions, latest first.
async fn years(tx: &mut Tx) -> Result<Vec<i32>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT DISTINCT year FROM training_sessions WHERE cancelled_at IS NULL ORDER BY year DESC")
            .fetch_all(tx.conn())
            .await?;
    rows.into_iter()
        .map(|(y,)| i32::try_from(y).map_err(|_| StoreError::Corrupt("training year")))
        .collect()
}

// PostgreSQL sums BIGINT as NUMERIC: the casts keep one type on both backends.
async fn totals_of(tx: &mut Tx, year: i32) -> Result<YearTotals> {
    let professions: Vec<(String, i64)> = sqlx::query_as(
        "SELECT c.profession, CAST(SUM(c.trained) AS BIGINT) FROM training_counts c \
         JOIN training_sessions s ON s.id = c.session_id WHERE s.year = $1 AND s.cancelled_at IS NULL \
         GROUP BY c.profession",
    )
    .bind(i64::from(year))
    .fetch_all(tx.conn())
    .await?;
    let departements: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT departement, CAST(SUM(total) AS BIGINT), COUNT(*) FROM training_sessions WHERE year = $1 AND cancelled_at IS NULL \
         GROUP BY departement ORDER BY departement",
    )
    .bind(i64::from(year))
    .fetch_all(tx.conn())
    .await?;
    let mut counted = Vec::new();
    for (key, n) in professions {
        counted.push((profession(&key)?, count(n, "training total")?));
    }
    let by_profession = Profession::ALL
        .into_iter()
        .filter_map(|p| counted.iter().find(|(q, _)| *q == p).copied())
        .collect();
    let mut by_departement = Vec::new();
    let mut sessions = 0;
    for (code, n, held) in departements {
        let departement = Departement::parse(&code).ok_or(StoreError::Corrupt("training département"))?;
        by_departement.push((departement, count(n, "training total")?));
        sessions += count(held, "training sessions")?;
    }
    Ok(YearTotals {
        by_profession,
        by_departement,
        sessions,
    })
}

/// A year's totals, for the statistics page (shown under the disclosure
/// policy by the caller), with the years that have sessions.
pub async fn totals(tx: &mut Tx, _can: &Capability<ViewStatistics>, year: i32) -> Result<(YearTotals, Vec<i32>)> {
    let totals = totals_of(tx, year).await?;
    let years = years(tx).await?;
    tx.audit(Action::TrainingTotalsRead, Object::TrainingSession, None, None)
        .await?;
    Ok((totals, years))
}

/// A year's totals by profession, for the plan indicators counted from
/// the training records (shown under the disclosure policy by the caller).
pub async fn totals_for_plans(tx: &mut Tx, _can: &Capability<ViewPlans>, year: i32) -> Result<YearTotals> {
    let totals = totals_of(tx, year).await?;
    tx.audit(Action::TrainingTotalsRead, Object::TrainingSession, None, None)
        .await?;
    Ok(totals)
}
