//! The sign-in through a provider: the redirection there, the callback that checks the ID
//! token and finds the account (or files an access request), and the page saying a request
//! was sent. Every outcome is audited; a refusal names its reason code, never the token.

use super::verify::Agent;
use crate::access::view::refused_page;
use crate::error::{AppError, safe_next};
use crate::page::{Page, render};
use crate::session::{RequestContext, SESSION_COOKIE, cookie};
use crate::{AppState, device};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use relais_domain::access::openid::{self, Candidate, Match, Refusal};
use relais_domain::ids::UserId;
use relais_store::Actor;
use relais_store::access::access_requests::{self, NewAccessRequest};
use relais_store::access::openid as store;
use relais_store::access::sessions::{self, Stage};
use relais_store::access::users;
use serde::Deserialize;

/// How long a sign-in may stay at the provider.
const PENDING_SECONDS: i64 = 600;

pub const CALLBACK: &str = "/login/oidc/callback";

fn callback_url(state: &AppState) -> String {
    format!("{}{CALLBACK}", state.settings.public_url)
}

#[derive(Deserialize, Default)]
pub struct StartQuery {
    next: Option<String>,
}

/// Sends the browser to the provider, having recorded the sign-in under way.
pub async fn start(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Path(id): Path<String>,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let provider = state.oidc.provider(&id).ok_or(AppError::NotFound)?;
    let authorization = match state.oidc.authorize(provider, &callback_url(&state)).await {
        Ok(a) => a,
        Err(refusal) => return refuse(&state, &ctx, &provider.id, refusal, None).await,
    };
    let pending = store::PendingLogin {
        provider: provider.id.clone(),
        nonce: authorization.nonce,
        pkce_verifier: authorization.pkce_verifier,
        next: query.next.as_deref().map_or("/dashboard", safe_next).to_owned(),
    };
    let expires = state.clock.now().plus_seconds(PENDING_SECONDS);
    store::start(&state.store, &authorization.state, &pending, expires).await?;
    let jar = jar.add(binding(&state, authorization.state.clone()));
    Ok((jar, Redirect::to(&authorization.url)).into_response())
}

/// The cookie that ties a sign-in under way to the browser that started it. Without it, a
/// callback link made by someone else (their own code and state) would sign this browser in
/// to their account, and what the professional then typed would go to it (login CSRF).
const BINDING_COOKIE: &str = "relais_oidc";

fn binding(state: &AppState, value: String) -> axum_extra::extract::cookie::Cookie<'static> {
    let mut cookie = cookie(state, BINDING_COOKIE, value);
    cookie.set_path(CALLBACK);
    cookie.set_max_age(time::Duration::seconds(PENDING_SECONDS));
    cookie
}

/// Whether the callback's state is the one this browser was sent with.
fn same_browser(jar: &CookieJar, state: &str) -> bool {
    jar.get(BINDING_COOKIE).is_some_and(|c| c.value() == state)
}

#[derive(Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let pending = match &query.state {
        Some(s) if same_browser(&jar, s) => store::consume(&state.store, s, now).await?,
        _ => None,
    };
    let jar = jar.remove(binding(&state, String::new()));
    let Some(pending) = pending else {
        return refuse(&state, &ctx, "-", Refusal::UnknownState, None).await;
    };
    let Some(provider) = state.oidc.provider(&pending.provider) else {
        return refuse(&state, &ctx, &pending.provider, Refusal::UnknownState, None).await;
    };
    let code = match (&query.error, &query.code) {
        (None, Some(code)) => code,
        _ => return refuse(&state, &ctx, &provider.id, Refusal::ProviderError, None).await,
    };
    let signed = state
        .oidc
        .finish(
            provider,
            &callback_url(&state),
            code,
            &pending.pkce_verifier,
            &pending.nonce,
            now,
        )
        .await;
    let signed = match signed {
        Ok(s) => s,
        Err(refusal) => return refuse(&state, &ctx, &provider.id, refusal, None).await,
    };
    let second_factor =
        openid::provider_second_factor(signed.agent.acr.as_deref(), &signed.agent.amr, &provider.accepted_acr);
    match account_for(&state, &ctx, &provider.id, &signed.agent).await? {
        Outcome::Account(user) => {
            open_session(
                &state,
                &ctx,
                jar,
                &user,
                second_factor,
                (&provider.id, &signed.id_token),
                &pending.next,
            )
            .await
        }
        Outcome::Requested => Ok(Redirect::to("/login/oidc/requested").into_response()),
        Outcome::Refused(refusal, user) => refuse(&state, &ctx, &provider.id, refusal, user.as_ref()).await,
    }
}

enum Outcome {
    Account(UserId),
    Requested,
    Refused(Refusal, Option<UserId>),
}

