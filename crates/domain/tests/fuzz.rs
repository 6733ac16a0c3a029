//! Arbitrary input on every parser of the domain (docs/adr/0021-input-robustness.md):
//! nothing may panic, whatever is typed or posted. `cargo test` runs a few
//! hundred inputs per target; `make fuzz` sets `PROPTEST_CASES` to a million.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use relais_domain::access::account::DisplayName;
use relais_domain::access::password::NewPassword;
use relais_domain::casework::case_people::{Dependant, DependantInput, Person, PersonInput};
use relais_domain::casework::closure::Closure;
use relais_domain::casework::needs::{Need, NeedInput};
use relais_domain::casework::rights::{Permit, PermitInput};
use relais_domain::email::Email;
use relais_domain::intake::catalogue::Catalogue;
use relais_domain::intake::catalogue::Key;
use relais_domain::intake::person_match::BirthDate;
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::input::{ANSWER_PREFIX, apply};
use relais_domain::intake::referral::public::{PublicReport, complement_problem};
use relais_domain::intake::referral::reference::{FollowUpCode, Passphrase, Reference};
use relais_domain::intake::referral::screen::{answer_key, screen, set_key};
use relais_domain::intake::referral::steps::{self, Step};
use relais_domain::nationality::Group;
use relais_domain::privacy::Reason;
use relais_domain::spreadsheet::{safe_cell, unescape_cell};
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::Date;
use std::cell::Cell;
use std::fmt::Debug;
use std::sync::OnceLock;
use std::time::Instant;

/// Runs `check` on inputs drawn from `strategy` (`PROPTEST_CASES` of them,
/// 256 by default) and prints how many and how long, for docs/PERFORMANCE.md.
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value))
where
    S::Value: Debug,
{
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let inputs = Cell::new(0_u64);
    let start = Instant::now();
    let result = runner.run(&strategy, |value| {
        inputs.set(inputs.get() + 1);
        check(value);
        Ok(())
    });
    eprintln!(
        "fuzz {name}: {} inputs in {:.1} s",
        inputs.get(),
        start.elapsed().as_secs_f64()
    );
    if let Err(failure) = result {
        panic!("fuzz {name}: {failure}");
    }
}

/// Words the parsers know, and some they should refuse, to reach past the
/// first check more often than random text would.
const WORDS: &[&str] = &[
    "",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "-",
    "/",
    ":",
    "@",
    ".",
    ",",
    ";",
    "+",
    "=",
    "\"",
    "'",
    "é",
    "İ",
    "ß",
    "\u{202e}",
    "\u{feff}",
    "0",
    "1",
    "-1",
    "00",
    "01",
    "12",
    "13",
    "29",
    "31",
    "32",
    "2A",
    "2B",
    "20",
    "975",
    "976",
    "99",
    "1900",
    "2026",
    "2027",
    "9999",
    "99999999999999999999",
    "-9223372036854775808",
    "2026-12-01",
    "2026-02-29",
    "2024-02-29",
    "0000-00-00",
    "2026-13-01",
    "BGR",
    "FRA",
    "NGA",
    "XXX",
    "fr",
    "yes",
    "no",
    "unknown",
    "true",
    "false",
    "on",
    "adult",
    "minor",
    "child",
    "female",
    "male",
    "other",
    "given",
    "refused",
    "labour",
    "sexual",
    "begging",
    "criminality",
    "france",
    "abroad",
    "both",
    "RF-",
    "SG-",
    "rf-",
    "a:",
    "a@b.c",
    "x@relais.test",
    "admin@",
    "@relais",
    "national",
    "region:11",
    "dep:31",
    "11",
    "84",
];

/// The strings `pattern` matches, compiled once: proptest compiles a bare
/// `&str` pattern (and `any::<String>()`, which is `"\\PC*"`) again for every
/// value drawn, which cost more than most of the checks.
fn regex(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).unwrap()
}

