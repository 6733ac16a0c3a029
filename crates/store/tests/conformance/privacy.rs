//! The data-protection lifecycle on every backend (issue 11, part 2): the
//! retention schedule (dry run against run, legal hold), erasure that
//! leaves no row, the audit trail that still verifies afterwards (also
//! once its own oldest rows are purged behind a signed checkpoint), four
//! eyes on requests, the subject-access export, and emergency access.

use relais_domain::access::account::DisplayName;
use relais_domain::access::authz::{self, Capability, Principal, SubmitReferrals, TriageReferrals, ViewCaseFile};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::audit::ChainBreak;
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::casework::case_people::{Dependant, Person, Relation};
use relais_domain::casework::document::Kind;
use relais_domain::email::Email;
use relais_domain::ids::{CaseId, OrganisationId, ReferralId};
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::steps::Step;
use relais_domain::privacy::register;
use relais_domain::privacy::retention::{RecordKind, RetentionPolicy, months_after};
use relais_domain::privacy::{Reason, RequestKind, ReviewFinding};
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::{Date, Timestamp};
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::users::NewUser;
use relais_store::audit::{self, Verification};
use relais_store::privacy::emergency::{self, Outcome};
use relais_store::privacy::erasure::{CASE_RECORDS, CASE_TABLES, PERSON_TABLES, REFERRAL_TABLES};
use relais_store::{
    Actor, Backend, Store, StoreError, access::passwords, access::totp, bootstrap, casework::case_file,
    casework::case_people, intake::referrals, intake::triage, outbox, privacy, privacy::retention, testing,
};

const NOW: Timestamp = Timestamp(1_800_000_000);
const DAY: i64 = 86_400;
const SECRET: &str = "Appelle sa sœur à Plovdiv le mardi";

/// The people of these cases, also used by the case-file, case-people and
/// support conformance cases.
pub struct People {
    /// A first responder of a gendarmerie brigade in the 93.
    pub responder: Principal,
    /// An identification officer of the national authority.
    pub officer: Principal,
    /// An identification officer of the Nord's authority (no tie to a case in the 93).
    pub nord: Principal,
    pub dpo: Principal,
    pub second_dpo: Principal,
    pub authority: OrganisationId,
}

