//! The service directory (annuaire, issue 6): organisations' services, whom
//! they accept, their accommodation places, and the prefecture contact
//! persons for trafficking. Rows arrive as raw text (a CSV line or a form)
//! and are parsed here once, with every problem of a row named by field.
//!
//! Lists are stored and exchanged as space-separated keys, empty meaning
//! "no restriction"; a service's coverage is a list of département codes or
//! `*` for the whole country.

use crate::casework::needs::AccommodationType;
use crate::casework::placement::{Acceptance, Offer};
use crate::email::Email;
use crate::intake::referral::{ExploitationForm, Sex};
use crate::territory::Departement;
use strum::EnumCount;

/// Longest name, organisation name or contact, in characters.
pub const MAX_TEXT: usize = 300;
/// Highest age a service may state.
pub const MAX_AGE: u8 = 120;
/// Most places of one type a service may declare.
pub const MAX_PLACES: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum ServiceKind {
    /// Accommodation (hébergement); the only kind with places.
    Accommodation,
    Medical,
    Psychological,
    LegalAid,
    Interpreting,
    Social,
    Education,
    /// Assisted voluntary return (aide au retour).
    Return,
}

impl ServiceKind {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Accommodation,
        Self::Medical,
        Self::Psychological,
        Self::LegalAid,
        Self::Interpreting,
        Self::Social,
        Self::Education,
        Self::Return,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Accommodation => "accommodation",
            Self::Medical => "medical",
            Self::Psychological => "psychological",
            Self::LegalAid => "legal-aid",
            Self::Interpreting => "interpreting",
            Self::Social => "social",
            Self::Education => "education",
            Self::Return => "return",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Where a service works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// The whole country (`*`).
    National,
    Departements(Vec<Departement>),
}

impl Coverage {
    /// `*`, or one or more département codes separated by spaces.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw == "*" {
            return Some(Self::National);
        }
        let mut list: Vec<Departement> = raw
            .split_whitespace()
            .map(Departement::parse)
            .collect::<Option<Vec<_>>>()?;
        list.sort();
        list.dedup();
        (!list.is_empty()).then_some(Self::Departements(list))
    }

    /// The stored and exported form.
    pub fn codes(&self) -> Vec<&'static str> {
        match self {
            Self::National => vec!["*"],
            Self::Departements(list) => list.iter().map(|d| d.code()).collect(),
        }
    }

    pub fn to_text(&self) -> String {
        self.codes().join(" ")
    }

    pub fn covers(&self, departement: Departement) -> bool {
        match self {
            Self::National => true,
            Self::Departements(list) => list.contains(&departement),
        }
    }
}

/// Places of one type, as last reported by the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Places {
    pub place_type: AccommodationType,
    pub total: u32,
    pub free: u32,
}

impl Places {
    /// Checks a report of places: free places cannot exceed the total.
    pub fn new(place_type: AccommodationType, total: u32, free: u32) -> Result<Self, &'static str> {
        if total > MAX_PLACES {
            return Err("too-many");
        }
        if free > total {
            return Err("free-exceeds-total");
        }
        Ok(Self {
            place_type,
            total,
            free,
        })
    }
}

/// What is wrong with one field of a row. `key` is a translation key
/// suffix (`directory-problem-{key}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
}

impl Problem {
    /// The key's meaning in English, for the command line.
    pub fn describe(&self) -> &'static str {
        match self.key {
            "required" => "required",
            "too-long" => "too long",
            "departement" => "not a département code",
            "covers" => "expected département codes separated by spaces, or *",
            "kind" => "unknown service kind",
            "sexes" => "unknown sex key",
            "forms" => "unknown form of exploitation",
            "languages" => "expected two-letter ISO 639-1 codes",
            "age" => "expected a whole number of years from 0 to 120",
            "age-order" => "the minimum age is above the maximum age",
            "children" => "expected yes or no",
            "places" => "expected TYPE:FREE/TOTAL (emergency, specialised, secure-distant)",
            "free-exceeds-total" => "more free places than places",
            "too-many" => "too many places",
            "places-not-accommodation" => "only accommodation services have places",
            "email" => "not an e-mail address",
            "phone" => "not a telephone number",
            "columns" => "the header line must name the expected columns",
            "unknown-organisation" => "no organisation has this name",
            "duplicate" => "the same service appears twice in the file",
            _ => "invalid",
        }
    }
}

