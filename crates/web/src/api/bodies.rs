//! The JSON the API answers with. The handlers serialise these types and the OpenAPI document
//! is generated from them, so a field cannot be added to one and forgotten in the other.

use super::schema::{choice, nullable_choice};
use relais_domain::intake::referral::ReferralKind;
use relais_domain::intake::referral::status::Status as ReferralStatus;
use relais_domain::intake::screening::Overall;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, SchemaFormat, SchemaType, Type};

/// The kinds of referral an integration can submit: a consenting adult's or a child's (full),
/// or an adult's without consent (anonymous). Public signalements do not come through the API.
const API_KINDS: [ReferralKind; 2] = [ReferralKind::Full, ReferralKind::AnonymousNotification];

/// The answer to a submitted referral (`201`), also replayed for the same Idempotency-Key.
#[derive(Debug, Serialize, ToSchema)]
pub struct Submitted {
    #[schema(example = "RL-ABCD-EFGH-JKMN")]
    pub reference: String,
    #[schema(schema_with = submitted_status)]
    pub status: &'static str,
    #[schema(schema_with = submitted_kind)]
    pub kind: &'static str,
    /// true for a minor or disputed age: an urgent task to notify the département's
    /// child-protection unit was created.
    pub child_protection_notified: bool,
    /// The status URL.
    pub location: String,
}

/// A referral's status, as its submitter may follow it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Status)]
pub struct StatusReport {
    pub reference: String,
    #[schema(schema_with = status_key)]
    pub status: &'static str,
    #[schema(schema_with = kind_key)]
    pub kind: &'static str,
    #[schema(schema_with = submitted_at, required = true)]
    pub submitted_at: Option<String>,
    #[schema(schema_with = screening, required = true)]
    pub screening: Option<&'static str>,
}

/// An error: a stable `error` key and an English sentence for developers. Never an echo of
/// what was sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    pub error: &'static str,
    pub message: &'static str,
}

/// A body refused (`422`): `invalid-referral` lists its problems, `wrong-type` says where the
/// JSON did not fit, and `idempotency-key-reused` has neither.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invalid {
    /// invalid-referral, wrong-type or idempotency-key-reused.
    pub error: &'static str,
    pub message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub problems: Option<Vec<ReferralProblem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub column: Option<usize>,
}

/// One problem of a refused referral.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralProblem {
    /// The form step (person, languages, circumstances, exploitation, places, indicators,
    /// needs, consent); empty for an unknown field.
    pub step: &'static str,
    /// The documented name of the field (answers for an unknown indicator); empty for an
    /// unknown field, whose name is never repeated.
    pub field: &'static str,
    /// A stable key: required, choose, invalid-choice, too-long, date-format, date-future,
    /// country-code, name-or-alias, end-before-start, unknown-indicator, unknown-field.
    pub problem: &'static str,
}

fn submitted_status() -> Object {
    choice([ReferralStatus::Submitted.key()], None)
}

fn submitted_kind() -> Object {
    choice(
        API_KINDS.map(ReferralKind::key),
        Some("anonymous when an adult refused consent: only statistical fields were kept."),
    )
}

fn kind_key() -> Object {
    choice(API_KINDS.map(ReferralKind::key), None)
}

/// Every status but the draft: a referral reaches the API's caller once submitted.
fn status_key() -> Object {
    choice(
        ReferralStatus::ALL
            .into_iter()
            .filter(|s| *s != ReferralStatus::Draft)
            .map(ReferralStatus::key),
        None,
    )
}

fn submitted_at() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .build()
}

fn screening() -> Object {
    nullable_choice(
        Overall::ALL.map(Overall::key),
        "The overall result of the indicator screening.",
    )
}
