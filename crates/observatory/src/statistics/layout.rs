//! Which columns of a source hold what a consolidated figure needs. Sources name their columns
//! in their own words (the demo's `annee`, `forme`, `tranche_age`): a dimension is recognised by
//! its English key or the French names the producers use, the year by its Table Schema type.

use crate::consolidate::Dimension;
use crate::import::Schema;
use crate::import::value::FieldType;
use relais_domain::observatory::source::DataKind;
use strum::EnumCount;

/// Column names read as each dimension: the observatory's own key first, then French names.
fn names(dimension: Dimension) -> &'static [&'static str] {
    match dimension {
        Dimension::Form => &["form", "forme", "forme_exploitation"],
        Dimension::Sex => &["sex", "sexe"],
        Dimension::AgeGroup => &["age_group", "tranche_age", "classe_age"],
        Dimension::NationalityGroup => &["nationality_group", "groupe_nationalite", "nationalite"],
        Dimension::Departement => &["departement", "code_departement"],
        Dimension::ReferrerType => &["referrer_type", "type_orienteur", "type_signalant"],
    }
}

/// Names of a year column whose type is not `year`.
const YEAR_NAMES: [&str; 2] = ["year", "annee"];

/// Why a source's version cannot be consolidated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, EnumCount)]
pub enum LayoutError {
    #[error("no column holds the year")]
    NoYear,
    #[error("an aggregated table needs an integer column holding the count")]
    NoCount,
    #[error("no column holds a published dimension")]
    NoDimension,
}

impl LayoutError {
    pub const ALL: [Self; Self::COUNT] = [Self::NoYear, Self::NoCount, Self::NoDimension];

    /// The key of its translation.
    pub fn key(self) -> &'static str {
        match self {
            Self::NoYear => "no-year",
            Self::NoCount => "no-count",
            Self::NoDimension => "no-dimension",
        }
    }
}

/// The columns of a version that the statistics read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub year: String,
    /// The dimensions the source declares, in [`Dimension::ALL`] order, with their column.
    pub dimensions: Vec<(Dimension, String)>,
    /// The column counted in an aggregated table; `None` for records (each row one person).
    pub count: Option<String>,
}

impl Layout {
    pub fn of(schema: &Schema, kind: DataKind) -> Result<Self, LayoutError> {
        let year = schema
            .fields
            .iter()
            .find(|f| f.field_type == FieldType::Year)
            .or_else(|| {
                schema
                    .fields
                    .iter()
                    .find(|f| f.field_type == FieldType::Integer && YEAR_NAMES.contains(&f.name.as_str()))
            })
            .ok_or(LayoutError::NoYear)?
            .name
            .clone();
        let dimensions: Vec<(Dimension, String)> = Dimension::ALL
            .into_iter()
            .filter_map(|d| {
                schema
                    .fields
                    .iter()
                    .find(|f| f.name != year && names(d).contains(&f.name.as_str()))
                    .map(|f| (d, f.name.clone()))
            })
            .collect();
        if dimensions.is_empty() {
            return Err(LayoutError::NoDimension);
        }
        let count = match kind {
            DataKind::Records => None,
            DataKind::Aggregated => Some(
                schema
                    .fields
                    .iter()
                    .find(|f| {
                        f.field_type == FieldType::Integer
                            && f.name != year
                            && !dimensions.iter().any(|(_, column)| *column == f.name)
                    })
                    .ok_or(LayoutError::NoCount)?
                    .name
                    .clone(),
            ),
        };
        Ok(Self {
            year,
            dimensions,
            count,
        })
    }

    /// The column holding `dimension`, if the source declares it.
    pub fn column(&self, dimension: Dimension) -> Option<&str> {
        self.dimensions
            .iter()
            .find(|(d, _)| *d == dimension)
            .map(|(_, c)| c.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(fields: &str) -> Schema {
        Schema::parse(&format!(r#"{{"fields": [{fields}]}}"#)).unwrap()
    }

    #[test]
    fn the_demo_columns_are_recognised() {
        let aggregated = schema(
            r#"{"name": "annee", "type": "year"}, {"name": "forme", "type": "string"},
               {"name": "sexe", "type": "string"}, {"name": "tranche_age", "type": "string"},
               {"name": "victimes", "type": "integer"}"#,
        );
        let layout = Layout::of(&aggregated, DataKind::Aggregated).unwrap();
        assert_eq!(layout.year, "annee");
        assert_eq!(layout.count.as_deref(), Some("victimes"));
        assert_eq!(
            layout.dimensions.iter().map(|(d, _)| *d).collect::<Vec<_>>(),
            [Dimension::Form, Dimension::Sex, Dimension::AgeGroup]
        );
        assert_eq!(layout.column(Dimension::AgeGroup), Some("tranche_age"));
        assert_eq!(layout.column(Dimension::Departement), None);

        let records = schema(
            r#"{"name": "pseudonyme", "type": "string"}, {"name": "year", "type": "integer"},
               {"name": "departement", "type": "string"}, {"name": "referrer_type", "type": "string"}"#,
        );
        let layout = Layout::of(&records, DataKind::Records).unwrap();
        assert_eq!(layout.year, "year");
        assert_eq!(layout.count, None);
        assert_eq!(layout.column(Dimension::ReferrerType), Some("referrer_type"));
    }

    #[test]
    fn what_cannot_be_consolidated_is_named() {
        let no_year = schema(r#"{"name": "sexe", "type": "string"}"#);
        assert_eq!(Layout::of(&no_year, DataKind::Records), Err(LayoutError::NoYear));
        let no_dimension = schema(r#"{"name": "annee", "type": "year"}, {"name": "n", "type": "integer"}"#);
        assert_eq!(
            Layout::of(&no_dimension, DataKind::Aggregated),
            Err(LayoutError::NoDimension)
        );
        let no_count = schema(r#"{"name": "annee", "type": "year"}, {"name": "sexe", "type": "string"}"#);
        assert_eq!(Layout::of(&no_count, DataKind::Aggregated), Err(LayoutError::NoCount));
    }
}
