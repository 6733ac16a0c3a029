//! Arbitrary requests through the whole router, in-process
//! (`tower::ServiceExt::oneshot`), on SQLite (docs/adr/0021-input-robustness.md):
//! whatever is sent, the answer is never a server error (5xx). `cargo test`
//! sends a few hundred requests per target; `make fuzz` sets `PROPTEST_CASES`.

use super::harness::{PASSWORD, TestApp, csrf_of, settings};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, header};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use relais_web::{AppState, route_table, router};
use std::cell::Cell;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

/// A server on SQLite with an admin signed in and an API token, and a
/// router on the same store and keys to drive in-process.
struct Target {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    /// `Cookie:` of the signed-in administrator.
    admin_cookies: String,
    admin_csrf: String,
    token: String,
    _app: TestApp,
    _db: relais_store::testing::TestDatabase,
}

fn cookie_header(response: &Response<Body>) -> String {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

async fn body_text(response: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

impl Target {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (db, app, admin_cookies, token) = runtime.block_on(async {
            let db = relais_store::testing::sqlite().await.unwrap();
            let app = TestApp::start(&db).await;
            let jar = Arc::new(reqwest::cookie::Jar::default());
            let admin = reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let response = app
                .submit(
                    &admin,
                    "/login",
                    "/login",
                    &[
                        ("email", app.admin.email),
                        ("password", PASSWORD),
                        ("next", "/dashboard"),
                    ],
                )
                .await;
            assert_eq!(response.status().as_u16(), 303, "password step");
            let code = app.code(&app.admin);
            let response = app
                .submit(
                    &admin,
                    "/login/mfa",
                    "/login/mfa",
                    &[("code", &code), ("next", "/dashboard")],
                )
                .await;
            assert_eq!(response.status().as_u16(), 303, "MFA step");
            let token = super::api::issue_token(&app, &admin, app.organisation.as_str(), "fuzz").await;
            let url = app.url("/").parse().unwrap();
            let cookies = reqwest::cookie::CookieStore::cookies(jar.as_ref(), &url).unwrap();
            (db, app, cookies.to_str().unwrap().to_owned(), token)
        });
        let state = AppState::new(
            app.store.clone(),
            app.keys.clone(),
            settings(&app.base),
            app.clock.clone(),
        )
        .unwrap();
        let router = router(state);
        let mut target = Self {
            runtime,
            router,
            admin_cookies,
            admin_csrf: String::new(),
            token,
            _app: app,
            _db: db,
        };
        let (status, html) = target.get("/admin/api-tokens", &target.admin_cookies.clone());
        assert_eq!(status, 200, "the administrator is signed in");
        target.admin_csrf = csrf_of(&html);
        target
    }

    /// Sends `request` from `peer`; returns the response.
    fn send(&self, mut request: Request<Body>, peer: SocketAddr) -> Response<Body> {
        request.extensions_mut().insert(ConnectInfo(peer));
        self.runtime.block_on(self.router.clone().oneshot(request)).unwrap()
    }

    fn get(&self, path: &str, cookies: &str) -> (u16, String) {
        let request = Request::get(path)
            .header(header::COOKIE, cookies)
            .body(Body::empty())
            .unwrap();
        let response = self.send(request, SocketAddr::from(([127, 0, 0, 1], 1)));
        let status = response.status().as_u16();
        (status, self.runtime.block_on(body_text(response)))
    }

    /// An anonymous visitor's cookies and the CSRF token of `page`.
    fn anonymous(&self, page: &str) -> (String, String) {
        let request = Request::get(page).body(Body::empty()).unwrap();
        let response = self.send(request, SocketAddr::from(([127, 0, 0, 1], 2)));
        let cookies = cookie_header(&response);
        let html = self.runtime.block_on(body_text(response));
        (cookies, csrf_of(&html))
    }
}

/// Runs `check` on `PROPTEST_CASES` inputs (256 by default) and prints the figures.
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value) -> Result<(), String>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        // Each shrinking step is a request: a few hundred are plenty.
        max_shrink_iters: 500,
        ..Config::default()
    });
    let inputs = Cell::new(0_u64);
    let start = Instant::now();
    let result = runner.run(&strategy, |value| {
        inputs.set(inputs.get() + 1);
        check(value).map_err(proptest::test_runner::TestCaseError::fail)
    });
    eprintln!(
        "fuzz {name}: {} inputs in {:.1} s",
        inputs.get(),
        start.elapsed().as_secs_f64()
    );
    if let Err(failure) = result {
        panic!("fuzz {name}: {failure}");
    }
}

