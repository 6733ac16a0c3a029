//! A linkage run (issue 15, parts 3 to 5): the encoded files of several sources linked into
//! persons, their capture histories, the estimate of how many persons no source counted, the
//! same estimate at nearby thresholds (how much it owes to the linkage) and the quality report.
//! The command line (`relais linkage estimate`) and the observatory's pages run the same code.

pub mod files;

use relais_stats::linkage::cluster::{Linked, capture_histories, clusters, history_label};
use relais_stats::linkage::link::DEFAULT_THRESHOLD;
use relais_stats::linkage::mixture::automatic_threshold;
use relais_stats::linkage::quality::{self, NEAR};
use relais_stats::linkage::strata::{Variable, histories_by};
use relais_stats::{Dataset, MseError, Options, Report, analyse};
use serde::{Deserialize, Serialize};

pub use files::{FileProblem, Fingerprint, Input, Source};

/// The thresholds around the one chosen at which the estimate is recomputed, so that the
/// linkage's own uncertainty shows as a range.
pub const SENSITIVITY_STEPS: [f64; 5] = [-0.1, -0.05, 0.0, 0.05, 0.1];

/// Matched pairs nearest the threshold kept in the report, for review.
pub const NEAR_PAIRS_SHOWN: usize = 50;

/// How a run links and estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Dice coefficient from which two keys are taken for the same person; `None` to read it
    /// from the distribution of the scores (`relais_stats::linkage::mixture`).
    pub threshold: Option<f64>,
    /// Bootstrap replicates of the BCa interval; 0 for none.
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

/// How many persons were seen with one capture history, `pattern` holding one character per
/// source in the order given (`"1010"`: seen by the first and third).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub pattern: String,
    pub persons: u64,
}

/// The estimate as the pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub observed: u64,
    pub estimate: f64,
    pub dark_figure: f64,
    /// The model's pairs of sources seen together more (or less) than chance, as `A:B`.
    pub model: Vec<String>,
    pub wald_ci: [f64; 2],
    /// The 95 % BCa interval, when bootstrapped.
    pub bca_ci: Option<[f64; 2]>,
    pub replicates: usize,
    pub warnings: Vec<String>,
}

/// The linkage and the estimate at one threshold near the chosen one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtThreshold {
    pub threshold: f64,
    pub persons: usize,
    pub estimate: f64,
    pub wald_ci: [f64; 2],
}

/// A record named by its source and its identifier there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordName {
    pub source: String,
    pub id: String,
}

/// A matched pair near the threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearPair {
    pub a: RecordName,
    pub b: RecordName,
    pub score: f64,
}

/// One bin of the score histogram: matched pairs scoring from `from` to `from + 0.05`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    pub from: f64,
    pub pairs: usize,
}

/// What an analyst reviews before trusting the linkage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    pub threshold: f64,
    pub histogram: Vec<Bin>,
    pub pairs_kept: usize,
    /// Links dropped because they would have put two records of one source in one person
    /// (absent from runs stored before it was counted).
    #[serde(default)]
    pub links_dropped: usize,
    pub near_above: usize,
    pub near_below: usize,
    /// How close to the threshold a pair is "near" it.
    pub within: f64,
    pub near_pairs: Vec<NearPair>,
    /// The threshold read from the distribution of the scores, when it could be fitted.
    pub automatic_threshold: Option<f64>,
    /// Precision and recall at the threshold estimated from the same distribution.
    pub estimated_precision: Option<f64>,
    pub estimated_recall: Option<f64>,
}

/// The estimate for the persons of one value of a variable (a form of exploitation, a sex…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StratumEstimate {
    pub value: String,
    pub persons: usize,
    /// `None` when the stratum's histories do not allow an estimate (too few persons, lists
    /// that never meet).
    pub estimate: Option<f64>,
    pub wald_ci: Option<[f64; 2]>,
}

/// The persons split by one variable, each part estimated apart: the sum of the parts allows
/// for sources that see some kinds of victims more than others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strata {
    pub variable: Variable,
    pub values: Vec<StratumEstimate>,
    /// Persons whose records disagree on the variable (the most frequent value was taken).
    pub conflicting: usize,
    /// Persons none of whose records gives the variable.
    pub without_value: usize,
}

