//! API tokens and the referrals submitted with them, on every backend.

use relais_domain::access::account::DisplayName;
use relais_domain::access::authz::{self, ManageApiTokens, ManageOrganisations};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::email::Email;
use relais_domain::ids::OrganisationId;
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::status::Status;
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::Timestamp;
use relais_store::access::api_tokens::{self, ApiCaller};
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::users::{self, NewUser};
use relais_store::intake::api_referrals::{self, SubmitError};
use relais_store::{Actor, Store, StoreError, access::passwords, access::totp, bootstrap, intake::catalogues};

const NOW: Timestamp = Timestamp(1_800_000_000);

async fn organisation(store: &Store, name: &str) -> OrganisationId {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let new = NewOrganisation {
        name: name.into(),
        org_type: OrganisationType::Association,
        territory: Territory::Departement(Departement::parse("75").unwrap()),
    };
    let id = bootstrap::create_organisation(&mut tx, &new).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn administrator(store: &Store, org: &OrganisationId) -> authz::Principal {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let new = NewUser {
        organisation_id: org.clone(),
        email: Email::parse("admin@relais.test").unwrap(),
        display_name: DisplayName::parse("Admin").unwrap(),
        roles: vec![Role::Administrator],
    };
    let hash = passwords::hash("a long test password").unwrap();
    let id = bootstrap::create_demo_user(&mut tx, &new, &hash, &totp::new_secret())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    users::principal(store, &id, NOW).await.unwrap().unwrap().0
}

async fn issue(store: &Store, admin: &authz::Principal, org: &OrganisationId, label: &str) -> String {
    let can = authz::authorize_privileged::<ManageApiTokens>(admin, NOW).unwrap();
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let (_, secret) = api_tokens::issue(&mut tx, &can, org, label).await.unwrap();
    tx.commit().await.unwrap();
    secret.expose().to_owned()
}

pub fn complete_adult() -> ReferralDetails {
    ReferralDetails {
        family_name: "Doe".into(),
        age: "adult".into(),
        sex: "female".into(),
        departement: "75".into(),
        languages: "anglais".into(),
        interpreter_needed: "no".into(),
        circumstances: "Rencontrée lors d'un contrôle".into(),
        forms: vec!["labour".into()],
        location: "france".into(),
        consent: "given".into(),
        consent_language: "anglais".into(),
        consent_interpreter: "no".into(),
        consent_explained_by: "Officer".into(),
        consent_date: "2026-01-10".into(),
        ..ReferralDetails::default()
    }
}

async fn caller(store: &Store, secret: &str) -> Option<ApiCaller> {
    api_tokens::authenticate(store, secret, NOW).await.unwrap()
}

pub async fn api_tokens_authenticate_until_revoked(store: &Store) {
    let org = organisation(store, "Association A").await;
    let admin = administrator(store, &org).await;
    let secret = issue(store, &admin, &org, "SI de l'association").await;
    assert!(secret.starts_with("rls_") && secret.len() == 4 + 64);
    let found = caller(store, &secret).await.expect("a live token authenticates");
    assert_eq!(found.organisation_id(), &org);
    assert!(caller(store, "rls_0000").await.is_none(), "unknown token");
    assert!(caller(store, &secret.replace("rls_", "xx_")).await.is_none());

    let can = authz::authorize::<ManageApiTokens>(&admin).unwrap();
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let listed = api_tokens::list(&mut tx, &can).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].label, "SI de l'association");
    assert_eq!(listed[0].last_used_at, Some(NOW), "use is recorded");
    assert!(!format!("{listed:?}").contains(&secret), "the secret is not stored");

    let privileged = authz::authorize_privileged::<ManageApiTokens>(&admin, NOW).unwrap();
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    api_tokens::revoke(&mut tx, &privileged, found.token_id())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(caller(store, &secret).await.is_none(), "a revoked token is refused");

    // A token of a deactivated organisation is refused too.
    let other = organisation(store, "Association B").await;
    let other_secret = issue(store, &admin, &other, "B").await;
    assert!(caller(store, &other_secret).await.is_some());
    let orgs = authz::authorize_privileged::<ManageOrganisations>(&admin, NOW).unwrap();
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    relais_store::access::organisations::set_active(&mut tx, &orgs, &other, false)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(caller(store, &other_secret).await.is_none());
}

pub async fn api_referrals_are_read_back_only_by_their_organisation(store: &Store) {
    catalogues::load_shipped(store, NOW).await.unwrap();
    let org = organisation(store, "Association A").await;
    let other = organisation(store, "Association B").await;
    let admin = administrator(store, &org).await;
    let mine = caller(store, &issue(store, &admin, &org, "A").await).await.unwrap();
    let theirs = caller(store, &issue(store, &admin, &other, "B").await).await.unwrap();
    let (version, catalogue) = api_referrals::catalogue(store).await.unwrap();

    let mut incomplete = complete_adult();
    incomplete.circumstances.clear();
    incomplete
        .answers
        .insert("no/such".into(), relais_domain::intake::screening::Answer::Yes);
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    match api_referrals::submit(&mut tx, &mine, &incomplete, (version, &catalogue)).await {
        Err(SubmitError::Invalid(problems)) => {
            assert!(
                problems
                    .iter()
                    .any(|p| p.field == "circumstances" && p.problem == "required")
            );
            // The unknown indicator's key is the caller's: it is not repeated.
            assert!(
                problems
                    .iter()
                    .any(|p| p.field == "answers" && p.problem == "unknown-indicator")
            );
        }
        other => panic!("expected problems, got {other:?}"),
    }
    drop(tx);

    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let submitted = api_referrals::submit(&mut tx, &mine, &complete_adult(), (version, &catalogue))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let view = api_referrals::get(&mut tx, &mine, &submitted.reference).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(view.status, Status::Submitted);
    assert_eq!(view.submitted_at, Some(NOW));
    assert!(view.screening.is_some());

    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let refused = api_referrals::get(&mut tx, &theirs, &submitted.reference).await;
    assert!(
        matches!(refused, Err(StoreError::NotFound)),
        "another organisation cannot read it"
    );
}
