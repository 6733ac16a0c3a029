//! Training records (issue 14, part 8): the sessions of a year as their
//! recorders see them, the form that records one (the day, theme,
//! organiser, département and the people trained by profession — counts
//! only), and the cancellation of a session recorded by mistake.

use super::training_view::{profession_label, year_of};
use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::pickers::{Pick, departements};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::RecordTraining;
use relais_domain::observatory::training::{Profession, RawSession};
use relais_store::observatory::training::{self as store, StoredSession};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
    done: Option<String>,
}

/// The form as typed: the session's fields and one count per profession.
#[derive(Default, Clone)]
pub struct SessionForm {
    pub held_on: String,
    pub title: String,
    pub organiser: String,
    pub departement: String,
    pub counts: Vec<(String, String)>,
}

impl SessionForm {
    fn of(fields: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (name, value) in fields {
            match name.as_str() {
                "held_on" => form.held_on = value,
                "title" => form.title = value,
                "organiser" => form.organiser = value,
                "departement" => form.departement = value,
                other => {
                    if let Some(key) = other.strip_prefix("trained-") {
                        form.counts.push((key.to_owned(), value));
                    }
                }
            }
        }
        form
    }

    fn raw(&self) -> RawSession {
        RawSession {
            held_on: self.held_on.clone(),
            title: self.title.clone(),
            organiser: self.organiser.clone(),
            departement: self.departement.clone(),
            counts: self.counts.clone(),
        }
    }

    fn count(&self, key: &str) -> String {
        self.counts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// One profession's count field.
pub struct CountField {
    /// `trained-KEY`
    pub name: String,
    pub label: String,
    pub value: String,
}

pub struct SessionView {
    pub id: String,
    pub held_on: String,
    pub title: String,
    pub organiser: String,
    pub departement: String,
    pub trained: String,
    pub total: u64,
    pub recorded: String,
}

fn session_view(page: &Page, s: &StoredSession) -> SessionView {
    let session = &s.session;
    SessionView {
        id: s.id.clone(),
        held_on: page.day(session.held_on),
        title: session.title.clone(),
        organiser: session.organiser.clone(),
        departement: session.departement.label(),
        trained: session
            .trained
            .iter()
            .map(|(p, n)| format!("{} : {n}", profession_label(page, *p)))
            .collect::<Vec<_>>()
            .join(" ; "),
        total: session.total(),
        recorded: page.tr.tn(
            "training-recorded-by",
            &[
                (
                    "who",
                    s.recorded_by
                        .clone()
                        .unwrap_or_else(|| page.t("observatory-command-line")),
                ),
                ("when", page.when(s.recorded_at.0)),
            ],
        ),
    }
}

#[derive(Template)]
#[template(path = "observatory/training.html")]
struct TrainingPage<'a> {
    page: &'a Page,
    year: i32,
    years: Vec<i32>,
    sessions: Vec<SessionView>,
    summary: String,
    form: SessionForm,
    counts: Vec<CountField>,
    departements: Vec<Pick>,
    errors: FieldErrors,
    notice: Option<String>,
}

async fn training_page(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    (year, form, errors): (i32, SessionForm, FieldErrors),
    notice: Option<String>,
) -> Result<Response, AppError> {
    let can = capability::<RecordTraining>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let this_year = page.today(state.clock.now()).year;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (sessions, mut years) = store::sessions(&mut tx, &can, year).await?;
    tx.commit().await?;
    for wanted in [this_year, year] {
        if !years.contains(&wanted) {
            years.push(wanted);
        }
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    let people: u64 = sessions.iter().map(|s| s.session.total()).sum();
    let summary = page.tr.tn(
        "training-year-summary",
        &[
            ("year", year.to_string()),
            ("sessions", sessions.len().to_string()),
            ("people", people.to_string()),
        ],
    );
    let failed = !errors.is_empty();
    let body = render(&TrainingPage {
        year,
        years,
        sessions: sessions.iter().map(|s| session_view(&page, s)).collect(),
        summary,
        counts: Profession::ALL
            .iter()
            .map(|p| CountField {
                name: format!("trained-{}", p.key()),
                label: profession_label(&page, *p),
                value: form.count(p.key()),
            })
            .collect(),
        departements: departements(&form.departement),
        form,
        errors,
        notice,
        page: &page,
    })?;
    Ok(crate::page::form_status(body, failed))
}

/// GET /training?year=: the year's sessions and the form to record one.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let year = year_of(query.year.as_deref(), page.today(state.clock.now()).year);
    let notice = DoneQuery { done: query.done }.notice(&page);
    let blank = (year, SessionForm::default(), FieldErrors::default());
    training_page(&state, &ctx, &user, blank, notice).await
}

/// POST /training: records a session, then its year's list.
pub async fn record(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<RecordTraining>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let today = page.today(state.clock.now());
    let form = SessionForm::of(fields);
    let session = match form.raw().check(today) {
        Ok(session) => session,
        Err(problems) => {
            let mut errors = FieldErrors::default();
            for p in problems {
                let field = match p.field.strip_prefix("trained-") {
                    _ if p.key == "nobody" => page.t("training-field-trained"),
                    Some(key) => {
                        Profession::parse(key).map_or_else(|| p.field.clone(), |pr| profession_label(&page, pr))
                    }
                    None => page.t(&format!("training-field-{}", p.field)),
                };
                let message = page.tr.tn(
                    "training-error",
                    &[
                        ("field", field),
                        ("problem", page.t(&format!("training-problem-{}", p.key))),
                    ],
                );
                errors.add(p.field, message);
            }
            return training_page(&state, &ctx, &user, (today.year, form, errors), None).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    store::record(&mut tx, &can, &session).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/training?year={}&done=training-recorded",
        session.held_on.year
    ))
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct CancelForm {
    #[serde(default)]
    year: String,
}

/// POST /training/{id}/cancel: a session recorded by mistake stops counting.
pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<RecordTraining>,
    Path(id): Path<String>,
    Form(form): Form<CancelForm>,
) -> Result<Response, AppError> {
    let valid = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(AppError::NotFound);
    }
    let year = year_of(Some(&form.year), Page::new(&state, &ctx).today(state.clock.now()).year);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    store::cancel(&mut tx, &can, &id).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/training?year={year}&done=training-cancelled")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_in_the_query_is_a_past_or_current_year() {
        assert_eq!(year_of(Some("2025"), 2026), 2025);
        assert_eq!(year_of(Some("2027"), 2026), 2026);
        assert_eq!(year_of(Some("1999"), 2026), 2026);
        assert_eq!(year_of(Some("20x5"), 2026), 2026);
        assert_eq!(year_of(None, 2026), 2026);
    }

    #[test]
    fn the_form_keeps_each_profession_count() {
        let form = SessionForm::of(vec![
            ("title".into(), "Repérage".into()),
            ("trained-police".into(), "12".into()),
            ("trained-health".into(), "x".into()),
            ("csrf".into(), "t".into()),
        ]);
        assert_eq!(form.count("police"), "12");
        assert_eq!(form.count("health"), "x");
        assert_eq!(form.count("education"), "");
        assert_eq!(form.title, "Repérage");
    }
}
