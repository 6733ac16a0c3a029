//! Arbitrary input on the MSE table reader (docs/adr/0021-input-robustness.md):
//! no panic whatever the file says. `cargo test` runs a few hundred inputs;
//! `make fuzz` sets `PROPTEST_CASES` to a million.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use relais_stats::{Dataset, all_pairs, check_existence};
use std::cell::Cell;
use std::time::Instant;

/// Cells a table may hold: list flags, counts near every limit, and junk.
const CELLS: &[&str] = &[
    "",
    " ",
    "0",
    "1",
    "2",
    "-1",
    "01",
    "1.0",
    "1e3",
    "+1",
    "x",
    "liste",
    "count",
    "\"",
    "\"\"",
    "é",
    "\u{0}",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "4294967296",
    "99999999999999999999999",
];

/// The strings `pattern` matches, compiled once: proptest compiles a bare
/// `&str` pattern (and `any::<String>()`, which is `"\\PC*"`) again for every
/// value drawn, which cost more than most of the checks.
fn regex(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).unwrap()
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(CELLS).prop_map(str::to_owned),
        regex("[ -~]{0,12}"),
        regex("\\PC*"),
        any::<u64>().prop_map(|n| n.to_string()),
    ]
}

/// A table: a header of 0 to 18 list names and a count column, then rows
/// mostly of 0/1 flags and a count, sometimes with cells of any kind.
fn table() -> impl Strategy<Value = String> {
    let separator = prop::sample::select(vec![",", ";", "\t", ", "]);
    (0_usize..18, separator, any::<bool>())
        .prop_flat_map(|(lists, separator, junk)| {
            let flag = if junk {
                cell().boxed()
            } else {
                prop::sample::select(vec!["0", "1"]).prop_map(str::to_owned).boxed()
            };
            let count = prop_oneof![cell(), (0_u64..1000).prop_map(|n| n.to_string())];
            let row = (prop::collection::vec(flag, lists..=lists + 1), count);
            (
                Just(lists),
                Just(separator),
                prop::collection::vec(cell(), 0..3),
                prop::collection::vec(row, 0..40),
            )
        })
        .prop_map(|(lists, separator, extra, rows)| {
            let mut header: Vec<String> = (0..lists).map(|i| format!("L{i}")).collect();
            header.extend(extra);
            header.push("count".to_owned());
            let mut text = header.join(separator);
            for (flags, count) in rows {
                text.push('\n');
                text.push_str(&flags.join(separator));
                text.push_str(separator);
                text.push_str(&count);
            }
            text
        })
}

#[test]
fn fuzz_mse_csv() {
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let inputs = Cell::new(0_u64);
    let start = Instant::now();
    let input = prop_oneof![table(), regex("\\PC*")];
    let result = runner.run(&input, |text| {
        inputs.set(inputs.get() + 1);
        if let Ok(parsed) = Dataset::from_csv(&text) {
            let dataset = parsed.dataset;
            let _ = dataset.observed();
            if dataset.list_count() <= 5 {
                let _ = check_existence(&dataset, &all_pairs(dataset.list_count()));
            }
        }
        Ok(())
    });
    eprintln!(
        "fuzz MSE CSV: {} inputs in {:.1} s",
        inputs.get(),
        start.elapsed().as_secs_f64()
    );
    if let Err(failure) = result {
        panic!("fuzz MSE CSV: {failure}");
    }
}

#[test]
fn fuzz_mse_counts() {
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let inputs = Cell::new(0_u64);
    let start = Instant::now();
    let input = (0_usize..20).prop_flat_map(|lists| {
        (
            prop::collection::vec(regex("[a-z]{0,3}"), lists),
            prop::collection::vec(prop_oneof![any::<u64>(), 0_u64..10], 0..=(1_usize << lists.min(8)) + 1),
        )
    });
    let result = runner.run(&input, |(lists, counts)| {
        inputs.set(inputs.get() + 1);
        if let Ok(dataset) = Dataset::new(lists, counts) {
            let _ = dataset.observed();
            if dataset.list_count() >= 2 {
                let _ = dataset.overlap(0, 1);
            }
        }
        Ok(())
    });
    eprintln!(
        "fuzz MSE counts: {} inputs in {:.1} s",
        inputs.get(),
        start.elapsed().as_secs_f64()
    );
    if let Err(failure) = result {
        panic!("fuzz MSE counts: {failure}");
    }
}
