//! Arbitrary directory files (docs/adr/0021-input-robustness.md): reading
//! and checking every line never panics. `cargo test` runs a few hundred
//! files; `make fuzz` sets `PROPTEST_CASES` to a million.

#![allow(clippy::unwrap_used, clippy::panic, reason = "tests may fail loudly")]

use super::{FileKind, check_contacts, check_services, read_csv};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::Cell;
use std::collections::HashMap;
use std::time::Instant;

/// Values the columns expect, values near them, and junk.
const CELLS: &[&str] = &[
    "",
    " ",
    "31",
    "2A",
    "976",
    "00",
    "Brigade test",
    "Association",
    "emergency",
    "specialised",
    "secure-distant",
    "national",
    "dep:31",
    "region:76",
    "31 32",
    "female",
    "male",
    "female,male",
    "any",
    "0",
    "17",
    "18",
    "255",
    "256",
    "-1",
    "yes",
    "no",
    "oui",
    "non",
    "labour",
    "sexual",
    "labour,sexual",
    "fr",
    "fr,en",
    "x@relais.test",
    "not an email",
    "+33 5 00 00 00 00",
    "emergency:2/5",
    "emergency:5/2",
    "emergency:x/5",
    "emergency:4294967296/1",
    "specialised:1/1;emergency:0/0",
    ":",
    "/",
    "'=1+1",
    "=HYPERLINK(\"x\")",
    "\"",
    "é",
    "\u{feff}",
    "\u{0}",
];

/// The strings `pattern` matches, compiled once: proptest compiles a bare
/// `&str` pattern (and `any::<String>()`, which is `"\\PC*"`) again for every
/// value drawn, which cost more than most of the checks.
fn regex(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).unwrap()
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(CELLS).prop_map(str::to_owned),
        1 => regex("[ -~]{0,16}"),
        1 => regex("\\PC*"),
        1 => (prop::sample::select(CELLS), prop::sample::select(CELLS)).prop_map(|(a, b)| format!("{a}{b}")),
    ]
}

fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// A file of `kind`: its header (columns in any order, some missing or
/// extra), then up to 20 lines of cells, quoted or not, comma or semicolon.
fn file(kind: FileKind) -> impl Strategy<Value = String> {
    let columns: Vec<String> = kind.columns().iter().map(|c| (*c).to_owned()).collect();
    let header = prop_oneof![
        4 => Just(columns.clone()),
        1 => Just(columns).prop_shuffle(),
        1 => prop::collection::vec(prop::sample::select(kind.columns().to_vec()).prop_map(str::to_owned), 0..16),
    ];
    let width = kind.columns().len();
    let rows = prop::collection::vec(
        prop::collection::vec((cell(), any::<bool>()), width - 1..=width + 1),
        0..20,
    );
    (header, rows, prop::sample::select(vec![",", ";"]), any::<bool>()).prop_map(|(header, rows, separator, bom)| {
        let mut text = if bom { "\u{feff}".to_owned() } else { String::new() };
        text.push_str(&header.join(separator));
        for row in rows {
            text.push('\n');
            let cells: Vec<String> = row
                .into_iter()
                .map(|(value, quote)| if quote { quoted(&value) } else { value })
                .collect();
            text.push_str(&cells.join(separator));
        }
        text
    })
}

fn fuzz(name: &str, kind: FileKind) {
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let organisations: HashMap<String, String> =
        HashMap::from([("Brigade test".to_owned(), "org_0123456789abcdef".to_owned())]);
    let inputs = Cell::new(0_u64);
    let start = Instant::now();
    let input = prop_oneof![9 => file(kind), 1 => regex("\\PC*")];
    let result = runner.run(&input, |text| {
        inputs.set(inputs.get() + 1);
        if let Ok(rows) = read_csv(kind, &text) {
            match kind {
                FileKind::Services => {
                    let _ = check_services(rows, &organisations);
                }
                FileKind::PrefectureContacts => {
                    let _ = check_contacts(rows);
                }
            }
        }
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

#[test]
fn fuzz_directory_services_csv() {
    fuzz("directory services CSV", FileKind::Services);
}

#[test]
fn fuzz_directory_contacts_csv() {
    fuzz("directory contacts CSV", FileKind::PrefectureContacts);
}
