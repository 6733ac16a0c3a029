//! A referrer's own referrals: drafts by person, sent ones a page at a
//! time with no row lost or repeated between pages, counts by status.

use relais_domain::access::authz::{self, Capability, SubmitReferrals};
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::status::Status;
use relais_domain::intake::referral::steps::Step;
use relais_domain::time::{Date, Timestamp};
use relais_store::intake::own_referrals::{self, SENT_PER_PAGE};
use relais_store::intake::referrals;
use relais_store::{Actor, Store};

use super::privacy::people;

const START: Timestamp = Timestamp(1_800_000_000);

fn details(family: &str) -> ReferralDetails {
    ReferralDetails {
        family_name: family.into(),
        given_names: "Anna".into(),
        birth_date: "1999".into(),
        age: "adult".into(),
        sex: "female".into(),
        nationality: "BGR".into(),
        departement: "93".into(),
        languages: "bul".into(),
        interpreter_needed: "no".into(),
        circumstances: "Récit".into(),
        forms: vec!["labour".into()],
        location: "france".into(),
        consent: "given".into(),
        consent_language: "bulgare".into(),
        consent_interpreter: "no".into(),
        consent_explained_by: "Officier".into(),
        consent_date: "2027-01-10".into(),
        ..ReferralDetails::default()
    }
}

pub async fn a_referrers_list_pages_by_keyset_and_names_the_drafts(store: &Store) {
    let p = people(store).await;
    let can: Capability<SubmitReferrals> = authz::authorize(&p.responder).unwrap();
    let actor = Actor::user(p.responder.user_id().clone(), p.responder.organisation_id().clone());
    let sent = SENT_PER_PAGE + 3;
    let mut tx = store.begin(actor.clone(), "req-test", START).await.unwrap();
    for i in 0..sent {
        // Two referrals share each instant: the id breaks the tie.
        tx.set_clock(Timestamp(START.0 + i64::try_from(i / 2).unwrap()));
        let id = referrals::create_draft(&mut tx, &can, ("ilo-ec-delphi-2009-labour", 1))
            .await
            .unwrap();
        referrals::save_draft(&mut tx, &can, &id, Step::Consent, &details(&format!("Sent{i}")))
            .await
            .unwrap();
        let today = Date::utc(tx.now());
        referrals::submit(&mut tx, &can, &id, None, today).await.unwrap();
    }
    let draft = referrals::create_draft(&mut tx, &can, ("ilo-ec-delphi-2009-labour", 1))
        .await
        .unwrap();
    referrals::save_draft(&mut tx, &can, &draft, Step::Languages, &details("Brouillon"))
        .await
        .unwrap();
    referrals::create_draft(&mut tx, &can, ("ilo-ec-delphi-2009-labour", 1))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin(actor, "req-test", START).await.unwrap();
    let first = own_referrals::sent(&mut tx, &can, None).await.unwrap();
    assert_eq!(first.rows.len(), SENT_PER_PAGE);
    let cursor = first.next.clone().expect("a second page");
    let second = own_referrals::sent(&mut tx, &can, Some(&cursor)).await.unwrap();
    assert_eq!(second.rows.len(), 3);
    assert!(second.next.is_none());
    let order: Vec<(i64, String)> = first
        .rows
        .iter()
        .chain(&second.rows)
        .map(|r| (r.updated_at.0, r.id.as_str().to_owned()))
        .collect();
    let mut expected = order.clone();
    expected.sort_by(|a, b| b.cmp(a));
    expected.dedup();
    assert_eq!(order, expected, "newest first, every sent referral once");
    assert!(
        first
            .rows
            .iter()
            .chain(&second.rows)
            .all(|r| r.status == Status::Submitted)
    );

    let drafts = own_referrals::drafts(&mut tx, &can).await.unwrap();
    let mut names: Vec<&str> = drafts.iter().map(|d| d.person.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["", "Anna Brouillon"]);
    assert!(drafts.iter().any(|d| d.summary.step == "languages"));

    let counts = own_referrals::counts(&mut tx, &can).await.unwrap();
    let count = |status| counts.iter().find(|(s, _)| *s == status).map(|(_, n)| *n);
    assert_eq!(count(Status::Submitted), Some(i64::try_from(sent).unwrap()));
    assert_eq!(count(Status::Draft), Some(2));
    assert!(
        own_referrals::changed_since(&mut tx, &can, START)
            .await
            .unwrap()
            .is_empty(),
        "sent, not yet moved on by anyone"
    );
    tx.commit().await.unwrap();
}
