//! Argon2id password hashing. Unknown accounts are checked against a dummy
//! hash so that response time does not reveal whether an account exists.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::OnceLock;

use crate::{Result, StoreError};

pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::encode_b64(&crate::random_bytes::<16>()).map_err(|_| StoreError::Crypto)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| StoreError::Crypto)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("relais-dummy-password-for-timing").unwrap_or_default())
}

/// Verifies `password` against `stored`, or against a dummy hash when there
/// is no stored hash, taking the same time either way.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let (target, real) = match stored {
        Some(s) => (s, true),
        None => (dummy_hash(), false),
    };
    let ok = PasswordHash::new(target)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false);
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_and_refuses() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&stored)));
        assert!(!verify("wrong horse battery", Some(&stored)));
        assert!(!verify("relais-dummy-password-for-timing", None));
    }
}
