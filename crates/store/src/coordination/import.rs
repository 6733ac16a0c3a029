//! `relais plan import|export`: a plan as one CSV file, imported whole or
//! not at all, exported so that it imports back unchanged.

use super::StoredMeasure;
use super::read::{measures, plan_row};
use super::write::{body_ids, save};
use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManagePlans};
use relais_domain::coordination::measure::{self, COLUMNS, LineProblem, MeasureRecord, Period, PlanCode, Problem};
use std::collections::{BTreeMap, HashMap};

/// The plan a file fills: created, or its title and period updated.
#[derive(Debug, Clone)]
pub struct PlanHeader {
    pub code: PlanCode,
    pub title: String,
    pub period: Period,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Imported {
    pub measures: usize,
    /// Measures that got a new version (new ones included).
    pub changed: usize,
    pub bodies_created: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Nothing was imported: every problem of the file.
    #[error("{} problem(s) in the file", .0.len())]
    Invalid(Vec<LineProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports a plan file as a coordinator.
pub async fn import(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    header: &PlanHeader,
    text: &str,
    create_bodies: bool,
) -> Result<Imported, ImportError> {
    import_in(tx, header, text, create_bodies).await
}

/// [`import`] from the command line or the demonstration data.
pub async fn import_as_system(
    tx: &mut Tx,
    header: &PlanHeader,
    text: &str,
    create_bodies: bool,
) -> Result<Imported, ImportError> {
    import_in(tx, header, text, create_bodies).await
}

/// Records where the facts of every measure of a plan come from (shown on
/// each measure's page), e.g. a published evaluation or "fictional data".
pub async fn set_source_as_system(tx: &mut Tx, code: &PlanCode, source: &str) -> Result<()> {
    let (plan_id, _) = super::read::plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    sqlx::query("UPDATE plan_measures SET source = $1 WHERE plan_id = $2")
        .bind(source.to_owned())
        .bind(plan_id.clone())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::CoordinationPlanSource, Object::Plan, Some(&plan_id), None)
        .await
}

/// Shows a plan on the public page, as the system (demonstration data).
pub async fn publish_as_system(tx: &mut Tx, code: &PlanCode) -> Result<()> {
    let (plan_id, _) = super::read::plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    sqlx::query("UPDATE plans SET published = 1 WHERE id = $1")
        .bind(plan_id.clone())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::CoordinationPlanPublish, Object::Plan, Some(&plan_id), None)
        .await
}

/// Checks every line first; writes only when all are right. Measures of
/// the plan that the file does not name are left as they are.
async fn import_in(tx: &mut Tx, header: &PlanHeader, text: &str, create_bodies: bool) -> Result<Imported, ImportError> {
    let rows = crate::csv_rows::read(&COLUMNS, text).map_err(|line| {
        ImportError::Invalid(vec![LineProblem {
            line,
            problem: Problem {
                column: measure::HEADER_COLUMN,
                key: "columns",
            },
        }])
    })?;
    let mut bodies = body_ids(tx).await?;
    let names: HashMap<String, String> = sqlx::query_as::<_, (String,)>("SELECT name FROM plan_bodies")
        .fetch_all(tx.conn())
        .await
        .map_err(StoreError::from)?
        .into_iter()
        .map(|(name,)| (name.to_lowercase(), name))
        .collect();
    let records = check(&rows, &names, create_bodies)?;

    let bodies_created = create_missing_bodies(tx, &records, &mut bodies).await?;
    let plan_id = upsert_plan(tx, header).await?;
    write_structure(tx, &plan_id, &records).await?;
    let existing: HashMap<u32, (String, StoredMeasure)> = measures(tx.conn(), &plan_id, None)
        .await?
        .into_iter()
        .map(|(id, m)| (m.record.number, (id, m)))
        .collect();
    let mut changed = 0;
    for record in &records {
        let before = existing.get(&record.number);
        let after = match before {
            Some((_, stored)) => StoredMeasure {
                record: record.clone(),
                ..stored.clone()
            },
            None => StoredMeasure {
                record: record.clone(),
                description: String::new(),
                justification: String::new(),
                source: String::new(),
                version: 0,
                updated_at: tx.now(),
            },
        };
        changed += usize::from(save(tx, &plan_id, before, &after, &bodies).await?);
    }
    tx.audit(
        Action::CoordinationPlanImport,
        Object::Plan,
        Some(&plan_id),
        Some(&format!("{} measures, {changed} changed", records.len())),
    )
    .await?;
    Ok(Imported {
        measures: records.len(),
        changed,
        bodies_created,
    })
}

/// The file's lines checked against the bodies known by lower-case name
/// (outside the async code: the closure must not live across an await).
fn check(
    rows: &[crate::csv_rows::CsvRow],
    names: &HashMap<String, String>,
    create_bodies: bool,
) -> Result<Vec<MeasureRecord>, ImportError> {
    let known = |name: &str| names.get(&name.to_lowercase()).cloned();
    measure::check_file(rows, &known, create_bodies).map_err(ImportError::Invalid)
}

/// Every pilot and partner the records name (a plain function: an iterator
/// over borrowed names must not live in the async code, rust-lang/rust#64552).
fn named_bodies(records: &[MeasureRecord]) -> Vec<String> {
    records
        .iter()
        .flat_map(|r| r.pilot.iter().chain(&r.partners))
        .cloned()
        .collect()
}

async fn create_missing_bodies(
    tx: &mut Tx,
    records: &[MeasureRecord],
    bodies: &mut HashMap<String, String>,
) -> Result<usize> {
    let mut created = 0;
    for name in named_bodies(records) {
        if bodies.contains_key(&name.to_lowercase()) {
            continue;
        }
        let id = crate::record_id_hex();
        sqlx::query("INSERT INTO plan_bodies (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(id.clone())
            .bind(name.clone())
            .bind(tx.now().0)
            .execute(tx.conn())
            .await?;
        tx.audit(Action::CoordinationBodyCreate, Object::PlanBody, Some(&id), None)
            .await?;
        bodies.insert(name.to_lowercase(), id);
        created += 1;
    }
    Ok(created)
}

async fn upsert_plan(tx: &mut Tx, header: &PlanHeader) -> Result<String> {
    let now = tx.now().0;
    let start = i64::from(header.period.start);
    let end = i64::from(header.period.end);
    if let Some((id, _)) = plan_row(tx, &header.code).await? {
        sqlx::query("UPDATE plans SET title = $1, start_year = $2, end_year = $3, updated_at = $4 WHERE id = $5")
            .bind(header.title.clone())
            .bind(start)
            .bind(end)
            .bind(now)
            .bind(id.clone())
            .execute(tx.conn())
            .await?;
        return Ok(id);
    }
    let id = crate::record_id_hex();
    sqlx::query(
        "INSERT INTO plans (id, code, title, start_year, end_year, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id.clone())
    .bind(header.code.as_str().to_owned())
    .bind(header.title.clone())
    .bind(start)
    .bind(end)
    .bind(now)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::on_unique(e, "plan code"))?;
    Ok(id)
}

/// The axes and actions the file names, with their titles.
async fn write_structure(tx: &mut Tx, plan_id: &str, records: &[MeasureRecord]) -> Result<()> {
    let mut axes: BTreeMap<u32, &str> = BTreeMap::new();
    let mut actions: BTreeMap<u32, (Option<u32>, &str)> = BTreeMap::new();
    for record in records {
        if let Some(axis) = record.axis {
            axes.insert(axis, &record.axis_title);
        }
        if let Some(action) = record.action {
            actions.insert(action, (record.axis, &record.action_title));
        }
    }
    for (number, title) in axes {
        sqlx::query("DELETE FROM plan_axes WHERE plan_id = $1 AND number = $2")
            .bind(plan_id.to_owned())
            .bind(i64::from(number))
            .execute(tx.conn())
            .await?;
        sqlx::query("INSERT INTO plan_axes (plan_id, number, title) VALUES ($1, $2, $3)")
            .bind(plan_id.to_owned())
            .bind(i64::from(number))
            .bind(title.to_owned())
            .execute(tx.conn())
            .await?;
    }
    for (number, (axis, title)) in actions {
        sqlx::query("DELETE FROM plan_actions WHERE plan_id = $1 AND number = $2")
            .bind(plan_id.to_owned())
            .bind(i64::from(number))
            .execute(tx.conn())
            .await?;
        sqlx::query("INSERT INTO plan_actions (plan_id, number, axis, title) VALUES ($1, $2, $3, $4)")
            .bind(plan_id.to_owned())
            .bind(i64::from(number))
            .bind(axis.map(i64::from))
            .bind(title.to_owned())
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The plan as a CSV file with the columns of [`COLUMNS`], one line per
/// measure in number order.
pub async fn export_csv(tx: &mut Tx, code: &PlanCode) -> Result<String> {
    let (_, measures) = super::plan_as_system(tx, code).await?;
    crate::csv_rows::write(&COLUMNS, measures.iter().map(|m| m.record.to_row()))
}

/// The plan as an XLSX workbook: the columns of [`COLUMNS`] with a bold
/// header, costs as numbers so that the spreadsheet sums them.
pub async fn export_xlsx(tx: &mut Tx, code: &PlanCode) -> Result<Vec<u8>> {
    let (plan, measures) = super::plan_as_system(tx, code).await?;
    let failed = |_| StoreError::Corrupt("xlsx export");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(plan.code.as_str()).map_err(failed)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, column) in (0_u16..).zip(COLUMNS) {
        sheet.write_string_with_format(0, col, column, &bold).map_err(failed)?;
    }
    for (row, measure) in (1_u32..).zip(&measures) {
        for ((col, column), cell) in (0_u16..).zip(COLUMNS).zip(measure.record.to_row()) {
            match (column, measure.record.cost) {
                ("cost_eur", Some(cost)) => sheet.write_number(row, col, cost.as_f64()).map_err(failed)?,
                _ => sheet.write_string(row, col, cell).map_err(failed)?,
            };
        }
    }
    workbook.save_to_buffer().map_err(failed)
}
