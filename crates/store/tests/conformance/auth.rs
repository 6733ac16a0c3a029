//! Sign-in security (issue 11, ADR 0015): throttling by growing delays with
//! device cookies, the scheduled purge of sessions, the client address in
//! the audit trail.

use relais_domain::access::session::SessionPolicy;
use relais_domain::access::throttle::{ThrottlePolicy, Verdict};
use relais_domain::time::Timestamp;
use relais_store::access::sessions::{self, Stage};
use relais_store::access::throttle::{self, LoginKeys};
use relais_store::audit::{self, Action, Object, Verification};
use relais_store::{Actor, Store, testing};

const NOW: Timestamp = Timestamp(1_800_000_000);
const ATTACKER: &str = "198.51.100.66";
const OWNER: &str = "203.0.113.10";

async fn fail(store: &Store, keys: &LoginKeys, at: Timestamp) {
    let policy = ThrottlePolicy::default();
    assert_eq!(
        throttle::admit(store, keys, at, &policy).await.unwrap(),
        Verdict::Allowed
    );
    throttle::record_failure(store, keys, at, &policy).await.unwrap();
}

pub async fn throttle_delays_grow_without_locking_out_a_trusted_device(store: &Store) {
    let policy = ThrottlePolicy::default();
    let attacker = LoginKeys::new(store, "victim@relais.test", ATTACKER);
    for i in 0..5 {
        fail(store, &attacker, NOW.plus_seconds(i)).await;
    }
    let last = NOW.plus_seconds(4);
    assert_eq!(
        throttle::admit(store, &attacker, last.plus_seconds(10), &policy)
            .await
            .unwrap(),
        Verdict::Wait { seconds: 20 },
        "the sixth attempt waits 30 s after the fifth failure"
    );
    let elsewhere = LoginKeys::new(store, " VICTIM@relais.test", "192.0.2.1");
    assert_eq!(
        throttle::admit(store, &elsewhere, last.plus_seconds(10), &policy)
            .await
            .unwrap(),
        Verdict::Wait { seconds: 20 },
        "any untrusted browser, from any address"
    );
    // The delay doubles with each further failure.
    let mut at = last;
    for expected in [30, 60, 120, 240, 480, 900, 900] {
        assert_eq!(
            throttle::admit(store, &attacker, at, &policy).await.unwrap(),
            Verdict::Wait { seconds: expected }
        );
        at = at.plus_seconds(expected);
        fail(store, &attacker, at).await;
    }

    // The owner's browser, with its device cookie, is judged by its own failures only.
    let owner = LoginKeys::new(store, "victim@relais.test", OWNER).with_device(store, Some("owner-nonce"));
    assert_eq!(
        throttle::admit(store, &owner, at, &policy).await.unwrap(),
        Verdict::Allowed
    );
    throttle::record_success(store, &owner).await.unwrap();
    assert!(
        matches!(
            throttle::admit(store, &attacker, at.plus_seconds(1), &policy)
                .await
                .unwrap(),
            Verdict::Wait { .. }
        ),
        "the owner's success does not lift the attacker's delay"
    );
    // A stolen or typo-prone device is slowed down on its own.
    let other_device = LoginKeys::new(store, "victim@relais.test", OWNER).with_device(store, Some("other"));
    for i in 0..5 {
        fail(store, &other_device, at.plus_seconds(i)).await;
    }
    assert!(matches!(
        throttle::admit(store, &other_device, at.plus_seconds(5), &policy)
            .await
            .unwrap(),
        Verdict::Wait { .. }
    ));
    assert_eq!(
        throttle::admit(store, &owner, at.plus_seconds(5), &policy)
            .await
            .unwrap(),
        Verdict::Allowed
    );

    // A success from an untrusted browser ends the account's delays; after a quiet day they are forgotten anyway.
    let later = at.plus_seconds(900);
    assert_eq!(
        throttle::admit(store, &attacker, later, &policy).await.unwrap(),
        Verdict::Allowed
    );
    throttle::record_success(store, &attacker).await.unwrap();
    let fresh = LoginKeys::new(store, "victim@relais.test", "192.0.2.1");
    assert_eq!(
        throttle::admit(store, &fresh, later.plus_seconds(1), &policy)
            .await
            .unwrap(),
        Verdict::Allowed
    );
    for i in 0..5 {
        fail(store, &fresh, later.plus_seconds(i)).await;
    }
    let next_day = later.plus_seconds(4 + policy.forget_after_seconds);
    assert_eq!(
        throttle::admit(store, &fresh, next_day, &policy).await.unwrap(),
        Verdict::Allowed
    );
}