/// The linked account, or the account matched by e-mail and SIRET (linked now), or an
/// access request: one audited transaction.
async fn account_for(
    state: &AppState,
    ctx: &RequestContext,
    provider: &str,
    agent: &Agent,
) -> Result<Outcome, AppError> {
    let mut tx = crate::handler::begin_changing_as(state, ctx, Actor::system()).await?;
    if let Some(user) = store::linked_user(&mut tx, provider, &agent.subject).await? {
        // Only the sign-in's own audit row follows: nothing was read yet worth recording.
        drop(tx);
        return Ok(Outcome::Account(user));
    }
    let Some(email) = &agent.profile.email else {
        drop(tx);
        return Ok(Outcome::Refused(Refusal::MissingClaims, None));
    };
    let candidate = store::candidate_by_email(&mut tx, email).await?;
    let rule = candidate.as_ref().map(|c| Candidate {
        active: c.active,
        organisation_siret: c.organisation_siret.as_deref(),
    });
    let outcome = match openid::match_agent(rule.as_ref(), agent.profile.siret.as_ref()) {
        Match::Account => {
            let user = candidate.map(|c| c.user_id).ok_or(AppError::NotFound)?;
            store::link(&mut tx, provider, &agent.subject, &user).await?;
            Outcome::Account(user)
        }
        Match::Inactive => {
            let user = candidate.map(|c| c.user_id);
            store::record_refusal(&mut tx, provider, Refusal::AccountInactive, user.as_ref()).await?;
            Outcome::Refused(Refusal::AccountInactive, None)
        }
        Match::Request => {
            access_requests::file(
                &mut tx,
                &NewAccessRequest {
                    provider: provider.to_owned(),
                    subject: agent.subject.clone(),
                    email: email.clone(),
                    display_name: agent.display_name(),
                    siret: agent.profile.siret.clone(),
                },
            )
            .await?;
            Outcome::Requested
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// A new session for the account: complete when the provider's second factor counts,
/// otherwise at the local TOTP step, as after a password.
async fn open_session(
    state: &AppState,
    ctx: &RequestContext,
    jar: CookieJar,
    user: &UserId,
    second_factor: bool,
    (provider, id_token): (&str, &str),
    next: &str,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let credentials = users::credentials_by_id(&state.store, user).await?;
    if !credentials.active {
        return refuse(state, ctx, provider, Refusal::AccountInactive, Some(user)).await;
    }
    if let Some(old) = &ctx.session {
        sessions::delete(&state.store, &old.token).await?;
    }
    let stage = match (second_factor || !credentials.mfa_required(), credentials.totp_enabled) {
        (true, _) => Stage::Complete,
        (false, true) => Stage::MfaPending,
        (false, false) => Stage::MfaEnrolment,
    };
    let token = sessions::create(&state.store, user, stage, now).await?;
    sessions::set_provider(&state.store, &token, provider, id_token).await?;
    // As after a password: the sign-in is recorded once, when it is complete (here, or at
    // the second-factor step).
    if stage == Stage::Complete {
        let mut tx = crate::handler::begin_as_user(state, ctx, user).await?;
        users::record_sign_in(&mut tx, user).await?;
        tx.commit().await?;
    }
    let jar = if stage == Stage::Complete {
        device::issue(state, jar, user, now)
    } else {
        jar
    };
    let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    let target = match stage {
        Stage::Complete => next.to_owned(),
        Stage::MfaPending => format!("/login/mfa?next={encoded}"),
        Stage::MfaEnrolment => format!("/account/mfa?next={encoded}"),
    };
    let jar = jar.add(cookie(state, SESSION_COOKIE, token.expose().to_owned()));
    Ok((jar, Redirect::to(&target)).into_response())
}

/// Audits the refusal and shows the sign-in page with its reason, in words.
async fn refuse(
    state: &AppState,
    ctx: &RequestContext,
    provider: &str,
    refusal: Refusal,
    user: Option<&UserId>,
) -> Result<Response, AppError> {
    tracing::info!(provider, reason = refusal.code(), "OpenID Connect sign-in refused");
    let mut tx = crate::handler::begin_changing_as(state, ctx, Actor::system()).await?;
    store::record_refusal(&mut tx, provider, refusal, user).await?;
    tx.commit().await?;
    let page = Page::new(state, ctx);
    let error = format!(
        "{} {}",
        page.t("oidc-refused"),
        page.t(&format!("oidc-refused-{}", refusal.code()))
    );
    refused_page(state, ctx, error)
}

#[derive(Template)]
#[template(path = "access/oidc_requested.html")]
struct RequestedPage<'a> {
    page: &'a Page,
}

/// What an agent unknown to Relais sees after signing in at the provider.
pub async fn requested(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    render(&RequestedPage { page: &page })
}
