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

/// A key's short name in a key ring ("k0", "kb", "2027a"): 1 to 16
/// lowercase ASCII letters or digits, written in front of every ciphertext.
fn valid_key_id(id: &str) -> bool {
    (1..=16).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The key id given to a key supplied alone (a bare 64-hex `secret_key`
/// or `secret.key`), so that a ring written later can keep it as `k0=…`.
pub const LEGACY_KEY_ID: &str = "k0";

/// Named secret keys: the first is the active one (new ciphertexts), the
/// others still decrypt. The keyed-hash key comes from the last (oldest)
/// entry, so that lookups and the audit chain survive a rotation
/// (docs/adr/0016-key-rotation.md).
#[derive(Clone)]
pub struct KeyRing {
    entries: Vec<(String, SecretKey)>,
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyRing({:?}, ***)", self.ids())
    }
}

impl KeyRing {
    /// A ring of one key, named [`LEGACY_KEY_ID`].
    pub fn single(secret: SecretKey) -> Self {
        Self {
            entries: vec![(LEGACY_KEY_ID.to_owned(), secret)],
        }
    }

    /// Parses either 64 hexadecimal characters (one key, [`LEGACY_KEY_ID`])
    /// or `id=hex` entries separated by new lines, commas or spaces, the
    /// active key first; a line starting with `#` is a comment. Refuses
    /// duplicate ids, bad ids and bad keys; the error never quotes a key.
    pub fn parse(raw: &str) -> std::result::Result<Self, &'static str> {
        let words: Vec<&str> = raw
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .flat_map(|line| line.split(|c: char| c == ',' || c.is_whitespace()))
            .filter(|w| !w.is_empty())
            .collect();
        if let [only] = words.as_slice()
            && !only.contains('=')
        {
            return SecretKey::from_hex(only)
                .map(Self::single)
                .ok_or("a key must be 64 hexadecimal characters");
        }
        let mut entries: Vec<(String, SecretKey)> = Vec::new();
        for word in words {
            let (id, hex) = word.split_once('=').ok_or("each entry must be written id=hex")?;
            if !valid_key_id(id) {
                return Err("a key id is 1 to 16 lowercase letters or digits");
            }
            if entries.iter().any(|(known, _)| known == id) {
                return Err("a key id appears twice");
            }
            let key = SecretKey::from_hex(hex).ok_or("a key must be 64 hexadecimal characters")?;
            entries.push((id.to_owned(), key));
        }
        if entries.is_empty() {
            return Err("no key given");
        }
        Ok(Self { entries })
    }

    /// The ring as a key file: one `id=hex` line per key, active first.
    pub fn to_file_text(&self) -> String {
        let mut out = String::from(
            "# Relais keys, id=hex: the first is active, the others still decrypt;\n\
             # keep the last line (it keys the lookup hashes and the audit chain).\n",
        );
        for (id, key) in &self.entries {
            out.push_str(&format!("{id}={}\n", key.to_hex()));
        }
        out
    }

    /// The same ring with a freshly generated key in front (the new
    /// active key), named `id`.
    pub fn with_new_active(&self, id: &str) -> std::result::Result<Self, &'static str> {
        if !valid_key_id(id) {
            return Err("a key id is 1 to 16 lowercase letters or digits");
        }
        if self.entries.iter().any(|(known, _)| known == id) {
            return Err("a key id appears twice");
        }
        let mut entries = vec![(id.to_owned(), SecretKey::generate())];
        entries.extend(self.entries.iter().cloned());
        Ok(Self { entries })
    }

    /// A key id not yet in the ring: "ka", "kb", … "kz", then "k1", "k2", ….
    pub fn next_id(&self) -> String {
        let taken = |id: &str| self.entries.iter().any(|(known, _)| known == id);
        let letters = (b'a'..=b'z').map(|c| format!("k{}", c as char));
        let numbers = (1..=u32::MAX).map(|n| format!("k{n}"));
        letters.chain(numbers).find(|id| !taken(id)).unwrap_or_default()
    }

    pub fn active_id(&self) -> &str {
        self.entries.first().map_or("", |(id, _)| id.as_str())
    }

    pub fn ids(&self) -> Vec<&str> {
        self.entries.iter().map(|(id, _)| id.as_str()).collect()
    }
}

