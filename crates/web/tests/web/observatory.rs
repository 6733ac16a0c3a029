//! The observatory's sources (issue 14, parts 1 and 2): an analyst defines a
//! source and its Table Schema descriptor, imports a file with errors (each
//! wrong cell named, nothing kept), then good files (each a version that
//! supersedes the last), restores an earlier version, and downloads the
//! descriptor; the rows are read back by version.

use super::harness::{TestApp, csrf_of, location};
use relais_domain::access::authz;
use relais_domain::observatory::source::SourceCode;
use relais_observatory::nrm::Refreshed;
use relais_store::Actor;
use relais_store::observatory as store;

const SCHEMA: &str = r#"{
  "fields": [
    {"name": "annee", "type": "year", "title": "Année", "constraints": {"required": true, "minimum": 2016}},
    {"name": "sexe", "type": "string", "constraints": {"required": true, "enum": ["F", "M"]}},
    {"name": "victimes", "type": "integer", "constraints": {"required": true, "minimum": 0}}
  ],
  "primaryKey": ["annee", "sexe"]
}"#;

pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    code: &str,
    name: &str,
    bytes: &[u8],
    note: &str,
) -> reqwest::Response {
    let (_, html) = app.get(client, &format!("/observatory/sources/{code}")).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html))
        .text("note", note.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec())
                .file_name(name.to_owned())
                .mime_str("text/csv")
                .unwrap(),
        );
    client
        .post(app.url(&format!("/observatory/sources/{code}/imports")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The current version's number and rows, as a consolidation reads them.
async fn current(app: &TestApp, code: &str) -> Option<(u32, Vec<(u64, String)>)> {
    let email = relais_domain::email::Email::parse(app.analyst.email).unwrap();
    let id = relais_store::bootstrap::user_id_by_email(&app.store, &email)
        .await
        .unwrap();
    let analyst = relais_store::access::users::principal(&app.store, &id, app.clock.now())
        .await
        .unwrap()
        .unwrap()
        .0;
    let can = authz::authorize::<authz::ManageObservatory>(&analyst).unwrap();
    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let rows = store::current_rows(&mut tx, &can, &SourceCode::parse(code).unwrap())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rows.map(|current| (current.number, current.rows))
}

pub fn fields<'a>(code: &'a str, name: &'a str, schema: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("code", code),
        ("name", name),
        ("producer", "SSMSI"),
        ("unit", "victim"),
        ("data_kind", "aggregated"),
        ("counting_rule", "Une victime par procédure"),
        ("period", "2016 à 2024"),
        ("territory", "France entière"),
        ("contact", "statistiques@interieur.test"),
        ("quality_notes", ""),
        ("schema", schema),
    ]
}

