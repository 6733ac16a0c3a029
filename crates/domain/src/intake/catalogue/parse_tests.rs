//! Catalogue files that are wrong, and what the administrator is told.

use super::{Catalogue, Rule};

const BASE: &str = "\
format: 1
id: mini
version: 3
title:
  en: Mini
  fr: Mini
sources:
  - key: src
    document: A document
    reference: REF-1
dimensions:
  - key: d1
    en: One
    fr: Un
    source: src
    status: verified
rule:
  act:
    en: Act
    fr: Acte
  threshold:
    status: secondary
    clauses:
      - key: two_strong
        en: Two strong
        fr: Deux forts
        strong: 2
  combination:
    - set: adult
      status: unverified
      expression:
        all: [act, d1]
sets:
  - key: adult
    en: Adults
    fr: Adultes
    status: verified
    indicators:
      - key: i1
        dimension: d1
        strength: strong
        en: First
        fr: Premier
        source: src
        page: 12
        status: secondary
";

fn errors(text: &str) -> Vec<String> {
    match Catalogue::parse(text) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from}");
    BASE.replacen(from, to, 1)
}

#[test]
fn the_base_catalogue_parses() {
    let catalogue = Catalogue::parse(BASE).unwrap();
    assert_eq!(catalogue.id().as_str(), "mini");
    assert_eq!(catalogue.version().get(), 3);
    let entry = &catalogue.set("adult").unwrap().entries[0];
    assert_eq!(entry.provenance.page.map(|p| p.get()), Some(12));
    assert!(matches!(catalogue.rule(), Rule::Weighted(_)));
}

#[test]
fn an_unknown_strength_names_line_and_field() {
    assert_eq!(
        errors(&with("strength: strong", "strength: strongish")),
        ["line 41, field `strength`: unknown value `strongish`, expected one of strong, medium, weak"]
    );
}

#[test]
fn missing_and_misspelt_fields_name_line_and_field() {
    let missing = errors(&with("        fr: Premier\n", ""));
    // The parser notices the absence at the end of the entry (its last line, 45).
    assert_eq!(missing, ["line 45, field `fr`: missing field `fr`"]);
    let misspelt = errors(&with(
        "        source: src\n        page",
        "        sorce: src\n        page",
    ));
    assert_eq!(misspelt.len(), 1);
    assert!(
        misspelt[0].starts_with("line 44, field `sorce`: unknown field `sorce`"),
        "{misspelt:?}"
    );
}

#[test]
fn a_bad_value_type_names_line_and_field() {
    let text = with("page: 12", "page: twelve");
    let errors = errors(&text);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("line 45, field `page`: "), "{errors:?}");
    let zero = self::errors(&with("page: 12", "page: 0"));
    assert!(zero[0].starts_with("line 45, field `page`: "), "{zero:?}");
}

#[test]
fn a_broken_file_names_the_line() {
    let errors = errors(&with("        en: First", "        en: [First"));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("line 42"), "{errors:?}");
}

#[test]
fn validation_names_line_entry_and_field() {
    assert_eq!(
        errors(&with("dimension: d1", "dimension: d9")),
        ["line 40, entry `adult/d9/i1`, field `dimension`: no dimension has the key `d9`"]
    );
    assert_eq!(
        errors(&with("        source: src", "        source: elsewhere")),
        ["line 44, entry `adult/d1/i1`, field `source`: no source has the key `elsewhere`"]
    );
    assert_eq!(
        errors(&with("        en: First", "        en: \"  \"")),
        ["line 42, entry `adult/d1/i1`, field `en`: the text is empty"]
    );
    assert_eq!(
        errors(&with("- key: i1", "- key: I-1")),
        ["line 39, entry `adult/d1/I-1`, field `key`: `I-1` is not a valid key: a key starts with a lowercase letter"]
    );
    assert_eq!(
        errors(&with("        status: secondary\n", "        status: disputed\n")),
        ["line 46, entry `adult/d1/i1`, field `note`: a disputed entry says in `note` what the dispute is"]
    );
    assert_eq!(
        errors(&with("        strength: strong\n", "")),
        ["line 39, entry `adult/d1/i1`, field `strength`: a weighted catalogue gives every indicator a strength"]
    );
    assert_eq!(
        errors(&with("all: [act, d1]", "all: [act, d2]")),
        ["line 32, entry `combination/adult`, field `expression`: no dimension has the key `d2`"]
    );
    assert_eq!(
        errors(&with("all: [act, d1]", "all: []")),
        ["line 32, entry `combination/adult`, field `expression`: `all` and `any` need at least one term"]
    );
    assert_eq!(
        errors(&with("        strong: 2\n", "")),
        ["line 24, entry `threshold/two_strong`: a clause requires at least one indicator"]
    );
    assert_eq!(
        errors(&with("format: 1", "format: 2")),
        ["line 1, field `format`: format 2 is not supported (this version of Relais reads format 1)"]
    );
}

