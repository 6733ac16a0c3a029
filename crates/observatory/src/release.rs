//! A release's content (issue 14, part 7; ADR 0043): the tables it freezes,
//! each a source's current version broken down by one dimension up to the
//! release's year, protected once by the disclosure policy as the
//! statistics page protects it, with the source's definitions as they stood.
//! Only published figures are kept: the content is public once released.
//!
//! The open data are written from the content: a CSV in long form with its
//! Table Schema (in a Data Package whose resource carries the CSV's SHA-256,
//! the release's checksum), and a workbook with a sheet per table.

use rand::{CryptoRng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::release::{Draft, TablePick};
use relais_domain::observatory::source::Definition;
use relais_domain::spreadsheet::safe_cell;
use relais_stats::{Disclosure, Epsilon, Published, TwoWayTable, noisy};
use relais_store::observatory::release::{NewRelease, Spend};
use relais_store::observatory::{self as store, CurrentRows, Source};
use relais_store::{StoreError, Tx};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use strum::EnumCount;

use crate::consolidate::Dimension;
use crate::import::Schema;
use crate::statistics::{Layout, ProtectedSeries, PublishedSeries, Series};

/// A source's definitions as they stood when a release froze its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenSource {
    #[serde(flatten)]
    pub definition: Definition,
    /// The version whose figures were frozen.
    pub version: u32,
}

/// One frozen table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub source: FrozenSource,
    pub series: PublishedSeries,
    /// What the table spent of the release's privacy budget, when its counts were noised.
    #[serde(default)]
    pub epsilon: Option<Epsilon>,
}

/// The mechanism that noises a differentially private release's counts (in the ledger).
pub const MECHANISM: &str = "discrete-laplace";

/// What a release publishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    pub year: i32,
    pub tables: Vec<Table>,
    /// The release's differential-privacy budget, split evenly between its tables; `None`
    /// for exact counts.
    #[serde(default)]
    pub epsilon: Option<Epsilon>,
}

/// Why a chosen table cannot be frozen (the key of its message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum Refusal {
    /// The source has no current version, or does not declare the dimension.
    NotAvailable,
    /// The source counts nobody in the release's year.
    NoFigures,
    /// The stored version cannot be read back.
    Unreadable,
    /// The privacy budget leaves less than a hundredth to a table.
    BudgetTooSmall,
}

impl Refusal {
    pub const ALL: [Self; Self::COUNT] = [
        Self::NotAvailable,
        Self::NoFigures,
        Self::Unreadable,
        Self::BudgetTooSmall,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::NotAvailable => "not-available",
            Self::NoFigures => "no-figures",
            Self::Unreadable => "unreadable",
            Self::BudgetTooSmall => "budget-too-small",
        }
    }
}

/// A source with its current version, as the store gives them.
pub struct Current<'a> {
    pub source: &'a Source,
    pub rows: &'a CurrentRows,
}

/// The dimensions a source's current version can be broken down by, in its descriptor's order.
pub fn dimensions(current: &Current<'_>) -> Vec<Dimension> {
    layout(current).map_or_else(Vec::new, |l| l.dimensions.iter().map(|(d, _)| *d).collect())
}

/// The dimensions a source's descriptor declares (its versions were checked against it or an
/// earlier one: freezing checks the version's own).
pub fn declared_dimensions(source: &Source) -> Vec<Dimension> {
    layout_of(&source.schema_json, source).map_or_else(Vec::new, |l| l.dimensions.iter().map(|(d, _)| *d).collect())
}

fn layout(current: &Current<'_>) -> Option<Layout> {
    layout_of(&current.rows.schema_json, current.source)
}

fn layout_of(schema_json: &str, source: &Source) -> Option<Layout> {
    let schema = Schema::parse(schema_json).ok()?;
    Layout::of(&schema, source.definition.data_kind).ok()
}

