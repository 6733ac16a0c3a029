//! Store behaviour that must hold on every backend.

pub use super::auth::*;
pub use super::case_queue::*;
pub use super::decisions::*;
pub use super::jobs::*;
pub use super::own_referrals::*;
pub use super::privacy::*;
pub use super::read_transactions::*;
pub use super::signalements::*;

use relais_domain::access::account::DisplayName;
use relais_domain::access::authz::{self, ManageUsers, Principal, Privileged};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::access::session::SessionPolicy;
use relais_domain::audit::ChainBreak;
use relais_domain::email::Email;
use relais_domain::ids::{OrganisationId, UserId};
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::Timestamp;
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::sessions::{self, Stage};
use relais_store::access::users::{self, NewUser, USERS_PER_PAGE, UserListing};
use relais_store::audit::{self, Verification};
use relais_store::{
    Actor, Store, StoreError, access::passwords, access::setup_tokens, access::totp, bootstrap, testing,
};

const NOW: Timestamp = Timestamp(1_800_000_000);

fn dept(code: &str) -> Territory {
    Territory::Departement(Departement::parse(code).unwrap())
}

async fn organisation(store: &Store, name: &str, territory: Territory) -> OrganisationId {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let new = NewOrganisation {
        name: name.into(),
        org_type: OrganisationType::Association,
        territory,
    };
    let id = bootstrap::create_organisation(&mut tx, &new).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn new_user(org: &OrganisationId, email: &str, roles: Vec<Role>) -> NewUser {
    NewUser {
        organisation_id: org.clone(),
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse("Test User").unwrap(),
        roles,
    }
}

async fn user(store: &Store, org: &OrganisationId, email: &str, roles: Vec<Role>) -> UserId {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let hash = passwords::hash("a long test password").unwrap();
    let id = bootstrap::create_demo_user(&mut tx, &new_user(org, email, roles), &hash, &totp::new_secret())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn principal(store: &Store, id: &UserId) -> Principal {
    users::principal(store, id, NOW).await.unwrap().unwrap().0
}

fn privileged(p: &Principal) -> Privileged<ManageUsers> {
    authz::authorize_privileged::<ManageUsers>(p, NOW).unwrap()
}

pub async fn migrations_are_idempotent(store: &Store) {
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact { rows: 0 }
    );
}

pub async fn organisations_and_users_round_trip(store: &Store) {
    let org = organisation(store, "Amicale du Nid 93", dept("93")).await;
    let admin = user(store, &org, "admin@relais.test", vec![Role::Administrator]).await;
    let p = principal(store, &admin).await;
    let can = privileged(&p);
    let mut tx = store
        .begin(Actor::user(admin.clone(), org.clone()), "req-1", NOW)
        .await
        .unwrap();
    let (created, link) = users::create(
        &mut tx,
        &can,
        &new_user(&org, "Agent@Police.test", vec![Role::FirstResponder]),
        false,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(link.expose().len(), 64);

    let mut tx = store
        .begin(Actor::user(admin.clone(), org.clone()), "req-2", NOW)
        .await
        .unwrap();
    let list = users::list(&mut tx, can.capability(), &UserListing::default())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(list.len(), 2);
    let agent = list.iter().find(|u| u.id == created).unwrap();
    assert_eq!(agent.email, "agent@police.test");
    assert_eq!(agent.roles, vec![Role::FirstResponder]);
    assert!(!agent.has_password);
    assert_eq!(agent.organisation_name, "Amicale du Nid 93");

    let mut tx = store
        .begin(Actor::user(admin.clone(), org.clone()), "req-3", NOW)
        .await
        .unwrap();
    users::set_roles(
        &mut tx,
        &can,
        &created,
        &[Role::FirstResponder, Role::SupportWorker],
        false,
    )
    .await
    .unwrap();
    // An identification officer's role in an association needs confirming.
    let officer = [Role::FirstResponder, Role::SupportWorker, Role::IdentificationOfficer];
    assert!(matches!(
        users::set_roles(&mut tx, &can, &created, &officer, false).await,
        Err(StoreError::Conflict("unusual role not confirmed"))
    ));
    users::set_roles(&mut tx, &can, &created, &officer, true).await.unwrap();
    // Kept on the next save without a new confirmation: it is no longer new.
    users::set_roles(&mut tx, &can, &created, &officer, false)
        .await
        .unwrap();
    users::set_roles(
        &mut tx,
        &can,
        &created,
        &[Role::FirstResponder, Role::SupportWorker],
        false,
    )
    .await
    .unwrap();
    users::set_active(&mut tx, &can, &created, false).await.unwrap();
    tx.commit().await.unwrap();
    let reasons = testing::texts(
        store,
        "SELECT reason FROM audit_log WHERE action = 'user.unusual_role_confirmed'",
    )
    .await
    .unwrap();
    assert_eq!(reasons, vec!["identification-officer"]);
    assert!(
        users::principal(store, &created, NOW).await.unwrap().is_none(),
        "inactive users have no principal"
    );
    let creds = users::credentials_by_id(store, &created).await.unwrap();
    assert_eq!(creds.roles, vec![Role::FirstResponder, Role::SupportWorker]);
    assert!(!creds.active);
}

pub async fn organisation_scope_hides_other_organisations(store: &Store) {
    let mine = organisation(store, "Mine", dept("75")).await;
    let other = organisation(store, "Other", dept("75")).await;
    let manager = user(store, &mine, "manager@mine.test", vec![Role::OrganisationAdministrator]).await;
    let colleague = user(store, &mine, "colleague@mine.test", vec![Role::FirstResponder]).await;
    let stranger = user(store, &other, "stranger@other.test", vec![Role::FirstResponder]).await;
    let p = principal(store, &manager).await;
    let can = privileged(&p);
    let mut tx = store
        .begin(Actor::user(manager.clone(), mine.clone()), "req", NOW)
        .await
        .unwrap();
    let ids: Vec<UserId> = users::list(&mut tx, can.capability(), &UserListing::default())
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert!(ids.contains(&colleague) && ids.contains(&manager));
    assert!(!ids.contains(&stranger));
    assert!(matches!(
        users::get(&mut tx, can.capability(), &stranger).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        users::set_active(&mut tx, &can, &stranger, false).await,
        Err(StoreError::NotFound)
    ));
    let outsider = new_user(&other, "new@other.test", vec![Role::FirstResponder]);
    assert!(matches!(
        users::create(&mut tx, &can, &outsider, false).await,
        Err(StoreError::NotFound)
    ));
    tx.commit().await.unwrap();
}

pub async fn organisation_administrators_cannot_grant_national_roles(store: &Store) {
    let mine = organisation(store, "Mine", dept("13")).await;
    let manager = user(store, &mine, "manager@mine.test", vec![Role::OrganisationAdministrator]).await;
    let p = principal(store, &manager).await;
    let mut tx = store
        .begin(Actor::user(manager.clone(), mine.clone()), "req", NOW)
        .await
        .unwrap();
    let attempt = users::create(
        &mut tx,
        &privileged(&p),
        &new_user(&mine, "boss@mine.test", vec![Role::Administrator]),
        true,
    )
    .await;
    assert!(matches!(attempt, Err(StoreError::Denied(_))));
}

pub async fn duplicate_email_is_a_conflict(store: &Store) {
    let org = organisation(store, "Org", Territory::National).await;
    user(store, &org, "same@relais.test", vec![Role::Analyst]).await;
    let mut tx = store.begin(Actor::system(), "req", NOW).await.unwrap();
    let again = bootstrap::create_demo_user(&mut tx, &new_user(&org, "SAME@relais.test", vec![]), "x", &[1; 20]).await;
    assert!(matches!(again, Err(StoreError::Conflict("email already used"))));
}

pub async fn unaudited_transaction_is_refused(store: &Store) {
    let tx = store.begin(Actor::system(), "req", NOW).await.unwrap();
    assert!(matches!(tx.commit().await, Err(StoreError::Unaudited)));
}

/// Creates an organisation and `more` audit rows in a transaction dropped without commit:
/// neither the organisation nor any audit row remains.
async fn roll_back_an_organisation(store: &Store, more: usize) {
    let mut tx = store.begin(Actor::system(), "req-ghost", NOW).await.unwrap();
    let new = NewOrganisation {
        name: "Ghost".into(),
        org_type: OrganisationType::Health,
        territory: Territory::National,
    };
    bootstrap::create_organisation(&mut tx, &new).await.unwrap();
    audit_many(&mut tx, "ghost", more).await;
    drop(tx);
    assert_eq!(audit::count(store).await.unwrap(), 0);
    assert!(
        relais_store::access::organisations::list_all(store)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn rolled_back_change_leaves_no_audit_row(store: &Store) {
    roll_back_an_organisation(store, 0).await;
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact { rows: 0 }
    );
}

pub async fn audit_chain_verifies_and_names_tampered_rows(store: &Store) {
    for i in 0..5 {
        organisation(store, &format!("Org {i}"), Territory::National).await;
    }
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact { rows: 5 }
    );

    testing::execute_raw(store, "UPDATE audit_log SET reason = 'edited' WHERE seq = 3")
        .await
        .unwrap();
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Broken(ChainBreak::Altered { seq: 3 })
    );
    testing::execute_raw(store, "UPDATE audit_log SET reason = NULL WHERE seq = 3")
        .await
        .unwrap();
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact { rows: 5 }
    );

    testing::execute_raw(store, "DELETE FROM audit_log WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Broken(ChainBreak::OutOfSequence { seq: 3, expected: 2 })
    );
}

