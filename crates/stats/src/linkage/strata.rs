//! Capture histories by stratum (issue 15, part 3): the year a source recorded a person, sex,
//! age group and form of exploitation, carried in clear beside each key (coarse variables only,
//! never the birth date: ADR 0049), turned into one table of capture histories per stratum
//! value for the existing estimation.
//!
//! A person's value of a variable comes from its cluster's records: the most frequent value
//! among the records that have one; a tie goes to the value of the record of the earliest
//! source (the order the sources were given); absent when no record has one. A person whose
//! records disagree counts as *conflicting*, so that the analyst sees how far the rule decided.
//!
//! The year is the exception: sources list the persons they recorded each year, so the table of
//! a year holds the persons some source recorded that year, each with the sources that recorded
//! them that year. A person recorded in several years is in each of those years' tables (and
//! counts as conflicting for the year).

use relais_domain::intake::person_match::BirthDate;
use relais_domain::intake::referral::ExploitationForm;
use serde::{Deserialize, Serialize};
use strum::EnumCount;

use super::cluster::RecordRef;
use crate::{Dataset, MseError};

/// Age at which a person is an adult.
const ADULT_AGE: i32 = 18;

/// Sex as the source recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, EnumCount)]
pub enum Sex {
    F,
    M,
}

impl Sex {
    pub const ALL: [Self; Self::COUNT] = [Self::F, Self::M];

    /// `F` or `M`, either case.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "F" | "f" => Some(Self::F),
            "M" | "m" => Some(Self::M),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::F => "F",
            Self::M => "M",
        }
    }
}

/// Minor or adult during the year the source recorded the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum AgeGroup {
    Minor,
    Adult,
}

impl AgeGroup {
    pub const ALL: [Self; Self::COUNT] = [Self::Minor, Self::Adult];

    /// The age group in `year` of a person born on `birth`. A person under 18 on any day of
    /// the year is a minor (as in referrals, a person is presumed a child until shown
    /// otherwise), so a birth year alone that makes the person 18 during the year gives a
    /// minor. `None` when the year is before the birth year.
    pub fn in_year(birth: BirthDate, year: i32) -> Option<Self> {
        let (born, turns_adult_on_new_year) = match birth {
            BirthDate::Full(y, m, d) => (y, m == 1 && d == 1),
            BirthDate::Year(y) => (y, false),
        };
        let age_at_year_end = year - born;
        if age_at_year_end < 0 {
            None
        } else if age_at_year_end > ADULT_AGE || (age_at_year_end == ADULT_AGE && turns_adult_on_new_year) {
            Some(Self::Adult)
        } else {
            Some(Self::Minor)
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Minor => "minor",
            Self::Adult => "adult",
        }
    }
}

/// What a record says in clear beside its key, every part optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stratum {
    /// The year the source recorded the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Derived at the source from the birth date and the year; absent without either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_group: Option<AgeGroup>,
    /// The main form of exploitation recorded, with the keys of referrals
    /// (`sexual`, `labour`, `domestic-servitude`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exploitation: Option<ExploitationForm>,
}

impl Stratum {
    /// The stratum of a record: the age group is derived when both the year and the birth date
    /// are known.
    pub fn of(
        year: Option<i32>,
        birth: Option<BirthDate>,
        sex: Option<Sex>,
        exploitation: Option<ExploitationForm>,
    ) -> Self {
        Self {
            year,
            sex,
            age_group: year.zip(birth).and_then(|(y, b)| AgeGroup::in_year(b, y)),
            exploitation,
        }
    }

    /// Whether the record says nothing in clear (files without strata).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The value of one variable, as the tables name it (`2024`, `F`, `minor`, `sexual`).
    pub fn value(&self, variable: Variable) -> Option<String> {
        match variable {
            Variable::Year => self.year.map(|y| y.to_string()),
            Variable::Sex => self.sex.map(|s| s.key().to_owned()),
            Variable::AgeGroup => self.age_group.map(|a| a.key().to_owned()),
            Variable::Exploitation => self.exploitation.map(|e| e.key().to_owned()),
        }
    }
}