/// Text from three sources: any Unicode, typeable ASCII, or known words joined.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        regex("\\PC*"),
        regex("[ -~]{0,40}"),
        prop::collection::vec(prop::sample::select(WORDS), 0..6).prop_map(|words| words.concat()),
        (prop::sample::select(WORDS), 0_usize..6000).prop_map(|(word, n)| word.repeat(n.min(6000 / word.len().max(1)))),
    ]
}

#[test]
fn fuzz_newtypes() {
    fuzz("domain newtypes", (text(), text()), |(a, b)| {
        let _ = Email::parse(&a);
        let _ = DisplayName::parse(&a);
        let _ = NewPassword::parse(&a, &b);
        let _ = NewPassword::parse(&a, &a);
        let _ = Date::parse(&a);
        let _ = BirthDate::parse(&a);
        let _ = Departement::parse(&a);
        let _ = Territory::parse(&a);
        let _ = Group::of(Some(&a));
        let _ = Key::parse(&a);
        let _ = Reason::parse(&a);
        let _ = Closure::parse(&a, &b);
        let _ = complement_problem(&a);
        let _ = safe_cell(&a);
        let _ = unescape_cell(&a);
        let _ = steps::parse_answer(&a);
    });
}

#[test]
fn fuzz_follow_up_codes() {
    let code = prop_oneof![
        text(),
        // Codes as a person would mistype them: prefix, groups, look-alikes.
        (regex("(RF|SG|rf|sg|R F|S-G|)[- ]?"), regex("[0-9A-Za-z -]{0,24}")).prop_map(|(p, b)| format!("{p}{b}")),
    ];
    fuzz("follow-up codes", code, |raw| {
        if let Some(reference) = Reference::parse(&raw) {
            assert_eq!(Reference::parse(reference.as_str()), Some(reference.clone()), "{raw:?}");
        }
        if let Some(code) = FollowUpCode::parse(&raw) {
            assert_eq!(FollowUpCode::parse(code.as_str()), Some(code.clone()), "{raw:?}");
        }
        if let Some(passphrase) = Passphrase::parse(&raw) {
            assert!(Passphrase::parse(passphrase.as_str()).is_some(), "{raw:?}");
        }
    });
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| relais_domain::intake::catalogue::shipped::ALL[0].parse().unwrap())
}

/// The names a referral form posts, and the answer keys of the shipped catalogue.
fn field_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "family_name",
        "given_names",
        "aliases",
        "birth_date",
        "age",
        "sex",
        "nationality",
        "departement",
        "safe_contact",
        "languages",
        "interpreter_needed",
        "interpreter_language",
        "circumstances",
        "forms",
        "form_other",
        "places",
        "location",
        "period_start",
        "period_end",
        "act",
        "need_safety",
        "need_medical",
        "need_shelter_tonight",
        "needs_details",
        "consent",
        "consent_language",
        "consent_interpreter",
        "consent_explained_by",
        "consent_date",
        "a:",
        "csrf",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for set in ["adult", "child"] {
        let mut details = ReferralDetails {
            age: set.to_owned(),
            ..ReferralDetails::default()
        };
        if set == "child" {
            details.age = "minor".to_owned();
        }
        if let Some(set) = catalogue().set(set_key(&details)) {
            names.extend(set.entries.iter().map(|e| format!("{ANSWER_PREFIX}{}", answer_key(e))));
        }
    }
    names
}

#[test]
fn fuzz_referral_form() {
    let names = field_names();
    let posted = prop::collection::vec((prop::sample::select(names), text()), 0..12);
    let steps = prop::collection::vec((prop::sample::select(Step::ALL.to_vec()), posted), 1..6);
    let today = Date::parse("2026-12-01").unwrap();
    fuzz("referral form", steps, |steps| {
        let mut details = ReferralDetails::default();
        for (step, posted) in &steps {
            apply(*step, &mut details, posted);
            let _ = steps::problems(*step, &details, today);
            let _ = step.next(&details);
            let _ = step.previous(&details);
        }
        let _ = steps::incomplete(&details, today);
        let _ = Step::sequence(&details);
        let _ = screen(&details, catalogue(), None);
        let _ = details.statistical();
        let _ = details.anonymised();
        let _ = details.person_record("p");
        let _ = details.urgent();
        let _ = details.forms();
    });
}

