//! `relais demo generate` keeps each case's queue deadline and the overdue counters as it
//! writes (issue 17): what every decision, closure, permit and opening left behind is what a
//! computation from scratch gives.

use super::Env;
use relais_store::testing;

const CASES: &str = "SELECT id || '|' || COALESCE(next_due_kind, '') || '|' || COALESCE(next_due_on, '') \
     || '|' || COALESCE(due_counted_departement, '-') || '|' || COALESCE(due_counted_on, '') FROM cases ORDER BY id";
const COUNTS: &str = "SELECT departement || '|' || due_on || '|' || CAST(cases AS TEXT) FROM case_due_counts \
     WHERE cases <> 0 ORDER BY departement, due_on";
const COUNTED: &str = "SELECT due_counted_departement || '|' || due_counted_on || '|' || CAST(COUNT(*) AS TEXT) \
     FROM cases WHERE due_counted_on IS NOT NULL GROUP BY due_counted_departement, due_counted_on \
     ORDER BY due_counted_departement, due_counted_on";

pub async fn the_deadlines_kept_match_a_computation_from_scratch(postgres: bool) {
    let env = Env::new(postgres).await;
    let generated = env.run(&["demo", "generate", "--cases", "300", "--seed", "5"]);
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let store = env.store().await;
    let cases = testing::texts(&store, CASES).await.unwrap();
    let counts = testing::texts(&store, COUNTS).await.unwrap();
    assert!(cases.len() >= 300, "{} cases", cases.len());
    assert!(counts.len() > 10, "{counts:?}");
    // Each bucket counts the cases counted in it.
    assert_eq!(counts, testing::texts(&store, COUNTED).await.unwrap());

    // Forgotten, then computed again as `migrate` does for cases older than the columns.
    testing::execute_raw(
        &store,
        "UPDATE cases SET next_due_kind = NULL, next_due_on = NULL, due_counted_departement = NULL, \
         due_counted_on = NULL",
    )
    .await
    .unwrap();
    testing::execute_raw(&store, "DELETE FROM case_due_counts")
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert_eq!(cases, testing::texts(&store, CASES).await.unwrap());
    assert_eq!(counts, testing::texts(&store, COUNTS).await.unwrap());
    store.close().await;
}
