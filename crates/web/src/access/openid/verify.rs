//! The ID token checks (issuer, audience, expiry, signature by one of the provider's keys,
//! nonce of this sign-in) and the userinfo answer's (signature, issuer, audience, the same
//! subject). Pure: the keys, the time and the answers are given.

use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AdditionalClaims, ClaimsVerificationError, ClientId, EndUserEmail, EndUserFamilyName, EndUserGivenName, IdToken,
    IdTokenVerifier, IssuerUrl, LocalizedClaim, Nonce, SignatureVerificationError, SubjectIdentifier, UserInfoClaims,
    UserInfoError, UserInfoJsonWebToken, UserInfoVerifier,
};
use relais_domain::access::openid::{Refusal, Siret};
use relais_domain::email::Email;
use relais_domain::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The claims ProConnect adds to the standard ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AgentClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
    /// The agent's family name as ProConnect names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usual_name: Option<String>,
}

impl AdditionalClaims for AgentClaims {}

pub type AgentIdToken =
    IdToken<AgentClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

pub type AgentUserInfo = UserInfoClaims<AgentClaims, CoreGenderClaim>;

pub type AgentUserInfoToken =
    UserInfoJsonWebToken<AgentClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

/// What a sign-in must match.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub now: Timestamp,
}

/// Who the agent is, as the provider says: in the ID token, or from its userinfo endpoint
/// (ProConnect sends the e-mail address, names and SIRET only there).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub email: Option<Email>,
    pub given_name: Option<String>,
    /// The family name (ProConnect's `usual_name`, else `family_name`).
    pub family_name: Option<String>,
    pub siret: Option<Siret>,
}

impl Profile {
    fn from_claims(
        given: Option<&LocalizedClaim<EndUserGivenName>>,
        family: Option<&LocalizedClaim<EndUserFamilyName>>,
        email: Option<&EndUserEmail>,
        extra: &AgentClaims,
    ) -> Self {
        Self {
            email: email.and_then(|e| Email::parse(e.as_str()).ok()),
            given_name: given.and_then(|c| c.get(None)).map(|n| n.as_str().to_owned()),
            family_name: extra
                .usual_name
                .clone()
                .or_else(|| family.and_then(|c| c.get(None)).map(|n| n.as_str().to_owned())),
            siret: extra.siret.as_deref().and_then(Siret::parse),
        }
    }

    /// This profile, each detail replaced by `newer`'s where it has one.
    fn updated_by(self, newer: Self) -> Self {
        Self {
            email: newer.email.or(self.email),
            given_name: newer.given_name.or(self.given_name),
            family_name: newer.family_name.or(self.family_name),
            siret: newer.siret.or(self.siret),
        }
    }
}

/// The agent a verified token describes.
#[derive(Debug, Clone)]
pub struct Agent {
    pub subject: String,
    pub profile: Profile,
    pub acr: Option<String>,
    pub amr: Vec<String>,
}