/// A variable by which capture histories are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum Variable {
    Year,
    Sex,
    AgeGroup,
    Exploitation,
}

impl Variable {
    pub const ALL: [Self; Self::COUNT] = [Self::Year, Self::Sex, Self::AgeGroup, Self::Exploitation];
}

/// The value a person takes from its records (`value_of` reads a record's), by the module's
/// rule, and whether the records disagreed.
fn most_frequent<T: PartialEq>(cluster: &[RecordRef], value_of: impl Fn(RecordRef) -> Option<T>) -> (Option<T>, bool) {
    // (value, records holding it, earliest source holding it)
    let mut seen: Vec<(T, usize, usize)> = Vec::new();
    for &record in cluster {
        let Some(value) = value_of(record) else {
            continue;
        };
        match seen.iter_mut().find(|(v, _, _)| *v == value) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 = entry.2.min(record.0);
            }
            None => seen.push((value, 1, record.0)),
        }
    }
    let conflicting = seen.len() > 1;
    let chosen = seen
        .into_iter()
        .min_by(|x, y| y.1.cmp(&x.1).then(x.2.cmp(&y.2)))
        .map(|(value, _, _)| value);
    (chosen, conflicting)
}

/// Each person's stratum from its records, by the module's rule (the year too: the most
/// frequent year among its records), and the number of persons whose records disagree on at
/// least one variable. `strata[s][i]` is the stratum of record `i` of source `s`; a record
/// outside `strata` has none.
pub fn person_strata(clusters: &[Vec<RecordRef>], strata: &[Vec<Stratum>]) -> (Vec<Stratum>, usize) {
    let mut conflicting = 0;
    let persons = clusters
        .iter()
        .map(|cluster| {
            let of = |r| record_stratum(strata, r);
            let (year, c1) = most_frequent(cluster, |r| of(r).year);
            let (sex, c2) = most_frequent(cluster, |r| of(r).sex);
            let (age_group, c3) = most_frequent(cluster, |r| of(r).age_group);
            let (exploitation, c4) = most_frequent(cluster, |r| of(r).exploitation);
            conflicting += usize::from(c1 || c2 || c3 || c4);
            Stratum {
                year,
                sex,
                age_group,
                exploitation,
            }
        })
        .collect();
    (persons, conflicting)
}

fn record_stratum(strata: &[Vec<Stratum>], (source, index): RecordRef) -> Stratum {
    strata
        .get(source)
        .and_then(|s| s.get(index))
        .copied()
        .unwrap_or_default()
}

/// The capture histories of the persons of one stratum value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StratumHistories {
    /// The year, when the tables are split by year and by another variable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The variable's value (`2024`, `F`, `minor`, `sexual`); for tables by year and by
    /// another variable, the other variable's value.
    pub value: String,
    /// Persons in the table.
    pub persons: usize,
    /// The table for [`crate::analyse`]; serialised as its counts by history bit mask.
    #[serde(serialize_with = "counts_only")]
    pub histories: Dataset,
}

fn counts_only<S: serde::Serializer>(dataset: &Dataset, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(dataset.counts())
}

/// Capture histories split by a variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stratified {
    pub variable: Variable,
    /// One table per value present, by year then value.
    pub tables: Vec<StratumHistories>,
    /// Persons whose records disagree on the variable (for the year: recorded in several
    /// years, so in several tables).
    pub conflicting: usize,
    /// Persons in no table: no record has a value of the variable.
    pub without_value: usize,
}

/// The capture histories of each value of `variable`, sources named by `names` in their order.
pub fn histories_by(
    names: &[String],
    clusters: &[Vec<RecordRef>],
    strata: &[Vec<Stratum>],
    variable: Variable,
) -> Result<Stratified, MseError> {
    if variable == Variable::Year {
        return histories_by_year_and(names, clusters, strata, None);
    }
    let mut split = Split::new(names.len());
    let (mut conflicting, mut without_value) = (0, 0);
    for cluster in clusters {
        let (value, conflict) = most_frequent(cluster, |r| record_stratum(strata, r).value(variable));
        conflicting += usize::from(conflict);
        match value {
            Some(value) => split.add(None, value, cluster.iter().map(|r| r.0)),
            None => without_value += 1,
        }
    }
    Ok(Stratified {
        variable,
        tables: split.tables(names)?,
        conflicting,
        without_value,
    })
}

