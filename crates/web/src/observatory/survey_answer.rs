//! An association answers the annual survey (issue 14, part 3): its
//! totals, one coded profile per person, a check page that counts the
//! profiles against the totals, then sending. Everything is saved as it is
//! entered, so the questionnaire can be left and taken up again.

use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::AnswerSurvey;
use relais_domain::observatory::survey::{Check, FORMS, Problem, Profile, ProfileInput, Totals, TotalsInput};
use relais_observatory::sources::ImportError;
use relais_store::observatory::survey::{self, State as Progress};

use super::survey_view::{Typed, form_label, load, period, problem_message, render_questionnaire, title, today, tone};

pub struct InvitationRow {
    pub id: String,
    pub title: String,
    pub period: String,
    pub state: String,
    pub tone: &'static str,
    /// Answers may still be given: "fill in", otherwise "see".
    pub open: bool,
}

#[derive(Template)]
#[template(path = "observatory/survey_invitations.html")]
struct InvitationsPage<'a> {
    page: &'a Page,
    rows: Vec<InvitationRow>,
}

/// GET /survey: the questionnaires the association was asked for.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<AnswerSurvey>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let today = today(&state, &page);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let found = survey::invitations(&mut tx, &can).await?;
    tx.commit().await?;
    render(&InvitationsPage {
        rows: found
            .iter()
            .map(|i| InvitationRow {
                id: i.id.clone(),
                title: title(&page, i.campaign.year),
                period: period(&page, &i.campaign),
                state: page.t(&format!("survey-state-{}", i.state.key())),
                tone: tone(i.state),
                open: i.state != Progress::Submitted && i.campaign.is_open(today),
            })
            .collect(),
        page: &page,
    })
}

/// GET /survey/{id}
pub async fn questionnaire(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let q = load(&state, &ctx, &user, &id).await?;
    let page = Page::new(&state, &ctx);
    let notice = done.notice(&page);
    render_questionnaire(&state, &page, &q, Typed::default(), notice)
}

fn problems_to_errors(page: &Page, problems: &[Problem]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for p in problems {
        errors.add(p.field, problem_message(page, p));
    }
    errors
}

/// POST /survey/{id}/totals
pub async fn save_totals(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<AnswerSurvey>,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let input: TotalsInput = posted.into_iter().filter(|(k, _)| k != "csrf").collect();
    match Totals::parse(&input) {
        Ok(totals) => {
            let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
            survey::save_totals(&mut tx, &can, &id, &totals, today(&state, &page)).await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/survey/{id}?done=survey-totals-saved")).into_response())
        }
        Err(problems) => {
            let typed = Typed {
                errors: problems_to_errors(&page, &problems),
                totals: Some(input),
                ..Typed::default()
            };
            refuse(&state, &ctx, &user, &id, typed).await
        }
    }
}

/// The questionnaire again with what was typed and its problems (422).
async fn refuse(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
    typed: Typed,
) -> Result<Response, AppError> {
    let q = load(state, ctx, user, id).await?;
    render_questionnaire(state, &Page::new(state, ctx), &q, typed, None)
}

/// POST /survey/{id}/profiles
pub async fn add_profile(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<AnswerSurvey>,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut input = ProfileInput::default();
    for (key, value) in posted {
        match key.as_str() {
            "nationality" => input.nationality = value,
            "forms" => input.forms.push(value),
            "csrf" => {}
            _ => {
                input.answers.insert(key, value);
            }
        }
    }
    match Profile::parse(&input) {
        Ok(profile) => {
            let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
            survey::add_profile(&mut tx, &can, &id, &profile, today(&state, &page)).await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/survey/{id}?done=survey-profile-added#profiles")).into_response())
        }
        Err(problems) => {
            let typed = Typed {
                errors: problems_to_errors(&page, &problems),
                profile: Some(input),
                ..Typed::default()
            };
            refuse(&state, &ctx, &user, &id, typed).await
        }
    }
}

