//! A source's schema, written as a Frictionless Data Table Schema descriptor
//! (<https://specs.frictionlessdata.io/table-schema/>): the subset Relais
//! checks — field types string, integer, number, date, year and boolean;
//! constraints required, minimum, maximum, enum and pattern; `missingValues`
//! and `primaryKey`. Anything else that would change what a file must hold
//! is refused, so a descriptor never promises a check Relais does not make.

use super::value::{FieldType, Value};
use serde_json::{Map, Value as Json};

/// A field (column) of the schema.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub field_type: FieldType,
    pub title: Option<String>,
    pub description: Option<String>,
    pub constraints: Constraints,
}

/// The constraints Relais checks on a cell.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    pub required: bool,
    pub minimum: Option<Value>,
    pub maximum: Option<Value>,
    pub allowed: Option<Vec<Value>>,
    pub pattern: Option<Pattern>,
}

/// A `pattern` constraint: an XML Schema-like regular expression that the
/// whole cell must match.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    regex: regex::Regex,
}

impl Pattern {
    fn new(source: &str) -> Option<Self> {
        regex::Regex::new(&format!("^(?:{source})$")).ok().map(|regex| Self {
            source: source.to_owned(),
            regex,
        })
    }

    pub fn matches(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

/// A checked descriptor.
#[derive(Debug, Clone)]
pub struct Schema {
    pub fields: Vec<Field>,
    /// Cells that mean "no value" (default: the empty cell).
    pub missing_values: Vec<String>,
    /// Fields whose values together identify a row, if any.
    pub primary_key: Vec<String>,
}

/// What is wrong with a descriptor: where (a JSON path such as
/// `fields[2].constraints.minimum`) and why (a translation key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    pub path: String,
    pub key: &'static str,
}

/// Every key a [`SchemaProblem`] may carry (for the translation check).
pub const SCHEMA_PROBLEM_KEYS: [&str; 9] = [
    "json",
    "fields",
    "name",
    "name-duplicate",
    "type",
    "constraint-value",
    "pattern",
    "unsupported",
    "primary-key",
];

impl SchemaProblem {
    fn new(path: impl Into<String>, key: &'static str) -> Self {
        Self { path: path.into(), key }
    }

    /// In English, for the command line.
    pub fn describe(&self) -> &'static str {
        match self.key {
            "json" => "not a JSON object",
            "fields" => "expected a non-empty list of fields",
            "name" => "each field needs a name",
            "name-duplicate" => "two fields have this name",
            "type" => "expected string, integer, number, date, year or boolean",
            "constraint-value" => "not a value of the field's type",
            "pattern" => "not a valid pattern for a text field",
            "unsupported" => "not supported by Relais",
            "primary-key" => "names no field of the schema",
            _ => "wrong",
        }
    }
}

impl std::fmt::Display for SchemaProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.describe())
    }
}

/// Constraints of the specification Relais does not check: refused.
const UNSUPPORTED_CONSTRAINTS: [&str; 6] = [
    "unique",
    "minLength",
    "maxLength",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "jsonSchema",
];

fn text(object: &Map<String, Json>, key: &str) -> Option<String> {
    object.get(key).and_then(Json::as_str).map(str::to_owned)
}

/// A constraint's value in the descriptor (a JSON number, string or
/// boolean) read as a value of `field_type`.
fn constraint_value(field_type: FieldType, json: &Json) -> Option<Value> {
    let raw = match json {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        _ => return None,
    };
    field_type.read(&raw)
}

fn parse_constraints(
    field_type: FieldType,
    json: Option<&Json>,
    at: &str,
    problems: &mut Vec<SchemaProblem>,
) -> Constraints {
    let mut constraints = Constraints::default();
    let Some(json) = json else {
        return constraints;
    };
    let Some(object) = json.as_object() else {
        problems.push(SchemaProblem::new(at, "json"));
        return constraints;
    };
    for (key, value) in object {
        let path = format!("{at}.{key}");
        match key.as_str() {
            "required" => match value.as_bool() {
                Some(required) => constraints.required = required,
                None => problems.push(SchemaProblem::new(path, "constraint-value")),
            },
            "minimum" | "maximum" => {
                let parsed = field_type
                    .is_ordered()
                    .then(|| constraint_value(field_type, value))
                    .flatten();
                match parsed {
                    Some(v) if key == "minimum" => constraints.minimum = Some(v),
                    Some(v) => constraints.maximum = Some(v),
                    None => problems.push(SchemaProblem::new(path, "constraint-value")),
                }
            }
            "enum" => {
                let values: Option<Vec<Value>> = value
                    .as_array()
                    .filter(|a| !a.is_empty())
                    .and_then(|a| a.iter().map(|v| constraint_value(field_type, v)).collect());
                match values {
                    Some(values) => constraints.allowed = Some(values),
                    None => problems.push(SchemaProblem::new(path, "constraint-value")),
                }
            }
            "pattern" => {
                let pattern = (field_type == FieldType::String)
                    .then(|| value.as_str().and_then(Pattern::new))
                    .flatten();
                match pattern {
                    Some(p) => constraints.pattern = Some(p),
                    None => problems.push(SchemaProblem::new(path, "pattern")),
                }
            }
            other if UNSUPPORTED_CONSTRAINTS.contains(&other) => {
                problems.push(SchemaProblem::new(path, "unsupported"));
            }
            _ => problems.push(SchemaProblem::new(path, "unsupported")),
        }
    }
    constraints
}

