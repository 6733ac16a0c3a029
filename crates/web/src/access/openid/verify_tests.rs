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
    assert_eq!(agent.profile.email.clone().unwrap().as_str(), "agent@interieur.gouv.fr");
    assert_eq!(agent.profile.siret.clone().unwrap().as_str(), "13002526500013");
    assert_eq!(agent.display_name(), "Martin");
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

/// A userinfo answer as ProConnect sends it: a JWT signed by the provider for Relais.
struct Info {
    subject: &'static str,
    audience: &'static str,
}

impl Default for Info {
    fn default() -> Self {
        Self {
            subject: "agent-1",
            audience: "relais",
        }
    }
}

impl Info {
    fn claims(&self) -> AgentUserInfo {
        let standard = StandardClaims::new(SubjectIdentifier::new(self.subject.into()))
            .set_email(Some(EndUserEmail::new("camille.martin@interieur.gouv.fr".into())))
            .set_given_name(Some(openidconnect::EndUserGivenName::new("Camille".into()).into()));
        AgentUserInfo::new(
            standard,
            AgentClaims {
                siret: Some("13002526500013".into()),
                usual_name: Some("Martin".into()),
            },
        )
        .set_issuer(Some(IssuerUrl::new(ISSUER.into()).unwrap()))
        .set_audiences(Some(vec![Audience::new(self.audience.into())]))
    }

    fn signed_by(&self, key: &CoreRsaPrivateSigningKey) -> UserInfoAnswer {
        let token = AgentUserInfoToken::new(self.claims(), key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256).unwrap();
        let serde_json::Value::String(jwt) = serde_json::to_value(&token).unwrap() else {
            panic!("a JWT serialises to a string");
        };
        UserInfoAnswer {
            content_type: "application/jwt; charset=utf-8".into(),
            body: jwt.into_bytes(),
        }
    }

    fn signed(&self) -> UserInfoAnswer {
        self.signed_by(&key(PROVIDER_KEY, "k1"))
    }

    fn plain(&self) -> UserInfoAnswer {
        UserInfoAnswer {
            content_type: "application/json".into(),
            body: serde_json::to_vec(&self.claims()).unwrap(),
        }
    }
}

fn user_info(answer: &UserInfoAnswer, signed_required: bool) -> Result<Profile, Refusal> {
    verify_user_info(answer, &provider_keys(), &expected(), "agent-1", signed_required)
}

#[test]
fn a_signed_user_info_completes_the_agent() {
    let token_only = Agent {
        subject: "agent-1".into(),
        profile: Profile::default(),
        acr: Some("eidas1".into()),
        amr: Vec::new(),
    };
    assert_eq!(token_only.display_name(), "");
    let agent = token_only.completed_by(user_info(&Info::default().signed(), true).unwrap());
    assert_eq!(
        agent.profile.email.as_ref().map(Email::as_str),
        Some("camille.martin@interieur.gouv.fr")
    );
    assert_eq!(agent.profile.siret.as_ref().map(Siret::as_str), Some("13002526500013"));
    assert_eq!(agent.display_name(), "Camille Martin");
    assert_eq!(agent.acr.as_deref(), Some("eidas1"));
}

#[test]
fn a_user_info_about_another_agent_is_refused() {
    let other = Info {
        subject: "agent-2",
        ..Info::default()
    };
    assert_eq!(user_info(&other.signed(), true).unwrap_err(), Refusal::OtherSubject);
    assert_eq!(user_info(&other.plain(), false).unwrap_err(), Refusal::OtherSubject);
}

#[test]
fn a_forged_or_misaddressed_user_info_is_refused() {
    let forged = Info::default().signed_by(&key(FORGER_KEY, "k1"));
    assert_eq!(user_info(&forged, true).unwrap_err(), Refusal::BadSignature);
    let elsewhere = Info {
        audience: "another-service",
        ..Info::default()
    };
    assert_eq!(
        user_info(&elsewhere.signed(), true).unwrap_err(),
        Refusal::WrongAudience
    );
}

#[test]
fn an_unsigned_user_info_is_taken_only_where_none_is_announced() {
    assert_eq!(
        user_info(&Info::default().plain(), true).unwrap_err(),
        Refusal::BadSignature
    );
    let profile = user_info(&Info::default().plain(), false).unwrap();
    assert_eq!(profile.family_name.as_deref(), Some("Martin"));
    let garbage = UserInfoAnswer {
        content_type: "text/html".into(),
        body: b"<p>maintenance</p>".to_vec(),
    };
    assert_eq!(user_info(&garbage, false).unwrap_err(), Refusal::InvalidToken);
}