/// Values forms and the API know, values near them, and junk.
const WORDS: &[&str] = &[
    "",
    " ",
    "\n",
    "\u{0}",
    "%",
    "%00",
    "%ff",
    "&",
    "=",
    "+",
    "é",
    "\u{202e}",
    "0",
    "1",
    "-1",
    "31",
    "2A",
    "976",
    "99",
    "2026-12-01",
    "2026-02-30",
    "9999-99-99",
    "1900",
    "BGR",
    "FRA",
    "yes",
    "no",
    "unknown",
    "true",
    "on",
    "adult",
    "minor",
    "female",
    "male",
    "given",
    "refused",
    "labour",
    "sexual",
    "france",
    "abroad",
    "RF-",
    "SG-",
    "a:",
    "x@relais.test",
    "emergency",
    "accommodation",
    "immediate",
    "national",
    "dep:31",
    "99999999999999999999",
    "null",
    "[]",
    "{}",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(WORDS), 0..4).prop_map(|w| w.concat()),
        2 => "[ -~]{0,24}",
        1 => any::<String>(),
        1 => (prop::sample::select(WORDS), 0_usize..3000).prop_map(|(w, n)| w.repeat(n)),
    ]
}

fn status_of(response: &Response<Body>) -> Result<u16, String> {
    let status = response.status().as_u16();
    if status >= 500 {
        Err(format!("server error {status}"))
    } else {
        Ok(status)
    }
}

/// The fields of `POST /api/v1/referrals` (crates/web/src/handlers/api.rs).
const API_FIELDS: &[&str] = &[
    "family_name",
    "given_names",
    "aliases",
    "birth_date",
    "age",
    "sex",
    "nationality",
    "departement",
    "safe_contact",
    "languages",
    "interpreter_needed",
    "interpreter_language",
    "circumstances",
    "forms",
    "form_other",
    "places",
    "location",
    "period_start",
    "period_end",
    "act",
    "answers",
    "need_safety",
    "need_medical",
    "need_shelter_tonight",
    "needs_details",
    "consent",
    "consent_language",
    "consent_interpreter",
    "consent_explained_by",
    "consent_date",
];

/// Any JSON value, nested a little.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A referral body: mostly the right fields with values of the right type
/// and arbitrary content, sometimes of the wrong type, an unknown field, or
/// not JSON at all.
fn api_body() -> impl Strategy<Value = Vec<u8>> {
    use serde_json::Value;
    let field_value = prop_oneof![
        6 => text().prop_map(Value::String),
        1 => prop::collection::vec(text().prop_map(Value::String), 0..3).prop_map(Value::Array),
        1 => prop::collection::btree_map(text(), prop::sample::select(vec!["yes", "no", "unknown", "maybe"]), 0..4)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())),
        1 => json_value(),
    ];
    let object = prop::collection::btree_map(prop::sample::select(API_FIELDS), field_value, 0..API_FIELDS.len())
        .prop_map(|m| {
            let object: serde_json::Map<String, Value> = m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            serde_json::to_vec(&Value::Object(object)).unwrap()
        });
    prop_oneof![
        8 => object,
        1 => json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ]
}

