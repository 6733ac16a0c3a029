//! The public signalement, as an anonymous visitor sees it.

use super::harness::TestApp;

const DESCRIPTION: &str = "Des ouvriers enfermés la nuit dans un hangar";

fn between<'a>(html: &'a str, start: &str) -> &'a str {
    let from = html.find(start).map(|i| i + start.len()).expect("marker present");
    html[from..].split('<').next().unwrap()
}

async fn count_public(app: &TestApp) -> u64 {
    relais_store::testing::execute_raw(&app.store, "UPDATE referrals SET step = step WHERE kind = 'public'")
        .await
        .unwrap()
}

/// Files a signalement; returns (code, passphrase).
pub async fn file(app: &TestApp, client: &reqwest::Client) -> (String, String) {
    let response = app
        .submit(
            client,
            "/signalement",
            "/signalement",
            &[
                ("description", DESCRIPTION),
                ("departement", "59"),
                ("place", "Zone portuaire"),
                ("minor", "unknown"),
                ("forms", "labour"),
                ("forms", "sexual"),
                ("danger", "yes"),
                ("website", ""),
            ],
        )
        .await;
    let html = confirmation(app, client, response).await;
    assert!(html.contains("Signalement envoyé"), "{html}");
    (
        between(&html, "id=\"followup-code\">").to_owned(),
        between(&html, "id=\"followup-passphrase\">").to_owned(),
    )
}

