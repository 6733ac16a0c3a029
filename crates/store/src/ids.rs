//! Identifiers of new records (ADR 0070).

/// A new record's identifier: the second it is made (4 bytes, big-endian), then 96 random
/// bits. New ids sort after older ones, so each index on them grows at its end: at 100,000
/// generated cases, random ids had every insert dirty a page of its own in each index, and
/// the writes to disk came to 33 times the database's size (ADR 0070). The second is the
/// system's, not the transaction's clock, which tests and the generator move to other days.
#[allow(
    clippy::disallowed_methods,
    reason = "the second only orders ids; no rule reads it back, so no test needs to move it"
)]
pub(crate) fn record_id() -> [u8; 16] {
    let second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let mut id = crate::random_bytes::<16>();
    id[..4].copy_from_slice(&u32::try_from(second).unwrap_or(u32::MAX).to_be_bytes());
    id
}

/// [`record_id`] in the 32 hexadecimal digits a row keeps.
pub(crate) fn record_id_hex() -> String {
    hex::encode(record_id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::disallowed_methods, reason = "compared with record_id's own reading")]
    fn now() -> u32 {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        u32::try_from(since.as_secs()).unwrap()
    }

    #[test]
    fn a_record_id_begins_with_its_second_then_is_random() {
        let before = now();
        let (first, second) = (record_id(), record_id());
        let after = now();
        let made = u32::from_be_bytes(first[..4].try_into().unwrap());
        assert!(before <= made && made <= after, "{before} <= {made} <= {after}");
        assert!(first[..4] <= second[..4], "a later id sorts after");
        assert_ne!(first[4..], second[4..], "96 random bits");
        assert_eq!(record_id_hex().len(), 32);
    }
}
