//! Public signalements: submission, follow-up with code and passphrase,
//! added information, rate limits and encryption at rest.

use relais_domain::intake::referral::public::{PublicLimits, PublicReport};
use relais_domain::intake::referral::status::Status;
use relais_domain::time::Timestamp;
use relais_store::intake::signalements::{self, Confirmation, FormToken, Outcome, Receipt, Sent};
use relais_store::{Actor, Store, testing};

const NOW: Timestamp = Timestamp(1_800_000_000);
const ADDRESS: &str = "203.0.113.7";
const SECRET_TEXT: &str = "Workers locked in the barn at Saint-Zéphyrin";

fn report() -> PublicReport {
    PublicReport {
        description: SECRET_TEXT.into(),
        departement: "59".into(),
        place: "Near the station".into(),
        minor: "no".into(),
        forms: vec!["labour".into()],
        ..PublicReport::default()
    }
}

fn secret() -> signalements::NewPassphrase {
    signalements::new_passphrase().unwrap()
}

/// Sends a fresh form, then takes the code and passphrase as the
/// confirmation page does.
async fn submit_from(store: &Store, address: &str, at: Timestamp) -> Outcome<Receipt> {
    let token = FormToken::generate();
    let mut tx = store.begin(Actor::system(), "req-public", at).await.unwrap();
    let outcome = signalements::submit(&mut tx, address, &token, secret(), &report(), &PublicLimits::default())
        .await
        .unwrap();
    match outcome {
        Outcome::Done(Sent::Filed(_)) => tx.commit().await.unwrap(),
        Outcome::Done(Sent::AlreadySent) => panic!("a fresh token"),
        Outcome::Throttled => return Outcome::Throttled,
        Outcome::WrongCredentials => return Outcome::WrongCredentials,
    }
    let mut tx = store.begin(Actor::system(), "req-confirmation", at).await.unwrap();
    let Confirmation::Receipt(receipt) = signalements::take_receipt(&mut tx, &token).await.unwrap() else {
        panic!("the receipt waits for its display")
    };
    tx.commit().await.unwrap();
    Outcome::Done(receipt)
}

async fn submitted(store: &Store) -> Receipt {
    match submit_from(store, ADDRESS, NOW).await {
        Outcome::Done(receipt) => receipt,
        other => panic!("not submitted: {other:?}"),
    }
}

/// What the web front does before the transaction: the Argon2 check.
async fn checked(store: &Store, code: &str, passphrase: &str) -> signalements::CheckedPassphrase {
    let hash = signalements::passphrase_hash(store, code).await.unwrap();
    signalements::check_passphrase(code, passphrase, hash.as_deref())
}

async fn follow(store: &Store, code: &str, passphrase: &str) -> Outcome<signalements::FollowUp> {
    let checked = checked(store, code, passphrase).await;
    let mut tx = store.begin(Actor::system(), "req-follow", NOW).await.unwrap();
    let outcome = signalements::follow_up(&mut tx, "198.51.100.1", &checked, &PublicLimits::default())
        .await
        .unwrap();
    if !matches!(outcome, Outcome::Throttled) {
        tx.commit().await.unwrap();
    }
    outcome
}

pub async fn signalement_follow_up_shows_status_with_the_right_passphrase(store: &Store) {
    let receipt = submitted(store).await;
    assert!(receipt.code.as_str().starts_with("SG-"));
    // Typed sloppily: lower case, spaces instead of hyphens.
    let typed = receipt.passphrase.as_str().to_lowercase().replace('-', " ");
    match follow(store, &receipt.code.as_str().to_lowercase(), &typed).await {
        Outcome::Done(view) => {
            assert_eq!(view.status, Status::Submitted);
            assert_eq!(view.submitted_at, Some(NOW));
            assert!(view.messages.is_empty() && view.additions.is_empty());
        }
        other => panic!("follow-up refused: {other:?}"),
    }
    let (n,) = (testing::execute_raw(
        store,
        &format!(
            "UPDATE referrals SET step = step WHERE id = '{}' AND kind = 'public' AND organisation_id IS NULL \
             AND created_by IS NULL AND reference IS NOT NULL",
            receipt.id
        ),
    )
    .await
    .unwrap(),);
    assert_eq!(n, 1, "a public referral with no organisation or user");
}