/// The capture histories of each year and, within a year, of each value of `variable` (only
/// the year when `None`): a year's table holds the persons some source recorded that year,
/// with the sources that recorded them that year, and their value of `variable` from those
/// records only.
pub fn histories_by_year_and(
    names: &[String],
    clusters: &[Vec<RecordRef>],
    strata: &[Vec<Stratum>],
    variable: Option<Variable>,
) -> Result<Stratified, MseError> {
    let variable = variable.filter(|v| *v != Variable::Year);
    let mut split = Split::new(names.len());
    let (mut conflicting, mut without_value) = (0, 0);
    for cluster in clusters {
        let mut years: Vec<i32> = cluster.iter().filter_map(|&r| record_stratum(strata, r).year).collect();
        years.sort_unstable();
        years.dedup();
        let mut conflict = years.len() > 1;
        let mut placed = false;
        for &year in &years {
            let in_year: Vec<RecordRef> = cluster
                .iter()
                .copied()
                .filter(|&r| record_stratum(strata, r).year == Some(year))
                .collect();
            let value = match variable {
                None => Some(year.to_string()),
                Some(variable) => {
                    let (value, disagree) = most_frequent(&in_year, |r| record_stratum(strata, r).value(variable));
                    conflict |= disagree;
                    value
                }
            };
            if let Some(value) = value {
                split.add(Some(year), value, in_year.iter().map(|r| r.0));
                placed = true;
            }
        }
        conflicting += usize::from(conflict);
        without_value += usize::from(!placed);
    }
    Ok(Stratified {
        variable: variable.unwrap_or(Variable::Year),
        tables: split.tables(names)?,
        conflicting,
        without_value,
    })
}

/// Counts of histories per (year, value), filled person by person.
struct Split {
    sources: usize,
    cells: std::collections::BTreeMap<(Option<i32>, String), (usize, Vec<u64>)>,
}

impl Split {
    fn new(sources: usize) -> Self {
        Self {
            sources: sources.min(crate::MAX_LISTS + 1),
            cells: std::collections::BTreeMap::new(),
        }
    }

    fn add(&mut self, year: Option<i32>, value: String, sources: impl Iterator<Item = usize>) {
        let last = self.sources.saturating_sub(1);
        let history = sources.fold(0usize, |h, s| h | (1 << s.min(last)));
        let size = 1 << self.sources;
        let (persons, counts) = self.cells.entry((year, value)).or_insert_with(|| (0, vec![0; size]));
        *persons += 1;
        counts[history] += 1;
    }

