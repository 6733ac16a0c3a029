//! Pickers instead of codes: the choices of the country, language and
//! département lists in the reader's language, the three fields of a birth
//! date, and stored codes read back as names. Templates: templates/pickers.html;
//! the filter that enhances long lists: assets/picker.js.

use crate::forms::FieldErrors;
use crate::i18n::Locale;
use crate::page::Page;
use relais_domain::intake::date_fields::DateFields;
use relais_domain::intake::person_match::BirthDate;
use relais_domain::reference::{self, NameLanguage};
use relais_domain::territory::{Departement, departement_label};
use relais_domain::time::Date;

/// One option of a list.
pub struct Pick {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

fn name_language(page: &Page) -> NameLanguage {
    match page.tr.locale {
        Locale::En => NameLanguage::English,
        Locale::Fr => NameLanguage::French,
    }
}

/// A value stored before the list existed, kept as the first option, chosen,
/// so that saving the form again does not lose it.
fn kept(stored: &str, known: bool) -> Option<Pick> {
    let stored = stored.trim();
    (!stored.is_empty() && !known).then(|| Pick {
        code: stored.to_owned(),
        name: stored.to_owned(),
        selected: true,
    })
}

/// Every country, sorted in the reader's language, `current` (an alpha-3 code) selected.
pub fn countries(page: &Page, current: &str) -> Vec<Pick> {
    let lang = name_language(page);
    let known = reference::country(current).is_some();
    kept(current, known)
        .into_iter()
        .chain(reference::countries(lang).into_iter().map(|e| Pick {
            code: e.code.to_owned(),
            name: e.name(lang).to_owned(),
            selected: e.code.eq_ignore_ascii_case(current.trim()),
        }))
        .collect()
}

/// Every language of the list, sorted in the reader's language, the codes of `stored` selected.
pub fn languages(page: &Page, stored: &str) -> Vec<Pick> {
    let lang = name_language(page);
    let chosen = reference::language_codes(stored);
    let known = reference::language_names(stored, lang) != stored.trim();
    kept(stored, known || stored.trim().is_empty())
        .into_iter()
        .chain(reference::languages(lang).into_iter().map(|e| Pick {
            code: e.code.to_owned(),
            name: e.name(lang).to_owned(),
            selected: chosen.contains(&e.code),
        }))
        .collect()
}

/// The 101 départements as "13 — Bouches-du-Rhône", `current` selected.
pub fn departements(current: &str) -> Vec<Pick> {
    Departement::all()
        .map(|d| Pick {
            code: d.code().to_owned(),
            name: d.label(),
            selected: d.code().eq_ignore_ascii_case(current.trim()),
        })
        .collect()
}

/// A stored nationality as read (the stored text when it is not a code).
pub fn country_name(page: &Page, stored: &str) -> String {
    reference::country_name(stored, name_language(page))
}

/// Stored languages as read (the stored text when it is not a list of codes).
pub fn language_names(page: &Page, stored: &str) -> String {
    reference::language_names(stored, name_language(page))
}

/// A stored département as read: "13 — Bouches-du-Rhône".
pub fn departement(stored: &str) -> String {
    departement_label(stored)
}

/// A stored birth date or period bound (`YYYY` or `YYYY-MM-DD`) as read:
/// a day in words, a year, or the text as stored.
pub fn birth_date(page: &Page, stored: &str) -> String {
    match BirthDate::parse(stored) {
        Ok(BirthDate::Full(year, month, day)) => page.day(Date { year, month, day }),
        Ok(BirthDate::Year(year)) => year.to_string(),
        Err(_) => stored.trim().to_owned(),
    }
}

/// One of the three fields.
/// The parts of a date entered in three fields, each labelled by its
/// `date-fields-` words.
pub(crate) const PARTS: [&str; 3] = ["day", "month", "year"];

pub struct DatePart {
    /// `day`, `month` or `year`.
    pub part: &'static str,
    pub label: String,
    pub value: String,
    /// Digits expected.
    pub size: u8,
    /// Whether this is the field in error (its red border).
    pub wrong: bool,
}

/// The three fields of a date question, as the template shows them.
pub struct DateView {
    /// Field name prefix: inputs are `{name}_day`, `{name}_month`, `{name}_year`.
    pub name: &'static str,
    pub legend: String,
    pub hint: String,
    pub parts: Vec<DatePart>,
    /// The question's error message.
    pub error: Option<String>,
}

impl DateView {
    /// The fields of `stored`; `hint` (a message key) says what the question
    /// needs before the common hint on how to fill the fields.
    pub fn new(
        page: &Page,
        (name, legend, hint): (&'static str, &str, Option<&str>),
        stored: &str,
        errors: &FieldErrors,
    ) -> Self {
        let fields = DateFields::of_stored(stored);
        let error = ["day", "month", "year"].into_iter().find_map(|part| {
            errors
                .of(&format!("{name}_{part}"))
                .map(|message| (message.to_owned(), part))
        });
        let wrong = |part: &str| error.as_ref().is_some_and(|(_, p)| *p == part);
        let parts = [
            (PARTS[0], fields.day, 2),
            (PARTS[1], fields.month, 2),
            (PARTS[2], fields.year, 4),
        ]
        .into_iter()
        .map(|(part, value, size)| DatePart {
            part,
            label: page.t(&format!("date-fields-{part}")),
            value,
            size,
            wrong: wrong(part),
        })
        .collect();
        Self {
            name,
            legend: page.t(legend),
            hint: match hint {
                Some(key) => format!("{} {}", page.t(key), page.t("date-fields-hint")),
                None => page.t("date-fields-hint"),
            },
            parts,
            error: error.map(|(message, _)| message),
        }
    }
}
