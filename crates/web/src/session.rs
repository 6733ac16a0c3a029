//! Resolves who is making each request: the request id, the language, the
//! session (if any) and the anonymous cookie that binds CSRF tokens before
//! login. Also renders error pages, since it knows the language and id.

use crate::AppState;
use crate::api::v1;
use crate::error::{AppError, ErrorPage};
use crate::i18n::{Locale, Tr};
use crate::page;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use relais_domain::access::authz::Principal;
use relais_store::access::sessions::{self, Session, SessionToken, Stage};
use relais_store::access::users::{self, Profile};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

pub const SESSION_COOKIE: &str = "relais_session";
pub const ANON_COOKIE: &str = "relais_anon";
pub const LANG_COOKIE: &str = "relais_lang";

/// A signed-in user with a complete session.
#[derive(Clone)]
pub struct SignedIn {
    pub principal: Principal,
    pub profile: Profile,
}

#[derive(Clone)]
pub struct ActiveSession {
    pub token: SessionToken,
    pub session: Session,
    /// Present only when the session is complete and the account active.
    pub signed_in: Option<SignedIn>,
}

/// Everything known about the request before its handler runs.
#[derive(Clone)]
pub struct RequestContext {
    pub request_id: String,
    pub locale: Locale,
    pub session: Option<ActiveSession>,
    pub anon_id: String,
    pub path: String,
    /// The client's network address, through trusted proxies only
    /// (see [`crate::client`]).
    pub client_address: IpAddr,
    /// GET or HEAD: a safe method (RFC 9110), which changes nothing, so its
    /// audited transaction is a read transaction (ADR 0052).
    pub reads_only: bool,
}

impl RequestContext {
    pub fn signed_in(&self) -> Option<&SignedIn> {
        self.session.as_ref().and_then(|s| s.signed_in.as_ref())
    }

    /// What CSRF tokens are bound to: the session, or before login the
    /// anonymous cookie.
    pub fn csrf_binding(&self) -> &str {
        self.session
            .as_ref()
            .map_or(self.anon_id.as_str(), |s| s.token.expose())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| AppError::Internal("request context missing".into()))
    }
}

/// The signed-in user; handlers behind a guarded route extract it.
pub struct CurrentUser(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = RequestContext::from_request_parts(parts, state).await?;
        let next = ctx.path.clone();
        ctx.signed_in()
            .cloned()
            .map(CurrentUser)
            .ok_or(AppError::SignIn { next })
    }
}

fn random_hex() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Lax)
        .build()
}

async fn load_session(state: &AppState, jar: &CookieJar) -> Result<Option<ActiveSession>, AppError> {
    let Some(token) = jar
        .get(SESSION_COOKIE)
        .and_then(|c| SessionToken::from_cookie(c.value()))
    else {
        return Ok(None);
    };
    let now = state.clock.now();
    let Some(session) = sessions::find(&state.store, &token, now, &state.settings.session).await? else {
        return Ok(None);
    };
    let signed_in = if session.stage == Stage::Complete {
        users::principal(&state.store, &session.user_id, session.authenticated_at)
            .await?
            .map(|(principal, profile)| SignedIn { principal, profile })
    } else {
        None
    };
    if session.stage == Stage::Complete && signed_in.is_none() {
        // The account or its organisation was deactivated: end the session.
        sessions::delete(&state.store, &token).await?;
        return Ok(None);
    }
    Ok(Some(ActiveSession {
        token,
        session,
        signed_in,
    }))
}

fn negotiate(headers: &HeaderMap, jar: &CookieJar, session: Option<&ActiveSession>) -> Locale {
    session
        .and_then(|s| s.signed_in.as_ref())
        .and_then(|s| s.profile.locale.as_deref())
        .and_then(Locale::parse)
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Locale::parse(c.value())))
        .unwrap_or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Locale::Fr, Locale::from_accept_language)
        })
}

/// Middleware: builds the [`RequestContext`], runs the request, renders
/// error pages, and sets the anonymous cookie on first visit.
pub async fn context(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let request_id = random_hex();
    let api = v1::is_api(request.uri().path());
    // API requests authenticate with a bearer token only: cookies are
    // ignored, so a browser's session can never act through the API.
    let jar = if api {
        CookieJar::new()
    } else {
        CookieJar::from_headers(request.headers())
    };
    let session = match load_session(&state, &jar).await {
        Ok(session) => session,
        Err(error) => {
            tracing::error!(%request_id, %error, "session lookup failed");
            None
        }
    };
    let existing_anon = jar
        .get(ANON_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 32);
    let anon_id = existing_anon.clone().unwrap_or_else(random_hex);
    // `serve` always provides the peer; without it every client shares one
    // (unspecified) address rather than none being counted.
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let client_address = state.settings.trusted_proxies.client_address(peer, request.headers());
    let ctx = RequestContext {
        request_id: request_id.clone(),
        locale: negotiate(request.headers(), &jar, session.as_ref()),
        session,
        anon_id: anon_id.clone(),
        path: request.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned(),
        client_address,
        reads_only: request.method().is_safe(),
    };
    request.extensions_mut().insert(ctx.clone());
    let mut response = next.run(request).await;
    if let Some(page) = response.extensions().get::<ErrorPage>().copied() {
        response = if api {
            v1::error_status(page.status())
        } else {
            let tr = Tr::new(ctx.locale, state.translations.clone());
            page::error_page(&state, &ctx, tr, page).into_response()
        };
    } else if api && response.status() == axum::http::StatusCode::METHOD_NOT_ALLOWED {
        response = v1::error_status(response.status());
    }
    if existing_anon.is_none() && !api {
        let set = cookie(&state, ANON_COOKIE, anon_id).to_string();
        if let Ok(value) = HeaderValue::from_str(&set) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
