//! Sign-in with e-mail and password, the first of two factors, and sign-out.

use crate::access::view::{LoginPage, providers};
use crate::error::{AppError, safe_next};
use crate::page::{Page, render};
use crate::session::{RequestContext, SESSION_COOKIE, cookie};
use crate::{AppState, device};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use relais_domain::access::throttle::Verdict;
use relais_domain::email::Email;
use relais_store::access::openid;
use relais_store::access::sessions::{self, Stage};
use relais_store::access::throttle::{self, LoginKeys};
use relais_store::access::users::{self, Credentials};
use relais_store::audit::{Action, Object};
use relais_store::{Actor, access::passwords};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    // A session cookie that no longer matches a live session: it expired.
    let expired = jar.get(SESSION_COOKIE).is_some() && ctx.session.is_none();
    let notice = crate::handler::notice_key(query.done.as_deref())
        .map(|k| page.t(&format!("notice-{k}")))
        .or_else(|| expired.then(|| page.t("login-session-expired")));
    let next = query.next.as_deref().map_or("/dashboard", safe_next);
    render(&LoginPage {
        page: &page,
        email: "",
        next,
        error: None,
        notice,
        providers: providers(&state, next),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The form again with an error, the e-mail address kept.
fn refuse(state: &AppState, ctx: &RequestContext, form: &LoginForm, error: Refusal) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let (error, status) = match error {
        Refusal::Failed => (page.t("login-failed"), StatusCode::UNPROCESSABLE_ENTITY),
        Refusal::PasswordOff => (page.t("login-password-off"), StatusCode::FORBIDDEN),
        Refusal::Wait(verdict) => (
            page.tr.t1("auth-wait", "minutes", &verdict.minutes().to_string()),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    };
    let error = Some(error);
    let body = render(&LoginPage {
        page: &page,
        email: &form.email,
        next: safe_next(&form.next),
        error,
        notice: None,
        providers: providers(state, safe_next(&form.next)),
    })?;
    Ok((status, body).into_response())
}

enum Refusal {
    Failed,
    /// The organisation signs its members in through a provider only.
    PasswordOff,
    Wait(Verdict),
}

async fn check_password(password: String, hash: Option<String>) -> bool {
    // Argon2 is deliberately slow: keep it off the async workers.
    crate::hashing::spawn(move || passwords::verify(&password, hash.as_deref()))
        .await
        .unwrap_or(false)
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let credentials: Option<Credentials> = match Email::parse(&form.email) {
        Ok(email) => users::credentials_by_email(&state.store, &email).await?,
        Err(_) => None,
    };
    // A browser that signed in to this account before is judged by its own
    // failures only (ADR 0015).
    let device = credentials
        .as_ref()
        .and_then(|c| device::trusted_nonce(&state, &jar, &c.user_id, now));
    let keys = LoginKeys::new(&state.store, &form.email, &ctx.client_address.to_string())
        .with_device(&state.store, device.as_deref());
    let verdict = throttle::admit(&state.store, &keys, now, &state.settings.throttle).await?;
    if verdict != Verdict::Allowed {
        return refuse(&state, &ctx, &form, Refusal::Wait(verdict));
    }
    let hash = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let password_ok = check_password(form.password.clone(), hash).await;
    let credentials = match credentials {
        Some(c) if password_ok && c.active => c,
        other => {
            throttle::record_failure(&state.store, &keys, now, &state.settings.throttle).await?;
            if let Some(c) = other {
                let mut tx = crate::handler::begin_as(&state, &ctx, Actor::system()).await?;
                tx.audit(Action::AuthLoginFailed, Object::User, Some(c.user_id.as_str()), None)
                    .await?;
                tx.commit().await?;
            }
            return refuse(&state, &ctx, &form, Refusal::Failed);
        }
    };
    throttle::record_success(&state.store, &keys).await?;
    if !openid::password_sign_in_allowed(&state.store, &credentials.organisation_id).await? {
        let mut tx = crate::handler::begin_as(&state, &ctx, Actor::system()).await?;
        tx.audit(
            Action::AuthLoginFailed,
            Object::User,
            Some(credentials.user_id.as_str()),
            Some("password-off"),
        )
        .await?;
        tx.commit().await?;
        return refuse(&state, &ctx, &form, Refusal::PasswordOff);
    }
    // Always a new session at login: a token planted before login is useless.
    if let Some(old) = &ctx.session {
        sessions::delete(&state.store, &old.token).await?;
    }
    let stage = match (credentials.mfa_required(), credentials.totp_enabled) {
        (false, _) => Stage::Complete,
        (true, true) => Stage::MfaPending,
        (true, false) => Stage::MfaEnrolment,
    };
    let token = sessions::create(&state.store, &credentials.user_id, stage, now).await?;
    if stage == Stage::Complete {
        let actor = Actor::user(credentials.user_id.clone(), credentials.organisation_id.clone());
        let mut tx = crate::handler::begin_as(&state, &ctx, actor).await?;
        users::record_sign_in(&mut tx, &credentials.user_id).await?;
        tx.commit().await?;
    }
    let jar = if stage == Stage::Complete {
        device::issue(&state, jar, &credentials.user_id, now)
    } else {
        jar
    };
    let next = safe_next(&form.next);
    let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    let target = match stage {
        Stage::Complete => next.to_owned(),
        Stage::MfaPending => format!("/login/mfa?next={encoded}"),
        Stage::MfaEnrolment => format!("/account/mfa?next={encoded}"),
    };
    let jar = jar.add(cookie(&state, SESSION_COOKIE, token.expose().to_owned()));
    Ok((jar, Redirect::to(&target)).into_response())
}

/// Signs out here, then at the provider the session came from, if it has an end-session endpoint.
pub async fn logout(State(state): State<AppState>, ctx: RequestContext, jar: CookieJar) -> Result<Response, AppError> {
    let mut target = "/login?done=logged-out".to_owned();
    if let Some(active) = &ctx.session {
        if let Some((id, id_token)) = sessions::provider(&state.store, &active.token).await? {
            let after = format!("{}{target}", state.settings.public_url);
            if let Some(provider) = state.oidc.provider(&id)
                && let Some(url) = state.oidc.logout_url(provider, &id_token, &after).await
            {
                target = url;
            }
        }
        sessions::delete(&state.store, &active.token).await?;
        let mut tx = crate::handler::begin_as_user(&state, &ctx, &active.session.user_id).await?;
        tx.audit(
            Action::AuthLogout,
            Object::User,
            Some(active.session.user_id.as_str()),
            None,
        )
        .await?;
        tx.commit().await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to(&target)).into_response())
}
