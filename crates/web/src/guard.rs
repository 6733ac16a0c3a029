//! Deny by default: every route declares who may reach it, and this guard
//! enforces the declaration before the handler runs. Handlers then obtain
//! typed capabilities from the domain to call the store.

use crate::AppState;
use crate::api::v1;
use crate::error::AppError;
use crate::session::RequestContext;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use relais_domain::access::authz;
use relais_domain::access::role::Permission;
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_store::access::api_tokens;

/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
pub(crate) fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not. The text says why the route is open.
    Public(&'static str),
    /// Any session, even one still in the middle of login (MFA pages, logout).
    AnySession,
    /// Any fully signed-in user (own account, dashboard).
    SignedIn,
    /// A signed-in user one of whose roles grants the permission.
    Permission(Permission),
    /// A page or action of one case (`/cases/{id}…`): as `Permission`, and
    /// the store then opens only the declared area of the case in that mode
    /// to the user's relation to it (`authz::CaseAccess`, ADR 0009). The
    /// declaration is what the route × relation test checks against.
    Case(Permission, CaseArea, Mode),
    /// An integration presenting an organisation's API token as a bearer
    /// token (`Authorization: Bearer rls_…`). Cookies are never looked at,
    /// and refusals are JSON (401 with `WWW-Authenticate: Bearer`).
    ApiToken,
}

pub async fn guard(
    State((state, access)): State<(AppState, Access)>,
    mut request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let ctx = request
        .extensions()
        .get::<RequestContext>()
        .ok_or_else(|| AppError::Internal("request context missing".into()))?;
    let sign_in = || AppError::SignIn { next: ctx.path.clone() };
    match access {
        Access::Public(_) => {}
        Access::AnySession => {
            ctx.session.as_ref().ok_or_else(sign_in)?;
        }
        Access::SignedIn => {
            ctx.signed_in().ok_or_else(sign_in)?;
        }
        Access::Permission(permission) | Access::Case(permission, _, _) => {
            let user = ctx.signed_in().ok_or_else(sign_in)?;
            if !authz::holds(&user.principal, permission) {
                return Err(AppError::Forbidden);
            }
        }
        Access::ApiToken => {
            let presented = request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(bearer)
                .map(str::to_owned);
            let caller = match presented {
                Some(secret) => api_tokens::authenticate(&state.store, &secret, state.clock.now()).await?,
                None => None,
            };
            match caller {
                Some(caller) => {
                    request.extensions_mut().insert(caller);
                }
                None => return Ok(v1::unauthorized()),
            }
        }
    }
    Ok(next.run(request).await)
}
