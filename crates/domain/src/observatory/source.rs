//! A source of the observatory (*source de données*): who produces it, what
//! it counts and how, so that every figure can be read with its definitions.

use strum::EnumCount;
/// What one unit of a source counts (*unité de compte*). Sources that count
/// different units are never added together. Stored as its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// A victim (*victime*), as recorded by the producer.
    Victim,
    /// An offence (*infraction*) recorded or prosecuted.
    Offence,
    /// A residence permit (*titre de séjour*) issued or renewed.
    ResidencePermit,
    /// A person followed (*personne accompagnée*) by an association.
    PersonFollowed,
}

impl Unit {
    pub const ALL: [Self; Self::COUNT] = [Self::Victim, Self::Offence, Self::ResidencePermit, Self::PersonFollowed];

    pub fn key(self) -> &'static str {
        match self {
            Self::Victim => "victim",
            Self::Offence => "offence",
            Self::ResidencePermit => "residence-permit",
            Self::PersonFollowed => "person-followed",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.key() == key)
    }
}

/// What a source's imports hold. Stored as its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum DataKind {
    /// Aggregated tables (*tableaux agrégés*): counts by category, no person.
    Aggregated,
    /// Pseudonymised records (*données individuelles pseudonymisées*): one row
    /// per person under a producer's pseudonym. Personal data (GDPR recital 26).
    Records,
}

impl DataKind {
    pub const ALL: [Self; Self::COUNT] = [Self::Aggregated, Self::Records];

    pub fn key(self) -> &'static str {
        match self {
            Self::Aggregated => "aggregated",
            Self::Records => "records",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Whether the imported rows are personal data.
    pub fn is_personal(self) -> bool {
        self == Self::Records
    }
}

/// A source's code, as in its URLs: 2 to 40 lower-case letters, digits and
/// hyphens, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SourceCode(String);

impl TryFrom<String> for SourceCode {
    type Error = &'static str;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).ok_or("not a source code")
    }
}

impl From<SourceCode> for String {
    fn from(code: SourceCode) -> Self {
        code.0
    }
}

impl SourceCode {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let ok = (2..=40).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        ok.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SourceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest a definition's text may be.
pub const MAX_TEXT: usize = 2000;

/// A source's definitions as typed (codes and texts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawDefinition {
    pub code: String,
    pub name: String,
    pub producer: String,
    pub unit: String,
    pub data_kind: String,
    pub counting_rule: String,
    pub period: String,
    pub territory: String,
    pub contact: String,
    pub quality_notes: String,
}

/// A source's checked definitions (a release keeps them as they stood).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Definition {
    pub code: SourceCode,
    pub name: String,
    pub producer: String,
    pub unit: Unit,
    pub data_kind: DataKind,
    pub counting_rule: String,
    pub period: String,
    pub territory: String,
    /// A service's address or desk, never a person's private details.
    pub contact: String,
    pub quality_notes: String,
}

/// What is wrong with one field: its name and a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
}

/// Every field and key a [`Problem`] may carry together
/// (`observatory-error-<field>-<key>`, checked in both languages).
pub const PROBLEMS: [(&str, &str); 16] = [
    ("code", "code"),
    ("name", "required"),
    ("producer", "required"),
    ("counting_rule", "required"),
    ("period", "required"),
    ("territory", "required"),
    ("contact", "required"),
    ("name", "too-long"),
    ("producer", "too-long"),
    ("counting_rule", "too-long"),
    ("period", "too-long"),
    ("territory", "too-long"),
    ("contact", "too-long"),
    ("quality_notes", "too-long"),
    ("unit", "choose"),
    ("data_kind", "choose"),
];