pub async fn signalement_wrong_passphrase_is_refused(store: &Store) {
    let receipt = submitted(store).await;
    let wrong = "0000-0000-0000-0000";
    assert!(matches!(
        follow(store, receipt.code.as_str(), wrong).await,
        Outcome::WrongCredentials
    ));
    assert!(matches!(
        follow(store, "SG-0000-0000-0000", receipt.passphrase.as_str()).await,
        Outcome::WrongCredentials
    ));
    assert!(matches!(
        follow(store, "not a code", receipt.passphrase.as_str()).await,
        Outcome::WrongCredentials
    ));
}

pub async fn signalement_code_is_locked_after_five_wrong_passphrases(store: &Store) {
    let receipt = submitted(store).await;
    for _ in 0..5 {
        assert!(matches!(
            follow(store, receipt.code.as_str(), "0000-0000-0000-0000").await,
            Outcome::WrongCredentials
        ));
    }
    assert!(
        matches!(
            follow(store, receipt.code.as_str(), receipt.passphrase.as_str()).await,
            Outcome::Throttled
        ),
        "even the right passphrase waits"
    );
    let allowed = signalements::follow_up_allowed(
        store,
        "192.0.2.44",
        receipt.code.as_str(),
        &PublicLimits::default(),
        NOW,
    )
    .await
    .unwrap();
    assert!(!allowed, "refused before any Argon2 work, from any address");
}

pub async fn signalement_add_information_adds_a_reporter_message(store: &Store) {
    let receipt = submitted(store).await;
    let limits = PublicLimits::default();
    let proof = checked(store, receipt.code.as_str(), receipt.passphrase.as_str()).await;
    let mut tx = store.begin(Actor::system(), "req-add", NOW).await.unwrap();
    let outcome = signalements::add_information(&mut tx, ADDRESS, &proof, "They moved to another farm", &limits)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    match outcome {
        Outcome::Done(signalements::Addition { view, added: true }) => {
            assert_eq!(view.status, Status::Submitted);
            assert_eq!(view.additions, vec![NOW], "the reporter's addition is dated");
            assert!(view.messages.is_empty(), "the reporter's text is not shown back");
        }
        other => panic!("not added: {other:?}"),
    }
    let n = testing::execute_raw(
        store,
        &format!(
            "UPDATE referral_messages SET id = id WHERE referral_id = '{}' AND author_kind = 'reporter' \
             AND body NOT LIKE '%another farm%'",
            receipt.id
        ),
    )
    .await
    .unwrap();
    assert_eq!(n, 1, "one encrypted reporter message");
    // Once decided, nothing can be added.
    testing::execute_raw(
        store,
        &format!("UPDATE referrals SET status = 'rejected' WHERE id = '{}'", receipt.id),
    )
    .await
    .unwrap();
    let mut tx = store.begin(Actor::system(), "req-add", NOW).await.unwrap();
    let outcome = signalements::add_information(&mut tx, ADDRESS, &proof, "More", &limits)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(matches!(
        outcome,
        Outcome::Done(signalements::Addition { added: false, .. })
    ));
}

pub async fn signalement_sixth_submission_from_an_address_is_throttled(store: &Store) {
    for _ in 0..5 {
        assert!(matches!(submit_from(store, ADDRESS, NOW).await, Outcome::Done(_)));
    }
    assert!(matches!(submit_from(store, ADDRESS, NOW).await, Outcome::Throttled));
    assert!(
        matches!(submit_from(store, "203.0.113.8", NOW).await, Outcome::Done(_)),
        "another address is not blocked"
    );
    assert!(
        matches!(
            submit_from(store, ADDRESS, Timestamp(NOW.0 + 3601)).await,
            Outcome::Done(_)
        ),
        "the window slides"
    );
    let raw = testing::execute_raw(
        store,
        &format!("UPDATE rate_events SET at = at WHERE subject_key LIKE '%{ADDRESS}%'"),
    )
    .await
    .unwrap();
    assert_eq!(raw, 0, "addresses are stored as keyed hashes only");
}