pub(crate) async fn organisation(
    store: &Store,
    name: &str,
    org_type: OrganisationType,
    territory: Territory,
) -> OrganisationId {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let id = bootstrap::create_organisation(
        &mut tx,
        &NewOrganisation {
            name: name.into(),
            org_type,
            territory,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

pub(crate) async fn principal(store: &Store, org: &OrganisationId, email: &str, role: Role) -> Principal {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let new = NewUser {
        organisation_id: org.clone(),
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse(email).unwrap(),
        roles: vec![role],
    };
    let hash = passwords::hash("a long test password").unwrap();
    let id = bootstrap::create_demo_user(&mut tx, &new, &hash, &totp::new_secret())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    relais_store::access::users::principal(store, &id, NOW)
        .await
        .unwrap()
        .unwrap()
        .0
}

fn dept(code: &str) -> Territory {
    Territory::Departement(Departement::parse(code).unwrap())
}

pub async fn people(store: &Store) -> People {
    let brigade = organisation(store, "Brigade 93", OrganisationType::Gendarmerie, dept("93")).await;
    let authority = organisation(
        store,
        "Autorité nationale",
        OrganisationType::IdentificationAuthority,
        Territory::National,
    )
    .await;
    let nord = organisation(
        store,
        "Autorité Nord",
        OrganisationType::IdentificationAuthority,
        dept("59"),
    )
    .await;
    People {
        responder: principal(store, &brigade, "responder@relais.test", Role::FirstResponder).await,
        officer: principal(store, &authority, "officer@relais.test", Role::IdentificationOfficer).await,
        nord: principal(store, &nord, "nord@relais.test", Role::IdentificationOfficer).await,
        dpo: principal(store, &authority, "dpd@relais.test", Role::Dpo).await,
        second_dpo: principal(store, &authority, "dpd2@relais.test", Role::Dpo).await,
        authority,
    }
}

fn actor(p: &Principal) -> Actor {
    Actor::user(p.user_id().clone(), p.organisation_id().clone())
}

fn details(family: &str) -> ReferralDetails {
    ReferralDetails {
        family_name: family.into(),
        given_names: "Anna".into(),
        birth_date: "1999".into(),
        age: "adult".into(),
        sex: "female".into(),
        nationality: "BGR".into(),
        departement: "93".into(),
        languages: "bulgare".into(),
        interpreter_needed: "no".into(),
        circumstances: SECRET.into(),
        forms: vec!["labour".into()],
        location: "france".into(),
        consent: "given".into(),
        consent_language: "bulgare".into(),
        consent_interpreter: "no".into(),
        consent_explained_by: "Officier".into(),
        consent_date: "2026-01-10".into(),
        ..ReferralDetails::default()
    }
}

async fn submit(store: &Store, p: &Principal, family: &str) -> ReferralId {
    let can: Capability<SubmitReferrals> = authz::authorize(p).unwrap();
    let mut tx = store.begin(actor(p), "req-test", NOW).await.unwrap();
    let id = referrals::create_draft(&mut tx, &can, ("ilo-ec-delphi-2009-labour", 1))
        .await
        .unwrap();
    referrals::save_draft(&mut tx, &can, &id, Step::Consent, &details(family))
        .await
        .unwrap();
    referrals::submit(&mut tx, &can, &id, None, Date::utc(NOW))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A case with something in every table that hangs off it.
pub async fn full_case(store: &Store, p: &People, family: &str) -> CaseId {
    let referral = submit(store, &p.responder, family).await;
    let officer: Capability<TriageReferrals> = authz::authorize(&p.officer).unwrap();
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    let case = triage::accept(&mut tx, &officer, &referral).await.unwrap();
    let file: Capability<ViewCaseFile> = authz::authorize(&p.officer).unwrap();
    let file = relais_store::casework::case_access::open(&mut tx, &file, &case)
        .await
        .unwrap();
    for level in [
        Sensitivity::General,
        Sensitivity::Health,
        Sensitivity::Legal,
        Sensitivity::Safety,
    ] {
        case_file::add_note(&mut tx, &file, level, &format!("{} {SECRET}", level.key()))
            .await
            .unwrap();
    }
    case_file::add_document(
        &mut tx,
        &file,
        Sensitivity::General,
        "attestation.txt",
        Kind::Text,
        b"attestation de domicile",
    )
    .await
    .unwrap();
    case_file::add_document(
        &mut tx,
        &file,
        Sensitivity::Legal,
        "plainte.txt",
        Kind::Text,
        b"copie de la plainte",
    )
    .await
    .unwrap();
    case_file::add_task(&mut tx, &file, "Appeler l'avocate", Date::utc(NOW).plus_days(3))
        .await
        .unwrap();
    let person = Person {
        family_name: family.into(),
        given_names: "Anna".into(),
        ..Person::default()
    };
    case_people::save_person(&mut tx, &file, &person).await.unwrap();
    let dependant = Dependant {
        name: "Mila".into(),
        relation: Relation::Child,
        birth_year: Some(2019),
        accompanies: true,
        notes: String::new(),
    };
    case_people::add_dependant(&mut tx, &file, &dependant).await.unwrap();
    tx.commit().await.unwrap();
    case
}

async fn close(store: &Store, case: &CaseId, at: Timestamp) {
    testing::execute_raw(
        store,
        &format!(
            "UPDATE cases SET status = 'closed', closed_at = {}, closure_outcome = 'support-completed' WHERE id = '{case}'",
            at.0
        ),
    )
    .await
    .unwrap();
}

/// Every table with a column named `column` (from the database's own catalogue).
async fn tables_with(store: &Store, column: &str) -> Vec<String> {
    let query = match store.backend() {
        Backend::Sqlite => format!(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND p.name = '{column}' ORDER BY m.name"
        ),
        Backend::Postgres => format!(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = '{column}' ORDER BY table_name"
        ),
    };
    testing::texts(store, &query).await.unwrap()
}

async fn count(store: &Store, query: &str) -> i64 {
    testing::texts(store, &format!("SELECT CAST(COUNT(*) AS TEXT) FROM ({query}) AS found"))
        .await
        .unwrap()[0]
        .parse()
        .unwrap()
}

/// Rows anywhere that still name the case, its referral or its person.
async fn rows_left(store: &Store, case: &str, referral: &str, person: &str) -> Vec<String> {
    let mut left = vec![];
    for (column, value) in [("case_id", case), ("referral_id", referral), ("person_id", person)] {
        for table in tables_with(store, column).await {
            let n = count(store, &format!("SELECT 1 FROM {table} WHERE {column} = '{value}'")).await;
            if n > 0 {
                left.push(format!("{table}.{column}: {n}"));
            }
        }
    }
    for (table, value) in [("cases", case), ("referrals", referral), ("persons", person)] {
        if count(store, &format!("SELECT 1 FROM {table} WHERE id = '{value}'")).await > 0 {
            left.push(table.to_owned());
        }
    }
    left
}

async fn ids_of(store: &Store, case: &CaseId) -> (String, String) {
    let row = testing::texts(
        store,
        &format!("SELECT referral_id || ' ' || person_id FROM cases WHERE id = '{case}'"),
    )
    .await
    .unwrap();
    let (referral, person) = row[0].split_once(' ').unwrap();
    (referral.to_owned(), person.to_owned())
}

async fn verify(store: &Store) -> Verification {
    audit::verify(store, &|_| {}).await.unwrap()
}

fn intact(v: &Verification) -> bool {
    matches!(v, Verification::Intact { .. })
}

async fn hold(store: &Store, p: &Principal, case: &CaseId, at: Timestamp) {
    let can = authz::authorize(p).unwrap();
    let mut tx = store.begin(actor(p), "req-test", at).await.unwrap();
    privacy::place_hold(
        &mut tx,
        &can,
        case,
        &Reason::parse("Procédure pénale en cours").unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

pub async fn retention_dry_run_counts_and_the_run_erases_all_but_held_cases(store: &Store) {
    let p = people(store).await;
    let erased = full_case(store, &p, "Petrova").await;
    let held = full_case(store, &p, "Ivanova").await;
    let open = full_case(store, &p, "Georgieva").await;
    let (referral, person) = ids_of(store, &erased).await;
    close(store, &erased, NOW).await;
    close(store, &held, NOW).await;
    hold(store, &p.officer, &held, NOW).await;
    // A draft nobody finished.
    let draft_can: Capability<SubmitReferrals> = authz::authorize(&p.responder).unwrap();
    let mut tx = store.begin(actor(&p.responder), "req-test", NOW).await.unwrap();
    let draft = referrals::create_draft(&mut tx, &draft_can, ("ilo-ec-delphi-2009-labour", 1))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let policy = RetentionPolicy::default();
    // Five years less a day after closure: only the draft is due.
    let early = months_after(NOW, 60).plus_seconds(-DAY);
    let report = retention::dry_run(store, Actor::system(), "req-dry", &policy, early)
        .await
        .unwrap();
    assert_eq!(report.records(RecordKind::ClosedCase), 0);
    assert_eq!(
        report.records(RecordKind::CaseDocuments),
        1,
        "documents go after two years"
    );
    assert_eq!(report.records(RecordKind::DraftReferral), 1);

    let later = months_after(NOW, 60).plus_seconds(DAY);
    let before = audit::count(store).await.unwrap();
    let dry = retention::dry_run(store, Actor::system(), "req-dry", &policy, later)
        .await
        .unwrap();
    assert_eq!(dry.records(RecordKind::ClosedCase), 1, "the held case is not due");
    assert_eq!(dry.held, 1);
    assert_eq!(dry.records(RecordKind::DraftReferral), 1);
    // The dry run deleted nothing (one audit row for itself).
    assert!(rows_left(store, erased.as_str(), &referral, &person).await.len() > 5);
    assert_eq!(audit::count(store).await.unwrap(), before + 1);

    let run = retention::run(store, Actor::system(), "req-run", &policy, later)
        .await
        .unwrap();
    assert_eq!(run.records(RecordKind::ClosedCase), 1);
    assert_eq!(run.records(RecordKind::DraftReferral), 1);
    assert_eq!(
        run.records(RecordKind::CaseDocuments),
        0,
        "erased with its case, not twice"
    );
    assert_eq!(run.held, 1);
    assert!(run.rows > 10, "{run:?}");
    assert_eq!(
        rows_left(store, erased.as_str(), &referral, &person).await,
        Vec::<String>::new()
    );
    assert_eq!(
        count(store, &format!("SELECT 1 FROM referrals WHERE id = '{draft}'")).await,
        0
    );
    // The held and the open case are whole, documents included.
    for kept in [&held, &open] {
        assert_eq!(
            count(store, &format!("SELECT 1 FROM case_documents WHERE case_id = '{kept}'")).await,
            2
        );
    }
    // The audit names the erasure by kind, id and count, never the content.
    let rows = testing::texts(
        store,
        &format!("SELECT reason FROM audit_log WHERE action = 'retention.erase' AND object_id = '{erased}'"),
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].starts_with("closed-case:rows="), "{rows:?}");
    let everything = testing::texts(
        store,
        "SELECT action || ' ' || object_type || ' ' || COALESCE(object_id, '') || ' ' || COALESCE(reason, '') FROM audit_log",
    )
    .await
    .unwrap()
    .join("\n");
    assert!(!everything.contains("Petrova") && !everything.contains(SECRET));
    assert!(intact(&verify(store).await));

    // Lifting the hold lets the next run erase the case and its documents.
    let can = authz::authorize(&p.dpo).unwrap();
    let mut tx = store.begin(actor(&p.dpo), "req-test", later).await.unwrap();
    privacy::lift_hold(&mut tx, &can, &held, &Reason::parse("Jugement définitif").unwrap())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let again = retention::run(store, Actor::system(), "req-run", &policy, later)
        .await
        .unwrap();
    assert_eq!(again.records(RecordKind::ClosedCase), 1);
    assert_eq!(again.held, 0);
    assert_eq!(
        count(store, &format!("SELECT 1 FROM cases WHERE id = '{held}'")).await,
        0
    );
    assert!(intact(&verify(store).await));
}

pub async fn audit_rows_past_their_retention_are_purged_behind_a_signed_checkpoint(store: &Store) {
    let p = people(store).await;
    full_case(store, &p, "Dimitrova").await;
    let rows = audit::count(store).await.unwrap();
    assert!(rows > 10);
    // Six years and a day later a case opened now has its oldest audit rows due.
    let policy = RetentionPolicy::default();
    let later = months_after(NOW, 72).plus_seconds(DAY);
    let dry = retention::dry_run(store, Actor::system(), "req-dry", &policy, later)
        .await
        .unwrap();
    assert_eq!(dry.records(RecordKind::AuditRows), u64::try_from(rows).unwrap());
    let run = retention::run(store, Actor::system(), "req-run", &policy, later)
        .await
        .unwrap();
    assert!(run.records(RecordKind::AuditRows) >= u64::try_from(rows).unwrap());
    let left = audit::count(store).await.unwrap();
    assert!(left < rows, "the old rows are gone ({left} of {rows})");
    assert!(intact(&verify(store).await), "verification starts at the checkpoint");

    // A checkpoint moved or forged without the key is refused.
    testing::execute_raw(store, "UPDATE audit_checkpoints SET seq = seq + 1")
        .await
        .unwrap();
    assert!(matches!(
        verify(store).await,
        Verification::Broken(ChainBreak::ForgedCheckpoint { .. })
    ));
    testing::execute_raw(store, "UPDATE audit_checkpoints SET seq = seq - 1")
        .await
        .unwrap();
    assert!(intact(&verify(store).await));
    // Deleting the first row after the checkpoint is still seen.
    testing::execute_raw(
        store,
        "DELETE FROM audit_log WHERE seq = (SELECT MIN(seq) FROM audit_log)",
    )
    .await
    .unwrap();
    assert!(matches!(verify(store).await, Verification::Broken(_)));
}

pub async fn erasure_on_request_takes_two_people_and_leaves_no_row(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Stoyanova").await;
    let (referral, person) = ids_of(store, &case).await;
    // The same person referred again, marked as a duplicate: erased too.
    let again = submit(store, &p.responder, "Stoyanova").await;
    let officer: Capability<TriageReferrals> = authz::authorize(&p.officer).unwrap();
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    triage::mark_duplicate(
        &mut tx,
        &officer,
        &again,
        &relais_domain::ids::PersonId::parse(&person).unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // A legal hold refuses the request.
    hold(store, &p.officer, &case, NOW).await;
    let request_can = authz::authorize(&p.officer).unwrap();
    let reason = Reason::parse("Courrier de la personne reçu le 2 mars").unwrap();
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    let refused = privacy::file_request(&mut tx, &request_can, &case, RequestKind::Erasure, &reason).await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
    drop(tx);
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    privacy::lift_hold(&mut tx, &request_can, &case, &Reason::parse("Levée").unwrap())
        .await
        .unwrap();
    let request = privacy::file_request(&mut tx, &request_can, &case, RequestKind::Erasure, &reason)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // The requester, were they a DPO, could not confirm their own request.
    let mut tx = store.begin(actor(&p.dpo), "req-test", NOW).await.unwrap();
    let own = privacy::file_request(
        &mut tx,
        &authz::authorize(&p.dpo).unwrap(),
        &case,
        RequestKind::Access,
        &reason,
    )
    .await
    .unwrap();
    let same = privacy::confirm(&mut tx, &authz::authorize(&p.dpo).unwrap(), &own).await;
    assert!(matches!(same, Err(StoreError::Conflict(_))), "{same:?}");
    drop(tx);

    // The confirmation page counts what will go, deleting nothing.
    let dpo = authz::authorize(&p.dpo).unwrap();
    let mut tx = store.begin(actor(&p.dpo), "req-test", NOW).await.unwrap();
    let preview = privacy::erasure_preview(&mut tx, &dpo, &request).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(preview.rows("case_notes"), 4);
    assert_eq!(preview.rows("case_documents"), 2);
    assert_eq!(preview.rows("referrals"), 2, "the case's referral and the duplicate");
    assert_eq!(preview.rows("persons"), 1);
    assert!(!rows_left(store, case.as_str(), &referral, &person).await.is_empty());

    let mut tx = store.begin(actor(&p.dpo), "req-test", NOW).await.unwrap();
    assert_eq!(
        privacy::confirm(&mut tx, &dpo, &request).await.unwrap(),
        RequestKind::Erasure
    );
    tx.commit().await.unwrap();
    assert_eq!(
        rows_left(store, case.as_str(), &referral, &person).await,
        Vec::<String>::new()
    );
    assert_eq!(
        count(store, &format!("SELECT 1 FROM referrals WHERE id = '{again}'")).await,
        0
    );
    // The request stays as the record of the erasure, with its count, without the case.
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    let done = privacy::open_request(&mut tx, &request_can, &request).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(done.case_id, None);
    assert_eq!(done.erased_rows, Some(i64::try_from(preview.total()).unwrap()));
    // Nothing of what was erased is readable anywhere, the audit chain holds.
    let dump = testing::texts(store, "SELECT COALESCE(reason, '') FROM audit_log")
        .await
        .unwrap()
        .join(" ");
    assert!(!dump.contains("Stoyanova") && !dump.contains(SECRET));
    assert!(intact(&verify(store).await));
}

pub async fn the_erasure_walk_and_the_register_know_every_table(store: &Store) {
    let known_case: Vec<&str> = CASE_TABLES.iter().chain(CASE_RECORDS.iter()).copied().collect();
    for table in tables_with(store, "case_id").await {
        assert!(
            known_case.contains(&table.as_str()) || table == "referrals",
            "{table} has a case_id: add it to erasure::CASE_TABLES or CASE_RECORDS"
        );
    }
    for table in tables_with(store, "referral_id").await {
        assert!(
            REFERRAL_TABLES.contains(&table.as_str()) || table == "cases",
            "{table} has a referral_id: add it to erasure::REFERRAL_TABLES"
        );
    }
    for table in tables_with(store, "person_id").await {
        assert!(
            PERSON_TABLES.contains(&table.as_str()) || ["cases", "referrals"].contains(&table.as_str()),
            "{table} has a person_id: add it to erasure::PERSON_TABLES"
        );
    }
    let query = match store.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'"
        }
    };
    let listed: Vec<&str> = register::tables().collect();
    for table in testing::texts(store, query).await.unwrap() {
        assert!(
            listed.contains(&table.as_str()),
            "{table} is stored but missing from the records of processing (domain/register.rs)"
        );
    }
}

/// Every column that names a referral, a person or a case leads an index: erasing one (the
/// retention job, an erasure request) finds the rows that point at it, and the database checks
/// its foreign keys on the delete, without reading a whole table. Without them the retention
/// job took 49 ms per referral at 100,000 cases (issue 17).
pub async fn every_column_naming_an_erased_row_leads_an_index(store: &Store) {
    let query = match store.backend() {
        Backend::Sqlite => {
            "SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND p.name IN ('referral_id', 'person_id', 'case_id') \
             AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) l, pragma_index_info(l.name) i \
             WHERE i.seqno = 0 AND i.name = p.name) ORDER BY 1"
        }
        Backend::Postgres => {
            "SELECT CAST(c.table_name || '.' || c.column_name AS TEXT) FROM information_schema.columns c \
             WHERE c.table_schema = current_schema() AND c.column_name IN ('referral_id', 'person_id', 'case_id') \
             AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema() \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0] \
             WHERE t.relname = c.table_name AND a.attname = c.column_name) ORDER BY 1"
        }
    };
    let unindexed = testing::texts(store, query).await.unwrap();
    assert!(unindexed.is_empty(), "columns without an index: {unindexed:?}");
}

pub async fn the_subject_access_export_withholds_with_reasons_after_four_eyes(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Koleva").await;
    let officer = authz::authorize(&p.officer).unwrap();
    let reason = Reason::parse("Demande écrite de la personne").unwrap();
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    let request = privacy::file_request(&mut tx, &officer, &case, RequestKind::Access, &reason)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Not before it is confirmed.
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    assert!(matches!(
        privacy::export(&mut tx, &officer, &request).await,
        Err(StoreError::NotFound)
    ));
    drop(tx);
    let mut tx = store.begin(actor(&p.dpo), "req-test", NOW).await.unwrap();
    privacy::confirm(&mut tx, &authz::authorize(&p.dpo).unwrap(), &request)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Another DPO who did not handle it does not get the export.
    let mut tx = store.begin(actor(&p.second_dpo), "req-test", NOW).await.unwrap();
    assert!(matches!(
        privacy::export(&mut tx, &authz::authorize(&p.second_dpo).unwrap(), &request).await,
        Err(StoreError::NotFound)
    ));
    drop(tx);

    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    let (_, export) = privacy::export(&mut tx, &officer, &request).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(export.cases.len(), 1);
    let record = &export.cases[0];
    let mut notes: Vec<(&str, bool, Option<&str>)> = record
        .notes
        .iter()
        .map(|n| (n.level, n.text.is_some(), n.withheld))
        .collect();
    notes.sort_unstable();
    assert_eq!(
        notes,
        vec![
            ("general", true, None),
            ("health", true, None),
            ("legal", false, Some("proceedings")),
            ("safety", false, Some("safety")),
        ]
    );
    let mut documents: Vec<(Option<&str>, Option<&str>)> = record
        .documents
        .iter()
        .map(|d| (d.name.as_deref(), d.withheld))
        .collect();
    documents.sort_unstable();
    assert_eq!(
        documents,
        vec![(None, Some("proceedings")), (Some("attestation.txt"), None)]
    );
    assert!(record.person.as_ref().unwrap().to_string().contains("Koleva"));
    assert_eq!(record.dependants.len(), 1);
    assert_eq!(record.tasks.len(), 1);
    assert!(
        record
            .access_log
            .iter()
            .any(|a| a.action == "case.file-read" || a.action == "case.note-add")
    );
    assert_eq!(export.referrals.len(), 1);
    assert!(export.referrals[0].answers.to_string().contains(SECRET));
    let json = serde_json::to_string(&export).unwrap();
    assert!(
        !json.contains("legal Appelle"),
        "a withheld note's text is not in the export"
    );
    // Each export is audited on the case.
    assert_eq!(
        count(
            store,
            &format!("SELECT 1 FROM audit_log WHERE action = 'privacy.access-export' AND object_id = '{case}'")
        )
        .await,
        1
    );
    // Thirty days after the confirmation it is no longer available.
    let late = NOW.plus_seconds(31 * DAY);
    let mut tx = store.begin(actor(&p.officer), "req-test", late).await.unwrap();
    assert!(matches!(
        privacy::export(&mut tx, &officer, &request).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn emergency_access_opens_a_case_outside_reach_alerts_and_waits_for_review(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Marinova").await;
    let reference = testing::texts(
        store,
        &format!("SELECT r.reference FROM cases c JOIN referrals r ON r.id = c.referral_id WHERE c.id = '{case}'"),
    )
    .await
    .unwrap()
    .remove(0);
    let nord = authz::authorize(&p.nord).unwrap();
    let ordinary: Capability<ViewCaseFile> = authz::authorize(&p.nord).unwrap();
    // The ordinary path does not reach a case of the 93 from the Nord.
    let mut tx = store.begin(actor(&p.nord), "req-test", NOW).await.unwrap();
    assert!(matches!(
        relais_store::casework::case_access::open(&mut tx, &ordinary, &case).await,
        Err(StoreError::NotFound)
    ));
    drop(tx);

    let reason = Reason::parse("La personne est aux urgences de Lille, l'autorité ne répond pas").unwrap();
    let mut tx = store.begin(actor(&p.nord), "req-test", NOW).await.unwrap();
    let outcome = emergency::request(&mut tx, &nord, Some(&ordinary), &reference.to_lowercase(), &reason)
        .await
        .unwrap();
    let Outcome::Granted { grant, recipients, .. } = outcome else {
        panic!("not granted: {outcome:?}");
    };
    let mut emails: Vec<&str> = recipients.iter().map(|r| r.email.as_str()).collect();
    emails.sort_unstable();
    assert_eq!(
        emails,
        vec!["dpd2@relais.test", "dpd@relais.test", "officer@relais.test"]
    );
    for r in &recipients {
        outbox::enqueue(&mut tx, &r.email, "Relais", "reference only")
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(outbox::pending(store).await.unwrap(), 3);

    // The officer reads the case for two hours, each reading audited on the case.
    let mut tx = store
        .begin(actor(&p.nord), "req-test", NOW.plus_seconds(600))
        .await
        .unwrap();
    let file = emergency::open(&mut tx, &nord, &grant).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(file.person.family_name, "Marinova");
    assert_eq!(file.notes.len(), 4);
    assert_eq!(file.dependants, 1);
    let mut tx = store
        .begin(actor(&p.nord), "req-test", NOW.plus_seconds(2 * 3600))
        .await
        .unwrap();
    assert!(matches!(
        emergency::open(&mut tx, &nord, &grant).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);
    // Nobody else can use the grant.
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    assert!(matches!(
        emergency::open(&mut tx, &authz::authorize(&p.officer).unwrap(), &grant).await,
        Err(StoreError::NotFound)
    ));
    drop(tx);

    // The lead authority sees the alert with its reason and acknowledges it.
    let lead: Capability<ViewCaseFile> = authz::authorize(&p.officer).unwrap();
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    assert_eq!(emergency::unacknowledged(&mut tx, &lead).await.unwrap(), 1);
    let alerts = emergency::alerts(&mut tx, &lead).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].reason, reason.as_str());
    emergency::acknowledge(&mut tx, &lead, &grant).await.unwrap();
    assert_eq!(emergency::unacknowledged(&mut tx, &lead).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_eq!(lead.actor_organisation(), &p.authority);

    // It waits on the DPO's list until reviewed, once.
    let dpo = authz::authorize(&p.dpo).unwrap();
    let mut tx = store.begin(actor(&p.dpo), "req-test", NOW).await.unwrap();
    assert_eq!(emergency::unreviewed(&mut tx, &dpo).await.unwrap(), 1);
    emergency::review(&mut tx, &dpo, &grant, ReviewFinding::Justified, "Appel vérifié")
        .await
        .unwrap();
    assert_eq!(emergency::unreviewed(&mut tx, &dpo).await.unwrap(), 0);
    assert!(matches!(
        emergency::review(&mut tx, &dpo, &grant, ReviewFinding::NotJustified, "").await,
        Err(StoreError::Conflict(_))
    ));
    let listed = emergency::accesses(&mut tx, &dpo).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(listed[0].review.as_ref().map(|r| r.2), Some(ReviewFinding::Justified));

    // An officer who reaches the case anyway is sent to the ordinary file, nothing recorded.
    let mut tx = store.begin(actor(&p.officer), "req-test", NOW).await.unwrap();
    let in_reach = emergency::request(
        &mut tx,
        &authz::authorize(&p.officer).unwrap(),
        Some(&lead),
        &reference,
        &reason,
    )
    .await
    .unwrap();
    assert_eq!(in_reach, Outcome::InReach(case.clone()));
    drop(tx);
    assert_eq!(count(store, "SELECT 1 FROM break_glass").await, 1);
    assert!(intact(&verify(store).await));
}
