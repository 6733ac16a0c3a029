//! A plan's measures as an administration writes them in a spreadsheet: the
//! checks of one row and of a whole file (all or nothing), and the versions
//! of a measure compared field by field.

use super::deadline::Deadline;
use super::money::Euros;
use super::status::{MeasureStatus, Rating};
use std::collections::{BTreeMap, HashMap};

/// The columns of a plan file, in order (`relais plan import|export`).
pub const COLUMNS: [&str; 16] = [
    "axis",
    "axis_title",
    "action",
    "action_title",
    "measure",
    "title",
    "pilot",
    "partners",
    "deadline",
    "indicator",
    "baseline",
    "target",
    "cost_eur",
    "funding",
    "status",
    "rapporteur_status",
];

/// The field a version records beside the columns: the measure's description.
pub const DESCRIPTION_FIELD: &str = "description";

/// The column an import problem names when the file's header is not
/// [`COLUMNS`].
pub const HEADER_COLUMN: &str = "header";

/// Longest title of a plan, an axis, an action or a measure.
pub const TITLE_MAX: usize = 500;
/// Longest free text (indicator, target, funding…).
pub const TEXT_MAX: usize = 2000;

/// A plan's code (e.g. `PNLTEH-2`): letters, digits, dots, hyphens, underscores.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlanCode(String);

impl PlanCode {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        (!raw.is_empty() && raw.len() <= 32 && raw.chars().all(allowed)).then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A plan's period in whole years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: i32,
    pub end: i32,
}

impl Period {
    pub fn new(start: i32, end: i32) -> Option<Self> {
        let year = 1900..=2200;
        (year.contains(&start) && year.contains(&end) && start <= end).then_some(Self { start, end })
    }
}

/// One measure of a plan, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRecord {
    /// `None`: not placed in an axis (the source does not say which).
    pub axis: Option<u32>,
    pub axis_title: String,
    pub action: Option<u32>,
    pub action_title: String,
    pub number: u32,
    pub title: String,
    /// The body in charge (*pilote*), by name; `None`: not specified.
    pub pilot: Option<String>,
    pub partners: Vec<String>,
    pub deadline: Option<Deadline>,
    pub indicator: Option<String>,
    pub baseline: Option<String>,
    pub target: Option<String>,
    pub cost: Option<Euros>,
    pub funding: Option<String>,
    pub status: Option<MeasureStatus>,
    pub rating: Option<Rating>,
}

impl MeasureRecord {
    /// The row's cells in [`COLUMNS`] order, as `import` reads them back.
    pub fn to_row(&self) -> [String; 16] {
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        [
            number(self.axis),
            self.axis_title.clone(),
            number(self.action),
            self.action_title.clone(),
            self.number.to_string(),
            self.title.clone(),
            text(&self.pilot),
            self.partners.join(";"),
            self.deadline.map(Deadline::to_text).unwrap_or_default(),
            text(&self.indicator),
            text(&self.baseline),
            text(&self.target),
            self.cost.map(Euros::to_text).unwrap_or_default(),
            text(&self.funding),
            self.status.map(|s| s.key().to_owned()).unwrap_or_default(),
            self.rating.map(|r| r.key().to_owned()).unwrap_or_default(),
        ]
    }

    /// The fields a version records, by name, as text (see [`diff`]).
    pub fn fields(&self, description: &str) -> BTreeMap<String, String> {
        let mut fields: BTreeMap<String, String> = COLUMNS
            .iter()
            .zip(self.to_row())
            .filter(|(column, _)| !matches!(**column, "axis_title" | "action_title"))
            .map(|(column, value)| ((*column).to_owned(), value))
            .collect();
        fields.insert(DESCRIPTION_FIELD.to_owned(), description.to_owned());
        fields
    }
}

/// What is wrong with one cell. `key` names the problem for people (see
/// [`Problem::describe`]); `column` is the file's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub column: &'static str,
    pub key: &'static str,
}