/// A trail longer than one chunk of the verification's reads (20,000 rows): rows on both
/// sides of a chunk's edge are checked in order, and a break after the first chunk is named.
pub async fn audit_chain_verifies_across_chunks(store: &Store) {
    testing::append_chained_audit(store, 45_000, &|_| {}).await.unwrap();
    let seen = std::sync::atomic::AtomicI64::new(0);
    assert_eq!(
        audit::verify(store, &|seq| {
            // Every row comes once, in order.
            assert_eq!(seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, seq);
        })
        .await
        .unwrap(),
        Verification::Intact { rows: 45_000 }
    );
    testing::execute_raw(store, "UPDATE audit_log SET reason = 'edited' WHERE seq = 30000")
        .await
        .unwrap();
    testing::execute_raw(store, "DELETE FROM audit_log WHERE seq = 40001")
        .await
        .unwrap();
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Broken(ChainBreak::Altered { seq: 30_000 })
    );
    testing::execute_raw(store, "UPDATE audit_log SET reason = NULL WHERE seq = 30000")
        .await
        .unwrap();
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Broken(ChainBreak::OutOfSequence {
            seq: 40_002,
            expected: 40_001
        })
    );
}

/// More rows than one insert statement takes (256), so a transaction's rows go in several.
const MANY_ROWS: usize = 600;

