//! `relais observatory import` with good and bad files, into a demo source.

use super::{Env, stdout};

pub async fn import_all_or_nothing(postgres: bool) {
    let env = Env::new(postgres).await;
    let seeded = env.run(&["demo", "seed"]);
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let dir = env.dir.path();

    let bad = dir.join("victimes-bad.csv");
    std::fs::write(
        &bad,
        "annee;forme;sexe;tranche_age;victimes\n2024;sexual;F;18-24;12\n2024;sexual;X;18-24;3\n2031;labour;M;25-34;-2\n",
    )
    .unwrap();
    let refused = env.run(&[
        "observatory",
        "import",
        "--source",
        "demo-victimes-police",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    for expected in [
        "nothing imported, 3 problem(s)",
        "line 3, sexe: not one of the allowed values: F, M",
        "line 4, annee: above the maximum, 2030",
        "line 4, victimes: below the minimum, 0",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let columns = dir.join("columns.csv");
    std::fs::write(&columns, "annee,forme,sexe,age,victimes\n2024,sexual,F,18-24,1\n").unwrap();
    let refused = env.run(&[
        "observatory",
        "import",
        "--source",
        "demo-victimes-police",
        columns.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("line 1, age: the schema has no such column"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 1, tranche_age: this column of the schema is missing"),
        "{stderr}"
    );

    let unknown = env.run(&["observatory", "import", "--source", "nope", bad.to_str().unwrap()]);
    assert_ne!(unknown.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no source has the code nope"));

    let good = dir.join("victimes.csv");
    std::fs::write(
        &good,
        "annee,forme,sexe,tranche_age,victimes\n2024,sexual,F,18-24,12\n2024,labour,M,25-34,9\n",
    )
    .unwrap();
    let imported = env.run(&[
        "observatory",
        "import",
        "--source",
        "demo-victimes-police",
        good.to_str().unwrap(),
        "--note",
        "correction",
    ]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert_eq!(
        stdout(&imported).trim(),
        "Imported 2 rows into demo-victimes-police as version 2."
    );

    let store = env.store().await;
    let versions = relais_store::testing::texts(
        &store,
        "SELECT CAST(v.number AS TEXT) || '|' || v.file_name || '|' || CAST(v.row_count AS TEXT) || '|' || v.note \
         || '|' || COALESCE(v.imported_by, 'command line') FROM observatory_versions v \
         JOIN observatory_sources s ON s.id = v.source_id WHERE s.code = 'demo-victimes-police' ORDER BY v.number",
    )
    .await
    .unwrap();
    assert_eq!(versions.len(), 2, "the refused files left nothing: {versions:?}");
    assert_eq!(versions[1], "2|victimes.csv|2|correction|command line");
    let audit = env.run(&["audit", "verify"]);
    assert_eq!(audit.status.code(), Some(0));
    store.close().await;
}
