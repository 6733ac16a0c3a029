//! Public forms that never send twice and never lose what was typed, file
//! uploads up to the announced limit, and long imports that do not block
//! public reports (issue 11).

use super::harness::{TestApp, csrf_of, location};
use relais_store::testing::{self, TestDatabase};
use relais_store::{RetryPolicy, StoreOptions};
use std::time::Duration;

const DESCRIPTION: &str = "Des saisonniers logés dans un hangar fermé à clé";

fn between<'a>(html: &'a str, start: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    html[from..].split(['<', '"']).next()
}

async fn count(app: &TestApp, sql: &str) -> u64 {
    testing::execute_raw(&app.store, sql).await.unwrap()
}

async fn public_signalements(app: &TestApp) -> u64 {
    count(app, "UPDATE referrals SET step = step WHERE kind = 'public'").await
}

/// The public form's fields as a browser sends them, with the page's CSRF
/// and form tokens.
async fn filled_form(app: &TestApp, client: &reqwest::Client) -> Vec<(String, String)> {
    let (status, html) = app.get(client, "/signalement").await;
    assert_eq!(status, 200);
    let token = between(&html, "name=\"form_token\" value=\"").expect("the form carries a one-time token");
    vec![
        ("csrf".into(), csrf_of(&html)),
        ("form_token".into(), token.to_owned()),
        ("description".into(), DESCRIPTION.into()),
        ("departement".into(), "13".into()),
        ("place".into(), "Mas agricole, route d'Arles".into()),
        ("minor".into(), "no".into()),
        ("forms".into(), "labour".into()),
        ("website".into(), String::new()),
    ]
}

async fn send(app: &TestApp, client: &reqwest::Client, fields: &[(String, String)]) -> reqwest::Response {
    client.post(app.url("/signalement")).form(fields).send().await.unwrap()
}

/// The code shown on the confirmation page, if it is shown.
async fn confirmation(app: &TestApp, client: &reqwest::Client) -> (Option<String>, String) {
    let (status, html) = app.get(client, "/signalement/envoye").await;
    assert_eq!(status, 200);
    (between(&html, "id=\"followup-code\">").map(str::to_owned), html)
}

pub async fn a_refreshed_or_resent_signalement_is_filed_once(app: &TestApp) {
    let client = app.client();
    let fields = filled_form(app, &client).await;
    let sent = send(app, &client, &fields).await;
    assert_eq!(sent.status().as_u16(), 303, "post/redirect/get");
    assert_eq!(location(&sent), "/signalement/envoye", "nothing secret in the URL");

    let (code, _) = confirmation(app, &client).await;
    let code = code.expect("the code is shown after sending");
    assert!(code.starts_with("SG-"), "{code}");
    // A refresh of the confirmation page: nothing sent again, the code not shown again.
    let (again, html) = confirmation(app, &client).await;
    assert_eq!(again, None);
    assert!(!html.contains(&code));
    assert!(html.contains("id=\"signalement-already-sent\"") && html.contains("une seule fois"));
    // The same form sent again (a refresh of the POST, the back button):
    // "already sent", no second signalement.
    let resent = send(app, &client, &fields).await;
    assert_eq!(resent.status().as_u16(), 303);
    let (shown, html) = confirmation(app, &client).await;
    assert_eq!(shown, None);
    assert!(html.contains("déjà") || html.contains("une seule fois"), "{html}");
    assert_eq!(public_signalements(app).await, 1);

    // A double click: the second sending arrives first at the confirmation,
    // which shows the code once; still one signalement.
    let other = app.client();
    let fields = filled_form(app, &other).await;
    assert_ne!(
        fields[1],
        filled_form(app, &client).await[1],
        "each form has its own token"
    );
    for _ in 0..2 {
        assert_eq!(send(app, &other, &fields).await.status().as_u16(), 303);
    }
    assert!(confirmation(app, &other).await.0.is_some());
    assert_eq!(confirmation(app, &other).await.0, None);
    assert_eq!(public_signalements(app).await, 2);
}

