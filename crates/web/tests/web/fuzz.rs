//! Arbitrary requests through the whole router, in-process
//! (`tower::ServiceExt::oneshot`), on SQLite (docs/adr/0021-input-robustness.md):
//! whatever is sent, the answer is never a server error (5xx). `cargo test`
//! sends a few hundred requests per target; `make fuzz` sets `PROPTEST_CASES`.

use super::harness::{PASSWORD, TestApp, csrf_of, settings};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, header};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use relais_web::{AppState, route_table, router};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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
    app: TestApp,
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
            app,
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

/// How many inputs are in flight at once. The router serves them
/// concurrently, as it serves a server's clients, and drawing the next
/// inputs overlaps with serving the last ones; `FUZZ_WORKERS` sets another
/// number (1: one request at a time).
fn workers() -> u32 {
    std::env::var("FUZZ_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(4)
}

/// Runs `check` on `PROPTEST_CASES` inputs (256 by default), shared among
/// [`workers`] threads that each draw their own inputs from `strategy()`,
/// and prints the figures. The first failure stops the other workers and
/// is shrunk alone.
fn fuzz<S: Strategy>(name: &str, strategy: impl Fn() -> S + Sync, check: impl Fn(S::Value) -> Result<(), String> + Sync)
where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        failure_persistence: None,
        // Each shrinking step is a request: a few hundred are plenty.
        max_shrink_iters: 500,
        ..Config::default()
    };
    let workers = workers();
    let inputs = AtomicU64::new(0);
    let failed_worker = AtomicU32::new(u32::MAX);
    let failures = Mutex::new(Vec::new());
    let start = Instant::now();
    std::thread::scope(|scope| {
        for worker in 0..workers {
            // The first workers take one input more when the budget does not divide evenly.
            let cases = config.cases / workers + u32::from(worker < config.cases % workers);
            let config = Config {
                cases,
                ..config.clone()
            };
            let (strategy, check, inputs, failed_worker, failures) =
                (&strategy, &check, &inputs, &failed_worker, &failures);
            scope.spawn(move || {
                let mut runner = TestRunner::new(config);
                let result = runner.run(&strategy(), |value| {
                    let failed = failed_worker.load(Ordering::SeqCst);
                    if failed != u32::MAX && failed != worker {
                        // Another worker is shrinking its failure: stop here (proptest
                        // aborts this runner after its allowance of rejections).
                        return Err(TestCaseError::reject("another worker failed"));
                    }
                    inputs.fetch_add(1, Ordering::Relaxed);
                    check(value).map_err(|reason| {
                        let _ = failed_worker.compare_exchange(u32::MAX, worker, Ordering::SeqCst, Ordering::SeqCst);
                        TestCaseError::fail(reason)
                    })
                });
                let failed = failed_worker.load(Ordering::SeqCst);
                let stopped = failed != u32::MAX && failed != worker;
                match result {
                    Ok(()) => {}
                    // Stopped because another worker failed: that failure is the one to report.
                    Err(TestError::Abort(_)) if stopped => {}
                    Err(failure) => failures.lock().unwrap().push(failure.to_string()),
                }
            });
        }
    });
    eprintln!(
        "fuzz {name}: {} inputs in {:.1} s ({workers} at a time)",
        inputs.load(Ordering::Relaxed),
        start.elapsed().as_secs_f64()
    );
    let failures = failures.into_inner().unwrap();
    if !failures.is_empty() {
        panic!("fuzz {name}: {}", failures.join("\n"));
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

/// The strings `pattern` matches, compiled once: proptest compiles a bare
/// `&str` pattern (and `any::<String>()`, which is `"\\PC*"`) again for every
/// value drawn, which cost more than most of the checks.
fn regex(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).unwrap()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(WORDS), 0..4).prop_map(|w| w.concat()),
        2 => regex("[ -~]{0,24}"),
        1 => regex("\\PC*"),
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
    let input = || {
        let content_type = prop::sample::select(vec![
            Some("application/json"),
            Some("application/json; charset=utf-8"),
            Some("APPLICATION/JSON"),
            Some("text/plain"),
            None,
        ]);
        let key = prop_oneof![
            Just(None),
            regex("[ -~]{0,8}").prop_map(Some),
            regex("[!-~]{250,260}").prop_map(Some)
        ];
        (api_body(), content_type, key, 0_u8..8)
    };
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
    let input = || {
        let reference = prop_oneof![
            text(),
            regex("(RF|SG|rf)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"),
            regex("[0-9A-Za-z -]{0,20}"),
        ];
        let authorization = prop_oneof![
            Just(None),
            regex("(Bearer|bearer|Basic) [ -~]{0,80}").prop_map(Some),
            regex("Bearer rls_[0-9a-f]{0,70}").prop_map(Some),
            Just(Some(String::new())),
        ];
        (reference, authorization, any::<bool>())
    };
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

