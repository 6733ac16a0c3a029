//! Dashboard figures kept between views (issue 17, docs/adr/0061-kept-dashboard-figures.md):
//! a dashboard shows the figures its territory last computed, with their time; once they are
//! older than the configured freshness, the first view after that has them computed again in
//! the background and kept. Only figures past the disclosure policy are kept.

use crate::AppState;
use crate::error::AppError;
use crate::page::Page;
use crate::session::{RequestContext, SignedIn};
use relais_domain::access::authz::{Capability, ViewStatistics};
use relais_domain::time::Timestamp;
use relais_store::Actor;
use relais_store::statistics::snapshots::{self, Dashboard};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Figures and when they were computed.
pub(crate) struct Kept<T> {
    pub figures: T,
    pub computed_at: Timestamp,
}

/// The figures a dashboard shows for the holder's territory under `policy`: the kept ones
/// while they are fresh; once stale, still the kept ones while this process computes them
/// again in the background, so that no view waits for every case of a national territory to
/// be read (seconds at 100,000 cases, issue 17); computed by this view when none are kept
/// (the views of the same territory arriving meanwhile wait for it), or when the freshness is
/// 0 (every view computes).
pub(crate) async fn figures<T, C, Fut>(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    can: &Capability<ViewStatistics>,
    dashboard: Dashboard,
    policy: String,
    compute: C,
) -> Result<Kept<T>, AppError>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    C: FnOnce(AppState, RequestContext, SignedIn) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Kept<T>, AppError>> + Send + 'static,
{
    let fresh_for = i64::from(state.settings.statistics.fresh_minutes) * 60;
    if fresh_for == 0 {
        return compute(state.clone(), ctx.clone(), user.clone()).await;
    }
    if let Some(kept) = read(state, ctx, user, can, dashboard, &policy).await? {
        if state.clock.now().seconds_since(kept.computed_at) >= fresh_for {
            refresh_in_background(state, ctx, user, can, dashboard, policy, compute);
        }
        return Ok(kept);
    }
    // None kept: the first view computes them. The views that arrive meanwhile wait for it and
    // show what it kept, rather than each reading every case of the territory at once (at a
    // million cases, each computation holds hundreds of MB).
    let turn = state
        .refreshing_dashboards
        .first_computation(&key(dashboard, &policy, can));
    let _turn = turn.lock().await;
    if let Some(kept) = read(state, ctx, user, can, dashboard, &policy).await? {
        return Ok(kept);
    }
    let kept = compute(state.clone(), ctx.clone(), user.clone()).await?;
    keep(state, ctx, user, can, dashboard, &policy, &kept).await?;
    Ok(kept)
}

/// The figures kept for the holder's territory under `policy`, if any.
async fn read<T: DeserializeOwned>(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    can: &Capability<ViewStatistics>,
    dashboard: Dashboard,
    policy: &str,
) -> Result<Option<Kept<T>>, AppError> {
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let kept = snapshots::read(&mut tx, can, dashboard, policy).await?;
    tx.commit().await?;
    Ok(kept.and_then(|k| {
        serde_json::from_str(&k.figures).ok().map(|figures| Kept {
            figures,
            computed_at: k.computed_at,
        })
    }))
}

/// What a territory's figures under a policy are known by in this process.
fn key(dashboard: Dashboard, policy: &str, can: &Capability<ViewStatistics>) -> String {
    format!("{dashboard:?} {policy} {:?}", can.scope())
}

/// The pages and territories whose figures this process is computing in the background, and
/// the locks of their first computation. Not state that matters: lost with the process, it
/// costs at most one computation more.
#[derive(Default)]
pub(crate) struct Refreshing {
    running: std::sync::Mutex<std::collections::HashSet<String>>,
    first: std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Refreshing {
    /// Whether `key` was not being computed, and is now.
    fn start(&self, key: &str) -> bool {
        self.running.lock().is_ok_and(|mut keys| keys.insert(key.to_owned()))
    }

    fn end(&self, key: &str) {
        if let Ok(mut keys) = self.running.lock() {
            keys.remove(key);
        }
    }

    /// The lock the views of `key` that find nothing kept take in turn.
    fn first_computation(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut turns = self.first.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(turns.entry(key.to_owned()).or_default())
    }
}

/// Computes and keeps the figures on a task of their own, unless this process is already at
/// it for the same page and territory (another process may be too: the newer time wins).
fn refresh_in_background<T, C, Fut>(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    can: &Capability<ViewStatistics>,
    dashboard: Dashboard,
    policy: String,
    compute: C,
) where
    T: Serialize + Send + Sync + 'static,
    C: FnOnce(AppState, RequestContext, SignedIn) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Kept<T>, AppError>> + Send + 'static,
{
    let key = key(dashboard, &policy, can);
    if !state.refreshing_dashboards.start(&key) {
        return;
    }
    let (state, ctx, user) = (state.clone(), ctx.clone(), user.clone());
    tokio::spawn(async move {
        let refreshed = async {
            let kept = compute(state.clone(), ctx.clone(), user.clone()).await?;
            let can = crate::access::authorized::capability::<ViewStatistics>(&user, &ctx.path)?;
            keep(&state, &ctx, &user, &can, dashboard, &policy, &kept).await
        }
        .await;
        if let Err(error) = refreshed {
            tracing::warn!(?dashboard, %error, "dashboard figures could not be computed again");
        }
        state.refreshing_dashboards.end(&key);
    });
}

/// Keeps what was computed, in a transaction of its own: the reads are committed already (a
/// GET reads in a read transaction).
async fn keep<T: Serialize>(
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