#[test]
fn rule_references_must_resolve() {
    assert_eq!(
        errors(&with("    - set: adult", "    - set: child")),
        [
            "line 29, entry `combination/child`, field `set`: no set has the key `child`",
            "line 34, entry `adult`, field `combination`: the set has no combination rule",
        ]
    );
    let reserved = with("  - key: d1\n", "  - key: act\n")
        .replace("[act, d1]", "[act]")
        .replace("dimension: d1", "dimension: act");
    assert_eq!(
        errors(&reserved),
        ["line 12, entry `dimensions/act`, field `key`: `act` is reserved for the act in combination rules"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = with("        source: src", "        source: elsewhere").replace("dimension: d1", "dimension: d9");
    assert_eq!(errors(&text).len(), 2);
    let duplicated = BASE.replace(
        "        status: secondary\n",
        "        status: secondary\n      - key: i1\n        dimension: d1\n        strength: weak\n        en: first\n        fr: Autre\n        source: src\n        status: secondary\n",
    );
    assert_eq!(
        errors(&duplicated),
        [
            "line 47, entry `adult/d1/i1`, field `key`: `adult/d1/i1` is defined twice",
            "line 50, entry `adult/d1/i1`, field `en`: the English label `first` is used twice in the same set and dimension",
        ]
    );
}

#[test]
fn a_checklist_has_no_strengths_and_no_combination() {
    let start = BASE.find("rule:").unwrap();
    let end = BASE.find("sets:").unwrap();
    let checklist = format!("{}rule: none\n{}", &BASE[..start], &BASE[end..]);
    assert_eq!(
        errors(&checklist),
        ["line 24, entry `adult/d1/i1`, field `strength`: a checklist (`rule: none`) has no strengths"]
    );
    let catalogue = Catalogue::parse(&checklist.replace("        strength: strong\n", "")).unwrap();
    assert_eq!(catalogue.rule(), &Rule::None);
    assert_eq!(
        errors(&checklist.replace("rule: none", "rule: some")),
        [
            "line 17, field `rule`: invalid value: string \"some\", expected `none` or a mapping with `act`, `threshold` and `combination`"
        ]
    );
}

#[test]
fn json_is_read_too_with_lines() {
    let json = r#"{
  "format": 1, "id": "mini", "version": 1,
  "title": {"en": "Mini", "fr": "Mini"},
  "sources": [{"key": "src", "document": "A document"}],
  "rule": "none",
  "sets": [{
    "key": "all", "en": "All", "fr": "Tous", "status": "verified",
    "indicators": [
      {"key": "i1", "en": "First", "fr": "Premier", "source": "src", "status": "verified"},
      {"key": "i2", "en": "Second", "fr": "Second", "source": "src", "status": "sure"}
    ]
  }]
}"#;
    assert_eq!(
        errors(json),
        ["line 10, field `status`: unknown value `sure`, expected one of verified, secondary, unverified, disputed"]
    );
    let fixed = json.replace("\"sure\"", "\"verified\"");
    assert_eq!(Catalogue::parse(&fixed).unwrap().sets()[0].entries.len(), 2);
    assert_eq!(
        errors(&fixed.replace(
            "\"source\": \"src\", \"status\": \"verified\"}\n",
            "\"source\": \"nowhere\", \"status\": \"verified\"}\n"
        )),
        ["line 10, entry `all/i2`, field `source`: no source has the key `nowhere`"]
    );
}
