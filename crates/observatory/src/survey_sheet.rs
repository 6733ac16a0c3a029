//! The survey's spreadsheet, for associations that follow many people
//! (issue 14, part 3): a template with one column per question, each closed
//! question a drop-down of its answers' labels, and its reading back: every
//! profile of the file checked like one entered on the page, every problem
//! named by line and column, all or nothing. Labels come from the caller
//! (the web's translations), so a sheet filled in French or English reads.

use crate::import::table;
use relais_domain::observatory::survey::{Problem, Profile, ProfileInput, QUESTIONS};
use std::collections::HashMap;

/// More profiles than this in one file are refused (a larger association
/// sends several files).
pub const MAX_ROWS: usize = 5_000;

/// Rows of the template that carry the drop-downs.
const TEMPLATE_ROWS: u32 = 1_000;

/// The columns of the sheet, in order: the questions, the nationality, the forms.
pub fn column_keys() -> Vec<&'static str> {
    QUESTIONS
        .iter()
        .map(|q| q.key)
        .chain(["nationality", "forms"])
        .collect()
}

/// A column of the template: its heading and, for a closed question, the
/// labels of its answers (a drop-down).
#[derive(Debug, Clone)]
pub struct Column {
    pub heading: String,
    pub choices: Vec<String>,
}

/// The template: the profiles' sheet, then a sheet of instructions.
pub fn template(sheet: &str, columns: &[Column], notice_sheet: &str, notice: &[String]) -> Result<Vec<u8>, String> {
    let failed = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold().set_text_wrap();
    let profiles = workbook.add_worksheet();
    profiles.set_name(sheet).map_err(failed)?;
    for (col, column) in (0_u16..).zip(columns) {
        profiles
            .write_string_with_format(0, col, &column.heading, &bold)
            .map_err(failed)?;
        profiles.set_column_width(col, 24).map_err(failed)?;
        if !column.choices.is_empty() {
            let list = rust_xlsxwriter::DataValidation::new()
                .allow_list_strings(&column.choices)
                .map_err(failed)?;
            profiles
                .add_data_validation(1, col, TEMPLATE_ROWS, col, &list)
                .map_err(failed)?;
        }
    }
    profiles.set_freeze_panes(1, 0).map_err(failed)?;
    let instructions = workbook.add_worksheet();
    instructions.set_name(notice_sheet).map_err(failed)?;
    instructions.set_column_width(0, 120).map_err(failed)?;
    for (row, line) in (0_u32..).zip(notice) {
        instructions.write_string(row, 0, line).map_err(failed)?;
    }
    workbook.save_to_buffer().map_err(failed)
}

/// How a sheet's words read back into codes: headings and answers in every
/// language the caller knows, lower-cased (codes are always understood).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// A heading → the column's key.
    pub headings: HashMap<String, &'static str>,
    /// (column key, an answer's label) → the answer's code.
    pub answers: HashMap<(&'static str, String), String>,
}

fn folded(text: &str) -> String {
    text.trim().to_lowercase()
}

impl Vocabulary {
    pub fn heading(&mut self, key: &'static str, label: &str) {
        self.headings.insert(folded(label), key);
    }

    pub fn answer(&mut self, key: &'static str, label: &str, code: &str) {
        self.answers.insert((key, folded(label)), code.to_owned());
    }

    fn column(&self, heading: &str) -> Option<&'static str> {
        let heading = folded(heading);
        self.headings
            .get(&heading)
            .copied()
            .or_else(|| column_keys().into_iter().find(|k| *k == heading))
    }

    /// The code of `value` in `column`: its label's, or the value if it is a code.
    fn code(&self, column: &'static str, value: &str) -> Option<String> {
        let value = folded(value);
        if let Some(code) = self.answers.get(&(column, value.clone())) {
            return Some(code.clone());
        }
        match column {
            "nationality" => relais_domain::reference::country(&value).map(|c| c.code.to_owned()),
            "forms" => relais_domain::observatory::survey::FORMS
                .iter()
                .map(|f| f.key())
                .find(|k| *k == value)
                .map(str::to_owned),
            _ => QUESTIONS
                .iter()
                .find(|q| q.key == column)
                .and_then(|q| q.answers.iter().find(|a| **a == value))
                .map(|a| (*a).to_owned()),
        }
    }
}

/// What is wrong with a file, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetProblem {
    /// Neither a workbook nor CSV text, or no sheet.
    Unreadable,
    /// A heading row and no profile.
    Empty,
    /// More than [`MAX_ROWS`] profiles.
    TooMany,
    /// A heading that names no question.
    UnknownColumn(String),
    /// A question with no column.
    MissingColumn(&'static str),
    /// A cell whose value is not one of its column's answers.
    UnknownAnswer {
        line: u64,
        column: &'static str,
        value: String,
    },
    /// A profile the survey's rules refuse.
    Invalid { line: u64, problem: Problem },
}

