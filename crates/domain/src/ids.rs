//! Identifiers: 32 hexadecimal digits. The store makes each from the second
//! it was created, then 96 random bits (ADR 0070): not a sequence, so a URL
//! reveals nothing about how many records exist and cannot be guessed, and
//! yet new ids sort after older ones, so the indexes on them grow at their
//! end instead of at random pages.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(String);

        impl $name {
            /// Parses an identifier: 32 lowercase hexadecimal characters.
            pub fn parse(raw: &str) -> Option<Self> {
                let ok = raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                ok.then(|| Self(raw.to_owned()))
            }

            /// Builds an identifier from the 16 bytes the caller made (the store's `record_id`).
            pub fn from_bytes(bytes: [u8; 16]) -> Self {
                Self(hex::encode(bytes))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// An organisation (police unit, association, prefecture…).
    OrganisationId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A referral, from its first saved draft on.
    ReferralId
);
id_type!(
    /// A person known to the mechanism (a possible or identified victim).
    PersonId
);
id_type!(
    /// A case opened when the identification authority accepts a referral.
    CaseId
);
id_type!(
    /// An API token issued to an organisation.
    ApiTokenId
);
id_type!(
    /// A service of the directory (accommodation, care, legal aid…).
    ServiceId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_32_lowercase_hex() {
        assert!(UserId::parse("0123456789abcdef0123456789abcdef").is_some());
        assert!(UserId::parse("0123456789ABCDEF0123456789abcdef").is_none());
        assert!(UserId::parse("../etc/passwd").is_none());
        assert!(UserId::parse("").is_none());
    }

    #[test]
    fn random_bytes_round_trip() {
        let id = OrganisationId::from_bytes([7; 16]);
        assert_eq!(OrganisationId::parse(id.as_str()), Some(id));
    }
}
