//! The second factor: TOTP challenge at login, enrolment, and the password
//! re-confirmation that unlocks privileged acts for a few minutes.

use crate::error::{AppError, safe_next};
use crate::page::{Page, render};
use crate::session::{ActiveSession, RequestContext, SESSION_COOKIE, cookie};
use crate::{AppState, device};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::Form;
use relais_domain::access::throttle::Verdict;
use relais_domain::ids::UserId;
use relais_domain::time::Timestamp;
use relais_store::access::sessions::{self, Stage};
use relais_store::access::throttle::{self, LoginKeys};
use relais_store::audit::{Action, Object};
use relais_store::{access::passwords, access::totp, access::users};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "access/mfa_challenge.html")]
struct Challenge<'a> {
    page: &'a Page,
    next: &'a str,
    error: Option<String>,
}

fn session(ctx: &RequestContext) -> Result<&ActiveSession, AppError> {
    ctx.session
        .as_ref()
        .ok_or_else(|| AppError::SignIn { next: ctx.path.clone() })
}

pub async fn challenge_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    if session(&ctx)?.session.stage != Stage::MfaPending {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let page = Page::new(&state, &ctx);
    render(&Challenge {
        page: &page,
        next: query.next.as_deref().map_or("/dashboard", safe_next),
        error: None,
    })
}

/// Why a code or password was refused.
enum Refused {
    Wrong(&'static str),
    Wait(Verdict),
}

impl Refused {
    fn message(&self, page: &Page) -> String {
        match self {
            Self::Wrong(key) => page.t(key),
            Self::Wait(verdict) => page.tr.t1("auth-wait", "minutes", &verdict.minutes().to_string()),
        }
    }
}

/// The throttling subjects of a second-factor or re-authentication attempt
/// by `user` from this request (ADR 0015).
fn attempt_keys(state: &AppState, ctx: &RequestContext, jar: &CookieJar, user: &UserId, now: Timestamp) -> LoginKeys {
    let device = device::trusted_nonce(state, jar, user, now);
    LoginKeys::new(&state.store, user.as_str(), &ctx.client_address.to_string())
        .with_device(&state.store, device.as_deref())
}

/// Verifies a code for `user`, counting failures like password failures.
async fn verify_code(
    state: &AppState,
    keys: &LoginKeys,
    user: &UserId,
    code: &str,
    now: Timestamp,
) -> Result<Result<(), Refused>, AppError> {
    let verdict = throttle::admit(&state.store, keys, now, &state.settings.throttle).await?;
    if verdict != Verdict::Allowed {
        return Ok(Err(Refused::Wait(verdict)));
    }
    check_code(state, keys, user, code, now).await
}

/// Checks a code of an attempt already admitted by the throttle.
async fn check_code(
    state: &AppState,
    keys: &LoginKeys,
    user: &UserId,
    code: &str,
    now: Timestamp,
) -> Result<Result<(), Refused>, AppError> {
    let secret = users::totp_secret(&state.store, user).await?;
    let last = users::credentials_by_id(&state.store, user).await?.totp_last_step;
    let step = secret.and_then(|s| totp::check(&s, code, now, last));
    let accepted = match step {
        Some(step) => users::consume_totp_step(&state.store, user, step).await?,
        None => false,
    };
    if accepted {
        throttle::record_success(&state.store, keys).await?;
        Ok(Ok(()))
    } else {
        throttle::record_failure(&state.store, keys, now, &state.settings.throttle).await?;
        Ok(Err(Refused::Wrong("mfa-code-wrong")))
    }
}

pub async fn challenge_submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let active = session(&ctx)?;
    if active.session.stage != Stage::MfaPending {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let now = state.clock.now();
    let user = active.session.user_id.clone();
    let keys = attempt_keys(&state, &ctx, &jar, &user, now);
    if let Err(refused) = verify_code(&state, &keys, &user, &form.code, now).await? {
        let page = Page::new(&state, &ctx);
        let error = Some(refused.message(&page));
        let body = render(&Challenge {
            page: &page,
            next: safe_next(&form.next),
            error,
        })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    // Privilege changes: a new session token.
    let token = sessions::rotate(&state.store, &active.token, Stage::Complete, now, now).await?;
    let mut tx = crate::handler::begin_as_user(&state, &ctx, &user).await?;
    users::record_sign_in(&mut tx, &user).await?;
    tx.commit().await?;
    let jar = jar.add(cookie(&state, SESSION_COOKIE, token.expose().to_owned()));
    let jar = device::issue(&state, jar, &user, now);
    Ok((jar, Redirect::to(safe_next(&form.next))).into_response())
}

#[derive(Template)]
#[template(path = "access/mfa_enrol.html")]
struct Enrol<'a> {
    page: &'a Page,
    next: &'a str,
    secret: String,
    secret_grouped: String,
    qr_svg: String,
    error: Option<String>,
}

fn qr_svg(uri: &str) -> String {
    qrcode::QrCode::new(uri.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(192, 192)
                .build()
        })
        .unwrap_or_default()
}

