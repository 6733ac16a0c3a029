//! How a referral reads on screen: translated labels for its closed-list
//! answers and the rows of the check-your-answers page. Shared by the
//! referrer's pages (and triage).

use crate::error::AppError;
use crate::page::Page;
use crate::pickers;
use relais_domain::ids::ReferralId;
use relais_domain::intake::catalogue::Labels;
use relais_domain::intake::referral::status::Status;
use relais_domain::intake::referral::steps::{Problem, Step};
use relais_domain::intake::referral::{AgeStatus, ExploitationForm, Location, ReferralDetails, Sex};
use relais_domain::intake::screening::Answer;
use relais_domain::territory::Departement;
use relais_domain::time::Date;

/// One catalogue or label in the page's language.
pub fn label(page: &Page, labels: &Labels) -> String {
    if page.lang() == "en" {
        labels.en.clone()
    } else {
        labels.fr.clone()
    }
}

/// `(value, label)` options of a closed list, for selects and radios.
pub fn options(page: &Page, prefix: &str, keys: &[&str]) -> Vec<(String, String)> {
    keys.iter()
        .map(|k| ((*k).to_owned(), page.t(&format!("{prefix}-{k}"))))
        .collect()
}

pub fn sex_options(page: &Page) -> Vec<(String, String)> {
    options(page, "sex", &Sex::ALL.map(Sex::key))
}

pub fn age_options(page: &Page) -> Vec<(String, String)> {
    options(page, "age", &AgeStatus::ALL.map(AgeStatus::key))
}

pub fn form_options(page: &Page) -> Vec<(String, String)> {
    options(page, "form", &ExploitationForm::ALL.map(ExploitationForm::key))
}

pub fn location_options(page: &Page) -> Vec<(String, String)> {
    options(page, "location", &Location::ALL.map(Location::key))
}

pub fn departement_codes() -> Vec<&'static str> {
    Departement::all().map(Departement::code).collect()
}

/// The translated label of a closed-list value, or the value itself when
/// it is not (yet) a valid choice, so the user sees what they typed.
fn closed(page: &Page, prefix: &str, value: &str, valid: bool) -> String {
    if value.is_empty() {
        page.t("answer-none")
    } else if valid {
        page.t(&format!("{prefix}-{value}"))
    } else {
        value.to_owned()
    }
}

/// A day typed into a form, in words when it reads as a day (as typed otherwise).
fn typed_day(page: &Page, value: &str) -> String {
    Date::parse(value.trim()).map_or_else(|| value.to_owned(), |d| page.day(d))
}

fn text(page: &Page, value: &str) -> String {
    if value.trim().is_empty() {
        page.t("answer-none")
    } else {
        value.to_owned()
    }
}

fn yes_no(page: &Page, value: &str) -> String {
    match value {
        "yes" => page.t("answer-yes"),
        "no" => page.t("answer-no"),
        other => text(page, other),
    }
}

fn flag(page: &Page, value: bool) -> String {
    page.t(if value { "answer-yes" } else { "answer-no" })
}

/// The check-your-answers rows of one step: (question, answer).
pub fn summary_rows(
    page: &Page,
    step: Step,
    d: &ReferralDetails,
    screening: Option<&crate::intake::screening_view::ScreeningView>,
) -> Vec<(String, String)> {
    let row = |key: &str, value: String| (page.t(key), value);
    match step {
        Step::Person => vec![
            row("referral-family-name", text(page, &d.family_name)),
            row("referral-given-names", text(page, &d.given_names)),
            row("referral-aliases", text(page, &d.aliases.join(", "))),
            row(
                "referral-birth-date",
                text(page, &pickers::birth_date(page, &d.birth_date)),
            ),
            row(
                "referral-age",
                closed(page, "age", &d.age, AgeStatus::parse(&d.age).is_some()),
            ),
            row(
                "referral-sex",
                closed(page, "sex", &d.sex, Sex::parse(&d.sex).is_some()),
            ),
            row(
                "referral-nationality",
                text(page, &pickers::country_name(page, &d.nationality)),
            ),
            row(
                "referral-departement",
                text(page, &pickers::departement(&d.departement)),
            ),
            row("referral-safe-contact", text(page, &d.safe_contact)),
        ],
        Step::Languages => vec![
            row(
                "referral-languages",
                text(page, &pickers::language_names(page, &d.languages)),
            ),
            row("referral-interpreter-needed", yes_no(page, &d.interpreter_needed)),
            row(
                "referral-interpreter-language",
                text(page, &pickers::language_names(page, &d.interpreter_language)),
            ),
        ],
        Step::Circumstances => vec![row("referral-circumstances", text(page, &d.circumstances))],
        Step::Exploitation => {
            let forms: Vec<String> = d
                .forms
                .iter()
                .map(|f| closed(page, "form", f, ExploitationForm::parse(f).is_some()))
                .collect();
            vec![
                row("referral-forms", text(page, &forms.join(", "))),
                row("referral-form-other", text(page, &d.form_other)),
            ]
        }
        Step::Places => vec![
            row("referral-places", text(page, &d.places)),
            row(
                "referral-location",
                closed(page, "location", &d.location, Location::parse(&d.location).is_some()),
            ),
            row(
                "referral-period-start",
                text(page, &pickers::birth_date(page, &d.period_start)),
            ),
            row(
                "referral-period-end",
                text(page, &pickers::birth_date(page, &d.period_end)),
            ),
        ],
        Step::Indicators => {
            let Some(s) = screening else {
                return vec![];
            };
            let mut rows = vec![row("referral-screening-result", s.overall_label.clone())];
            if s.observed.is_empty() {
                rows.push(row("referral-indicators-yes", page.t("answer-none")));
            }
            // The "yes" answers by dimension, with their labels.
            rows.extend(s.observed.iter().map(|g| {
                (
                    page.tr.t1("referral-indicators-yes-in", "group", &g.title),
                    g.items.join(" ; "),
                )
            }));
            rows
        }
        Step::Needs => vec![
            row("referral-need-safety", flag(page, d.need_safety)),
            row("referral-need-medical", flag(page, d.need_medical)),
            row("referral-need-shelter-tonight", flag(page, d.need_shelter_tonight)),
            row("referral-needs-details", text(page, &d.needs_details)),
        ],
        Step::Consent => {
            let consent = match d.consent.as_str() {
                "given" => page.t("consent-given"),
                "refused" => page.t("consent-refused"),
                other => text(page, other),
            };
            vec![
                row("referral-consent", consent),
                row("referral-consent-language", text(page, &d.consent_language)),
                row("referral-consent-interpreter", yes_no(page, &d.consent_interpreter)),
                row("referral-consent-explained-by", text(page, &d.consent_explained_by)),
                row("referral-consent-date", text(page, &typed_day(page, &d.consent_date))),
            ]
        }
    }
}