impl Problem {
    /// The key's meaning in English, for the command line.
    pub fn describe(&self) -> &'static str {
        match self.key {
            "required" => "required",
            "too-long" => "too long",
            "number" => "expected a whole number from 1 to 999",
            "action-without-axis" => "an action needs its axis",
            "deadline" => "expected YYYY-MM-DD, YYYY-MM or YYYY",
            "cost" => "expected an amount in euros such as 12500.50 or 12 500,50",
            "status" => "expected not_started, in_progress, partially_done, done or abandoned (or the French label)",
            "rapporteur-status" => "expected done, partially_done or not_done (or the French label)",
            "unknown-body" => "no body has this name (add it, or import with --create-bodies)",
            "duplicate" => "this measure number appears on an earlier line",
            "title-differs" => "another line gives this number a different title",
            "axis-differs" => "another line places this action in a different axis",
            "columns" => "the header line must name the expected columns",
            _ => "invalid",
        }
    }
}

/// Every problem key, for the pages' translations.
pub const PROBLEM_KEYS: [&str; 13] = [
    "required",
    "too-long",
    "number",
    "action-without-axis",
    "deadline",
    "cost",
    "status",
    "rapporteur-status",
    "unknown-body",
    "duplicate",
    "title-differs",
    "axis-differs",
    "columns",
];

/// A row as read, one string per column of [`COLUMNS`].
pub type RawRow = HashMap<&'static str, String>;

fn cell<'a>(row: &'a RawRow, column: &str) -> &'a str {
    row.get(column).map_or("", |v| v.trim())
}

/// Checks one row on its own; bodies and cross-row consistency are checked
/// by [`check_file`].
pub fn check_row(row: &RawRow) -> Result<MeasureRecord, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |column: &'static str, key: &'static str| problems.push(Problem { column, key });
    let mut number = |column: &'static str, required: bool| -> Option<u32> {
        let raw = cell(row, column);
        if raw.is_empty() {
            if required {
                problem(column, "required");
            }
            return None;
        }
        let parsed = raw.parse::<u32>().ok().filter(|n| (1..=999).contains(n));
        if parsed.is_none() {
            problem(column, "number");
        }
        parsed
    };
    let axis = number("axis", false);
    let action = number("action", false);
    let measure = number("measure", true);
    if action.is_some() && cell(row, "axis").is_empty() {
        problem("action", "action-without-axis");
    }
    let mut text = |column: &'static str, max: usize| -> Option<String> {
        let raw = cell(row, column);
        if raw.chars().count() > max {
            problem(column, "too-long");
        }
        (!raw.is_empty()).then(|| raw.to_owned())
    };
    let axis_title = text("axis_title", TITLE_MAX).unwrap_or_default();
    let action_title = text("action_title", TITLE_MAX).unwrap_or_default();
    let title = text("title", TITLE_MAX);
    let pilot = text("pilot", TITLE_MAX);
    let partners_raw = text("partners", TEXT_MAX).unwrap_or_default();
    let indicator = text("indicator", TEXT_MAX);
    let baseline = text("baseline", TEXT_MAX);
    let target = text("target", TEXT_MAX);
    let funding = text("funding", TEXT_MAX);
    if title.is_none() {
        problem("title", "required");
    }
    let deadline = optional(cell(row, "deadline"), Deadline::parse, || {
        problem("deadline", "deadline")
    });
    let cost = optional(cell(row, "cost_eur"), Euros::parse, || problem("cost_eur", "cost"));
    let status = optional(cell(row, "status"), MeasureStatus::parse, || {
        problem("status", "status")
    });
    let rating = optional(cell(row, "rapporteur_status"), Rating::parse, || {
        problem("rapporteur_status", "rapporteur-status");
    });
    let mut partners: Vec<String> = Vec::new();
    for partner in partners_raw.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        if !partners.iter().any(|p| p == partner) {
            partners.push(partner.to_owned());
        }
    }
    match (problems.is_empty(), measure, title) {
        (true, Some(number), Some(title)) => Ok(MeasureRecord {
            axis,
            axis_title,
            action,
            action_title,
            number,
            title,
            pilot,
            partners,
            deadline,
            indicator,
            baseline,
            target,
            cost,
            funding,
            status,
            rating,
        }),
        _ => Err(problems),
    }
}

/// Parses a non-empty cell, or calls `wrong` and gives `None`.
fn optional<T>(raw: &str, parse: impl Fn(&str) -> Option<T>, wrong: impl FnOnce()) -> Option<T> {
    if raw.is_empty() {
        return None;
    }
    let parsed = parse(raw);
    if parsed.is_none() {
        wrong();
    }
    parsed
}

