//! The NRM's own referrals as the observatory's pseudonymised records
//! (issue 14, part 4): category columns only, each person under a keyed
//! pseudonym that says nothing without the server's key, and the year of
//! the referral rather than its day. No name, no reference, no free text.

use crate::audit::{Action, Object};
use crate::{Result, Tx};
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

/// Every submitted referral, oldest first. Audited as a read of the
/// referrals for statistics.
pub async fn records(tx: &mut Tx) -> Result<Vec<NrmRecord>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.person_id, r.submitted_at, r.departement, r.forms, r.sex, r.child, r.nationality, \
         o.org_type, r.status FROM referrals r LEFT JOIN users u ON u.id = r.created_by \
         LEFT JOIN organisations o ON o.id = u.organisation_id \
         WHERE r.status <> 'draft' AND r.submitted_at IS NOT NULL ORDER BY r.submitted_at, r.id",
    )
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::ObservatoryNrmExtract, Object::Referral, None, None)
        .await?;
    let paris = Zone::paris();
    Ok(rows
        .into_iter()
        .map(
            |(id, person, submitted_at, departement, forms, sex, child, nationality, referrer, status)| NrmRecord {
                pseudonym: tx.keys().keyed_hash(PURPOSE, person.as_deref().unwrap_or(&id)),
                year: Date::local(Timestamp(submitted_at), &paris).year,
                departement,
                forms: forms
                    .unwrap_or_default()
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect(),
                sex,
                child: child != 0,
                nationality,
                referrer,
                status,
            },
        )
        .collect())
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
