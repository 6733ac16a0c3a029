//! The configured providers, each discovered at first use: its endpoints and signing keys,
//! kept in memory (not state that matters: any process fetches them again). A token signed
//! with a key id the cache lacks makes it fetch the key set once more (key rotation).

use super::settings::ProviderSettings;
use super::verify::{self, Agent, Expected, UserInfoAnswer};
use openidconnect::core::{CoreClient, CoreJsonWebKeySet};
use openidconnect::{
    AccessToken, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl, Scope, UserInfoUrl,
};
use openidconnect::{JsonWebKeySet, OAuth2TokenResponse as _, TokenResponse as _, core::CoreAuthenticationFlow};
use relais_domain::access::openid::Refusal;
use relais_domain::time::Timestamp;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::RwLock;

type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// A provider's metadata and current key set.
#[derive(Clone)]
struct Discovered {
    metadata: ProviderMetadataWithLogout,
    keys: CoreJsonWebKeySet,
}

/// Every configured provider, shared by the handlers.
pub struct Registry {
    providers: Vec<ProviderSettings>,
    http: openidconnect::reqwest::Client,
    discovered: RwLock<HashMap<String, Discovered>>,
}

/// The authorization request to send the browser to, and what the callback will need.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// A token exchange that succeeded: the agent, and the raw ID token kept for the logout hint.
pub struct SignedIn {
    pub agent: Agent,
    pub id_token: String,
}