/// The object named by each row of the trail, in sequence order, with its sequence number.
async fn trail_objects(store: &Store) -> Vec<(i64, String)> {
    let rows: Vec<String> = testing::texts(
        store,
        "SELECT CAST(seq AS TEXT) || ' ' || COALESCE(object_id, '') FROM audit_log ORDER BY seq",
    )
    .await
    .unwrap();
    rows.iter()
        .map(|row| {
            let (seq, object) = row.split_once(' ').unwrap();
            (seq.parse().unwrap(), object.to_owned())
        })
        .collect()
}

/// Audits `n` reads of objects `{prefix}-0`, `{prefix}-1`, … in `tx`, in that order.
async fn audit_many(tx: &mut relais_store::Tx, prefix: &str, n: usize) {
    for i in 0..n {
        tx.audit(
            audit::Action::DatabaseBackup,
            audit::Object::Database,
            Some(&format!("{prefix}-{i}")),
            None,
        )
        .await
        .unwrap();
    }
}

pub async fn audit_rows_written_several_to_a_statement_keep_their_order_and_verify(store: &Store) {
    let mut tx = store.begin(Actor::system(), "req-many", NOW).await.unwrap();
    audit_many(&mut tx, "a", MANY_ROWS).await;
    tx.commit().await.unwrap();
    // Transactions of one row and of a few rows, after one of several statements.
    for (prefix, n) in [("b", 1), ("c", 7)] {
        let mut tx = store.begin(Actor::system(), "req-few", NOW).await.unwrap();
        audit_many(&mut tx, prefix, n).await;
        tx.commit().await.unwrap();
    }
    let expected: Vec<(i64, String)> = (0..MANY_ROWS)
        .map(|i| format!("a-{i}"))
        .chain(std::iter::once("b-0".to_owned()))
        .chain((0..7).map(|i| format!("c-{i}")))
        .enumerate()
        .map(|(i, object)| (i64::try_from(i).unwrap() + 1, object))
        .collect();
    assert_eq!(trail_objects(store).await, expected);
    let rows = i64::try_from(MANY_ROWS).unwrap() + 8;
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact { rows }
    );
    let head = testing::texts(store, "SELECT CAST(seq AS TEXT) FROM audit_head")
        .await
        .unwrap();
    assert_eq!(head, [rows.to_string()]);
}

