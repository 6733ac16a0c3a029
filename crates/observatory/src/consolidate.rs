//! Consolidated statistics (issue 14, part 5): the people of every source counted per year by
//! each dimension the observatory publishes, from pseudonymised records (one per person and
//! source), so that imported records, the associations' survey profiles and the NRM's own cases
//! go through the same counting. Series stay per source: definitions differ between sources and
//! their people overlap, so nothing here adds one source to another.
//!
//! Records are held column by column with each category interned once, which keeps a million
//! records in a few tens of megabytes and the counting a single pass.

use std::collections::{BTreeMap, HashMap};
use strum::EnumCount;

use relais_stats::{TableShapeError, TwoWayTable};

use crate::table::Crosstab;

/// What a consolidated figure is broken down by. Stored as its [`key`](Self::key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, EnumCount)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Form of exploitation.
    Form,
    Sex,
    AgeGroup,
    NationalityGroup,
    Departement,
    /// Who referred or recorded the person (police, labour inspection, association…).
    ReferrerType,
}

impl Dimension {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Form,
        Self::Sex,
        Self::AgeGroup,
        Self::NationalityGroup,
        Self::Departement,
        Self::ReferrerType,
    ];

    /// The column name in files and the key of translations.
    pub fn key(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::Sex => "sex",
            Self::AgeGroup => "age_group",
            Self::NationalityGroup => "nationality_group",
            Self::Departement => "departement",
            Self::ReferrerType => "referrer_type",
        }
    }

    fn position(self) -> usize {
        self as usize
    }
}

/// Marks a value the record does not have.
const MISSING: u32 = u32::MAX;

/// Interned category names of one variable, in the order first seen.
#[derive(Debug, Clone, Default)]
struct Categories {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Categories {
    fn intern(&mut self, value: Option<&str>) -> u32 {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return MISSING;
        };
        if let Some(&i) = self.index.get(value) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(MISSING);
        self.names.push(value.to_owned());
        self.index.insert(value.to_owned(), i);
        i
    }

    fn name(&self, i: u32) -> Option<&str> {
        self.names.get(i as usize).map(String::as_str)
    }
}

/// Pseudonymised records of every source, one per person and source.
#[derive(Debug, Clone, Default)]
pub struct Records {
    sources: Categories,
    source: Vec<u32>,
    year: Vec<u16>,
    values: [Vec<u32>; 6],
    categories: [Categories; 6],
}

/// One record as read: no name, no date finer than the year.
#[derive(Debug, Clone, Copy, Default)]
pub struct Record<'a> {
    pub source: &'a str,
    pub year: u16,
    pub form: Option<&'a str>,
    pub sex: Option<&'a str>,
    pub age_group: Option<&'a str>,
    pub nationality_group: Option<&'a str>,
    pub departement: Option<&'a str>,
    pub referrer_type: Option<&'a str>,
}

impl Records {
    pub fn push(&mut self, record: &Record<'_>) {
        self.source.push(self.sources.intern(Some(record.source)));
        self.year.push(record.year);
        let values = [
            record.form,
            record.sex,
            record.age_group,
            record.nationality_group,
            record.departement,
            record.referrer_type,
        ];
        for (d, value) in values.into_iter().enumerate() {
            let id = self.categories[d].intern(value);
            self.values[d].push(id);
        }
    }

    pub fn len(&self) -> usize {
        self.year.len()
    }

    pub fn is_empty(&self) -> bool {
        self.year.is_empty()
    }

    /// Counts every record once per dimension: for each source and year, the people by each
    /// category of each dimension, and the people without a value.
    pub fn consolidate(&self) -> Consolidated {
        let mut groups: HashMap<(u32, u16), Group> = HashMap::new();
        for i in 0..self.len() {
            let group = groups.entry((self.source[i], self.year[i])).or_default();
            group.people += 1;
            for d in 0..Dimension::ALL.len() {
                let value = self.values[d][i];
                if value == MISSING {
                    group.missing[d] += 1;
                } else {
                    *group.by[d].entry(value).or_default() += 1;
                }
            }
        }
        let mut figures = BTreeMap::new();
        for ((source, year), group) in groups {
            let Some(source) = self.sources.name(source) else {
                continue;
            };
            let by = Dimension::ALL.map(|d| {
                group.by[d.position()]
                    .iter()
                    .filter_map(|(&c, &n)| Some((self.categories[d.position()].name(c)?.to_owned(), n)))
                    .collect::<BTreeMap<_, _>>()
            });
            figures.insert(
                (source.to_owned(), year),
                Figures {
                    people: group.people,
                    by,
                    missing: group.missing,
                },
            );
        }
        Consolidated { figures }
    }

    /// The people of `source` in `year` by two dimensions, to publish as a two-way table;
    /// records without either value are left out (and counted).
    pub fn cross(
        &self,
        source: &str,
        year: u16,
        rows: Dimension,
        cols: Dimension,
    ) -> Result<Crosstab, TableShapeError> {
        let wanted = self.sources.index.get(source).copied();
        let picked = (0..self.len()).filter(|&i| Some(self.source[i]) == wanted && self.year[i] == year);
        self.crosstab(picked, rows, cols)
    }

