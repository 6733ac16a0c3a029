//! People known to the mechanism, and the duplicate-person candidates of a
//! new referral.
//!
//! Identities are encrypted (bound to the person's row). To find candidates
//! without names in clear, each person has blocking keys: keyed hashes of
//! the skeleton of every name word and alias word. A new record's keys find
//! the few persons worth decrypting and scoring; the score and its reasons
//! come from `relais_domain::person_match`, which never merges anyone.

use crate::writes::Writes;
use crate::{Result, StoreError, Tx};
use relais_domain::ids::PersonId;
use relais_domain::intake::person_match::{self, BirthDate, Candidate, PersonRecord};
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::time::Timestamp;
use std::collections::BTreeSet;

/// Candidates below this score are not shown (a shared skeleton word alone
/// scores 35; a bare shared birth year never shows: no name evidence).
pub const CANDIDATE_THRESHOLD: u32 = 30;

/// The purpose of the blocking keys' keyed hash.
const MATCH_PURPOSE: &str = "person-match";

/// What is known of a person's identity (encrypted at rest).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub family_name: String,
    pub given_names: String,
    pub aliases: Vec<String>,
    /// `YYYY` or `YYYY-MM-DD`, as typed.
    pub birth_date: String,
    /// ISO 3166-1 alpha-3 code.
    pub nationality: String,
}

impl Identity {
    /// The identity a referral gives of its person.
    pub fn of(details: &ReferralDetails) -> Self {
        let record = details.person_record("");
        Self {
            family_name: record.family_name,
            given_names: record.given_names,
            aliases: record.aliases,
            birth_date: details.birth_date.trim().to_owned(),
            nationality: record.nationality.unwrap_or_default(),
        }
    }

    // JSON by hand: the store crate does not depend on serde's derive.
    fn to_json(&self) -> Result<Vec<u8>> {
        let value = serde_json::json!({
            "family_name": self.family_name,
            "given_names": self.given_names,
            "aliases": self.aliases,
            "birth_date": self.birth_date,
            "nationality": self.nationality,
        });
        serde_json::to_vec(&value).map_err(|_| StoreError::Corrupt("person identity"))
    }

    fn from_json(bytes: &[u8]) -> Result<Self> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|_| StoreError::Corrupt("person identity"))?;
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        Ok(Self {
            family_name: text("family_name"),
            given_names: text("given_names"),
            aliases: value
                .get("aliases")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                .unwrap_or_default(),
            birth_date: text("birth_date"),
            nationality: text("nationality"),
        })
    }

    fn record(&self, id: &str) -> PersonRecord {
        PersonRecord {
            id: id.to_owned(),
            given_names: self.given_names.clone(),
            family_name: self.family_name.clone(),
            aliases: self.aliases.clone(),
            birth: BirthDate::parse(&self.birth_date).ok(),
            nationality: (!self.nationality.is_empty()).then(|| self.nationality.clone()),
        }
    }

    /// The skeleton of every name and alias word: what candidates must share.
    fn blocking_words(&self) -> BTreeSet<String> {
        std::iter::once(format!("{} {}", self.given_names, self.family_name))
            .chain(self.aliases.iter().cloned())
            .flat_map(|name| {
                person_match::skeleton(&name)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// A known person as shown next to a candidate score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSummary {
    pub id: PersonId,
    pub identity: Identity,
    pub created_at: Timestamp,
}

fn context(id: &str) -> String {
    format!("person:{id}")
}

fn match_keys(tx: &Tx, identity: &Identity) -> Vec<String> {
    identity
        .blocking_words()
        .iter()
        .map(|w| tx.keys().keyed_hash(MATCH_PURPOSE, w))
        .collect()
}

/// Adds to `writes` the person's record and their blocking keys (callers send the writes,
/// and audit).
pub(crate) fn insert(tx: &Tx, writes: &mut Writes, identity: &Identity) -> Result<PersonId> {
    let id = PersonId::from_bytes(crate::record_id());
    let json = identity.to_json()?;
    let sealed = tx.keys().encrypt(&json, &context(id.as_str()))?;
    writes
        .push("INSERT INTO persons (id, identity, created_at) VALUES ($1, $2, $3)")
        .bind(id.as_str().to_owned())?
        .bind(sealed)?
        .bind(tx.now().0)?;
    let keys = match_keys(tx, identity);
    if !keys.is_empty() {
        // One write for all the keys (about three per person).
        let rows = (2..keys.len() + 2).map(|i| format!("($1, ${i})")).collect::<Vec<_>>();
        writes
            .push(&format!(
                "INSERT INTO person_match_keys (person_id, match_key) VALUES {}",
                rows.join(", ")
            ))
            .bind(id.as_str().to_owned())?;
        for key in keys {
            writes.bind(key)?;
        }
    }
    Ok(id)
}

/// Whether a person exists.
pub(crate) async fn exists(tx: &mut Tx, id: &PersonId) -> Result<bool> {
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM persons WHERE id = $1")
        .bind(id.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?;
    Ok(found.is_some())
}

fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Known persons who may be the person `identity` describes, best first,
/// each with its score and reasons (decrypted; callers audit the read).
pub(crate) async fn candidates_for(tx: &mut Tx, identity: &Identity) -> Result<Vec<(PersonSummary, Candidate)>> {
    let keys = match_keys(tx, identity);
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    // One query: persons sharing any key, with their identity.
    let query = format!(
        "SELECT id, identity, created_at FROM persons WHERE id IN \
         (SELECT person_id FROM person_match_keys WHERE match_key IN ({})) ORDER BY id",
        placeholders(1, keys.len())
    );
    let mut q = sqlx::query_as::<_, (String, String, i64)>(&query);
    for key in keys {
        q = q.bind(key);
    }
    let rows = q.fetch_all(tx.conn()).await?;
    let mut known = Vec::with_capacity(rows.len());
    for (id, sealed, created_at) in rows {
        let plain = tx.keys().decrypt(&sealed, &context(&id))?;
        let identity = Identity::from_json(&plain)?;
        let person_id = PersonId::parse(&id).ok_or(StoreError::Corrupt("person id"))?;
        known.push(PersonSummary {
            id: person_id,
            identity,
            created_at: Timestamp(created_at),
        });
    }
    let records: Vec<PersonRecord> = known.iter().map(|p| p.identity.record(p.id.as_str())).collect();
    let new = identity.record("");
    let found = person_match::candidates(&new, &records, CANDIDATE_THRESHOLD);
    Ok(found
        .into_iter()
        .filter_map(|c| known.iter().find(|p| p.id.as_str() == c.id).map(|p| (p.clone(), c)))
        .collect())
}
