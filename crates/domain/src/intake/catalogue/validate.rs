//! From the file as written to a [`Catalogue`]: every key is a valid slug and unique, every
//! reference resolves, a weighted catalogue weighs every indicator, every label is non-empty.
//! All problems are collected, each with its line, entry and field.

use std::collections::HashSet;

use serde_saphyr::Spanned;

use super::raw::{RawCatalogue, RawCombination, RawEntry, RawExpr, RawLabels, RawRule, RawSet, RawWeighted, Text};
use super::rule::{Clause, Combination, Expr, Minimum, Rule, Threshold, WeightedRule};
use super::{
    Catalogue, CatalogueError, CatalogueErrors, Dimension, Entry, FORMAT, IndicatorSet, Key, Labels, Problem,
    Provenance, Source, Verification,
};

pub(super) fn catalogue(raw: &RawCatalogue) -> Result<Catalogue, CatalogueErrors> {
    let mut checker = Checker {
        errors: Vec::new(),
        declared: Declared::of(raw),
    };
    let catalogue = checker.catalogue(raw);
    match catalogue {
        Some(catalogue) if checker.errors.is_empty() => Ok(catalogue),
        _ => Err(CatalogueErrors(checker.errors)),
    }
}

fn line<T>(spanned: &Spanned<T>) -> Option<u64> {
    Some(spanned.referenced.line()).filter(|l| *l > 0)
}

/// Keys as written, so that references are checked even when a key itself is invalid.
struct Declared {
    sources: Vec<String>,
    dimensions: Vec<String>,
    sets: Vec<(String, Option<u64>)>,
    weighted: bool,
}

impl Declared {
    fn of(raw: &RawCatalogue) -> Self {
        Self {
            sources: raw.sources.iter().map(|s| s.value.key.value.clone()).collect(),
            dimensions: raw.dimensions.iter().map(|d| d.value.key.value.clone()).collect(),
            sets: raw
                .sets
                .value
                .iter()
                .map(|s| (s.value.key.value.clone(), line(s)))
                .collect(),
            weighted: matches!(raw.rule, RawRule::Weighted(_)),
        }
    }
}

/// The provenance fields as written on any item.
struct RawProvenance<'a> {
    source: Option<&'a Text>,
    page: Option<std::num::NonZeroU32>,
    status: &'a Spanned<Verification>,
    note: Option<&'a String>,
}

macro_rules! provenance_of {
    ($raw:expr) => {
        RawProvenance {
            source: $raw.source.as_ref(),
            page: $raw.page,
            status: &$raw.status,
            note: $raw.note.as_ref(),
        }
    };
}

struct Checker {
    errors: Vec<CatalogueError>,
    declared: Declared,
}

/// Turns the per-item results into the whole, after every item has been checked.
fn all<T>(items: Vec<Option<T>>) -> Option<Vec<T>> {
    items.into_iter().collect()
}

impl Checker {
    fn report(&mut self, line: Option<u64>, entry: Option<&str>, field: Option<&str>, problem: Problem) {
        self.errors.push(CatalogueError {
            line,
            entry: entry.map(str::to_owned),
            field: field.map(str::to_owned),
            problem,
        });
    }

    fn key(&mut self, raw: &Text, entry: Option<&str>, field: &str) -> Option<Key> {
        match Key::parse(&raw.value) {
            Ok(key) => Some(key),
            Err(reason) => {
                let problem = Problem::InvalidKey {
                    value: raw.value.clone(),
                    reason,
                };
                self.report(line(raw), entry, Some(field), problem);
                None
            }
        }
    }

    fn text(&mut self, raw: &Text, entry: Option<&str>, field: &str) -> Option<String> {
        let text = raw.value.trim();
        if text.is_empty() {
            self.report(line(raw), entry, Some(field), Problem::Empty);
            return None;
        }
        Some(text.to_owned())
    }

