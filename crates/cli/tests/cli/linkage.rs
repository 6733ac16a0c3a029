//! `relais linkage encode` and `relais linkage link`: two sources encode with a shared secret,
//! the observatory links the encoded files without a name.

use std::path::Path;
use std::process::{Command, Output};

use super::stdout;

fn relais(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relais")).args(args).output().unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

const HEADER: &str = "id,given_name,family_name,birth_date,sex,nationality";

#[test]
fn two_sources_link_through_their_keys() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("secret"), "a secret the two sources share\n").unwrap();
    std::fs::write(d.join("other-secret"), "another secret, not the shared one\n").unwrap();
    std::fs::write(
        d.join("police.csv"),
        format!("{HEADER}\np1,Amina,Okafor,1998-04-12,F,NGA\np2,Mohammed,Al-Hassan,1990-02-03,M,SYR\np3,Olena,Kovalenko,1985-11-20,F,UKR\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("association.csv"),
        format!("{HEADER}\na1,Muhammad,Alhassan,1990-02-03,M,SYR\na2,Okafor,Amina,1998,F,NGA\na3,Grace,Mensah,2001-07-30,F,GHA\n"),
    )
    .unwrap();
    for (input, output, secret) in [
        ("police.csv", "police.clk", "secret"),
        ("association.csv", "association.clk", "secret"),
        ("association.csv", "stranger.clk", "other-secret"),
    ] {
        let encoded = relais(&[
            "linkage",
            "encode",
            path(&d.join(input)),
            "--secret-file",
            path(&d.join(secret)),
            "--output",
            path(&d.join(output)),
        ]);
        assert!(encoded.status.success(), "{}", String::from_utf8_lossy(&encoded.stderr));
    }
    let file = std::fs::read_to_string(d.join("police.clk")).unwrap();
    assert!(
        !file.contains("Okafor") && !file.contains("share"),
        "no name and no secret in the output"
    );

    let linked = relais(&[
        "linkage",
        "link",
        path(&d.join("police.clk")),
        path(&d.join("association.clk")),
    ]);
    assert!(linked.status.success(), "{}", String::from_utf8_lossy(&linked.stderr));
    let pairs: Vec<Vec<String>> = stdout(&linked)
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    let ids: Vec<(&str, &str)> = pairs.iter().map(|p| (p[0].as_str(), p[1].as_str())).collect();
    assert_eq!(ids.len(), 2, "{pairs:?}");
    assert!(ids.contains(&("p1", "a2")) && ids.contains(&("p2", "a1")), "{pairs:?}");

    // The quality report: the matched pairs' scores, those near the threshold, the threshold.
    let estimated = relais(&[
        "linkage",
        "estimate",
        path(&d.join("police.clk")),
        path(&d.join("association.clk")),
        "--threshold",
        "0.6",
        "--bootstrap",
        "0",
        "--format",
        "json",
    ]);
    assert!(
        estimated.status.success(),
        "{}",
        String::from_utf8_lossy(&estimated.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&estimated)).unwrap();
    let quality = &report["linkage_quality"];
    assert_eq!(quality["threshold"], 0.6);
    let bins = quality["score_histogram"].as_array().unwrap();
    assert_eq!(bins[0]["from"], 0.4);
    let binned: u64 = bins.iter().map(|b| b["pairs"].as_u64().unwrap()).sum();
    assert_eq!(binned, 2, "the two true pairs, whatever their scores: {quality}");
    let near = quality["near_pairs"].as_array().unwrap();
    let named = near
        .iter()
        .all(|p| p["a"]["source"] == "police" && p["b"]["source"] == "association");
    assert!(
        named && near.len() as u64 >= quality["near_threshold"]["below"].as_u64().unwrap(),
        "{quality}"
    );

    let mismatch = relais(&[
        "linkage",
        "link",
        path(&d.join("police.clk")),
        path(&d.join("stranger.clk")),
    ]);
    assert_eq!(mismatch.status.code(), Some(2));
}

#[test]
fn wrong_lines_and_weak_secrets_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("secret"), "a secret the two sources share").unwrap();
    std::fs::write(d.join("weak"), "short").unwrap();
    std::fs::write(
        d.join("bad.csv"),
        format!("{HEADER}\np1,Amina,Okafor,1998-02-30,F,NGA\np1,Grace,,,X,\n"),
    )
    .unwrap();
    let bad = relais(&[
        "linkage",
        "encode",
        path(&d.join("bad.csv")),
        "--secret-file",
        path(&d.join("secret")),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(
        message.contains("line 2, column birth_date")
            && message.contains("line 3, column id")
            && message.contains("line 3, column sex"),
        "{message}"
    );
    assert!(bad.stdout.is_empty());
    let weak = relais(&[
        "linkage",
        "encode",
        path(&d.join("bad.csv")),
        "--secret-file",
        path(&d.join("weak")),
    ]);
    assert_eq!(weak.status.code(), Some(2));
}