async fn render_enrol(
    state: &AppState,
    ctx: &RequestContext,
    secret: &[u8],
    next: &str,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let user = &session(ctx)?.session.user_id;
    let account = users::principal(&state.store, user, state.clock.now())
        .await?
        .map_or_else(|| "Relais".to_owned(), |(_, profile)| profile.email);
    let uri = totp::provisioning_uri(secret, &account)?;
    let encoded = totp::to_base32(secret);
    let grouped = encoded
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let error = error.map(|k| page.t(k));
    render(&Enrol {
        page: &page,
        next,
        secret: encoded,
        secret_grouped: grouped,
        qr_svg: qr_svg(&uri),
        error,
    })
}

/// Replacing an enrolled authenticator goes through an administrator reset,
/// so that a stolen session cannot swap the second factor.
async fn already_enrolled(state: &AppState, ctx: &RequestContext) -> Result<bool, AppError> {
    Ok(users::credentials_by_id(&state.store, &session(ctx)?.session.user_id)
        .await?
        .totp_enabled)
}

pub async fn enrol_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = query.next.as_deref().map_or("/dashboard", safe_next);
    if already_enrolled(&state, &ctx).await? {
        return Ok(Redirect::to("/account").into_response());
    }
    render_enrol(&state, &ctx, &totp::new_secret(), next, None).await
}

#[derive(Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn enrol_submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Form(form): Form<EnrolForm>,
) -> Result<Response, AppError> {
    let active = session(&ctx)?;
    if active.session.stage == Stage::MfaPending {
        return Ok(Redirect::to("/login/mfa").into_response());
    }
    if already_enrolled(&state, &ctx).await? {
        return Ok(Redirect::to("/account").into_response());
    }
    let now = state.clock.now();
    let next = safe_next(&form.next);
    let secret = totp::from_base32(&form.secret).unwrap_or_else(|_| totp::new_secret());
    let Some(step) = totp::check(&secret, &form.code, now, None) else {
        let page = render_enrol(&state, &ctx, &secret, next, Some("mfa-code-wrong")).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let user = active.session.user_id.clone();
    let mut tx = crate::handler::begin_as_user(&state, &ctx, &user).await?;
    users::enrol_totp(&mut tx, &user, &secret, step).await?;
    if active.session.stage == Stage::MfaEnrolment {
        users::record_sign_in(&mut tx, &user).await?;
    }
    tx.commit().await?;
    let token = sessions::rotate(&state.store, &active.token, Stage::Complete, now, now).await?;
    let jar = jar.add(cookie(&state, SESSION_COOKIE, token.expose().to_owned()));
    let jar = device::issue(&state, jar, &user, now);
    Ok((jar, Redirect::to(next)).into_response())
}

#[derive(Template)]
#[template(path = "access/reauth.html")]
struct Reauth<'a> {
    page: &'a Page,
    next: &'a str,
    needs_code: bool,
    error: Option<String>,
}

pub async fn reauth_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let active = session(&ctx)?;
    let needs_code = users::credentials_by_id(&state.store, &active.session.user_id)
        .await?
        .totp_enabled;
    let page = Page::new(&state, &ctx);
    let next = query.next.as_deref().map_or("/dashboard", safe_next);
    render(&Reauth {
        page: &page,
        next,
        needs_code,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct ReauthForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn reauth_submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Form(form): Form<ReauthForm>,
) -> Result<Response, AppError> {
    let active = session(&ctx)?;
    let user = active.session.user_id.clone();
    let now = state.clock.now();
    let credentials = users::credentials_by_id(&state.store, &user).await?;
    // A stolen session must not allow unlimited password guesses: the same
    // throttle as the login counts re-authentication failures.
    let keys = attempt_keys(&state, &ctx, &jar, &user, now);
    let verdict = throttle::admit(&state.store, &keys, now, &state.settings.throttle).await?;
    let password_ok = if verdict == Verdict::Allowed {
        let password = form.password.clone();
        let hash = credentials.password_hash.clone();
        crate::hashing::spawn(move || passwords::verify(&password, hash.as_deref()))
            .await
            .unwrap_or(false)
    } else {
        false
    };
    if verdict == Verdict::Allowed && !password_ok {
        throttle::record_failure(&state.store, &keys, now, &state.settings.throttle).await?;
        let mut tx = crate::handler::begin_as_user(&state, &ctx, &user).await?;
        tx.audit(Action::AuthReauthFailed, Object::User, Some(user.as_str()), None)
            .await?;
        tx.commit().await?;
    }
    let outcome = if verdict != Verdict::Allowed {
        Err(Refused::Wait(verdict))
    } else if !password_ok {
        Err(Refused::Wrong("reauth-failed"))
    } else if credentials.totp_enabled {
        check_code(&state, &keys, &user, &form.code, now).await?
    } else {
        throttle::record_success(&state.store, &keys).await?;
        Ok(())
    };
    if let Err(refused) = outcome {
        let page = Page::new(&state, &ctx);
        let error = Some(refused.message(&page));
        let next = safe_next(&form.next);
        let body = render(&Reauth {
            page: &page,
            next,
            needs_code: credentials.totp_enabled,
            error,
        })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let token = sessions::rotate(&state.store, &active.token, Stage::Complete, now, now).await?;
    let mut tx = crate::handler::begin_as_user(&state, &ctx, &user).await?;
    tx.audit(Action::AuthReauthenticated, Object::User, Some(user.as_str()), None)
        .await?;
    tx.commit().await?;
    let jar = jar.add(cookie(&state, SESSION_COOKIE, token.expose().to_owned()));
    Ok((jar, Redirect::to(safe_next(&form.next))).into_response())
}