pub async fn signalement_details_are_encrypted_at_rest(store: &Store) {
    let receipt = submitted(store).await;
    let plain = testing::execute_raw(
        store,
        &format!(
            "UPDATE referrals SET step = step WHERE id = '{}' AND (details LIKE '%Saint-Z%' OR details LIKE '%station%')",
            receipt.id
        ),
    )
    .await
    .unwrap();
    assert_eq!(plain, 0, "the details column holds no plaintext");
    let hashed = testing::execute_raw(
        store,
        &format!(
            "UPDATE referrals SET step = step WHERE id = '{}' AND passphrase_hash LIKE '$argon2id$%' \
             AND passphrase_hash NOT LIKE '%{}%' AND departement = '59' AND child = 0",
            receipt.id,
            receipt.passphrase.as_str()
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        hashed, 1,
        "only the passphrase's hash is kept; codes stay in clear columns"
    );
}

pub async fn signalement_about_a_child_creates_the_protection_task(store: &Store) {
    let mut tx = store.begin(Actor::system(), "req-child", NOW).await.unwrap();
    let child = PublicReport {
        minor: "yes".into(),
        ..report()
    };
    let outcome = signalements::submit(
        &mut tx,
        ADDRESS,
        &FormToken::generate(),
        secret(),
        &child,
        &PublicLimits::default(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let Outcome::Done(Sent::Filed(id)) = outcome else {
        panic!("not submitted")
    };
    let tasks = testing::execute_raw(
        store,
        &format!(
            "UPDATE tasks SET status = status WHERE referral_id = '{}' AND kind = 'child-protection-notification'",
            id
        ),
    )
    .await
    .unwrap();
    assert_eq!(tasks, 1);
}

pub async fn signalement_form_token_files_once_and_its_receipt_shows_once(store: &Store) {
    let token = FormToken::generate();
    let send = async |at: Timestamp| {
        let mut tx = store.begin(Actor::system(), "req-public", at).await.unwrap();
        let outcome = signalements::submit(&mut tx, ADDRESS, &token, secret(), &report(), &PublicLimits::default())
            .await
            .unwrap();
        if matches!(outcome, Outcome::Done(Sent::Filed(_))) {
            tx.commit().await.unwrap();
        }
        outcome
    };
    assert!(matches!(send(NOW).await, Outcome::Done(Sent::Filed(_))));
    assert!(matches!(send(NOW).await, Outcome::Done(Sent::AlreadySent)));
    let public = testing::execute_raw(store, "UPDATE referrals SET step = step WHERE kind = 'public'")
        .await
        .unwrap();
    assert_eq!(public, 1, "the same form files one signalement");
    let stored = testing::texts(store, "SELECT receipt FROM signalement_submissions")
        .await
        .unwrap();
    assert!(!stored[0].contains("SG-"), "the code waits encrypted");

    let take = async || {
        let mut tx = store.begin(Actor::system(), "req-confirmation", NOW).await.unwrap();
        let shown = signalements::take_receipt(&mut tx, &token).await.unwrap();
        if matches!(shown, Confirmation::Receipt(_)) {
            tx.commit().await.unwrap();
        }
        shown
    };
    let Confirmation::Receipt(receipt) = take().await else {
        panic!("shown the first time")
    };
    assert!(receipt.code.as_str().starts_with("SG-"));
    assert!(matches!(take().await, Confirmation::AlreadyShown));
    let cleared = testing::execute_raw(
        store,
        "UPDATE signalement_submissions SET created_at = created_at WHERE receipt IS NULL",
    )
    .await
    .unwrap();
    assert_eq!(cleared, 1, "nothing secret is kept once shown");
    let mut tx = store.begin(Actor::system(), "req-confirmation", NOW).await.unwrap();
    let unknown = signalements::take_receipt(&mut tx, &FormToken::generate())
        .await
        .unwrap();
    assert!(matches!(unknown, Confirmation::Unknown));
}