    fn labels(&mut self, en: &Text, fr: &Text, entry: Option<&str>, prefix: &str) -> Option<Labels> {
        let en = self.text(en, entry, &format!("{prefix}en"));
        let fr = self.text(fr, entry, &format!("{prefix}fr"));
        Some(Labels { en: en?, fr: fr? })
    }

    fn pair(&mut self, raw: &RawLabels, entry: Option<&str>, field: &str) -> Option<Labels> {
        self.labels(&raw.en, &raw.fr, entry, &format!("{field}."))
    }

    fn unique(&mut self, seen: &mut HashSet<String>, raw: &Text, entry: Option<&str>) {
        if !seen.insert(raw.value.clone()) {
            self.report(line(raw), entry, Some("key"), Problem::Duplicate(raw.value.clone()));
        }
    }

    fn provenance(&mut self, raw: RawProvenance<'_>, entry: &str) -> Option<Provenance> {
        let source = match raw.source {
            Some(source) if !self.declared.sources.contains(&source.value) => {
                let problem = Problem::UnknownSource(source.value.clone());
                self.report(line(source), Some(entry), Some("source"), problem);
                None
            }
            Some(source) => Some(Some(self.key(source, Some(entry), "source")?)),
            None => Some(None),
        };
        let note = raw.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if raw.status.value == Verification::Disputed && note.is_none() {
            self.report(
                line(raw.status),
                Some(entry),
                Some("note"),
                Problem::DisputedWithoutNote,
            );
        }
        Some(Provenance {
            source: source?,
            page: raw.page,
            status: raw.status.value,
            note,
        })
    }

    fn catalogue(&mut self, raw: &RawCatalogue) -> Option<Catalogue> {
        if raw.format.value != FORMAT {
            self.report(
                line(&raw.format),
                None,
                Some("format"),
                Problem::UnsupportedFormat(raw.format.value),
            );
        }
        let id = self.key(&raw.id, None, "id");
        let title = self.pair(&raw.title, None, "title");
        let sources = self.sources(raw);
        let mut seen = HashSet::new();
        let dimensions = all(raw
            .dimensions
            .iter()
            .map(|d| {
                let entry = format!("dimensions/{}", d.value.key.value);
                self.unique(&mut seen, &d.value.key, Some(&entry));
                if d.value.key.value == "act" {
                    self.report(line(&d.value.key), Some(&entry), Some("key"), Problem::ReservedKey);
                }
                let key = self.key(&d.value.key, Some(&entry), "key");
                let labels = self.labels(&d.value.en, &d.value.fr, Some(&entry), "");
                let definition = match &d.value.definition {
                    Some(raw) => Some(self.pair(raw, Some(&entry), "definition")?),
                    None => None,
                };
                let provenance = self.provenance(provenance_of!(d.value), &entry);
                Some(Dimension {
                    key: key?,
                    labels: labels?,
                    definition,
                    provenance: provenance?,
                })
            })
            .collect());
        if self.declared.weighted && raw.dimensions.is_empty() {
            self.report(None, None, Some("dimensions"), Problem::NoDimensions);
        }
        let sets = self.sets(raw);
        let rule = match &raw.rule {
            RawRule::None => Some(Rule::None),
            RawRule::Weighted(weighted) => self.weighted(weighted).map(Rule::Weighted),
        };
        Some(Catalogue {
            id: id?,
            version: raw.version,
            title: title?,
            sources: sources?,
            dimensions: dimensions?,
            rule: rule?,
            sets: sets?,
        })
    }

    fn sources(&mut self, raw: &RawCatalogue) -> Option<Vec<Source>> {
        let mut seen = HashSet::new();
        all(raw
            .sources
            .iter()
            .map(|s| {
                let entry = format!("sources/{}", s.value.key.value);
                self.unique(&mut seen, &s.value.key, Some(&entry));
                let key = self.key(&s.value.key, Some(&entry), "key");
                let document = self.text(&s.value.document, Some(&entry), "document");
                Some(Source {
                    key: key?,
                    document: document?,
                    reference: s
                        .value
                        .reference
                        .as_ref()
                        .map(|r| r.trim().to_owned())
                        .filter(|r| !r.is_empty()),
                })
            })
            .collect())
    }

