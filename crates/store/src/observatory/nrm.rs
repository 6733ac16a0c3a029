//! The NRM's own referrals as the observatory's pseudonymised records
//! (issue 14, part 4): category columns only, each person under a keyed
//! pseudonym that says nothing without the server's key, and the year of
//! the referral rather than its day. No name, no reference, no free text.

use crate::audit::{Action, Object};
use crate::{Result, Tx};
use futures_util::TryStreamExt;
use relais_domain::time::{Date, Timestamp, Zone};

/// What the keyed pseudonyms are for, so that they match no other hash.
const PURPOSE: &str = "observatory-nrm-pseudonym";

/// One submitted referral, coarsened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmRecord {
    /// The same for every referral of one person (or of one referral when
    /// the person is not known yet).
    pub pseudonym: String,
    /// The year it was submitted, in Paris.
    pub year: i32,
    pub departement: Option<String>,
    pub forms: Vec<String>,
    pub sex: Option<String>,
    pub child: bool,
    /// ISO 3166-1 alpha-3.
    pub nationality: Option<String>,
    /// The kind of organisation that referred; `None` for a public signalement.
    pub referrer: Option<String>,
    /// The referral's status.
    pub status: String,
}

type Row = (
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    String,
);

/// Every submitted referral, oldest first, handed to `take` one at a time as
/// it is read: at a million referrals, the rows, the records and the file made
/// of them held side by side took gigabytes (issue 17). Audited as a read of
/// the referrals for statistics.
pub async fn each_record(tx: &mut Tx, mut take: impl FnMut(NrmRecord)) -> Result<()> {
    let paris = Zone::paris();
    {
        let (conn, keys) = tx.conn_and_keys();
        let mut rows = sqlx::query_as::<_, Row>(
            "SELECT r.id, r.person_id, r.submitted_at, r.departement, r.forms, r.sex, r.child, r.nationality, \
             o.org_type, r.status FROM referrals r LEFT JOIN users u ON u.id = r.created_by \
             LEFT JOIN organisations o ON o.id = u.organisation_id \
             WHERE r.status <> 'draft' AND r.submitted_at IS NOT NULL ORDER BY r.submitted_at, r.id",
        )
        .fetch(conn);
        while let Some((id, person, submitted_at, departement, forms, sex, child, nationality, referrer, status)) =
            rows.try_next().await?
        {
            take(NrmRecord {
                pseudonym: keys.keyed_hash(PURPOSE, person.as_deref().unwrap_or(&id)),
                year: Date::local(Timestamp(submitted_at), &paris).year,
                departement,
                forms: crate::stored_list::items(forms.as_deref()),
                sex,
                child: child != 0,
                nationality,
                referrer,
                status,
            });
        }
    }
    tx.audit(Action::ObservatoryNrmExtract, Object::Referral, None, None)
        .await
}

/// The checksum of a source's current file, if it has one.
pub async fn current_sha256(tx: &mut Tx, code: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT v.sha256 FROM observatory_sources s JOIN observatory_versions v ON v.id = s.current_version_id \
         WHERE s.code = $1",
    )
    .bind(code.to_owned())
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map(|(sha,)| sha))
}
