//! The professional referral form: one page per step, the draft saved at
//! every step (whatever its problems), the live screening result, the
//! check-your-answers page and submission.

use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::intake::referral_view::{self as view, parse_id};
use crate::intake::screening_view::{Catalogues, ScreeningView, catalogues_of, newest, screening_of};
use crate::page::{Page, render};
use crate::pickers::{self, DateView, Pick};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::SubmitReferrals;
use relais_domain::ids::ReferralId;
use relais_domain::intake::catalogue::shipped;
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::input::{self, ANSWER_PREFIX};
use relais_domain::intake::referral::screen::{self, answer_key};
use relais_domain::intake::referral::status::Status;
use relais_domain::intake::referral::steps::{self, Step};
use relais_domain::intake::screening::Answer;
use relais_domain::time::{Date, Zone};
use relais_store::intake::referrals::{self, Referral};

fn parse_step(raw: &str) -> Result<Step, AppError> {
    Step::parse(raw).ok_or(AppError::NotFound)
}

/// Today in Paris: a referral's dates are checked against the national day.
fn today(state: &AppState) -> Date {
    Date::local(state.clock.now(), &Zone::paris())
}

/// POST /referrals: a new draft, then its first step.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<SubmitReferrals>,
) -> Result<Response, AppError> {
    let (catalogue, version) = newest(&state, shipped::DELPHI_LABOUR)
        .await?
        .ok_or_else(|| AppError::Internal("screening catalogue missing".into()))?;
    // The checklists are pinned in the draft, the Delphi version beside it.
    let details = ReferralDetails {
        checklists: newest(&state, shipped::UNODC)
            .await?
            .and_then(|(id, version)| Some((id, u32::try_from(version).ok()?))),
        ..ReferralDetails::default()
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let id = referrals::create_draft(&mut tx, &can, (&catalogue, version)).await?;
    referrals::save_draft(&mut tx, &can, &id, Step::Person, &details).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/referrals/{id}/steps/person")).into_response())
}

/// Loads the user's own draft (audited read); decided referrals are not editable.
async fn own_draft(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &ReferralId,
) -> Result<Referral, AppError> {
    let can = capability::<SubmitReferrals>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (referral, _) = referrals::get_own(&mut tx, &can, id).await?;
    tx.commit().await?;
    if referral.summary.status != Status::Draft {
        return Err(AppError::Conflict("referral already submitted".into()));
    }
    Ok(referral)
}

pub struct EntryView {
    /// An HTML id made of the answer key (ids cannot hold `/` comfortably).
    pub id: String,
    pub name: String,
    pub label: String,
    pub answer: &'static str,
}

pub struct DimensionView {
    pub title: String,
    /// What the dimension or group covers, from the catalogue.
    pub definition: Option<String>,
    pub entries: Vec<EntryView>,
}

/// The questions this referral is asked (they follow its declared forms), grouped by dimension.
fn indicator_views(page: &Page, catalogues: &Catalogues, details: &ReferralDetails) -> Vec<DimensionView> {
    screen::questions(details, &catalogues.delphi, catalogues.checklists.as_deref())
        .iter()
        .map(|group| DimensionView {
            title: view::label(page, &group.dimension.labels),
            definition: group.dimension.definition.as_ref().map(|d| view::label(page, d)),
            entries: group
                .entries
                .iter()
                .map(|entry| {
                    let key = answer_key(entry);
                    EntryView {
                        id: format!("ind-{}", key.replace('/', "--")),
                        name: format!("{ANSWER_PREFIX}{key}"),
                        label: view::label(page, &entry.labels),
                        answer: Answer::key(details.answers.get(&key).copied().unwrap_or_default()),
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "intake/referral_step.html")]
struct StepPage<'a> {
    page: &'a Page,
    id: String,
    step: &'static str,
    number: usize,
    count: usize,
    title: String,
    state: String,
    next_title: Option<String>,
    previous: Option<&'static str>,
    d: &'a ReferralDetails,
    errors: FieldErrors,
    aliases: String,
    birth: DateView,
    period_start: DateView,
    period_end: DateView,
    countries: Vec<Pick>,
    languages: Vec<Pick>,
    interpreter_languages: Vec<Pick>,
    departements: Vec<Pick>,
    sexes: Vec<(String, String)>,
    ages: Vec<(String, String)>,
    forms: Vec<(String, String)>,
    locations: Vec<(String, String)>,
    yes_no: Vec<(String, String)>,
    answers: Vec<(String, String)>,
    consents: Vec<(String, String)>,
    indicators: Vec<DimensionView>,
    screening: Option<ScreeningView>,
    child: bool,
    act: &'static str,
}

impl StepPage<'_> {
    fn has_form(&self, key: &String) -> bool {
        self.d.forms.contains(key)
    }
}

async fn render_step(
    state: &AppState,
    ctx: &RequestContext,
    referral: &Referral,
    details: &ReferralDetails,
    step: Step,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let sequence = Step::sequence(details);
    let number = sequence.iter().position(|s| *s == step).map_or(1, |i| i + 1);
    let (indicators, screening) = if step == Step::Indicators {
        let catalogues = catalogues_of(state, referral).await?;
        (
            indicator_views(&page, &catalogues, details),
            screening_of(&page, &catalogues, details),
        )
    } else {
        (vec![], None)
    };
    render(&StepPage {
        id: referral.summary.id.to_string(),
        step: step.key(),
        number,
        count: sequence.len(),
        title: page.t(&format!("referral-step-{}", step.key())),
        state: page.tr.tn(
            "stepper-state",
            &[("number", number.to_string()), ("count", sequence.len().to_string())],
        ),
        next_title: step
            .next(details)
            .map(|s| page.t(&format!("referral-step-{}", s.key()))),
        previous: step.previous(details).map(Step::key),
        d: details,
        aliases: details.aliases.join("\n"),
        birth: DateView::new(
            &page,
            ("birth_date", "referral-birth-date", None),
            &details.birth_date,
            &errors,
        ),
        period_start: DateView::new(
            &page,
            ("period_start", "referral-period-start", None),
            &details.period_start,
            &errors,
        ),
        period_end: DateView::new(
            &page,
            ("period_end", "referral-period-end", Some("referral-period-end-hint")),
            &details.period_end,
            &errors,
        ),
        countries: pickers::countries(&page, &details.nationality),
        languages: pickers::languages(&page, &details.languages),
        interpreter_languages: pickers::languages(&page, &details.interpreter_language),
        departements: pickers::departements(&details.departement),
        sexes: view::sex_options(&page),
        ages: view::age_options(&page),
        forms: view::form_options(&page),
        locations: view::location_options(&page),
        yes_no: view::options(&page, "answer", &steps::YES_NO),
        answers: view::options(&page, "answer", &Answer::ALL.map(Answer::key)),
        consents: view::options(&page, "consent", &steps::CONSENT),
        indicators,
        screening,
        child: details.is_child(),
        act: Answer::key(details.act),
        errors,
        page: &page,
    })
}

/// GET /referrals/{id}/steps/{step}
pub async fn step_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, step)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (id, step) = (parse_id(&id)?, parse_step(&step)?);
    let referral = own_draft(&state, &ctx, &user, &id).await?;
    if !Step::sequence(&referral.details).contains(&step) {
        return Err(AppError::NotFound);
    }
    render_step(&state, &ctx, &referral, &referral.details, step, FieldErrors::default()).await
}

/// POST /referrals/{id}/steps/{step}: saves, then goes on, back to the list
/// (save and come back later), or shows the step's problems.
pub async fn step_submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, step)): Path<(String, String)>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (id, step) = (parse_id(&id)?, parse_step(&step)?);
    let can = capability::<SubmitReferrals>(&user, &ctx.path)?;
    let referral = own_draft(&state, &ctx, &user, &id).await?;
    let mut details = referral.details.clone();
    input::apply(step, &mut details, &posted);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    referrals::save_draft(&mut tx, &can, &id, step, &details).await?;
    tx.commit().await?;
    let action = posted.iter().find(|(k, _)| k == "action").map(|(_, v)| v.as_str());
    if action == Some("save") {
        return Ok(Redirect::to("/referrals?done=draft-saved").into_response());
    }
    let problems = steps::problems(step, &details, today(&state));
    if problems.is_empty() {
        let next = match step.next(&details) {
            Some(next) => format!("/referrals/{id}/steps/{}", next.key()),
            None => format!("/referrals/{id}/check"),
        };
        return Ok(Redirect::to(&next).into_response());
    }
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    for p in &problems {
        errors.add(p.field, view::problem_message(&page, p));
    }
    let body = render_step(&state, &ctx, &referral, &details, step, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

#[derive(Template)]
#[template(path = "intake/referral_screening_body.html")]
struct ScreeningFragment<'a> {
    page: &'a Page,
    screening: Option<ScreeningView>,
}

