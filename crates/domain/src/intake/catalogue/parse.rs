//! Reading a catalogue file. YAML and JSON go through the same parser (JSON is a subset of
//! YAML 1.2), so both get the same line-numbered errors; see ADR 0006.

use serde_saphyr::{RenderOptions, SnippetMode, UserMessageFormatter};

use super::raw::RawCatalogue;
use super::validate;
use super::{Catalogue, CatalogueError, CatalogueErrors, Problem};

pub(super) fn catalogue(text: &str) -> Result<Catalogue, CatalogueErrors> {
    let raw: RawCatalogue = serde_saphyr::from_str(text).map_err(|e| CatalogueErrors(vec![syntax_error(text, &e)]))?;
    validate::catalogue(&raw)
}

fn syntax_error(text: &str, error: &serde_saphyr::Error) -> CatalogueError {
    let location = error.location().filter(|l| l.line() > 0);
    let mut options = RenderOptions::new(&UserMessageFormatter);
    options.snippets = SnippetMode::Off;
    let rendered = error.render_with_options(options);
    // The parser appends the position; we put it first, with the field.
    let message = match location {
        Some(l) => rendered
            .strip_suffix(&format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or(&rendered)
            .to_owned(),
        None => rendered,
    };
    let message = match message.strip_prefix("unknown variant") {
        Some(rest) => format!("unknown value{rest}"),
        None => message,
    };
    let field = named_field(&message).or_else(|| {
        let l = location?;
        field_before(text, l.line(), l.column())
    });
    CatalogueError {
        line: location.map(|l| l.line()),
        entry: None,
        field,
        problem: Problem::Syntax(message),
    }
}

/// The field that serde names in its message ("missing field `strength`").
fn named_field(message: &str) -> Option<String> {
    ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned)
}

/// The key of the value at this position: the last `key:` before the column on the line, in
/// block YAML (`  strength: strongish`) as in JSON (`"strength": "strongish"`); or, when the
/// position is a key itself, that key.
fn field_before(text: &str, line: u64, column: u64) -> Option<String> {
    let line_text = text.lines().nth(usize::try_from(line.checked_sub(1)?).ok()?)?;
    let split = usize::try_from(column.saturating_sub(1)).ok()?;
    let before: String = line_text.chars().take(split).collect();
    let key = match before.rsplit_once(':') {
        Some((head, _)) => head.rsplit([' ', '{', ',', '\t']).next()?.to_owned(),
        None => line_text.chars().skip(split).take_while(|c| *c != ':').collect(),
    };
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    let plausible = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    plausible.then(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_before_the_value() {
        let yaml = "a: 1\n    strength: strongish\n";
        assert_eq!(field_before(yaml, 2, 15), Some("strength".into()));
        let json = "{\"key\": \"a\", \"strength\": \"weakish\"}";
        assert_eq!(field_before(json, 1, 27), Some("strength".into()));
        assert_eq!(field_before(yaml, 2, 5), Some("strength".into()));
        assert_eq!(field_before(yaml, 9, 1), None);
        assert_eq!(field_before("- [a, b]", 1, 3), None);
    }

    #[test]
    fn takes_the_field_serde_names() {
        assert_eq!(named_field("missing field `strength`"), Some("strength".into()));
        assert_eq!(named_field("invalid type"), None);
    }
}
