//! Field encryption (XChaCha20-Poly1305) and keyed hashes (HMAC-SHA256),
//! both derived from one secret key given in configuration.

use crate::{Result, StoreError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// The 32-byte secret from which every key is derived. Never printed.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; 32]>);

impl SecretKey {
    /// Parses 64 hexadecimal characters.
    pub fn from_hex(raw: &str) -> Option<Self> {
        let bytes = hex::decode(raw.trim()).ok()?;
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(Zeroizing::new(array)))
    }

    pub fn generate() -> Self {
        Self(Zeroizing::new(crate::random_bytes::<32>()))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(*self.0)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

/// Keys derived for separate purposes, so that one use cannot leak another.
#[derive(Clone)]
pub struct Keys {
    field: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

fn derive(secret: &SecretKey, label: &str) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    if let Ok(mut mac) = <HmacSha256 as Mac>::new_from_slice(secret.0.as_ref()) {
        mac.update(label.as_bytes());
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

impl Keys {
    pub fn derive(secret: &SecretKey) -> Self {
        Self {
            field: derive(secret, "relais/field-encryption/v1"),
            mac: derive(secret, "relais/keyed-hash/v1"),
        }
    }

    /// Encrypts `plain`, binding it to `context` (e.g. the row it belongs to)
    /// so a ciphertext copied to another row does not decrypt.
    pub fn encrypt(&self, plain: &[u8], context: &str) -> Result<String> {
        let cipher = XChaCha20Poly1305::new_from_slice(self.field.as_ref()).map_err(|_| StoreError::Crypto)?;
        let nonce_bytes = crate::random_bytes::<24>();
        let nonce = XNonce::from_slice(&nonce_bytes);
        let sealed = cipher
            .encrypt(
                nonce,
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Crypto)?;
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&sealed);
        Ok(STANDARD_NO_PAD.encode(out))
    }

    pub fn decrypt(&self, sealed: &str, context: &str) -> Result<Zeroizing<Vec<u8>>> {
        let raw = STANDARD_NO_PAD.decode(sealed).map_err(|_| StoreError::Crypto)?;
        if raw.len() < 24 {
            return Err(StoreError::Crypto);
        }
        let (nonce, body) = raw.split_at(24);
        let cipher = XChaCha20Poly1305::new_from_slice(self.field.as_ref()).map_err(|_| StoreError::Crypto)?;
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| StoreError::Crypto)
    }

    /// A keyed hash: stable for equal inputs, useless without the key.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        match <HmacSha256 as Mac>::new_from_slice(self.mac.as_ref()) {
            Ok(mut mac) => {
                mac.update(purpose.as_bytes());
                mac.update(&[0]);
                mac.update(value.as_bytes());
                hex::encode(mac.finalize().into_bytes())
            }
            Err(_) => String::new(),
        }
    }
}

impl Keys {
    /// Whether `tag` (hexadecimal) is the keyed hash of `value` for
    /// `purpose`, compared in constant time: for signatures a client holds.
    pub fn verify_keyed_hash(&self, purpose: &str, value: &str, tag: &str) -> bool {
        let Ok(tag) = hex::decode(tag) else {
            return false;
        };
        match <HmacSha256 as Mac>::new_from_slice(self.mac.as_ref()) {
            Ok(mut mac) => {
                mac.update(purpose.as_bytes());
                mac.update(&[0]);
                mac.update(value.as_bytes());
                mac.verify_slice(&tag).is_ok()
            }
            Err(_) => false,
        }
    }
}

/// SHA-256 of a bearer secret (session cookie, setup token) for storage.
pub(crate) fn digest(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_context_binding() {
        let keys = Keys::derive(&SecretKey::generate());
        let sealed = keys.encrypt(b"JBSWY3DPEHPK3PXP", "totp:user-1").unwrap();
        assert_eq!(
            keys.decrypt(&sealed, "totp:user-1").unwrap().as_slice(),
            b"JBSWY3DPEHPK3PXP"
        );
        assert!(keys.decrypt(&sealed, "totp:user-2").is_err());
        let other = Keys::derive(&SecretKey::generate());
        assert!(other.decrypt(&sealed, "totp:user-1").is_err());
    }

    #[test]
    fn keyed_hash_verifies_only_its_own_tag() {
        let keys = Keys::derive(&SecretKey::generate());
        let tag = keys.keyed_hash("device", "payload");
        assert!(keys.verify_keyed_hash("device", "payload", &tag));
        assert!(!keys.verify_keyed_hash("device", "payload2", &tag));
        assert!(!keys.verify_keyed_hash("other", "payload", &tag));
        assert!(!keys.verify_keyed_hash("device", "payload", "not hex"));
        assert!(!keys.verify_keyed_hash("device", "payload", &tag[..10]));
        assert!(!Keys::derive(&SecretKey::generate()).verify_keyed_hash("device", "payload", &tag));
    }

    #[test]
    fn keyed_hash_depends_on_key_and_purpose() {
        let secret = SecretKey::generate();
        let keys = Keys::derive(&secret);
        assert_eq!(keys.keyed_hash("a", "x"), Keys::derive(&secret).keyed_hash("a", "x"));
        assert_ne!(keys.keyed_hash("a", "x"), keys.keyed_hash("b", "x"));
        assert_ne!(
            keys.keyed_hash("a", "x"),
            Keys::derive(&SecretKey::generate()).keyed_hash("a", "x")
        );
    }

    #[test]
    fn secret_key_hex_round_trip_and_hidden_debug() {
        let key = SecretKey::generate();
        assert_eq!(
            SecretKey::from_hex(&key.to_hex()).map(|k| k.to_hex()),
            Some(key.to_hex())
        );
        assert!(SecretKey::from_hex("abcd").is_none());
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
    }
}