/// A problem on one line of a file (the header is line 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineProblem {
    pub line: u64,
    pub problem: Problem,
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, {}: {}",
            self.line,
            self.problem.column,
            self.problem.describe()
        )
    }
}

/// Checks every line of a plan file: each row, then that measure numbers
/// are unique, that an axis or action has one title, that an action sits in
/// one axis, and that every pilot and partner is a known body unless
/// `create_bodies`. `known_body` gives the stored spelling of a body's name.
pub fn check_file(
    rows: &[(u64, RawRow)],
    known_body: &dyn Fn(&str) -> Option<String>,
    create_bodies: bool,
) -> Result<Vec<MeasureRecord>, Vec<LineProblem>> {
    let mut problems = Vec::new();
    let mut records = Vec::new();
    let mut numbers: HashMap<u32, u64> = HashMap::new();
    let mut axis_titles: HashMap<u32, String> = HashMap::new();
    let mut action_titles: HashMap<u32, String> = HashMap::new();
    let mut action_axes: HashMap<u32, Option<u32>> = HashMap::new();
    for (line, row) in rows {
        let mut at = |problem: Problem| problems.push(LineProblem { line: *line, problem });
        let mut record = match check_row(row) {
            Ok(record) => record,
            Err(row_problems) => {
                row_problems.into_iter().for_each(at);
                continue;
            }
        };
        if numbers.insert(record.number, *line).is_some() {
            at(Problem {
                column: "measure",
                key: "duplicate",
            });
        }
        if let Some(axis) = record.axis {
            same_title(&mut axis_titles, axis, &record.axis_title, "axis_title", &mut at);
        }
        if let Some(action) = record.action {
            same_title(
                &mut action_titles,
                action,
                &record.action_title,
                "action_title",
                &mut at,
            );
            if *action_axes.entry(action).or_insert(record.axis) != record.axis {
                at(Problem {
                    column: "axis",
                    key: "axis-differs",
                });
            }
        }
        let mut resolve = |name: &mut String, column: &'static str| match known_body(name) {
            Some(stored) => *name = stored,
            None if create_bodies => {}
            None => at(Problem {
                column,
                key: "unknown-body",
            }),
        };
        if let Some(pilot) = record.pilot.as_mut() {
            resolve(pilot, "pilot");
        }
        for partner in &mut record.partners {
            resolve(partner, "partners");
        }
        records.push(record);
    }
    if problems.is_empty() {
        Ok(fill_titles(records, &axis_titles, &action_titles))
    } else {
        Err(problems)
    }
}

/// A non-empty title must be the same on every line that names it.
fn same_title(
    titles: &mut HashMap<u32, String>,
    number: u32,
    title: &str,
    column: &'static str,
    at: &mut impl FnMut(Problem),
) {
    if title.is_empty() {
        return;
    }
    let known = titles.entry(number).or_insert_with(|| title.to_owned());
    if known != title {
        at(Problem {
            column,
            key: "title-differs",
        });
    }
}

/// Gives every row the title its axis and action have on any line, so that
/// a file may name them once.
fn fill_titles(
    mut records: Vec<MeasureRecord>,
    axis_titles: &HashMap<u32, String>,
    action_titles: &HashMap<u32, String>,
) -> Vec<MeasureRecord> {
    for record in &mut records {
        if let Some(title) = record.axis.and_then(|a| axis_titles.get(&a)) {
            record.axis_title.clone_from(title);
        }
        if let Some(title) = record.action.and_then(|a| action_titles.get(&a)) {
            record.action_title.clone_from(title);
        }
    }
    records
}

