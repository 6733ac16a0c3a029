//! Sign-in through a real OpenID Connect provider (issue 18, parts 1 and 2; ADR 0051): the
//! known agent matched by e-mail and SIRET, the unknown agent's access request approved by the
//! administrator, each refused token, a replayed callback, logout at the provider, and the
//! organisation that turns password sign-in off.

use super::harness::{PASSWORD, TestApp, location};
use super::oidc_provider::{ACCEPTED_ACR, Provider};
use relais_store::testing::{execute_raw, texts};

const SIRET: &str = "13002526500013";

/// The provider's clock is the real one: the app's moves to it (tokens carry real times).
#[allow(
    clippy::disallowed_methods,
    reason = "the provider in the other process reads the system clock"
)]
fn real_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// An app process configured with the provider, which knows the responder (same e-mail and
/// organisation SIRET, second factor done) and an agent Relais does not know.
async fn with_provider(app: &TestApp) -> (TestApp, Provider) {
    app.clock.advance(real_now() - app.clock.now().0);
    execute_raw(
        &app.store,
        &format!(
            "UPDATE organisations SET siret = '{SIRET}' WHERE id = '{}'",
            app.organisation.as_str()
        ),
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let relais = format!("http://{}", listener.local_addr().unwrap());
    let provider = Provider::start(
        &relais,
        serde_json::json!({
            "known": {"email": "responder@relais.test", "given_name": "Rémi", "usual_name": "Répondant",
                      "siret": SIRET, "acr": ACCEPTED_ACR},
            "newcomer": {"email": "nouvelle@interieur.gouv.fr", "given_name": "Nora", "usual_name": "Nouvelle",
                         "siret": SIRET, "acr": "eidas1"},
        }),
    )
    .await;
    let settings = provider.settings();
    let process = app
        .process_on(listener, move |s| s.oidc_providers = vec![settings])
        .await;
    (process, provider)
}

async fn audited(app: &TestApp, action: &str) -> Vec<String> {
    texts(
        &app.store,
        &format!("SELECT COALESCE(reason, '') FROM audit_log WHERE action = '{action}' ORDER BY seq"),
    )
    .await
    .unwrap()
}

pub async fn a_known_agent_signs_in_through_the_provider_and_out_there(app: &TestApp) {
    let (relais, provider) = with_provider(app).await;
    let (_, login) = relais.get(&relais.client(), "/login").await;
    assert!(
        login.contains("S’identifier avec") && login.contains("ProConnect"),
        "{login}"
    );

    let client = relais.client();
    let response = provider.sign_in(&relais, &client, "known").await;
    assert_eq!(response.status().as_u16(), 303);
    // The provider's second factor counts: no local code is asked.
    assert_eq!(location(&response), "/dashboard");
    let (status, _) = relais.get(&client, "/dashboard").await;
    assert_eq!(status, 200);
    assert_eq!(audited(app, "auth.oidc_linked").await, vec!["proconnect"]);

    // Signing out ends the provider's session too, with the ID token as the hint.
    let response = relais.submit(&client, "/dashboard", "/logout", &[]).await;
    let to = location(&response);
    assert!(to.starts_with(&format!("{}/session/end?", provider.issuer)), "{to}");
    assert!(to.contains("id_token_hint="), "{to}");
    let (status, _) = relais.get(&client, "/dashboard").await;
    assert_eq!(status, 303, "signed out here");

    // Next time the link is known: no new link is recorded.
    let client = relais.client();
    let response = provider.sign_in(&relais, &client, "known").await;
    assert_eq!(location(&response), "/dashboard");
    assert_eq!(audited(app, "auth.oidc_linked").await.len(), 1);
}

pub async fn an_unknown_agent_gets_an_access_request_the_administrator_approves(app: &TestApp) {
    let (relais, provider) = with_provider(app).await;
    let client = relais.client();
    let response = provider.sign_in(&relais, &client, "newcomer").await;
    assert_eq!(location(&response), "/login/oidc/requested");
    let (status, page) = relais.get(&client, "/login/oidc/requested").await;
    assert_eq!(status, 200);
    assert!(page.contains("Votre demande a été transmise"), "{page}");
    let accounts = texts(
        &app.store,
        "SELECT id FROM users WHERE email = 'nouvelle@interieur.gouv.fr'",
    )
    .await
    .unwrap();
    assert!(accounts.is_empty(), "never an account created silently");

    let admin = relais.sign_in(&app.admin).await;
    let (status, page) = relais.get(&admin, "/admin/access-requests").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("nouvelle@interieur.gouv.fr") && page.contains("Nora Nouvelle"),
        "{page}"
    );
    let id = texts(&app.store, "SELECT id FROM access_requests WHERE status = 'pending'")
        .await
        .unwrap()
        .remove(0);
    let response = relais
        .submit(
            &admin,
            "/admin/access-requests",
            &format!("/admin/access-requests/{id}/approve"),
            &[("decision", "create"), ("role", "first-responder")],
        )
        .await;
    assert_eq!(
        location(&response),
        "/admin/access-requests?done=access-request-approved"
    );
    assert_eq!(audited(app, "access_request.approve").await.len(), 1);
    let setup_links = texts(
        &app.store,
        "SELECT t.user_id FROM setup_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'nouvelle@interieur.gouv.fr'",
    )
    .await
    .unwrap();
    assert!(
        setup_links.is_empty(),
        "no password link for an agent who signs in through the provider"
    );

    // Approved: the agent signs in. The provider's acr is not an accepted second factor and the
    // role sees personal data, so the local authenticator is set up first.
    let client = relais.client();
    let response = provider.sign_in(&relais, &client, "newcomer").await;
    assert_eq!(location(&response), "/account/mfa?next=%2Fdashboard");
}

