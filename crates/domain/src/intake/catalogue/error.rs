//! What is wrong with a catalogue file, said so that an administrator can fix it: the line,
//! the field, the entry and the problem.

use std::fmt;

use super::KeyError;

/// One problem in a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    /// 1-based line in the file, when known.
    pub line: Option<u64>,
    /// The entry concerned, as `set/dimension/indicator` (or the set, source, clause… key).
    pub entry: Option<String>,
    /// The field concerned (e.g. `strength`).
    pub field: Option<String>,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The file is not well-formed YAML/JSON or does not have the catalogue's shape.
    #[error("{0}")]
    Syntax(String),
    #[error("format {0} is not supported (this version of Relais reads format 1)")]
    UnsupportedFormat(u32),
    #[error("`{value}` is not a valid key: {reason}")]
    InvalidKey { value: String, reason: KeyError },
    #[error("`act` is reserved for the act in combination rules")]
    ReservedKey,
    #[error("the text is empty")]
    Empty,
    #[error("`{0}` is defined twice")]
    Duplicate(String),
    #[error("the English label `{0}` is used twice in the same set and dimension")]
    DuplicateLabel(String),
    #[error("no source has the key `{0}`")]
    UnknownSource(String),
    #[error("no dimension has the key `{0}`")]
    UnknownDimension(String),
    #[error("no set has the key `{0}`")]
    UnknownSet(String),
    #[error("every indicator names its source")]
    MissingSource,
    #[error("a weighted catalogue gives every indicator a dimension")]
    MissingDimension,
    #[error("a weighted catalogue gives every indicator a strength")]
    MissingStrength,
    #[error("a checklist (`rule: none`) has no strengths")]
    StrengthWithoutRule,
    #[error("a disputed entry says in `note` what the dispute is")]
    DisputedWithoutNote,
    #[error("a weighted catalogue needs at least one dimension")]
    NoDimensions,
    #[error("the catalogue needs at least one set")]
    NoSets,
    #[error("the set has no indicator")]
    EmptySet,
    #[error("the threshold needs at least one clause")]
    NoClauses,
    #[error("a clause requires at least one indicator")]
    EmptyClause,
    #[error("`all` and `any` need at least one term")]
    EmptyExpression,
    #[error("the set has no combination rule")]
    MissingCombination,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(line) = self.line {
            place.push(format!("line {line}"));
        }
        if let Some(entry) = &self.entry {
            place.push(format!("entry `{entry}`"));
        }
        if let Some(field) = &self.field {
            place.push(format!("field `{field}`"));
        }
        if place.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", place.join(", "), self.problem)
        }
    }
}

/// Every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueErrors(pub Vec<CatalogueError>);

impl fmt::Display for CatalogueErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for CatalogueErrors {}
