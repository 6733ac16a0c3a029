//! Reading tables: what is accepted, and errors that name the line and column.

#![allow(clippy::unwrap_used, reason = "tests")]

use relais_stats::{Dataset, MseError};

fn error(text: &str) -> MseError {
    Dataset::from_csv(text).unwrap_err()
}

#[test]
fn reads_a_table() {
    let parsed = Dataset::from_csv("A,B,C,n\n1,0,0,5\n0,1,0,4\n1,1,0,2\n0,0,1,3\n").unwrap();
    assert!(parsed.warnings.is_empty());
    let data = parsed.dataset;
    assert_eq!(data.lists(), ["A", "B", "C"]);
    assert_eq!(data.observed(), 14);
    assert_eq!(data.counts()[0b011], 2);
    assert_eq!(data.overlap(0, 1), 2);
    assert_eq!(data.overlap(0, 2), 0);
}

#[test]
fn tolerates_spaces_blank_lines_zero_counts_and_integral_decimals() {
    let parsed = Dataset::from_csv("A , B ,count\n\n 1, 0 , 5\n0,1,4.0\n1,1,0\n").unwrap();
    assert_eq!(parsed.dataset.observed(), 9);
    assert_eq!(parsed.dataset.counts()[0b11], 0);
}

#[test]
fn merges_repeated_histories_with_a_warning() {
    let parsed = Dataset::from_csv("A,B,n\n1,0,5\n0,1,4\n1,1,1\n1,0,2\n").unwrap();
    assert_eq!(parsed.dataset.counts()[0b01], 7);
    assert_eq!(parsed.warnings.len(), 1);
    let warning = &parsed.warnings[0];
    assert!(warning.contains("line 5") && warning.contains("line 2"), "{warning}");
    assert!(warning.contains("total 7"), "{warning}");
}

#[test]
fn rejects_values_other_than_0_or_1() {
    let e = error("A,B,n\n1,0,5\n0,2,4\n");
    assert_eq!(
        e,
        MseError::NotBinary {
            line: 3,
            column: 2,
            list: "B".into(),
            value: "2".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "line 3, column 2 (list \"B\"): expected 0 or 1, found \"2\""
    );
    assert!(matches!(
        error("A,B,n\nyes,0,5\n"),
        MseError::NotBinary { line: 2, column: 1, .. }
    ));
}

#[test]
fn rejects_negative_fractional_or_missing_counts() {
    for bad in ["-3", "2.5", "many", "", "1e400"] {
        let e = error(&format!("A,B,n\n1,0,5\n0,1,{bad}\n"));
        assert_eq!(
            e,
            MseError::BadCount {
                line: 3,
                column: 3,
                value: bad.into()
            },
            "{bad}"
        );
        assert!(e.to_string().starts_with("line 3, column 3:"), "{e}");
    }
}

#[test]
fn rejects_fewer_than_two_lists() {
    assert_eq!(error("A,n\n1,5\n"), MseError::TooFewLists { found: 2 });
    assert!(error("A,n\n1,5\n").to_string().starts_with("line 1:"));
}

#[test]
fn rejects_an_all_zero_history() {
    let e = error("A,B,n\n1,0,5\n0,0,9\n");
    assert_eq!(e, MseError::EmptyHistory { line: 3 });
    assert!(e.to_string().starts_with("line 3:"));
}

#[test]
fn rejects_ragged_rows() {
    assert_eq!(
        error("A,B,n\n1,0,5\n0,1\n"),
        MseError::FieldCount {
            line: 3,
            expected: 3,
            found: 2
        }
    );
}

#[test]
fn rejects_malformed_csv() {
    // An unclosed quote swallows the rest of the file into one field.
    assert_eq!(
        error("A,B,n\n1,\"0,5\n0,1,4\n"),
        MseError::FieldCount {
            line: 2,
            expected: 3,
            found: 2
        }
    );
    let e = error("A;B;n\n1;0;5\n");
    assert_eq!(e, MseError::TooFewLists { found: 1 });
}

#[test]
fn rejects_bad_headers_and_empty_tables() {
    assert_eq!(error(""), MseError::Empty);
    assert_eq!(
        error("A,A,n\n1,0,1\n"),
        MseError::BadHeader {
            column: 2,
            name: "A".into(),
            problem: "repeated"
        }
    );
    assert_eq!(
        error("A,,n\n1,0,1\n"),
        MseError::BadHeader {
            column: 2,
            name: String::new(),
            problem: "empty"
        }
    );
    assert_eq!(error("A,B,n\n1,0,0\n"), MseError::NoCases);
    let many: Vec<String> = (0..17).map(|i| format!("L{i}")).collect();
    assert!(matches!(
        error(&format!("{},n\n", many.join(","))),
        MseError::TooManyLists { found: 17, .. }
    ));
}

#[test]
fn builds_tables_in_code() {
    let lists = vec!["A".to_owned(), "B".to_owned()];
    assert!(Dataset::new(lists.clone(), vec![0, 5, 4, 1]).is_ok());
    assert_eq!(
        Dataset::new(lists.clone(), vec![0, 5, 4]),
        Err(MseError::CellCount {
            lists: 2,
            expected: 4,
            found: 3
        })
    );
    assert_eq!(Dataset::new(lists, vec![3, 5, 4, 1]), Err(MseError::UnseenCell));
}

#[test]
fn analysis_leaves_out_empty_lists() {
    let options = relais_stats::Options {
        replicates: 0,
        ..relais_stats::Options::default()
    };
    let data = Dataset::from_csv("A,B,C,n\n1,0,0,30\n0,1,0,20\n1,1,0,10\n")
        .unwrap()
        .dataset;
    let report = relais_stats::analyse(&data, &options, &|_| {}).unwrap();
    assert_eq!(report.warnings, ["list \"C\" holds no case and was left out"]);
    // Two lists: the Lincoln–Petersen estimate 40 × 30 / 10.
    assert!((report.estimate - 120.0).abs() < 1e-6);
    let lonely = Dataset::from_csv("A,B,n\n1,0,30\n").unwrap().dataset;
    assert_eq!(
        relais_stats::analyse(&lonely, &options, &|_| {}),
        Err(MseError::TooFewNonEmptyLists)
    );
}
