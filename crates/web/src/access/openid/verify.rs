//! The ID token checks: issuer, audience, expiry, signature by one of the provider's keys,
//! nonce of this sign-in. Pure: the keys and the time are given.

use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AdditionalClaims, ClaimsVerificationError, ClientId, IdToken, IdTokenVerifier, IssuerUrl, Nonce,
    SignatureVerificationError,
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

/// What a sign-in must match.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub now: Timestamp,
}

/// The agent a verified token describes.
#[derive(Debug, Clone)]
pub struct Agent {
    pub subject: String,
    pub email: Option<Email>,
    pub display_name: String,
    pub siret: Option<Siret>,
    pub acr: Option<String>,
    pub amr: Vec<String>,
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
    let name = |claim: Option<&openidconnect::LocalizedClaim<_>>| {
        claim
            .and_then(|c| c.get(None))
            .map(|n: &openidconnect::EndUserGivenName| n.as_str().to_owned())
    };
    let given = name(claims.given_name());
    let family = claims.additional_claims().usual_name.clone().or_else(|| {
        claims
            .family_name()
            .and_then(|c| c.get(None))
            .map(|n| n.as_str().to_owned())
    });
    let email = claims.email().and_then(|e| Email::parse(e.as_str()).ok());
    let display_name = [given, family].into_iter().flatten().collect::<Vec<_>>().join(" ");
    Ok(Agent {
        subject: claims.subject().as_str().to_owned(),
        display_name: if display_name.is_empty() {
            email.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default()
        } else {
            display_name
        },
        email,
        siret: claims.additional_claims().siret.as_deref().and_then(Siret::parse),
        acr: claims.auth_context_ref().map(|a| a.as_str().to_owned()),
        amr: claims
            .auth_method_refs()
            .map(|refs| refs.iter().map(|r| r.as_str().to_owned()).collect())
            .unwrap_or_default(),
    })
}

fn refusal(error: ClaimsVerificationError) -> Refusal {
    match error {
        ClaimsVerificationError::Expired(_) => Refusal::Expired,
        ClaimsVerificationError::InvalidAudience(_) => Refusal::WrongAudience,
        ClaimsVerificationError::InvalidIssuer(_) => Refusal::WrongIssuer,
        ClaimsVerificationError::InvalidNonce(_) => Refusal::NonceMismatch,
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
