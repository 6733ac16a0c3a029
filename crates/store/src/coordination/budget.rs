//! The budget of a plan: its budget lines per year with the measures they
//! fund, and grants to associations. One query per list; every read and
//! write audited in its transaction.

use super::Plan;
use super::read::plan_row;
use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManagePlans, ViewPlans};
use relais_domain::coordination::budget::{
    Amounts, BudgetAction, BudgetLine, CreditNature, GRANT_COLUMNS, Grant, LINE_COLUMNS, Programme,
};
use relais_domain::coordination::measure::PlanCode;
use relais_domain::coordination::money::Euros;
use std::collections::{BTreeMap, HashMap};

/// A measure's year in the annual plan, as the budget compares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearFigures {
    /// The year's planned cost.
    pub cost: Option<Euros>,
    /// Spent in the year, as validated in a reporting round.
    pub spent: Option<Euros>,
}

/// A measure as the budget shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetMeasure {
    pub number: u32,
    pub title: String,
    /// The plan-level cost of the measure.
    pub cost: Option<Euros>,
    /// Its years in the annual plan, those with an entry only.
    pub years: BTreeMap<i32, YearFigures>,
}

/// A stored budget line with the part of its planned AE assigned to each
/// measure (by number, in number order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    pub id: String,
    pub line: BudgetLine,
    pub assigned: Vec<(u32, Euros)>,
}

/// A stored grant and the line it is paid from, if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGrant {
    pub id: String,
    pub grant: Grant,
    pub line_id: Option<String>,
}

/// A plan's whole budget, every year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanBudget {
    pub plan: Plan,
    pub measures: Vec<BudgetMeasure>,
    /// By year, programme, action.
    pub lines: Vec<StoredLine>,
    /// By year, beneficiary.
    pub grants: Vec<StoredGrant>,
}

impl PlanBudget {
    pub fn line(&self, id: &str) -> Option<&StoredLine> {
        self.lines.iter().find(|l| l.id == id)
    }
}

/// A plan's budget, read by a user who may view plans.
pub async fn budget(tx: &mut Tx, _can: &Capability<ViewPlans>, code: &PlanCode) -> Result<PlanBudget> {
    let (id, budget) = load(tx, code).await?;
    tx.audit(Action::CoordinationBudgetView, Object::Plan, Some(&id), None)
        .await?;
    Ok(budget)
}

type LineRow = (String, i64, String, String, String, String, String, i64, i64, i64, i64);

fn corrupt(what: &'static str) -> StoreError {
    StoreError::Corrupt(what)
}

fn cents(value: i64) -> Result<Euros> {
    Euros::from_cents(value).ok_or(corrupt("budget amount"))
}

fn number(value: i64) -> Result<u32> {
    u32::try_from(value).map_err(|_| corrupt("measure number"))
}

fn year(value: i64) -> Result<i32> {
    i32::try_from(value).map_err(|_| corrupt("budget year"))
}

