//! Sign-in security (issue 11, part 1; ADR 0015): redirects after login,
//! throttling without lockouts, the client address behind a proxy, and the
//! metrics endpoint.

use super::harness::{METRICS_TOKEN, PASSWORD, TestApp, csrf_of, location};
use relais_store::testing;
use std::sync::Arc;

const ATTACKER: &str = "198.51.100.66";

/// Posts the login form with `fields`, sending `forwarded` as X-Forwarded-For.
async fn login(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded: Option<&str>,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = app.get(client, "/login").await;
    let csrf = csrf_of(&html);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let mut request = client.post(app.url("/login")).form(&all);
    if let Some(address) = forwarded {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

async fn wrong_password(app: &TestApp, client: &reqwest::Client, forwarded: Option<&str>, email: &str) -> u16 {
    login(
        app,
        client,
        forwarded,
        &[("email", email), ("password", "a wrong guess")],
    )
    .await
    .status()
    .as_u16()
}

async fn right_password(app: &TestApp, client: &reqwest::Client, email: &str) -> reqwest::Response {
    login(app, client, None, &[("email", email), ("password", PASSWORD)]).await
}

pub async fn a_dangerous_next_after_login_gives_the_home_page(app: &TestApp) {
    let payloads = [
        "/\t/evil.example",
        "/\n",
        "/%0A",
        "//evil.example",
        "/\\evil.example",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "https://evil.example/",
    ];
    for payload in payloads {
        let encoded: String = form_urlencoded::byte_serialize(payload.as_bytes()).collect();
        let client = app.client();
        let (status, html) = app.get(&client, &format!("/login?next={encoded}")).await;
        assert_eq!(status, 200, "{payload:?}");
        assert!(html.contains("name=\"next\" value=\"/dashboard\""), "{payload:?}");

        let response = login(
            app,
            &client,
            None,
            &[("email", app.analyst.email), ("password", PASSWORD), ("next", payload)],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303, "{payload:?}: never a 500");
        assert_eq!(location(&response), "/login/mfa?next=%2Fdashboard", "{payload:?}");
        let code = app.code(&app.analyst);
        let response = app
            .submit(
                &client,
                "/login/mfa",
                "/login/mfa",
                &[("code", &code), ("next", payload)],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "{payload:?}: never a 500");
        assert_eq!(location(&response), "/dashboard", "{payload:?}");
        app.clock.advance(30);
    }
}

pub async fn an_attackers_failures_do_not_keep_the_owner_out(app: &TestApp) {
    // The owner signed in from this browser before: it holds a device cookie.
    let owner = app.sign_in(&app.analyst).await;
    let proxy = app.another_process(|s| s.trusted_proxies = trusted_loopback()).await;
    let attacker = proxy.client();
    let mut refused = 0;
    for _ in 0..50 {
        match wrong_password(&proxy, &attacker, Some(ATTACKER), app.analyst.email).await {
            422 => {}
            429 => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(refused, 45, "after 5 failures the attacker waits");
    let response = login(
        &proxy,
        &attacker,
        Some(ATTACKER),
        &[("email", app.analyst.email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(
        response.status().as_u16(),
        429,
        "the attacker's browser waits, even with the password"
    );

    let response = right_password(app, &owner, app.analyst.email).await;
    assert_eq!(response.status().as_u16(), 303, "the owner's browser is not locked out");
    assert!(location(&response).starts_with("/login/mfa"));
    let code = app.code(&app.analyst);
    let response = app
        .submit(
            &owner,
            "/login/mfa",
            "/login/mfa",
            &[("code", &code), ("next", "/dashboard")],
        )
        .await;
    assert_eq!(location(&response), "/dashboard");
}

pub async fn an_untrusted_browser_waits_growing_delays_told_in_french(app: &TestApp) {
    let client = app.client();
    for _ in 0..5 {
        assert_eq!(wrong_password(app, &client, None, app.responder.email).await, 422);
    }
    let waiting = right_password(app, &client, app.responder.email).await;
    assert_eq!(waiting.status().as_u16(), 429);
    let html = waiting.text().await.unwrap();
    assert!(html.contains("attendez 1 min avant de réessayer"), "{html}");
    assert!(html.contains("value=\"responder@relais.test\""), "the e-mail is kept");

    app.clock.advance(30);
    assert_eq!(wrong_password(app, &client, None, app.responder.email).await, 422);
    assert_eq!(wrong_password(app, &client, None, app.responder.email).await, 429);
    app.clock.advance(30);
    assert_eq!(
        wrong_password(app, &client, None, app.responder.email).await,
        429,
        "the second delay is longer (60 s)"
    );
    app.clock.advance(30);
    assert_eq!(wrong_password(app, &client, None, app.responder.email).await, 422);
    let html = right_password(app, &client, app.responder.email)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("attendez 2 min"), "then 120 s: {html}");
    app.clock.advance(120);
    let response = right_password(app, &client, app.responder.email).await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "the right password works once the delay has passed"
    );
}

pub async fn a_device_cookie_for_another_account_or_badly_signed_is_ignored(app: &TestApp) {
    // The analyst's own browser holds a genuine device cookie.
    let owner = app.sign_in(&app.analyst).await;
    // This browser holds a valid device cookie, for the responder.
    let browser = app.sign_in(&app.responder).await;
    for _ in 0..5 {
        assert_eq!(wrong_password(app, &browser, None, app.analyst.email).await, 422);
    }
    assert_eq!(
        wrong_password(app, &browser, None, app.analyst.email).await,
        429,
        "the responder's cookie does not make the browser trusted for the analyst"
    );
    let analyst_id = testing::texts(&app.store, "SELECT id FROM users WHERE email = 'analyst@relais.test'")
        .await
        .unwrap()
        .remove(0);
    let now = app.clock.now().0;
    let forged = format!("{analyst_id}.{now}.{}.{}", "ab".repeat(16), "cd".repeat(32));
    let jar = Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(&format!("relais_device={forged}; Path=/"), &app.base.parse().unwrap());
    let forger = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = right_password(app, &forger, app.analyst.email).await;
    assert_eq!(response.status().as_u16(), 429, "a badly signed cookie is ignored");

    let response = right_password(app, &owner, app.analyst.email).await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "the genuine cookie still lets its owner in"
    );
}

fn trusted_loopback() -> relais_web::TrustedProxies {
    relais_web::TrustedProxies::parse(&["127.0.0.1/32".into()], relais_web::ForwardedHeader::XForwardedFor).unwrap()
}

/// The keyed hash the audit trail records for `address`.
fn client_key(app: &TestApp, address: &str) -> String {
    app.keys.keyed_hash("audit-client", address)
}

pub async fn the_client_address_comes_from_a_trusted_proxy_only(app: &TestApp) {
    let proxied = app.another_process(|s| s.trusted_proxies = trusted_loopback()).await;
    let client = proxied.client();
    // Password spraying from one address through the proxy: 20 accounts once each.
    for i in 0..20 {
        assert_eq!(
            wrong_password(&proxied, &client, Some(ATTACKER), &format!("user{i}@relais.test")).await,
            422
        );
    }
    assert_eq!(
        wrong_password(&proxied, &client, Some(ATTACKER), "fresh@relais.test").await,
        429,
        "trusted peer: the forwarded address is the one counted"
    );
    assert_eq!(
        wrong_password(&proxied, &client, Some("192.0.2.5, 203.0.113.9"), "fresh@relais.test").await,
        422,
        "the right-most untrusted address is the client"
    );
    let failed = "SELECT client_key FROM audit_log WHERE action = 'auth.login_failed' ORDER BY seq";
    let before = testing::texts(&app.store, failed).await.unwrap().len();
    assert_eq!(
        wrong_password(&proxied, &client, Some(ATTACKER), app.admin.email).await,
        429
    );
    assert_eq!(
        wrong_password(&proxied, &client, Some("203.0.113.9"), app.admin.email).await,
        422
    );
    let keys = testing::texts(&app.store, failed).await.unwrap();
    assert_eq!(keys.len(), before + 1);
    assert!(
        keys.contains(&client_key(app, "203.0.113.9")),
        "the audit row names the client"
    );

    // Not trusted (the default): the header is ignored, the peer is counted.
    let direct = app.client();
    assert_eq!(
        wrong_password(app, &direct, Some(ATTACKER), "fresh@relais.test").await,
        422,
        "the attacker's address is not believed from an untrusted peer"
    );
    assert_eq!(
        wrong_password(app, &direct, Some("203.0.113.9"), app.admin.email).await,
        422
    );
    let keys = testing::texts(&app.store, failed).await.unwrap();
    assert_eq!(
        keys.last(),
        Some(&client_key(app, "127.0.0.1")),
        "the audit row names the peer"
    );
    for i in 0..18 {
        assert_eq!(
            wrong_password(
                app,
                &direct,
                Some(&format!("192.0.2.{i}")),
                &format!("other{i}@relais.test")
            )
            .await,
            422
        );
    }
    assert_eq!(
        wrong_password(app, &direct, Some("192.0.2.200"), "another@relais.test").await,
        429,
        "every failure counted against the peer, whatever the header said"
    );
}

pub async fn metrics_need_the_token_and_take_a_closed_set_of_methods(app: &TestApp) {
    let client = app.client();
    let scrape = |token: Option<&'static str>| {
        let mut request = client.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(scrape(None).await.unwrap().status().as_u16(), 401);
    assert_eq!(scrape(Some("a wrong token")).await.unwrap().status().as_u16(), 401);
    let series = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("relais_http_requests_total{"))
            .count()
    };
    scrape(Some(METRICS_TOKEN)).await.unwrap();
    let before = series(&scrape(Some(METRICS_TOKEN)).await.unwrap().text().await.unwrap());
    for i in 0..19 {
        let method = reqwest::Method::from_bytes(format!("PROBE{i}").as_bytes()).unwrap();
        client.request(method, app.url("/")).send().await.unwrap();
    }
    let text = scrape(Some(METRICS_TOKEN)).await.unwrap().text().await.unwrap();
    assert_eq!(
        series(&text),
        before + 1,
        "19 arbitrary methods make one series (method=\"other\"): {text}"
    );
    assert!(text.contains("method=\"other\"") && !text.contains("PROBE"));

    let unconfigured = app.another_process(|s| s.metrics_token = None).await;
    let response = client
        .get(unconfigured.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        404,
        "without a token /metrics does not exist"
    );
}