pub async fn a_rolled_back_transaction_of_several_statements_leaves_no_audit_row(store: &Store) {
    // Some of these rows reach the database before the transaction ends.
    roll_back_an_organisation(store, MANY_ROWS).await;

    // The next transaction chains from the head as it was, not from the rows rolled back.
    let mut tx = store.begin(Actor::system(), "req-next", NOW).await.unwrap();
    audit_many(&mut tx, "next", 2).await;
    tx.commit().await.unwrap();
    assert_eq!(
        trail_objects(store).await,
        [(1, "next-0".to_owned()), (2, "next-1".to_owned())]
    );
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact { rows: 2 }
    );
}

pub async fn a_reader_of_the_trail_inside_a_write_transaction_sees_its_rows_not_yet_written(store: &Store) {
    let org = organisation(store, "Org", Territory::National).await;
    let admin = user(store, &org, "admin@trail.test", vec![Role::Administrator]).await;
    let admin = principal(store, &admin).await;
    let viewer: authz::Capability<authz::ViewAuditLog> = authz::authorize(&admin).unwrap();
    let filter = audit::log::Filter {
        action: Some(audit::Action::DatabaseBackup),
        ..Default::default()
    };
    // Fewer rows than a statement takes (all still in the transaction), then more (some
    // written, the rest not): the reader sees every one, newest first.
    for n in [3, MANY_ROWS] {
        let mut tx = store.begin(Actor::system(), "req-reader", NOW).await.unwrap();
        audit_many(&mut tx, "seen", n).await;
        let seen = audit::log::export(&mut tx, &viewer, &filter).await.unwrap();
        let objects: Vec<String> = seen.into_iter().filter_map(|e| e.object_id).collect();
        let expected: Vec<String> = (0..n).rev().map(|i| format!("seen-{i}")).collect();
        assert_eq!(objects, expected);
        drop(tx);
    }
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact {
            rows: audit::count(store).await.unwrap()
        }
    );
}

pub async fn sessions_expire_rotate_and_end_on_role_change(store: &Store) {
    let org = organisation(store, "Org", dept("69")).await;
    let id = user(store, &org, "s@relais.test", vec![Role::SupportWorker]).await;
    let policy = SessionPolicy {
        idle_seconds: 100,
        absolute_seconds: 1000,
    };
    let token = sessions::create(store, &id, Stage::MfaPending, NOW).await.unwrap();
    let found = sessions::find(store, &token, NOW.plus_seconds(50), &policy)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.stage, Stage::MfaPending);

    let rotated = sessions::rotate(store, &token, Stage::Complete, NOW, NOW.plus_seconds(60))
        .await
        .unwrap();
    assert!(
        sessions::find(store, &token, NOW.plus_seconds(60), &policy)
            .await
            .unwrap()
            .is_none(),
        "old token dies"
    );
    let live = sessions::find(store, &rotated, NOW.plus_seconds(150), &policy)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(live.stage, Stage::Complete);
    assert!(
        sessions::find(store, &rotated, NOW.plus_seconds(400), &policy)
            .await
            .unwrap()
            .is_none(),
        "idle timeout"
    );

    let again = sessions::create(store, &id, Stage::Complete, NOW).await.unwrap();
    let admin = user(store, &org, "a@relais.test", vec![Role::Administrator]).await;
    let p = principal(store, &admin).await;
    let mut tx = store.begin(Actor::user(admin, org), "req", NOW).await.unwrap();
    users::set_roles(&mut tx, &privileged(&p), &id, &[Role::FirstResponder], false)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        sessions::find(store, &again, NOW, &policy).await.unwrap().is_none(),
        "privilege change ends sessions"
    );
}

