//! The integration API (`/api/v1/…`): JSON in and out, authenticated by an
//! organisation's API token (see `Access::ApiToken`). Errors are JSON
//! problem objects, never HTML pages, and never echo what was sent (it may
//! be personal data).

use super::bodies::{Invalid, Problem, ReferralProblem, StatusReport, Submitted};
use super::document::{self, Unauthorized};
use super::request::ReferralRequest;
use crate::AppState;
use crate::error::AppError;
use crate::session::RequestContext;
use axum::body::Body;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::reference::Reference;
use relais_domain::intake::referral::status::Status as ReferralStatus;
use relais_store::intake::api_referrals::{self, ApiCaller, FieldProblem, Idempotency, Replay, SubmitError};
use relais_store::{Actor, Tx};
use serde::Serialize;

/// Every API route starts with this: the CSRF check and cookie sessions do
/// not apply under it (see `csrf::verify` and `session::context`).
pub const PREFIX: &str = "/api/";

/// Largest JSON body accepted.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

pub fn is_api(path: &str) -> bool {
    path.starts_with(PREFIX)
}

fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    let text = serde_json::to_string(body).unwrap_or_default();
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A JSON error: a stable `error` key and an English sentence for developers.
pub fn problem(status: StatusCode, error: &'static str, message: &'static str) -> Response {
    json_response(status, &Problem { error, message })
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

fn invalid(problems: &[FieldProblem]) -> Response {
    let problems = problems
        .iter()
        .map(|p| ReferralProblem {
            step: p.step,
            field: p.field,
            problem: p.problem,
        })
        .collect();
    json_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        &Invalid {
            error: "invalid-referral",
            message: "Some fields are missing or invalid.",
            problems: Some(problems),
            line: None,
            column: None,
        },
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
        &Invalid {
            error: kind,
            message: "The body is not a referral object as described in /api/v1/openapi.json.",
            problems: None,
            line: Some(error.line()),
            column: Some(error.column()),
        },
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
    // A replayed answer is read back from what was stored.
    let location = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["location"].as_str().and_then(|l| HeaderValue::from_str(l).ok()));
    if let Some(location) = location {
        headers.insert(header::LOCATION, location);
    }
    response
}

/// `POST /api/v1/referrals`.
#[utoipa::path(
    post,
    path = "/api/v1/referrals",
    operation_id = "submitReferral",
    summary = "Submit a complete referral",
    description = "Validates every step of the referral form, screens the indicator answers, and submits. Unknown fields are refused. Body limit 64 KiB. Send an Idempotency-Key so that retrying after a timeout or a 503 never makes a second referral.",
    params((
        "Idempotency-Key" = Option<String>, Header, nullable = false,
        description = "A key the client makes for each new referral (a UUID, for example) and sends again, unchanged, when it retries the same request. Within 24 hours, per API token: the same key with the same body returns the first response again (201, the same reference) and creates nothing; the same key with another body is refused with 422 idempotency-key-reused. Only a hash of the key is stored.",
        min_length = 1, max_length = 255, pattern = "^[\\x21-\\x7e]+$",
        example = "3f0c8f8e-5b1a-4c39-9a53-2f1d0c6b7e42",
    )),
    request_body(content = ReferralRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Submitted, or the replayed response to an earlier request with the same Idempotency-Key and body.", body = Submitted,
            headers(("Location" = String, description = "The status URL."))),
        (status = 400, description = "Not JSON, or an Idempotency-Key that is not 1 to 255 visible ASCII characters (error invalid-idempotency-key).", body = Problem),
        (status = 401, response = Unauthorized),
        (status = 413, description = "Body larger than 64 KiB.", body = Problem),
        (status = 415, description = "Content-Type is not application/json.", body = Problem),
        (status = 422, description = "Missing or invalid fields, unknown fields, wrong types, or an Idempotency-Key already used with another body (error idempotency-key-reused). Submitted keys and values are never repeated.", body = Invalid),
        (status = 503, description = "The database was busy; nothing was saved. Retry later with the same Idempotency-Key.", body = Problem),
    ),
)]
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
    let response = serde_json::to_string(&Submitted {
        reference: submitted.reference.as_str().to_owned(),
        status: ReferralStatus::Submitted.key(),
        kind: submitted.kind.key(),
        child_protection_notified: submitted.child_notification.is_some(),
        location: format!("/api/v1/referrals/{}", submitted.reference.as_str()),
    })
    .unwrap_or_default();
    if let Some(idempotency) = &idempotency {
        api_referrals::remember(&mut tx, &caller, idempotency, &submitted, &response).await?;
    }
    tx.commit().await?;
    Ok(created(&response))
}

/// `GET /api/v1/referrals/{reference}`.
#[utoipa::path(
    get,
    path = "/api/v1/referrals/{reference}",
    operation_id = "getReferralStatus",
    summary = "Follow a referral's status",
    description = "Only referrals submitted through the API by the caller's organisation (with any of its tokens) are visible; any other reference answers 404.",
    params(("reference" = String, Path, example = "RL-ABCD-EFGH-JKMN")),
    responses(
        (status = 200, description = "The status.", body = StatusReport),
        (status = 401, response = Unauthorized),
        (status = 404, description = "Unknown reference, or not one of this organisation's API referrals.", body = Problem),
    ),
)]
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
        &StatusReport {
            reference: view.reference,
            status: view.status.key(),
            kind: view.kind.key(),
            submitted_at,
            screening: view.screening.map(|s| s.key()),
        },
    ))
}

/// `GET /api/v1/openapi.json`.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "getOpenApi",
    summary = "This document",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 description.", body = Object, content_type = "application/json")),
)]
pub async fn openapi() -> Response {
    let mut response = (StatusCode::OK, document::document()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