/// Freezes `picks` for `year` under `policy`: every table or, if any cannot be made, each
/// refused pick with why. With a budget `epsilon`, each table's counts get discrete Laplace
/// noise for its even share of it (drawn from `rng`) before the policy applies.
pub fn freeze(
    picks: &[TablePick],
    sources: &[Current<'_>],
    year: i32,
    policy: Disclosure,
    epsilon: Option<Epsilon>,
    rng: &mut impl CryptoRng,
) -> Result<Content, Vec<(TablePick, Refusal)>> {
    let share = match epsilon.map(|e| e.split(picks.len())) {
        Some(None) => return Err(picks.iter().map(|p| (p.clone(), Refusal::BudgetTooSmall)).collect()),
        Some(share) => share,
        None => None,
    };
    let mut tables = Vec::new();
    let mut refused = Vec::new();
    for pick in picks {
        match freeze_one(pick, sources, year, policy, share.map(|e| (e, &mut *rng))) {
            Ok(table) => tables.push(table),
            Err(why) => refused.push((pick.clone(), why)),
        }
    }
    if refused.is_empty() {
        Ok(Content { year, tables, epsilon })
    } else {
        Err(refused)
    }
}

fn freeze_one<R: CryptoRng>(
    pick: &TablePick,
    sources: &[Current<'_>],
    year: i32,
    policy: Disclosure,
    noise: Option<(Epsilon, &mut R)>,
) -> Result<Table, Refusal> {
    let current = sources
        .iter()
        .find(|c| c.source.definition.code == pick.source)
        .ok_or(Refusal::NotAvailable)?;
    let layout = layout(current).ok_or(Refusal::Unreadable)?;
    let dimension = layout
        .dimensions
        .iter()
        .map(|(d, _)| *d)
        .find(|d| d.key() == pick.dimension)
        .ok_or(Refusal::NotAvailable)?;
    let series = Series::count(&layout, dimension, &current.rows.rows)
        .map_err(|_| Refusal::Unreadable)?
        .ok_or(Refusal::NoFigures)?;
    let mut series = until(series, year).ok_or(Refusal::NoFigures)?;
    let epsilon = noise.as_ref().map(|(e, _)| *e);
    if let Some((epsilon, rng)) = noise {
        series.counts = noisy(&series.counts, epsilon, rng);
    }
    Ok(Table {
        source: FrozenSource {
            definition: current.source.definition.clone(),
            version: current.rows.number,
        },
        series: ProtectedSeries::new(series, policy).published(),
        epsilon,
    })
}

/// The series' years up to `year`, which it must hold; the categories counted in them.
fn until(series: Series, year: i32) -> Option<Series> {
    series.years.binary_search(&year).ok()?;
    let cols: Vec<usize> = (0..series.years.len()).filter(|&j| series.years[j] <= year).collect();
    let count = |i: usize, j: usize| series.counts.count(i, j).unwrap_or(0);
    let rows: Vec<usize> = (0..series.categories.len())
        .filter(|&i| cols.iter().any(|&j| count(i, j) > 0))
        .collect();
    let counts = rows
        .iter()
        .flat_map(|&i| cols.iter().map(move |&j| (i, j)))
        .map(|(i, j)| count(i, j))
        .collect();
    Some(Series {
        dimension: series.dimension,
        categories: rows.iter().map(|&i| series.categories[i].clone()).collect(),
        years: cols.iter().map(|&j| series.years[j]).collect(),
        counts: TwoWayTable::new(rows.len(), cols.len(), counts).ok()?,
        left_out: 0,
    })
}

/// What preparing a release came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepared {
    /// The draft's id.
    Drafted(String),
    /// Nothing was stored: each table that cannot be frozen, with why.
    Refused(Vec<(TablePick, Refusal)>),
}

/// Reads the current version of every source `draft` draws on, freezes its tables under
/// `policy` and stores the draft with its checksum.
pub async fn prepare(
    tx: &mut Tx,
    can: &Capability<ManageObservatory>,
    draft: &Draft,
    policy: Disclosure,
) -> Result<Prepared, StoreError> {
    let sources = store::sources(tx, can).await?;
    let mut read = Vec::new();
    for source in sources
        .iter()
        .filter(|s| draft.tables.iter().any(|t| t.source == s.definition.code))
    {
        if let Some(rows) = store::current_rows(tx, can, &source.definition.code).await? {
            read.push((source, rows));
        }
    }
    let current: Vec<Current<'_>> = read.iter().map(|(source, rows)| Current { source, rows }).collect();
    let epsilon = draft.epsilon_hundredths.and_then(Epsilon::from_hundredths);
    let mut rng = ChaCha20Rng::from_seed(relais_store::random_bytes::<32>());
    let content = match freeze(&draft.tables, &current, draft.year, policy, epsilon, &mut rng) {
        Ok(content) => content,
        Err(refused) => return Ok(Prepared::Refused(refused)),
    };
    let content_json = serde_json::to_string(&content).map_err(|_| StoreError::Corrupt("release content"))?;
    let spends: Vec<Spend> = content
        .tables
        .iter()
        .filter_map(|t| {
            Some(Spend {
                source_code: t.source.definition.code.as_str().to_owned(),
                dimension: t.series.dimension.key().to_owned(),
                epsilon_hundredths: t.epsilon?.hundredths(),
                mechanism: MECHANISM.to_owned(),
            })
        })
        .collect();
    let id = store::release::create(
        tx,
        can,
        &NewRelease {
            year: draft.year,
            title: &draft.title,
            note: &draft.note,
            content_json: &content_json,
            sha256: &checksum(&content),
            epsilon_hundredths: content.epsilon.map(Epsilon::hundredths),
            spends: &spends,
        },
    )
    .await?;
    Ok(Prepared::Drafted(id))
}

/// The open-data CSV's name in the Data Package.
pub const CSV_NAME: &str = "tableaux.csv";

/// One line of the open-data file per published figure: the table's source and dimension, the
/// category (or the total), the year (empty for the total over the years), the count or the
/// kind of suppression.
pub fn csv(content: &Content) -> String {
    let mut out = String::from("source,version_source,variable,ligne,modalite,annee,effectif,secret\n");
    for table in &content.tables {
        let s = &table.series;
        let rows = s.categories.len();
        for i in 0..=rows {
            let (line, category) = match s.categories.get(i) {
                Some(c) => match c.value() {
                    Some(v) => ("modalite", quoted(&safe_cell(v))),
                    None => ("non-renseigne", String::new()),
                },
                None => ("total", String::new()),
            };
            for j in 0..=s.years.len() {
                let year = s.years.get(j).map(i32::to_string).unwrap_or_default();
                let (count, secret) = match s.cell(i, j).cell {
                    Published::Count(n) => (n.to_string(), ""),
                    Published::Primary => (String::new(), "primaire"),
                    Published::Secondary => (String::new(), "secondaire"),
                };
                out.push_str(&format!(
                    "{},{},{},{line},{category},{year},{count},{secret}\n",
                    table.source.definition.code.as_str(),
                    table.source.version,
                    s.dimension.key(),
                ));
            }
        }
    }
    out
}

/// A CSV field, quoted when it holds a delimiter, a quote or a line break.
fn quoted(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The checksum of a release: the SHA-256 of its open-data CSV, in hex.
pub fn checksum(content: &Content) -> String {
    hex::encode(Sha256::digest(csv(content).as_bytes()))
}

/// The Data Package describing the CSV (Table Schema, licence, checksum). `name` is the
/// package's identifier (`relais-2025-v1`), `title` the release's.
pub fn datapackage(content: &Content, name: &str, title: &str) -> serde_json::Value {
    let csv = csv(content);
    let sources: Vec<&str> = content
        .tables
        .iter()
        .map(|t| t.source.definition.code.as_str())
        .collect();
    let dimensions: Vec<&str> = Dimension::ALL.iter().map(|d| d.key()).collect();
    serde_json::json!({
        "name": name,
        "title": title,
        "licenses": [{
            "name": "etalab-2.0",
            "title": "Licence Ouverte / Open Licence version 2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
        }],
        "resources": [{
            "name": "tableaux",
            "path": CSV_NAME,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "hash": format!("sha256:{}", hex::encode(Sha256::digest(csv.as_bytes()))),
            "bytes": csv.len(),
            "schema": {
                "fields": [
                    {"name": "source", "type": "string", "title": "Code de la source",
                     "constraints": {"required": true, "enum": sources}},
                    {"name": "version_source", "type": "integer", "title": "Version de la source publiée",
                     "constraints": {"required": true, "minimum": 1}},
                    {"name": "variable", "type": "string", "title": "Variable de ventilation",
                     "constraints": {"required": true, "enum": dimensions}},
                    {"name": "ligne", "type": "string",
                     "title": "Nature de la ligne : une modalité, les personnes sans valeur renseignée, ou le total",
                     "constraints": {"required": true, "enum": ["modalite", "non-renseigne", "total"]}},
                    {"name": "modalite", "type": "string", "title": "Modalité, telle que la source l’écrit"},
                    {"name": "annee", "type": "year", "title": "Année (vide : total des années)"},
                    {"name": "effectif", "type": "integer", "title": "Effectif (vide : secret statistique)",
                     "constraints": {"minimum": 0}},
                    {"name": "secret", "type": "string",
                     "title": "Secret statistique : primaire (moins de personnes que le seuil) ou secondaire",
                     "constraints": {"enum": ["primaire", "secondaire"]}}
                ],
                "missingValues": [""]
            }
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais_domain::observatory::source::{DataKind, SourceCode, Unit};
    use relais_domain::time::Timestamp;

    fn source(code: &str) -> Source {
        Source {
            id: "s1".into(),
            definition: Definition {
                code: SourceCode::parse(code).unwrap(),
                name: "Source fictive".into(),
                producer: "Observatoire".into(),
                unit: Unit::parse("victim").unwrap(),
                data_kind: DataKind::Aggregated,
                counting_rule: "Une victime par personne".into(),
                period: "Année civile".into(),
                territory: "France".into(),
                contact: "observatoire@example.org".into(),
                quality_notes: String::new(),
            },
            schema_json: String::new(),
            current: None,
            updated_at: Timestamp(0),
        }
    }

    fn rows(values: &[(i32, &str, u64)]) -> CurrentRows {
        CurrentRows {
            number: 3,
            schema_json: r#"{"fields": [{"name": "annee", "type": "year"}, {"name": "sexe", "type": "string"},
                {"name": "victimes", "type": "integer"}]}"#
                .into(),
            rows: values
                .iter()
                .enumerate()
                .map(|(i, (year, sex, n))| {
                    let row = serde_json::json!({"annee": year, "sexe": sex, "victimes": n});
                    (i as u64 + 2, row.to_string())
                })
                .collect(),
        }
    }

    fn pick(value: &str) -> TablePick {
        TablePick::parse(value).unwrap()
    }

    fn rng() -> ChaCha20Rng {
        ChaCha20Rng::seed_from_u64(5)
    }

    #[test]
    fn a_private_release_noises_each_table_with_its_share_then_applies_the_policy() {
        let (source, rows) = (
            source("fictive"),
            rows(&[(2023, "F", 400), (2023, "M", 300), (2024, "F", 500), (2024, "M", 2)]),
        );
        let current = [Current {
            source: &source,
            rows: &rows,
        }];
        let budget = Epsilon::from_hundredths(100);
        let picks = [pick("fictive/sex"), pick("fictive/sex")];
        let content = freeze(&picks, &current, 2024, Disclosure::default(), budget, &mut rng()).unwrap();
        assert_eq!(content.epsilon, budget);
        let series = &content.tables[0].series;
        assert_eq!(content.tables[0].epsilon, Epsilon::from_hundredths(50), "half each");
        let women = match series.cell(0, 1).cell {
            Published::Count(n) => n,
            hidden => panic!("500 women stay shown: {hidden:?}"),
        };
        assert!((470..=530).contains(&women), "noise of scale 2 stays small: {women}");
        let different = freeze(
            &picks,
            &current,
            2024,
            Disclosure::default(),
            budget,
            &mut ChaCha20Rng::seed_from_u64(99),
        )
        .unwrap();
        assert_ne!(different.tables[0].series, *series, "the noise is random");
        let tiny = freeze(
            &picks,
            &current,
            2024,
            Disclosure::default(),
            Epsilon::from_hundredths(1),
            &mut rng(),
        );
        assert_eq!(tiny.unwrap_err()[0].1, Refusal::BudgetTooSmall);
    }

    #[test]
    fn a_release_freezes_the_years_up_to_its_own_and_only_published_figures() {
        let (source, rows) = (
            source("fictive"),
            rows(&[
                (2023, "F", 40),
                (2023, "M", 3),
                (2024, "F", 50),
                (2024, "M", 20),
                (2025, "X", 9),
            ]),
        );
        let current = [Current {
            source: &source,
            rows: &rows,
        }];
        assert_eq!(dimensions(&current[0]), [Dimension::Sex]);
        let content = freeze(
            &[pick("fictive/sex")],
            &current,
            2024,
            Disclosure::default(),
            None,
            &mut rng(),
        )
        .unwrap();
        let table = &content.tables[0];
        assert_eq!(table.source.version, 3);
        assert_eq!(table.series.years, [2023, 2024], "2025 is after the release's year");
        assert_eq!(table.series.categories.len(), 2, "X is only counted in 2025");
        assert_eq!(table.series.cell(1, 0).cell, Published::Primary);
        let stored = serde_json::to_string(&content).unwrap();
        assert_eq!(serde_json::from_str::<Content>(&stored).unwrap(), content);
        let text = csv(&content);
        assert!(text.starts_with("source,version_source,variable,ligne,modalite,annee,effectif,secret\n"));
        assert!(text.contains("fictive,3,sex,modalite,M,2023,,primaire\n"), "{text}");
        assert!(text.contains("fictive,3,sex,total,,,113,\n"), "{text}");
        assert_eq!(
            text.lines().count(),
            1 + 3 * 3,
            "a header, then (2 + total) × (2 + total)"
        );
        assert!(
            !text.contains(",3,\n") && !text.contains(",9,"),
            "no small figure is written: {text}"
        );
        assert_eq!(checksum(&content), hex::encode(Sha256::digest(text.as_bytes())));
        let package = datapackage(&content, "relais-2024-v1", "Rapport 2024");
        assert_eq!(
            package["resources"][0]["hash"],
            format!("sha256:{}", checksum(&content))
        );
    }

    #[test]
    fn a_table_that_cannot_be_frozen_is_named_with_why() {
        let (source, rows) = (source("fictive"), rows(&[(2023, "F", 40)]));
        let current = [Current {
            source: &source,
            rows: &rows,
        }];
        let refused = freeze(
            &[pick("fictive/sex"), pick("fictive/form"), pick("other/sex")],
            &current,
            2024,
            Disclosure::default(),
            None,
            &mut rng(),
        )
        .unwrap_err();
        let why: Vec<(String, Refusal)> = refused.into_iter().map(|(p, r)| (p.value(), r)).collect();
        assert_eq!(
            why,
            [
                ("fictive/sex".to_owned(), Refusal::NoFigures),
                ("fictive/form".to_owned(), Refusal::NotAvailable),
                ("other/sex".to_owned(), Refusal::NotAvailable),
            ]
        );
    }

    #[test]
    fn a_category_with_a_comma_or_a_formula_start_is_quoted_and_neutralised() {
        assert_eq!(quoted("a,b"), "\"a,b\"");
        assert_eq!(quoted("dit \"x\""), "\"dit \"\"x\"\"\"");
        assert_eq!(quoted(&safe_cell("=1+1")), "'=1+1");
    }
}
