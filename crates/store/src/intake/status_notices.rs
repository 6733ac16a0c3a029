//! The e-mails that tell referrers their referral's status changed (issue
//! 16, part 6). A change made by someone other than the referrer writes a
//! notice in the same transaction; the outbox loop turns each notice into
//! one message. The message names the referral's reference and status only:
//! no person, no circumstances.

use super::referrals::Referral;
use crate::audit::{Action, Object};
use crate::writes::Writes;
use crate::{Result, StoreError, Tx};
use relais_domain::intake::referral::status::Status;

/// Notices turned into messages per round, at most.
pub const PER_ROUND: i64 = 100;

/// Records that `referral` moved to `to`, for its referrer, unless the
/// referrer made the change (or nobody signed it: a public signalement): a
/// write added to those of the change, which sends them.
pub(crate) fn record(tx: &Tx, writes: &mut Writes, referral: &Referral, to: Status) -> Result<()> {
    let Some(referrer) = &referral.created_by else {
        return Ok(());
    };
    if tx.actor().user_id.as_ref() == Some(referrer) {
        return Ok(());
    }
    writes
        .push(
            "INSERT INTO referral_status_notices (id, referral_id, recipient_user_id, status, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(crate::record_id_hex())?
        .bind(referral.summary.id.as_str().to_owned())?
        .bind(referrer.as_str().to_owned())?
        .bind(to.key())?
        .bind(tx.now().0)?;
    Ok(())
}

/// A notice to turn into a message.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: String,
    pub referral_id: String,
    pub reference: String,
    pub status: Status,
    pub email: String,
    pub locale: Option<String>,
}

type NoticeRow = (String, String, Option<String>, String, String, Option<String>);

/// The notices not yet turned into messages, oldest first, for active accounts.
pub async fn pending(tx: &mut Tx) -> Result<Vec<Notice>> {
    let rows: Vec<NoticeRow> = sqlx::query_as(&format!(
        "SELECT n.id, n.referral_id, r.reference, n.status, u.email, u.locale FROM referral_status_notices n \
         JOIN referrals r ON r.id = n.referral_id JOIN users u ON u.id = n.recipient_user_id \
         WHERE n.queued_at IS NULL AND u.active = 1 ORDER BY n.created_at, n.id LIMIT {PER_ROUND}"
    ))
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(id, referral_id, reference, status, email, locale)| {
            Ok(Notice {
                status: Status::parse(&status).ok_or(StoreError::Corrupt("referral status"))?,
                reference: reference.unwrap_or_default(),
                id,
                referral_id,
                email,
                locale,
            })
        })
        .collect()
}

/// Claims a notice for this transaction: `false` if another process already
/// queued its message. Audited on the referral.
pub async fn claim(tx: &mut Tx, notice: &Notice) -> Result<bool> {
    let claimed = sqlx::query("UPDATE referral_status_notices SET queued_at = $1 WHERE id = $2 AND queued_at IS NULL")
        .bind(tx.now().0)
        .bind(notice.id.clone())
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1;
    if claimed {
        tx.audit(
            Action::ReferralStatusNoticeQueued,
            Object::Referral,
            Some(&notice.referral_id),
            None,
        )
        .await?;
    }
    Ok(claimed)
}