/// The translated message of a step problem; `too-long` names the limit.
pub fn problem_message(page: &Page, problem: &Problem) -> String {
    use relais_domain::intake::referral::steps::{MAX_SHORT, MAX_TEXT};
    if problem.problem == "too-long" {
        let long = matches!(
            problem.field,
            "circumstances" | "places" | "needs_details" | "safe_contact"
        );
        let max = if long { MAX_TEXT } else { MAX_SHORT };
        return page.tr.t1("field-too-long", "max", &max.to_string());
    }
    if problem.field.starts_with("birth_date") {
        return page.t(&format!("referral-problem-birth-{}", problem.problem));
    }
    page.t(&format!("referral-problem-{}", problem.problem))
}

pub(crate) fn parse_id(raw: &str) -> Result<ReferralId, AppError> {
    ReferralId::parse(raw).ok_or(AppError::NotFound)
}

/// The answers as label/value rows, codes translated, empty ones left out.
pub(crate) fn detail_rows(page: &Page, d: &ReferralDetails) -> Vec<(String, String)> {
    let needs: Vec<String> = [
        (d.need_safety, "triage-need-safety"),
        (d.need_medical, "triage-need-medical"),
        (d.need_shelter_tonight, "triage-need-shelter"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, key)| page.t(key))
    .collect();
    let rows = [
        ("triage-field-family-name", d.family_name.clone()),
        ("triage-field-given-names", d.given_names.clone()),
        ("triage-field-aliases", d.aliases.join(", ")),
        ("triage-field-birth-date", pickers::birth_date(page, &d.birth_date)),
        ("triage-field-age", choice_label(page, "age", &d.age)),
        ("triage-field-sex", choice_label(page, "sex", &d.sex)),
        ("triage-field-nationality", pickers::country_name(page, &d.nationality)),
        ("triage-field-departement", pickers::departement(&d.departement)),
        ("triage-field-safe-contact", d.safe_contact.clone()),
        ("triage-field-languages", pickers::language_names(page, &d.languages)),
        ("triage-field-interpreter", yes_no_label(page, &d.interpreter_needed)),
        (
            "triage-field-interpreter-language",
            pickers::language_names(page, &d.interpreter_language),
        ),
        ("triage-field-circumstances", d.circumstances.clone()),
        ("triage-field-forms", forms_label(page, &d.forms)),
        ("triage-field-form-other", d.form_other.clone()),
        ("triage-field-places", d.places.clone()),
        ("triage-field-location", choice_label(page, "location", &d.location)),
        ("triage-field-period-start", pickers::birth_date(page, &d.period_start)),
        ("triage-field-period-end", pickers::birth_date(page, &d.period_end)),
        ("triage-field-act", answer_label(page, d.act)),
        ("triage-field-needs", needs.join(", ")),
        ("triage-field-needs-details", d.needs_details.clone()),
        ("triage-field-consent", choice_label(page, "triage-consent", &d.consent)),
        ("triage-field-consent-language", d.consent_language.clone()),
        (
            "triage-field-consent-interpreter",
            yes_no_label(page, &d.consent_interpreter),
        ),
        ("triage-field-consent-explained-by", d.consent_explained_by.clone()),
        ("triage-field-consent-date", typed_day(page, &d.consent_date)),
    ];
    rows.into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| (page.t(key), value))
        .collect()
}

pub(crate) fn forms_label(page: &Page, forms: &[String]) -> String {
    forms
        .iter()
        .map(|f| page.t(&format!("form-{f}")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn choice_label(page: &Page, prefix: &str, value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        page.t(&format!("{prefix}-{value}"))
    }
}

pub(crate) fn answer_label(page: &Page, answer: Answer) -> String {
    page.t(match answer {
        Answer::Yes => "answer-yes",
        Answer::No => "answer-no",
        Answer::Unknown => "answer-unknown",
    })
}

pub(crate) fn yes_no_label(page: &Page, value: &str) -> String {
    match value {
        "yes" => page.t("answer-yes"),
        "no" => page.t("answer-no"),
        _ => String::new(),
    }
}

/// A referral's status as its referrer reads it (the referrer's pages and the dashboard).
pub fn status_label(page: &Page, status: Status) -> String {
    page.t(&format!("referral-status-{}", status.key()))
}