impl Agent {
    /// The name shown to administrators: given and family names, else the e-mail address.
    pub fn display_name(&self) -> String {
        let names = [&self.profile.given_name, &self.profile.family_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        match (&self.profile.email, names.is_empty()) {
            (Some(email), true) => email.as_str().to_owned(),
            _ => names,
        }
    }

    /// The agent with what the userinfo endpoint said of them.
    pub fn completed_by(self, profile: Profile) -> Self {
        Self {
            profile: self.profile.updated_by(profile),
            ..self
        }
    }
}

/// Checks `token` against `keys`. `UnknownKey` tells the caller to fetch the key set again.
pub fn verify(token: &str, keys: &CoreJsonWebKeySet, expected: &Expected<'_>) -> Result<Agent, Refusal> {
    let token = AgentIdToken::from_str(token).map_err(|_| Refusal::InvalidToken)?;
    let issuer = IssuerUrl::new(expected.issuer.to_owned()).map_err(|_| Refusal::InvalidToken)?;
    let now = chrono::DateTime::from_timestamp(expected.now.0, 0).ok_or(Refusal::InvalidToken)?;
    let verifier =
        IdTokenVerifier::new_public_client(ClientId::new(expected.client_id.to_owned()), issuer, keys.clone())
            // ProConnect signs with RS256 or ES256; nothing weaker, no shared secret.
            .set_allowed_algs([
                CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                CoreJwsSigningAlgorithm::EcdsaP256Sha256,
            ])
            .set_time_fn(move || now);
    let claims = token
        .claims(&verifier, &Nonce::new(expected.nonce.to_owned()))
        .map_err(refusal)?;
    Ok(Agent {
        subject: claims.subject().as_str().to_owned(),
        profile: Profile::from_claims(
            claims.given_name(),
            claims.family_name(),
            claims.email(),
            claims.additional_claims(),
        ),
        acr: claims.auth_context_ref().map(|a| a.as_str().to_owned()),
        amr: claims
            .auth_method_refs()
            .map(|refs| refs.iter().map(|r| r.as_str().to_owned()).collect())
            .unwrap_or_default(),
    })
}

/// What the userinfo endpoint answered.
#[derive(Debug, Clone)]
pub struct UserInfoAnswer {
    /// The `Content-Type` header: `application/jwt` for a signed answer.
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Checks the userinfo answer about `subject` (the ID token's). A signed answer must be
/// signed by one of `keys`, by the expected issuer, for Relais; a plain JSON answer is taken
/// only from a provider that does not announce signed answers (`signed_required` false).
pub fn verify_user_info(
    answer: &UserInfoAnswer,
    keys: &CoreJsonWebKeySet,
    expected: &Expected<'_>,
    subject: &str,
    signed_required: bool,
) -> Result<Profile, Refusal> {
    let subject = SubjectIdentifier::new(subject.to_owned());
    let essence = answer
        .content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let claims = match essence.as_str() {
        "application/jwt" => {
            let jwt = std::str::from_utf8(&answer.body).map_err(|_| Refusal::InvalidToken)?;
            let token: AgentUserInfoToken = serde_json::from_value(serde_json::Value::String(jwt.trim().to_owned()))
                .map_err(|_| Refusal::InvalidToken)?;
            let issuer = IssuerUrl::new(expected.issuer.to_owned()).map_err(|_| Refusal::InvalidToken)?;
            let verifier = UserInfoVerifier::new(
                ClientId::new(expected.client_id.to_owned()),
                issuer,
                keys.clone(),
                Some(subject),
            );
            token.claims(&verifier).map_err(refusal)?
        }
        "application/json" if !signed_required => {
            AgentUserInfo::from_json::<std::convert::Infallible>(&answer.body, Some(&subject)).map_err(|e| match e {
                UserInfoError::ClaimsVerification(e) => refusal(e),
                _ => Refusal::InvalidToken,
            })?
        }
        "application/json" => return Err(Refusal::BadSignature),
        _ => return Err(Refusal::InvalidToken),
    };
    Ok(Profile::from_claims(
        claims.given_name(),
        claims.family_name(),
        claims.email(),
        claims.additional_claims(),
    ))
}

fn refusal(error: ClaimsVerificationError) -> Refusal {
    match error {
        ClaimsVerificationError::Expired(_) => Refusal::Expired,
        ClaimsVerificationError::InvalidAudience(_) => Refusal::WrongAudience,
        ClaimsVerificationError::InvalidIssuer(_) => Refusal::WrongIssuer,
        ClaimsVerificationError::InvalidNonce(_) => Refusal::NonceMismatch,
        ClaimsVerificationError::InvalidSubject(_) => Refusal::OtherSubject,
        ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey) => {
            Refusal::UnknownKey
        }
        ClaimsVerificationError::SignatureVerification(_) => Refusal::BadSignature,
        _ => Refusal::InvalidToken,
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