/// The profiles of the file, or every problem found.
pub fn read(bytes: &[u8], vocabulary: &Vocabulary) -> Result<Vec<Profile>, Vec<SheetProblem>> {
    let raw = table::read(bytes).map_err(|_| vec![SheetProblem::Unreadable])?;
    let mut problems = Vec::new();
    let columns: Vec<Option<&'static str>> = raw
        .header
        .iter()
        .map(|heading| {
            let key = vocabulary.column(heading);
            if key.is_none() && !heading.trim().is_empty() {
                problems.push(SheetProblem::UnknownColumn(heading.trim().to_owned()));
            }
            key
        })
        .collect();
    for key in column_keys() {
        if !columns.contains(&Some(key)) {
            problems.push(SheetProblem::MissingColumn(key));
        }
    }
    if raw.rows.is_empty() {
        problems.push(SheetProblem::Empty);
    }
    if raw.rows.len() > MAX_ROWS {
        problems.push(SheetProblem::TooMany);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut profiles = Vec::with_capacity(raw.rows.len());
    for row in &raw.rows {
        let mut input = ProfileInput::default();
        // A cell already named as unknown is not named again as unanswered.
        let mut unknown: Vec<&'static str> = Vec::new();
        for (key, cell) in columns.iter().zip(&row.cells) {
            let (Some(key), cell) = (*key, cell.trim()) else {
                continue;
            };
            if cell.is_empty() {
                continue;
            }
            let values: Vec<&str> = if key == "forms" {
                cell.split([';', ','])
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .collect()
            } else {
                vec![cell]
            };
            for value in values {
                match vocabulary.code(key, value) {
                    Some(code) if key == "forms" => input.forms.push(code),
                    Some(code) if key == "nationality" => input.nationality = code,
                    Some(code) => {
                        input.answers.insert(key.to_owned(), code);
                    }
                    None => {
                        unknown.push(key);
                        problems.push(SheetProblem::UnknownAnswer {
                            line: row.line,
                            column: key,
                            value: value.to_owned(),
                        });
                    }
                }
            }
        }
        match Profile::parse(&input) {
            Ok(profile) => profiles.push(profile),
            Err(found) => problems.extend(
                found
                    .into_iter()
                    .filter(|p| !unknown.contains(&p.field))
                    .map(|problem| SheetProblem::Invalid {
                        line: row.line,
                        problem,
                    }),
            ),
        }
    }
    if problems.is_empty() {
        Ok(profiles)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let mut v = Vocabulary::default();
        v.heading("sex", "Sexe");
        v.answer("sex", "Femme", "female");
        v.answer("forms", "Exploitation sexuelle", "sexual");
        v.answer("nationality", "Nigeria", "NGA");
        v
    }

    const HEADER: &str = "relation,Sexe,age_group,minor_at_start,exploited_in,network,exploiter_family,housed_by_exploiter,complaint,residence_permit,care,housing,unaccompanied_minor,nationality,forms";

    #[test]
    fn labels_and_codes_read_back_into_profiles() {
        let file = format!(
            "{HEADER}\naccompanied,Femme,25-34,no,france,yes,no,no,unknown,yes,yes,yes,no,Nigeria,Exploitation sexuelle; labour\n\
             detected,male,unknown,unknown,unknown,unknown,unknown,unknown,unknown,unknown,unknown,unknown,unknown,,forced-begging\n"
        );
        let profiles = read(file.as_bytes(), &vocabulary()).unwrap();
        assert_eq!(profiles.len(), 2);
        assert_eq!(profiles[0].nationality, "NGA");
        assert_eq!(profiles[0].forms, ["sexual", "labour"]);
        assert_eq!(profiles[0].answer("sex"), "female");
        assert_eq!(profiles[1].nationality, "unknown");
    }

    #[test]
    fn every_problem_is_named_by_line_and_column_and_nothing_is_read() {
        let file = format!(
            "{HEADER}\naccompanied,Femme,25-34,no,france,yes,no,no,unknown,yes,yes,yes,no,Nigeria,sexual\n\
             accompanied,Femme,25-34,no,france,peut-être,no,no,unknown,yes,yes,yes,no,Nigeria,\n"
        );
        let problems = read(file.as_bytes(), &vocabulary()).unwrap_err();
        assert_eq!(
            problems,
            [
                SheetProblem::UnknownAnswer {
                    line: 3,
                    column: "network",
                    value: "peut-être".into()
                },
                SheetProblem::Invalid {
                    line: 3,
                    problem: Problem {
                        field: "forms",
                        key: "survey-forms-missing"
                    }
                },
            ]
        );
        let missing = read(b"Sexe,colonne inconnue\nFemme,x\n", &vocabulary()).unwrap_err();
        assert!(missing.contains(&SheetProblem::UnknownColumn("colonne inconnue".into())));
        assert!(missing.contains(&SheetProblem::MissingColumn("forms")));
        assert_eq!(
            read(b"\xff\xfe\xfd", &vocabulary()).unwrap_err(),
            [SheetProblem::Unreadable]
        );
    }

    #[test]
    fn the_template_opens_with_its_headings() {
        let columns = vec![
            Column {
                heading: "Sexe".into(),
                choices: vec!["Femme".into(), "Homme".into()],
            },
            Column {
                heading: "Nationalité".into(),
                choices: vec![],
            },
        ];
        let bytes = template("Profils", &columns, "Notice", &["Une ligne par personne.".into()]).unwrap();
        let raw = table::read(&bytes).unwrap();
        assert_eq!(raw.header, ["Sexe", "Nationalité"]);
        assert!(raw.rows.is_empty());
    }
}