pub async fn throttle_delays_grow_per_address_and_admit_one_attempt_at_a_time(store: &Store) {
    let policy = ThrottlePolicy::default();
    // Password spraying: one failure on each of 20 accounts from one address.
    for i in 0..20 {
        let keys = LoginKeys::new(store, &format!("user{i}@relais.test"), ATTACKER);
        fail(store, &keys, NOW).await;
    }
    let next = LoginKeys::new(store, "fresh@relais.test", ATTACKER);
    assert_eq!(
        throttle::admit(store, &next, NOW.plus_seconds(1), &policy)
            .await
            .unwrap(),
        Verdict::Wait { seconds: 29 }
    );
    let same_account_elsewhere = LoginKeys::new(store, "fresh@relais.test", OWNER);
    assert_eq!(
        throttle::admit(store, &same_account_elsewhere, NOW.plus_seconds(1), &policy)
            .await
            .unwrap(),
        Verdict::Allowed,
        "other addresses are not slowed down"
    );
    // When the delay ends, of two attempts sent together only one goes through.
    let ready = NOW.plus_seconds(30);
    assert_eq!(
        throttle::admit(store, &next, ready, &policy).await.unwrap(),
        Verdict::Allowed
    );
    assert!(matches!(
        throttle::admit(store, &next, ready, &policy).await.unwrap(),
        Verdict::Wait { .. }
    ));
    // A success on one account does not reset the address.
    throttle::record_success(store, &next).await.unwrap();
    assert!(matches!(
        throttle::admit(store, &next, ready.plus_seconds(1), &policy)
            .await
            .unwrap(),
        Verdict::Wait { .. }
    ));
}

pub async fn expired_sessions_are_purged_by_the_scheduled_job(store: &Store) {
    let policy = SessionPolicy::default();
    let user = {
        let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
        let email = relais_domain::email::Email::parse("sessions@relais.test").unwrap();
        let (id, _) = relais_store::bootstrap::create_administrator(&mut tx, email)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let idle = sessions::create(store, &user, Stage::Complete, NOW).await.unwrap();
    let run_at = NOW.plus_seconds(policy.idle_seconds + 60);
    let live = sessions::create(store, &user, Stage::Complete, run_at.plus_seconds(-60))
        .await
        .unwrap();
    let rows = "SELECT id_hash FROM sessions";
    assert_eq!(testing::texts(store, rows).await.unwrap().len(), 2);

    assert_eq!(sessions::purge_job(store, run_at, &policy).await.unwrap(), Some(1));
    assert_eq!(
        testing::texts(store, rows).await.unwrap().len(),
        1,
        "the expired row is gone without its token ever being presented"
    );
    assert!(sessions::find(store, &live, run_at, &policy).await.unwrap().is_some());
    assert!(sessions::find(store, &idle, run_at, &policy).await.unwrap().is_none());
    assert_eq!(
        sessions::purge_job(store, run_at.plus_seconds(60), &policy)
            .await
            .unwrap(),
        None,
        "one run per hour, whichever process claims it"
    );
}

pub async fn audit_rows_record_a_keyed_hash_of_the_client_address(store: &Store) {
    let address = "198.51.100.23";
    let tx = store.begin(Actor::system(), "req-client", NOW).await.unwrap();
    let mut tx = tx.from_client(address);
    tx.audit(Action::AuthLogin, Object::User, None, None).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(Actor::system(), "req-cli", NOW).await.unwrap();
    tx.audit(Action::AuthLogout, Object::User, None, None).await.unwrap();
    tx.commit().await.unwrap();
    let keys = testing::texts(
        store,
        "SELECT client_key FROM audit_log WHERE request_id = 'req-client'",
    )
    .await
    .unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].len(), 64, "a keyed hash");
    assert!(!keys[0].contains(address));
    let none = testing::texts(
        store,
        "SELECT action FROM audit_log WHERE request_id = 'req-cli' AND client_key IS NULL",
    )
    .await
    .unwrap();
    assert_eq!(none.len(), 1, "rows without a client keep none");
    assert!(matches!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact { .. }
    ));
    testing::execute_raw(
        store,
        "UPDATE audit_log SET client_key = 'ab' WHERE request_id = 'req-client'",
    )
    .await
    .unwrap();
    assert!(
        matches!(audit::verify(store, &|_| {}).await.unwrap(), Verification::Broken(_)),
        "the client key is covered by the chain"
    );
}