fn parse_field(index: usize, json: &Json, problems: &mut Vec<SchemaProblem>) -> Option<Field> {
    let at = format!("fields[{index}]");
    let Some(object) = json.as_object() else {
        problems.push(SchemaProblem::new(at, "json"));
        return None;
    };
    let name = text(object, "name").map(|n| n.trim().to_owned()).unwrap_or_default();
    if name.is_empty() {
        problems.push(SchemaProblem::new(format!("{at}.name"), "name"));
    }
    // The specification's default type is string.
    let field_type = match object.get("type") {
        None => Some(FieldType::String),
        Some(t) => t.as_str().and_then(FieldType::parse),
    };
    let Some(field_type) = field_type else {
        problems.push(SchemaProblem::new(format!("{at}.type"), "type"));
        return None;
    };
    // Formats other than the default change what a cell must look like.
    if object.get("format").is_some_and(|f| f.as_str() != Some("default")) {
        problems.push(SchemaProblem::new(format!("{at}.format"), "unsupported"));
    }
    let constraints = parse_constraints(
        field_type,
        object.get("constraints"),
        &format!("{at}.constraints"),
        problems,
    );
    (!name.is_empty()).then(|| Field {
        name,
        field_type,
        title: text(object, "title"),
        description: text(object, "description"),
        constraints,
    })
}