/// Everything a run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub sources: Vec<String>,
    pub settings: Settings,
    /// The threshold used: the one asked for, or the one read from the scores (0.6 when the
    /// scores could not be fitted).
    pub threshold: f64,
    /// Distinct persons after linkage.
    pub persons: usize,
    pub histories: Vec<History>,
    pub estimate: Estimate,
    pub sensitivity: Vec<AtThreshold>,
    pub quality: Quality,
    /// The estimate by form of exploitation, sex, age group and year, for the variables the
    /// sources gave.
    pub strata: Vec<Strata>,
}

/// Shares of a run's work, so that a progress bar moves evenly: linking at the threshold,
/// the bootstrap, the nearby thresholds, the quality report.
const LINKED: u8 = 10;
const ESTIMATED: u8 = 70;
const SENSITIVE: u8 = 95;

fn link_and_analyse(
    sources: &[Source],
    threshold: f64,
    options: &Options,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<(Linked, Dataset, Report), MseError> {
    let keys: Vec<_> = sources.iter().map(|s| s.keys.clone()).collect();
    let linked = clusters(&keys, threshold);
    let names = sources.iter().map(|s| s.name.clone()).collect();
    let table = capture_histories(names, &linked.persons)?;
    let report = analyse(&table, options, progress)?;
    Ok((linked, table, report))
}

/// Links `sources`, estimates and reports, telling `progress` the share done (0 to 100); the
/// full report of the estimation at the chosen threshold comes with the outcome.
pub fn run(
    sources: &[Source],
    settings: &Settings,
    progress: &(dyn Fn(u8) + Sync),
) -> Result<(Outcome, Report), MseError> {
    // The bootstrap's replicates end on several threads, and tell their counts in any order:
    // only a share larger than the last one told goes on, so the bar never moves back.
    let told = std::sync::Mutex::new(None::<u8>);
    let progress = &|share: u8| {
        let mut last = told.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_none_or(|last| share > last) {
            *last = Some(share);
            progress(share);
        }
    };
    let options = |replicates| Options {
        replicates,
        seed: settings.seed,
        ..Options::default()
    };
    progress(0);
    let keys: Vec<_> = sources.iter().map(|s| s.keys.clone()).collect();
    let threshold = settings
        .threshold
        .or_else(|| automatic_threshold(&keys))
        .unwrap_or(DEFAULT_THRESHOLD);
    let replicates = settings.bootstrap.max(1);
    let bootstrap_share = |done: usize| {
        let span = usize::from(ESTIMATED - LINKED);
        LINKED + u8::try_from(done.min(replicates) * span / replicates).unwrap_or(0)
    };
    let (linked, table, report) = link_and_analyse(sources, threshold, &options(settings.bootstrap), &|done| {
        progress(bootstrap_share(done));
    })?;
    progress(ESTIMATED);
    let mut sensitivity = Vec::new();
    for (i, step) in (0u8..).zip(SENSITIVITY_STEPS) {
        let near = (threshold + step).clamp(0.0, 1.0);
        let (near_linked, _, report) = link_and_analyse(sources, near, &options(0), &|_| {})?;
        sensitivity.push(AtThreshold {
            threshold: near,
            persons: near_linked.persons.len(),
            estimate: report.estimate,
            wald_ci: report.wald_ci,
        });
        progress(ESTIMATED + (i + 1) * (SENSITIVE - ESTIMATED) / 5);
    }
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let histories = table
        .counts()
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(h, &n)| History {
            pattern: history_label(h, names.len()),
            persons: n,
        })
        .collect();
    let found = quality::quality(&keys, threshold, NEAR_PAIRS_SHOWN);
    let record = |(source, index): (usize, usize)| RecordName {
        source: names[source].clone(),
        id: sources[source].ids[index].clone(),
    };
    let quality = Quality {
        threshold: found.threshold,
        histogram: found
            .histogram
            .iter()
            .map(|b| Bin {
                from: b.from,
                pairs: b.pairs,
            })
            .collect(),
        pairs_kept: found.kept,
        links_dropped: linked.dropped_links,
        near_above: found.near_above,
        near_below: found.near_below,
        within: NEAR,
        near_pairs: found
            .near_pairs
            .iter()
            .map(|p| NearPair {
                a: record(p.a),
                b: record(p.b),
                score: p.score,
            })
            .collect(),
        automatic_threshold: found.automatic_threshold,
        estimated_precision: found.estimated.as_ref().map(|e| e.precision),
        estimated_recall: found.estimated.as_ref().map(|e| e.recall),
    };
    let strata = strata(sources, &names, threshold)?;
    let bca_ci = report.bca_ci.as_ref().and_then(|limits| {
        let at = |level: f64| limits.iter().find(|l| (l.level - level).abs() < 1e-9).map(|l| l.value);
        // A bootstrap too short for the BCa correction gives no finite limit: no interval then.
        Some([at(0.025)?, at(0.975)?]).filter(|ci| ci.iter().all(|v| v.is_finite()))
    });
    let estimate = Estimate {
        observed: report.observed,
        estimate: report.estimate,
        dark_figure: report.dark_figure,
        model: report.model.clone(),
        wald_ci: report.wald_ci,
        bca_ci,
        replicates: settings.bootstrap,
        warnings: report.warnings.clone(),
    };
    progress(100);
    Ok((
        Outcome {
            sources: names,
            settings: *settings,
            threshold,
            persons: linked.persons.len(),
            histories,
            estimate,
            sensitivity,
            quality,
            strata,
        },
        report,
    ))
}

