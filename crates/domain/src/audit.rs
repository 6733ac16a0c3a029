//! The audit trail: each row's hash covers its fields and the previous
//! row's hash, so altering, deleting or inserting a row breaks the chain.

use sha2::{Digest, Sha256};

/// The hash that precedes the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, by whom, to what. Never holds personal data itself: objects
/// are named by identifier only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields {
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_organisation_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    /// The keyed hash of the client's network address, when the action came
    /// through the web (rows written before it was recorded have none).
    pub client_key: Option<String>,
}

/// A stored row as read back for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub seq: i64,
    pub fields: AuditFields,
    pub prev_hash: String,
    pub hash: String,
}

/// SHA-256 over the sequence number, the previous hash and every field, each
/// length-prefixed so that no two different rows serialise alike.
pub fn chain_hash(seq: i64, prev_hash: &str, fields: &AuditFields) -> String {
    let mut hasher = Sha256::new();
    let mut put = |value: Option<&str>| match value {
        Some(v) => {
            hasher.update((v.len() as u64).to_be_bytes());
            hasher.update(v.as_bytes());
        }
        None => hasher.update(u64::MAX.to_be_bytes()),
    };
    put(Some(&seq.to_string()));
    put(Some(prev_hash));
    put(Some(&fields.at.to_string()));
    put(fields.actor_user_id.as_deref());
    put(fields.actor_organisation_id.as_deref());
    put(Some(&fields.action));
    put(Some(&fields.object_type));
    put(fields.object_id.as_deref());
    put(fields.reason.as_deref());
    put(fields.request_id.as_deref());
    // Hashed only when present, so rows written before the field existed
    // keep their hash; when present it is covered like every other field.
    if let Some(client) = fields.client_key.as_deref() {
        put(Some(client));
    }
    hex::encode(hasher.finalize())
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("row {seq}: its content does not match its hash (altered)")]
    Altered { seq: i64 },
    #[error("row {seq}: expected sequence number {expected} (a row was deleted or inserted)")]
    OutOfSequence { seq: i64, expected: i64 },
    #[error("row {seq}: it does not follow the previous row's hash (a row was deleted or inserted)")]
    Unlinked { seq: i64 },
    #[error("the chain ends at row {last} but the recorded head is row {head} (rows were deleted at the end)")]
    Truncated { last: i64, head: i64 },
    #[error("row {seq}: it lies beyond the recorded head (inserted)")]
    BeyondHead { seq: i64 },
    #[error("the checkpoint at row {seq} is not signed with this installation's key (forged)")]
    ForgedCheckpoint { seq: i64 },
}

/// Incremental verifier: feed rows in sequence order, then `finish` with the
/// recorded head. Streaming keeps memory flat on long trails.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Starts after a checkpoint: rows up to `seq` were purged at the end
    /// of their retention, and `hash` was the hash of row `seq`.
    pub fn after_checkpoint(seq: i64, hash: &str) -> Self {
        Self {
            expected_seq: seq + 1,
            prev_hash: hash.to_owned(),
        }
    }

    /// Checks the next row. `head_seq` is the last row the head records.
    pub fn check(&mut self, row: &AuditRow, head_seq: i64) -> Result<(), ChainBreak> {
        if row.seq > head_seq {
            return Err(ChainBreak::BeyondHead { seq: row.seq });
        }
        if row.seq != self.expected_seq {
            return Err(ChainBreak::OutOfSequence {
                seq: row.seq,
                expected: self.expected_seq,
            });
        }
        if row.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked { seq: row.seq });
        }
        if chain_hash(row.seq, &row.prev_hash, &row.fields) != row.hash {
            return Err(ChainBreak::Altered { seq: row.seq });
        }
        self.expected_seq += 1;
        self.prev_hash.clone_from(&row.hash);
        Ok(())
    }

    /// Compares the end of the chain with the head recorded beside it.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last = self.expected_seq - 1;
        if last != head_seq || self.prev_hash != head_hash {
            return Err(ChainBreak::Truncated { last, head: head_seq });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(action: &str) -> AuditFields {
        AuditFields {
            at: 1,
            actor_user_id: Some("u".into()),
            actor_organisation_id: None,
            action: action.into(),
            object_type: "user".into(),
            object_id: Some("x".into()),
            reason: None,
            request_id: Some("r".into()),
            client_key: None,
        }
    }

    #[test]
    fn the_client_key_is_covered_when_present() {
        let without = fields("a");
        let mut with = fields("a");
        with.client_key = Some("k1".into());
        let mut other = with.clone();
        other.client_key = Some("k2".into());
        let hash = |f: &AuditFields| chain_hash(1, GENESIS_HASH, f);
        assert_ne!(hash(&without), hash(&with));
        assert_ne!(hash(&with), hash(&other));
    }

    fn chain(n: i64) -> Vec<AuditRow> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let f = fields(&format!("a{seq}"));
                let hash = chain_hash(seq, &prev, &f);
                let row = AuditRow {
                    seq,
                    fields: f,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                row
            })
            .collect()
    }

    fn verify(rows: &[AuditRow], head: &AuditRow) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::default();
        rows.iter().try_for_each(|r| v.check(r, head.seq))?;
        v.finish(head.seq, &head.hash)
    }

    #[test]
    fn intact_chain_verifies() {
        let rows = chain(5);
        assert_eq!(verify(&rows, &rows[4]), Ok(5));
    }

    #[test]
    fn alteration_deletion_insertion_and_truncation_are_named() {
        let rows = chain(5);
        let mut altered = rows.clone();
        altered[2].fields.reason = Some("edited".into());
        assert_eq!(verify(&altered, &rows[4]), Err(ChainBreak::Altered { seq: 3 }));

        let mut deleted = rows.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&deleted, &rows[4]),
            Err(ChainBreak::OutOfSequence { seq: 3, expected: 2 })
        );

        assert_eq!(
            verify(&rows[..4], &rows[4]),
            Err(ChainBreak::Truncated { last: 4, head: 5 })
        );

        let mut forged = rows.clone();
        forged[1].prev_hash = GENESIS_HASH.into();
        forged[1].hash = chain_hash(2, GENESIS_HASH, &forged[1].fields);
        assert_eq!(verify(&forged, &rows[4]), Err(ChainBreak::Unlinked { seq: 2 }));
    }

    #[test]
    fn a_chain_verifies_from_a_checkpoint_after_its_oldest_rows_are_purged() {
        let rows = chain(5);
        let mut v = ChainVerifier::after_checkpoint(2, &rows[1].hash);
        rows[2..].iter().try_for_each(|r| v.check(r, 5)).unwrap();
        assert_eq!(v.finish(5, &rows[4].hash), Ok(5));
        // A row missing just after the checkpoint is still found.
        let mut v = ChainVerifier::after_checkpoint(2, &rows[1].hash);
        assert_eq!(
            v.check(&rows[3], 5),
            Err(ChainBreak::OutOfSequence { seq: 4, expected: 3 })
        );
    }

    #[test]
    fn null_and_empty_hash_differently() {
        let mut a = fields("x");
        let mut b = fields("x");
        a.reason = None;
        b.reason = Some(String::new());
        assert_ne!(chain_hash(1, GENESIS_HASH, &a), chain_hash(1, GENESIS_HASH, &b));
    }
}
