//! Password policy. Length is what matters (ANSSI and NIST guidance): no
//! composition rules, a generous maximum so pass-phrases fit.

use std::fmt;

/// A candidate password that satisfies the policy. Never printed.
pub struct NewPassword(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must have at least {0} characters")]
    TooShort(usize),
    #[error("the password must have at most {0} characters")]
    TooLong(usize),
    #[error("the two passwords differ")]
    Mismatch,
}

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(candidate: &str, confirmation: &str) -> Result<Self, PasswordError> {
        let count = candidate.chars().count();
        if count < Self::MIN_CHARS {
            return Err(PasswordError::TooShort(Self::MIN_CHARS));
        }
        if count > Self::MAX_CHARS {
            return Err(PasswordError::TooLong(Self::MAX_CHARS));
        }
        if candidate != confirmation {
            return Err(PasswordError::Mismatch);
        }
        Ok(Self(candidate.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(
            NewPassword::parse("short", "short").err(),
            Some(PasswordError::TooShort(12))
        );
        assert_eq!(
            NewPassword::parse("long enough phrase", "long enough phrasE").err(),
            Some(PasswordError::Mismatch)
        );
        let long = "x".repeat(257);
        assert_eq!(
            NewPassword::parse(&long, &long).err(),
            Some(PasswordError::TooLong(256))
        );
        assert!(NewPassword::parse("long enough phrase", "long enough phrase").is_ok());
    }

    #[test]
    fn debug_hides_the_secret() {
        let p = NewPassword::parse("long enough phrase", "long enough phrase");
        assert!(!format!("{p:?}").contains("phrase"));
    }
}
