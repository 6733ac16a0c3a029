//! One year's annual plan as a CSV file or an XLSX workbook: a line per
//! measure, its milestones and indicators in one cell each (a line apiece),
//! what it lacks, every cell neutralised against formulas.

use super::{AnnualMeasure, read::annual_plan_as_system};
use crate::{Result, StoreError, Tx};
use relais_domain::coordination::annual::year_gaps;
use relais_domain::coordination::funding::FundingSource;
use relais_domain::coordination::measure::PlanCode;
use relais_domain::spreadsheet;

/// The columns of a year's export, in order.
pub const ANNUAL_COLUMNS: [&str; 19] = [
    "axis",
    "action",
    "measure",
    "title",
    "pilot",
    "year",
    "milestones",
    "indicators",
    "cost_eur",
    "spent_eur",
    "funding_kind",
    "funding_programme",
    "funding_action",
    "funding_label",
    "funding",
    "status",
    "status_evidence",
    "status_on",
    "missing",
];

fn row(year: i32, measure: &AnnualMeasure) -> [String; 19] {
    let record = &measure.record;
    let entry = &measure.entry;
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let milestones: Vec<String> = entry
        .milestones
        .iter()
        .map(|m| match m.milestone.done {
            Some(done) => format!("{}: {} (done {done})", m.milestone.due, m.milestone.title),
            None => format!("{}: {}", m.milestone.due, m.milestone.title),
        })
        .collect();
    let indicators: Vec<String> = entry
        .indicators
        .iter()
        .map(|i| {
            let text = |t: &Option<String>| t.clone().unwrap_or_default();
            let values: Vec<String> = i.values.iter().map(|v| format!("{}={}", v.on, v.value)).collect();
            format!(
                "{} [{}]; baseline {}; target {}; source {}; values {}",
                i.indicator.definition,
                i.indicator.unit,
                text(&i.indicator.baseline),
                text(&i.indicator.target),
                text(&i.indicator.source),
                values.join(", ")
            )
        })
        .collect();
    let (parts_m, parts_i) = measure.parts();
    let missing: Vec<&str> = year_gaps(year, &measure.with_year(&parts_m, &parts_i))
        .into_iter()
        .map(|g| g.key())
        .collect();
    let funding = entry.money.funding.as_ref();
    let budget = funding.and_then(FundingSource::budget_codes);
    let status = entry.status.as_ref();
    [
        number(record.axis),
        number(record.action),
        record.number.to_string(),
        record.title.clone(),
        record.pilot.clone().unwrap_or_default(),
        year.to_string(),
        milestones.join("\n"),
        indicators.join("\n"),
        entry.money.cost.map(|c| c.to_text()).unwrap_or_default(),
        entry.spent.map(|c| c.to_text()).unwrap_or_default(),
        funding.map(|f| f.kind().to_owned()).unwrap_or_default(),
        budget.map(|(p, _)| p.to_owned()).unwrap_or_default(),
        budget.map(|(_, a)| a.to_owned()).unwrap_or_default(),
        funding
            .and_then(FundingSource::label)
            .map(str::to_owned)
            .unwrap_or_default(),
        funding.map(FundingSource::french).unwrap_or_default(),
        status.map(|s| s.status.key().to_owned()).unwrap_or_default(),
        status.map(|s| s.evidence.clone()).unwrap_or_default(),
        status.map(|s| s.on.to_string()).unwrap_or_default(),
        missing.join(";"),
    ]
}

/// A plan's year as CSV (UTF-8, a header line of [`ANNUAL_COLUMNS`]).
pub async fn export_year_csv(tx: &mut Tx, code: &PlanCode, year: i32) -> Result<String> {
    let annual = annual_plan_as_system(tx, code, year).await?;
    crate::csv_rows::write(&ANNUAL_COLUMNS, annual.measures.iter().map(|m| row(year, m)))
}

/// A plan's year as an XLSX workbook: a bold header, costs as numbers so
/// that the spreadsheet sums them (spending too), text cells neutralised like the CSV's.
pub async fn export_year_xlsx(tx: &mut Tx, code: &PlanCode, year: i32) -> Result<Vec<u8>> {
    let annual = annual_plan_as_system(tx, code, year).await?;
    let failed = |_| StoreError::Corrupt("xlsx export");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(format!("{} {year}", annual.plan.code.as_str()))
        .map_err(failed)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let wrapped = rust_xlsxwriter::Format::new().set_text_wrap();
    for (col, column) in (0_u16..).zip(ANNUAL_COLUMNS) {
        sheet.write_string_with_format(0, col, column, &bold).map_err(failed)?;
    }
    for (line, measure) in (1_u32..).zip(&annual.measures) {
        for ((col, column), cell) in (0_u16..).zip(ANNUAL_COLUMNS).zip(row(year, measure)) {
            let amount = match column {
                "cost_eur" => measure.entry.money.cost,
                "spent_eur" => measure.entry.spent,
                _ => None,
            };
            match amount {
                Some(amount) => sheet.write_number(line, col, amount.as_f64()).map_err(failed)?,
                _ => sheet
                    .write_string_with_format(line, col, spreadsheet::safe_cell(&cell), &wrapped)
                    .map_err(failed)?,
            };
        }
    }
    workbook.save_to_buffer().map_err(failed)
}
