//! Each refusal of an ID token, with tokens signed by real RSA keys.

use super::*;
use openidconnect::core::{CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{
    Audience, AuthenticationContextClass, EndUserEmail, IdTokenClaims, JsonWebKeyId, PrivateSigningKey, StandardClaims,
    SubjectIdentifier,
};

const PROVIDER_KEY: &str = include_str!("testdata/provider-key.pem");
const FORGER_KEY: &str = include_str!("testdata/forger-key.pem");
const ISSUER: &str = "https://provider.test";
const NOW: i64 = 1_800_000_000;

fn key(pem: &str, kid: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.to_owned()))).unwrap()
}

fn provider_keys() -> CoreJsonWebKeySet {
    CoreJsonWebKeySet::new(vec![key(PROVIDER_KEY, "k1").as_verification_key()])
}

struct Token {
    issuer: &'static str,
    audience: &'static str,
    expires: i64,
    nonce: &'static str,
}

impl Default for Token {
    fn default() -> Self {
        Self {
            issuer: ISSUER,
            audience: "relais",
            expires: NOW + 300,
            nonce: "nonce-1",
        }
    }
}

impl Token {
    fn signed_by(&self, key: &CoreRsaPrivateSigningKey) -> String {
        let standard = StandardClaims::new(SubjectIdentifier::new("agent-1".into()))
            .set_email(Some(EndUserEmail::new("agent@interieur.gouv.fr".into())));
        let claims = IdTokenClaims::new(
            IssuerUrl::new(self.issuer.into()).unwrap(),
            vec![Audience::new(self.audience.into())],
            chrono::DateTime::from_timestamp(self.expires, 0).unwrap(),
            chrono::DateTime::from_timestamp(NOW - 10, 0).unwrap(),
            standard,
            AgentClaims {
                siret: Some("13002526500013".into()),
                usual_name: Some("Martin".into()),
            },
        )
        .set_nonce(Some(Nonce::new(self.nonce.into())))
        .set_auth_context_ref(Some(AuthenticationContextClass::new("eidas1".into())));
        AgentIdToken::new(claims, key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None)
            .unwrap()
            .to_string()
    }

    fn signed(&self) -> String {
        self.signed_by(&key(PROVIDER_KEY, "k1"))
    }
}

fn expected() -> Expected<'static> {
    Expected {
        issuer: ISSUER,
        client_id: "relais",
        nonce: "nonce-1",
        now: Timestamp(NOW),
    }
}

#[test]
fn a_good_token_gives_the_agent() {
    let agent = verify(&Token::default().signed(), &provider_keys(), &expected()).unwrap();
    assert_eq!(agent.subject, "agent-1");
    assert_eq!(agent.email.unwrap().as_str(), "agent@interieur.gouv.fr");
    assert_eq!(agent.siret.unwrap().as_str(), "13002526500013");
    assert_eq!(agent.display_name, "Martin");
    assert_eq!(agent.acr.as_deref(), Some("eidas1"));
}

#[test]
fn wrong_issuer_is_refused() {
    let token = Token {
        issuer: "https://other.test",
        ..Token::default()
    };
    assert_eq!(
        verify(&token.signed(), &provider_keys(), &expected()).unwrap_err(),
        Refusal::WrongIssuer
    );
}

#[test]
fn wrong_audience_is_refused() {
    let token = Token {
        audience: "another-service",
        ..Token::default()
    };
    assert_eq!(
        verify(&token.signed(), &provider_keys(), &expected()).unwrap_err(),
        Refusal::WrongAudience
    );
}

#[test]
fn expired_token_is_refused() {
    let token = Token {
        expires: NOW - 1,
        ..Token::default()
    };
    assert_eq!(
        verify(&token.signed(), &provider_keys(), &expected()).unwrap_err(),
        Refusal::Expired
    );
}

#[test]
fn bad_signature_is_refused() {
    let forged = Token::default().signed_by(&key(FORGER_KEY, "k1"));
    assert_eq!(
        verify(&forged, &provider_keys(), &expected()).unwrap_err(),
        Refusal::BadSignature
    );
}

#[test]
fn another_sign_in_nonce_is_refused() {
    let token = Token {
        nonce: "nonce-of-an-earlier-sign-in",
        ..Token::default()
    };
    assert_eq!(
        verify(&token.signed(), &provider_keys(), &expected()).unwrap_err(),
        Refusal::NonceMismatch
    );
}

#[test]
fn unknown_key_id_asks_for_the_key_set_again() {
    let rotated = Token::default().signed_by(&key(PROVIDER_KEY, "k2"));
    assert_eq!(
        verify(&rotated, &provider_keys(), &expected()).unwrap_err(),
        Refusal::UnknownKey
    );
    let refreshed = CoreJsonWebKeySet::new(vec![key(PROVIDER_KEY, "k2").as_verification_key()]);
    assert!(verify(&rotated, &refreshed, &expected()).is_ok());
}

#[test]
fn garbage_is_refused() {
    assert_eq!(
        verify("not.a.token", &provider_keys(), &expected()).unwrap_err(),
        Refusal::InvalidToken
    );
}
