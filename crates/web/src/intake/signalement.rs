//! The public signalement: a report without an account, by a witness, an
//! association or the person themself, and its follow-up with the code and
//! passphrase shown once. Rate-limited per address (keyed hash of the client
//! address, the same source as login), with a honeypot field for robots.
//! Code and passphrase travel only in POST bodies, never in URLs. Sending
//! the form redirects to a confirmation page that shows them once; the
//! form's one-time token makes a second sending file nothing new.

use crate::AppState;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use relais_domain::intake::referral::ExploitationForm;
use relais_domain::intake::referral::public::{PossiblyMinor, Problem, PublicLimits, PublicReport, complement_problem};
use relais_domain::territory::Departement;
use relais_store::Actor;
use relais_store::intake::referrals::Message;
use relais_store::intake::signalements::{
    self, CheckedPassphrase, Confirmation, FollowUp, FormToken, NewPassphrase, Outcome, Sent,
};
use serde::Deserialize;

/// The public form as posted. `website` is the honeypot: people never see
/// it. `form_token` is the form's one-time token (a second sending of the
/// same form files nothing new).
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
    #[serde(default)]
    form_token: String,
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
#[template(path = "intake/signalement.html")]
struct FormPage<'a> {
    page: &'a Page,
    form: &'a ReportForm,
    form_token: &'a str,
    errors: FieldErrors,
    departements: Vec<&'static str>,
    minors: Vec<Choice>,
    forms: Vec<Choice>,
    /// Why the form comes back although nothing is wrong with it.
    alert: Option<String>,
}

/// The confirmation: the code and passphrase the first time, otherwise
/// that the signalement was sent (once).
#[derive(Template)]
#[template(path = "intake/signalement_done.html")]
struct DonePage<'a> {
    page: &'a Page,
    receipt: Option<(String, String)>,
}

/// The cookie that carries the form token from the form's POST to its
/// confirmation page: never in the URL.
const SENT_COOKIE: &str = "relais_signalement";
const SENT_PATH: &str = "/signalement/envoye";

fn problem_message(page: &Page, problem: Problem) -> String {
    match problem {
        Problem::Required => page.t("signalement-error-required"),
        Problem::TooLong { max } => page.tr.t1("signalement-error-too-long", "max", &max.to_string()),
        Problem::Unknown => page.t("signalement-error-unknown"),
    }
}

fn form_page(
    page: &Page,
    form: &ReportForm,
    token: &FormToken,
    errors: FieldErrors,
    alert: Option<String>,
) -> Result<Response, AppError> {
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
        form_token: token.as_str(),
        errors,
        departements: Departement::all().map(Departement::code).collect(),
        minors,
        forms,
        alert,
    })
}

pub async fn form(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    form_page(
        &page,
        &ReportForm::default(),
        &FormToken::generate(),
        FieldErrors::default(),
        None,
    )
}

/// Post/redirect/get: the confirmation page is reached by a GET that a
/// refresh does not send again; the token rides in a short-lived cookie.
fn sent(state: &AppState, jar: CookieJar, token: &FormToken) -> Response {
    let cookie = Cookie::build((SENT_COOKIE, token.as_str().to_owned()))
        .path(SENT_PATH)
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::seconds(signalements::RECEIPT_SECONDS))
        .build();
    (jar.add(cookie), Redirect::to(SENT_PATH)).into_response()
}

/// A passphrase and its Argon2 hash, made on a blocking thread.
async fn new_passphrase() -> Result<NewPassphrase, AppError> {
    crate::hashing::spawn(signalements::new_passphrase)
        .await
        .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
        .map_err(AppError::from)
}

/// Files the signalement in one audited transaction (which the store
/// retries while the database is busy).
async fn file(
    state: &AppState,
    ctx: &RequestContext,
    address: &str,
    token: &FormToken,
    report: &PublicReport,
) -> Result<Outcome<Sent>, AppError> {
    let secret = new_passphrase().await?;
    let mut tx = crate::handler::begin_as(state, ctx, Actor::system()).await?;
    let outcome = signalements::submit(&mut tx, address, token, secret, report, &PublicLimits::default()).await?;
    if matches!(outcome, Outcome::Done(Sent::Filed(_))) {
        tx.commit().await?;
    }
    Ok(outcome)
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let token = FormToken::parse(&form.form_token).unwrap_or_else(FormToken::generate);
    if !form.website.is_empty() {
        // What a robot filling every field gets: the same answer as a
        // person, after as long; nothing is stored, and the confirmation
        // page shows codes that match nothing.
        let _ = new_passphrase().await;
        return Ok(sent(&state, jar, &token));
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
        let body = form_page(&page, &form, &token, errors, None)?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    match file(&state, &ctx, &ctx.client_address.to_string(), &token, &report).await {
        Ok(Outcome::Done(_)) => Ok(sent(&state, jar, &token)),
        Ok(Outcome::Throttled | Outcome::WrongCredentials) => {
            let body = form_page(
                &page,
                &form,
                &token,
                FieldErrors::default(),
                Some(page.t("signalement-throttled")),
            )?;
            Ok((StatusCode::TOO_MANY_REQUESTS, body).into_response())
        }
        Err(error) => {
            // Never lose what the reporter wrote: the form comes back filled
            // in, with the same token, so sending it again cannot file twice.
            let status = match error {
                AppError::Busy => {
                    tracing::warn!(request_id = %ctx.request_id, "signalement not saved: database busy");
                    StatusCode::SERVICE_UNAVAILABLE
                }
                other => {
                    tracing::error!(request_id = %ctx.request_id, error = %other, "signalement not saved");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            let body = form_page(
                &page,
                &form,
                &token,
                FieldErrors::default(),
                Some(page.t("signalement-not-saved")),
            )?;
            Ok((status, body).into_response())
        }
    }
}

/// GET /signalement/envoye: the code and passphrase, shown once.
pub async fn confirmation(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let token = jar.get(SENT_COOKIE).and_then(|c| FormToken::parse(c.value()));
    let receipt = match token {
        None => None,
        Some(token) => {
            let mut tx = crate::handler::begin_changing_as(&state, &ctx, Actor::system()).await?;
            match signalements::take_receipt(&mut tx, &token).await? {
                Confirmation::Receipt(receipt) => {
                    tx.commit().await?;
                    Some((receipt.code.to_string(), receipt.passphrase.as_str().to_owned()))
                }
                Confirmation::AlreadyShown => None,
                Confirmation::Unknown => {
                    let (code, passphrase) = signalements::decoy();
                    Some((code.to_string(), passphrase.as_str().to_owned()))
                }
            }
        }
    };
    render(&DonePage { page: &page, receipt })
}

/// The follow-up form, and the status page once code and passphrase match.
#[derive(Template)]
#[template(path = "intake/signalement_follow_up.html")]
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
    let message = |m: &Message| (page.when(m.at.0), m.body.clone());
    StatusView {
        status: page.t(&format!("signalement-status-{}", view.status.key())),
        submitted_at: view.submitted_at.map(|t| page.when(t.0)).unwrap_or_default(),
        updated_at: page.when(view.updated_at.0),
        messages: view.messages.iter().map(message).collect(),
        additions: view.additions.iter().map(|t| page.when(t.0)).collect(),
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
    let checked = crate::hashing::spawn(move || signalements::check_passphrase(&code, &passphrase, hash.as_deref()))
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
    let mut tx = crate::handler::begin_as(&state, &ctx, Actor::system()).await?;
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
    let mut tx = crate::handler::begin_as(&state, &ctx, Actor::system()).await?;
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