/// Keys derived for separate purposes, so that one use cannot leak another:
/// one field-encryption key per ring entry, one keyed-hash key.
#[derive(Clone)]
pub struct Keys {
    /// (id, field key), the active one first.
    field: Vec<(String, Zeroizing<[u8; 32]>)>,
    mac: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.field.iter().map(|(id, _)| id.as_str()).collect();
        write!(f, "Keys({ids:?}, ***)")
    }
}

fn derive(secret: &SecretKey, label: &str) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    if let Ok(mut mac) = <HmacSha256 as Mac>::new_from_slice(secret.0.as_ref()) {
        mac.update(label.as_bytes());
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// Ciphertext format 2: `v2:<key id>:<base64(nonce ‖ sealed)>`. Format 1
/// (before key rotation) is the bare base64, without key id; base64 has
/// no `:`, so the two never collide.
const FORMAT_2: &str = "v2:";

/// The key id a ciphertext names (`None` for a format-1 ciphertext).
pub fn ciphertext_key_id(sealed: &str) -> Option<&str> {
    let rest = sealed.strip_prefix(FORMAT_2)?;
    rest.split_once(':').map(|(id, _)| id)
}

fn open(key: &[u8; 32], body: &str, context: &str) -> Result<Zeroizing<Vec<u8>>> {
    let raw = STANDARD_NO_PAD.decode(body).map_err(|_| StoreError::Crypto)?;
    if raw.len() < 24 {
        return Err(StoreError::Crypto);
    }
    let (nonce, body) = raw.split_at(24);
    let cipher = XChaCha20Poly1305::new_from_slice(key).map_err(|_| StoreError::Crypto)?;
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

impl Keys {
    /// A ring of one key ([`LEGACY_KEY_ID`]).
    pub fn derive(secret: &SecretKey) -> Self {
        Self::from_ring(&KeyRing::single(secret.clone()))
    }

    pub fn from_ring(ring: &KeyRing) -> Self {
        let field = ring
            .entries
            .iter()
            .map(|(id, key)| (id.clone(), derive(key, "relais/field-encryption/v1")))
            .collect();
        let mac = match ring.entries.last() {
            Some((_, oldest)) => derive(oldest, "relais/keyed-hash/v1"),
            None => Zeroizing::new([0u8; 32]),
        };
        Self { field, mac }
    }

    /// The id of the key new ciphertexts are written under.
    pub fn active_id(&self) -> &str {
        self.field.first().map_or("", |(id, _)| id.as_str())
    }

    /// Whether `sealed` is already under the active key.
    pub fn is_current(&self, sealed: &str) -> bool {
        ciphertext_key_id(sealed) == Some(self.active_id())
    }

    /// Encrypts `plain` under the active key, binding it to `context`
    /// (e.g. the row it belongs to) so a ciphertext copied to another row
    /// does not decrypt.
    pub fn encrypt(&self, plain: &[u8], context: &str) -> Result<String> {
        let (id, key) = self.field.first().ok_or(StoreError::Crypto)?;
        let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref()).map_err(|_| StoreError::Crypto)?;
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
        Ok(format!("{FORMAT_2}{id}:{}", STANDARD_NO_PAD.encode(out)))
    }

    /// Decrypts a ciphertext of either format: format 2 with the key it
    /// names, format 1 with whichever key of the ring opens it.
    pub fn decrypt(&self, sealed: &str, context: &str) -> Result<Zeroizing<Vec<u8>>> {
        match sealed.strip_prefix(FORMAT_2) {
            Some(rest) => {
                let (id, body) = rest.split_once(':').ok_or(StoreError::Crypto)?;
                let (_, key) = self
                    .field
                    .iter()
                    .find(|(known, _)| known == id)
                    .ok_or(StoreError::Crypto)?;
                open(key, body, context)
            }
            None => self
                .field
                .iter()
                .find_map(|(_, key)| open(key, sealed, context).ok())
                .ok_or(StoreError::Crypto),
        }
    }

    /// `sealed` decrypted and encrypted again under the active key, or
    /// `None` when it already is under the active key.
    pub fn reencrypt(&self, sealed: &str, context: &str) -> Result<Option<String>> {
        if self.is_current(sealed) {
            return Ok(None);
        }
        let plain = self.decrypt(sealed, context)?;
        self.encrypt(&plain, context).map(Some)
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

    #[test]
    fn ciphertexts_name_their_key_and_old_ones_still_open() {
        let old = KeyRing::single(SecretKey::generate());
        let old_keys = Keys::from_ring(&old);
        let sealed = old_keys.encrypt(b"note", "case-note:1").unwrap();
        assert_eq!(ciphertext_key_id(&sealed), Some(LEGACY_KEY_ID));
        // A format-1 ciphertext (written before key ids) is the bare base64.
        let format_1 = sealed.trim_start_matches("v2:k0:").to_owned();
        assert_eq!(ciphertext_key_id(&format_1), None);

        let ring = old.with_new_active("ka").unwrap();
        assert_eq!(ring.ids(), ["ka", "k0"]);
        let keys = Keys::from_ring(&ring);
        assert_eq!(keys.decrypt(&sealed, "case-note:1").unwrap().as_slice(), b"note");
        assert_eq!(keys.decrypt(&format_1, "case-note:1").unwrap().as_slice(), b"note");
        assert!(!keys.is_current(&sealed));
        let again = keys.reencrypt(&format_1, "case-note:1").unwrap().unwrap();
        assert_eq!(ciphertext_key_id(&again), Some("ka"));
        assert!(keys.is_current(&again));
        assert_eq!(keys.reencrypt(&again, "case-note:1").unwrap(), None);
        assert!(keys.reencrypt(&format_1, "case-note:2").is_err());
        // The old key alone cannot open what the new key sealed.
        assert!(old_keys.decrypt(&again, "case-note:1").is_err());
        // Keyed hashes survive the rotation (they come from the oldest key).
        assert_eq!(keys.keyed_hash("match", "x"), old_keys.keyed_hash("match", "x"));
    }

    #[test]
    fn key_rings_parse_and_print_without_secrets() {
        let a = SecretKey::generate();
        let b = SecretKey::generate();
        let text = format!("# comment\nkb={}\n\nka={}\n", b.to_hex(), a.to_hex());
        let ring = KeyRing::parse(&text).unwrap();
        assert_eq!(ring.ids(), ["kb", "ka"]);
        assert_eq!(ring.active_id(), "kb");
        assert_eq!(ring.next_id(), "kc");
        assert_eq!(KeyRing::parse(&ring.to_file_text()).unwrap().ids(), ["kb", "ka"]);
        let env = format!("kb={},ka={}", b.to_hex(), a.to_hex());
        assert_eq!(KeyRing::parse(&env).unwrap().ids(), ["kb", "ka"]);
        assert_eq!(KeyRing::parse(&a.to_hex()).unwrap().ids(), [LEGACY_KEY_ID]);
        assert!(KeyRing::parse("").is_err());
        assert!(KeyRing::parse(&format!("ka={0},ka={0}", a.to_hex())).is_err());
        assert!(KeyRing::parse(&format!("KA={}", a.to_hex())).is_err());
        assert!(KeyRing::parse("ka=abcd").is_err());
        for shown in [format!("{ring:?}"), format!("{:?}", Keys::from_ring(&ring))] {
            assert!(!shown.contains(&a.to_hex()) && !shown.contains(&b.to_hex()), "{shown}");
            assert!(shown.contains("***"));
        }
    }
}
