//! What the survey's pages share: a campaign's period and a questionnaire's
//! state, and the questionnaire page as the association fills it (the
//! answer pages and the spreadsheet of profiles render it after a save).

use crate::AppState;
use crate::access::authorized::capability;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::pickers::{self, Pick};
use crate::session::{RequestContext, SignedIn};
use askama::Template;
use axum::response::Response;
use relais_domain::access::authz::AnswerSurvey;
use relais_domain::observatory::survey::{
    Campaign, FORMS, Problem, ProfileInput, QUESTIONS, Totals, TotalsInput, form_field,
};
use relais_domain::time::Date;
use relais_store::observatory::survey::{self, Questionnaire, State as Progress};

pub(super) fn today(state: &AppState, page: &Page) -> Date {
    page.today(state.clock.now())
}

pub(super) fn title(page: &Page, year: i32) -> String {
    page.tr.t1("survey-campaign-of", "year", &year.to_string())
}

pub(super) fn period(page: &Page, campaign: &Campaign) -> String {
    page.tr.tn(
        "survey-period",
        &[
            ("from", page.day(campaign.opens_on)),
            ("to", page.day(campaign.closes_on)),
        ],
    )
}

/// The DSFR badge of a questionnaire's state.
pub(super) fn tone(state: Progress) -> &'static str {
    match state {
        Progress::Invited => "fr-badge--info",
        Progress::InProgress => "fr-badge--new",
        Progress::Submitted => "fr-badge--success",
    }
}

/// One question of the profile form, with its answers labelled.
pub struct QuestionView {
    pub key: &'static str,
    pub label: String,
    pub answers: Vec<Pick>,
}

/// A profile in the list: its answers in words.
pub struct ProfileRow {
    pub id: String,
    pub number: usize,
    pub summary: String,
    pub forms: String,
}

#[derive(Template)]
#[template(path = "observatory/survey_questionnaire.html")]
struct QuestionnairePage<'a> {
    page: &'a Page,
    id: String,
    title: String,
    organisation: String,
    period: String,
    state: String,
    tone: &'static str,
    /// Answers may change: sent questionnaires and closed campaigns are read only.
    open: bool,
    sent_on: Option<String>,
    totals: Vec<(String, String, String)>,
    questions: Vec<QuestionView>,
    countries: Vec<Pick>,
    forms: Vec<Pick>,
    profiles: Vec<ProfileRow>,
    errors: FieldErrors,
    notice: Option<String>,
}

/// What a failed save sends back: the form as typed and its problems.
#[derive(Default)]
pub(super) struct Typed {
    pub totals: Option<TotalsInput>,
    pub profile: Option<ProfileInput>,
    pub errors: FieldErrors,
}

fn answer_label(page: &Page, question: &str, answer: &str) -> String {
    page.t(&format!("survey-a-{question}-{answer}"))
}

pub(super) fn form_label(page: &Page, form: &str) -> String {
    page.t(&format!("form-{form}"))
}

fn forms_text(page: &Page, forms: &[String]) -> String {
    forms.iter().map(|f| form_label(page, f)).collect::<Vec<_>>().join(", ")
}

fn profile_rows(page: &Page, q: &Questionnaire) -> Vec<ProfileRow> {
    q.profiles
        .iter()
        .enumerate()
        .map(|(i, (id, p))| {
            let nationality = if p.nationality == "unknown" {
                page.t("survey-nationality-unknown")
            } else {
                pickers::country_name(page, &p.nationality)
            };
            let summary = ["relation", "sex", "age_group"]
                .iter()
                .map(|key| answer_label(page, key, p.answer(key)))
                .chain([nationality])
                .collect::<Vec<_>>()
                .join(" · ");
            ProfileRow {
                id: id.clone(),
                number: i + 1,
                summary,
                forms: forms_text(page, &p.forms),
            }
        })
        .collect()
}

pub(super) fn render_questionnaire(
    state: &AppState,
    page: &Page,
    q: &Questionnaire,
    typed: Typed,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let totals = typed
        .totals
        .unwrap_or_else(|| q.totals.as_ref().map(Totals::input).unwrap_or_default());
    let value = |field: &str| totals.get(field).cloned().unwrap_or_default();
    let mut total_fields = vec![
        (
            "accompanied".to_owned(),
            page.t("survey-total-accompanied"),
            value("accompanied"),
        ),
        (
            "new_in_year".to_owned(),
            page.t("survey-total-new"),
            value("new_in_year"),
        ),
    ];
    for form in FORMS {
        let field = form_field(form);
        total_fields.push((
            field.to_owned(),
            page.tr.t1("survey-total-form", "form", &form_label(page, form.key())),
            value(field),
        ));
    }
    let profile = typed.profile.unwrap_or_default();
    let questions = QUESTIONS
        .iter()
        .map(|question| QuestionView {
            key: question.key,
            label: page.t(&format!("survey-q-{}", question.key)),
            answers: question
                .answers
                .iter()
                .map(|a| Pick {
                    code: (*a).to_owned(),
                    name: answer_label(page, question.key, a),
                    selected: profile.answers.get(question.key).map(String::as_str) == Some(*a),
                })
                .collect(),
        })
        .collect();
    let forms = FORMS
        .iter()
        .map(|f| Pick {
            code: f.key().to_owned(),
            name: form_label(page, f.key()),
            selected: profile.forms.iter().any(|chosen| chosen == f.key()),
        })
        .collect();
    let failed = !typed.errors.is_empty();
    let body = render(&QuestionnairePage {
        id: q.id.clone(),
        title: title(page, q.campaign.year),
        organisation: q.organisation.clone(),
        period: period(page, &q.campaign),
        state: page.t(&format!("survey-state-{}", q.state.key())),
        tone: tone(q.state),
        open: q.state != Progress::Submitted && q.campaign.is_open(today(state, page)),
        sent_on: q.submitted_at.map(|at| page.when(at.0)),
        totals: total_fields,
        questions,
        countries: pickers::countries(page, &profile.nationality),
        forms,
        profiles: profile_rows(page, q),
        errors: typed.errors,
        notice,
        page,
    })?;
    Ok(crate::page::form_status(body, failed))
}

pub(super) async fn load(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
) -> Result<Questionnaire, AppError> {
    let can = capability::<AnswerSurvey>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let found = survey::questionnaire(&mut tx, &can, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// A problem of a profile or of totals, in words that name the question.
pub(super) fn problem_message(page: &Page, problem: &Problem) -> String {
    if problem.key == "survey-answer-missing" {
        page.tr
            .t1(problem.key, "question", &page.t(&format!("survey-q-{}", problem.field)))
    } else {
        page.t(problem.key)
    }
}