/// The raw fields of a service row, as read from a CSV line or a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawService {
    pub departement: String,
    pub organisation: String,
    pub name: String,
    pub kind: String,
    pub covers: String,
    pub sexes: String,
    pub min_age: String,
    pub max_age: String,
    pub children: String,
    pub forms: String,
    pub languages: String,
    pub contact: String,
    pub places: String,
}

/// A service row, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRecord {
    pub departement: Departement,
    /// The owning organisation, by its name (resolved by the store).
    pub organisation: String,
    pub name: String,
    pub kind: ServiceKind,
    pub covers: Coverage,
    pub accepts: Acceptance,
    pub contact: String,
    pub places: Vec<Places>,
}

/// The CSV columns of services, in order: the département first.
pub const SERVICE_COLUMNS: [&str; 13] = [
    "departement",
    "organisation",
    "name",
    "kind",
    "covers",
    "sexes",
    "min_age",
    "max_age",
    "children",
    "forms",
    "languages",
    "contact",
    "places",
];

/// The CSV columns of prefecture contacts, in order: the département first.
pub const PREFECTURE_COLUMNS: [&str; 5] = ["departement", "prefecture", "name", "email", "phone"];

fn text(field: &'static str, raw: &str, problems: &mut Vec<Problem>) -> String {
    let value = raw.trim();
    if value.is_empty() {
        problems.push(Problem { field, key: "required" });
    } else if value.chars().count() > MAX_TEXT {
        problems.push(Problem { field, key: "too-long" });
    }
    value.to_owned()
}

fn keys<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    raw.split_whitespace().map(parse).collect()
}

/// Sexes accepted, as space-separated [`Sex`] keys; empty: every sex.
pub fn parse_sexes(raw: &str) -> Option<Vec<Sex>> {
    keys(raw, Sex::parse)
}

/// Forms of exploitation accepted, as space-separated keys; empty: every form.
pub fn parse_forms(raw: &str) -> Option<Vec<ExploitationForm>> {
    keys(raw, ExploitationForm::parse)
}

/// Languages spoken, as space-separated ISO 639-1 codes (two lowercase letters).
pub fn parse_languages(raw: &str) -> Option<Vec<String>> {
    keys(raw, |code| {
        let code = code.to_lowercase();
        (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())).then_some(code)
    })
}

/// An age bound; empty: no bound.
pub fn parse_age(raw: &str) -> Option<Option<u8>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    raw.parse::<u8>().ok().filter(|age| *age <= MAX_AGE).map(Some)
}

/// `yes` or `no` (`oui`/`non` too, for files written in French).
pub fn parse_yes_no(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "yes" | "oui" => Some(true),
        "no" | "non" => Some(false),
        _ => None,
    }
}

/// Places as space-separated `TYPE:FREE/TOTAL` (`secure-distant:2/6`).
/// Returns the problem key when wrong.
pub fn parse_places(raw: &str) -> Result<Vec<Places>, &'static str> {
    let mut list: Vec<Places> = Vec::new();
    for item in raw.split_whitespace() {
        let (kind, counts) = item.split_once(':').ok_or("places")?;
        let (free, total) = counts.split_once('/').ok_or("places")?;
        let place_type = AccommodationType::parse(kind).ok_or("places")?;
        let free = free.parse::<u32>().map_err(|_| "places")?;
        let total = total.parse::<u32>().map_err(|_| "places")?;
        if list.iter().any(|p| p.place_type == place_type) {
            return Err("places");
        }
        list.push(Places::new(place_type, total, free)?);
    }
    Ok(list)
}

