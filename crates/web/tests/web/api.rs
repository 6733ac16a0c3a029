//! The integration API: tokens issued in the administration, JSON in and
//! out, and the OpenAPI document kept in step with the route table.

use super::harness::{TestApp, location};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::territory::{Departement, Territory};
use relais_store::access::organisations::NewOrganisation;
use relais_store::{Actor, bootstrap};
use relais_web::{Access, route_table};
use serde_json::{Value, json};

/// Issues a token for `organisation` through the administration pages and
/// returns the secret shown once.
pub async fn issue_token(app: &TestApp, admin: &reqwest::Client, organisation: &str, label: &str) -> String {
    let response = app
        .submit(
            admin,
            "/admin/api-tokens",
            "/admin/api-tokens",
            &[("organisation_id", organisation), ("label", label)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let html = response.text().await.unwrap();
    let marker = "id=\"api-token-secret\">";
    let start = html.find(marker).expect("the secret is shown") + marker.len();
    html[start..].split('<').next().unwrap().to_owned()
}

async fn other_organisation(app: &TestApp) -> String {
    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let id = bootstrap::create_organisation(
        &mut tx,
        &NewOrganisation {
            name: "Association voisine".into(),
            org_type: OrganisationType::Association,
            territory: Territory::Departement(Departement::parse("75").unwrap()),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id.to_string()
}

fn complete_adult() -> Value {
    json!({
        "family_name": "Doe",
        "age": "adult",
        "sex": "female",
        "nationality": "BGR",
        "departement": "31",
        "languages": "bulgare",
        "interpreter_needed": "no",
        "circumstances": "Rencontrée lors d'un contrôle",
        "forms": ["labour"],
        "location": "france",
        "act": "yes",
        "consent": "given",
        "consent_language": "bulgare",
        "consent_interpreter": "no",
        "consent_explained_by": "Agent Martin",
        "consent_date": "2026-12-01"
    })
}

async fn post(app: &TestApp, token: Option<&str>, body: String) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new()
        .post(app.url("/api/v1/referrals"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON body: {text}")),
    )
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON body: {text}")),
    )
}

pub async fn api_referral_is_submitted_and_followed_by_its_organisation(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    let token = issue_token(app, &admin, app.organisation.as_str(), "SI Brigade").await;
    assert!(token.starts_with("rls_"));

    let (status, headers, body) = post(app, Some(&token), complete_adult().to_string()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "submitted");
    assert_eq!(body["kind"], "full");
    assert_eq!(body["child_protection_notified"], false);
    let reference = body["reference"].as_str().unwrap().to_owned();
    assert!(reference.starts_with("RL-"));
    let at = format!("/api/v1/referrals/{reference}");
    assert_eq!(body["location"], at.as_str());
    assert_eq!(headers.get("location").unwrap(), at.as_str());

    let (status, _, view) = get(app, Some(&token), &at).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["reference"], reference.as_str());
    assert_eq!(view["status"], "submitted");
    assert!(view["submitted_at"].as_str().unwrap().ends_with('Z'));
    assert!(
        view.get("family_name").is_none() && !view.to_string().contains("Doe"),
        "no personal content"
    );

    // An adult's refusal keeps statistical fields only.
    let mut refused = complete_adult();
    refused["consent"] = json!("refused");
    let (status, _, body) = post(app, Some(&token), refused.to_string()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["kind"], "anonymous");

    // A child is referred without consent; the child-protection unit is told.
    let mut child = complete_adult();
    child["age"] = json!("minor");
    for field in [
        "consent",
        "consent_language",
        "consent_interpreter",
        "consent_explained_by",
        "consent_date",
    ] {
        child.as_object_mut().unwrap().remove(field);
    }
    let (status, _, body) = post(app, Some(&token), child.to_string()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["child_protection_notified"], true);

    // A token of another organisation sees nothing of it.
    let other = other_organisation(app).await;
    let other_token = issue_token(app, &admin, &other, "SI voisin").await;
    let (status, _, body) = get(app, Some(&other_token), &at).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not-found");

    // Revoked in the administration: refused at once.
    let (_, html) = app.get(&admin, "/admin/api-tokens").await;
    assert!(
        html.contains("SI Brigade") && !html.contains(&token),
        "the secret is never shown again"
    );
    let row = html.split("<tr>").find(|r| r.contains("SI Brigade")).unwrap();
    let id = row
        .split("/admin/api-tokens/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let response = app
        .submit(
            &admin,
            "/admin/api-tokens",
            &format!("/admin/api-tokens/{id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(location(&response), "/admin/api-tokens?done=api-token-revoked");
    let (_, html) = app.get(&admin, "/admin/api-tokens").await;
    assert!(html.contains("Révoqué"));
    let (a, _, _) = get(app, Some(&token), &at).await;
    let (b, _, _) = get(app, Some(&other_token), &at).await;
    assert_eq!((a, b), (401, 404), "only the revoked token is refused");
}

pub async fn api_refuses_bad_requests_with_json(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    let token = issue_token(app, &admin, app.organisation.as_str(), "SI").await;

    // No token, a wrong one: 401 JSON with the Bearer challenge.
    for presented in [None, Some("rls_not-a-token"), Some("garbage")] {
        let (status, headers, body) = post(app, presented, complete_adult().to_string()).await;
        assert_eq!(status, 401);
        assert!(
            headers
                .get("www-authenticate")
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
        assert_eq!(body["error"], "unauthorized");
    }

    // Missing and invalid fields are named, with their step.
    let mut invalid = complete_adult();
    invalid.as_object_mut().unwrap().remove("circumstances");
    invalid["sex"] = json!("robot");
    let (status, _, body) = post(app, Some(&token), invalid.to_string()).await;
    assert_eq!(status, 422, "{body}");
    let problems = body["problems"].as_array().unwrap();
    assert!(problems.contains(&json!({"step": "circumstances", "field": "circumstances", "problem": "required"})));
    assert!(problems.contains(&json!({"step": "person", "field": "sex", "problem": "invalid-choice"})));

    // Unknown fields are refused, without repeating their name; wrong types say where, not what.
    let mut unknown = complete_adult();
    unknown["favourite_colour"] = json!("blue");
    let (status, _, body) = post(app, Some(&token), unknown.to_string()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["problems"][0],
        json!({"step": "", "field": "", "problem": "unknown-field"})
    );
    let mut wrong = complete_adult();
    wrong["forms"] = json!("Secret Name");
    let (status, _, body) = post(app, Some(&token), wrong.to_string()).await;
    assert_eq!(status, 422);
    assert!(
        !body.to_string().contains("Secret Name"),
        "values are not echoed: {body}"
    );
    let (status, _, body) = post(app, Some(&token), "{not json".into()).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid-json")));

    // Too large: 413 JSON, not an HTML page.
    let mut large = complete_adult();
    large["circumstances"] = json!("x".repeat(70 * 1024));
    let (status, _, body) = post(app, Some(&token), large.to_string()).await;
    assert_eq!((status, body["error"].as_str()), (413, Some("too-large")));

    // Unknown API paths and references are JSON 404s.
    let (status, _, body) = get(app, Some(&token), "/api/v1/referrals/RL-0000-0000-0000").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not-found")));
    let (status, _, body) = get(app, Some(&token), "/api/v1/nothing").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not-found")));

    // A wrong method or media type is said in JSON too.
    let response = reqwest::Client::new()
        .delete(app.url("/api/v1/referrals"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["error"], "method-not-allowed");
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/referrals"))
        .bearer_auth(&token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("family_name=Doe")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
}

pub async fn api_is_exempt_from_csrf_and_ignores_session_cookies(app: &TestApp) {
    // Every route under /api/ authenticates by token (or is a public read):
    // that is what makes the CSRF exemption of the prefix safe.
    for (method, path, access) in route_table() {
        if path.starts_with("/api/") {
            assert!(
                access == Access::ApiToken || (method == "GET" && matches!(access, Access::Public(_))),
                "{method} {path}: an API route must use Access::ApiToken"
            );
        } else {
            assert_ne!(access, Access::ApiToken, "{method} {path}: API access only under /api/");
        }
    }
    // A signed-in administrator's cookies are not an API credential, and
    // the missing CSRF token is not what refuses the request.
    let admin = app.sign_in(&app.admin).await;
    let response = admin
        .post(app.url("/api/v1/referrals"))
        .header("content-type", "application/json")
        .body(complete_adult().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert!(response.headers().get("set-cookie").is_none(), "the API sets no cookie");
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["error"], "unauthorized");
    // With a token, no CSRF token is needed.
    let token = issue_token(app, &admin, app.organisation.as_str(), "SI").await;
    let (status, _, _) = post(app, Some(&token), complete_adult().to_string()).await;
    assert_eq!(status, 201);
}

pub async fn openapi_document_matches_snapshot_and_route_table(app: &TestApp) {
    let (status, headers, served) = get(app, None, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-type").unwrap(), "application/json");
    let snapshot: Value =
        serde_json::from_str(include_str!("../snapshots/openapi.json")).expect("the snapshot is JSON");
    if served != snapshot {
        // The generated document, for the reviewer to compare and copy over the snapshot.
        let generated = std::env::temp_dir().join("relais-openapi.generated.json");
        std::fs::write(&generated, serde_json::to_string_pretty(&served).unwrap()).unwrap();
        panic!(
            "the generated OpenAPI document differs from crates/web/tests/snapshots/openapi.json: review {}, then copy it over the snapshot",
            generated.display()
        );
    }
    assert_eq!(served["openapi"], "3.1.0");
    let paths = served["paths"].as_object().unwrap();
    for (method, path, _) in route_table() {
        if path.starts_with("/api/") {
            let operation = &paths
                .get(path)
                .unwrap_or_else(|| panic!("{path} missing from the OpenAPI document"))[method.to_lowercase()];
            assert!(
                operation.is_object(),
                "{method} {path} missing from the OpenAPI document"
            );
        }
    }
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            assert!(
                route_table()
                    .iter()
                    .any(|(m, p, _)| p == path && m.eq_ignore_ascii_case(method)),
                "the document describes {method} {path}, which is not a route"
            );
        }
    }
}

/// A payload with a person's name as an unknown key, as an indicator key
/// and as a value: the errors name documented fields only, and repeat none
/// of it.
pub async fn api_errors_never_repeat_submitted_keys_or_values(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    let token = issue_token(app, &admin, app.organisation.as_str(), "SI").await;
    let mut unknown_key = complete_adult();
    unknown_key["marie_dupont_1990"] = json!("Marie Dupont, née le 3 mars 1990");
    let mut unknown_indicator = complete_adult();
    unknown_indicator["answers"] = json!({"jean_martin_rue_des_lilas": "yes"});
    let mut bad_value = complete_adult();
    bad_value["sex"] = json!("Marie Dupont");
    bad_value["nationality"] = json!("Jean Martin");
    for payload in [unknown_key, unknown_indicator, bad_value] {
        let (status, _, body) = post(app, Some(&token), payload.to_string()).await;
        assert_eq!(status, 422, "{body}");
        let text = body.to_string();
        for personal in [
            "marie",
            "Marie",
            "Dupont",
            "dupont",
            "jean_martin",
            "Jean Martin",
            "lilas",
            "1990",
        ] {
            assert!(!text.contains(personal), "{personal} repeated in {text}");
        }
        for problem in body["problems"].as_array().unwrap() {
            let field = problem["field"].as_str().unwrap();
            assert!(
                ["", "answers", "sex", "nationality"].contains(&field),
                "only documented names: {field}"
            );
        }
    }
}

async fn post_with_key(
    app: &TestApp,
    token: &str,
    key: &str,
    body: String,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/referrals"))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (status, headers, serde_json::from_str(&text).unwrap())
}

pub async fn an_idempotency_key_makes_one_referral_however_often_it_is_sent(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    let token = issue_token(app, &admin, app.organisation.as_str(), "SI retry").await;
    let count = async || {
        relais_store::testing::execute_raw(
            &app.store,
            "UPDATE referrals SET step = step WHERE api_token_id IS NOT NULL",
        )
        .await
        .unwrap()
    };
    let body = complete_adult().to_string();
    let key = "6f1c2e9a-2b7d-4c1e-9a53-0d5b8e3f7a10";
    let (first, headers, created) = post_with_key(app, &token, key, body.clone()).await;
    assert_eq!(first, 201, "{created}");
    // The client's retry after a lost answer: the same response, no second referral.
    let (again, replay_headers, replayed) = post_with_key(app, &token, key, body.clone()).await;
    assert_eq!(again, 201);
    assert_eq!(replayed, created);
    assert_eq!(replay_headers.get("location"), headers.get("location"));
    assert_eq!(count().await, 1);

    // The same key with another body is refused, clearly.
    let mut other = complete_adult();
    other["family_name"] = json!("Roe");
    let (status, _, refused) = post_with_key(app, &token, key, other.to_string()).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"], "idempotency-key-reused");
    assert_eq!(count().await, 1);

    // Another key, or no key: a new referral each time.
    assert_eq!(post_with_key(app, &token, "second-referral", body.clone()).await.0, 201);
    assert_eq!(post(app, Some(&token), body.clone()).await.0, 201);
    assert_eq!(count().await, 3);
    // A key is per token: another token's same key is another referral.
    let other_token = issue_token(app, &admin, app.organisation.as_str(), "SI second").await;
    assert_eq!(post_with_key(app, &other_token, key, body.clone()).await.0, 201);
    assert_eq!(count().await, 4);
    // Not a usable key: refused before anything is done.
    let (status, _, invalid) = post_with_key(app, &token, "a key with spaces", body.clone()).await;
    assert_eq!(
        (status, invalid["error"].as_str()),
        (400, Some("invalid-idempotency-key"))
    );
    // Only hashes of the key and body are stored.
    let stored = relais_store::testing::texts(&app.store, "SELECT key_hash || body_hash FROM api_idempotency_keys")
        .await
        .unwrap();
    assert!(stored.iter().all(|s| !s.contains("6f1c2e9a") && !s.contains("Doe")));

    // Kept 24 hours: after that the key is forgotten.
    app.clock.advance(24 * 60 * 60 + 1);
    assert_eq!(post_with_key(app, &token, key, body).await.0, 201);
    assert_eq!(count().await, 5);
}
