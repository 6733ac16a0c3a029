//! Keys of catalogues and of everything in them: stable identifiers that screenings, the
//! database and integrations refer to, so they are restricted to a safe, readable alphabet.

use serde::Serialize;
use std::fmt;

/// A lowercase ASCII slug: letters, digits, `-` and `_`, starting with a letter, at most 64
/// characters (e.g. `ilo-ec-delphi-2009-labour`, `coercion_at_destination`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Key(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("a key cannot be empty")]
    Empty,
    #[error("a key has at most 64 characters")]
    TooLong,
    #[error("a key starts with a lowercase letter")]
    BadStart,
    #[error("a key has only lowercase letters, digits, `-` and `_`")]
    BadCharacter,
}

impl Key {
    pub fn parse(raw: &str) -> Result<Self, KeyError> {
        let first = raw.bytes().next().ok_or(KeyError::Empty)?;
        if raw.len() > 64 {
            return Err(KeyError::TooLong);
        }
        if !first.is_ascii_lowercase() {
            return Err(KeyError::BadStart);
        }
        let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_';
        if !raw.bytes().all(allowed) {
            return Err(KeyError::BadCharacter);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_slugs_only() {
        assert!(Key::parse("ilo-ec-delphi-2009-labour").is_ok());
        assert!(Key::parse("coercion_at_destination").is_ok());
        assert_eq!(Key::parse(""), Err(KeyError::Empty));
        assert_eq!(Key::parse("2009-set"), Err(KeyError::BadStart));
        assert_eq!(Key::parse("Adult"), Err(KeyError::BadStart));
        assert_eq!(Key::parse("adult set"), Err(KeyError::BadCharacter));
        assert_eq!(Key::parse("../etc"), Err(KeyError::BadStart));
        assert_eq!(Key::parse(&"a".repeat(65)), Err(KeyError::TooLong));
    }
}
