//! The observatory's side of the associations' survey: the campaigns, a new
//! one for a data year, and who has answered (issue 14, part 3).

use super::survey_mail::{self, Kind};
use super::survey_view::{period, tone};
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
use relais_domain::access::authz::ManageObservatory;
use relais_domain::observatory::survey::{Campaign, CampaignInput};
use relais_store::StoreError;
use relais_store::observatory::survey::{self, State as Progress};

pub struct CampaignRow {
    pub year: i32,
    pub period: String,
    pub answered: String,
}

#[derive(Template)]
#[template(path = "observatory/survey_campaigns.html")]
struct CampaignsPage<'a> {
    page: &'a Page,
    rows: Vec<CampaignRow>,
    form: CampaignInput,
    /// The two days' fields: name, label, value as typed.
    dates: Vec<(&'static str, String, String)>,
    errors: FieldErrors,
    notice: Option<String>,
}

async fn campaigns_page(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    form: CampaignInput,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let can = capability::<ManageObservatory>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let list = survey::campaigns(&mut tx, &can).await?;
    tx.commit().await?;
    let rows = list
        .iter()
        .map(|c| CampaignRow {
            year: c.campaign.year,
            period: period(&page, &c.campaign),
            answered: page.tr.tn(
                "survey-answered-of",
                &[
                    ("submitted", c.submitted.to_string()),
                    ("invited", c.invited.to_string()),
                ],
            ),
        })
        .collect();
    let failed = !errors.is_empty();
    let dates = vec![
        ("opens_on", page.t("survey-field-opens"), form.opens_on.clone()),
        ("closes_on", page.t("survey-field-closes"), form.closes_on.clone()),
    ];
    let body = render(&CampaignsPage {
        page: &page,
        rows,
        dates,
        form,
        errors,
        notice,
    })?;
    Ok(crate::page::form_status(body, failed))
}

/// GET /observatory/survey
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = done.notice(&Page::new(&state, &ctx));
    campaigns_page(
        &state,
        &ctx,
        &user,
        CampaignInput::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// POST /observatory/survey: opens a campaign, inviting every association.
pub async fn open(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Form(form): Form<CampaignInput>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let campaign = match Campaign::parse(&form) {
        Ok(campaign) => campaign,
        Err(problems) => {
            let mut errors = FieldErrors::default();
            for p in problems {
                errors.add(p.field, page.t(p.key));
            }
            return campaigns_page(&state, &ctx, &user, form, errors, None).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match survey::open_campaign(&mut tx, &can, &campaign).await {
        Ok(_) => {
            let recipients = survey::respondents_to_ask(&mut tx, campaign.year).await?;
            survey_mail::enqueue(&state, &mut tx, &recipients, Kind::Invitation, &campaign).await?;
            tx.commit().await?;
        }
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("year", page.t("survey-year-taken"));
            return campaigns_page(&state, &ctx, &user, form, errors, None).await;
        }
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&format!("/observatory/survey/{}?done=survey-opened", campaign.year)).into_response())
}

pub struct CompletionRow {
    pub organisation: String,
    pub state: String,
    pub tone: &'static str,
    pub profiles: u32,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "observatory/survey_completion.html")]
struct CompletionPage<'a> {
    page: &'a Page,
    year: i32,
    period: String,
    submitted: usize,
    rows: Vec<CompletionRow>,
    notice: Option<String>,
}

/// GET /observatory/survey/{year}: every association invited, where its answer stands.
pub async fn completion(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(year): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (campaign, list) = survey::completion(&mut tx, &can, year).await?;
    tx.commit().await?;
    render(&CompletionPage {
        year,
        period: period(&page, &campaign),
        submitted: list.iter().filter(|c| c.state == Progress::Submitted).count(),
        rows: list
            .iter()
            .map(|c| CompletionRow {
                organisation: c.organisation.clone(),
                state: page.t(&format!("survey-state-{}", c.state.key())),
                tone: tone(c.state),
                profiles: c.profiles,
                updated: match (c.state, c.submitted_at) {
                    (Progress::Invited, _) => "—".to_owned(),
                    (_, Some(at)) => page.when(at.0),
                    (_, None) => page.when(c.updated_at.0),
                },
            })
            .collect(),
        notice: done.notice(&page),
        page: &page,
    })
}
