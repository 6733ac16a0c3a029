//! The observatory's library (issue 14, part 8): published studies and
//! awareness material, each with its producer, publication day, kind,
//! audience and summary, reached by an `https` link or as a PDF kept in
//! Relais. An entry is a draft until published; a published entry can be
//! withdrawn (and published again): its history is kept, never deleted.

use super::training::Profession;
use crate::casework::document::{self, Kind as FileKind};
use crate::time::Date;
use strum::EnumCount;

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum StudyKind {
    /// A study (*étude*): research, a survey's results.
    Study,
    /// A report (*rapport*): an evaluation, an annual report.
    Report,
    /// Awareness material (*support de sensibilisation*): a leaflet, a poster, a video.
    Awareness,
    /// A training kit (*kit de formation*) for trainers.
    TrainingKit,
    /// A practical guide (*guide pratique*) for professionals.
    Guide,
}

impl StudyKind {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Study,
        Self::Report,
        Self::Awareness,
        Self::TrainingKit,
        Self::Guide,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Study => "study",
            Self::Report => "report",
            Self::Awareness => "awareness",
            Self::TrainingKit => "training-kit",
            Self::Guide => "guide",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key.trim())
    }
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum State {
    /// Seen by the observatory only.
    Draft,
    /// On the public page.
    Published,
    /// Taken off the public page, with a reason; kept with its history.
    Withdrawn,
}

impl State {
    pub const ALL: [Self; Self::COUNT] = [Self::Draft, Self::Published, Self::Withdrawn];

    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// What the analyst does to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Event {
    Publish,
    /// Needs a reason.
    Withdraw,
}

impl Event {
    pub const ALL: [Self; Self::COUNT] = [Self::Publish, Self::Withdraw];

    pub fn key(self) -> &'static str {
        match self {
            Self::Publish => "publish",
            Self::Withdraw => "withdraw",
        }
    }
}

/// (from, event, to): the whole workflow; anything else is refused.
pub const TRANSITIONS: [(State, Event, State); 3] = {
    use Event::*;
    use State::*;
    [
        (Draft, Publish, Published),
        (Published, Withdraw, Withdrawn),
        (Withdrawn, Publish, Published),
    ]
};

/// The state after `event`, or `None` when the workflow does not allow it.
pub fn apply(from: State, event: Event) -> Option<State> {
    TRANSITIONS
        .iter()
        .find(|(f, e, _)| *f == from && *e == event)
        .map(|(_, _, to)| *to)
}

/// The longest title or producer.
pub const TITLE_MAX: usize = 300;
/// The longest summary: a short one.
pub const SUMMARY_MAX: usize = 1500;
/// The longest link.
pub const LINK_MAX: usize = 2000;
/// The longest reason for a withdrawal.
pub const REASON_MAX: usize = 500;

/// An `https` address: checked, so that a page can put it in a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsLink(String);

