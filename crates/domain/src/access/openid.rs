//! Sign-in through an OpenID Connect provider such as ProConnect (ADR 0051): which account an
//! agent is, whether the provider's second factor counts, and why a sign-in is refused.

use strum::EnumCount;
/// An establishment's SIRET: 14 digits. The checksum is not verified: La Poste's
/// establishments break it, and the value is only compared with the one an administrator
/// typed for the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Siret(String);

impl Siret {
    /// Accepts spaces between groups, as SIRETs are often written.
    pub fn parse(text: &str) -> Option<Self> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        (digits.len() == 14 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether the provider's authentication satisfies Relais's second-factor rule: its `acr` is
/// one the configuration accepts, or its `amr` says several factors were used (RFC 8176 `mfa`).
/// Otherwise the local TOTP is asked, as after a password.
pub fn provider_second_factor(acr: Option<&str>, amr: &[String], accepted_acr: &[String]) -> bool {
    acr.is_some_and(|acr| accepted_acr.iter().any(|a| a == acr)) || amr.iter().any(|m| m == "mfa")
}

/// The account a provider's agent turned out to be, given the account with the same e-mail
/// address (if any) and the SIRET the provider sent (if it sent one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The account, whose organisation has the SIRET the provider sent.
    Account,
    /// No account may be linked silently: an administrator decides.
    Request,
    /// The account exists but is deactivated.
    Inactive,
}

/// An account with the agent's e-mail address, as the matching rule sees it.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub active: bool,
    pub organisation_siret: Option<&'a str>,
}

/// E-mail AND organisation: the e-mail alone never links an account, since a provider's
/// federation vouches for the address, not for the organisation the account belongs to here.
/// Without a SIRET from the provider, or with one the organisation lacks, an administrator decides.
pub fn match_agent(candidate: Option<&Candidate<'_>>, sent_siret: Option<&Siret>) -> Match {
    match (candidate, sent_siret) {
        (Some(c), Some(siret)) if c.organisation_siret == Some(siret.as_str()) => {
            if c.active {
                Match::Account
            } else {
                Match::Inactive
            }
        }
        _ => Match::Request,
    }
}

/// Why a sign-in through a provider was refused: the code written to the audit trail (never
/// the token's content) and the reason the page gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum Refusal {
    /// The callback's state matches no sign-in under way (replayed, expired, or forged).
    UnknownState,
    /// The provider answered with an error instead of a code.
    ProviderError,
    /// The provider could not be reached, or its answer could not be read.
    Unreachable,
    /// The code was refused at the token endpoint.
    CodeRefused,
    WrongIssuer,
    WrongAudience,
    Expired,
    BadSignature,
    /// The token's key id is not in the provider's key set, even after fetching it again.
    UnknownKey,
    /// The nonce differs from this sign-in's: a token from another sign-in.
    NonceMismatch,
    /// The token lacks the e-mail address.
    MissingClaims,
    /// The userinfo answer is about another person than the ID token.
    OtherSubject,
    /// Any other failure of the token checks.
    InvalidToken,
    /// The matched account is deactivated.
    AccountInactive,
}

impl Refusal {
    /// The stored code (audit detail) and the end of the translation key.
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownState => "unknown-state",
            Self::ProviderError => "provider-error",
            Self::Unreachable => "unreachable",
            Self::CodeRefused => "code-refused",
            Self::WrongIssuer => "wrong-issuer",
            Self::WrongAudience => "wrong-audience",
            Self::Expired => "expired",
            Self::BadSignature => "bad-signature",
            Self::UnknownKey => "unknown-key",
            Self::NonceMismatch => "nonce-mismatch",
            Self::MissingClaims => "missing-claims",
            Self::OtherSubject => "other-subject",
            Self::InvalidToken => "invalid-token",
            Self::AccountInactive => "account-inactive",
        }
    }

    pub const ALL: [Self; Self::COUNT] = [
        Self::UnknownState,
        Self::ProviderError,
        Self::Unreachable,
        Self::CodeRefused,
        Self::WrongIssuer,
        Self::WrongAudience,
        Self::Expired,
        Self::BadSignature,
        Self::UnknownKey,
        Self::NonceMismatch,
        Self::MissingClaims,
        Self::OtherSubject,
        Self::InvalidToken,
        Self::AccountInactive,
    ];

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIRET: &str = "13002526500013";

    #[test]
    fn siret_is_fourteen_digits() {
        assert_eq!(Siret::parse("130 025 265 00013").unwrap().as_str(), SIRET);
        assert!(Siret::parse("1300252650001").is_none());
        assert!(Siret::parse("1300252650001A").is_none());
    }

    #[test]
    fn accepted_acr_or_mfa_amr_counts_as_second_factor() {
        let accepted = vec!["https://proconnect.gouv.fr/assurance/self-asserted-2fa".to_owned()];
        assert!(provider_second_factor(Some(&accepted[0]), &[], &accepted));
        assert!(!provider_second_factor(Some("eidas1"), &[], &accepted));
        assert!(!provider_second_factor(None, &["pwd".into()], &accepted));
        assert!(provider_second_factor(None, &["pwd".into(), "mfa".into()], &accepted));
    }

    #[test]
    fn email_alone_never_links_an_account() {
        let siret = Siret::parse(SIRET).unwrap();
        let same = Candidate {
            active: true,
            organisation_siret: Some(SIRET),
        };
        let other = Candidate {
            active: true,
            organisation_siret: Some("99999999999999"),
        };
        let without = Candidate {
            active: true,
            organisation_siret: None,
        };
        let inactive = Candidate {
            active: false,
            organisation_siret: Some(SIRET),
        };
        assert_eq!(match_agent(Some(&same), Some(&siret)), Match::Account);
        assert_eq!(match_agent(Some(&same), None), Match::Request);
        assert_eq!(match_agent(Some(&other), Some(&siret)), Match::Request);
        assert_eq!(match_agent(Some(&without), Some(&siret)), Match::Request);
        assert_eq!(match_agent(None, Some(&siret)), Match::Request);
        assert_eq!(match_agent(Some(&inactive), Some(&siret)), Match::Inactive);
    }

    #[test]
    fn refusal_codes_read_back() {
        for refusal in Refusal::ALL {
            assert_eq!(Refusal::parse(refusal.code()), Some(refusal));
        }
    }
}
