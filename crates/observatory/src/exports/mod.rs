//! The exports for the observatory's partners (issue 14, part 7), each in the partner's own
//! vocabulary:
//!
//! - [`eurostat`]: registered victims of a year by sex and by age group, citizenship and form
//!   of exploitation, in the long shape of Eurostat's `crim_thb` tables, every figure through
//!   the disclosure policy;
//! - [`ctdc`]: one line per victim with the CTDC codebook's variable names, its
//!   quasi-identifiers made k-anonymous by [`anonymity`] and checked before anything is written;
//! - [`htcds`]: one case as IOM's Human Trafficking Case Data Standard v2 fields.

pub mod anonymity;
pub mod ctdc;
pub mod eurostat;
pub mod htcds;

use relais_domain::spreadsheet;

/// The country whose mechanism Relais is (ISO 3166-1 alpha-3): the Eurostat table's reporting
/// country, whose citizens are counted apart.
pub const REPORTING_COUNTRY: &str = "FRA";

/// CSV text of a header and lines, every cell neutralised against formulas.
fn csv_text(header: &[&str], lines: impl IntoIterator<Item = Vec<String>>) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header)?;
    for line in lines {
        out.write_record(line.iter().map(|cell| spreadsheet::safe_cell(cell).into_owned()))?;
    }
    let bytes = out.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
