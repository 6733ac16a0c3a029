//! The public signalement: a report without an account, by a witness, an
//! association or the person themself, and its follow-up with the code and
//! passphrase shown once. Rate-limited per address (keyed hash of the client
//! address, the same source as login), with a honeypot field for robots.
//! Code and passphrase travel only in POST bodies, never in URLs.

use crate::AppState;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handlers::admin_audit::format_time;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use relais_domain::referral::ExploitationForm;
use relais_domain::referral::public::{PossiblyMinor, Problem, PublicLimits, PublicReport, complement_problem};
use relais_domain::territory::Departement;
use relais_store::Actor;
use relais_store::referrals::Message;
use relais_store::signalements::{self, CheckedPassphrase, FollowUp, Outcome};
use serde::Deserialize;

/// The public form as posted. `website` is the honeypot: people never see it.
#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    departement: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    when: String,
    #[serde(default)]
    minor: String,
    #[serde(default)]
    forms: Vec<String>,
    #[serde(default)]
    danger: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    website: String,
}

impl ReportForm {
    fn report(&self) -> PublicReport {
        PublicReport {
            description: self.description.clone(),
            departement: self.departement.clone(),
            place: self.place.clone(),
            when: self.when.clone(),
            minor: self.minor.clone(),
            forms: self.forms.clone(),
            danger: !self.danger.is_empty(),
            contact: self.contact.clone(),
        }
    }
}

/// A checkbox or radio choice: (value, label, checked).
type Choice = (&'static str, String, bool);

#[derive(Template)]
#[template(path = "signalement.html")]
struct FormPage<'a> {
    page: &'a Page,
    form: &'a ReportForm,
    errors: FieldErrors,
    departements: Vec<&'static str>,
    minors: Vec<Choice>,
    forms: Vec<Choice>,
    throttled: bool,
}

#[derive(Template)]
#[template(path = "signalement_done.html")]
struct DonePage<'a> {
    page: &'a Page,
    code: String,
    passphrase: String,
}

fn problem_message(page: &Page, problem: Problem) -> String {
    match problem {
        Problem::Required => page.t("signalement-error-required"),
        Problem::TooLong { max } => page.tr.t1("signalement-error-too-long", "max", &max.to_string()),
        Problem::Unknown => page.t("signalement-error-unknown"),
    }
}

fn form_page(page: &Page, form: &ReportForm, errors: FieldErrors, throttled: bool) -> Result<Response, AppError> {
    let minors = PossiblyMinor::ALL
        .into_iter()
        .map(|m| {
            (
                m.key(),
                page.t(&format!("signalement-minor-{}", m.key())),
                form.minor == m.key(),
            )
        })
        .collect();
    let forms = ExploitationForm::ALL
        .into_iter()
        .map(|f| {
            let checked = form.forms.iter().any(|c| c == f.key());
            (f.key(), page.t(&format!("signalement-form-{}", f.key())), checked)
        })
        .collect();
    render(&FormPage {
        page,
        form,
        errors,
        departements: Departement::all().map(Departement::code).collect(),
        minors,
        forms,
        throttled,
    })
}

pub async fn form(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    form_page(&page, &ReportForm::default(), FieldErrors::default(), false)
}

