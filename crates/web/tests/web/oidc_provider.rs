//! A real OpenID Connect provider (the npm package `oidc-provider`, web/tests/oidc/provider.mjs)
//! in a child process on loopback, and a client that signs an agent in through it.

use super::harness::{TestApp, location};
use relais_web::OidcProvider;
use std::process::Stdio;
use tokio::io::AsyncBufReadExt;

pub const ACCEPTED_ACR: &str = "https://proconnect.gouv.fr/assurance/self-asserted-2fa";

pub struct Provider {
    pub issuer: String,
    _child: tokio::process::Child,
}

impl Provider {
    /// Starts the provider for a Relais reached at `relais`, with `accounts` (login → claims).
    /// Fails loudly when node or the package is missing: `make test` installs them.
    pub async fn start(relais: &str, accounts: serde_json::Value) -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/tests/oidc/provider.mjs");
        let options = serde_json::json!({
            "redirectUri": format!("{relais}/login/oidc/callback"),
            "postLogoutRedirectUri": format!("{relais}/login?done=logged-out"),
            "accounts": accounts,
        });
        let mut child = tokio::process::Command::new("node")
            .arg(script)
            .arg(options.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node must be installed to run the OpenID Connect tests (make test installs it)");
        let stdout = child.stdout.take().unwrap();
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("the provider prints its issuer; run scripts/assets.sh (npm ci in web/) first");
        let started: serde_json::Value = serde_json::from_str(&line).unwrap();
        Self {
            issuer: started["issuer"].as_str().unwrap().to_owned(),
            _child: child,
        }
    }

    /// The settings Relais is given for this provider.
    pub fn settings(&self) -> OidcProvider {
        OidcProvider {
            id: "proconnect".into(),
            label: "ProConnect".into(),
            issuer: self.issuer.clone(),
            client_id: "relais".into(),
            client_secret: "relais-test-secret".into(),
            scopes: ["email", "profile", "siret"].map(str::to_owned).to_vec(),
            accepted_acr: vec![ACCEPTED_ACR.into()],
            acr_values: None,
        }
    }

    /// Makes the token endpoint answer with an ID token Relais must refuse (or `normal`).
    pub async fn set_mode(&self, mode: &str) {
        let response = reqwest::Client::new()
            .post(format!("{}/_test/mode", self.issuer))
            .body(mode.to_owned())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 204);
    }

    /// From Relais's "sign in with" link to the provider's redirection back, typing `login` on
    /// the provider's sign-in form: the callback URL, not yet followed.
    pub async fn callback(&self, app: &TestApp, client: &reqwest::Client, login: &str) -> String {
        let mut url = app.url("/login/oidc/proconnect?next=/dashboard");
        for _ in 0..10 {
            let response = client.get(&url).send().await.unwrap();
            url = match response.status().as_u16() {
                302 | 303 => self.absolute(&location(&response)),
                200 => {
                    // The provider's sign-in form.
                    let response = client
                        .post(&url)
                        .form(&[("prompt", "login"), ("login", login), ("password", "any")])
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status().as_u16(), 303, "the provider's sign-in form");
                    self.absolute(&location(&response))
                }
                other => panic!("unexpected {other} at {url}"),
            };
            if url.starts_with(&app.url("/login/oidc/callback")) {
                return url;
            }
        }
        panic!("the sign-in never came back to Relais");
    }

    /// The whole sign-in: the callback's response.
    pub async fn sign_in(&self, app: &TestApp, client: &reqwest::Client, login: &str) -> reqwest::Response {
        let callback = self.callback(app, client, login).await;
        client.get(&callback).send().await.unwrap()
    }

    fn absolute(&self, location: &str) -> String {
        if location.starts_with('/') {
            format!("{}{location}", self.issuer)
        } else {
            location.to_owned()
        }
    }
}