impl Schema {
    /// Reads and checks a descriptor; every problem at once.
    pub fn parse(descriptor: &str) -> Result<Self, Vec<SchemaProblem>> {
        let json: Json = serde_json::from_str(descriptor).map_err(|_| vec![SchemaProblem::new("", "json")])?;
        let Some(object) = json.as_object() else {
            return Err(vec![SchemaProblem::new("", "json")]);
        };
        let mut problems = Vec::new();
        let listed = object.get("fields").and_then(Json::as_array).filter(|f| !f.is_empty());
        let Some(listed) = listed else {
            return Err(vec![SchemaProblem::new("fields", "fields")]);
        };
        let mut fields: Vec<Field> = Vec::new();
        for (index, json) in listed.iter().enumerate() {
            if let Some(field) = parse_field(index, json, &mut problems) {
                if fields.iter().any(|f| f.name == field.name) {
                    problems.push(SchemaProblem::new(format!("fields[{index}].name"), "name-duplicate"));
                }
                fields.push(field);
            }
        }
        let missing_values = match object.get("missingValues") {
            None => vec![String::new()],
            Some(Json::Array(values)) if values.iter().all(Json::is_string) => values
                .iter()
                .filter_map(Json::as_str)
                .map(|v| v.trim().to_owned())
                .collect(),
            Some(_) => {
                problems.push(SchemaProblem::new("missingValues", "constraint-value"));
                vec![]
            }
        };
        // `primaryKey` is one field's name or a list of names.
        let primary_key = match object.get("primaryKey") {
            None => vec![],
            Some(Json::String(name)) => vec![name.clone()],
            Some(Json::Array(names)) if names.iter().all(Json::is_string) && !names.is_empty() => {
                names.iter().filter_map(Json::as_str).map(str::to_owned).collect()
            }
            Some(_) => {
                problems.push(SchemaProblem::new("primaryKey", "primary-key"));
                vec![]
            }
        };
        for (index, name) in primary_key.iter().enumerate() {
            if !fields.iter().any(|f| &f.name == name) {
                problems.push(SchemaProblem::new(format!("primaryKey[{index}]"), "primary-key"));
            }
        }
        if object.contains_key("foreignKeys") {
            problems.push(SchemaProblem::new("foreignKeys", "unsupported"));
        }
        if problems.is_empty() {
            Ok(Self {
                fields,
                missing_values,
                primary_key,
            })
        } else {
            Err(problems)
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(descriptor: &str) -> Vec<(String, &'static str)> {
        // Sorted: JSON objects are read in no promised order.
        let mut found: Vec<_> = Schema::parse(descriptor)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.key))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn a_full_descriptor_is_read() {
        let schema = Schema::parse(
            r#"{
              "fields": [
                {"name": "year", "type": "year", "title": "Année", "constraints": {"required": true, "minimum": 2000, "maximum": "2030"}},
                {"name": "sex", "type": "string", "constraints": {"enum": ["F", "M"]}},
                {"name": "departement", "constraints": {"pattern": "[0-9]{2}|2[AB]|97[1-6]"}},
                {"name": "count", "type": "integer", "description": "Victimes", "constraints": {"minimum": 0}},
                {"name": "rate", "type": "number", "constraints": {"maximum": 1.5}},
                {"name": "on", "type": "date", "constraints": {"minimum": "2020-01-01"}},
                {"name": "minor", "type": "boolean", "format": "default"}
              ],
              "missingValues": ["", "NA"],
              "primaryKey": ["year", "sex"]
            }"#,
        )
        .unwrap();
        assert_eq!(schema.fields.len(), 7);
        assert_eq!(schema.fields[2].field_type, FieldType::String, "string by default");
        assert_eq!(schema.fields[0].title.as_deref(), Some("Année"));
        assert_eq!(schema.fields[0].constraints.maximum, Some(Value::Year(2030)));
        assert_eq!(schema.missing_values, vec!["", "NA"]);
        assert_eq!(schema.primary_key, vec!["year", "sex"]);
        let pattern = schema.fields[2].constraints.pattern.as_ref().unwrap();
        assert!(pattern.matches("2A") && pattern.matches("975"));
        assert!(!pattern.matches("2A1"), "the whole cell must match");
        assert_eq!(
            Schema::parse(r#"{"fields":[{"name":"a"}],"primaryKey":"a"}"#)
                .unwrap()
                .primary_key,
            vec!["a"]
        );
        assert_eq!(
            Schema::parse(r#"{"fields":[{"name":"a"}]}"#).unwrap().missing_values,
            vec![""]
        );
    }

    #[test]
    fn every_problem_is_located() {
        assert_eq!(keys("not json"), vec![(String::new(), "json")]);
        assert_eq!(keys("[]"), vec![(String::new(), "json")]);
        assert_eq!(keys(r#"{"fields": []}"#), vec![("fields".into(), "fields")]);
        assert_eq!(
            keys(
                r#"{"fields": [
                {"name": ""},
                {"name": "a", "type": "datetime"},
                {"name": "b", "type": "integer", "constraints": {"minimum": "x", "maximum": 1.5, "enum": [], "required": "yes"}},
                {"name": "b", "type": "integer", "constraints": {"pattern": "[0-9]+"}},
                {"name": "c", "constraints": {"pattern": "(", "minLength": 2}},
                {"name": "d", "type": "boolean", "constraints": {"minimum": true}},
                {"name": "e", "type": "date", "format": "%d/%m/%Y"}
              ],
              "primaryKey": ["z"], "missingValues": [1]}"#
            ),
            vec![
                ("fields[0].name".into(), "name"),
                ("fields[1].type".into(), "type"),
                ("fields[2].constraints.enum".into(), "constraint-value"),
                ("fields[2].constraints.maximum".into(), "constraint-value"),
                ("fields[2].constraints.minimum".into(), "constraint-value"),
                ("fields[2].constraints.required".into(), "constraint-value"),
                ("fields[3].constraints.pattern".into(), "pattern"),
                ("fields[3].name".into(), "name-duplicate"),
                ("fields[4].constraints.minLength".into(), "unsupported"),
                ("fields[4].constraints.pattern".into(), "pattern"),
                ("fields[5].constraints.minimum".into(), "constraint-value"),
                ("fields[6].format".into(), "unsupported"),
                ("missingValues".into(), "constraint-value"),
                ("primaryKey[0]".into(), "primary-key"),
            ]
        );
        for problem in Schema::parse(r#"{"fields":[{"name":"a","type":"x"}]}"#).unwrap_err() {
            assert!(SCHEMA_PROBLEM_KEYS.contains(&problem.key));
        }
    }
}
