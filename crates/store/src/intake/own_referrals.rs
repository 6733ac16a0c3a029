//! What a referrer reads of the referrals they wrote: the drafts to resume
//! by person and date, the sent ones a page at a time (newest change first,
//! keyset on the creator index), how many wait at each status, and which
//! changed lately. A referrer of two years has hundreds: nothing here reads
//! them all.

use crate::audit::{Action, Object};
use crate::intake::referrals::{Row, SELECT, Summary, decrypt, summary};
use crate::{Result, Tx};
use relais_domain::access::authz::{Capability, SubmitReferrals};
use relais_domain::intake::referral::status::Status;
use relais_domain::time::Timestamp;

/// Sent referrals on one page of the list.
pub const SENT_PER_PAGE: usize = 50;

/// Where a page of sent referrals starts: after this one, in the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub updated_at: i64,
    pub id: String,
}

impl Cursor {
    /// `"<updated_at>-<id>"`, as the next page's link carries it.
    pub fn parse(raw: &str) -> Option<Self> {
        let (at, id) = raw.split_once('-')?;
        let id_ok = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit());
        Some(Self {
            updated_at: at.parse().ok()?,
            id: id.to_owned(),
        })
        .filter(|_| id_ok)
    }

    pub fn token(&self) -> String {
        format!("{}-{}", self.updated_at, self.id)
    }
}

/// One page of sent referrals and where the next one starts, if any.
#[derive(Debug, Clone)]
pub struct SentPage {
    pub rows: Vec<Summary>,
    pub next: Option<Cursor>,
}

/// A draft with the name of the person it is about, as the referrer typed it.
#[derive(Debug, Clone)]
pub struct OwnDraft {
    pub summary: Summary,
    /// Given names and family name; empty when not typed yet.
    pub person: String,
}

/// The referrer's sent referrals after `after`, newest change first.
pub async fn sent(tx: &mut Tx, can: &Capability<SubmitReferrals>, after: Option<&Cursor>) -> Result<SentPage> {
    let limit = i64::try_from(SENT_PER_PAGE + 1).unwrap_or(i64::MAX);
    let keyset = if after.is_some() {
        " AND (updated_at < $3 OR (updated_at = $3 AND id < $4))"
    } else {
        ""
    };
    let query = format!(
        "{SELECT} WHERE created_by = $1 AND status <> $2{keyset} ORDER BY updated_at DESC, id DESC LIMIT {limit}"
    );
    let mut q = sqlx::query_as::<_, Row>(&query)
        .bind(can.actor().as_str().to_owned())
        .bind(Status::Draft.key());
    if let Some(cursor) = after {
        q = q.bind(cursor.updated_at).bind(cursor.id.clone());
    }
    let mut rows = q
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(summary)
        .collect::<Result<Vec<_>>>()?;
    tx.audit(Action::ReferralListOwn, Object::Referral, None, None).await?;
    let next = (rows.len() > SENT_PER_PAGE).then(|| {
        rows.truncate(SENT_PER_PAGE);
        rows.last().map(|r| Cursor {
            updated_at: r.updated_at.0,
            id: r.id.as_str().to_owned(),
        })
    });
    Ok(SentPage {
        rows,
        next: next.flatten(),
    })
}

/// The referrer's drafts, latest first, with the person's name (which
/// their writer may read: the read is audited like the list).
pub async fn drafts(tx: &mut Tx, can: &Capability<SubmitReferrals>) -> Result<Vec<OwnDraft>> {
    let query = format!("{SELECT} WHERE created_by = $1 AND status = $2 ORDER BY updated_at DESC, id DESC");
    let rows: Vec<Row> = sqlx::query_as(&query)
        .bind(can.actor().as_str().to_owned())
        .bind(Status::Draft.key())
        .fetch_all(tx.conn())
        .await?;
    let drafts = rows
        .iter()
        .map(|row| {
            let referral = decrypt(tx, row)?;
            let details = &referral.details;
            let person = [details.given_names.trim(), details.family_name.trim()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            Ok(OwnDraft {
                summary: referral.summary,
                person,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    tx.audit(Action::ReferralListOwn, Object::Referral, None, Some("drafts"))
        .await?;
    Ok(drafts)
}

/// How many of the referrer's referrals are at each status (one grouped count).
pub async fn counts(tx: &mut Tx, can: &Capability<SubmitReferrals>) -> Result<Vec<(Status, i64)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM referrals WHERE created_by = $1 GROUP BY status")
            .bind(can.actor().as_str().to_owned())
            .fetch_all(tx.conn())
            .await?;
    tx.audit(Action::ReferralListOwn, Object::Referral, None, None).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(status, n)| Status::parse(&status).map(|s| (s, n)))
        .collect())
}

/// The referrer's referrals that someone moved on since `since`
/// (neither drafts nor merely sent), newest first.
pub async fn changed_since(tx: &mut Tx, can: &Capability<SubmitReferrals>, since: Timestamp) -> Result<Vec<Summary>> {
    let query = format!(
        "{SELECT} WHERE created_by = $1 AND updated_at >= $2 AND status NOT IN ($3, $4) \
         ORDER BY updated_at DESC, id DESC LIMIT {SENT_PER_PAGE}"
    );
    let rows: Vec<Row> = sqlx::query_as(&query)
        .bind(can.actor().as_str().to_owned())
        .bind(since.0)
        .bind(Status::Draft.key())
        .bind(Status::Submitted.key())
        .fetch_all(tx.conn())
        .await?;
    tx.audit(Action::ReferralListOwn, Object::Referral, None, None).await?;
    rows.iter().map(summary).collect()
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_nothing_else() {
        let cursor = Cursor {
            updated_at: 1_800_000_000,
            id: "0a1b2c".into(),
        };
        assert_eq!(Cursor::parse(&cursor.token()), Some(cursor));
        for bad in ["", "1800", "-0a1b", "x-0a1b", "1800-", "1800-zz", "1800-0a1b'--"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }
}