/// A SQLite server whose writers give up quickly when the database is busy.
async fn impatient_app(db: &TestDatabase, retry: RetryPolicy) -> TestApp {
    let options = StoreOptions {
        busy_timeout: Duration::from_millis(100),
        retry,
        ..StoreOptions::default()
    };
    TestApp::start_with(db, &options).await
}

/// Another connection holds the write lock longer than the busy timeout;
/// the signalement is retried and saved once it is released.
pub async fn a_signalement_waits_out_a_busy_database() {
    let db = testing::sqlite().await.unwrap();
    let retry = RetryPolicy {
        retries: 100,
        backoff: Duration::from_millis(10),
    };
    let app = impatient_app(&db, retry).await;
    let client = app.client();
    let fields = filled_form(&app, &client).await;
    let lock = testing::hold_write_lock(&app.store).await.unwrap();
    let before = app.store.busy_retries();
    let request = {
        let (client, url, fields) = (client.clone(), app.url("/signalement"), fields.clone());
        tokio::spawn(async move { client.post(url).form(&fields).send().await.unwrap() })
    };
    // Wait until the request has met the busy database at least once.
    while app.store.busy_retries() == before {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    lock.release().await.unwrap();
    let response = request.await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert!(confirmation(&app, &client).await.0.is_some());
    assert_eq!(public_signalements(&app).await, 1);
}

/// The database stays busy past every retry: the form comes back filled
/// in, with a message, and can be sent again once the database is free.
pub async fn a_signalement_that_cannot_be_saved_comes_back_filled_in() {
    let db = testing::sqlite().await.unwrap();
    let retry = RetryPolicy {
        retries: 2,
        backoff: Duration::from_millis(10),
    };
    let app = impatient_app(&db, retry).await;
    let client = app.client();
    let fields = filled_form(&app, &client).await;
    let lock = testing::hold_write_lock(&app.store).await.unwrap();
    let response = send(&app, &client, &fields).await;
    assert_eq!(response.status().as_u16(), 503);
    let html = response.text().await.unwrap();
    assert!(html.contains(DESCRIPTION), "what was typed is kept");
    assert!(html.contains("Mas agricole"));
    assert!(html.contains("value=\"labour\" checked") && html.contains("value=\"13\" selected"));
    assert!(html.contains("n’a pas pu être enregistré"), "a clear message: {html}");
    assert!(
        html.contains(&format!("name=\"form_token\" value=\"{}\"", fields[1].1)),
        "the same token: sending again cannot file twice"
    );
    assert!(app.store.busy_retries() >= 2);
    lock.release().await.unwrap();
    assert_eq!(public_signalements(&app).await, 0);
    assert_eq!(send(&app, &client, &fields).await.status().as_u16(), 303);
    assert_eq!(public_signalements(&app).await, 1);
}

/// A CSV file of `rows` accommodation services of the test organisation.
fn services_csv(rows: usize) -> String {
    let mut csv = String::from(
        "departement,organisation,name,kind,covers,sexes,min_age,max_age,children,forms,languages,contact,places\n",
    );
    for i in 0..rows {
        csv.push_str(&format!(
            "31,Brigade test,Foyer {i:05},accommodation,31 32 81,female,18,,yes,labour sexual,fr en,foyer{i}@example.org,emergency:2/5 specialised:1/3\n"
        ));
    }
    csv
}

/// A directory import of thousands of rows while anonymous visitors send
/// signalements: every signalement is saved, and the import too. The
/// writers give up after about two seconds, so an import holding the
/// database in one long transaction would make them fail.
pub async fn a_large_directory_import_lets_signalements_through(db: &TestDatabase) {
    let options = StoreOptions {
        busy_timeout: Duration::from_secs(1),
        retry: RetryPolicy {
            retries: 1,
            backoff: Duration::from_millis(50),
        },
        ..StoreOptions::default()
    };
    let app = TestApp::start_with(db, &options).await;
    let visitor = app.client();
    let mut sent_in_all = 0;
    // A fast machine may finish an import before two signalements go out:
    // the file doubles until the import and the signalements overlap, and
    // importing the same services again updates them (24 000 rows stay
    // under the 5 Mo upload limit).
    let mut rows = 6_000;
    loop {
        // Signed in again for each file: the clock moves an hour per signalement, past the idle timeout.
        let admin = app.sign_in(&app.admin).await;
        let (_, page) = app.get(&admin, "/directory/import").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf_of(&page))
            .text("kind", "services")
            .part(
                "file",
                reqwest::multipart::Part::bytes(services_csv(rows).into_bytes()).file_name("services.csv"),
            );
        let import = tokio::spawn(admin.post(app.url("/directory/import")).multipart(form).send());
        let mut during = 0;
        while !import.is_finished() {
            let fields = filled_form(&app, &visitor).await;
            let sent = send(&app, &visitor, &fields).await;
            assert_eq!(sent.status().as_u16(), 303, "a signalement during the import is saved");
            during += 1;
            // Past the per-address limit of the public form.
            app.clock.advance(61 * 60);
        }
        let imported = import.await.unwrap().unwrap();
        assert_eq!(imported.status().as_u16(), 200);
        assert!(imported.text().await.unwrap().contains(&rows.to_string()));
        sent_in_all += during;
        if during >= 2 {
            break;
        }
        assert!(rows < 24_000, "signalements were sent while the import ran ({during})");
        rows *= 2;
    }
    assert_eq!(public_signalements(&app).await, sent_in_all);
    assert_eq!(count(&app, "UPDATE services SET name = name").await, rows as u64);
    assert_eq!(
        count(&app, "UPDATE service_places SET free = free").await,
        2 * rows as u64
    );
    assert_eq!(
        count(&app, "DELETE FROM directory_import_services").await,
        0,
        "nothing left staged"
    );
}