impl HttpsLink {
    /// `https://` then a host of letters, digits, hyphens and dots (with at
    /// least one dot, no user part) and an optional path; no space, quote,
    /// angle bracket or control character anywhere.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let rest = raw.get(..8).filter(|s| s.eq_ignore_ascii_case("https://"))?;
        let after = raw.get(rest.len()..)?;
        let host_end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let host = after.get(..host_end)?;
        let (name, port) = match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        };
        let good_name = name.contains('.')
            && !name.starts_with(['.', '-'])
            && !name.ends_with(['.', '-'])
            && !name.contains("..")
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        let good_port = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
        let good_rest = raw
            .chars()
            .all(|c| !c.is_control() && !c.is_whitespace() && !matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`'));
        (good_name && good_port && good_rest && raw.chars().count() <= LINK_MAX).then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What an entry gives the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Link(HttpsLink),
    /// A PDF kept in Relais, under the name it was sent with.
    Pdf {
        file_name: String,
    },
}

/// What is wrong with one field: its name and a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
}

/// Every key a [`Problem`] may carry (for the translation check).
/// Every field a [`Problem`] may name (`library-field-<field>`, checked in
/// both languages).
pub const FIELDS: [&str; 9] = [
    "title",
    "producer",
    "published_on",
    "kind",
    "audience",
    "summary",
    "link",
    "file",
    "reason",
];

pub const PROBLEM_KEYS: [&str; 11] = [
    "required",
    "too-long",
    "date",
    "future-date",
    "choose",
    "link",
    "content-missing",
    "content-both",
    "file-type",
    "file-too-large",
    "file-empty",
];

/// An entry as typed; `file` is the uploaded file's name and bytes, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEntry {
    pub title: String,
    pub producer: String,
    pub published_on: String,
    pub kind: String,
    pub audience: Vec<String>,
    pub summary: String,
    pub link: String,
}

/// A checked entry (without the file's bytes, which the caller keeps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub title: String,
    pub producer: String,
    pub published_on: Date,
    pub kind: StudyKind,
    /// The professions it is for, in [`Profession::ALL`] order.
    pub audience: Vec<Profession>,
    pub summary: String,
    pub content: Content,
}

fn text(raw: &str, field: &'static str, max: usize, problems: &mut Vec<Problem>) -> String {
    let value = raw.trim();
    if value.is_empty() {
        problems.push(Problem { field, key: "required" });
    } else if value.chars().count() > max {
        problems.push(Problem { field, key: "too-long" });
    }
    value.to_owned()
}

/// A file for the library: a PDF by its first bytes, whatever its name
/// says, no larger than the uploads' limit.
pub fn accept_pdf(bytes: &[u8]) -> Result<(), &'static str> {
    match document::accept(bytes) {
        Ok(FileKind::Pdf) => Ok(()),
        Ok(_) | Err(document::Refusal::UnsupportedType) => Err("file-type"),
        Err(document::Refusal::TooLarge) => Err("file-too-large"),
        Err(document::Refusal::Empty) => Err("file-empty"),
    }
}

impl RawEntry {
    /// Checks every field against `today` (what is in the library was
    /// published already) and the uploaded file (name and bytes), if any:
    /// a link or a PDF, not both. All problems at once.
    pub fn check(&self, today: Date, file: Option<(&str, &[u8])>) -> Result<Entry, Vec<Problem>> {
        let mut problems = Vec::new();
        let title = text(&self.title, "title", TITLE_MAX, &mut problems);
        let producer = text(&self.producer, "producer", TITLE_MAX, &mut problems);
        let published_on = match self.published_on.trim() {
            "" => {
                problems.push(Problem {
                    field: "published_on",
                    key: "required",
                });
                None
            }
            raw => match Date::parse(raw) {
                Some(day) if day > today => {
                    problems.push(Problem {
                        field: "published_on",
                        key: "future-date",
                    });
                    None
                }
                Some(day) => Some(day),
                None => {
                    problems.push(Problem {
                        field: "published_on",
                        key: "date",
                    });
                    None
                }
            },
        };
        let kind = StudyKind::parse(&self.kind);
        if kind.is_none() {
            problems.push(Problem {
                field: "kind",
                key: "choose",
            });
        }
        let chosen: Vec<Option<Profession>> = self.audience.iter().map(|k| Profession::parse(k)).collect();
        let audience: Vec<Profession> = Profession::ALL
            .into_iter()
            .filter(|p| chosen.contains(&Some(*p)))
            .collect();
        if audience.is_empty() || chosen.contains(&None) {
            problems.push(Problem {
                field: "audience",
                key: "choose",
            });
        }
        let summary = text(&self.summary, "summary", SUMMARY_MAX, &mut problems);
        let content = match (self.link.trim(), file) {
            ("", None) => {
                problems.push(Problem {
                    field: "link",
                    key: "content-missing",
                });
                None
            }
            (_, Some(_)) if !self.link.trim().is_empty() => {
                problems.push(Problem {
                    field: "link",
                    key: "content-both",
                });
                None
            }
            (raw, None) => {
                let link = HttpsLink::parse(raw);
                if link.is_none() {
                    problems.push(Problem {
                        field: "link",
                        key: "link",
                    });
                }
                link.map(Content::Link)
            }
            (_, Some((name, bytes))) => match accept_pdf(bytes) {
                Ok(()) => Some(Content::Pdf {
                    file_name: name.to_owned(),
                }),
                Err(key) => {
                    problems.push(Problem { field: "file", key });
                    None
                }
            },
        };
        match (published_on, kind, content) {
            (Some(published_on), Some(kind), Some(content)) if problems.is_empty() => Ok(Entry {
                title,
                producer,
                published_on,
                kind,
                audience,
                summary,
                content,
            }),
            _ => Err(problems),
        }
    }
}

/// A withdrawal's reason: required, short.
pub fn check_reason(raw: &str) -> Result<String, Problem> {
    let reason = raw.trim();
    if reason.is_empty() {
        Err(Problem {
            field: "reason",
            key: "required",
        })
    } else if reason.chars().count() > REASON_MAX {
        Err(Problem {
            field: "reason",
            key: "too-long",
        })
    } else {
        Ok(reason.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 3,
        day: 15,
    };

    fn raw() -> RawEntry {
        RawEntry {
            title: "La traite des êtres humains en France".into(),
            producer: "MIPROF".into(),
            published_on: "2025-10-18".into(),
            kind: "study".into(),
            audience: vec!["health".into(), "police".into()],
            summary: "Les chiffres de l’enquête annuelle.".into(),
            link: "https://www.example.gouv.fr/etude.pdf".into(),
        }
    }

    #[test]
    fn keys_round_trip_and_the_workflow_is_closed() {
        for kind in StudyKind::ALL {
            assert_eq!(StudyKind::parse(kind.key()), Some(kind));
        }
        for state in State::ALL {
            assert_eq!(State::parse(state.key()), Some(state));
        }
        assert_eq!(apply(State::Draft, Event::Publish), Some(State::Published));
        assert_eq!(apply(State::Published, Event::Withdraw), Some(State::Withdrawn));
        assert_eq!(apply(State::Withdrawn, Event::Publish), Some(State::Published));
        assert_eq!(apply(State::Draft, Event::Withdraw), None);
        assert_eq!(apply(State::Published, Event::Publish), None);
    }

    #[test]
    fn links_are_https_addresses_only() {
        for good in [
            "https://www.example.gouv.fr",
            "HTTPS://example.org/a/b.pdf?x=1#p",
            "https://miprof.gouv.fr:8443/etude",
        ] {
            assert!(HttpsLink::parse(good).is_some(), "{good}");
        }
        for bad in [
            "http://example.org",
            "javascript:alert(1)",
            "https://",
            "https://localhost/x",
            "https://user@example.org",
            "https://exa mple.org",
            "https://example.org/\"onmouseover=x",
            "https://.example.org",
            "https://example.org:port",
            "ftp://example.org",
        ] {
            assert!(HttpsLink::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn an_entry_with_a_link_or_a_pdf() {
        let entry = raw().check(TODAY, None).unwrap();
        assert_eq!(
            entry.audience,
            vec![
                Profession::Of(crate::access::organisation::OrganisationType::Police),
                Profession::Of(crate::access::organisation::OrganisationType::Health)
            ]
        );
        assert!(matches!(entry.content, Content::Link(_)));
        let with_file = RawEntry {
            link: String::new(),
            ..raw()
        };
        let entry = with_file.check(TODAY, Some(("étude.pdf", b"%PDF-1.7 ..."))).unwrap();
        assert_eq!(
            entry.content,
            Content::Pdf {
                file_name: "étude.pdf".into()
            }
        );
    }

    #[test]
    fn every_problem_is_named() {
        let bad = RawEntry {
            title: " ".into(),
            producer: "x".repeat(TITLE_MAX + 1),
            published_on: "2026-04-01".into(),
            kind: "poster".into(),
            audience: vec![],
            summary: String::new(),
            link: "http://example.org".into(),
        };
        let keys: Vec<_> = bad
            .check(TODAY, None)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.key))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("title", "required"),
                ("producer", "too-long"),
                ("published_on", "future-date"),
                ("kind", "choose"),
                ("audience", "choose"),
                ("summary", "required"),
                ("link", "link"),
            ]
        );
        for p in bad.check(TODAY, None).unwrap_err() {
            assert!(PROBLEM_KEYS.contains(&p.key));
        }
    }

    #[test]
    fn a_file_must_really_be_a_pdf_and_comes_alone() {
        let no_link = RawEntry {
            link: String::new(),
            ..raw()
        };
        let refused = |file: Option<(&str, &[u8])>, entry: &RawEntry| {
            entry
                .check(TODAY, file)
                .unwrap_err()
                .into_iter()
                .map(|p| (p.field, p.key))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            refused(Some(("rapport.pdf", b"MZ\x90\x00 not a pdf")), &no_link),
            [("file", "file-type")]
        );
        assert_eq!(refused(Some(("vide.pdf", b"")), &no_link), [("file", "file-empty")]);
        assert_eq!(refused(None, &no_link), [("link", "content-missing")]);
        assert_eq!(
            refused(Some(("rapport.pdf", b"%PDF-1.4")), &raw()),
            [("link", "content-both")]
        );
        let unknown_audience = RawEntry {
            audience: vec!["health".into(), "astronauts".into()],
            ..raw()
        };
        assert_eq!(refused(None, &unknown_audience), [("audience", "choose")]);
    }

    #[test]
    fn a_withdrawal_says_why() {
        assert_eq!(
            check_reason(" Remplacée par l’édition 2026 ").unwrap(),
            "Remplacée par l’édition 2026"
        );
        assert_eq!(check_reason("").unwrap_err().key, "required");
        assert_eq!(check_reason(&"x".repeat(REASON_MAX + 1)).unwrap_err().key, "too-long");
    }

    /// Every field a problem names is listed, and nothing else.
    #[test]
    fn fields_list_every_field_a_problem_names() {
        let bad = RawEntry {
            title: " ".into(),
            producer: " ".into(),
            published_on: "x".into(),
            kind: "poster".into(),
            audience: vec![],
            summary: String::new(),
            link: "http://example.org".into(),
        };
        let no_link = RawEntry {
            link: String::new(),
            ..raw()
        };
        let mut named: Vec<&str> = bad
            .check(TODAY, None)
            .unwrap_err()
            .into_iter()
            .chain(no_link.check(TODAY, Some(("vide.pdf", b""))).unwrap_err())
            .chain(check_reason("").err())
            .map(|p| p.field)
            .collect();
        named.sort_unstable();
        named.dedup();
        let mut listed = FIELDS.to_vec();
        listed.sort_unstable();
        assert_eq!(named, listed);
    }
}