    fn sets(&mut self, raw: &RawCatalogue) -> Option<Vec<IndicatorSet>> {
        if raw.sets.value.is_empty() {
            self.report(line(&raw.sets), None, Some("sets"), Problem::NoSets);
        }
        let mut seen = HashSet::new();
        all(raw
            .sets
            .value
            .iter()
            .map(|set| {
                self.unique(&mut seen, &set.value.key, Some(&set.value.key.value));
                self.set(set)
            })
            .collect())
    }

    fn set(&mut self, raw: &Spanned<RawSet>) -> Option<IndicatorSet> {
        let set = &raw.value;
        let name = set.key.value.as_str();
        let key = self.key(&set.key, Some(name), "key");
        let labels = self.labels(&set.en, &set.fr, Some(name), "");
        let provenance = self.provenance(provenance_of!(set), name);
        if set.indicators.is_empty() {
            self.report(line(raw), Some(name), Some("indicators"), Problem::EmptySet);
        }
        let mut keys = HashSet::new();
        let mut labels_seen = HashSet::new();
        let entries = all(set
            .indicators
            .iter()
            .map(|entry| {
                let e = &entry.value;
                let dimension = e.dimension.as_ref().map(|d| d.value.clone());
                let path = match &dimension {
                    Some(d) => format!("{name}/{d}/{}", e.key.value),
                    None => format!("{name}/{}", e.key.value),
                };
                if !keys.insert((dimension.clone(), e.key.value.clone())) {
                    let problem = Problem::Duplicate(path.clone());
                    self.report(line(&e.key), Some(&path), Some("key"), problem);
                }
                if !labels_seen.insert((dimension, e.en.value.trim().to_lowercase())) {
                    let problem = Problem::DuplicateLabel(e.en.value.clone());
                    self.report(line(&e.en), Some(&path), Some("en"), problem);
                }
                self.entry(entry, &path)
            })
            .collect());
        Some(IndicatorSet {
            key: key?,
            labels: labels?,
            provenance: provenance?,
            entries: entries?,
        })
    }

    fn entry(&mut self, raw: &Spanned<RawEntry>, path: &str) -> Option<Entry> {
        let e = &raw.value;
        let entry = Some(path);
        let key = self.key(&e.key, entry, "key");
        let dimension = match &e.dimension {
            Some(d) if !self.declared.dimensions.contains(&d.value) => {
                self.report(
                    line(d),
                    entry,
                    Some("dimension"),
                    Problem::UnknownDimension(d.value.clone()),
                );
                None
            }
            Some(d) => Some(Some(self.key(d, entry, "dimension")?)),
            None if self.declared.weighted => {
                self.report(line(raw), entry, Some("dimension"), Problem::MissingDimension);
                None
            }
            None => Some(None),
        };
        match (e.strength, self.declared.weighted) {
            (None, true) => self.report(line(raw), entry, Some("strength"), Problem::MissingStrength),
            (Some(_), false) => self.report(line(raw), entry, Some("strength"), Problem::StrengthWithoutRule),
            _ => {}
        }
        if e.source.is_none() {
            self.report(line(raw), entry, Some("source"), Problem::MissingSource);
        }
        let labels = self.labels(&e.en, &e.fr, entry, "");
        let provenance = self.provenance(provenance_of!(e), path);
        Some(Entry {
            key: key?,
            dimension: dimension?,
            strength: e.strength,
            labels: labels?,
            provenance: provenance?,
        })
    }