    /// The people of `source` by year and one dimension: the trend, as a two-way table.
    pub fn trend(&self, source: &str, dimension: Dimension) -> Result<Crosstab, TableShapeError> {
        let wanted = self.sources.index.get(source).copied();
        let mut pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut left_out = 0;
        for i in (0..self.len()).filter(|&i| Some(self.source[i]) == wanted) {
            match self.categories[dimension.position()].name(self.values[dimension.position()][i]) {
                Some(c) => *pairs.entry((self.year[i].to_string(), c.to_owned())).or_default() += 1,
                None => left_out += 1,
            }
        }
        build("year", dimension.key(), pairs, left_out)
    }

    fn crosstab(
        &self,
        picked: impl Iterator<Item = usize>,
        rows: Dimension,
        cols: Dimension,
    ) -> Result<Crosstab, TableShapeError> {
        let (r, c) = (rows.position(), cols.position());
        let mut pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut left_out = 0;
        for i in picked {
            match (
                self.categories[r].name(self.values[r][i]),
                self.categories[c].name(self.values[c][i]),
            ) {
                (Some(a), Some(b)) => *pairs.entry((a.to_owned(), b.to_owned())).or_default() += 1,
                _ => left_out += 1,
            }
        }
        build(rows.key(), cols.key(), pairs, left_out)
    }
}

/// A crosstab from counts per (row category, column category), categories in byte order.
fn build(
    rows: &str,
    cols: &str,
    pairs: BTreeMap<(String, String), u64>,
    left_out: u64,
) -> Result<Crosstab, TableShapeError> {
    let row_categories: Vec<String> = pairs
        .keys()
        .map(|(r, _)| r.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let col_categories: Vec<String> = pairs
        .keys()
        .map(|(_, c)| c.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut counts = vec![0u64; row_categories.len() * col_categories.len()];
    for ((r, c), n) in &pairs {
        if let (Ok(i), Ok(j)) = (row_categories.binary_search(r), col_categories.binary_search(c)) {
            counts[i * col_categories.len() + j] = *n;
        }
    }
    let counts = TwoWayTable::new(row_categories.len(), col_categories.len(), counts)?;
    Ok(Crosstab {
        row_variable: rows.to_owned(),
        col_variable: cols.to_owned(),
        row_categories,
        col_categories,
        counts,
        left_out,
    })
}

#[derive(Debug, Default)]
struct Group {
    people: u64,
    by: [HashMap<u32, u64>; 6],
    missing: [u64; 6],
}

/// What one source counted in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub people: u64,
    by: [BTreeMap<String, u64>; 6],
    missing: [u64; 6],
}

impl Figures {
    /// The people by each category of `dimension`, categories in byte order.
    pub fn by(&self, dimension: Dimension) -> &BTreeMap<String, u64> {
        &self.by[dimension.position()]
    }

    /// The people the source recorded without a value for `dimension`.
    pub fn missing(&self, dimension: Dimension) -> u64 {
        self.missing[dimension.position()]
    }
}

/// The figures of every source and year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Consolidated {
    figures: BTreeMap<(String, u16), Figures>,
}

impl Consolidated {
    pub fn figures(&self, source: &str, year: u16) -> Option<&Figures> {
        self.figures.get(&(source.to_owned(), year))
    }

    /// Sources and years with figures, in order.
    pub fn series(&self) -> impl Iterator<Item = (&str, u16)> {
        self.figures.keys().map(|(s, y)| (s.as_str(), *y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records() -> Records {
        let mut records = Records::default();
        let people = [
            ("police", 2023, "sexual", "F", "75"),
            ("police", 2023, "sexual", "F", "93"),
            ("police", 2023, "labour", "M", "93"),
            ("police", 2024, "labour", "M", "2A"),
            ("labour-inspection", 2024, "labour", "", "06"),
        ];
        for (source, year, form, sex, departement) in people {
            records.push(&Record {
                source,
                year,
                form: Some(form),
                sex: Some(sex),
                departement: Some(departement),
                ..Record::default()
            });
        }
        records
    }

    #[test]
    fn each_source_and_year_is_counted_apart_by_each_dimension() {
        let consolidated = records().consolidate();
        let police = consolidated.figures("police", 2023).unwrap();
        assert_eq!(police.people, 3);
        assert_eq!(
            police.by(Dimension::Form),
            &BTreeMap::from([("labour".into(), 1), ("sexual".into(), 2)])
        );
        assert_eq!(police.missing(Dimension::AgeGroup), 3);
        let inspection = consolidated.figures("labour-inspection", 2024).unwrap();
        assert_eq!(inspection.missing(Dimension::Sex), 1, "an empty value is missing");
        assert!(inspection.by(Dimension::Sex).is_empty());
        assert_eq!(
            consolidated.series().collect::<Vec<_>>(),
            [("labour-inspection", 2024), ("police", 2023), ("police", 2024)]
        );
    }

    #[test]
    fn a_cross_and_a_trend_are_tables_to_protect() {
        let records = records();
        let cross = records
            .cross("police", 2023, Dimension::Departement, Dimension::Sex)
            .unwrap();
        assert_eq!(cross.row_categories, ["75", "93"]);
        assert_eq!(cross.col_categories, ["F", "M"]);
        assert_eq!(cross.counts, TwoWayTable::new(2, 2, vec![1, 0, 1, 1]).unwrap());
        let trend = records.trend("police", Dimension::Form).unwrap();
        assert_eq!(trend.row_categories, ["2023", "2024"]);
        assert_eq!(trend.counts, TwoWayTable::new(2, 2, vec![1, 2, 1, 0]).unwrap());
        assert!(records.cross("nobody", 2023, Dimension::Form, Dimension::Sex).is_err());
    }
}
