//! The survey's spreadsheet on the web (issue 14, part 3): the template in
//! the reader's language, and a filled one uploaded as profiles, all or
//! nothing, each problem named by its line and its column's heading.

use super::survey_view::{Typed, load, problem_message, render_questionnaire, today};
use crate::AppState;
use crate::access::authorized::Authorized;
use crate::download::{self, FileKind};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::i18n::{Locale, Tr};
use crate::page::Page;
use crate::session::{CurrentUser, RequestContext};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use relais_domain::access::authz::AnswerSurvey;
use relais_domain::observatory::survey::{FORMS, QUESTIONS};
use relais_domain::reference::{self, NameLanguage};
use relais_observatory::survey_sheet::{self, Column, MAX_ROWS, SheetProblem, Vocabulary};
use relais_store::observatory::survey;

/// Problems listed in the error summary at most (the count of the others follows).
const SHOWN: usize = 20;

fn heading(tr: &Tr, key: &str) -> String {
    tr.t(&format!("survey-q-{key}"))
}

/// GET /survey/{id}/template.xlsx
pub async fn template(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let q = load(&state, &ctx, &user, &id).await?;
    let page = Page::new(&state, &ctx);
    let tr = &page.tr;
    let columns: Vec<Column> = survey_sheet::column_keys()
        .into_iter()
        .map(|key| Column {
            heading: heading(tr, key),
            choices: QUESTIONS
                .iter()
                .find(|question| question.key == key)
                .map(|question| {
                    question
                        .answers
                        .iter()
                        .map(|a| tr.t(&format!("survey-a-{key}-{a}")))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let forms: Vec<String> = FORMS.iter().map(|f| tr.t(&format!("form-{}", f.key()))).collect();
    let notice = [
        tr.t("survey-sheet-notice-one-line"),
        tr.t("survey-sheet-notice-lists"),
        tr.t("survey-sheet-notice-nationality"),
        tr.tn("survey-sheet-notice-forms", &[("forms", forms.join(" ; "))]),
        tr.t1("survey-sheet-notice-max", "max", &MAX_ROWS.to_string()),
        tr.t("survey-sheet-notice-no-names"),
    ];
    let bytes = survey_sheet::template(
        &tr.t("survey-sheet-profiles"),
        &columns,
        &tr.t("survey-sheet-notice"),
        &notice,
    )
    .map_err(|e| AppError::Internal(format!("survey template: {e}")))?;
    Ok(download::attachment(
        FileKind::Xlsx,
        &format!("enquete-{}-profils", q.campaign.year),
        bytes,
    ))
}

/// Every language's headings and answers, and the countries by name.
fn vocabulary(state: &AppState) -> Vocabulary {
    let mut v = Vocabulary::default();
    for locale in Locale::ALL {
        let tr = Tr::new(locale, state.translations.clone());
        for key in survey_sheet::column_keys() {
            v.heading(key, &heading(&tr, key));
        }
        for question in &QUESTIONS {
            for answer in question.answers {
                v.answer(
                    question.key,
                    &tr.t(&format!("survey-a-{}-{answer}", question.key)),
                    answer,
                );
            }
        }
        for form in FORMS {
            v.answer("forms", &tr.t(&format!("form-{}", form.key())), form.key());
        }
        v.answer("nationality", &tr.t("survey-nationality-unknown"), "unknown");
    }
    for lang in [NameLanguage::French, NameLanguage::English] {
        for country in reference::countries(lang) {
            v.answer("nationality", country.name(lang), country.code);
        }
    }
    v
}

fn sheet_message(page: &Page, problem: &SheetProblem) -> String {
    match problem {
        SheetProblem::Unreadable => page.t("survey-sheet-unreadable"),
        SheetProblem::Empty => page.t("survey-sheet-empty"),
        SheetProblem::TooMany => page.tr.t1("survey-sheet-too-many", "max", &MAX_ROWS.to_string()),
        SheetProblem::UnknownColumn(name) => page.tr.t1("survey-sheet-unknown-column", "column", name),
        SheetProblem::MissingColumn(key) => {
            page.tr
                .t1("survey-sheet-missing-column", "column", &heading(&page.tr, key))
        }
        SheetProblem::UnknownAnswer { line, column, value } => page.tr.tn(
            "survey-sheet-unknown-answer",
            &[
                ("line", line.to_string()),
                ("column", heading(&page.tr, column)),
                ("value", value.clone()),
            ],
        ),
        SheetProblem::Invalid { line, problem } => page.tr.tn(
            "survey-sheet-line",
            &[
                ("line", line.to_string()),
                ("column", heading(&page.tr, problem.field)),
                ("message", problem_message(page, problem)),
            ],
        ),
    }
}

/// POST /survey/{id}/profiles/upload (multipart): the profiles of a filled
/// template, added all together or not at all.
pub async fn upload(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<AnswerSurvey>,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut file = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::TooLarge)? {
        if field.name() == Some("file") {
            file = field.bytes().await.map_err(|_| AppError::TooLarge)?.to_vec();
        }
    }
    let problems = if file.is_empty() {
        vec![page.t("survey-sheet-file-required")]
    } else {
        match survey_sheet::read(&file, &vocabulary(&state)) {
            Ok(profiles) => {
                let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
                survey::add_profiles(&mut tx, &can, &id, &profiles, today(&state, &page)).await?;
                tx.commit().await?;
                return Ok(
                    Redirect::to(&format!("/survey/{id}?done=survey-profiles-imported#profiles")).into_response(),
                );
            }
            Err(found) => {
                let mut messages: Vec<String> = found.iter().take(SHOWN).map(|p| sheet_message(&page, p)).collect();
                if found.len() > SHOWN {
                    messages.push(
                        page.tr
                            .t1("survey-sheet-more", "count", &(found.len() - SHOWN).to_string()),
                    );
                }
                messages
            }
        }
    };
    let mut errors = FieldErrors::default();
    for message in problems {
        errors.add("profiles_file", message);
    }
    let q = load(&state, &ctx, &user, &id).await?;
    render_questionnaire(
        &state,
        &page,
        &q,
        Typed {
            errors,
            ..Typed::default()
        },
        None,
    )
}