pub async fn refused_tokens_and_replays_are_refused_in_french_and_audited(app: &TestApp) {
    let (relais, provider) = with_provider(app).await;
    // A normal sign-in first: its ID token is the one the provider replays.
    let response = provider.sign_in(&relais, &relais.client(), "known").await;
    assert_eq!(location(&response), "/dashboard");
    for (mode, reason, words) in [
        ("wrong-audience", "wrong-audience", "n’était pas destiné à Relais"),
        ("expired", "expired", "a expiré"),
        (
            "bad-signature",
            "bad-signature",
            "La signature du jeton d’identité n’est pas valide",
        ),
        (
            "replay",
            "nonce-mismatch",
            "appartient à une autre tentative de connexion",
        ),
        (
            "userinfo-other-subject",
            "other-subject",
            "concernent une autre personne que le jeton d’identité",
        ),
        (
            "userinfo-bad-signature",
            "bad-signature",
            "La signature du jeton d’identité n’est pas valide",
        ),
    ] {
        provider.set_mode(mode).await;
        let client = relais.client();
        let response = provider.sign_in(&relais, &client, "known").await;
        assert_eq!(response.status().as_u16(), 403, "{mode}");
        let page = response.text().await.unwrap();
        assert!(page.contains(words), "{mode}: {page}");
        let (status, _) = relais.get(&client, "/dashboard").await;
        assert_eq!(status, 303, "{mode}: no session");
        let reasons = audited(app, "auth.oidc_refused").await;
        assert_eq!(
            reasons.last().map(String::as_str),
            Some(format!("proconnect {reason}").as_str())
        );
    }
    provider.set_mode("normal").await;

    // The same callback twice: the sign-in under way was consumed by the first.
    let client = relais.client();
    let callback = provider.callback(&relais, &client, "known").await;
    let first = client.get(&callback).send().await.unwrap();
    assert_eq!(first.status().as_u16(), 303);
    let again = relais.client().get(&callback).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 403);
    assert!(again.text().await.unwrap().contains("a expiré ou a déjà servi"));
}

pub async fn a_rotated_provider_key_is_fetched_again(app: &TestApp) {
    let (relais, provider) = with_provider(app).await;
    // The first sign-in caches the provider's keys; then the provider signs with a new one.
    let response = provider.sign_in(&relais, &relais.client(), "known").await;
    assert_eq!(location(&response), "/dashboard");
    provider.set_mode("rotated").await;
    let response = provider.sign_in(&relais, &relais.client(), "known").await;
    assert_eq!(location(&response), "/dashboard", "the new key is fetched, not refused");
    assert!(audited(app, "auth.oidc_refused").await.is_empty());
}

pub async fn an_organisation_turns_password_sign_in_off(app: &TestApp) {
    let (relais, _provider) = with_provider(app).await;
    let admin = relais.sign_in(&app.admin).await;
    let response = relais
        .submit(
            &admin,
            "/admin/sign-in",
            "/admin/sign-in",
            &[("siret", "130 025 265 00013")],
        )
        .await;
    assert_eq!(location(&response), "/admin/sign-in?done=organisation-updated");
    assert_eq!(audited(app, "organisation.sign_in_change").await, vec!["password-off"]);

    let client = relais.client();
    let response = relais
        .submit(
            &client,
            "/login",
            "/login",
            &[("email", app.responder.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("identifiez-vous avec ProConnect")
    );

    let response = relais
        .submit(&admin, "/admin/sign-in", "/admin/sign-in", &[("siret", "123")])
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains("14 chiffres"));
}