/// The export form of places, readable again by [`parse_places`].
pub fn places_text(places: &[Places]) -> String {
    places
        .iter()
        .map(|p| format!("{}:{}/{}", p.place_type.key(), p.free, p.total))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whom a service accepts, from its stored or typed fields, or every
/// problem found.
pub fn parse_acceptance(
    sexes: &str,
    min_age: &str,
    max_age: &str,
    children: &str,
    forms: &str,
    languages: &str,
) -> Result<Acceptance, Vec<Problem>> {
    let mut problems = Vec::new();
    let sexes = parse_sexes(sexes);
    if sexes.is_none() {
        problems.push(Problem {
            field: "sexes",
            key: "sexes",
        });
    }
    let min_age = parse_age(min_age);
    if min_age.is_none() {
        problems.push(Problem {
            field: "min_age",
            key: "age",
        });
    }
    let max_age = parse_age(max_age);
    if max_age.is_none() {
        problems.push(Problem {
            field: "max_age",
            key: "age",
        });
    }
    if let (Some(Some(min)), Some(Some(max))) = (min_age, max_age)
        && min > max
    {
        problems.push(Problem {
            field: "min_age",
            key: "age-order",
        });
    }
    let children = parse_yes_no(children);
    if children.is_none() {
        problems.push(Problem {
            field: "children",
            key: "children",
        });
    }
    let forms = parse_forms(forms);
    if forms.is_none() {
        problems.push(Problem {
            field: "forms",
            key: "forms",
        });
    }
    let languages = parse_languages(languages);
    if languages.is_none() {
        problems.push(Problem {
            field: "languages",
            key: "languages",
        });
    }
    match (sexes, min_age, max_age, children, forms, languages) {
        (Some(sexes), Some(min_age), Some(max_age), Some(children), Some(forms), Some(languages))
            if problems.is_empty() =>
        {
            Ok(Acceptance {
                sexes,
                min_age,
                max_age,
                children,
                forms,
                languages,
            })
        }
        _ => Err(problems),
    }
}

/// The département column: required, and a known code.
fn departement_field(raw: &str, problems: &mut Vec<Problem>) -> Option<Departement> {
    let departement = Departement::parse(raw);
    if departement.is_none() {
        problems.push(Problem {
            field: "departement",
            key: if raw.trim().is_empty() {
                "required"
            } else {
                "departement"
            },
        });
    }
    departement
}

impl ServiceRecord {
    /// Parses a row, or lists every problem in it.
    pub fn parse(raw: &RawService) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let departement = departement_field(&raw.departement, &mut problems);
        let organisation = text("organisation", &raw.organisation, &mut problems);
        let name = text("name", &raw.name, &mut problems);
        let kind = ServiceKind::parse(raw.kind.trim());
        if kind.is_none() {
            problems.push(Problem {
                field: "kind",
                key: "kind",
            });
        }
        let covers = Coverage::parse(&raw.covers);
        if covers.is_none() {
            problems.push(Problem {
                field: "covers",
                key: "covers",
            });
        }
        let accepts = parse_acceptance(
            &raw.sexes,
            &raw.min_age,
            &raw.max_age,
            &raw.children,
            &raw.forms,
            &raw.languages,
        );
        if let Err(found) = &accepts {
            problems.extend(found.iter().copied());
        }
        let contact = text("contact", &raw.contact, &mut problems);
        let places = parse_places(&raw.places);
        match &places {
            Err(key) => problems.push(Problem { field: "places", key }),
            Ok(list) if !list.is_empty() && kind.is_some_and(|k| k != ServiceKind::Accommodation) => {
                problems.push(Problem {
                    field: "places",
                    key: "places-not-accommodation",
                });
            }
            Ok(_) => {}
        }
        match (departement, kind, covers, accepts, places) {
            (Some(departement), Some(kind), Some(covers), Ok(accepts), Ok(places)) if problems.is_empty() => Ok(Self {
                departement,
                organisation,
                name,
                kind,
                covers,
                accepts,
                contact,
                places,
            }),
            _ => Err(problems),
        }
    }

    /// The offer this service makes for `place_type`, for placement
    /// matching; `None` unless it is accommodation with such places.
    pub fn to_offer(&self, id: &str, place_type: AccommodationType) -> Option<Offer> {
        if self.kind != ServiceKind::Accommodation {
            return None;
        }
        let places = self.places.iter().find(|p| p.place_type == place_type)?;
        Some(to_offer(id, self.departement, self.accepts.clone(), places.free))
    }
}

