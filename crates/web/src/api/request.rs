//! The body of `POST /api/v1/referrals`, and its schema in the OpenAPI document. Field meanings
//! are those of the web form; each field's schema takes its limits and keys from the domain, so
//! the document cannot promise what the server refuses.

use super::schema::{choice, date, described, list, text};
use relais_domain::intake::referral::steps::{CONSENT, MAX_ALIASES, MAX_SHORT, MAX_TEXT, YES_NO};
use relais_domain::intake::referral::{AgeStatus, ExploitationForm, Location, ReferralDetails, Sex};
use relais_domain::intake::screening::Answer;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa::openapi::schema::{AdditionalProperties, Object, ObjectBuilder, Type};
use utoipa::openapi::{Array, Schema};

/// A complete referral. Unknown fields are refused so that a typo is not silently dropped.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralRequest {
    #[schema(schema_with = family_name)]
    family_name: String,
    #[schema(schema_with = given_names)]
    given_names: String,
    #[schema(schema_with = aliases)]
    aliases: Vec<String>,
    #[schema(schema_with = birth_date)]
    birth_date: String,
    #[schema(schema_with = age, required = true)]
    age: String,
    #[schema(schema_with = sex, required = true)]
    sex: String,
    #[schema(schema_with = nationality)]
    nationality: String,
    #[schema(schema_with = departement, required = true)]
    departement: String,
    #[schema(schema_with = safe_contact)]
    safe_contact: String,
    #[schema(schema_with = languages, required = true)]
    languages: String,
    #[schema(schema_with = interpreter_needed, required = true)]
    interpreter_needed: String,
    #[schema(schema_with = interpreter_language)]
    interpreter_language: String,
    #[schema(schema_with = circumstances, required = true)]
    circumstances: String,
    #[schema(schema_with = forms, required = true)]
    forms: Vec<String>,
    #[schema(schema_with = form_other)]
    form_other: String,
    #[schema(schema_with = places)]
    places: String,
    #[schema(schema_with = location, required = true)]
    location: String,
    #[schema(schema_with = period_start)]
    period_start: String,
    #[schema(schema_with = period_end)]
    period_end: String,
    #[schema(schema_with = act)]
    act: Answer,
    #[schema(schema_with = answers)]
    answers: BTreeMap<String, Answer>,
    #[schema(schema_with = flag)]
    need_safety: bool,
    #[schema(schema_with = flag)]
    need_medical: bool,
    #[schema(schema_with = flag)]
    need_shelter_tonight: bool,
    #[schema(schema_with = needs_details)]
    needs_details: String,
    #[schema(schema_with = consent)]
    consent: String,
    #[schema(schema_with = consent_language)]
    consent_language: String,
    #[schema(schema_with = consent_interpreter)]
    consent_interpreter: String,
    #[schema(schema_with = consent_explained_by)]
    consent_explained_by: String,
    #[schema(schema_with = consent_date)]
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

fn family_name() -> Object {
    text(
        MAX_SHORT,
        "Family name. At least one of family_name, given_names or aliases is required.",
    )
}

fn given_names() -> Object {
    text(MAX_SHORT, "Given names.")
}

fn aliases() -> Array {
    let alias = ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX_SHORT))
        .build();
    list(alias, None, Some(MAX_ALIASES), "Other names the person is known by.")
}

fn birth_date() -> Object {
    described("Birth date, YYYY or YYYY-MM-DD, often an estimate; not in the future.")
}

fn age() -> Object {
    choice(
        AgeStatus::ALL.map(AgeStatus::key),
        Some(
            "Minor or disputed age: the referral proceeds without consent and the département's child-protection unit is notified.",
        ),
    )
}

fn sex() -> Object {
    choice(Sex::ALL.map(Sex::key), None)
}

fn nationality() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[A-Za-z]{3}$"))
        .description(Some("ISO 3166-1 alpha-3 code (e.g. BGR)."))
        .build()
}

fn departement() -> Object {
    described("Code of the département where the person was met (e.g. 75, 2A, 971).")
}

fn safe_contact() -> Object {
    text(MAX_TEXT, "How to reach the person safely.")
}

fn languages() -> Object {
    text(MAX_SHORT, "Languages the person speaks. Required.")
}

fn interpreter_needed() -> Object {
    choice(YES_NO, Some("Whether an interpreter is needed. Required."))
}

fn interpreter_language() -> Object {
    text(MAX_SHORT, "Required when interpreter_needed is yes.")
}

fn circumstances() -> Object {
    text(MAX_TEXT, "How the person was met and what is known. Required.")
}

fn forms() -> Array {
    list(
        choice(ExploitationForm::ALL.map(ExploitationForm::key), None),
        Some(1),
        None,
        "Forms of exploitation suspected. At least one.",
    )
}

fn form_other() -> Object {
    text(MAX_SHORT, "Required when forms contains other.")
}

fn places() -> Object {
    text(MAX_TEXT, "Places of exploitation.")
}

fn location() -> Object {
    choice(
        Location::ALL.map(Location::key),
        Some("Where the exploitation took place. Required."),
    )
}

fn period_start() -> Object {
    described("YYYY or YYYY-MM-DD.")
}

fn period_end() -> Object {
    described("YYYY or YYYY-MM-DD, not before period_start.")
}

/// An observation: yes, no, or unknown when absent.
fn answer() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Answer::ALL.map(Answer::key)))
        .default(Some(Answer::default().key().into()))
}

fn act() -> Object {
    answer()
        .description(Some(
            "Whether the act of trafficking (recruitment, transport, harbouring…) was observed.",
        ))
        .build()
}

fn answers() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(Schema::Object(answer().build()).into())))
        .description(Some(
            "Indicator answers of the catalogue ilo-ec-delphi-2009-labour (newest version), keyed dimension/indicator as in the catalogue (adult set, or child set for a minor). Unknown keys are refused.",
        ))
        .build()
}

fn flag() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .default(Some(false.into()))
        .build()
}

fn needs_details() -> Object {
    text(MAX_TEXT, "Details of urgent needs.")
}

fn consent() -> Object {
    choice(
        CONSENT,
        Some(
            "Adults only (required for an adult). A refusal turns the referral into an anonymous notification: identifying and free-text fields are dropped.",
        ),
    )
}

fn consent_language() -> Object {
    text(MAX_SHORT, "Required when consent is given.")
}

fn consent_interpreter() -> Object {
    choice(YES_NO, Some("Required when consent is given."))
}

fn consent_explained_by() -> Object {
    text(MAX_SHORT, "Who explained the consent. Required when consent is given.")
}

fn consent_date() -> Object {
    date("YYYY-MM-DD, required when consent is given; not in the future.")
}