/// POST /referrals/{id}/screening (htmx): saves the indicator answers as
/// they are given and returns the updated result.
pub async fn live_screening(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<SubmitReferrals>,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let referral = own_draft(&state, &ctx, &user, &id).await?;
    let mut details = referral.details.clone();
    input::apply(Step::Indicators, &mut details, &posted);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    referrals::save_draft(&mut tx, &can, &id, Step::Indicators, &details).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    let catalogues = catalogues_of(&state, &referral).await?;
    render(&ScreeningFragment {
        screening: screening_of(&page, &catalogues, &details),
        page: &page,
    })
}

pub struct CheckSection {
    pub step: &'static str,
    pub title: String,
    pub rows: Vec<(String, String)>,
    pub problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "intake/referral_check.html")]
struct CheckPage<'a> {
    page: &'a Page,
    id: String,
    sections: Vec<CheckSection>,
    ready: bool,
    child: bool,
    refusal: bool,
    screening: Option<ScreeningView>,
}

async fn render_check(state: &AppState, ctx: &RequestContext, referral: &Referral) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let d = &referral.details;
    let catalogues = catalogues_of(state, referral).await?;
    let screening = screening_of(&page, &catalogues, d);
    let today = today(state);
    let sections: Vec<CheckSection> = Step::sequence(d)
        .into_iter()
        .map(|step| CheckSection {
            step: step.key(),
            title: page.t(&format!("referral-step-{}", step.key())),
            rows: view::summary_rows(&page, step, d, screening.as_ref()),
            problems: steps::problems(step, d, today)
                .iter()
                .map(|p| view::problem_message(&page, p))
                .collect(),
        })
        .collect();
    render(&CheckPage {
        id: referral.summary.id.to_string(),
        ready: sections.iter().all(|s| s.problems.is_empty()),
        child: d.is_child(),
        refusal: d.consent_refused(),
        sections,
        screening,
        page: &page,
    })
}

/// GET /referrals/{id}/check
pub async fn check(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let referral = own_draft(&state, &ctx, &user, &id).await?;
    render_check(&state, &ctx, &referral).await
}

/// POST /referrals/{id}/submit
pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<SubmitReferrals>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let referral = own_draft(&state, &ctx, &user, &id).await?;
    if !steps::incomplete(&referral.details, today(&state)).is_empty() {
        let body = render_check(&state, &ctx, &referral).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let catalogues = catalogues_of(&state, &referral).await?;
    let overall = screen::screen(&referral.details, &catalogues.delphi, catalogues.checklists.as_deref())
        .ok()
        .map(|s| s.overall());
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    referrals::submit(&mut tx, &can, &id, overall, today(&state)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/referrals/{id}?done=submitted")).into_response())
}