/// An accommodation offer for the placement matcher: the offer id is the service id.
pub fn to_offer(id: &str, departement: Departement, accepts: Acceptance, free_places: u32) -> Offer {
    Offer {
        id: id.to_owned(),
        departement,
        accepts,
        free_places,
    }
}

/// The raw fields of a prefecture contact row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawPrefectureContact {
    pub departement: String,
    pub prefecture: String,
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// A prefecture's contact person for trafficking (référent traite). Not
/// personal data where a function is named rather than a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefectureContact {
    pub departement: Departement,
    pub prefecture: String,
    pub name: String,
    pub email: Email,
    pub phone: String,
}

/// A telephone number: digits, spaces, dots, dashes and a leading `+`.
fn phone(raw: &str) -> Option<String> {
    let value = raw.trim();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-') || (c == '+' && i == 0));
    (allowed && (6..=20).contains(&digits)).then(|| value.to_owned())
}

impl PrefectureContact {
    pub fn parse(raw: &RawPrefectureContact) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let departement = departement_field(&raw.departement, &mut problems);
        let prefecture = text("prefecture", &raw.prefecture, &mut problems);
        let name = text("name", &raw.name, &mut problems);
        let email = Email::parse(&raw.email).ok();
        if email.is_none() {
            problems.push(Problem {
                field: "email",
                key: if raw.email.trim().is_empty() {
                    "required"
                } else {
                    "email"
                },
            });
        }
        let phone = phone(&raw.phone);
        if phone.is_none() {
            problems.push(Problem {
                field: "phone",
                key: if raw.phone.trim().is_empty() {
                    "required"
                } else {
                    "phone"
                },
            });
        }
        match (departement, email, phone) {
            (Some(departement), Some(email), Some(phone)) if problems.is_empty() => Ok(Self {
                departement,
                prefecture,
                name,
                email,
                phone,
            }),
            _ => Err(problems),
        }
    }
}