/// Sending the form redirects to the confirmation page: its HTML.
async fn confirmation(app: &TestApp, client: &reqwest::Client, sent: reqwest::Response) -> String {
    assert_eq!(sent.status().as_u16(), 303);
    assert_eq!(super::harness::location(&sent), "/signalement/envoye");
    let response = client.get(app.url("/signalement/envoye")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    response.text().await.unwrap()
}

pub async fn anonymous_signalement_shows_code_and_passphrase_once(app: &TestApp) {
    let (status, landing) = app.get(&app.client(), "/").await;
    assert_eq!(status, 200);
    assert!(landing.contains("href=\"/signalement\"") && landing.contains("Signaler une situation"));
    let client = app.client();
    let (status, form) = app.get(&client, "/signalement").await;
    assert_eq!(status, 200);
    assert!(form.contains("class=\"relais-honeypot\" aria-hidden=\"true\""));
    assert!(form.contains("name=\"website\" tabindex=\"-1\" autocomplete=\"off\""));
    let response = app
        .submit(
            &client,
            "/signalement",
            "/signalement",
            &[("description", DESCRIPTION), ("minor", "yes")],
        )
        .await;
    let html = confirmation(app, &client, response).await;
    let code = between(&html, "id=\"followup-code\">");
    let passphrase = between(&html, "id=\"followup-passphrase\">");
    assert!(code.starts_with("SG-") && code.len() == 17, "{code}");
    assert_eq!(passphrase.len(), 19, "{passphrase}");
    assert!(!html.contains(DESCRIPTION), "the content is not shown back");
    assert_eq!(count_public(app).await, 1);
    let (_, again) = app.get(&client, "/signalement/suivi").await;
    assert!(!again.contains(passphrase), "shown once only");
}

pub async fn signalement_honeypot_looks_like_success_but_stores_nothing(app: &TestApp) {
    let client = app.client();
    let response = app
        .submit(
            &client,
            "/signalement",
            "/signalement",
            &[("description", DESCRIPTION), ("website", "https://spam.example")],
        )
        .await;
    let html = confirmation(app, &client, response).await;
    assert!(html.contains("Signalement envoyé"));
    let code = between(&html, "id=\"followup-code\">").to_owned();
    assert!(code.starts_with("SG-"));
    assert_eq!(count_public(app).await, 0, "nothing stored");
    // Robots do not use up the address's quota.
    for _ in 0..5 {
        file(app, &client).await;
    }
}

pub async fn signalement_without_description_keeps_what_was_typed(app: &TestApp) {
    let client = app.client();
    let response = app
        .submit(
            &client,
            "/signalement",
            "/signalement",
            &[
                ("description", "  "),
                ("place", "Rue des Lilas"),
                ("forms", "labour"),
                ("departement", "2A"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Ce champ est obligatoire."));
    assert!(html.contains("href=\"#description\""), "summary links to the field");
    assert!(html.contains("value=\"Rue des Lilas\""));
    assert!(html.contains("value=\"labour\" checked"));
    assert!(html.contains("value=\"2A\" selected"));
    let long = "x".repeat(301);
    let response = app
        .submit(
            &client,
            "/signalement",
            "/signalement",
            &[("description", DESCRIPTION), ("place", &long)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("300 caractères au plus"), "{html}");
    assert!(html.contains(DESCRIPTION), "the description typed is kept");
    assert_eq!(count_public(app).await, 0);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "en".parse().unwrap());
    let english = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = app
        .submit(&english, "/signalement", "/signalement", &[("description", "")])
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains("This field is required."));
}

pub async fn signalement_follow_up_shows_status_and_takes_more_information(app: &TestApp) {
    let client = app.client();
    let (code, passphrase) = file(app, &client).await;
    let other = app.client();
    let wrong = app
        .submit(
            &other,
            "/signalement/suivi",
            "/signalement/suivi",
            &[("code", &code), ("passphrase", "AAAA-BBBB-CCCC-DDDD")],
        )
        .await;
    assert_eq!(wrong.status().as_u16(), 422);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("Code de suivi ou phrase secrète incorrect."));
    assert!(!html.contains("AAAA-BBBB"), "the passphrase typed is not sent back");
    let right = app
        .submit(
            &other,
            "/signalement/suivi",
            "/signalement/suivi",
            &[("code", &code.to_lowercase()), ("passphrase", &passphrase)],
        )
        .await;
    assert_eq!(right.status().as_u16(), 200);
    assert_eq!(right.headers().get("cache-control").unwrap(), "no-store");
    let html = right.text().await.unwrap();
    assert!(html.contains("id=\"followup-status\">Reçu, en attente d"), "{html}");
    assert!(
        !html.contains(DESCRIPTION),
        "the content is not shown on a possibly shared device"
    );
    assert!(html.contains("action=\"/signalement/suivi/complement\""));
    let empty = app
        .submit(
            &other,
            "/signalement/suivi",
            "/signalement/suivi/complement",
            &[("code", &code), ("passphrase", &passphrase), ("complement", " ")],
        )
        .await;
    assert_eq!(empty.status().as_u16(), 422);
    assert!(empty.text().await.unwrap().contains("Ce champ est obligatoire."));
    let added = app
        .submit(
            &other,
            "/signalement/suivi",
            "/signalement/suivi/complement",
            &[
                ("code", &code),
                ("passphrase", &passphrase),
                ("complement", "Ils ont été déplacés"),
            ],
        )
        .await;
    assert_eq!(added.status().as_u16(), 200);
    let html = added.text().await.unwrap();
    assert!(html.contains("Vos informations ont été ajoutées"));
    assert!(!html.contains("Ils ont été déplacés"));
    let stored = relais_store::testing::execute_raw(
        &app.store,
        "UPDATE referral_messages SET id = id WHERE author_kind = 'reporter'",
    )
    .await
    .unwrap();
    assert_eq!(stored, 1);
    // Once decided, nothing more can be added.
    relais_store::testing::execute_raw(
        &app.store,
        "UPDATE referrals SET status = 'rejected' WHERE kind = 'public'",
    )
    .await
    .unwrap();
    let refused = app
        .submit(
            &other,
            "/signalement/suivi",
            "/signalement/suivi/complement",
            &[("code", &code), ("passphrase", &passphrase), ("complement", "Encore")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 409);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Non retenu") && html.contains("déjà pris sa décision"));
}

pub async fn signalements_are_throttled_per_address(app: &TestApp) {
    let client = app.client();
    for _ in 0..5 {
        file(app, &client).await;
    }
    let blocked = app
        .submit(&client, "/signalement", "/signalement", &[("description", DESCRIPTION)])
        .await;
    assert_eq!(blocked.status().as_u16(), 429);
    let html = blocked.text().await.unwrap();
    assert!(html.contains("Trop de tentatives"));
    assert!(html.contains(DESCRIPTION), "what was typed is kept");
    assert_eq!(count_public(app).await, 5);
    app.clock.advance(61 * 60);
    file(app, &client).await;
    // Follow-up guesses from one address are limited too.
    let guesser = app.client();
    let mut last = 0;
    for _ in 0..21 {
        last = app
            .submit(
                &guesser,
                "/signalement/suivi",
                "/signalement/suivi",
                &[("code", "SG-0000-0000-0000"), ("passphrase", "AAAA-BBBB-CCCC-DDDD")],
            )
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
}
