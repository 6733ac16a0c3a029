//! A provider as configured (`[[oidc_providers]]` in the configuration file).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One OpenID Connect provider Relais accepts agents from.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProviderSettings {
    /// A short identifier used in Relais's paths and the audit trail, e.g. `proconnect`.
    pub id: String,
    /// The name the sign-in button shows after « S'identifier avec ».
    pub label: String,
    /// The issuer URL; its `/.well-known/openid-configuration` is read at first use.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Scopes asked besides `openid`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// `acr` values whose authentication counts as Relais's second factor.
    #[serde(default)]
    pub accepted_acr: Vec<String>,
    /// `acr_values` sent with the authorization request, if the provider wants one.
    #[serde(default)]
    pub acr_values: Option<String>,
}

fn default_scopes() -> Vec<String> {
    ["email", "given_name", "usual_name", "siret"]
        .map(str::to_owned)
        .to_vec()
}

impl ProviderSettings {
    /// Whether the identifier can appear in a path as it is.
    pub fn valid_id(&self) -> bool {
        !self.id.is_empty()
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }
}

// The client secret never reaches a log.
impl fmt::Debug for ProviderSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderSettings")
            .field("id", &self.id)
            .field("label", &self.label)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("scopes", &self.scopes)
            .field("accepted_acr", &self.accepted_acr)
            .field("acr_values", &self.acr_values)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let settings = ProviderSettings {
            id: "proconnect".into(),
            label: "ProConnect".into(),
            issuer: "https://auth.example".into(),
            client_id: "relais".into(),
            client_secret: "very-secret-value".into(),
            scopes: default_scopes(),
            accepted_acr: Vec::new(),
            acr_values: None,
        };
        assert!(!format!("{settings:?}").contains("very-secret-value"));
        assert!(settings.valid_id());
    }
}