async fn load(tx: &mut Tx, code: &PlanCode) -> Result<(String, PlanBudget)> {
    let (plan_id, plan) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let measure_rows: Vec<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT number, title, cost_cents FROM plan_measures WHERE plan_id = $1 ORDER BY number")
            .bind(plan_id.clone())
            .fetch_all(tx.conn())
            .await?;
    let line_rows: Vec<LineRow> = sqlx::query_as(
        "SELECT id, year, programme, programme_label, action, action_label, nature, ae_planned_cents, \
         ae_committed_cents, cp_planned_cents, cp_paid_cents FROM budget_lines WHERE plan_id = $1 \
         ORDER BY year, programme, action, created_at, id",
    )
    .bind(plan_id.clone())
    .fetch_all(tx.conn())
    .await?;
    let year_rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT m.number, e.year, e.cost_cents, e.spent_cents FROM plan_annual_entries e \
         JOIN plan_measures m ON m.id = e.measure_id WHERE e.plan_id = $1",
    )
    .bind(plan_id.clone())
    .fetch_all(tx.conn())
    .await?;
    let link_rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT l.line_id, m.number, l.amount_cents FROM budget_line_measures l \
         JOIN plan_measures m ON m.id = l.measure_id \
         WHERE m.plan_id = $1 ORDER BY m.number",
    )
    .bind(plan_id.clone())
    .fetch_all(tx.conn())
    .await?;
    let grant_rows: Vec<(String, i64, String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT g.id, g.year, g.beneficiary, g.amount_cents, m.number, g.line_id FROM budget_grants g \
         JOIN plan_measures m ON m.id = g.measure_id \
         WHERE g.plan_id = $1 ORDER BY g.year, g.beneficiary, g.id",
    )
    .bind(plan_id.clone())
    .fetch_all(tx.conn())
    .await?;

    let mut years: HashMap<u32, BTreeMap<i32, YearFigures>> = HashMap::new();
    for (n, y, cost, spent) in year_rows {
        let figures = YearFigures {
            cost: cost.map(cents).transpose()?,
            spent: spent.map(cents).transpose()?,
        };
        years.entry(number(n)?).or_default().insert(year(y)?, figures);
    }
    let measures = measure_rows
        .into_iter()
        .map(|(n, title, cost)| {
            let number = number(n)?;
            Ok(BudgetMeasure {
                number,
                title,
                cost: cost.map(cents).transpose()?,
                years: years.remove(&number).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut assigned: HashMap<String, Vec<(u32, Euros)>> = HashMap::new();
    for (line_id, n, amount) in link_rows {
        assigned.entry(line_id).or_default().push((number(n)?, cents(amount)?));
    }
    let lines = line_rows
        .into_iter()
        .map(|row| to_line(row, &mut assigned))
        .collect::<Result<Vec<_>>>()?;
    let grants = grant_rows
        .into_iter()
        .map(|(id, y, beneficiary, amount, n, line_id)| {
            Ok(StoredGrant {
                id,
                grant: Grant {
                    year: year(y)?,
                    beneficiary,
                    amount: cents(amount)?,
                    measure: number(n)?,
                },
                line_id,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((
        plan_id,
        PlanBudget {
            plan,
            measures,
            lines,
            grants,
        },
    ))
}

fn to_line(row: LineRow, assigned: &mut HashMap<String, Vec<(u32, Euros)>>) -> Result<StoredLine> {
    let (id, y, programme, programme_label, action, action_label, nature, ae_p, ae_c, cp_p, cp_paid) = row;
    let line = BudgetLine {
        year: year(y)?,
        programme: Programme::parse(&programme).ok_or(corrupt("budget programme"))?,
        programme_label,
        action: BudgetAction::parse(&action).ok_or(corrupt("budget action"))?,
        action_label,
        nature: CreditNature::parse(&nature).ok_or(corrupt("budget nature"))?,
        amounts: Amounts {
            ae_planned: cents(ae_p)?,
            ae_committed: cents(ae_c)?,
            cp_planned: cents(cp_p)?,
            cp_paid: cents(cp_paid)?,
        },
    };
    Ok(StoredLine {
        assigned: assigned.remove(&id).unwrap_or_default(),
        id,
        line,
    })
}

/// Adds a budget line to a plan (`id` `None`) or changes one; returns its id.
/// The year must be one of the plan's (checked by
/// `relais_domain::coordination::budget::check_line`).
pub async fn save_line(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    code: &PlanCode,
    id: Option<&str>,
    line: &BudgetLine,
) -> Result<String> {
    save_line_in(tx, code, id, line).await
}

/// [`save_line`] for the demonstration data and the benchmark.
pub async fn add_line_as_system(tx: &mut Tx, code: &PlanCode, line: &BudgetLine) -> Result<String> {
    save_line_in(tx, code, None, line).await
}

async fn save_line_in(tx: &mut Tx, code: &PlanCode, id: Option<&str>, line: &BudgetLine) -> Result<String> {
    let (plan_id, _) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let now = tx.now().0;
    let amounts = line.amounts;
    let (statement, line_id) = match id {
        Some(id) => (
            "UPDATE budget_lines SET year = $3, programme = $4, programme_label = $5, action = $6, \
             action_label = $7, nature = $8, ae_planned_cents = $9, ae_committed_cents = $10, \
             cp_planned_cents = $11, cp_paid_cents = $12, updated_at = $13 WHERE id = $1 AND plan_id = $2",
            id.to_owned(),
        ),
        None => (
            "INSERT INTO budget_lines (id, plan_id, year, programme, programme_label, action, action_label, \
             nature, ae_planned_cents, ae_committed_cents, cp_planned_cents, cp_paid_cents, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
            crate::record_id_hex(),
        ),
    };
    let written = sqlx::query(statement)
        .bind(line_id.clone())
        .bind(plan_id)
        .bind(i64::from(line.year))
        .bind(line.programme.code())
        .bind(line.programme_label.clone())
        .bind(line.action.code())
        .bind(line.action_label.clone())
        .bind(line.nature.key().to_owned())
        .bind(amounts.ae_planned.cents())
        .bind(amounts.ae_committed.cents())
        .bind(amounts.cp_planned.cents())
        .bind(amounts.cp_paid.cents())
        .bind(now)
        .execute(tx.conn())
        .await?;
    if written.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    let action = if id.is_some() {
        Action::CoordinationBudgetLineUpdate
    } else {
        Action::CoordinationBudgetLineCreate
    };
    tx.audit(action, Object::BudgetLine, Some(&line_id), None).await?;
    Ok(line_id)
}

/// The measures of a plan by number → id.
async fn measure_ids(tx: &mut Tx, plan_id: &str) -> Result<HashMap<u32, String>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT number, id FROM plan_measures WHERE plan_id = $1")
        .bind(plan_id.to_owned())
        .fetch_all(tx.conn())
        .await?;
    rows.into_iter().map(|(n, id)| Ok((number(n)?, id))).collect()
}

/// Replaces the measures a line funds: each measure number with the part of
/// the line's planned AE assigned to it (checked by
/// `relais_domain::coordination::budget::check_assignments`).
pub async fn set_line_measures(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    code: &PlanCode,
    line_id: &str,
    assigned: &[(u32, Euros)],
) -> Result<()> {
    set_line_measures_in(tx, code, line_id, assigned).await
}

/// [`set_line_measures`] for the demonstration data and the benchmark.
pub async fn set_line_measures_as_system(
    tx: &mut Tx,
    code: &PlanCode,
    line_id: &str,
    assigned: &[(u32, Euros)],
) -> Result<()> {
    set_line_measures_in(tx, code, line_id, assigned).await
}

async fn set_line_measures_in(tx: &mut Tx, code: &PlanCode, line_id: &str, assigned: &[(u32, Euros)]) -> Result<()> {
    let (plan_id, _) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let owned: Option<(String,)> = sqlx::query_as("SELECT id FROM budget_lines WHERE id = $1 AND plan_id = $2")
        .bind(line_id.to_owned())
        .bind(plan_id.clone())
        .fetch_optional(tx.conn())
        .await?;
    if owned.is_none() {
        return Err(StoreError::NotFound);
    }
    let ids = measure_ids(tx, &plan_id).await?;
    sqlx::query("DELETE FROM budget_line_measures WHERE line_id = $1")
        .bind(line_id.to_owned())
        .execute(tx.conn())
        .await?;
    for (measure, amount) in assigned {
        let measure_id = ids.get(measure).ok_or(StoreError::NotFound)?;
        sqlx::query("INSERT INTO budget_line_measures (line_id, measure_id, amount_cents) VALUES ($1, $2, $3)")
            .bind(line_id.to_owned())
            .bind(measure_id.clone())
            .bind(amount.cents())
            .execute(tx.conn())
            .await?;
    }
    tx.audit(
        Action::CoordinationBudgetLineMeasures,
        Object::BudgetLine,
        Some(line_id),
        Some(&format!("{} measures", assigned.len())),
    )
    .await
}

/// Records a grant to an association for one of the plan's measures,
/// paid from `line_id` (a line of the same plan) when given.
pub async fn add_grant(
    tx: &mut Tx,
    _can: &Capability<ManagePlans>,
    code: &PlanCode,
    grant: &Grant,
    line_id: Option<&str>,
) -> Result<String> {
    add_grant_in(tx, code, grant, line_id).await
}

/// [`add_grant`] for the demonstration data.
pub async fn add_grant_as_system(tx: &mut Tx, code: &PlanCode, grant: &Grant, line_id: Option<&str>) -> Result<String> {
    add_grant_in(tx, code, grant, line_id).await
}

async fn add_grant_in(tx: &mut Tx, code: &PlanCode, grant: &Grant, line_id: Option<&str>) -> Result<String> {
    let (plan_id, _) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let measure_id = measure_ids(tx, &plan_id)
        .await?
        .remove(&grant.measure)
        .ok_or(StoreError::NotFound)?;
    if let Some(line_id) = line_id {
        let owned: Option<(String,)> = sqlx::query_as("SELECT id FROM budget_lines WHERE id = $1 AND plan_id = $2")
            .bind(line_id.to_owned())
            .bind(plan_id.clone())
            .fetch_optional(tx.conn())
            .await?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    let id = crate::record_id_hex();
    sqlx::query(
        "INSERT INTO budget_grants (id, plan_id, year, beneficiary, amount_cents, measure_id, line_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.clone())
    .bind(plan_id)
    .bind(i64::from(grant.year))
    .bind(grant.beneficiary.clone())
    .bind(grant.amount.cents())
    .bind(measure_id)
    .bind(line_id.map(str::to_owned))
    .bind(tx.now().0)
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::CoordinationBudgetGrantCreate,
        Object::BudgetGrant,
        Some(&id),
        None,
    )
    .await?;
    Ok(id)
}

/// The plan's budget lines as CSV ([`LINE_COLUMNS`]), by year, programme
/// and action, every cell neutralised against formulas.
pub async fn export_budget_csv(tx: &mut Tx, _can: &Capability<ViewPlans>, code: &PlanCode) -> Result<String> {
    let (plan_id, budget) = load(tx, code).await?;
    tx.audit(
        Action::CoordinationBudgetExport,
        Object::Plan,
        Some(&plan_id),
        Some("lines"),
    )
    .await?;
    crate::csv_rows::write(&LINE_COLUMNS, budget.lines.iter().map(|l| l.line.to_row(&l.assigned)))
}

/// The plan's grants as CSV ([`GRANT_COLUMNS`]); `line` names the budget
/// line as `programme-action-year`.
pub async fn export_grants_csv(tx: &mut Tx, _can: &Capability<ViewPlans>, code: &PlanCode) -> Result<String> {
    let (plan_id, budget) = load(tx, code).await?;
    tx.audit(
        Action::CoordinationBudgetExport,
        Object::Plan,
        Some(&plan_id),
        Some("grants"),
    )
    .await?;
    let line_name = |id: &Option<String>| {
        id.as_deref()
            .and_then(|id| budget.line(id))
            .map(|l| format!("{}-{}-{}", l.line.programme.code(), l.line.action.code(), l.line.year))
            .unwrap_or_default()
    };
    crate::csv_rows::write(
        &GRANT_COLUMNS,
        budget.grants.iter().map(|g| {
            [
                g.grant.year.to_string(),
                g.grant.beneficiary.clone(),
                g.grant.amount.to_text(),
                g.grant.measure.to_string(),
                line_name(&g.line_id),
            ]
        }),
    )
}