/// The persons split by each variable some record gives, every part estimated apart (the
/// quick interval: a bootstrap per part would multiply the run's time).
fn strata(sources: &[Source], names: &[String], threshold: f64) -> Result<Vec<Strata>, MseError> {
    let given: Vec<Vec<_>> = sources.iter().map(|s| s.strata.clone()).collect();
    let keys: Vec<_> = sources.iter().map(|s| s.keys.clone()).collect();
    let persons = clusters(&keys, threshold).persons;
    let mut found = Vec::new();
    for variable in [
        Variable::Exploitation,
        Variable::Sex,
        Variable::AgeGroup,
        Variable::Year,
    ] {
        if !given.iter().flatten().any(|s| s.value(variable).is_some()) {
            continue;
        }
        let split = histories_by(names, &persons, &given, variable)?;
        let values = split
            .tables
            .iter()
            .map(|t| {
                let quick = Options {
                    replicates: 0,
                    ..Options::default()
                };
                let report = analyse(&t.histories, &quick, &|_| {}).ok();
                StratumEstimate {
                    value: t.value.clone(),
                    persons: t.persons,
                    estimate: report.as_ref().map(|r| r.estimate),
                    wald_ci: report.as_ref().map(|r| r.wald_ci),
                }
            })
            .collect();
        found.push(Strata {
            variable,
            values,
            conflicting: split.conflicting,
            without_value: split.without_value,
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais_stats::linkage::clk::{Params, Secret};
    use relais_stats::linkage::input::{ClkFile, read_identities};
    use std::sync::Mutex;

    const PEOPLE: [&str; 6] = [
        "Ana,Popescu,1990-04-02,F,ROU",
        "Blessing,Okafor,1998-11-20,F,NGA",
        "Ion,Rusu,1985-01-15,M,MDA",
        "Mariam,Diallo,2006-07-30,F,GIN",
        "Oksana,Kovalenko,1979-03-09,F,UKR",
        "Chen,Wei,2001-12-01,M,CHN",
    ];

    /// A source that saw the people at `who` (the first, with a typing error in the name).
    fn source(name: &str, who: &[usize]) -> Source {
        let records: Vec<String> = who
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                if n == 0 {
                    PEOPLE[i].replacen('a', "e", 1)
                } else {
                    PEOPLE[i].to_owned()
                }
            })
            .collect();
        let ids: Vec<String> = who.iter().map(|i| format!("{name}-{i}")).collect();
        encoded(name, &ids, &records)
    }

    /// A source with these records, as written, numbered in order.
    fn source_of(name: &str, records: &[&str]) -> Source {
        let ids: Vec<String> = (0..records.len()).map(|n| format!("{name}-{n}")).collect();
        encoded(name, &ids, records)
    }

    /// The source's file, encoded with the secret every source shares.
    fn encoded(name: &str, ids: &[String], records: &[impl AsRef<str>]) -> Source {
        let mut text = String::from("id,given_name,family_name,birth_date,sex,nationality\n");
        for (id, record) in ids.iter().zip(records) {
            text.push_str(&format!("{id},{}\n", record.as_ref()));
        }
        let secret = Secret::new(b"the secret every source shares").unwrap();
        let file = ClkFile::encode(&Params::default(), &secret, &read_identities(text.as_bytes()).unwrap());
        files::sources(&[name.to_owned()], &[file]).unwrap().remove(0)
    }

    #[test]
    fn sources_are_linked_into_persons_and_their_histories_estimated() {
        let sources = [
            source("police", &[0, 1, 2, 3]),
            source("asso", &[1, 2, 4]),
            source("nrm", &[2, 3, 5]),
        ];
        let settings = Settings {
            threshold: Some(0.6),
            bootstrap: 200,
            seed: 7,
        };
        let seen = Mutex::new(Vec::new());
        let (outcome, report) = run(&sources, &settings, &|p| seen.lock().unwrap().push(p)).unwrap();
        assert_eq!(outcome.persons, 6);
        assert_eq!(outcome.quality.links_dropped, 0, "distinct persons: nothing to drop");
        let histories: Vec<(&str, u64)> = outcome
            .histories
            .iter()
            .map(|h| (h.pattern.as_str(), h.persons))
            .collect();
        assert_eq!(
            histories,
            [("100", 1), ("010", 1), ("110", 1), ("001", 1), ("101", 1), ("111", 1)]
        );
        assert_eq!(outcome.estimate.observed, 6);
        assert_eq!(outcome.estimate.estimate, report.estimate);
        // Six persons seen once each: too few for a finite BCa limit, so no interval rather than
        // an infinite one.
        assert_eq!(outcome.estimate.bca_ci, None);
        assert_eq!(outcome.estimate.replicates, 200);
        assert_eq!(outcome.sensitivity.len(), SENSITIVITY_STEPS.len());
        let seen = seen.into_inner().unwrap();
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert_eq!((seen.first(), seen.last()), (Some(&0), Some(&100)));
        // Stored as JSON and read back by the observatory's pages.
        let stored: Outcome = serde_json::from_str(&serde_json::to_string(&outcome).unwrap()).unwrap();
        assert_eq!((stored.histories, stored.persons), (outcome.histories, outcome.persons));
    }

    #[test]
    fn a_link_that_would_put_two_records_of_one_source_in_one_person_is_dropped_and_counted() {
        // The police counted the same man twice, once with another birth date. The association
        // has the first record's date, the NRM the second's: police-0–asso and police-1–nrm join,
        // and asso–nrm, weaker, would make police's two records one person.
        // Others, seen as in the test above, so that there is something to estimate.
        let sources = [
            source_of(
                "police",
                &[PEOPLE[2], "Ion,Rusu,1985-01-16,M,MDA", PEOPLE[0], PEOPLE[1], PEOPLE[3]],
            ),
            source_of("asso", &[PEOPLE[2], PEOPLE[1], PEOPLE[4]]),
            source_of("nrm", &["Ion,Rusu,1985-01-16,M,MDA", PEOPLE[3], PEOPLE[5]]),
        ];
        let settings = Settings {
            threshold: Some(0.6),
            bootstrap: 50,
            seed: 7,
        };
        let (outcome, _) = run(&sources, &settings, &|_| {}).unwrap();
        assert_eq!(outcome.quality.links_dropped, 1);
        assert_eq!(outcome.persons, 7, "Ion Rusu twice, as the police counted him");
        // Stored before the count existed: read as none.
        let mut old = serde_json::to_value(&outcome.quality).unwrap();
        old.as_object_mut().unwrap().remove("links_dropped");
        assert_eq!(serde_json::from_value::<Quality>(old).unwrap().links_dropped, 0);
    }
}