impl RawDefinition {
    /// Checks every field; all problems at once.
    pub fn check(&self) -> Result<Definition, Vec<Problem>> {
        let mut problems = Vec::new();
        let code = SourceCode::parse(&self.code);
        if code.is_none() {
            problems.push(Problem {
                field: "code",
                key: "code",
            });
        }
        let mut text = |field: &'static str, value: &str, required: bool| {
            let value = value.trim();
            if required && value.is_empty() {
                problems.push(Problem { field, key: "required" });
            } else if value.chars().count() > MAX_TEXT {
                problems.push(Problem { field, key: "too-long" });
            }
            value.to_owned()
        };
        let name = text("name", &self.name, true);
        let producer = text("producer", &self.producer, true);
        let counting_rule = text("counting_rule", &self.counting_rule, true);
        let period = text("period", &self.period, true);
        let territory = text("territory", &self.territory, true);
        let contact = text("contact", &self.contact, true);
        let quality_notes = text("quality_notes", &self.quality_notes, false);
        let unit = Unit::parse(&self.unit);
        if unit.is_none() {
            problems.push(Problem {
                field: "unit",
                key: "choose",
            });
        }
        let data_kind = DataKind::parse(&self.data_kind);
        if data_kind.is_none() {
            problems.push(Problem {
                field: "data_kind",
                key: "choose",
            });
        }
        match (code, unit, data_kind) {
            (Some(code), Some(unit), Some(data_kind)) if problems.is_empty() => Ok(Definition {
                code,
                name,
                producer,
                unit,
                data_kind,
                counting_rule,
                period,
                territory,
                contact,
                quality_notes,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawDefinition {
        RawDefinition {
            code: "ssmsi-victimes".into(),
            name: "Victimes enregistrées".into(),
            producer: "SSMSI".into(),
            unit: "victim".into(),
            data_kind: "aggregated".into(),
            counting_rule: "Une victime par procédure".into(),
            period: "2016–2025".into(),
            territory: "France entière".into(),
            contact: "Bureau des statistiques".into(),
            quality_notes: String::new(),
        }
    }

    #[test]
    fn keys_round_trip() {
        for unit in Unit::ALL {
            assert_eq!(Unit::parse(unit.key()), Some(unit));
        }
        for kind in DataKind::ALL {
            assert_eq!(DataKind::parse(kind.key()), Some(kind));
        }
        assert!(DataKind::Records.is_personal());
        assert!(!DataKind::Aggregated.is_personal());
    }

    #[test]
    fn codes_are_lower_case_words() {
        for good in ["ab", "ssmsi-2024", "inspection-du-travail"] {
            assert!(SourceCode::parse(good).is_some(), "{good}");
        }
        for bad in ["a", "Ssmsi", "1abc", "ssmsi victimes", "é-source", &"a".repeat(41)] {
            assert!(SourceCode::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_complete_definition_is_accepted() {
        let def = raw().check().unwrap();
        assert_eq!(def.unit, Unit::Victim);
        assert_eq!(def.code.as_str(), "ssmsi-victimes");
    }

    #[test]
    fn every_problem_is_named() {
        let bad = RawDefinition {
            code: "X".into(),
            name: " ".into(),
            unit: "person".into(),
            quality_notes: "x".repeat(MAX_TEXT + 1),
            ..RawDefinition::default()
        };
        let problems = bad.check().unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| (p.field, p.key)).collect();
        assert_eq!(
            fields,
            vec![
                ("code", "code"),
                ("name", "required"),
                ("producer", "required"),
                ("counting_rule", "required"),
                ("period", "required"),
                ("territory", "required"),
                ("contact", "required"),
                ("quality_notes", "too-long"),
                ("unit", "choose"),
                ("data_kind", "choose"),
            ]
        );
        for p in problems {
            assert!(PROBLEMS.contains(&(p.field, p.key)), "{p:?}");
        }
    }

    /// Every problem the check can give is listed, and nothing else.
    #[test]
    fn problems_list_every_field_and_key_the_check_gives() {
        let empty = RawDefinition::default();
        let long = || "x".repeat(MAX_TEXT + 1);
        let too_long = RawDefinition {
            name: long(),
            producer: long(),
            counting_rule: long(),
            period: long(),
            territory: long(),
            contact: long(),
            quality_notes: long(),
            ..raw()
        };
        let mut given: Vec<(&str, &str)> = [empty, too_long]
            .iter()
            .flat_map(|d| d.check().unwrap_err())
            .map(|p| (p.field, p.key))
            .collect();
        given.sort_unstable();
        given.dedup();
        let mut listed = PROBLEMS.to_vec();
        listed.sort_unstable();
        assert_eq!(given, listed);
    }
}