pub async fn setup_link_works_once(store: &Store) {
    let mut tx = store.begin(Actor::system(), "req", NOW).await.unwrap();
    let (id, link) = bootstrap::create_administrator(&mut tx, Email::parse("root@relais.test").unwrap())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(setup_tokens::peek(store, link.expose(), NOW).await.unwrap(), id);
    assert!(
        setup_tokens::peek(
            store,
            link.expose(),
            NOW.plus_seconds(setup_tokens::VALIDITY_SECONDS + 1)
        )
        .await
        .is_err()
    );
    let hash = passwords::hash("a brand new password").unwrap();
    let mut tx = store.begin(Actor::system(), "req", NOW).await.unwrap();
    assert_eq!(setup_tokens::consume(&mut tx, link.expose(), &hash).await.unwrap(), id);
    tx.commit().await.unwrap();
    let mut tx = store.begin(Actor::system(), "req", NOW).await.unwrap();
    assert!(matches!(
        setup_tokens::consume(&mut tx, link.expose(), &hash).await,
        Err(StoreError::NotFound)
    ));
    let creds = users::credentials_by_id(store, &id).await.unwrap();
    assert!(passwords::verify(
        "a brand new password",
        creds.password_hash.as_deref()
    ));
    assert_eq!(creds.roles, vec![Role::Administrator]);
}

pub async fn totp_step_cannot_be_used_twice(store: &Store) {
    let org = organisation(store, "Org", Territory::National).await;
    let id = user(store, &org, "t@relais.test", vec![Role::FirstResponder]).await;
    assert!(users::consume_totp_step(store, &id, 100).await.unwrap());
    assert!(!users::consume_totp_step(store, &id, 100).await.unwrap());
    assert!(!users::consume_totp_step(store, &id, 99).await.unwrap());
    assert!(users::consume_totp_step(store, &id, 101).await.unwrap());
}

pub async fn totp_secret_is_encrypted_at_rest(store: &Store) {
    let org = organisation(store, "Org", Territory::National).await;
    let secret = totp::new_secret();
    let mut tx = store.begin(Actor::system(), "req", NOW).await.unwrap();
    let id = bootstrap::create_demo_user(&mut tx, &new_user(&org, "e@relais.test", vec![]), "x", &secret)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(users::totp_secret(store, &id).await.unwrap(), Some(secret.clone()));
    // Swapping the ciphertext onto another row must not decrypt there.
    let other = user(store, &org, "f@relais.test", vec![]).await;
    testing::execute_raw(
        store,
        &format!("UPDATE users SET totp_secret_enc = (SELECT totp_secret_enc FROM users WHERE id = '{id}') WHERE id = '{other}'"),
    )
    .await
    .unwrap();
    assert!(users::totp_secret(store, &other).await.is_err());
}