/// A case file that accepts documents, and the page's CSRF token.
async fn case_file(app: &TestApp) -> (reqwest::Client, String, String) {
    let ((_, author), officer) =
        super::cases_flow::author_and_officer(app, "upload-author@relais.test", "upload-officer@relais.test").await;
    let id = super::triage::referral(app, &author, &super::triage::details("Ivanova", "93", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = super::cases_flow::accept(app, &owner, &id).await;
    let file = format!("/cases/{case}/file");
    let (_, html) = app.get(&owner, &file).await;
    (owner, file, csrf_of(&html))
}

pub async fn uploads_up_to_the_announced_limit_are_accepted(app: &TestApp) {
    let (owner, file, csrf) = case_file(app).await;
    let upload = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("sensitivity", "general")
            .part(
                "document",
                reqwest::multipart::Part::bytes(bytes).file_name("rapport.txt"),
            );
        owner.post(app.url(&format!("{file}/documents"))).multipart(form).send()
    };
    let four = "Rapport d'audition, page suivante.\n".repeat(4 * 1024 * 1024 / 35);
    let accepted = upload(four.into_bytes()).await.unwrap();
    assert_eq!(
        accepted.status().as_u16(),
        303,
        "4 MB is under the 5 MB the page announces"
    );
    assert_eq!(count(app, "UPDATE case_documents SET id = id").await, 1);

    let six = "x".repeat(6 * 1024 * 1024).into_bytes();
    let refused = upload(six).await.unwrap();
    assert_eq!(refused.status().as_u16(), 413);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Fichier trop volumineux") && html.contains("5 Mo"),
        "{html}"
    );
    assert!(!html.contains("Formulaire expiré"));
    assert_eq!(count(app, "UPDATE case_documents SET id = id").await, 1);
}