    fn tables(self, names: &[String]) -> Result<Vec<StratumHistories>, MseError> {
        self.cells
            .into_iter()
            .map(|((year, value), (persons, counts))| {
                Ok(StratumHistories {
                    year,
                    value,
                    persons,
                    histories: Dataset::new(names.to_vec(), counts)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stratum(year: i32, sex: Sex, age_group: AgeGroup, exploitation: ExploitationForm) -> Stratum {
        Stratum {
            year: Some(year),
            sex: Some(sex),
            age_group: Some(age_group),
            exploitation: Some(exploitation),
        }
    }

    #[test]
    fn the_age_group_is_a_minor_on_any_day_of_the_year() {
        let born = |text: &str| BirthDate::parse(text).unwrap();
        assert_eq!(AgeGroup::in_year(born("2006-05-01"), 2023), Some(AgeGroup::Minor));
        assert_eq!(AgeGroup::in_year(born("2006-05-01"), 2024), Some(AgeGroup::Minor));
        assert_eq!(AgeGroup::in_year(born("2006-01-01"), 2024), Some(AgeGroup::Adult));
        assert_eq!(AgeGroup::in_year(born("2006"), 2024), Some(AgeGroup::Minor));
        assert_eq!(AgeGroup::in_year(born("2006"), 2025), Some(AgeGroup::Adult));
        assert_eq!(AgeGroup::in_year(born("2006"), 2005), None);
        let s = Stratum::of(Some(2024), Some(born("1990-02-03")), Some(Sex::F), None);
        assert_eq!(s.age_group, Some(AgeGroup::Adult));
        assert_eq!(Stratum::of(None, Some(born("1990")), None, None).age_group, None);
        assert!(Stratum::default().is_empty());
    }

    #[test]
    fn a_person_takes_the_most_frequent_value_and_ties_go_to_the_earliest_source() {
        use AgeGroup::{Adult, Minor};
        use ExploitationForm::{Labour, Sexual};
        use Sex::{F, M};
        let strata = vec![
            vec![stratum(2023, F, Minor, Sexual), stratum(2023, M, Adult, Labour)],
            vec![stratum(2024, M, Minor, Labour), Stratum::default()],
            vec![Stratum {
                exploitation: None,
                ..stratum(2024, M, Minor, Sexual)
            }],
        ];
        let clusters = vec![vec![(0, 0), (1, 0), (2, 0)], vec![(0, 1), (1, 1)]];
        let (persons, conflicting) = person_strata(&clusters, &strata);
        // Person 0: sex M twice against F once; year 2024 twice; exploitation a tie of
        // sexual (source 0) and labour (source 1): the earliest source wins.
        assert_eq!(persons[0], stratum(2024, M, Minor, Sexual));
        assert_eq!(persons[1], stratum(2023, M, Adult, Labour));
        assert_eq!(conflicting, 1);
        let (none, conflicting) = person_strata(&[vec![(0, 0)]], &[]);
        assert_eq!((none[0], conflicting), (Stratum::default(), 0));
    }

    #[test]
    fn histories_split_by_a_variable_and_by_year() {
        use AgeGroup::{Adult, Minor};
        use ExploitationForm::{Labour, Sexual};
        use Sex::{F, M};
        let names: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let strata = vec![
            vec![
                stratum(2023, F, Minor, Sexual),
                stratum(2023, M, Adult, Labour),
                Stratum::default(),
            ],
            vec![stratum(2024, F, Adult, Sexual), stratum(2023, F, Adult, Labour)],
        ];
        let clusters = vec![vec![(0, 0), (1, 0)], vec![(0, 1), (1, 1)], vec![(0, 2)]];
        let by_sex = histories_by(&names, &clusters, &strata, Variable::Sex).unwrap();
        // Person 1 is M (source a) and F (source b): the tie goes to source a.
        let counts = |s: &Stratified| {
            s.tables
                .iter()
                .map(|t| (t.year, t.value.clone(), t.persons, t.histories.counts().to_vec()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            counts(&by_sex),
            [
                (None, "F".into(), 1, vec![0, 0, 0, 1]),
                (None, "M".into(), 1, vec![0, 0, 0, 1])
            ]
        );
        assert_eq!((by_sex.conflicting, by_sex.without_value), (1, 1));
        // By year: person 0 is in 2023 by a only and in 2024 by b only.
        let by_year = histories_by(&names, &clusters, &strata, Variable::Year).unwrap();
        assert_eq!(
            counts(&by_year),
            [
                (Some(2023), "2023".into(), 2, vec![0, 1, 0, 1]),
                (Some(2024), "2024".into(), 1, vec![0, 0, 1, 0])
            ]
        );
        assert_eq!((by_year.conflicting, by_year.without_value), (1, 1));
        // Age group within each year: person 0 was a minor in 2023 and an adult in 2024.
        let by_age = histories_by_year_and(&names, &clusters, &strata, Some(Variable::AgeGroup)).unwrap();
        assert_eq!(
            counts(&by_age),
            [
                (Some(2023), "adult".into(), 1, vec![0, 0, 0, 1]),
                (Some(2023), "minor".into(), 1, vec![0, 1, 0, 0]),
                (Some(2024), "adult".into(), 1, vec![0, 0, 1, 0])
            ]
        );
        assert_eq!(by_age.conflicting, 1);
        let json = serde_json::to_value(&by_age).unwrap();
        assert_eq!(json["variable"], "age-group");
        assert_eq!(json["tables"][0]["histories"], serde_json::json!([0, 0, 0, 1]));
    }
}