/// What a follow-up request carries before its other fields.
#[derive(Debug, Clone)]
enum Credentials {
    /// Only the arbitrary fields.
    None,
    /// The code and passphrase of the signalement on file: reaches its status page and the
    /// addition of information. Never with a wrong passphrase, which would count towards the
    /// code's lockout and hide that page from the rest of the run.
    OnFile,
    /// A well-formed code that matches nothing, with a well-formed passphrase.
    WellFormed(String, String),
}

pub fn public_forms() {
    let target = Target::start();
    let (cookies, csrf) = target.anonymous("/signalement");
    let (code, passphrase) = target
        .runtime
        .block_on(super::signalement::file(&target.app, &target.app.client()));
    let input = || {
        let action = prop::sample::select(vec![
            "/signalement",
            "/signalement/suivi",
            "/signalement/suivi/complement",
        ]);
        let fields = prop::collection::vec(
            (
                // The honeypot is drawn below.
                prop::sample::select(
                    PUBLIC_FIELDS
                        .iter()
                        .filter(|name| **name != "website")
                        .collect::<Vec<_>>(),
                )
                .prop_map(|name| (*name).to_owned()),
                text(),
            ),
            0..10,
        );
        // The honeypot makes the server hash a passphrase whatever else was sent (so that a
        // robot waits as long as a person): as rare as robots, not a third of the signalements.
        let website = prop_oneof![49 => Just(None), 1 => text().prop_map(Some)];
        // Arbitrary codes rarely parse, and those that do not share one failure counter, locked
        // after five: without these, hardly any follow-up would get past the rate limits.
        let credentials = prop_oneof![
            46 => Just(Credentials::None),
            2 => Just(Credentials::OnFile),
            2 => (
                regex("SG-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"),
                regex("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
            )
                .prop_map(|(code, passphrase)| Credentials::WellFormed(code, passphrase)),
        ];
        // Every request from its own address, so that the per-address limits do not hide the forms.
        (action, credentials, fields, website, any::<[u8; 4]>(), any::<bool>())
    };
    fuzz(
        "public forms",
        input,
        |(action, credentials, fields, website, address, with_csrf)| {
            let mut all = Vec::new();
            if with_csrf {
                all.push(("csrf".to_owned(), csrf.clone()));
            }
            match credentials {
                Credentials::None => {}
                Credentials::OnFile => {
                    all.push(("code".to_owned(), code.clone()));
                    all.push(("passphrase".to_owned(), passphrase.clone()));
                }
                Credentials::WellFormed(code, passphrase) => {
                    all.push(("code".to_owned(), code));
                    all.push(("passphrase".to_owned(), passphrase));
                }
            }
            all.extend(fields);
            if let Some(website) = website {
                all.push(("website".to_owned(), website));
            }
            let request = Request::post(action)
                .header(header::COOKIE, &cookies)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form_body(&all)))
                .unwrap();
            let response = target.send(request, SocketAddr::from((address, 5)));
            status_of(&response).map(|_| ())
        },
    );
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
    let input = || {
        let fields = prop::collection::vec((field_name(), text()), 0..8);
        let query = prop::collection::vec((field_name(), text()), 0..3);
        let params = prop::collection::vec(
            prop_oneof![
                text(),
                regex("[0-9a-z_]{0,24}"),
                Just("org_".to_owned()),
                Just("RF-0000-0000-0000".to_owned())
            ],
            1..3,
        );
        (
            prop::sample::select(routes.clone()),
            params,
            query,
            fields,
            any::<bool>(),
        )
    };
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
