//! The service directory (issue 6): list and filters, places reported by the
//! owning organisation only, all-or-nothing CSV import, export, offers for
//! placement.

use super::harness::{TestApp, TestUser, csrf_of, location};
use super::triage::user;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::directory::{RawService, ServiceRecord};
use relais_domain::ids::{OrganisationId, ServiceId};
use relais_domain::territory::Departement;
use relais_store::directory::{self, FileKind};
use relais_store::{Actor, access::users};

fn raw(departement: &str, organisation: &str, name: &str, kind: &str, covers: &str, places: &str) -> RawService {
    RawService {
        departement: departement.into(),
        organisation: organisation.into(),
        name: name.into(),
        kind: kind.into(),
        covers: covers.into(),
        sexes: "female".into(),
        min_age: "18".into(),
        max_age: String::new(),
        children: "yes".into(),
        forms: String::new(),
        languages: "fr en".into(),
        contact: "accueil@foyer.test".into(),
        places: places.into(),
    }
}

async fn add_service(app: &TestApp, owner: &OrganisationId, raw: &RawService) -> ServiceId {
    let record = ServiceRecord::parse(raw).unwrap();
    let mut tx = app
        .store
        .begin(Actor::system(), "test-setup", app.clock.now())
        .await
        .unwrap();
    let id = directory::upsert_service(&mut tx, owner, &record).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// A support worker of a new shelter organisation, and that organisation.
async fn shelter_worker(app: &TestApp, email: &'static str) -> (TestUser, OrganisationId) {
    let (worker, id) = user(app, OrganisationType::Association, email, Role::SupportWorker).await;
    let organisation = users::credentials_by_id(&app.store, &id).await.unwrap().organisation_id;
    (worker, organisation)
}

async fn multipart(app: &TestApp, client: &reqwest::Client, kind: &str, csv: &str) -> (u16, String) {
    let (_, html) = app.get(client, "/directory/import").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html))
        .text("kind", kind.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                .file_name("directory.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
    let response = client
        .post(app.url("/directory/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn service_count(app: &TestApp) -> usize {
    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let csv = directory::export_csv(&mut tx, FileKind::Services).await.unwrap();
    tx.commit().await.unwrap();
    csv.lines().count() - 1
}

pub async fn services_are_listed_with_places_and_filtered(app: &TestApp) {
    let (_, shelter) = shelter_worker(app, "foyer-list@relais.test").await;
    add_service(
        app,
        &shelter,
        &raw(
            "93",
            "x",
            "Foyer Saint-Denis",
            "accommodation",
            "93",
            "secure-distant:2/4",
        ),
    )
    .await;
    add_service(
        app,
        &shelter,
        &raw(
            "13",
            "x",
            "Foyer Marseille",
            "accommodation",
            "13 84",
            "secure-distant:0/3",
        ),
    )
    .await;
    add_service(app, &shelter, &raw("75", "x", "Interprètes", "interpreting", "*", "")).await;
    let responder = app.sign_in(&app.responder).await;

    let (status, html) = app.get(&responder, "/directory").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<caption id=\"directory-caption\">Services (3)</caption>"),
        "{html}"
    );
    assert!(html.contains("<th scope=\"col\">"));
    assert!(html.contains("<strong>2 / 4</strong>"));
    assert!(html.contains("mis à jour le "));
    assert!(html.contains("Femme"), "whom the service accepts, in words");

    let (_, html) = app.get(&responder, "/directory?departement=93").await;
    assert!(html.contains("Foyer Saint-Denis") && html.contains("Interprètes"));
    assert!(!html.contains("Foyer Marseille"), "13 and 84 only");
    let (_, html) = app
        .get(&responder, "/directory?departement=84&kind=accommodation")
        .await;
    assert!(html.contains("Foyer Marseille"));
    assert!(!html.contains("Interprètes") && !html.contains("Foyer Saint-Denis"));
    let (_, html) = app
        .get(&responder, "/directory?departement=01&kind=accommodation")
        .await;
    assert!(html.contains("id=\"directory-empty\""));

    // Not victim data, but still for people who work with victims.
    let analyst = app.sign_in(&app.analyst).await;
    assert_eq!(app.get(&analyst, "/directory").await.0, 403);
}

pub async fn places_are_updated_by_the_owning_organisation_only(app: &TestApp) {
    let (worker, shelter) = shelter_worker(app, "foyer-owner@relais.test").await;
    let (other, _) = shelter_worker(app, "foyer-other@relais.test").await;
    let id = add_service(
        app,
        &shelter,
        &raw("93", "x", "Foyer Horizon", "accommodation", "*", "secure-distant:1/4"),
    )
    .await;
    let page = format!("/directory/services/{id}");
    let action = format!("/directory/services/{id}/places");

    let owner = app.sign_in(&worker).await;
    let (status, html) = app.get(&owner, &page).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("action=\"{action}\"")),
        "the owner sees the form"
    );
    assert!(html.contains("value=\"4\""), "current places prefilled");

    let refused = app
        .submit(
            &owner,
            &page,
            &action,
            &[("secure-distant_total", "3"), ("secure-distant_free", "5")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"secure-distant_free-error\""), "{html}");
    assert!(html.contains("ne peut pas dépasser le total"));
    assert!(html.contains("value=\"5\""), "what was typed is kept");

    let done = app
        .submit(
            &owner,
            &page,
            &action,
            &[("secure-distant_total", "6"), ("secure-distant_free", "0")],
        )
        .await;
    assert_eq!(done.status().as_u16(), 303);
    let (_, html) = app.get(&owner, &location(&done)).await;
    assert!(html.contains("fr-alert--success"));
    assert!(html.contains("0 libre(s) sur 6"));

    // Another organisation's support worker sees the service but cannot change it.
    let stranger = app.sign_in(&other).await;
    let (status, html) = app.get(&stranger, &page).await;
    assert_eq!(status, 200);
    assert!(!html.contains(&format!("action=\"{action}\"")));
    let response = app
        .submit(
            &stranger,
            &page,
            &action,
            &[("secure-distant_total", "9"), ("secure-distant_free", "9")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    let response = app
        .submit(&stranger, &page, &action, &[("secure-distant_total", "x")])
        .await;
    assert_eq!(response.status().as_u16(), 403, "not even the refused form");
    // A first responder holds no ManageServices at all.
    let responder = app.sign_in(&app.responder).await;
    let response = app
        .submit(
            &responder,
            &page,
            &action,
            &[("secure-distant_total", "1"), ("secure-distant_free", "1")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    let (_, html) = app.get(&owner, &page).await;
    assert!(html.contains("0 libre(s) sur 6"), "unchanged by the refused attempts");
}

const HEADER: &str =
    "departement,organisation,name,kind,covers,sexes,min_age,max_age,children,forms,languages,contact,places";

pub async fn an_import_with_a_bad_line_names_it_and_imports_nothing(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    let csv = format!(
        "{HEADER}\n\
         93,Brigade test,Foyer A,accommodation,*,female,18,,yes,,fr,a@foyer.test,secure-distant:1/2\n\
         99,Brigade test,Foyer B,accommodation,*,woman,18,,yes,,fr,b@foyer.test,secure-distant:3/2\n\
         75,Nobody (fictive),Foyer C,medical,75,,,,no,,fr,c@foyer.test,\n"
    );
    let (status, html) = multipart(app, &admin, "services", &csv).await;
    assert_eq!(status, 422);
    assert!(html.contains("Rien n’a été importé"), "{html}");
    assert!(
        html.contains("<th scope=\"row\">3</th><td><code>departement</code></td>"),
        "{html}"
    );
    assert!(html.contains("<th scope=\"row\">3</th><td><code>sexes</code></td>"));
    assert!(html.contains("<th scope=\"row\">3</th><td><code>places</code></td>"));
    assert!(html.contains("<th scope=\"row\">4</th><td><code>organisation</code></td>"));
    assert!(html.contains("Aucune structure ne porte ce nom."));
    assert_eq!(service_count(app).await, 0, "the good line was not imported either");

    let (status, html) = multipart(app, &admin, "services", "name,kind\nx,medical\n").await;
    assert_eq!(status, 422);
    assert!(html.contains("<code>header</code>"));
    let (status, _) = multipart(app, &admin, "", "").await;
    assert_eq!(status, 422);
    // Only administrators and coordinators import.
    let responder = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&responder, "/directory/import").await.0, 403);
}

pub async fn a_good_import_is_counted_and_exported_departement_first(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    // Semicolons, as a French spreadsheet writes them; imported twice: replaced, not doubled.
    let csv = format!(
        "{}\n\
         93;Brigade test;Foyer A;accommodation;*;female;18;;yes;sexual;fr en;a@foyer.test;secure-distant:1/2 emergency:0/1\n\
         2A;Brigade test;Soins B;medical;2A 2B;;;;oui;;fr it;b@foyer.test;\n",
        HEADER.replace(',', ";")
    );
    for _ in 0..2 {
        let (status, html) = multipart(app, &admin, "services", &csv).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("2 service(s) importé(s)."));
    }
    assert_eq!(service_count(app).await, 2);

    let mut contacts = String::from("departement,prefecture,name,email,phone\n");
    for d in Departement::all() {
        let code = d.code();
        contacts.push_str(&format!(
            "{code},Préfecture {code},Référent traite {code},referent-{}@prefecture.test,01 02 03 04 05\n",
            code.to_lowercase()
        ));
    }
    let (status, html) = multipart(app, &admin, "prefecture-contacts", &contacts).await;
    assert_eq!(status, 200);
    assert!(html.contains("101 référent(s) importé(s)."), "{html}");

    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let exported = directory::export_csv(&mut tx, FileKind::PrefectureContacts)
        .await
        .unwrap();
    let services = directory::export_csv(&mut tx, FileKind::Services).await.unwrap();
    tx.commit().await.unwrap();
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(lines.len(), 102);
    assert!(lines[0].starts_with("departement,"));
    let firsts: Vec<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    let codes: Vec<&str> = Departement::all().map(Departement::code).collect();
    assert_eq!(firsts, codes, "one per département, in the official order, code first");
    let service_lines: Vec<&str> = services.lines().collect();
    assert!(
        service_lines[1].starts_with("2A,Brigade test,Soins B,medical,2A 2B,"),
        "{services}"
    );
    assert!(service_lines[2].starts_with("93,Brigade test,Foyer A,accommodation,*,female,18,,yes,sexual,fr en,"));
    assert!(
        service_lines[2].ends_with("emergency:0/1 secure-distant:1/2"),
        "{services}"
    );

    let responder = app.sign_in(&app.responder).await;
    let (status, html) = app.get(&responder, "/directory/prefectures?departement=2a").await;
    assert_eq!(status, 200);
    assert!(html.contains("referent-2a@prefecture.test"));
    assert!(!html.contains("referent-2b@prefecture.test"));
    assert_eq!(
        html.matches("<option value=\"").count(),
        1 + 101,
        "all, or any one of the 101 départements"
    );
}

