//! What waits for an organisation on its dashboard (issue 16, part 6): the
//! onward referrals and safe-placement requests it has not answered, with
//! who sent them and how to reach them, and its services whose places have
//! not been updated for a week.

use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManageServices, ViewCaseFile};
use relais_domain::casework::onward_referral::Kind;
use relais_domain::time::Timestamp;

/// At most this many rows per list: the full lists have their own pages.
pub const SHOWN: i64 = 20;

/// A request sent to the organisation and not answered yet.
#[derive(Debug, Clone)]
pub struct PendingRequest {
    pub id: String,
    pub kind: Kind,
    pub service: String,
    pub sent_at: Timestamp,
    /// The sender, a professional: their name, organisation and address,
    /// so that the receiver can call back before answering.
    pub sender_name: Option<String>,
    pub sender_organisation: Option<String>,
    pub sender_email: Option<String>,
}

type PendingRow = (
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The requests the actor's organisation has not answered, oldest first.
/// Audited as a read of the organisation's inbox.
pub async fn pending_requests(tx: &mut Tx, can: &Capability<ViewCaseFile>) -> Result<Vec<PendingRequest>> {
    let organisation = can.actor_organisation().as_str().to_owned();
    tx.audit(Action::OnwardInboxRead, Object::Organisation, Some(&organisation), None)
        .await?;
    let rows: Vec<PendingRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.kind, s.name, r.sent_at, u.display_name, o.name, u.email \
         FROM onward_referrals r JOIN services s ON s.id = r.service_id \
         LEFT JOIN users u ON u.id = r.sent_by LEFT JOIN organisations o ON o.id = u.organisation_id \
         WHERE r.receiving_organisation_id = $1 AND r.status = 'sent' ORDER BY r.sent_at, r.id LIMIT {SHOWN}"
    ))
    .bind(organisation)
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(id, kind, service, sent_at, name, org, email)| {
            Ok(PendingRequest {
                kind: Kind::parse(&kind).ok_or(StoreError::Corrupt("onward kind"))?,
                id,
                service,
                sent_at: Timestamp(sent_at),
                sender_name: name,
                sender_organisation: org,
                sender_email: email,
            })
        })
        .collect()
}

/// A service of the organisation whose places are out of date.
#[derive(Debug, Clone)]
pub struct StaleService {
    pub id: String,
    pub name: String,
    /// The last update of any of its places; `None` if never reported.
    pub updated_at: Option<Timestamp>,
}

/// The actor's accommodation services whose places were last updated
/// before `since` (or never), oldest first.
pub async fn stale_places(
    tx: &mut Tx,
    can: &Capability<ManageServices>,
    since: Timestamp,
) -> Result<Vec<StaleService>> {
    let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT s.id, s.name, MAX(p.updated_at) FROM services s \
         LEFT JOIN service_places p ON p.service_id = s.id \
         WHERE s.organisation_id = $1 AND s.kind = 'accommodation' GROUP BY s.id, s.name \
         HAVING MAX(p.updated_at) IS NULL OR MAX(p.updated_at) < $2 \
         ORDER BY COALESCE(MAX(p.updated_at), 0), s.name LIMIT {SHOWN}"
    ))
    .bind(can.actor_organisation().as_str().to_owned())
    .bind(since.0)
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::DirectoryStalePlacesRead, Object::Services, None, None)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, updated_at)| StaleService {
            id,
            name,
            updated_at: updated_at.map(Timestamp),
        })
        .collect())
}
