//! The integration API (`/api/v1/…`): JSON in and out, authenticated by an
//! organisation's API token (see `Access::ApiToken`). Errors are JSON
//! problem objects, never HTML pages, and never echo what was sent (it may
//! be personal data).

use crate::AppState;
use crate::error::AppError;
use crate::session::RequestContext;
use axum::body::Body;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::reference::Reference;
use relais_domain::intake::screening::Answer;
use relais_store::intake::api_referrals::{self, ApiCaller, FieldProblem, Idempotency, Replay, SubmitError};
use relais_store::{Actor, Tx};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Every API route starts with this: the CSRF check and cookie sessions do
/// not apply under it (see `csrf::verify` and `session::context`).
pub const PREFIX: &str = "/api/";

/// Largest JSON body accepted.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// The OpenAPI 3.1 description, written by hand (docs/adr/0007-api.md).
pub const OPENAPI: &str = include_str!("openapi.json");

pub fn is_api(path: &str) -> bool {
    path.starts_with(PREFIX)
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A JSON error: a stable `error` key and an English sentence for developers.
pub fn problem(status: StatusCode, error: &str, message: &str) -> Response {
    json_response(status, &json!({ "error": error, "message": message }))
}

/// The guard's answer to a missing, unknown or revoked token.
pub fn unauthorized() -> Response {
    let mut response = problem(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Present a valid API token: Authorization: Bearer rls_…",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"relais\""),
    );
    response
}

/// The JSON body of an error page status, for requests under [`PREFIX`].
pub fn error_status(status: StatusCode) -> Response {
    let (error, message) = match status {
        StatusCode::NOT_FOUND => ("not-found", "No such resource."),
        StatusCode::FORBIDDEN => ("forbidden", "Refused."),
        StatusCode::PAYLOAD_TOO_LARGE => ("too-large", "The body is larger than 64 KiB."),
        StatusCode::CONFLICT => ("conflict", "The act is no longer possible."),
        StatusCode::METHOD_NOT_ALLOWED => ("method-not-allowed", "Method not allowed."),
        StatusCode::SERVICE_UNAVAILABLE => (
            "busy",
            "The database is busy; nothing was saved. Retry later with the same Idempotency-Key.",
        ),
        _ => ("internal", "Internal error; quote the x-request-id header."),
    };
    problem(status, error, message)
}

/// `POST /api/v1/referrals`: a complete referral. Field meanings are those
/// of the web form; the OpenAPI document lists them. Unknown fields are
/// refused so that a typo is not silently dropped.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralRequest {
    family_name: String,
    given_names: String,
    aliases: Vec<String>,
    birth_date: String,
    age: String,
    sex: String,
    nationality: String,
    departement: String,
    safe_contact: String,
    languages: String,
    interpreter_needed: String,
    interpreter_language: String,
    circumstances: String,
    forms: Vec<String>,
    form_other: String,
    places: String,
    location: String,
    period_start: String,
    period_end: String,
    act: Answer,
    answers: BTreeMap<String, Answer>,
    need_safety: bool,
    need_medical: bool,
    need_shelter_tonight: bool,
    needs_details: String,
    consent: String,
    consent_language: String,
    consent_interpreter: String,
    consent_explained_by: String,
    consent_date: String,
}

impl From<ReferralRequest> for ReferralDetails {
    fn from(r: ReferralRequest) -> Self {
        Self {
            family_name: r.family_name,
            given_names: r.given_names,
            aliases: r.aliases,
            birth_date: r.birth_date,
            age: r.age,
            sex: r.sex,
            nationality: r.nationality,
            departement: r.departement,
            safe_contact: r.safe_contact,
            languages: r.languages,
            interpreter_needed: r.interpreter_needed,
            interpreter_language: r.interpreter_language,
            circumstances: r.circumstances,
            forms: r.forms,
            form_other: r.form_other,
            places: r.places,
            location: r.location,
            period_start: r.period_start,
            period_end: r.period_end,
            act: r.act,
            answers: r.answers,
            // The API answers the Delphi questions only (ADR 0034).
            checklists: None,
            need_safety: r.need_safety,
            need_medical: r.need_medical,
            need_shelter_tonight: r.need_shelter_tonight,
            needs_details: r.needs_details,
            consent: r.consent,
            consent_language: r.consent_language,
            consent_interpreter: r.consent_interpreter,
            consent_explained_by: r.consent_explained_by,
            consent_date: r.consent_date,
        }
    }
}

fn invalid(problems: &[FieldProblem]) -> Response {
    let list: Vec<Value> = problems
        .iter()
        .map(|p| json!({ "step": p.step, "field": p.field, "problem": p.problem }))
        .collect();
    json_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        &json!({
            "error": "invalid-referral",
            "message": "Some fields are missing or invalid.",
            "problems": list,
        }),
    )
}

