//! Deny by default: every route declares who may reach it, and this guard
//! enforces the declaration before the handler runs. Handlers then obtain
//! typed capabilities from the domain to call the store.

use crate::AppState;
use crate::error::AppError;
use crate::session::RequestContext;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use relais_domain::authz;
use relais_domain::role::Permission;

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
}

pub async fn guard(
    State((_state, access)): State<(AppState, Access)>,
    request: Request,
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
        Access::Permission(permission) => {
            let user = ctx.signed_in().ok_or_else(sign_in)?;
            if !authz::holds(&user.principal, permission) {
                return Err(AppError::Forbidden);
            }
        }
    }
    Ok(next.run(request).await)
}
