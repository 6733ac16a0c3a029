//! Thin handlers: extract, authorise, call the store, render.

use crate::AppState;
use crate::error::AppError;
use crate::session::{RequestContext, SignedIn};
use relais_store::{Actor, Tx};

/// Starts an audited transaction for the signed-in user of this request.
pub async fn begin(state: &AppState, ctx: &RequestContext, user: &SignedIn) -> Result<Tx, AppError> {
    let actor = Actor::user(
        user.principal.user_id().clone(),
        user.principal.organisation_id().clone(),
    );
    begin_as(state, ctx, actor).await
}

/// Starts an audited write transaction acting as `user`, for sign-in
/// events where the session is not complete yet (they record the sign-in,
/// even on the identity provider's return, a GET).
pub async fn begin_as_user(
    state: &AppState,
    ctx: &RequestContext,
    user: &relais_domain::ids::UserId,
) -> Result<Tx, AppError> {
    let credentials = relais_store::access::users::credentials_by_id(&state.store, user).await?;
    begin_changing_as(
        state,
        ctx,
        Actor::user(credentials.user_id, credentials.organisation_id),
    )
    .await
}

/// Starts an audited transaction with no signed-in user (login events):
/// a read transaction for a GET, which must change nothing (ADR 0052).
pub async fn begin_as(state: &AppState, ctx: &RequestContext, actor: Actor) -> Result<Tx, AppError> {
    let now = state.clock.now();
    let tx = if ctx.reads_only {
        state.store.begin_read(actor, &ctx.request_id, now).await?
    } else {
        state.store.begin(actor, &ctx.request_id, now).await?
    };
    Ok(tx.from_client(&ctx.client_address.to_string()))
}

/// Starts a write transaction whatever the method, for the few GETs that
/// change data by design: a receipt shown once (then deleted), and the
/// identity provider's return, which signs the agent in.
pub async fn begin_changing_as(state: &AppState, ctx: &RequestContext, actor: Actor) -> Result<Tx, AppError> {
    let tx = state.store.begin(actor, &ctx.request_id, state.clock.now()).await?;
    Ok(tx.from_client(&ctx.client_address.to_string()))
}

/// `?done=KEY` after a redirect: which confirmation to show.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

impl DoneQuery {
    /// The translated confirmation, if the key is a known one.
    pub fn notice(&self, page: &crate::page::Page) -> Option<String> {
        notice_key(self.done.as_deref()).map(|k| page.t(&format!("notice-{k}")))
    }
}

/// The activate / deactivate buttons' form.
#[derive(serde::Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

impl ActiveForm {
    pub fn active(&self) -> bool {
        self.active == "true"
    }
}

/// The confirmations a redirect may ask for with `?done=`.
pub(crate) const NOTICES: &[&str] = &[
    "password-set",
    "release-drafted",
    "linkage-queued",
    "estimate-queued",
    "release-published",
    "release-discarded",
    "release-already-decided",
    "logged-out",
    "access-request-approved",
    "access-request-refused",
    "password-changed",
    "mfa-enrolled",
    "organisation-created",
    "organisation-updated",
    "user-updated",
    "language-changed",
    "draft-saved",
    "reply-sent",
    "reconsideration-requested",
    "case-decision-recorded",
    "case-decision-proposed",
    "case-cooperation-recorded",
    "case-note-added",
    "case-task-added",
    "case-task-done",
    "case-document-uploaded",
    "case-share-given",
    "case-share-revoked",
    "case-person-saved",
    "case-dependant-added",
    "case-dependant-removed",
    "api-token-revoked",
    "triage-information-requested",
    "triage-accepted",
    "triage-rejected",
    "triage-duplicate",
    "triage-recorded",
    "triage-notified",
    "onward-sent",
    "onward-answered",
    "onward-withdrawn",
    "directory-places-updated",
    "plan-imported",
    "plan-published",
    "plan-withdrawn",
    "plan-measure-updated",
    "plan-measure-rated",
    "plan-body-linked",
    "round-opened",
    "round-closed",
    "round-update-sent",
    "round-update-validated",
    "round-update-returned",
    "committee-member-added",
    "committee-member-activated",
    "committee-member-deactivated",
    "committee-meeting-added",
    "committee-meeting-updated",
    "committee-meeting-recorded",
    "committee-meeting-held",
    "committee-decision-added",
    "committee-action-added",
    "committee-action-done",
    "committee-action-reopened",
    "committee-invitations-sent",
    "budget-line-created",
    "budget-line-saved",
    "budget-measures-linked",
    "budget-grant-added",
    "annual-money-saved",
    "annual-status-saved",
    "annual-milestone-added",
    "annual-milestone-reached",
    "annual-indicator-added",
    "annual-value-recorded",
    "observatory-source-created",
    "observatory-source-saved",
    "observatory-imported",
    "observatory-restored",
    "survey-opened",
    "survey-totals-saved",
    "survey-profile-added",
    "survey-profile-removed",
    "survey-profiles-imported",
    "survey-submitted",
    "library-created",
    "library-published",
    "library-withdrawn",
    "training-recorded",
    "training-cancelled",
];

/// A message key passed in `?done=` after a redirect, from a fixed list so
/// that a URL cannot inject text into the page.
pub fn notice_key(done: Option<&str>) -> Option<&'static str> {
    done.and_then(|d| NOTICES.iter().find(|k| **k == d)).copied()
}
