//! The identification authority's triage queue and duplicate-person
//! detection (issue 3, parts 6 and 7), on every backend.

use relais_domain::access::account::DisplayName;
use relais_domain::access::authz::{self, Capability, Principal, SubmitReferrals, TriageReferrals, ViewAuditLog};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::email::Email;
use relais_domain::ids::{OrganisationId, PersonId, ReferralId, UserId};
use relais_domain::intake::person_match::Reason;
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::status::Status;
use relais_domain::intake::referral::steps::Step;
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::{Date, Timestamp};
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::users::NewUser;
use relais_store::intake::triage::{self, QueueFilter};
use relais_store::{Actor, Store, StoreError, access::passwords, access::totp, audit, bootstrap, intake::referrals};

const NOW: Timestamp = Timestamp(1_800_000_000);
const DAY: i64 = 86_400;
const CATALOGUE: (&str, i64) = ("ilo-ec-delphi-2009-labour", 1);

struct People {
    responder: Principal,
    national: Principal,
    nord: Principal,
    admin: Principal,
}

async fn organisation(store: &Store, name: &str, org_type: OrganisationType, territory: Territory) -> OrganisationId {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let new = NewOrganisation {
        name: name.into(),
        org_type,
        territory,
    };
    let id = bootstrap::create_organisation(&mut tx, &new).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn principal(store: &Store, org: &OrganisationId, email: &str, role: Role) -> Principal {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let new = NewUser {
        organisation_id: org.clone(),
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse("Test User").unwrap(),
        roles: vec![role],
    };
    let hash = passwords::hash("a long test password").unwrap();
    let id: UserId = bootstrap::create_demo_user(&mut tx, &new, &hash, &totp::new_secret())
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

async fn people(store: &Store) -> People {
    let brigade = organisation(store, "Brigade 59", OrganisationType::Gendarmerie, dept("59")).await;
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
        national: principal(store, &authority, "national@relais.test", Role::IdentificationOfficer).await,
        nord: principal(store, &nord, "nord@relais.test", Role::IdentificationOfficer).await,
        admin: principal(store, &authority, "rapporteur@relais.test", Role::Rapporteur).await,
    }
}

fn actor(p: &Principal) -> Actor {
    Actor::user(p.user_id().clone(), p.organisation_id().clone())
}

fn adult(family: &str, given: &str, departement: &str) -> ReferralDetails {
    ReferralDetails {
        family_name: family.into(),
        given_names: given.into(),
        birth_date: "1999".into(),
        age: "adult".into(),
        sex: "female".into(),
        nationality: "BGR".into(),
        departement: departement.into(),
        languages: "bulgare".into(),
        interpreter_needed: "no".into(),
        circumstances: "Rencontrée lors d'un contrôle".into(),
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

/// Writes and submits a referral as `p` at `at`.
async fn submit(store: &Store, p: &Principal, details: &ReferralDetails, at: Timestamp) -> ReferralId {
    let can: Capability<SubmitReferrals> = authz::authorize(p).unwrap();
    let mut tx = store.begin(actor(p), "req-test", at).await.unwrap();
    let id = referrals::create_draft(&mut tx, &can, CATALOGUE).await.unwrap();
    referrals::save_draft(&mut tx, &can, &id, Step::Consent, details)
        .await
        .unwrap();
    referrals::submit(&mut tx, &can, &id, None, Date::utc(at))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn officer(p: &Principal) -> Capability<TriageReferrals> {
    authz::authorize(p).unwrap()
}

async fn queue(store: &Store, p: &Principal, filter: &QueueFilter, at: Timestamp) -> Vec<ReferralId> {
    let mut tx = store.begin(actor(p), "req-test", at).await.unwrap();
    let found = triage::queue(&mut tx, &officer(p), filter, None).await.unwrap();
    tx.commit().await.unwrap();
    assert!(found.next.is_none(), "these tests' queues fit in one page");
    found.items.into_iter().map(|s| s.id).collect()
}

pub async fn the_triage_queue_pages_by_keyset_and_counts_what_waits(store: &Store) {
    let p = people(store).await;
    let mut expected_urgent = vec![];
    let mut expected_other = vec![];
    // Two pages and a bit; several submitted at the same second, so the
    // key's last part (the id) decides between them.
    for i in 0..(triage::QUEUE_PAGE + 7) {
        let at = Timestamp(NOW.0 + i64::try_from(i / 3).unwrap());
        let mut details = adult("Page", "Ana", "59");
        details.need_safety = i % 4 == 0;
        let id = submit(store, &p.responder, &details, at).await;
        if details.need_safety {
            expected_urgent.push((at, id));
        } else {
            expected_other.push((at, id));
        }
    }
    expected_urgent.sort();
    expected_other.sort();
    let expected: Vec<ReferralId> = expected_urgent
        .iter()
        .chain(&expected_other)
        .map(|(_, id)| id.clone())
        .collect();

    let later = Timestamp(NOW.0 + DAY);
    let mut seen = vec![];
    let mut after: Option<triage::QueueKey> = None;
    let mut pages = 0;
    loop {
        let mut tx = store.begin_read(actor(&p.national), "req-test", later).await.unwrap();
        let page = triage::queue(&mut tx, &officer(&p.national), &QueueFilter::default(), after.as_ref())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        pages += 1;
        assert!(page.items.len() <= triage::QUEUE_PAGE);
        seen.extend(page.items.into_iter().map(|s| s.id));
        // The link carries the key as text: it must come back the same.
        after = page.next.map(|key| triage::QueueKey::parse(&key.encode()).unwrap());
        if after.is_none() {
            break;
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(seen, expected);
    assert!(triage::QueueKey::parse("2.5.x").is_none());

    let mut tx = store.begin_read(actor(&p.national), "req-test", later).await.unwrap();
    let waiting = triage::waiting(&mut tx, &officer(&p.national)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        waiting,
        triage::Waiting {
            all: i64::try_from(expected.len()).unwrap(),
            urgent: i64::try_from(expected_urgent.len()).unwrap(),
        }
    );
}

pub async fn triage_queue_filters_by_departement_child_urgency_and_age(store: &Store) {
    let p = people(store).await;
    let old = submit(store, &p.responder, &adult("Old", "Anna", "59"), NOW).await;
    let later = Timestamp(NOW.0 + 10 * DAY);
    let mut urgent = adult("Urgent", "Ivan", "75");
    urgent.need_safety = true;
    let urgent = submit(store, &p.responder, &urgent, later).await;
    let mut child = adult("Child", "Mia", "59");
    child.age = "minor".into();
    let child = submit(store, &p.responder, &child, later).await;
    let at = Timestamp(NOW.0 + 11 * DAY);

    // Urgent first, then the oldest.
    let all = queue(store, &p.national, &QueueFilter::default(), at).await;
    assert_eq!(all, vec![urgent.clone(), old.clone(), child.clone()]);
    let by_dept = QueueFilter {
        departement: Some("59".into()),
        ..QueueFilter::default()
    };
    assert_eq!(
        queue(store, &p.national, &by_dept, at).await,
        vec![old.clone(), child.clone()]
    );
    let children = QueueFilter {
        child: Some(true),
        ..QueueFilter::default()
    };
    assert_eq!(queue(store, &p.national, &children, at).await, vec![child.clone()]);
    let adults = QueueFilter {
        child: Some(false),
        urgent: Some(false),
        ..QueueFilter::default()
    };
    assert_eq!(queue(store, &p.national, &adults, at).await, vec![old.clone()]);
    let urgent_only = QueueFilter {
        urgent: Some(true),
        ..QueueFilter::default()
    };
    assert_eq!(queue(store, &p.national, &urgent_only, at).await, vec![urgent.clone()]);
    let aged = QueueFilter {
        older_than_days: Some(7),
        ..QueueFilter::default()
    };
    assert_eq!(queue(store, &p.national, &aged, at).await, vec![old.clone()]);

    // Decided items leave the default queue but can be asked for by status.
    let mut tx = store.begin(actor(&p.national), "req-test", at).await.unwrap();
    triage::reject(&mut tx, &officer(&p.national), &old, "Hors champ")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        !queue(store, &p.national, &QueueFilter::default(), at)
            .await
            .contains(&old)
    );
    let rejected = QueueFilter {
        status: Some(Status::Rejected),
        ..QueueFilter::default()
    };
    assert_eq!(queue(store, &p.national, &rejected, at).await, vec![old]);
}

pub async fn triage_scope_hides_other_departements(store: &Store) {
    let p = people(store).await;
    let nord = submit(store, &p.responder, &adult("Nord", "Anna", "59"), NOW).await;
    let paris = submit(store, &p.responder, &adult("Paris", "Anna", "75"), NOW).await;
    assert_eq!(
        queue(store, &p.nord, &QueueFilter::default(), NOW).await,
        vec![nord.clone()]
    );
    // Asking for Paris by filter does not widen the scope.
    let paris_filter = QueueFilter {
        departement: Some("75".into()),
        ..QueueFilter::default()
    };
    assert!(queue(store, &p.nord, &paris_filter, NOW).await.is_empty());
    let can = officer(&p.nord);
    let mut tx = store.begin(actor(&p.nord), "req-test", NOW).await.unwrap();
    assert!(matches!(
        triage::open(&mut tx, &can, &paris).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        triage::accept(&mut tx, &can, &paris).await,
        Err(StoreError::NotFound)
    ));
    assert!(triage::open(&mut tx, &can, &nord).await.is_ok());
    tx.commit().await.unwrap();
    // A responder holds no triage capability at all.
    assert!(authz::authorize::<TriageReferrals>(&p.responder).is_err());
}

pub async fn accepting_creates_a_person_and_a_case_and_finds_the_cyrillic_duplicate(store: &Store) {
    let p = people(store).await;
    let can = officer(&p.national);
    let first = submit(store, &p.responder, &adult("Petrova", "Anna", "59"), NOW).await;
    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    let item = triage::open(&mut tx, &can, &first).await.unwrap();
    assert!(item.candidates.is_empty());
    let case = triage::accept(&mut tx, &can, &first).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    let accepted = triage::open(&mut tx, &can, &first).await.unwrap().referral;
    tx.commit().await.unwrap();
    assert_eq!(accepted.summary.status, Status::Accepted);
    assert_eq!(accepted.case_id.as_deref(), Some(case.as_str()));
    let person = accepted.person_id.clone().unwrap();

    // The same woman, typed in Cyrillic with the names swapped.
    let mut second = adult("Анна", "Петрова", "59");
    second.nationality = "BGR".into();
    let second = submit(store, &p.responder, &second, NOW).await;
    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    let item = triage::open(&mut tx, &can, &second).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(item.candidates.len(), 1, "{:?}", item.candidates);
    let (known, candidate) = &item.candidates[0];
    assert_eq!(known.id.as_str(), person);
    assert_eq!(known.identity.family_name, "Petrova");
    assert!(candidate.score >= relais_store::intake::persons::CANDIDATE_THRESHOLD);
    assert!(
        candidate.reasons.contains(&Reason::SwappedGivenAndFamilyNames),
        "{candidate:?}"
    );
    assert!(candidate.reasons.contains(&Reason::SameBirthYear));
    assert!(candidate.reasons.contains(&Reason::SameNationality));

    // Marked as a duplicate: linked to the first person, no new case.
    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    let unknown = PersonId::from_bytes([7; 16]);
    assert!(matches!(
        triage::mark_duplicate(&mut tx, &can, &second, &unknown).await,
        Err(StoreError::NotFound)
    ));
    triage::mark_duplicate(&mut tx, &can, &second, &known.id).await.unwrap();
    let duplicate = triage::open(&mut tx, &can, &second).await.unwrap().referral;
    tx.commit().await.unwrap();
    assert_eq!(duplicate.summary.status, Status::Duplicate);
    assert_eq!(duplicate.person_id.as_deref(), Some(person.as_str()));
    assert_eq!(duplicate.case_id, None);
}

pub async fn rejection_needs_a_reason_and_is_final(store: &Store) {
    let p = people(store).await;
    let can = officer(&p.national);
    let id = submit(store, &p.responder, &adult("Doe", "Jane", "59"), NOW).await;
    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    assert!(matches!(
        triage::reject(&mut tx, &can, &id, "   ").await,
        Err(StoreError::Conflict(_))
    ));
    triage::reject(&mut tx, &can, &id, "Pas d'élément de traite")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    assert!(matches!(
        triage::accept(&mut tx, &can, &id).await,
        Err(StoreError::Transition(_))
    ));
    assert!(matches!(
        triage::reject(&mut tx, &can, &id, "encore").await,
        Err(StoreError::Transition(_))
    ));
    let item = triage::open(&mut tx, &can, &id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(item.referral.summary.status, Status::Rejected);
    assert_eq!(
        item.referral.decision_reason.as_deref(),
        Some("Pas d'élément de traite")
    );
}

pub async fn information_request_goes_back_to_the_queue_on_reply(store: &Store) {
    let p = people(store).await;
    let can = officer(&p.national);
    let id = submit(store, &p.responder, &adult("Doe", "Jane", "59"), NOW).await;
    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    triage::request_information(&mut tx, &can, &id, "Quelle date ?")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let waiting = QueueFilter {
        status: Some(Status::InformationRequested),
        ..QueueFilter::default()
    };
    assert_eq!(queue(store, &p.national, &waiting, NOW).await, vec![id.clone()]);

    let responder: Capability<SubmitReferrals> = authz::authorize(&p.responder).unwrap();
    let mut tx = store
        .begin(actor(&p.responder), "req-test", Timestamp(NOW.0 + 60))
        .await
        .unwrap();
    referrals::reply(&mut tx, &responder, &id, "Le 3 janvier")
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    let item = triage::open(&mut tx, &can, &id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(item.referral.summary.status, Status::Submitted);
    let bodies: Vec<_> = item.thread.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, vec!["Quelle date ?", "Le 3 janvier"]);
}

pub async fn anonymous_notifications_are_only_recorded(store: &Store) {
    let p = people(store).await;
    let can = officer(&p.national);
    let mut refused = adult("Doe", "Jane", "59");
    refused.consent = "refused".into();
    let id = submit(store, &p.responder, &refused, NOW).await;
    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    let item = triage::open(&mut tx, &can, &id).await.unwrap();
    assert!(item.referral.details.family_name.is_empty());
    assert!(matches!(
        triage::accept(&mut tx, &can, &id).await,
        Err(StoreError::Transition(_))
    ));
    assert!(matches!(
        triage::request_information(&mut tx, &can, &id, "?").await,
        Err(StoreError::Transition(_))
    ));
    triage::record(&mut tx, &can, &id).await.unwrap();
    tx.commit().await.unwrap();
    let recorded = QueueFilter {
        status: Some(Status::Recorded),
        ..QueueFilter::default()
    };
    assert_eq!(queue(store, &p.national, &recorded, NOW).await, vec![id]);
}

pub async fn triage_reads_are_audited_and_child_tasks_can_be_completed(store: &Store) {
    let p = people(store).await;
    let can = officer(&p.national);
    let mut child = adult("Child", "Mia", "59");
    child.age = "minor".into();
    let id = submit(store, &p.responder, &child, NOW).await;
    let mut tx = store.begin(actor(&p.national), "req-test", NOW).await.unwrap();
    let item = triage::open(&mut tx, &can, &id).await.unwrap();
    triage::open(&mut tx, &can, &id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(item.child_tasks.len(), 1);
    assert!(!item.child_tasks[0].done);

    // A département officer elsewhere cannot complete it.
    let paris_org = organisation(
        store,
        "Autorité Paris",
        OrganisationType::IdentificationAuthority,
        dept("75"),
    )
    .await;
    let paris = principal(store, &paris_org, "paris@relais.test", Role::IdentificationOfficer).await;
    let mut tx = store.begin(actor(&paris), "req-test", NOW).await.unwrap();
    assert!(matches!(
        triage::complete_task(&mut tx, &officer(&paris), &item.child_tasks[0].id).await,
        Err(StoreError::NotFound)
    ));
    drop(tx);

    let mut tx = store.begin(actor(&p.nord), "req-test", NOW).await.unwrap();
    let done = triage::complete_task(&mut tx, &officer(&p.nord), &item.child_tasks[0].id)
        .await
        .unwrap();
    assert_eq!(done, id);
    assert!(matches!(
        triage::complete_task(&mut tx, &officer(&p.nord), &item.child_tasks[0].id).await,
        Err(StoreError::Conflict(_))
    ));
    let again = triage::open(&mut tx, &officer(&p.nord), &id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(again.child_tasks[0].done);

    let viewer: Capability<ViewAuditLog> = authz::authorize(&p.admin).unwrap();
    let mut tx = store.begin(actor(&p.admin), "req-test", NOW).await.unwrap();
    let filter = audit::log::Filter {
        action: Some(audit::Action::ReferralRead),
        ..Default::default()
    };
    let page = audit::log::page(&mut tx, &viewer, &filter, 1000, None).await.unwrap();
    let reads = page
        .lines
        .iter()
        .flat_map(|l| &l.entries)
        .filter(|r| r.object_id.as_deref() == Some(id.as_str()))
        .count();
    assert_eq!(reads, 3);
    let done = audit::log::Filter {
        action: Some(audit::Action::TaskDone),
        ..Default::default()
    };
    let page = audit::log::page(&mut tx, &viewer, &done, 1000, None).await.unwrap();
    tx.commit().await.unwrap();
    assert!(!page.lines.is_empty());
}
