//! Tells referrers their referral's status changed (issue 16, part 6): each
//! notice the store recorded becomes one e-mail in the referrer's language,
//! queued in the transaction that claims the notice, so that one process of
//! several sends it, once. The message names the reference and the status,
//! and links to the referral: no person, no circumstances.

use crate::AppState;
use crate::mail_text::{self, Message};
use relais_store::intake::status_notices::{self, Notice};
use relais_store::{Actor, StoreError, outbox};

fn compose(state: &AppState, notice: &Notice) -> (String, String) {
    let tr = mail_text::translations_for(state, notice.locale.as_deref());
    let status = tr.t(&format!("referral-status-{}", notice.status.key()));
    let path = format!("/referrals/{}", notice.referral_id);
    let message = Message {
        subject: "status-mail-subject",
        lead: "status-mail-body",
        link: "status-mail-link",
        path: &path,
    };
    let values = [("reference", notice.reference.clone()), ("status", status)];
    let (subject, body) = mail_text::compose(state, &tr, &message, &values);
    (subject, format!("{body}\n{}\n", tr.t("status-mail-no-details")))
}

/// Queues the messages of the notices not yet sent; returns how many.
pub async fn queue_pending(state: &AppState) -> Result<usize, StoreError> {
    let mut tx = state
        .store
        .begin(Actor::system(), "job-status-notices", state.clock.now())
        .await?;
    let notices = status_notices::pending(&mut tx).await?;
    let mut queued = 0;
    for notice in &notices {
        if status_notices::claim(&mut tx, notice).await? {
            let (subject, body) = compose(state, notice);
            outbox::enqueue(&mut tx, &notice.email, &subject, &body).await?;
            queued += 1;
        }
    }
    // Nothing claimed, nothing audited: the empty transaction is dropped.
    if queued > 0 {
        tx.commit().await?;
    }
    Ok(queued)
}
