//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s), with one
//! step of clock drift either way and no reuse of an accepted step.

use crate::{Result, StoreError};
use relais_domain::time::Timestamp;
use totp_rs::{Algorithm, Secret, TOTP};

const STEP_SECONDS: i64 = 30;

pub fn new_secret() -> Vec<u8> {
    crate::random_bytes::<20>().to_vec()
}

pub fn to_base32(secret: &[u8]) -> String {
    Secret::Raw(secret.to_vec()).to_encoded().to_string()
}

pub fn from_base32(encoded: &str) -> Result<Vec<u8>> {
    Secret::Encoded(encoded.replace(' ', "").to_uppercase())
        .to_bytes()
        .map_err(|_| StoreError::Crypto)
}

fn totp(secret: &[u8], account: &str) -> Result<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret.to_vec(),
        Some("Relais".into()),
        account.into(),
    )
    .map_err(|_| StoreError::Crypto)
}

/// The otpauth:// URI an authenticator app reads (as a QR code).
pub fn provisioning_uri(secret: &[u8], account: &str) -> Result<String> {
    Ok(totp(secret, account)?.get_url())
}

/// The code valid at `now`.
pub fn code_at(secret: &[u8], now: Timestamp) -> Result<String> {
    let t = u64::try_from(now.0).map_err(|_| StoreError::Crypto)?;
    Ok(totp(secret, "")?.generate(t))
}

/// Checks `code` at `now`; returns the matched step, which must be greater
/// than `last_step` so that a code cannot be replayed.
pub fn check(secret: &[u8], code: &str, now: Timestamp, last_step: Option<i64>) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    let current = now.0.div_euclid(STEP_SECONDS);
    (current - 1..=current + 1)
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .find(|step| {
            code_at(secret, Timestamp(step * STEP_SECONDS))
                .is_ok_and(|expected| constant_time_eq(expected.as_bytes(), code.as_bytes()))
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s → 94287082 (8 digits); 6 digits → 287082.
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, Timestamp(59)).unwrap(), "287082");
    }

    #[test]
    fn accepts_drift_and_refuses_replay() {
        let secret = new_secret();
        let now = Timestamp(1_800_000_000);
        let code = code_at(&secret, now).unwrap();
        let step = check(&secret, &code, now, None).unwrap();
        assert_eq!(check(&secret, &code, now.plus_seconds(30), None), Some(step));
        assert_eq!(check(&secret, &code, now, Some(step)), None);
        assert_eq!(check(&secret, &code, now.plus_seconds(90), None), None);
        assert_eq!(check(&secret, "000000x", now, None), None);
    }

    #[test]
    fn base32_round_trip() {
        let secret = new_secret();
        assert_eq!(from_base32(&to_base32(&secret)).unwrap(), secret);
    }
}
