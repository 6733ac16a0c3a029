//! Scheduled runs: claimed once, retried when due after a failure, never
//! repeated after a success, taken over when their process died.

use relais_domain::jobs::{AfterFailure, RetryPolicy, RunState};
use relais_domain::time::Timestamp;
use relais_store::Store;
use relais_store::jobs::{self, Claim, Claimed};

const NOW: Timestamp = Timestamp(1_800_000_000);
const POLICY: RetryPolicy = RetryPolicy::STANDARD;

async fn claimed(store: &Store, key: &str, at: Timestamp, policy: &RetryPolicy) -> Claim {
    match jobs::claim(store, "test-job", key, at, policy).await.unwrap() {
        Claimed::Yes(claim) => claim,
        Claimed::No(state) => panic!("expected a claim, the run is {state:?}"),
    }
}

async fn refused(store: &Store, key: &str, at: Timestamp, policy: &RetryPolicy) -> RunState {
    match jobs::claim(store, "test-job", key, at, policy).await.unwrap() {
        Claimed::No(state) => state,
        Claimed::Yes(claim) => panic!("expected no claim, got attempt {}", claim.attempt()),
    }
}

pub async fn a_failed_run_is_retried_when_due_and_a_success_never_again(store: &Store) {
    let first = claimed(store, "2027-01-15", NOW, &POLICY).await;
    assert_eq!(first.attempt(), 1);
    assert_eq!(
        refused(store, "2027-01-15", NOW, &POLICY).await,
        RunState::Running { claimed_at: NOW },
        "another process does not take a running claim"
    );

    let retry_at = NOW.plus_seconds(300);
    assert_eq!(
        jobs::fail(store, &first, NOW, "SMTP 421", &POLICY).await.unwrap(),
        AfterFailure::RetryAt(retry_at)
    );
    let record = jobs::get(store, "test-job", "2027-01-15").await.unwrap().unwrap();
    assert_eq!(
        record.state,
        RunState::Failed {
            next_attempt_at: retry_at
        }
    );
    assert_eq!(record.attempts, 1);
    assert_eq!(record.last_error.as_deref(), Some("SMTP 421"));
    assert_eq!(record.outcome, None);

    assert_eq!(
        refused(store, "2027-01-15", retry_at.plus_seconds(-1), &POLICY).await,
        RunState::Failed {
            next_attempt_at: retry_at
        },
        "not before its retry is due"
    );
    let second = claimed(store, "2027-01-15", retry_at, &POLICY).await;
    assert_eq!(second.attempt(), 2);
    assert_eq!(
        refused(store, "2027-01-15", retry_at, &POLICY).await,
        RunState::Running { claimed_at: retry_at },
        "a due retry is claimed by one process only"
    );

    jobs::finish(store, &second, retry_at.plus_seconds(5), "1 e-mails, 2 items")
        .await
        .unwrap();
    let record = jobs::get(store, "test-job", "2027-01-15").await.unwrap().unwrap();
    assert_eq!(record.state, RunState::Done);
    assert_eq!(record.attempts, 2);
    assert_eq!(record.outcome.as_deref(), Some("1 e-mails, 2 items"));
    assert_eq!(
        refused(store, "2027-01-15", NOW.plus_seconds(30 * 86_400), &POLICY).await,
        RunState::Done,
        "a success is never run again"
    );
    assert!(
        jobs::get(store, "test-job", "2027-01-16").await.unwrap().is_none(),
        "another day is another run"
    );
    assert_eq!(claimed(store, "2027-01-16", NOW, &POLICY).await.attempt(), 1);
}

pub async fn a_run_is_abandoned_after_its_last_attempt(store: &Store) {
    let twice = RetryPolicy {
        backoff_seconds: &[60],
        max_attempts: 2,
        lease_seconds: 3600,
    };
    let first = claimed(store, "day", NOW, &twice).await;
    jobs::fail(store, &first, NOW, "connection", &twice).await.unwrap();
    let second = claimed(store, "day", NOW.plus_seconds(60), &twice).await;
    assert_eq!(
        jobs::fail(store, &second, NOW.plus_seconds(60), "connection", &twice)
            .await
            .unwrap(),
        AfterFailure::GiveUp
    );
    let record = jobs::get(store, "test-job", "day").await.unwrap().unwrap();
    assert_eq!((record.state, record.attempts), (RunState::Abandoned, 2));
    assert_eq!(
        refused(store, "day", NOW.plus_seconds(86_400), &twice).await,
        RunState::Abandoned
    );
}

pub async fn a_claim_whose_process_died_is_taken_over_after_its_lease(store: &Store) {
    let dead = claimed(store, "hour", NOW, &POLICY).await;
    let lease_end = NOW.plus_seconds(POLICY.lease_seconds);
    assert_eq!(
        refused(store, "hour", lease_end.plus_seconds(-1), &POLICY).await,
        RunState::Running { claimed_at: NOW }
    );
    let taken = claimed(store, "hour", lease_end, &POLICY).await;
    assert_eq!(taken.attempt(), 2, "the lost attempt counts");

    // The presumed-dead process reports late: the new claim's record stands.
    jobs::fail(store, &dead, lease_end, "late", &POLICY).await.unwrap();
    let record = jobs::get(store, "test-job", "hour").await.unwrap().unwrap();
    assert_eq!(record.state, RunState::Running { claimed_at: lease_end });
    assert_eq!((record.attempts, record.last_error), (2, None));
}
