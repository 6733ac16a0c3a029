//! Shared helpers of the integration tests: the reference data sets shipped in tests/data.

#![allow(dead_code, reason = "each test binary uses part of the helpers")]
#![allow(clippy::unwrap_used, reason = "tests")]

use relais_stats::Dataset;

/// The text of a file of tests/data.
pub fn data_text(file: &str) -> String {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// A reference data set (Artificial_3, Korea, NewOrl, UKdat, Western).
pub fn dataset(name: &str) -> Dataset {
    Dataset::from_csv(&data_text(&format!("{name}.csv"))).unwrap().dataset
}

/// Asserts `actual` equals a value printed with `decimals` decimals, to 1e-6 relative or,
/// where that is finer than the printing, to half a unit in the last printed digit.
pub fn assert_printed(actual: f64, printed: f64, decimals: i32, what: &str) {
    let tolerance = (1e-6 * printed.abs()).max(0.5 * 10f64.powi(-decimals)) + 1e-9;
    assert!(
        (actual - printed).abs() <= tolerance,
        "{what}: {actual} differs from the reference {printed} by more than {tolerance}"
    );
}

/// Asserts `actual` matches a value printed with `decimals` decimals to every printed digit.
pub fn assert_digits(actual: f64, printed: f64, decimals: i32, what: &str) {
    let tolerance = 0.5 * 10f64.powi(-decimals) + 1e-9;
    assert!(
        (actual - printed).abs() <= tolerance,
        "{what}: {actual} does not round to the reference {printed}"
    );
}
