//! What the data-protection pages share, and what they add to the dashboard.

use crate::AppState;
use crate::access::authorized::optional;
use crate::error::AppError;
use crate::handler::DoneQuery;
use crate::page::{Attention, Page};
use crate::session::{RequestContext, SignedIn};
use relais_domain::access::authz::{ConfirmDataRights, ViewCaseFile, ViewDataProtection};
use relais_domain::privacy::ReasonError;
use relais_domain::privacy::retention::{RecordKind, RetentionPolicy};
use relais_store::audit::{Action, Object};
use relais_store::privacy::emergency;

pub(crate) fn notice(page: &Page, done: &DoneQuery) -> Option<String> {
    done.done
        .as_deref()
        .and_then(|d| DONE.iter().find(|k| **k == d))
        .map(|k| page.t(&format!("privacy-notice-{k}")))
}

/// The field's message for a reason that cannot be used.
pub(crate) fn reason_problem(page: &Page, error: ReasonError) -> String {
    match error {
        ReasonError::Missing => page.t("privacy-reason-missing"),
        ReasonError::TooLong => page.t("privacy-reason-too-long"),
    }
}

/// What waits for the user in this area, for the dashboard.
pub(crate) async fn attention(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    page: &Page,
) -> Result<Vec<Attention>, AppError> {
    let principal = &user.principal;
    let case_worker = optional::<ViewCaseFile>(user);
    let dpo = optional::<ViewDataProtection>(user);
    let confirmer = optional::<ConfirmDataRights>(user);
    if case_worker.is_none() && dpo.is_none() && confirmer.is_none() {
        return Ok(vec![]);
    }
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let mut out = vec![];
    let mut add = |count: i64, key: &str, href: &'static str| {
        if count > 0 {
            out.push(Attention {
                text: page.tr.t1(key, "count", &count.to_string()),
                href,
                urgent: true,
            });
        }
    };
    if let Some(can) = &case_worker {
        add(
            emergency::unacknowledged(&mut tx, can).await?,
            "privacy-attention-alerts",
            "/privacy/alerts",
        );
    }
    if let Some(can) = &dpo {
        add(
            emergency::unreviewed(&mut tx, can).await?,
            "privacy-attention-break-glass",
            "/privacy/break-glass",
        );
    }
    if let Some(can) = &confirmer {
        add(
            emergency::requests_waiting(&mut tx, can).await?,
            "privacy-attention-requests",
            "/privacy/requests",
        );
    }
    tx.audit(
        Action::PrivacyAttention,
        Object::User,
        Some(principal.user_id().as_str()),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// The confirmations this area shows after a redirect (a fixed list: a
/// URL cannot put text on the page).
pub(crate) const DONE: &[&str] = &[
    "hold-placed",
    "hold-lifted",
    "request-filed",
    "request-confirmed",
    "request-erased",
    "request-refused",
    "retention-run",
    "break-glass-reviewed",
    "alert-acknowledged",
];

/// A retention period in words: "one year", "3 years", "18 months".
pub(crate) fn period(page: &Page, months: u32) -> String {
    if months == 12 {
        page.t("privacy-one-year")
    } else if months.is_multiple_of(12) {
        page.tr.t1("privacy-years", "count", &(months / 12).to_string())
    } else {
        page.tr.t1("privacy-months", "count", &months.to_string())
    }
}

/// Each kind of record and how long it is kept, in words, in the order of
/// [`RecordKind::ALL`]: the retention page and the public personal-data page.
pub(crate) fn schedule(page: &Page, policy: &RetentionPolicy) -> Vec<(String, String)> {
    RecordKind::ALL
        .into_iter()
        .map(|kind| {
            (
                page.t(&format!("privacy-kind-{}", kind.key())),
                page.tr.tn(
                    &format!("privacy-kept-{}", kind.key()),
                    &[("period", period(page, policy.months(kind)))],
                ),
            )
        })
        .collect()
}