pub async fn catalogues_load_once_and_versions_are_immutable(store: &Store) {
    use relais_store::intake::catalogues::{self, ImportError};
    let before = audit::count(store).await.unwrap();
    assert_eq!(catalogues::load_shipped(store, NOW).await.unwrap(), 4);
    assert_eq!(
        catalogues::load_shipped(store, NOW).await.unwrap(),
        0,
        "loading again adds nothing"
    );
    assert_eq!(audit::count(store).await.unwrap(), before + 4);
    let versions = catalogues::list(store).await.unwrap();
    assert_eq!(versions.len(), 4);
    assert!(versions.iter().all(|v| v.shipped));
    let delphi = catalogues::get(store, "ilo-ec-delphi-2009-labour", 1).await.unwrap();
    assert_eq!(delphi.id().as_str(), "ilo-ec-delphi-2009-labour");

    let text = relais_domain::intake::catalogue::shipped::ALL[0].text;
    let mut tx = store.begin(Actor::system(), "req", NOW).await.unwrap();
    assert!(matches!(
        catalogues::import_as_system(&mut tx, text).await,
        Err(ImportError::AlreadyImported { version: 1, .. })
    ));
    // Version 2 is shipped too: the next free number is 3.
    let bumped = text.replacen("version: 1", "version: 3", 1);
    let imported = catalogues::import_as_system(&mut tx, &bumped).await.unwrap();
    assert_eq!((imported.version, imported.shipped), (3, false));
    let broken = bumped
        .replacen("version: 3", "version: 4", 1)
        .replacen("strength: strong", "strength: strongish", 1);
    match catalogues::import_as_system(&mut tx, &broken).await {
        Err(ImportError::Invalid(errors)) => {
            let message = errors.to_string();
            assert!(message.contains("line ") && message.contains("strongish"), "{message}");
        }
        other => panic!("expected a named error, got {other:?}"),
    }
    tx.commit().await.unwrap();
    assert_eq!(catalogues::list(store).await.unwrap().len(), 5);
}

// Cases kept in their own files, run by the same macro.
pub use super::api_tokens::{
    api_referrals_are_read_back_only_by_their_organisation, api_tokens_authenticate_until_revoked,
};
pub use super::case_file::{
    a_note_that_rolls_back_leaves_no_row_and_no_audit_row,
    an_investigation_share_reads_what_its_purpose_opens_until_revoked,
    the_case_file_keeps_notes_documents_and_tasks_and_audits_each_read,
};
pub use super::case_people::*;
pub use super::directory::*;
pub use super::onward::*;
pub use super::robustness::{
    directory_export_neutralises_formulas_and_imports_back, directory_import_is_staged_in_batches_and_applied_at_once,
};
pub use super::support::*;
// Triage cases live in their own file; the backend macro names them through here.
pub use super::triage::*;

/// The user list pages in name order and searches names and addresses,
/// taking the user's `%` and `_` literally.
pub async fn the_user_list_pages_and_searches(store: &Store) {
    let org = organisation(store, "Pages", Territory::National).await;
    let admin = user(store, &org, "admin@pages.test", vec![Role::Administrator]).await;
    for i in 0..USERS_PER_PAGE + 5 {
        user(
            store,
            &org,
            &format!("agent{i:03}@pages.test"),
            vec![Role::FirstResponder],
        )
        .await;
    }
    user(store, &org, "odd_50%@pages.test", vec![Role::FirstResponder]).await;
    let p = principal(store, &admin).await;
    let can = privileged(&p);
    let mut tx = store.begin(Actor::user(admin, org), "req", NOW).await.unwrap();
    let first = users::list(&mut tx, can.capability(), &UserListing::default())
        .await
        .unwrap();
    assert_eq!(first.len(), USERS_PER_PAGE + 1, "one more tells that a page follows");
    let after = first[USERS_PER_PAGE - 1].id.clone();
    let listing = UserListing {
        search: String::new(),
        after: Some(after),
    };
    let second = users::list(&mut tx, can.capability(), &listing).await.unwrap();
    assert_eq!(second.len(), USERS_PER_PAGE + 5 + 2 - USERS_PER_PAGE);
    assert!(
        second
            .iter()
            .all(|u| !first[..USERS_PER_PAGE].iter().any(|f| f.id == u.id))
    );
    let found = |search: &str| UserListing {
        search: search.into(),
        after: None,
    };
    let hits = users::list(&mut tx, can.capability(), &found("AGENT00")).await.unwrap();
    assert_eq!(hits.len(), 10);
    let hits = users::list(&mut tx, can.capability(), &found("_50%")).await.unwrap();
    assert_eq!(hits.len(), 1, "the wildcards are taken literally");
    assert_eq!(
        users::list(&mut tx, can.capability(), &found("%")).await.unwrap().len(),
        1
    );
    tx.commit().await.unwrap();
}
