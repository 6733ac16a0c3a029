//! Numbers people read aloud and type back: referral references, the
//! follow-up code of a public signalement and its passphrase.
//!
//! They are random (60 to 80 bits), so they reveal nothing and cannot be
//! guessed, and written in Crockford's base 32 in groups of four: no I, L, O
//! or U, and typing O for 0 or I/L for 1 is forgiven.

use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `count` base-32 characters from the low bits of `bytes`.
fn encode(bytes: &[u8], count: usize) -> String {
    let mut bits: u128 = 0;
    for b in bytes.iter().take(16) {
        bits = (bits << 8) | u128::from(*b);
    }
    (0..count)
        .rev()
        .map(|i| char::from(ALPHABET[((bits >> (5 * i)) & 31) as usize]))
        .collect()
}

/// Upper-cases, drops spaces and hyphens, maps look-alikes; `None` if a
/// character is not in the alphabet.
fn normalise(raw: &str) -> Option<String> {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => Some('0'),
            'I' | 'L' => Some('1'),
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => Some(c),
            _ => None,
        })
        .collect()
}

fn grouped(body: &str) -> String {
    body.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

macro_rules! prefixed_code {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            const PREFIX: &'static str = $prefix;

            /// Builds one from 8 random bytes supplied by the caller (60 bits used).
            pub fn from_random(bytes: [u8; 8]) -> Self {
                Self(format!("{}-{}", Self::PREFIX, grouped(&encode(&bytes, 12))))
            }

            /// Parses what a person typed, forgiving case, spaces and look-alikes.
            pub fn parse(raw: &str) -> Option<Self> {
                let raw = raw.trim();
                // The prefix is letters outside the look-alike mapping's reach
                // only once stripped (L would read as 1).
                let after_prefix = raw
                    .get(..2)
                    .filter(|p| p.eq_ignore_ascii_case(Self::PREFIX))
                    .and_then(|_| raw.get(2..))
                    .and_then(normalise)
                    .filter(|b| b.len() == 12);
                let body = match after_prefix {
                    Some(body) => body,
                    None => normalise(raw)?,
                };
                (body.len() == 12).then(|| Self(format!("{}-{}", Self::PREFIX, grouped(&body))))
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

prefixed_code!(
    /// The reference of a submitted referral, e.g. `RL-7K4M-Q9XD-2B8F`.
    Reference,
    "RL"
);
prefixed_code!(
    /// What a public reporter quotes to follow their signalement, e.g. `SG-…`.
    FollowUpCode,
    "SG"
);

/// The secret that goes with a follow-up code (80 bits). Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(String);

impl Passphrase {
    pub fn from_random(bytes: [u8; 10]) -> Self {
        Self(grouped(&encode(&bytes, 16)))
    }

    /// The canonical form of what was typed (hashing compares this).
    pub fn parse(raw: &str) -> Option<Self> {
        let body = normalise(raw)?;
        (body.len() == 16).then(|| Self(grouped(&body)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip_forgivingly() {
        let r = Reference::from_random([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]);
        assert_eq!(r.as_str().len(), "RL-XXXX-XXXX-XXXX".len());
        assert!(r.as_str().starts_with("RL-"));
        assert_eq!(Reference::parse(r.as_str()), Some(r.clone()));
        let sloppy = r.as_str().to_lowercase().replace('-', " ").replace('0', "o");
        assert_eq!(Reference::parse(&sloppy), Some(r.clone()));
        let bare = r.as_str().trim_start_matches("RL-").to_owned();
        assert_eq!(Reference::parse(&bare), Some(r));
    }

    #[test]
    fn malformed_codes_are_refused() {
        assert_eq!(Reference::parse("RL-1234"), None);
        assert_eq!(Reference::parse("RL-UUUU-UUUU-UUUU"), None);
        assert_eq!(FollowUpCode::parse("../../etc/passwd"), None);
        assert!(Passphrase::parse("abcd-efgh").is_none());
    }

    #[test]
    fn distinct_bytes_give_distinct_codes() {
        let a = FollowUpCode::from_random([0; 8]);
        let b = FollowUpCode::from_random([0, 0, 0, 0, 0, 0, 0, 1]);
        assert_ne!(a, b);
        assert_eq!(a.as_str(), "SG-0000-0000-0000");
    }

    #[test]
    fn passphrases_are_hidden_from_debug() {
        let p = Passphrase::from_random([7; 10]);
        assert_eq!(Passphrase::parse(&p.as_str().to_lowercase()), Some(p.clone()));
        assert_eq!(format!("{p:?}"), "Passphrase(***)");
    }
}
