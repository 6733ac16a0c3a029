//! Dashboard figures kept between views (issue 17, docs/adr/0061-kept-dashboard-figures.md):
//! a dashboard shows the figures its territory last computed, with their time, until they
//! are older than the configured freshness; the first view after that reads the cases again
//! and keeps what it computed. Only figures past the disclosure policy are kept.

use crate::AppState;
use crate::error::AppError;
use crate::page::Page;
use crate::session::{RequestContext, SignedIn};
use relais_domain::access::authz::{Capability, ViewStatistics};
use relais_domain::time::Timestamp;
use relais_store::statistics::snapshots::{self, Dashboard};
use relais_store::{Actor, Tx};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Figures and when they were computed.
pub(crate) struct Kept<T> {
    pub figures: T,
    pub computed_at: Timestamp,
}

/// The figures kept for the holder's territory under `policy`, if younger
/// than the configured freshness at `now`. Figures that no longer read (an
/// older version of the page wrote them) count as none.
pub(crate) async fn fresh<T: DeserializeOwned>(
    state: &AppState,
    tx: &mut Tx,
    can: &Capability<ViewStatistics>,
    dashboard: Dashboard,
    policy: &str,
) -> Result<Option<Kept<T>>, AppError> {
    let now = state.clock.now();
    let fresh_for = i64::from(state.settings.statistics.fresh_minutes) * 60;
    let kept = snapshots::read(tx, can, dashboard, policy).await?;
    Ok(kept
        .filter(|k| now.seconds_since(k.computed_at) < fresh_for)
        .and_then(|k| {
            serde_json::from_str(&k.figures).ok().map(|figures| Kept {
                figures,
                computed_at: k.computed_at,
            })
        }))
}

/// Keeps what this view computed, in a transaction of its own: the view's
/// reads are committed already (a GET reads in a read transaction).
pub(crate) async fn keep<T: Serialize>(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    can: &Capability<ViewStatistics>,
    dashboard: Dashboard,
    policy: &str,
    kept: &Kept<T>,
) -> Result<(), AppError> {
    let figures =
        serde_json::to_string(&kept.figures).map_err(|e| AppError::Internal(format!("dashboard figures: {e}")))?;
    let actor = Actor::user(
        user.principal.user_id().clone(),
        user.principal.organisation_id().clone(),
    );
    let mut tx = crate::handler::begin_changing_as(state, ctx, actor).await?;
    snapshots::save(&mut tx, can, dashboard, policy, kept.computed_at, &figures).await?;
    tx.commit().await?;
    Ok(())
}

/// "Figures computed on … at …; recomputed at most every N minutes."
pub(crate) fn freshness(page: &Page, state: &AppState, computed_at: Timestamp) -> String {
    let when = page.when(computed_at.0);
    match state.settings.statistics.fresh_minutes {
        0 => page.tr.t1("statistics-freshness-every-view", "when", &when),
        minutes => page.tr.tn(
            "statistics-freshness",
            &[("when", when), ("minutes", minutes.to_string())],
        ),
    }
}
