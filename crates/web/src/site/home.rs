use crate::AppState;
use crate::access::authorized::{holds, optional};
use crate::error::AppError;
use crate::page::Attention;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use relais_domain::access::authz::{IdentifyVictims, ManageServices, SubmitReferrals, TriageReferrals, ViewCaseFile};
use relais_domain::intake::referral::status::Status;
use relais_domain::time::Timestamp;
use relais_store::{casework::inbox, casework::queue, intake::own_referrals, intake::triage};

#[derive(Template)]
#[template(path = "site/landing.html")]
struct Landing<'a> {
    page: &'a Page,
}

/// The public front page; signed-in users go straight to their dashboard.
pub async fn landing(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    if ctx.signed_in().is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let page = Page::new(&state, &ctx);
    render(&Landing { page: &page })
}

#[derive(Template)]
#[template(path = "site/dashboard.html")]
struct Dashboard<'a> {
    page: &'a Page,
    /// Greets the user and names the organisation they act for (the header shows the name only).
    welcome: String,
    roles: Vec<String>,
    attention: Vec<Attention>,
    inbox: Inbox,
}

/// A request waiting for the organisation, as its dashboard lists it.
pub struct PendingRow {
    pub id: String,
    pub kind: String,
    pub service: String,
    pub sent_at: String,
    pub sender: String,
    pub email: Option<String>,
}

/// A service whose places are out of date.
pub struct StaleRow {
    pub id: String,
    pub name: String,
    pub updated: String,
}

/// A referral of the user's whose status changed lately.
pub struct ChangedRow {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub when: String,
}

/// What waits for the user's role, listed (issue 16, part 6).
#[derive(Default)]
pub struct Inbox {
    pub pending: Vec<PendingRow>,
    pub stale: Vec<StaleRow>,
    pub changed: Vec<ChangedRow>,
}

/// Places not updated for this long are listed on the shelter's dashboard.
const STALE_AFTER_SECONDS: i64 = 7 * 86_400;

/// A referral's status change is listed for this long.
const CHANGED_WITHIN_SECONDS: i64 = 30 * 86_400;

/// The lists of what waits for the user, by the rights they hold (one audited transaction).
async fn inbox(state: &AppState, ctx: &RequestContext, user: &SignedIn, page: &Page) -> Result<Inbox, AppError> {
    let mut out = Inbox::default();
    let receives = optional::<ViewCaseFile>(user);
    let manages = optional::<ManageServices>(user);
    let refers = optional::<SubmitReferrals>(user);
    if receives.is_none() && manages.is_none() && refers.is_none() {
        return Ok(out);
    }
    let now = state.clock.now();
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    if let Some(can) = &receives {
        out.pending = inbox::pending_requests(&mut tx, can)
            .await?
            .into_iter()
            .map(|r| PendingRow {
                kind: page.t(&format!("onward-kind-{}", r.kind.key())),
                sent_at: page.when(r.sent_at.0),
                sender: match (r.sender_name, r.sender_organisation) {
                    (Some(name), Some(org)) => format!("{name} ({org})"),
                    (Some(name), None) => name,
                    _ => page.t("dashboard-sender-unknown"),
                },
                email: r.sender_email,
                id: r.id,
                service: r.service,
            })
            .collect();
    }
    if let Some(can) = &manages {
        out.stale = inbox::stale_places(&mut tx, can, Timestamp(now.0 - STALE_AFTER_SECONDS))
            .await?
            .into_iter()
            .map(|s| StaleRow {
                updated: s
                    .updated_at
                    .map_or_else(|| page.t("dashboard-places-never"), |at| page.when(at.0)),
                id: s.id,
                name: s.name,
            })
            .collect();
    }
    if let Some(can) = &refers {
        let since = Timestamp(now.0 - CHANGED_WITHIN_SECONDS);
        out.changed = own_referrals::changed_since(&mut tx, can, since)
            .await?
            .into_iter()
            .map(|r| ChangedRow {
                status: crate::intake::referral_view::status_label(page, r.status),
                when: page.when(r.updated_at.0),
                reference: r.reference.unwrap_or_default(),
                id: r.id.to_string(),
            })
            .collect();
    }
    tx.commit().await?;
    Ok(out)
}

/// What waits for the user, by the rights they hold (one audited transaction).
async fn attention(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    page: &Page,
) -> Result<Vec<Attention>, AppError> {
    let mut out = Vec::new();
    let concerned = holds::<SubmitReferrals>(user) || holds::<TriageReferrals>(user) || holds::<IdentifyVictims>(user);
    if !concerned {
        return Ok(out);
    }
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let mut add = |count: usize, key: &str, href: &'static str, urgent: bool| {
        if count > 0 {
            out.push(Attention {
                text: page.tr.t1(key, "count", &count.to_string()),
                href,
                urgent,
            });
        }
    };
    if let Some(can) = optional::<SubmitReferrals>(user) {
        let counts = own_referrals::counts(&mut tx, &can).await?;
        let count = |status: Status| {
            counts
                .iter()
                .find(|(s, _)| *s == status)
                .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(0))
        };
        add(
            count(Status::InformationRequested),
            "attention-information-requested",
            "/referrals",
            true,
        );
        add(count(Status::Draft), "attention-drafts", "/referrals", false);
    }
    if let Some(can) = optional::<TriageReferrals>(user) {
        let waiting = triage::waiting(&mut tx, &can).await?;
        add(
            usize::try_from(waiting.urgent).unwrap_or(0),
            "attention-triage-urgent",
            "/triage",
            true,
        );
        add(
            usize::try_from(waiting.all).unwrap_or(0),
            "attention-triage",
            "/triage",
            false,
        );
    }
    if let Some(can) = optional::<IdentifyVictims>(user) {
        let waiting = queue::attention(&mut tx, &can, state.clock.now()).await?;
        add(
            usize::try_from(waiting.overdue).unwrap_or(0),
            "attention-cases-overdue",
            "/cases",
            true,
        );
        let second = usize::try_from(waiting.second_decision).unwrap_or(0);
        add(second, "attention-second-decision", "/cases", true);
    }
    tx.commit().await?;
    Ok(out)
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let roles = user
        .principal
        .roles()
        .iter()
        .map(|r| page.t(&format!("role-{}", r.key())))
        .collect();
    let mut attention = attention(&state, &ctx, &user, &page).await?;
    attention.extend(crate::privacy::view::attention(&state, &ctx, &user, &page).await?);
    let inbox = inbox(&state, &ctx, &user, &page).await?;
    let welcome = page.tr.tn(
        "dashboard-welcome-organisation",
        &[
            ("name", user.profile.display_name.clone()),
            ("organisation", user.profile.organisation_name.clone()),
        ],
    );
    render(&Dashboard {
        page: &page,
        welcome,
        roles,
        attention,
        inbox,
    })
}