#[test]
fn fuzz_public_form() {
    let report = (
        (text(), text(), text(), text(), text()),
        prop::collection::vec(text(), 0..4),
        any::<bool>(),
        text(),
    );
    fuzz(
        "public form",
        report,
        |((description, departement, place, when, minor), forms, danger, contact)| {
            let report = PublicReport {
                description,
                departement,
                place,
                when,
                minor,
                forms,
                danger,
                contact,
            };
            let _ = report.problems();
            let details = report.to_details();
            let _ = screen(&details, catalogue(), None);
        },
    );
}

#[test]
fn fuzz_case_forms() {
    let strings = prop::collection::vec(text(), 12);
    let today = Date::parse("2026-12-01").unwrap();
    fuzz("case forms", (strings, any::<bool>()), |(s, flag)| {
        let _ = Person::parse(
            &PersonInput {
                family_name: s[0].clone(),
                given_names: s[1].clone(),
                aliases: s[2].clone(),
                birth_date: s[3].clone(),
                nationality: s[4].clone(),
                languages: s[5].clone(),
                do_not_call: flag,
                safe_times: s[6].clone(),
                through_whom: s[7].clone(),
            },
            relais_domain::time::Date {
                year: 2026,
                month: 12,
                day: 4,
            },
        );
        let _ = Dependant::parse(
            &DependantInput {
                name: s[0].clone(),
                relation: s[8].clone(),
                birth_year: s[3].clone(),
                accompanies: flag,
                notes: s[9].clone(),
            },
            today,
        );
        let _ = Need::parse(&NeedInput {
            kind: s[0].clone(),
            urgency: s[1].clone(),
            status: s[2].clone(),
            unmet_reason: s[3].clone(),
            accommodation: s[4].clone(),
            return_risk: s[5].clone(),
            actor: s[6].clone(),
        });
        let _ = Permit::parse(&PermitInput {
            kind: s[0].clone(),
            applied_on: s[3].clone(),
            receipt_on: s[9].clone(),
            decided_on: s[10].clone(),
            expires_on: s[11].clone(),
            outcome: s[1].clone(),
            refusal_reason: s[2].clone(),
        });
    });
}

/// A shipped catalogue with one line cut, doubled or replaced, or a byte
/// changed: YAML that is nearly right reaches the validation, random text
/// only the YAML reader.
fn catalogue_text() -> impl Strategy<Value = String> {
    let shipped = relais_domain::intake::catalogue::shipped::ALL[1].text;
    let lines: Vec<&'static str> = shipped.lines().collect();
    let count = lines.len();
    prop_oneof![
        text(),
        (0..count, 0_u8..3, text()).prop_map(move |(at, how, replacement)| {
            let mut edited: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            match how {
                0 => {
                    edited.remove(at);
                }
                1 => edited.insert(at, edited[at].clone()),
                _ => {
                    let indent: String = edited[at].chars().take_while(|c| *c == ' ').collect();
                    let key = edited[at].split(':').next().unwrap_or("").to_owned();
                    edited[at] = format!("{key}: {replacement}");
                    edited.insert(at + 1, format!("{indent}{replacement}"));
                }
            }
            edited.join("\n")
        }),
        (0..shipped.len(), any::<u8>()).prop_map(move |(at, byte)| {
            let mut bytes = shipped.as_bytes().to_vec();
            bytes[at] = byte;
            String::from_utf8_lossy(&bytes).into_owned()
        }),
    ]
}

#[test]
fn fuzz_catalogue_yaml() {
    fuzz("catalogue YAML", catalogue_text(), |text| {
        if let Ok(catalogue) = Catalogue::parse(&text) {
            let _ = screen(&ReferralDetails::default(), &catalogue, Some(&catalogue));
        }
    });
}
