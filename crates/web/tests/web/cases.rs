//! What a person (or an attacker) sees, on every backend.

use super::harness::{PASSWORD, TestApp, csrf_of, location};
use relais_domain::access::role::Role;
use relais_store::audit::{self, Verification};
use relais_web::{Access, route_table};

pub async fn login_page_is_french_dsfr_with_security_headers(app: &TestApp) {
    let response = app.client().get(app.url("/login")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let csp = response
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(response.headers().get("x-frame-options").unwrap(), "DENY");
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    assert!(response.headers().get("x-request-id").is_some());
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"fr\""));
    assert!(html.contains("/assets/dsfr/dsfr.min.css"));
    assert!(html.contains("Connexion à Relais"));
    assert!(!html.contains("<script>"), "no inline script");
    let css = app
        .client()
        .get(app.url("/assets/dsfr/dsfr.min.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status().as_u16(), 200);
    assert!(
        css.headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

pub async fn english_is_chosen_from_accept_language_and_switch(app: &TestApp) {
    let client = app.client();
    let html = client
        .get(app.url("/login"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\"") && html.contains("Sign in to Relais"));
    let response = app
        .submit(&client, "/login", "/language", &[("lang", "en"), ("next", "/login")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = app.get(&client, "/login").await;
    assert!(
        html.contains("Sign in to Relais"),
        "the cookie keeps English without Accept-Language"
    );
}

pub async fn wrong_password_keeps_the_email_and_says_why(app: &TestApp) {
    let client = app.client();
    let response = app
        .submit(
            &client,
            "/login",
            "/login",
            &[("email", "responder@relais.test"), ("password", "not the password")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Adresse électronique ou mot de passe incorrect."));
    assert!(
        html.contains("value=\"responder@relais.test\""),
        "the e-mail typed is kept"
    );
    assert!(!html.contains("not the password"), "the password is never sent back");
    let unknown = app
        .submit(
            &client,
            "/login",
            "/login",
            &[("email", "nobody@relais.test"), ("password", "x")],
        )
        .await;
    assert_eq!(unknown.status().as_u16(), 422, "unknown accounts look the same");
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("Adresse électronique ou mot de passe incorrect.")
    );
}

pub async fn missing_csrf_token_is_refused_with_a_clear_page(app: &TestApp) {
    let client = app.client();
    app.get(&client, "/login").await;
    let response = client
        .post(app.url("/login"))
        .form(&[("email", "responder@relais.test"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let html = response.text().await.unwrap();
    assert!(html.contains("Formulaire expiré"));
    let forged = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", "0".repeat(64).as_str()),
            ("email", "responder@relais.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
}

pub async fn unknown_page_shows_request_id_and_nothing_internal(app: &TestApp) {
    let response = app.client().get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let id = response
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    assert!(html.contains("Page introuvable"));
    assert!(html.contains(&id), "the page shows the request id");
    assert!(!html.to_lowercase().contains("panicked") && !html.contains("sqlx"));
}

pub async fn login_with_totp_rotates_the_session(app: &TestApp) {
    let client = app.client();
    let response = app
        .submit(
            &client,
            "/login",
            "/login",
            &[
                ("email", "responder@relais.test"),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(location(&response).starts_with("/login/mfa"));
    let first_cookie = response
        .cookies()
        .find(|c| c.name() == "relais_session")
        .unwrap()
        .value()
        .to_owned();
    let (status, _) = app.get(&client, "/dashboard").await;
    assert_eq!(status, 303, "no access before the second factor");

    let wrong = app
        .submit(&client, "/login/mfa", "/login/mfa", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status().as_u16(), 422);
    assert!(wrong.text().await.unwrap().contains("Ce code n"));

    let code = app.code(&app.responder);
    let response = app
        .submit(
            &client,
            "/login/mfa",
            "/login/mfa",
            &[("code", &code), ("next", "/account")],
        )
        .await;
    assert_eq!(location(&response), "/account");
    let second_cookie = response
        .cookies()
        .find(|c| c.name() == "relais_session")
        .unwrap()
        .value()
        .to_owned();
    assert_ne!(
        first_cookie, second_cookie,
        "the session token changes at the privilege change"
    );
    let (status, html) = app.get(&client, "/account").await;
    assert_eq!(status, 200);
    assert!(html.contains("responder@relais.test"));

    let replay = app.client();
    app.submit(
        &replay,
        "/login",
        "/login",
        &[("email", "responder@relais.test"), ("password", PASSWORD)],
    )
    .await;
    let again = app
        .submit(&replay, "/login/mfa", "/login/mfa", &[("code", &code)])
        .await;
    assert_eq!(again.status().as_u16(), 422, "a code cannot be replayed");
}

pub async fn expired_session_asks_to_sign_in_again(app: &TestApp) {
    let client = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&client, "/dashboard").await.0, 200);
    app.clock.advance(31 * 60);
    let response = client.get(app.url("/account")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/login?next=%2Faccount");
    let (_, html) = app.get(&client, "/login?next=%2Faccount").await;
    assert!(html.contains("Votre session a expiré"));
}

pub async fn repeated_failures_are_throttled(app: &TestApp) {
    let client = app.client();
    for _ in 0..5 {
        let r = app
            .submit(
                &client,
                "/login",
                "/login",
                &[("email", "analyst@relais.test"), ("password", "wrong guess!")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
    }
    let blocked = app
        .submit(
            &client,
            "/login",
            "/login",
            &[("email", "analyst@relais.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(blocked.status().as_u16(), 429, "even the right password waits");
    assert!(blocked.text().await.unwrap().contains("Trop de tentatives"));
    app.clock.advance(16 * 60);
    let later = app
        .submit(
            &client,
            "/login",
            "/login",
            &[("email", "analyst@relais.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        later.status().as_u16(),
        303,
        "the right password works after the window"
    );
    assert!(location(&later).starts_with("/login/mfa"));
}

pub async fn admin_creates_user_who_sets_password_and_enrols_mfa(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    // Privileged pages ask for the password again once the login is older than 10 minutes.
    app.clock.advance(11 * 60);
    let response = admin.get(app.url("/admin/users/new")).send().await.unwrap();
    assert_eq!(location(&response), "/reauth?next=%2Fadmin%2Fusers%2Fnew");
    let code = app.code(&app.admin);
    let response = app
        .submit(
            &admin,
            "/reauth?next=/admin/users/new",
            "/reauth",
            &[("password", PASSWORD), ("code", &code), ("next", "/admin/users/new")],
        )
        .await;
    assert_eq!(location(&response), "/admin/users/new");

    let org = app.organisation.to_string();
    let invalid = app
        .submit(
            &admin,
            "/admin/users/new",
            "/admin/users",
            &[
                ("organisation_id", &org),
                ("email", "not-an-email"),
                ("display_name", "Awa Diallo"),
            ],
        )
        .await;
    assert_eq!(invalid.status().as_u16(), 422);
    let html = invalid.text().await.unwrap();
    assert!(html.contains("Indiquez une adresse électronique valide"));
    assert!(html.contains("Choisissez au moins un rôle."));
    assert!(html.contains("value=\"Awa Diallo\""), "what was typed is kept");

    // Support work is unusual in a gendarmerie brigade: asked to confirm, audited.
    let fields = [
        ("organisation_id", org.as_str()),
        ("email", "awa@relais.test"),
        ("display_name", "Awa Diallo"),
        ("roles", "support-worker"),
    ];
    let unconfirmed = app.submit(&admin, "/admin/users/new", "/admin/users", &fields).await;
    assert_eq!(unconfirmed.status().as_u16(), 422);
    let html = unconfirmed.text().await.unwrap();
    assert!(html.contains("Rôle inhabituel pour cette organisation"));
    assert!(html.contains("type « Gendarmerie nationale »"), "{html}");
    assert!(html.contains("href=\"#confirm_unusual\">Confirmez le rôle inhabituel"));
    assert!(html.contains("value=\"Awa Diallo\""), "what was typed is kept");
    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm_unusual", "yes"));
    let created = app.submit(&admin, "/admin/users/new", "/admin/users", &confirmed).await;
    assert_eq!(created.status().as_u16(), 200);
    let (_, audit) = app.get(&admin, "/admin/audit").await;
    assert!(audit.contains("Confirmation d’un rôle inhabituel"));
    let html = created.text().await.unwrap();
    let start = html.find("/setup/").unwrap();
    let link: String = html[start..].chars().take_while(|c| *c != '<' && *c != '"').collect();

    let newcomer = app.client();
    let short = app
        .submit(
            &newcomer,
            &link,
            &link,
            &[("password", "short"), ("confirmation", "short")],
        )
        .await;
    assert_eq!(short.status().as_u16(), 422);
    assert!(short.text().await.unwrap().contains("au moins 12 caractères"));
    let set = app
        .submit(
            &newcomer,
            &link,
            &link,
            &[
                ("password", "a fresh passphrase"),
                ("confirmation", "a fresh passphrase"),
            ],
        )
        .await;
    assert_eq!(location(&set), "/login?done=password-set");
    assert_eq!(app.get(&newcomer, &link).await.0, 404, "the link works once");

    let response = app
        .submit(
            &newcomer,
            "/login",
            "/login",
            &[
                ("email", "awa@relais.test"),
                ("password", "a fresh passphrase"),
                ("next", "/dashboard"),
            ],
        )
        .await;
    assert!(
        location(&response).starts_with("/account/mfa"),
        "support workers must enrol MFA first"
    );
    assert_eq!(
        app.get(&newcomer, "/dashboard").await.0,
        303,
        "no access before enrolment"
    );
    let (_, page) = app.get(&newcomer, "/account/mfa").await;
    let marker = "name=\"secret\" value=\"";
    let secret_b32: String = page[page.find(marker).unwrap() + marker.len()..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let secret = relais_store::access::totp::from_base32(&secret_b32).unwrap();
    let code = relais_store::access::totp::code_at(&secret, app.clock.now()).unwrap();
    let csrf = csrf_of(&page);
    let enrolled = newcomer
        .post(app.url("/account/mfa"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("secret", secret_b32.as_str()),
            ("code", code.as_str()),
            ("next", "/dashboard"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&enrolled), "/dashboard");
    let (status, html) = app.get(&newcomer, "/dashboard").await;
    assert_eq!(status, 200);
    assert!(html.contains("Accompagnant"));
}

/// Routes open without a session, each for a stated reason. Adding a public
/// route means adding it here, on purpose.
const PUBLIC: [(&str, &str); 31] = [
    ("GET", "/"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/assets/{*path}"),
    ("POST", "/language"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/login/oidc/callback"),
    ("GET", "/login/oidc/requested"),
    ("GET", "/login/oidc/{provider}"),
    ("GET", "/setup/{token}"),
    ("POST", "/setup/{token}"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/signalement"),
    ("POST", "/signalement"),
    ("GET", "/signalement/envoye"),
    ("GET", "/signalement/suivi"),
    ("POST", "/signalement/suivi"),
    ("POST", "/signalement/suivi/complement"),
    ("GET", "/plans"),
    ("GET", "/publications"),
    ("GET", "/publications/{year}/{version}"),
    ("GET", "/publications/{year}/{version}/tableaux.csv"),
    ("GET", "/publications/{year}/{version}/tableaux.xlsx"),
    ("GET", "/publications/{year}/{version}/datapackage.json"),
    ("GET", "/accessibilite"),
    ("GET", "/mentions-legales"),
    ("GET", "/donnees-personnelles"),
    ("GET", "/cookies"),
    ("GET", "/library"),
    ("GET", "/library/{id}/file"),
];

fn concrete(path: &str) -> String {
    path.replace("{id}", "0123456789abcdef0123456789abcdef")
        .replace("{token}", "x")
        .replace("{*path}", "app.css")
        .replace("{code}", "PNLTEH-2")
        .replace("{number}", "1")
        .replace("{year}", "2020")
        .replace("{version}", "1")
        .replace("{reference}", "RL-0000-0000-0000")
        .replace("{share}", "0123456789abcdef0123456789abcdef")
        .replace("{document}", "0123456789abcdef0123456789abcdef")
        .replace("{task}", "0123456789abcdef0123456789abcdef")
}

/// Sends `method url` as `client`, with a CSRF token taken from `page` for a POST.
async fn send(app: &TestApp, client: &reqwest::Client, page: &str, method: &str, url: &str) -> reqwest::Response {
    let request = match method {
        "GET" => client.get(app.url(url)),
        _ => {
            let (_, html) = app.get(client, page).await;
            client.post(app.url(url)).form(&[("csrf", csrf_of(&html))])
        }
    };
    request.send().await.unwrap()
}

pub async fn every_route_declares_and_enforces_its_access(app: &TestApp) {
    let anonymous = app.client();
    app.get(&anonymous, "/login").await;
    let analyst = app.sign_in(&app.analyst).await;
    let responder = app.sign_in(&app.responder).await;
    for (method, path, access) in route_table() {
        let url = concrete(path);
        match access {
            Access::Public(reason) => {
                assert!(!reason.is_empty());
                assert!(
                    PUBLIC.contains(&(method, path)),
                    "{method} {path} is public but not in the reviewed list"
                );
            }
            Access::AnySession | Access::SignedIn | Access::Permission(_) | Access::Case(..) => {
                let response = send(app, &anonymous, "/login", method, &url).await;
                assert_eq!(
                    response.status().as_u16(),
                    303,
                    "{method} {path} must turn away anonymous users"
                );
                assert!(location(&response).starts_with("/login?next="), "{method} {path}");
            }
            Access::ApiToken => {
                // Neither anonymous callers nor signed-in users' cookies get through.
                for client in [&anonymous, &analyst] {
                    let response = send(app, client, "/login", method, &url).await;
                    assert_eq!(response.status().as_u16(), 401, "{method} {path} needs an API token");
                    assert!(response.headers().get("www-authenticate").is_some(), "{method} {path}");
                }
            }
        }
        // What a case route opens beyond its permission is walked by `case_access`.
        if let Access::Permission(permission) | Access::Case(permission, _, _) = access {
            // Someone whose only role does not grant the permission.
            let lacks = |role: Role| role.grants().iter().all(|(granted, _)| *granted != permission);
            let without = if lacks(Role::Analyst) { &analyst } else { &responder };
            assert!(lacks(Role::Analyst) || lacks(Role::FirstResponder), "{method} {path}");
            let response = send(app, without, "/dashboard", method, &url).await;
            assert_eq!(
                response.status().as_u16(),
                403,
                "{method} {path} must refuse a user without the permission"
            );
        }
    }
}

pub async fn reading_users_is_audited_and_chain_verifies(app: &TestApp) {
    let before = audit::count(&app.store).await.unwrap();
    let admin = app.sign_in(&app.admin).await;
    let (status, html) = app.get(&admin, "/admin/users").await;
    assert_eq!(status, 200);
    assert!(html.contains("responder@relais.test"));
    let (status, html) = app.get(&admin, "/admin/audit").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Consultation des comptes"),
        "the list read is in the trail"
    );
    let login_row = html
        .split("<tr>")
        .find(|row| row.contains("<td>Connexion"))
        .expect("a login row");
    assert!(
        !login_row.contains("Système"),
        "the person who signed in is the actor of the login: {login_row}"
    );
    assert!(audit::count(&app.store).await.unwrap() >= before + 3);
    assert!(matches!(
        audit::verify(&app.store, &|_| {}).await.unwrap(),
        Verification::Intact { .. }
    ));
    let responder = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&responder, "/admin/audit").await.0, 403);
}

pub async fn health_and_metrics(app: &TestApp) {
    let client = app.client();
    assert_eq!(app.get(&client, "/healthz").await, (200, "ok".to_owned()));
    app.get(&client, "/setup/some-secret-token").await;
    let response = client
        .get(app.url("/metrics"))
        .bearer_auth(crate::web::harness::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let metrics = response.text().await.unwrap();
    assert!(metrics.contains("relais_http_requests_total"));
    assert!(metrics.contains("route=\"/setup/{token}\""));
    assert!(
        !metrics.contains("some-secret-token"),
        "no raw path, no token in metrics"
    );
}

pub async fn reauthentication_guesses_are_throttled_and_audited(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    for _ in 0..5 {
        let r = app
            .submit(
                &admin,
                "/reauth",
                "/reauth",
                &[("password", "a wrong guess"), ("code", "000000")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
    }
    let code = app.code(&app.admin);
    let blocked = app
        .submit(&admin, "/reauth", "/reauth", &[("password", PASSWORD), ("code", &code)])
        .await;
    assert_eq!(blocked.status().as_u16(), 422);
    assert!(
        blocked.text().await.unwrap().contains("Trop de tentatives"),
        "the right password waits too"
    );
    let (_, html) = app.get(&admin, "/admin/audit").await;
    assert!(html.contains("Échec de la confirmation d’identité"));
}

pub async fn administrator_imports_a_catalogue_version_with_named_errors(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    let (status, html) = app.get(&admin, "/admin/catalogues").await;
    assert_eq!(status, 200);
    assert!(html.contains("ilo-ec-delphi-2009-labour") && html.contains("Livré avec Relais"));
    let (status, html) = app.get(&admin, "/admin/catalogues/ilo-ec-delphi-2009-labour/1").await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Tromperie") || html.contains("tromp"),
        "French labels are shown"
    );

    let shipped = relais_domain::intake::catalogue::shipped::ALL[0].text;
    // Version 2 is shipped too: the next free number is 3.
    let broken = shipped
        .replacen("version: 1", "version: 3", 1)
        .replacen("strength: strong", "strength: strongish", 1);
    let refused = app
        .submit(
            &admin,
            "/admin/catalogues",
            "/admin/catalogues",
            &[("content", &broken)],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("line ") && html.contains("strongish"),
        "the error names the line and the value"
    );
    assert!(html.contains("version: 3"), "the pasted text is kept");

    let again = app
        .submit(
            &admin,
            "/admin/catalogues",
            "/admin/catalogues",
            &[("content", shipped)],
        )
        .await;
    assert_eq!(again.status().as_u16(), 422, "a published version cannot be replaced");

    let fixed = shipped.replacen("version: 1", "version: 3", 1);
    let imported = app
        .submit(&admin, "/admin/catalogues", "/admin/catalogues", &[("content", &fixed)])
        .await;
    assert_eq!(
        location(&imported),
        "/admin/catalogues?imported=ilo-ec-delphi-2009-labour%403"
    );
    let (_, html) = app.get(&admin, "/admin/catalogues").await;
    assert!(html.contains("Importé par un administrateur"));
}

pub async fn administrator_resets_a_password_with_a_new_link(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    let (_, html) = app.get(&admin, "/admin/users").await;
    let marker = "/admin/users/";
    let id: String = html
        .split(marker)
        .skip(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_alphanumeric).collect::<String>())
        .find(|candidate| {
            candidate.len() == 32 && html.contains(&format!("{marker}{candidate}\">responder@relais.test"))
        })
        .expect("the responder's row links to their page");
    let page = format!("/admin/users/{id}");
    let reset = app.submit(&admin, &page, &format!("{page}/reset"), &[]).await;
    assert_eq!(reset.status().as_u16(), 200);
    let html = reset.text().await.unwrap();
    let start = html.find("/setup/").unwrap();
    let link: String = html[start..].chars().take_while(|c| *c != '<' && *c != '"').collect();

    let old = app.client();
    let refused = app
        .submit(
            &old,
            "/login",
            "/login",
            &[("email", "responder@relais.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422, "the old password stops working at once");
    let set = app
        .submit(
            &old,
            &link,
            &link,
            &[
                ("password", "a brand new phrase"),
                ("confirmation", "a brand new phrase"),
            ],
        )
        .await;
    assert_eq!(location(&set), "/login?done=password-set");
    let again = app
        .submit(
            &old,
            "/login",
            "/login",
            &[("email", "responder@relais.test"), ("password", "a brand new phrase")],
        )
        .await;
    assert!(
        location(&again).starts_with("/login/mfa"),
        "the new password works and MFA is kept"
    );
}