/// Refuses a body serde cannot read, saying where but not what: an
/// unknown field is not named (its name was chosen by the caller and may be
/// personal data), and no value is ever repeated.
fn unreadable(error: &serde_json::Error) -> Response {
    if error.to_string().starts_with("unknown field") {
        return invalid(&[FieldProblem {
            step: "",
            field: "",
            problem: "unknown-field",
        }]);
    }
    let (status, kind) = match error.classify() {
        serde_json::error::Category::Data => (StatusCode::UNPROCESSABLE_ENTITY, "wrong-type"),
        _ => (StatusCode::BAD_REQUEST, "invalid-json"),
    };
    json_response(
        status,
        &json!({
            "error": kind,
            "message": "The body is not a referral object as described in /api/v1/openapi.json.",
            "line": error.line(),
            "column": error.column(),
        }),
    )
}

/// A timestamp as RFC 3339 in UTC (`2027-01-15T10:00:00Z`).
fn rfc3339(at: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
}

async fn begin(state: &AppState, ctx: &RequestContext, caller: &ApiCaller) -> Result<Tx, AppError> {
    // The actor is the organisation; the audit reason names the token.
    let actor = Actor {
        user_id: None,
        organisation_id: Some(caller.organisation_id().clone()),
    };
    crate::handler::begin_as(state, ctx, actor).await
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// The `Idempotency-Key` header: absent, or 1 to 255 visible ASCII characters.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// The header is present but not a usable key.
struct InvalidIdempotencyKey;

fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<&str>, InvalidIdempotencyKey> {
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(key)),
        _ => Err(InvalidIdempotencyKey),
    }
}

fn created(body: &str) -> Response {
    let mut response = (StatusCode::CREATED, body.to_owned()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let location = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["location"].as_str().and_then(|l| HeaderValue::from_str(l).ok()));
    if let Some(location) = location {
        headers.insert(header::LOCATION, location);
    }
    response
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Extension(caller): Extension<ApiCaller>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    if !is_json(&headers) {
        return Ok(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Send Content-Type: application/json.",
        ));
    }
    let Ok(key) = idempotency_key(&headers) else {
        return Ok(problem(
            StatusCode::BAD_REQUEST,
            "invalid-idempotency-key",
            "Idempotency-Key: 1 to 255 visible ASCII characters, e.g. a UUID.",
        ));
    };
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT_BYTES).await else {
        return Ok(error_status(StatusCode::PAYLOAD_TOO_LARGE));
    };
    let idempotency = key.map(|key| Idempotency::new(key, &bytes));
    let request: ReferralRequest = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(error) => return Ok(unreadable(&error)),
    };
    let details = ReferralDetails::from(request);
    let (version, catalogue) = api_referrals::catalogue(&state.store).await?;
    let mut tx = begin(&state, &ctx, &caller).await?;
    if let Some(idempotency) = &idempotency {
        match api_referrals::replay(&mut tx, &caller, idempotency).await? {
            Replay::New => {}
            Replay::Same(response) => {
                tx.commit().await?;
                return Ok(created(&response));
            }
            Replay::OtherBody => {
                return Ok(problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency-key-reused",
                    "This Idempotency-Key was used with another body in the last 24 hours: use a new key for a new referral.",
                ));
            }
        }
    }
    let submitted = match api_referrals::submit(&mut tx, &caller, &details, (version, &catalogue)).await {
        Ok(submitted) => submitted,
        Err(SubmitError::Invalid(problems)) => return Ok(invalid(&problems)),
        Err(SubmitError::Store(error)) => return Err(error.into()),
    };
    let location = format!("/api/v1/referrals/{}", submitted.reference.as_str());
    let response = json!({
        "reference": submitted.reference.as_str(),
        "status": "submitted",
        "kind": submitted.kind.key(),
        "child_protection_notified": submitted.child_notification.is_some(),
        "location": location,
    })
    .to_string();
    if let Some(idempotency) = &idempotency {
        api_referrals::remember(&mut tx, &caller, idempotency, &submitted, &response).await?;
    }
    tx.commit().await?;
    Ok(created(&response))
}

pub async fn status(
    State(state): State<AppState>,
    ctx: RequestContext,
    Extension(caller): Extension<ApiCaller>,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let reference = Reference::parse(&reference).ok_or(AppError::NotFound)?;
    let mut tx = begin(&state, &ctx, &caller).await?;
    let view = api_referrals::get(&mut tx, &caller, &reference).await?;
    tx.commit().await?;
    let submitted_at = view.submitted_at.and_then(|t| rfc3339(t.0));
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "reference": view.reference,
            "status": view.status.key(),
            "kind": view.kind.key(),
            "submitted_at": submitted_at,
            "screening": view.screening.map(|s| s.key()),
        }),
    ))
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    let mut response = (StatusCode::OK, OPENAPI).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
