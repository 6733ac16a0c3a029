//! The one way a handler obtains a capability: the [`Authorized`]
//! extractor takes the signed-in session (sending the visitor to sign in,
//! with the page as `next`, when there is none), asks the domain for
//! `Capability<P>` and turns a refusal into the error page, so no handler
//! repeats the check or its error mapping.

use crate::error::AppError;
use crate::session::{CurrentUser, RequestContext, SignedIn};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use relais_domain::access::authz::{self, Capability, PermissionType, Privileged};
use relais_domain::time::Timestamp;

/// A signed-in user holding permission `P`, with the capability that proves it.
pub struct Authorized<P: PermissionType> {
    pub can: Capability<P>,
    pub user: SignedIn,
}

impl<S: Send + Sync, P: PermissionType> FromRequestParts<S> for Authorized<P> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = RequestContext::from_request_parts(parts, state).await?;
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        let can = capability::<P>(&user, &ctx.path)?;
        Ok(Self { can, user })
    }
}

/// `Capability<P>` for a user already extracted, for the pages that show
/// more to those who hold a second permission and the shared page builders
/// that receive the user: the same refusal as [`Authorized`]. `next` is
/// where a refusal asking for a fresh password would send the user back.
pub(crate) fn capability<P: PermissionType>(user: &SignedIn, next: &str) -> Result<Capability<P>, AppError> {
    authz::authorize::<P>(&user.principal).map_err(|denied| AppError::denied(denied, next))
}

/// `Capability<P>` when the user holds `P`, nothing otherwise: for the
/// pages and dashboards that show more to those who hold a second permission
/// and nothing, rather than a refusal, to the others.
pub(crate) fn optional<P: PermissionType>(user: &SignedIn) -> Option<Capability<P>> {
    authz::authorize::<P>(&user.principal).ok()
}

/// Whether the user holds `P`, for a page that only decides whether to show
/// a link or a button: the act behind it asks for its own capability.
pub(crate) fn holds<P: PermissionType>(user: &SignedIn) -> bool {
    optional::<P>(user).is_some()
}

/// `Privileged<P>` for a dangerous act: as [`capability`], and a password
/// confirmed within the window before `now`, else the user is asked to
/// confirm it and sent back to `next` (the page the act was started from).
pub(crate) fn privileged<P: PermissionType>(
    user: &SignedIn,
    now: Timestamp,
    next: &str,
) -> Result<Privileged<P>, AppError> {
    authz::authorize_privileged::<P>(&user.principal, now).map_err(|denied| AppError::denied(denied, next))
}
