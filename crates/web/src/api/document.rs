//! The OpenAPI 3.1 document served at `/api/v1/openapi.json`, generated from the handlers'
//! annotations and the request and response types (ADR 0054). A snapshot test compares it with
//! crates/web/tests/snapshots/openapi.json, so every change to the contract is reviewed.

use super::bodies::{Invalid, Problem, ReferralProblem, StatusReport, Submitted};
use super::request::ReferralRequest;
use super::v1;
use std::sync::LazyLock;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, OpenApi as Document, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToResponse};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Relais API",
        version = "1.0.0",
        description = "Integration API of Relais, the national referral mechanism for victims of human trafficking. An administrator issues an API token to an organisation; its information system submits complete referrals and follows their status. Personal content is never returned. Every call is audited.",
    ),
    servers((url = "/")),
    security(("bearer" = [])),
    paths(v1::submit, v1::status, v1::openapi),
    components(
        schemas(ReferralRequest, Submitted, StatusReport, Problem, Invalid, ReferralProblem),
        responses(Unauthorized),
    ),
    modifiers(&Shared),
)]
struct ApiDoc;

/// The bearer scheme every operation but the document itself requires.
struct Shared;

impl Modify for Shared {
    fn modify(&self, document: &mut Document) {
        document.components.get_or_insert_with(Default::default).add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (rls_…) issued by an administrator to an organisation, sent as Authorization: Bearer rls_…",
                    ))
                    .build(),
            ),
        );
    }
}

/// The answer to a missing, unknown or revoked token, shared by the operations.
pub struct Unauthorized;

impl<'r> ToResponse<'r> for Unauthorized {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = ResponseBuilder::new()
            .description("Missing, unknown or revoked token, or inactive organisation.")
            .header(
                "WWW-Authenticate",
                HeaderBuilder::new()
                    .schema(ObjectBuilder::new().schema_type(Type::String))
                    .build(),
            )
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build();
        ("Unauthorized", response.into())
    }
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|error| format!("{{\"error\": \"the OpenAPI document could not be written: {error}\"}}"))
});

/// The document, generated once per process.
pub fn document() -> &'static str {
    &DOCUMENT
}
