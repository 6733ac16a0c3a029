//! Small builders for the schemas the derive cannot write from a Rust type alone: a string
//! bounded by the domain's own limit, or one of the domain's keys. Taking both from the domain
//! keeps the published document equal to what the server checks.

use serde_json::Value;
use utoipa::openapi::schema::{
    ArrayBuilder, ArrayItems, KnownFormat, Object, ObjectBuilder, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Array, Schema};

/// A free text of at most `max` characters.
pub fn text(max: usize, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(max))
        .description(Some(description))
        .build()
}

/// A string with a description and no further constraint.
pub fn described(description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .build()
}

/// One of the given keys.
pub fn choice<'a>(keys: impl IntoIterator<Item = &'a str>, description: Option<&str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(keys.into_iter().map(str::to_owned)))
        .description(description)
        .build()
}

/// One of the given keys, or null.
pub fn nullable_choice<'a>(keys: impl IntoIterator<Item = &'a str>, description: &str) -> Object {
    let values = keys.into_iter().map(Value::from).chain([Value::Null]);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values))
        .description(Some(description))
        .build()
}

/// A date (`YYYY-MM-DD`).
pub fn date(description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .description(Some(description))
        .build()
}

/// A list of items, with optional bounds on its length.
pub fn list(items: Object, min: Option<usize>, max: Option<usize>, description: &str) -> Array {
    ArrayBuilder::new()
        .items(ArrayItems::RefOrSchema(Box::new(Schema::Object(items).into())))
        .min_items(min)
        .max_items(max)
        .description(Some(description))
        .build()
}