    fn weighted(&mut self, raw: &RawWeighted) -> Option<WeightedRule> {
        let act = self.pair(&raw.act, Some("rule"), "act");
        let threshold = &raw.threshold.value;
        if threshold.clauses.is_empty() {
            self.report(
                line(&raw.threshold),
                Some("threshold"),
                Some("clauses"),
                Problem::NoClauses,
            );
        }
        let mut seen = HashSet::new();
        let clauses = all(threshold
            .clauses
            .iter()
            .map(|clause| {
                let c = &clause.value;
                let entry = format!("threshold/{}", c.key.value);
                self.unique(&mut seen, &c.key, Some(&entry));
                let minimum = Minimum {
                    strong: c.strong,
                    medium: c.medium,
                    weak: c.weak,
                    medium_or_weak: c.medium_or_weak,
                };
                if minimum.is_empty() {
                    self.report(line(clause), Some(&entry), None, Problem::EmptyClause);
                }
                let key = self.key(&c.key, Some(&entry), "key");
                let labels = self.labels(&c.en, &c.fr, Some(&entry), "");
                Some(Clause {
                    key: key?,
                    labels: labels?,
                    minimum,
                })
            })
            .collect());
        let provenance = self.provenance(provenance_of!(threshold), "threshold");
        let combinations = self.combinations(&raw.combination);
        Some(WeightedRule {
            act: act?,
            threshold: Threshold {
                clauses: clauses?,
                provenance: provenance?,
            },
            combinations: combinations?,
        })
    }

    fn combinations(&mut self, raw: &[Spanned<RawCombination>]) -> Option<Vec<Combination>> {
        let mut seen = HashSet::new();
        let combinations = all(raw
            .iter()
            .map(|combination| {
                let c = &combination.value;
                let entry = format!("combination/{}", c.set.value);
                if !seen.insert(c.set.value.clone()) {
                    self.report(
                        line(&c.set),
                        Some(&entry),
                        Some("set"),
                        Problem::Duplicate(c.set.value.clone()),
                    );
                }
                let set = if self.declared.sets.iter().any(|(s, _)| s == &c.set.value) {
                    self.key(&c.set, Some(&entry), "set")
                } else {
                    self.report(
                        line(&c.set),
                        Some(&entry),
                        Some("set"),
                        Problem::UnknownSet(c.set.value.clone()),
                    );
                    None
                };
                let expression = self.expression(&c.expression.value, line(&c.expression), &entry);
                let provenance = self.provenance(provenance_of!(c), &entry);
                Some(Combination {
                    set: set?,
                    expression: expression?,
                    provenance: provenance?,
                })
            })
            .collect());
        let missing: Vec<(String, Option<u64>)> = self
            .declared
            .sets
            .iter()
            .filter(|(set, _)| !seen.contains(set))
            .cloned()
            .collect();
        for (set, set_line) in missing {
            self.report(set_line, Some(&set), Some("combination"), Problem::MissingCombination);
        }
        combinations
    }

    fn expression(&mut self, raw: &RawExpr, at: Option<u64>, entry: &str) -> Option<Expr> {
        let terms = match raw {
            RawExpr::Term(term) if term == "act" => return Some(Expr::Act),
            RawExpr::Term(term) => {
                if !self.declared.dimensions.contains(term) {
                    self.report(
                        at,
                        Some(entry),
                        Some("expression"),
                        Problem::UnknownDimension(term.clone()),
                    );
                    return None;
                }
                return Key::parse(term).ok().map(Expr::Dimension);
            }
            RawExpr::All(terms) | RawExpr::Any(terms) => terms,
        };
        if terms.is_empty() {
            self.report(at, Some(entry), Some("expression"), Problem::EmptyExpression);
        }
        let parts = all(terms.iter().map(|t| self.expression(t, at, entry)).collect())?;
        Some(match raw {
            RawExpr::All(_) => Expr::All(parts),
            _ => Expr::Any(parts),
        })
    }
}
