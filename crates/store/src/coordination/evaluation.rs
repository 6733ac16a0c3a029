//! A plan's evaluation report (issue 13, part 6): every measure with the
//! government's status, the rapporteur's rating and justification, and
//! whether they diverge; read by those who may rate or manage plans, and
//! downloaded as CSV or XLSX with every text cell neutralised.

use super::read::{measures, plan_row};
use super::{Plan, StoredMeasure};
use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, EvaluatePlans};
use relais_domain::coordination::evaluation::Agreement;
use relais_domain::coordination::measure::PlanCode;
use relais_domain::spreadsheet;

/// A plan and its measures in number order, as the report reads them.
pub async fn evaluation(
    tx: &mut Tx,
    _can: &Capability<EvaluatePlans>,
    code: &PlanCode,
) -> Result<(Plan, Vec<StoredMeasure>)> {
    let (id, plan) = plan_row(tx, code).await?.ok_or(StoreError::NotFound)?;
    let measures = measures(tx.conn(), &id, None).await?;
    tx.audit(Action::CoordinationEvaluationView, Object::Plan, Some(&id), None)
        .await?;
    Ok((plan, measures.into_iter().map(|(_, m)| m).collect()))
}

/// The columns of the report's downloads, in order. `agreement` is
/// [`Agreement::key`]: agrees, diverges, no-status or not-rated.
pub const EVALUATION_COLUMNS: [&str; 9] = [
    "axis",
    "action",
    "measure",
    "title",
    "pilot",
    "status",
    "rapporteur_status",
    "rapporteur_justification",
    "agreement",
];

fn row(measure: &StoredMeasure) -> [String; 9] {
    let record = &measure.record;
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    [
        number(record.axis),
        number(record.action),
        record.number.to_string(),
        record.title.clone(),
        record.pilot.clone().unwrap_or_default(),
        record.status.map(|s| s.key().to_owned()).unwrap_or_default(),
        record.rating.map(|r| r.key().to_owned()).unwrap_or_default(),
        measure.justification.clone(),
        Agreement::of(record.status, record.rating).key().to_owned(),
    ]
}

/// The report as CSV (UTF-8, a header line of [`EVALUATION_COLUMNS`]).
pub async fn export_evaluation_csv(tx: &mut Tx, can: &Capability<EvaluatePlans>, code: &PlanCode) -> Result<String> {
    let (_, measures) = evaluation(tx, can, code).await?;
    crate::csv_rows::write(&EVALUATION_COLUMNS, measures.iter().map(row))
}

/// The report as an XLSX workbook: a bold header, text cells neutralised
/// like the CSV's.
pub async fn export_evaluation_xlsx(tx: &mut Tx, can: &Capability<EvaluatePlans>, code: &PlanCode) -> Result<Vec<u8>> {
    let (plan, measures) = evaluation(tx, can, code).await?;
    let failed = |_| StoreError::Corrupt("xlsx export");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(plan.code.as_str()).map_err(failed)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let wrapped = rust_xlsxwriter::Format::new().set_text_wrap();
    for (col, column) in (0_u16..).zip(EVALUATION_COLUMNS) {
        sheet.write_string_with_format(0, col, column, &bold).map_err(failed)?;
    }
    for (line, measure) in (1_u32..).zip(&measures) {
        for (col, cell) in (0_u16..).zip(row(measure)) {
            sheet
                .write_string_with_format(line, col, spreadsheet::safe_cell(&cell), &wrapped)
                .map_err(failed)?;
        }
    }
    workbook.save_to_buffer().map_err(failed)
}