/// One field changed between two versions of a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields that differ between two versions, in field order.
pub fn diff(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<Change> {
    let empty = String::new();
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|field| {
            let old = before.get(field).unwrap_or(&empty);
            let new = after.get(field).unwrap_or(&empty);
            (old != new).then(|| Change {
                field: field.clone(),
                before: old.clone(),
                after: new.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(&'static str, &str)]) -> RawRow {
        cells.iter().map(|(c, v)| (*c, (*v).to_owned())).collect()
    }

    fn full() -> RawRow {
        row(&[
            ("axis", "1"),
            ("axis_title", "Informer"),
            ("action", "2"),
            ("action_title", "Prévenir"),
            ("measure", "5"),
            ("title", "Informer le monde de l'entreprise"),
            ("pilot", "DGT"),
            ("partners", "MIPROF; DGEF;MIPROF"),
            ("deadline", "2021-06"),
            ("indicator", "Entreprises sensibilisées"),
            ("baseline", "0"),
            ("target", "500"),
            ("cost_eur", "12 500,50"),
            ("funding", "P137 action 25"),
            ("status", "en cours"),
            ("rapporteur_status", "partially_done"),
        ])
    }

    #[test]
    fn a_full_row_is_read_and_written_back() {
        let record = check_row(&full()).unwrap();
        assert_eq!(record.partners, ["MIPROF", "DGEF"]);
        assert_eq!(record.status, Some(MeasureStatus::InProgress));
        assert_eq!(record.cost, Euros::parse("12500.50"));
        let written: RawRow = COLUMNS.into_iter().zip(record.to_row()).collect();
        assert_eq!(check_row(&written).unwrap(), record);
        assert_eq!(written["cost_eur"], "12500.50");
        assert_eq!(written["status"], "in_progress");
    }

    #[test]
    fn every_wrong_cell_is_named() {
        let mut wrong = full();
        for (column, value) in [
            ("measure", "0"),
            ("deadline", "juin 2021"),
            ("cost_eur", "-3"),
            ("status", "finie"),
            ("rapporteur_status", "en cours"),
            ("title", ""),
        ] {
            wrong.insert(column, value.to_owned());
        }
        let columns: Vec<_> = check_row(&wrong).unwrap_err().iter().map(|p| p.column).collect();
        assert_eq!(
            columns,
            [
                "measure",
                "title",
                "deadline",
                "cost_eur",
                "status",
                "rapporteur_status"
            ]
        );
    }

    #[test]
    fn only_the_measure_and_its_title_are_required() {
        let record = check_row(&row(&[
            ("measure", "16"),
            ("title", "Mécanisme national d'orientation"),
        ]))
        .unwrap();
        assert_eq!((record.axis, record.pilot, record.cost), (None, None, None));
        let missing = check_row(&row(&[("action", "3")])).unwrap_err();
        assert!(missing.contains(&Problem {
            column: "measure",
            key: "required"
        }));
        assert!(missing.contains(&Problem {
            column: "action",
            key: "action-without-axis"
        }));
    }

    #[test]
    fn a_file_is_checked_across_lines() {
        let known = |name: &str| {
            ["DGT", "MIPROF"]
                .iter()
                .find(|b| b.eq_ignore_ascii_case(name))
                .map(|b| (*b).to_owned())
        };
        let mut second = full();
        second.insert("axis", "2".to_owned());
        second.insert("axis_title", "Autre".to_owned());
        second.insert("pilot", "dgt".to_owned());
        let problems = check_file(&[(2, full()), (3, second)], &known, false).unwrap_err();
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.problem.column, p.problem.key))
            .collect();
        assert_eq!(
            found,
            [
                (2, "partners", "unknown-body"),
                (3, "measure", "duplicate"),
                (3, "axis", "axis-differs"),
                (3, "partners", "unknown-body"),
            ]
        );
        let mut other = full();
        other.insert("measure", "6".to_owned());
        other.insert("axis_title", String::new());
        other.insert("pilot", "dgt".to_owned());
        let records = check_file(&[(2, full()), (3, other)], &known, true).unwrap();
        assert_eq!(
            records[1].axis_title, "Informer",
            "a title named once fills the other lines"
        );
        assert_eq!(
            records[1].pilot.as_deref(),
            Some("DGT"),
            "the stored spelling of a body"
        );
    }

    #[test]
    fn plan_codes_and_periods() {
        assert!(PlanCode::parse("PNLTEH-2").is_some());
        assert!(PlanCode::parse("plan 2").is_none());
        assert!(PlanCode::parse("").is_none());
        assert!(Period::new(2019, 2021).is_some());
        assert!(Period::new(2021, 2019).is_none());
    }

    #[test]
    fn the_diff_names_each_changed_field() {
        let before = check_row(&full()).unwrap();
        let mut after = before.clone();
        after.status = Some(MeasureStatus::Done);
        after.cost = None;
        let changes = diff(&before.fields("a"), &after.fields("b"));
        let fields: Vec<_> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["cost_eur", "description", "status"]);
        assert_eq!(changes[0].before, "12500.50");
        assert_eq!(changes[0].after, "");
        assert!(diff(&before.fields("a"), &before.fields("a")).is_empty());
    }
}