impl Registry {
    pub fn new(providers: Vec<ProviderSettings>) -> Result<Arc<Self>, String> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects from a token endpoint could leak the code elsewhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| format!("OpenID Connect HTTP client: {e}"))?;
        Ok(Arc::new(Self {
            providers,
            http,
            discovered: RwLock::new(HashMap::new()),
        }))
    }

    pub fn providers(&self) -> &[ProviderSettings] {
        &self.providers
    }

    pub fn provider(&self, id: &str) -> Option<&ProviderSettings> {
        self.providers.iter().find(|p| p.id == id)
    }

    async fn discovered(&self, provider: &ProviderSettings) -> Result<Discovered, Refusal> {
        if let Some(found) = self.discovered.read().await.get(&provider.id) {
            return Ok(found.clone());
        }
        let issuer = IssuerUrl::new(provider.issuer.clone()).map_err(|_| Refusal::Unreachable)?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(provider = %provider.id, error = %e, "OpenID Connect discovery failed");
                Refusal::Unreachable
            })?;
        let found = Discovered {
            keys: metadata.jwks().clone(),
            metadata,
        };
        self.discovered.write().await.insert(provider.id.clone(), found.clone());
        Ok(found)
    }

    fn client(
        provider: &ProviderSettings,
        metadata: &ProviderMetadataWithLogout,
        redirect: &str,
    ) -> Result<Client, Refusal> {
        let redirect = RedirectUrl::new(redirect.to_owned()).map_err(|_| Refusal::Unreachable)?;
        Ok(CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(provider.client_id.clone()),
            Some(ClientSecret::new(provider.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    /// Builds the authorization request: code flow, PKCE (S256), state and nonce.
    pub async fn authorize(&self, provider: &ProviderSettings, redirect: &str) -> Result<Authorization, Refusal> {
        let found = self.discovered(provider).await?;
        let client = Self::client(provider, &found.metadata, redirect)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(provider.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge);
        if let Some(acr) = &provider.acr_values {
            request = request.add_extra_param("acr_values", acr.clone());
        }
        let (url, state, nonce) = request.url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code and checks the ID token; fetches the key set again once when the
    /// token names a key id the cache lacks.
    pub async fn finish(
        &self,
        provider: &ProviderSettings,
        redirect: &str,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
        now: Timestamp,
    ) -> Result<SignedIn, Refusal> {
        let found = self.discovered(provider).await?;
        let client = Self::client(provider, &found.metadata, redirect)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| Refusal::Unreachable)?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(_) => Refusal::CodeRefused,
                openidconnect::RequestTokenError::Parse(_, _) => Refusal::InvalidToken,
                _ => Refusal::Unreachable,
            })?;
        let id_token = response
            .id_token()
            .map(ToString::to_string)
            .ok_or(Refusal::InvalidToken)?;
        let expected = Expected {
            issuer: found.metadata.issuer().as_str(),
            client_id: &provider.client_id,
            nonce,
            now,
        };
        let (agent, keys) = match verify::verify(&id_token, &found.keys, &expected) {
            Err(Refusal::UnknownKey) => {
                let keys = self.refetch_keys(provider, &found).await?;
                (verify::verify(&id_token, &keys, &expected)?, keys)
            }
            other => (other?, found.keys.clone()),
        };
        let agent = match found.metadata.userinfo_endpoint() {
            Some(endpoint) => {
                // A provider that announces signed answers (ProConnect) must send one.
                let signed = found
                    .metadata
                    .userinfo_signing_alg_values_supported()
                    .is_some_and(|algs| !algs.is_empty());
                let answer = self.user_info(endpoint, response.access_token(), signed).await?;
                let profile = verify::verify_user_info(&answer, &keys, &expected, &agent.subject, signed)?;
                agent.completed_by(profile)
            }
            None => agent,
        };
        Ok(SignedIn { agent, id_token })
    }

    /// Asks the userinfo endpoint about the agent the access token was issued for.
    async fn user_info(
        &self,
        endpoint: &UserInfoUrl,
        token: &AccessToken,
        signed: bool,
    ) -> Result<UserInfoAnswer, Refusal> {
        let accept = if signed { "application/jwt" } else { "application/json" };
        let response = self
            .http
            .get(endpoint.url().clone())
            .bearer_auth(token.secret())
            .header("accept", accept)
            .send()
            .await
            .map_err(|_| Refusal::Unreachable)?;
        if !response.status().is_success() {
            return Err(Refusal::Unreachable);
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .to_owned();
        let body = response.bytes().await.map_err(|_| Refusal::Unreachable)?.to_vec();
        Ok(UserInfoAnswer { content_type, body })
    }

    async fn refetch_keys(
        &self,
        provider: &ProviderSettings,
        found: &Discovered,
    ) -> Result<CoreJsonWebKeySet, Refusal> {
        let keys: CoreJsonWebKeySet = JsonWebKeySet::fetch_async(found.metadata.jwks_uri(), &self.http)
            .await
            .map_err(|_| Refusal::Unreachable)?;
        let mut refreshed = found.clone();
        refreshed.keys = keys.clone();
        self.discovered.write().await.insert(provider.id.clone(), refreshed);
        Ok(keys)
    }

    /// The origins a form's answer may redirect to: each provider's issuer, and its
    /// end-session endpoint once discovered (the same origin at ProConnect, not everywhere).
    pub async fn form_targets(&self) -> Vec<String> {
        let discovered = self.discovered.read().await;
        let mut origins: Vec<String> = Vec::new();
        for provider in &self.providers {
            let end_session = discovered
                .get(&provider.id)
                .and_then(|found| found.metadata.additional_metadata().end_session_endpoint.clone())
                .map(|endpoint| endpoint.url().clone());
            let issuer = openidconnect::url::Url::parse(&provider.issuer).ok();
            for url in [issuer, end_session]
                .into_iter()
                .flatten()
                .filter(|u| u.origin().is_tuple())
            {
                let origin = url.origin().ascii_serialization();
                if !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
        }
        origins
    }

    /// Where to send the browser to end the provider's session too, if the provider has an
    /// end-session endpoint.
    pub async fn logout_url(&self, provider: &ProviderSettings, id_token: &str, after: &str) -> Option<String> {
        let found = self.discovered(provider).await.ok()?;
        let endpoint = found.metadata.additional_metadata().end_session_endpoint.clone()?;
        let hint: verify::AgentIdToken = id_token.parse().ok()?;
        let after = openidconnect::PostLogoutRedirectUrl::new(after.to_owned()).ok()?;
        Some(
            openidconnect::LogoutRequest::from(endpoint)
                .set_id_token_hint(&hint)
                .set_client_id(ClientId::new(provider.client_id.clone()))
                .set_post_logout_redirect_uri(after)
                .http_get_url()
                .to_string(),
        )
    }
}