pub fn api_referrals() {
    let target = Target::start();
    let content_type = prop::sample::select(vec![
        Some("application/json"),
        Some("application/json; charset=utf-8"),
        Some("APPLICATION/JSON"),
        Some("text/plain"),
        None,
    ]);
    let key = prop_oneof![Just(None), "[ -~]{0,8}".prop_map(Some), "[!-~]{250,260}".prop_map(Some)];
    let input = (api_body(), content_type, key, 0_u8..8);
    fuzz(
        "API POST /api/v1/referrals",
        input,
        |(body, content_type, key, auth)| {
            let mut request = Request::post("/api/v1/referrals");
            request = match auth {
                0 => request,
                1 => request.header(header::AUTHORIZATION, "Bearer rls_0000"),
                _ => request.header(header::AUTHORIZATION, format!("Bearer {}", target.token)),
            };
            if let Some(content_type) = content_type {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            if let Some(key) = key {
                request = request.header("idempotency-key", key);
            }
            let response = target.send(
                request.body(Body::from(body)).unwrap(),
                SocketAddr::from(([127, 0, 0, 1], 3)),
            );
            status_of(&response)?;
            let json = response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
            if json {
                Ok(())
            } else {
                Err("an API answer that is not JSON".to_owned())
            }
        },
    );
}

/// `text` as one path segment, percent-encoded.
fn segment(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub fn api_reads() {
    let target = Target::start();
    let reference = prop_oneof![
        text(),
        "(RF|SG|rf)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}",
        "[0-9A-Za-z -]{0,20}",
    ];
    let authorization = prop_oneof![
        Just(None),
        "(Bearer|bearer|Basic) [ -~]{0,80}".prop_map(Some),
        "Bearer rls_[0-9a-f]{0,70}".prop_map(Some),
        Just(Some(String::new())),
    ];
    let input = (reference, authorization, any::<bool>());
    fuzz(
        "API GET /api/v1/referrals/{reference}",
        input,
        |(reference, authorization, valid)| {
            let path = format!("/api/v1/referrals/{}", segment(&reference));
            let mut request = Request::get(path);
            if valid {
                request = request.header(header::AUTHORIZATION, format!("Bearer {}", target.token));
            } else if let Some(authorization) = authorization
                && let Ok(value) = header::HeaderValue::from_str(&authorization)
            {
                request = request.header(header::AUTHORIZATION, value);
            }
            let response = target.send(
                request.body(Body::empty()).unwrap(),
                SocketAddr::from(([127, 0, 0, 1], 4)),
            );
            status_of(&response).map(|_| ())
        },
    );
}

fn form_body(fields: &[(String, String)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

const PUBLIC_FIELDS: &[&str] = &[
    "description",
    "departement",
    "place",
    "when",
    "minor",
    "forms",
    "danger",
    "contact",
    "website",
    "form_token",
    "code",
    "passphrase",
    "complement",
    "csrf",
];

pub fn public_forms() {
    let target = Target::start();
    let (cookies, csrf) = target.anonymous("/signalement");
    let action = prop::sample::select(vec![
        "/signalement",
        "/signalement/suivi",
        "/signalement/suivi/complement",
    ]);
    let fields = prop::collection::vec(
        (prop::sample::select(PUBLIC_FIELDS).prop_map(str::to_owned), text()),
        0..10,
    );
    // Every request from its own address, so that the rate limits do not hide the forms.
    let input = (action, fields, any::<[u8; 4]>(), any::<bool>());
    fuzz("public forms", input, |(action, fields, address, with_csrf)| {
        let mut all = Vec::new();
        if with_csrf {
            all.push(("csrf".to_owned(), csrf.clone()));
        }
        all.extend(fields);
        let request = Request::post(action)
            .header(header::COOKIE, &cookies)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_body(&all)))
            .unwrap();
        let response = target.send(request, SocketAddr::from((address, 5)));
        status_of(&response).map(|_| ())
    });
}

/// Routes an arbitrary request must not reach: they end the session the
/// other requests use, or slow every later one (password hashing).
fn skipped(method: &str, path: &str) -> bool {
    path == "/logout"
        || path == "/reauth"
        || path.starts_with("/account")
        || path.starts_with("/login")
        || (method == "POST" && path.starts_with("/setup"))
}

/// `path` with each `{param}` replaced by an arbitrary segment.
fn fill(path: &str, values: &[String]) -> String {
    let mut out = String::new();
    let mut values = values.iter().cycle();
    for part in path.split('/').skip(1) {
        out.push('/');
        if part.starts_with('{') {
            out.push_str(&segment(values.next().map_or("", String::as_str)));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Names the forms of the application post, and any other.
fn field_name() -> impl Strategy<Value = String> {
    const OTHERS: &[&str] = &[
        "id",
        "q",
        "page",
        "status",
        "role",
        "roles",
        "email",
        "name",
        "kind",
        "reason",
        "label",
        "organisation_id",
        "territory",
        "type",
        "outcome",
        "summary",
        "urgency",
        "from",
        "to",
        "format",
        "next",
        "user_id",
        "date",
    ];
    prop_oneof![
        4 => prop::sample::select([PUBLIC_FIELDS, API_FIELDS, OTHERS].concat()).prop_map(str::to_owned),
        1 => text(),
    ]
}

pub fn every_route() {
    let target = Target::start();
    let routes: Vec<(&'static str, &'static str)> = route_table()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .filter(|(method, path)| !skipped(method, path))
        .collect();
    let fields = prop::collection::vec((field_name(), text()), 0..8);
    let query = prop::collection::vec((field_name(), text()), 0..3);
    let params = prop::collection::vec(
        prop_oneof![
            text(),
            "[0-9a-z_]{0,24}",
            Just("org_".to_owned()),
            Just("RF-0000-0000-0000".to_owned())
        ],
        1..3,
    );
    let input = (prop::sample::select(routes), params, query, fields, any::<bool>());
    fuzz(
        "every route, signed in",
        input,
        |((method, path), params, query, fields, with_csrf)| {
            let mut uri = fill(path, &params);
            if !query.is_empty() {
                uri.push('?');
                uri.push_str(&form_body(&query));
            }
            let mut all = Vec::new();
            if with_csrf {
                all.push(("csrf".to_owned(), target.admin_csrf.clone()));
            }
            all.extend(fields);
            let request = Request::builder()
                .method(method)
                .uri(&uri)
                .header(header::COOKIE, &target.admin_cookies)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(if method == "GET" {
                    Body::empty()
                } else {
                    Body::from(form_body(&all))
                })
                .map_err(|e| e.to_string());
            // A URI the HTTP layer refuses never reaches the router.
            let Ok(request) = request else { return Ok(()) };
            let response = target.send(request, SocketAddr::from(([127, 0, 0, 1], 6)));
            status_of(&response)
                .map(|_| ())
                .map_err(|e| format!("{e} on {method} {uri}"))
        },
    );
}