pub async fn accommodation_offers_become_placement_offers(app: &TestApp) {
    let (_, shelter) = shelter_worker(app, "foyer-offers@relais.test").await;
    let full = add_service(
        app,
        &shelter,
        &raw("33", "x", "Foyer plein", "accommodation", "*", "secure-distant:0/3"),
    )
    .await;
    let open = add_service(
        app,
        &shelter,
        &raw(
            "69",
            "x",
            "Foyer ouvert",
            "accommodation",
            "*",
            "secure-distant:2/5 emergency:1/1",
        ),
    )
    .await;
    add_service(
        app,
        &shelter,
        &raw("75", "x", "Urgence", "accommodation", "*", "emergency:4/9"),
    )
    .await;
    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let offers = directory::accommodation_offers(&mut tx, "secure-distant")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut ids: Vec<&ServiceId> = offers.iter().map(|o| &o.service_id).collect();
    ids.sort();
    let mut expected = vec![&full, &open];
    expected.sort();
    assert_eq!(ids, expected);
    let row = offers.iter().find(|o| o.service_id == open).unwrap();
    assert_eq!((row.free, row.total), (2, 5));
    assert_eq!(row.organisation, "Organisation foyer-offers@relais.test");
    let offer = row.to_offer().unwrap();
    assert_eq!(offer.id, open.as_str());
    assert_eq!(offer.departement.code(), "69");
    assert_eq!(offer.free_places, 2);
    assert_eq!(offer.accepts.languages, vec!["fr".to_owned(), "en".to_owned()]);
    assert_eq!(offer.accepts.min_age, Some(18));
    assert!(offer.accepts.children);
}