/// POST /survey/{id}/profiles/{profile}/remove
pub async fn remove_profile(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, profile)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let can = capability::<AnswerSurvey>(&user, &ctx.path)?;
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    survey::remove_profile(&mut tx, &can, &id, &profile, today(&state, &page)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/survey/{id}?done=survey-profile-removed#profiles")).into_response())
}

pub struct CheckView {
    pub text: String,
    pub blocks: bool,
}

#[derive(Template)]
#[template(path = "observatory/survey_check.html")]
struct CheckPage<'a> {
    page: &'a Page,
    id: String,
    title: String,
    organisation: String,
    totals: Vec<(String, String)>,
    profiles: usize,
    checks: Vec<CheckView>,
    /// Sending is possible: totals given, nothing blocking, campaign open.
    ready: bool,
}

fn check_text(page: &Page, check: &Check) -> String {
    match check {
        Check::MoreProfilesThanAccompanied { profiles, accompanied } => page.tr.tn(
            "survey-check-more-profiles",
            &[
                ("profiles", profiles.to_string()),
                ("accompanied", accompanied.to_string()),
            ],
        ),
        Check::MoreProfilesThanForm { form, profiles, total } => page.tr.tn(
            "survey-check-more-in-form",
            &[
                ("form", form_label(page, form)),
                ("profiles", profiles.to_string()),
                ("total", total.to_string()),
            ],
        ),
        Check::FewerProfilesThanAccompanied { profiles, accompanied } => page.tr.tn(
            "survey-check-fewer-profiles",
            &[
                ("profiles", profiles.to_string()),
                ("accompanied", accompanied.to_string()),
            ],
        ),
    }
}

/// GET /survey/{id}/check: the answers to check, what does not add up, sending.
pub async fn check(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let q = load(&state, &ctx, &user, &id).await?;
    let page = Page::new(&state, &ctx);
    if q.state == Progress::Submitted {
        return Ok(Redirect::to(&format!("/survey/{id}")).into_response());
    }
    let mut checks: Vec<CheckView> = q
        .checks()
        .iter()
        .map(|c| CheckView {
            text: check_text(&page, c),
            blocks: c.blocks(),
        })
        .collect();
    if q.totals.is_none() {
        checks.insert(
            0,
            CheckView {
                text: page.t("survey-check-no-totals"),
                blocks: true,
            },
        );
    }
    let open = q.campaign.is_open(today(&state, &page));
    if !open {
        checks.push(CheckView {
            text: page.t("survey-check-closed"),
            blocks: true,
        });
    }
    let totals = q.totals.as_ref().map_or_else(Vec::new, |t| {
        let mut rows = vec![
            (page.t("survey-total-accompanied"), t.accompanied.to_string()),
            (page.t("survey-total-new"), t.new_in_year.to_string()),
        ];
        for form in FORMS {
            let n = t.by_form.get(form.key()).copied().unwrap_or(0);
            rows.push((
                page.tr.t1("survey-total-form", "form", &form_label(&page, form.key())),
                n.to_string(),
            ));
        }
        rows
    });
    render(&CheckPage {
        id: q.id.clone(),
        title: title(&page, q.campaign.year),
        organisation: q.organisation.clone(),
        totals,
        profiles: q.profiles.len(),
        ready: !checks.iter().any(|c| c.blocks),
        checks,
        page: &page,
    })
}

/// POST /survey/{id}/submit
pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<AnswerSurvey>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match survey::submit(&mut tx, &can, &id, today(&state, &page)).await {
        Ok(()) => {
            // The observatory's survey source takes the new profiles in the same transaction.
            match relais_observatory::survey::refresh(&mut tx).await {
                Ok(_) => {}
                Err(ImportError::Store(error)) => return Err(error.into()),
                Err(other) => return Err(AppError::Internal(format!("survey source: {other}"))),
            }
            tx.commit().await?;
            Ok(Redirect::to(&format!("/survey/{id}?done=survey-submitted")).into_response())
        }
        // What does not add up is on the check page.
        Err(relais_store::StoreError::Conflict(_)) => Ok(Redirect::to(&format!("/survey/{id}/check")).into_response()),
        Err(error) => Err(error.into()),
    }
}
