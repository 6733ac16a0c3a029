use crate::AppState;
use crate::error::AppError;
use crate::page::Attention;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use relais_domain::access::authz::{self, IdentifyVictims, SubmitReferrals, TriageReferrals};
use relais_domain::casework::deadline::Targets;
use relais_domain::intake::referral::status::Status;
use relais_domain::time::{Date, Zone};
use relais_store::{casework::cases, intake::referrals, intake::triage};

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
}

/// What waits for the user, by the rights they hold (one audited transaction).
async fn attention(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    page: &Page,
) -> Result<Vec<Attention>, AppError> {
    let principal = &user.principal;
    let mut out = Vec::new();
    let concerned = authz::authorize::<SubmitReferrals>(principal).is_ok()
        || authz::authorize::<TriageReferrals>(principal).is_ok()
        || authz::authorize::<IdentifyVictims>(principal).is_ok();
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
    if let Ok(can) = authz::authorize::<SubmitReferrals>(principal) {
        let mine = referrals::list_own(&mut tx, &can).await?;
        let asked = mine.iter().filter(|r| r.status == Status::InformationRequested).count();
        add(asked, "attention-information-requested", "/referrals", true);
        let drafts = mine.iter().filter(|r| r.status == Status::Draft).count();
        add(drafts, "attention-drafts", "/referrals", false);
    }
    if let Ok(can) = authz::authorize::<TriageReferrals>(principal) {
        let waiting = triage::queue(&mut tx, &can, &triage::QueueFilter::default()).await?;
        add(
            waiting.iter().filter(|r| r.urgent).count(),
            "attention-triage-urgent",
            "/triage",
            true,
        );
        add(waiting.len(), "attention-triage", "/triage", false);
    }
    if let Ok(can) = authz::authorize::<IdentifyVictims>(principal) {
        let open = cases::queue(&mut tx, &can).await?;
        let now = state.clock.now();
        let targets = Targets::default();
        let overdue = open
            .iter()
            .filter(|c| {
                let today = Date::local(now, &Zone::of_code(c.departement.as_deref()));
                crate::casework::view::next_deadline(c, &targets).is_some_and(|(_, due)| due < today)
            })
            .count();
        add(overdue, "attention-cases-overdue", "/cases", true);
        let second = open.iter().filter(|c| c.case.pending.is_some()).count();
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
        .roles
        .iter()
        .map(|r| page.t(&format!("role-{}", r.key())))
        .collect();
    let mut attention = attention(&state, &ctx, &user, &page).await?;
    attention.extend(crate::privacy::view::attention(&state, &ctx, &user, &page).await?);
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
    })
}
