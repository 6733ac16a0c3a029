//! The national action plans (issue 13): plans, their measures and every
//! version of a measure, the file import and export, the public view, the
//! budget (lines, the measures they fund, grants to associations). None
//! of it is about a person, so nothing here is encrypted; reads and writes
//! by users are audited like everything else. The coordination committee
//! (`committee`) holds its members' names and e-mail addresses.

pub mod annual;
mod budget;
pub mod committee;
mod evaluation;
mod import;
mod read;
pub mod rounds;
mod write;

pub use budget::{
    BudgetMeasure, PlanBudget, StoredGrant, StoredLine, YearFigures, add_grant, add_grant_as_system,
    add_line_as_system, budget, export_budget_csv, export_grants_csv, save_line, set_line_measures,
    set_line_measures_as_system,
};
pub use evaluation::{EVALUATION_COLUMNS, evaluation, export_evaluation_csv, export_evaluation_xlsx};
pub use import::{
    ImportError, Imported, PlanHeader, export_csv, export_xlsx, import, import_as_system, publish_as_system,
    set_source_as_system,
};
pub use read::{Version, bodies, measure, plan, plan_as_system, plans, published_plans};
pub use write::{MeasureEdit, RatingEdit, rate_measure, set_published, update_measure};

use relais_domain::coordination::measure::{MeasureRecord, Period, PlanCode};
use relais_domain::time::Timestamp;

/// A plan as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub code: PlanCode,
    pub title: String,
    pub period: Period,
    pub published: bool,
    pub updated_at: Timestamp,
}

/// A measure as stored: its checked fields and what only the application keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeasure {
    pub record: MeasureRecord,
    pub description: String,
    /// The rapporteur's reasons for the rating.
    pub justification: String,
    /// Where the facts come from (a published evaluation, or demonstration data).
    pub source: String,
    /// Incremented by every change: an edit based on an older version is refused.
    pub version: i64,
    pub updated_at: Timestamp,
}

/// The field a version records for the rapporteur's justification, beside
/// the measure's own fields.
pub const JUSTIFICATION_FIELD: &str = "rapporteur_justification";

impl StoredMeasure {
    /// The fields a version records (see `relais_domain::coordination::measure::diff`).
    fn versioned_fields(&self) -> std::collections::BTreeMap<String, String> {
        let mut fields = self.record.fields(&self.description);
        fields.insert(JUSTIFICATION_FIELD.to_owned(), self.justification.clone());
        fields
    }
}