/// What a robot filling every field gets: the same page as a person, with
/// codes that match nothing.
fn decoy(page: &Page) -> Result<Response, AppError> {
    let (code, passphrase) = signalements::decoy();
    render(&DonePage {
        page,
        code: code.to_string(),
        passphrase: passphrase.as_str().to_owned(),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    if !form.website.is_empty() {
        return decoy(&page);
    }
    let report = form.report();
    let problems = report.problems();
    if !problems.is_empty() {
        let mut errors = FieldErrors::default();
        for (field, problem) in problems {
            if errors.of(field).is_none() {
                errors.add(field, problem_message(&page, problem));
            }
        }
        let body = form_page(&page, &form, errors, false)?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let mut tx = super::begin_as(&state, &ctx, Actor::system()).await?;
    let address = ctx.client_address.to_string();
    match signalements::submit(&mut tx, &address, &report, &PublicLimits::default()).await? {
        Outcome::Done(receipt) => {
            tx.commit().await?;
            render(&DonePage {
                page: &page,
                code: receipt.code.to_string(),
                passphrase: receipt.passphrase.as_str().to_owned(),
            })
        }
        Outcome::Throttled | Outcome::WrongCredentials => {
            drop(tx);
            let body = form_page(&page, &form, FieldErrors::default(), true)?;
            Ok((StatusCode::TOO_MANY_REQUESTS, body).into_response())
        }
    }
}

/// The follow-up form, and the status page once code and passphrase match.
#[derive(Template)]
#[template(path = "signalement_follow_up.html")]
struct FollowUpPage<'a> {
    page: &'a Page,
    code: &'a str,
    /// Only sent back in the hidden fields of the status page's add form.
    passphrase: &'a str,
    error: Option<String>,
    notice: Option<String>,
    view: Option<StatusView>,
    complement: &'a str,
    complement_error: Option<String>,
}

struct StatusView {
    status: String,
    submitted_at: String,
    updated_at: String,
    messages: Vec<(String, String)>,
    additions: Vec<String>,
    open: bool,
}

fn status_view(page: &Page, view: &FollowUp) -> StatusView {
    let message = |m: &Message| (format_time(m.at.0), m.body.clone());
    StatusView {
        status: page.t(&format!("signalement-status-{}", view.status.key())),
        submitted_at: view.submitted_at.map(|t| format_time(t.0)).unwrap_or_default(),
        updated_at: format_time(view.updated_at.0),
        messages: view.messages.iter().map(message).collect(),
        additions: view.additions.iter().map(|t| format_time(t.0)).collect(),
        open: view.status.is_open(),
    }
}

#[derive(Deserialize, Default)]
pub struct FollowUpForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    passphrase: String,
    #[serde(default)]
    complement: String,
}

pub async fn follow_up_form(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    render(&FollowUpPage {
        page: &page,
        code: "",
        passphrase: "",
        error: None,
        notice: None,
        view: None,
        complement: "",
        complement_error: None,
    })
}

/// The form again with a refusal; the passphrase is never sent back.
fn refused(page: &Page, form: &FollowUpForm, key: &str, status: StatusCode) -> Result<Response, AppError> {
    let body = render(&FollowUpPage {
        page,
        code: &form.code,
        passphrase: "",
        error: Some(page.t(key)),
        notice: None,
        view: None,
        complement: "",
        complement_error: None,
    })?;
    Ok((status, body).into_response())
}

/// Checks the code and passphrase before any transaction, the Argon2 work
/// on a blocking thread so a burst of follow-ups cannot stall the server;
/// `None` when the address or the code is already over its limit.
async fn check_passphrase(
    state: &AppState,
    address: &str,
    form: &FollowUpForm,
    limits: &PublicLimits,
) -> Result<Option<CheckedPassphrase>, AppError> {
    let now = state.clock.now();
    if !signalements::follow_up_allowed(&state.store, address, &form.code, limits, now).await? {
        return Ok(None);
    }
    let hash = signalements::passphrase_hash(&state.store, &form.code).await?;
    let (code, passphrase) = (form.code.clone(), form.passphrase.clone());
    let checked =
        tokio::task::spawn_blocking(move || signalements::check_passphrase(&code, &passphrase, hash.as_deref()))
            .await
            .map_err(|e| AppError::Internal(format!("passphrase check: {e}")))?;
    Ok(Some(checked))
}

pub async fn follow_up_submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let address = ctx.client_address.to_string();
    let limits = PublicLimits::default();
    let Some(checked) = check_passphrase(&state, &address, &form, &limits).await? else {
        return refused(&page, &form, "signalement-throttled", StatusCode::TOO_MANY_REQUESTS);
    };
    let mut tx = super::begin_as(&state, &ctx, Actor::system()).await?;
    let outcome = signalements::follow_up(&mut tx, &address, &checked, &limits).await?;
    match outcome {
        Outcome::Done(view) => {
            tx.commit().await?;
            render(&FollowUpPage {
                page: &page,
                code: &form.code,
                passphrase: &form.passphrase,
                error: None,
                notice: None,
                view: Some(status_view(&page, &view)),
                complement: "",
                complement_error: None,
            })
        }
        Outcome::WrongCredentials => {
            tx.commit().await?;
            refused(
                &page,
                &form,
                "signalement-follow-up-wrong",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Outcome::Throttled => {
            drop(tx);
            refused(&page, &form, "signalement-throttled", StatusCode::TOO_MANY_REQUESTS)
        }
    }
}

pub async fn add_information(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let limits = PublicLimits::default();
    let address = ctx.client_address.to_string();
    let Some(checked) = check_passphrase(&state, &address, &form, &limits).await? else {
        return refused(&page, &form, "signalement-throttled", StatusCode::TOO_MANY_REQUESTS);
    };
    let mut tx = super::begin_as(&state, &ctx, Actor::system()).await?;
    let problem = complement_problem(&form.complement);
    let outcome = match problem {
        // Show the status page again with the error: authenticate as a follow-up.
        Some(_) => signalements::follow_up(&mut tx, &address, &checked, &limits)
            .await?
            .map(|view| (view, false)),
        None => signalements::add_information(&mut tx, &address, &checked, &form.complement, &limits)
            .await?
            .map(|added| (added.view, added.added)),
    };
    match outcome {
        Outcome::Done((view, added)) => {
            tx.commit().await?;
            let view = status_view(&page, &view);
            let (notice, error, complement, status) = match problem {
                Some(p) => (
                    None,
                    Some(problem_message(&page, p)),
                    form.complement.as_str(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                None if added => (Some(page.t("signalement-added")), None, "", StatusCode::OK),
                None => (
                    None,
                    Some(page.t("signalement-decided")),
                    form.complement.as_str(),
                    StatusCode::CONFLICT,
                ),
            };
            let body = render(&FollowUpPage {
                page: &page,
                code: &form.code,
                passphrase: &form.passphrase,
                error: None,
                notice,
                view: Some(view),
                complement,
                complement_error: error,
            })?;
            Ok((status, body).into_response())
        }
        Outcome::WrongCredentials => {
            tx.commit().await?;
            refused(
                &page,
                &form,
                "signalement-follow-up-wrong",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Outcome::Throttled => {
            drop(tx);
            refused(&page, &form, "signalement-throttled", StatusCode::TOO_MANY_REQUESTS)
        }
    }
}
