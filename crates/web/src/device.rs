//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
//! Cookies"; ADR 0015): a browser that completed a sign-in receives a signed
//! cookie naming the account. At the next sign-in to that account it is a
//! trusted device, judged only by its own failures, so failures from
//! elsewhere never keep the owner out.
//!
//! The value is `user id . issued at . nonce . signature`, the signature a
//! keyed hash of the rest: a cookie cannot be forged or moved to another
//! account. The nonce identifies the device's own failure counter.

use crate::AppState;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use relais_domain::ids::UserId;
use relais_domain::time::Timestamp;
use relais_store::Keys;

pub const DEVICE_COOKIE: &str = "relais_device";
const PURPOSE: &str = "device-cookie";

/// A verified device cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeviceCookie {
    user_id: String,
    issued_at: Timestamp,
    nonce: String,
}

fn sign(keys: &Keys, user_id: &UserId, issued_at: Timestamp, nonce: &str) -> String {
    let payload = format!("{}.{}.{nonce}", user_id.as_str(), issued_at.0);
    let signature = keys.keyed_hash(PURPOSE, &payload);
    format!("{payload}.{signature}")
}

/// The cookie's content if its signature is right; `None` otherwise.
fn verify(keys: &Keys, raw: &str) -> Option<DeviceCookie> {
    let (payload, signature) = raw.rsplit_once('.')?;
    if !keys.verify_keyed_hash(PURPOSE, payload, signature) {
        return None;
    }
    let mut parts = payload.split('.');
    let user_id = parts.next()?.to_owned();
    let issued_at = Timestamp(parts.next()?.parse().ok()?);
    let nonce = parts.next()?.to_owned();
    parts.next().is_none().then_some(DeviceCookie {
        user_id,
        issued_at,
        nonce,
    })
}

/// The nonce of this browser's device cookie when it is valid for `user`
/// (right signature, same account, not too old); `None` makes the browser
/// untrusted.
pub fn trusted_nonce(state: &AppState, jar: &CookieJar, user: &UserId, now: Timestamp) -> Option<String> {
    let cookie = verify(&state.keys, jar.get(DEVICE_COOKIE)?.value())?;
    (cookie.user_id == user.as_str() && state.settings.throttle.device_trusted(cookie.issued_at, now))
        .then_some(cookie.nonce)
}

/// Gives the browser a new device cookie for `user` after a complete
/// sign-in. It lives as long as it is trusted; only same-site requests
/// (the sign-in form) carry it.
pub fn issue(state: &AppState, jar: CookieJar, user: &UserId, now: Timestamp) -> CookieJar {
    use rand::RngCore;
    let mut nonce = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let value = sign(&state.keys, user, now, &hex::encode(nonce));
    let cookie = Cookie::build((DEVICE_COOKIE, value))
        .path("/")
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::seconds(state.settings.throttle.device_trust_seconds))
        .build();
    jar.add(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais_store::SecretKey;

    fn user(n: u8) -> UserId {
        UserId::from_bytes([n; 16])
    }

    #[test]
    fn a_signed_cookie_names_its_account_and_nonce() {
        let keys = Keys::derive(&SecretKey::generate());
        let raw = sign(&keys, &user(1), Timestamp(100), "abcd");
        assert_eq!(
            verify(&keys, &raw),
            Some(DeviceCookie {
                user_id: user(1).as_str().to_owned(),
                issued_at: Timestamp(100),
                nonce: "abcd".into(),
            })
        );
    }

    #[test]
    fn forged_altered_or_foreign_cookies_are_ignored() {
        let keys = Keys::derive(&SecretKey::generate());
        let raw = sign(&keys, &user(1), Timestamp(100), "abcd");
        let moved = raw.replacen(user(1).as_str(), user(2).as_str(), 1);
        assert_eq!(verify(&keys, &moved), None, "moved to another account");
        let older = raw.replacen(".100.", ".99.", 1);
        assert_eq!(verify(&keys, &older), None, "date changed");
        let other_key = Keys::derive(&SecretKey::generate());
        assert_eq!(verify(&other_key, &raw), None, "signed with another key");
        for garbage in ["", ".", "a.b.c.d", "a.b.c.d.e"] {
            assert_eq!(verify(&keys, garbage), None, "{garbage}");
        }
        let extra = format!("{}.1.x.y", user(1).as_str());
        let signed_extra = format!("{extra}.{}", keys.keyed_hash(PURPOSE, &extra));
        assert_eq!(verify(&keys, &signed_extra), None, "too many parts");
    }
}