/// Every problem key, for checking that the translations are complete.
pub const PROBLEM_KEYS: [&str; 20] = [
    "required",
    "too-long",
    "departement",
    "covers",
    "kind",
    "sexes",
    "forms",
    "languages",
    "age",
    "age-order",
    "children",
    "places",
    "free-exceeds-total",
    "too-many",
    "places-not-accommodation",
    "email",
    "phone",
    "unknown-organisation",
    "duplicate",
    "columns",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn shelter() -> RawService {
        RawService {
            departement: "33".into(),
            organisation: "Foyer (fictif)".into(),
            name: "Maison sûre (fictive)".into(),
            kind: "accommodation".into(),
            covers: "*".into(),
            sexes: "female".into(),
            min_age: "18".into(),
            max_age: "".into(),
            children: "yes".into(),
            forms: "sexual labour".into(),
            languages: "fr EN".into(),
            contact: "contact@demo.relais.test".into(),
            places: "secure-distant:2/6 emergency:0/1".into(),
        }
    }

    #[test]
    fn kinds_round_trip() {
        for kind in ServiceKind::ALL {
            assert_eq!(ServiceKind::parse(kind.key()), Some(kind));
        }
        assert_eq!(ServiceKind::parse("hotel"), None);
    }

    #[test]
    fn a_good_row_parses_and_becomes_an_offer() {
        let record = ServiceRecord::parse(&shelter()).unwrap();
        assert_eq!(record.kind, ServiceKind::Accommodation);
        assert_eq!(record.covers, Coverage::National);
        assert_eq!(record.accepts.sexes, vec![Sex::Female]);
        assert_eq!(record.accepts.min_age, Some(18));
        assert_eq!(record.accepts.max_age, None);
        assert!(record.accepts.children);
        assert_eq!(record.accepts.languages, vec!["fr".to_owned(), "en".to_owned()]);
        assert_eq!(places_text(&record.places), "secure-distant:2/6 emergency:0/1");
        let offer = record.to_offer("abc", AccommodationType::SecureDistant).unwrap();
        assert_eq!(offer.free_places, 2);
        assert_eq!(offer.departement.code(), "33");
        assert_eq!(offer.id, "abc");
        assert!(record.to_offer("abc", AccommodationType::Specialised).is_none());
    }

    #[test]
    fn every_problem_of_a_row_is_named() {
        let raw = RawService {
            departement: "99".into(),
            name: "".into(),
            kind: "hotel".into(),
            covers: "75 00".into(),
            sexes: "woman".into(),
            min_age: "30".into(),
            max_age: "20".into(),
            children: "maybe".into(),
            forms: "sexual slavery".into(),
            languages: "fra".into(),
            places: "secure-distant:7/6".into(),
            ..shelter()
        };
        let problems = ServiceRecord::parse(&raw).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| (p.field, p.key)).collect();
        assert_eq!(
            fields,
            vec![
                ("departement", "departement"),
                ("name", "required"),
                ("kind", "kind"),
                ("covers", "covers"),
                ("sexes", "sexes"),
                ("min_age", "age-order"),
                ("children", "children"),
                ("forms", "forms"),
                ("languages", "languages"),
                ("places", "free-exceeds-total"),
            ]
        );
        for problem in problems {
            assert!(PROBLEM_KEYS.contains(&problem.key), "{}", problem.key);
        }
    }

    #[test]
    fn only_accommodation_has_places() {
        let raw = RawService {
            kind: "medical".into(),
            ..shelter()
        };
        let problems = ServiceRecord::parse(&raw).unwrap_err();
        assert_eq!(
            problems,
            vec![Problem {
                field: "places",
                key: "places-not-accommodation"
            }]
        );
    }

    #[test]
    fn coverage_and_places_formats() {
        assert_eq!(
            Coverage::parse("93 75 93").map(|c| c.to_text()),
            Some("75 93".to_owned())
        );
        assert_eq!(Coverage::parse(""), None);
        assert_eq!(parse_places("emergency:1"), Err("places"));
        assert_eq!(parse_places("emergency:1/2 emergency:0/2"), Err("places"));
        assert_eq!(parse_places(""), Ok(vec![]));
        assert_eq!(parse_age("121"), None);
        assert_eq!(parse_yes_no("Non"), Some(false));
    }

    #[test]
    fn prefecture_contacts_parse() {
        let good = RawPrefectureContact {
            departement: "2a".into(),
            prefecture: "Ajaccio".into(),
            name: "Référent traite — Préfecture de Corse-du-Sud (fictif)".into(),
            email: "referent-teh-2a@demo.relais.test".into(),
            phone: "+33 4 00 00 00 00".into(),
        };
        let contact = PrefectureContact::parse(&good).unwrap();
        assert_eq!(contact.departement.code(), "2A");
        let bad = RawPrefectureContact {
            email: "nobody".into(),
            phone: "call me".into(),
            ..good
        };
        let problems = PrefectureContact::parse(&bad).unwrap_err();
        assert_eq!(
            problems.iter().map(|p| p.field).collect::<Vec<_>>(),
            vec!["email", "phone"]
        );
    }
}