pub async fn an_analyst_imports_a_source_supersedes_and_restores(app: &TestApp) {
    let analyst = app.sign_in(&app.analyst).await;
    let (status, html) = app.get(&analyst, "/observatory").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("href=\"/observatory\""),
        "the navigation offers the observatory"
    );
    assert!(html.contains("id=\"no-sources\""));

    // A wrong descriptor and a missing producer are named; what was typed stays.
    let mut wrong = fields(
        "victimes-test",
        "Victimes (test)",
        r#"{"fields":[{"name":"a","type":"datetime"}]}"#,
    );
    wrong[2] = ("producer", " ");
    let refused = app
        .submit(&analyst, "/observatory/sources/new", "/observatory/sources", &wrong)
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Saisissez le producteur."), "{html}");
    assert!(html.contains("fields[0].type : type attendu"), "{html}");
    assert!(html.contains("Victimes (test)"), "what was typed is kept");

    let created = app
        .submit(
            &analyst,
            "/observatory/sources/new",
            "/observatory/sources",
            &fields("victimes-test", "Victimes (test)", SCHEMA),
        )
        .await;
    assert_eq!(created.status().as_u16(), 303);
    assert_eq!(
        location(&created),
        "/observatory/sources/victimes-test?done=observatory-source-created"
    );
    let again = app
        .submit(
            &analyst,
            "/observatory/sources/new",
            "/observatory/sources",
            &fields("victimes-test", "Encore", SCHEMA),
        )
        .await;
    assert_eq!(again.status().as_u16(), 422, "a code is used once");

    // A file with wrong cells: each is named, nothing is kept.
    let bad = "annee;sexe;victimes\n2024;F;12\n2015;F;3\n2024;X;-1\n2024;F;4\n";
    let refused = upload(
        app,
        &analyst,
        "victimes-test",
        "victimes.csv",
        bad.as_bytes(),
        "premier envoi",
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("4 problèmes à corriger."), "{html}");
    for expected in [
        "<th scope=\"row\">3</th><td><code>annee</code></td><td>La valeur est inférieure au minimum, 2016.</td>",
        "<th scope=\"row\">4</th><td><code>sexe</code></td><td>La valeur n’est pas une des valeurs admises : F, M.</td>",
        "<th scope=\"row\">4</th><td><code>victimes</code></td><td>La valeur est inférieure au minimum, 0.</td>",
        "<th scope=\"row\">5</th><td><code>annee, sexe</code></td><td>Même clé qu’à la ligne 2.</td>",
    ] {
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    assert!(html.contains(">premier envoi</textarea>"), "the note is kept");
    assert!(current(app, "victimes-test").await.is_none(), "nothing was imported");

    let header_only = upload(
        app,
        &analyst,
        "victimes-test",
        "v.csv",
        b"annee,sexe,total\n2024,F,1\n",
        "",
    )
    .await;
    let html = header_only.text().await.unwrap();
    assert!(html.contains("<code>total</code></td><td>Le schéma ne connaît pas cette colonne."));
    assert!(html.contains("<code>victimes</code></td><td>Cette colonne du schéma manque dans l’en-tête."));

    // Good files: version 1, then version 2 supersedes it.
    let good = "annee;sexe;victimes\n2024;F;12\n2024;M;7\n";
    let imported = upload(
        app,
        &analyst,
        "victimes-test",
        "victimes.csv",
        good.as_bytes(),
        "premier envoi",
    )
    .await;
    assert_eq!(imported.status().as_u16(), 303);
    assert!(location(&imported).starts_with("/observatory/sources/victimes-test?done=observatory-imported"));
    let (number, rows) = current(app, "victimes-test").await.unwrap();
    assert_eq!(number, 1);
    assert_eq!(rows.len(), 2);
    let first: serde_json::Value = serde_json::from_str(&rows[0].1).unwrap();
    assert_eq!(first, serde_json::json!({"annee": 2024, "sexe": "F", "victimes": 12}));

    let corrected = "annee,sexe,victimes\n2024,F,13\n2024,M,7\n2023,F,9\n";
    let imported = upload(
        app,
        &analyst,
        "victimes-test",
        "victimes-v2.csv",
        corrected.as_bytes(),
        "correction",
    )
    .await;
    assert_eq!(imported.status().as_u16(), 303);
    let (number, rows) = current(app, "victimes-test").await.unwrap();
    assert_eq!((number, rows.len()), (2, 3));

    let (_, html) = app
        .get(&analyst, "/observatory/sources/victimes-test?done=observatory-imported")
        .await;
    assert!(html.contains("Le fichier a été importé"));
    assert!(html.contains("victimes-v2.csv"));
    assert!(html.contains(&relais_observatory::import::sha256(corrected.as_bytes())));
    assert!(html.contains("Rétablir la version 1"));
    assert!(html.contains("Version 2 importée par"));
    assert!(html.contains("Source : Victimes (test)"), "the source note");

    // Restoring version 1 is recorded; restoring the current one is refused.
    let (_, html) = app.get(&analyst, "/observatory/sources/victimes-test").await;
    let csrf = csrf_of(&html);
    let restored = analyst
        .post(app.url("/observatory/sources/victimes-test/versions/1/restore"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(restored.status().as_u16(), 303);
    let (number, rows) = current(app, "victimes-test").await.unwrap();
    assert_eq!((number, rows.len()), (1, 2));
    let (_, html) = app.get(&analyst, "/observatory/sources/victimes-test").await;
    assert!(html.contains("Version 1 rétablie par"), "{html}");
    let twice = analyst
        .post(app.url("/observatory/sources/victimes-test/versions/1/restore"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status().as_u16(), 409);

    // The list shows the last import; the descriptor downloads as it was saved.
    let (_, html) = app.get(&analyst, "/observatory/sources").await;
    assert!(html.contains("Version 1 — "), "{html}");
    let schema = analyst
        .get(app.url("/observatory/sources/victimes-test/schema.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(schema.status().as_u16(), 200);
    assert!(
        schema.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let text = schema.text().await.unwrap();
    assert!(relais_observatory::import::Schema::parse(&text).is_ok());

    // Editing keeps the code; a wrong descriptor is refused and kept as typed.
    let edit = fields("ignored", "Victimes enregistrées (test)", SCHEMA);
    let saved = app
        .submit(
            &analyst,
            "/observatory/sources/victimes-test",
            "/observatory/sources/victimes-test",
            &edit,
        )
        .await;
    assert_eq!(
        location(&saved),
        "/observatory/sources/victimes-test?done=observatory-source-saved"
    );
    let broken = fields("x", "Victimes", "{\"fields\": [");
    let refused = app
        .submit(
            &analyst,
            "/observatory/sources/victimes-test",
            "/observatory/sources/victimes-test",
            &broken,
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("fields&#34;: [</textarea>") || html.contains("fields&quot;: [</textarea>"),
        "{html}"
    );

    // Nobody else reaches the observatory.
    let responder = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&responder, "/observatory").await.0, 403);
    assert_eq!(
        app.get(&responder, "/observatory/sources/victimes-test/schema.json")
            .await
            .0,
        403
    );
}

pub async fn an_xlsx_file_is_imported_from_its_first_sheet(app: &TestApp) {
    let analyst = app.sign_in(&app.analyst).await;
    let created = app
        .submit(
            &analyst,
            "/observatory/sources/new",
            "/observatory/sources",
            &fields("victimes-xlsx", "Victimes (classeur)", SCHEMA),
        )
        .await;
    assert_eq!(created.status().as_u16(), 303);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in ["annee", "sexe", "victimes"].iter().enumerate() {
        sheet.write_string(0, u16::try_from(column).unwrap(), *name).unwrap();
    }
    sheet.write_number(1, 0, 2024.0).unwrap();
    sheet.write_string(1, 1, "F").unwrap();
    sheet.write_number(1, 2, 5.5).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let refused = upload(app, &analyst, "victimes-xlsx", "victimes.xlsx", &bytes, "").await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("<code>victimes</code></td><td>Un nombre entier est attendu")
    );
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in ["annee", "sexe", "victimes"].iter().enumerate() {
        sheet.write_string(0, u16::try_from(column).unwrap(), *name).unwrap();
    }
    sheet.write_number(1, 0, 2024.0).unwrap();
    sheet.write_string(1, 1, "F").unwrap();
    sheet.write_number(1, 2, 5.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let imported = upload(app, &analyst, "victimes-xlsx", "victimes.xlsx", &bytes, "").await;
    assert_eq!(imported.status().as_u16(), 303);
    let (number, rows) = current(app, "victimes-xlsx").await.unwrap();
    assert_eq!(number, 1);
    assert_eq!(rows[0].1, r#"{"annee":2024,"sexe":"F","victimes":5}"#);
}

/// The day's job writes the NRM's referrals as the observatory's own
/// source: one line per submitted referral under a keyed pseudonym, no
/// name and no reference; the same referrals the next day import nothing.
pub async fn the_nrm_feeds_the_observatory_as_pseudonymised_records(app: &TestApp) {
    use relais_web::jobs::nrm_extract::{self, Outcome};
    let (_, author) = super::triage::user(
        app,
        relais_domain::access::organisation::OrganisationType::Association,
        "nrm-author@relais.test",
        relais_domain::access::role::Role::FirstResponder,
    )
    .await;
    let id = super::triage::referral(app, &author, &super::triage::details("Petrova", "93", false)).await;
    super::triage::referral(app, &author, &super::triage::details("Okafor", "75", true)).await;
    let state = relais_web::AppState::new(
        app.store.clone(),
        app.keys.clone(),
        super::harness::settings("https://relais.test"),
        app.clock.clone(),
    )
    .unwrap();
    let first = nrm_extract::run_daily(&state).await.unwrap();
    assert!(
        matches!(first, Outcome::Done(Refreshed::Imported { number: 1, rows: 2 })),
        "{first:?}"
    );
    assert!(matches!(
        nrm_extract::run_daily(&state).await.unwrap(),
        Outcome::NotNow(_)
    ));
    assert_eq!(
        nrm_extract::refresh(&state).await.unwrap(),
        Refreshed::Unchanged,
        "the same referrals import nothing"
    );

    let analyst = app.sign_in(&app.analyst).await;
    let (status, html) = app.get(&analyst, "/observatory/sources/relais-mnr").await;
    assert_eq!(status, 200);
    assert!(html.contains("Orientations reçues par le mécanisme national d’orientation"));
    let rows = relais_store::testing::texts(&app.store, "SELECT data FROM observatory_rows")
        .await
        .unwrap();
    let nrm: Vec<&String> = rows.iter().filter(|r| r.contains("\"orienteur\"")).collect();
    assert_eq!(nrm.len(), 2);
    assert!(
        nrm.iter()
            .any(|r| r.contains("\"association\"") && r.contains("\"93\""))
    );
    for row in nrm {
        assert!(!row.contains("Petrova") && !row.contains(id.as_str()), "{row}");
    }
}
