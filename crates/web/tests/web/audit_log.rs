//! The audit log as the administrator reads it (issue 16): people named, acts
//! in words, one line per request, filters that narrow the rows and stay in
//! the links, and a CSV export that is itself audited.

use crate::web::harness::TestApp;
use relais_store::testing::{execute_raw, texts};

/// The rows of the page's table.
fn rows(html: &str) -> Vec<&str> {
    html.split("<tbody>")
        .nth(1)
        .and_then(|body| body.split("</tbody>").next())
        .map(|body| body.split("<tr>").skip(1).collect())
        .unwrap_or_default()
}

async fn user_id(app: &TestApp, email: &str) -> String {
    texts(&app.store, &format!("SELECT id FROM users WHERE email = '{email}'"))
        .await
        .unwrap()
        .remove(0)
}

pub async fn the_audit_log_names_people_and_acts_and_filters_narrow_it(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    let _responder = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&admin, "/admin/users").await.0, 200);
    let (status, html) = app.get(&admin, "/admin/audit").await;
    assert_eq!(status, 200);
    // Who, with their organisation, and what in words; no raw code, no actor id.
    assert!(html.contains("admin@relais.test") && html.contains("Brigade test"));
    assert!(html.contains("Consultation des comptes") && html.contains("Connexion"));
    let admin_id = user_id(app, "admin@relais.test").await;
    for code in ["user.list", "auth.login", "audit.read"] {
        assert!(!html.contains(&format!(">{code}")), "no raw code {code} on the page");
    }
    // Set-up rows have no actor: the system.
    assert!(html.contains("Système"), "{}", rows(&html).len());
    // The filters are pickers: people by name, actions and object types in words.
    assert!(html.contains(&format!(
        "<option value=\"{admin_id}\">admin@relais.test (Brigade test)</option>"
    )));
    assert!(html.contains("<option value=\"case.file-read\">Consultation du dossier</option>"));
    assert!(html.contains("<option value=\"case\">Dossier</option>"));
    let all = rows(&html).len();

    // By action: only the list of accounts.
    let (_, html) = app.get(&admin, "/admin/audit?action=user.list").await;
    let found = rows(&html);
    assert!(!found.is_empty() && found.len() < all, "{} of {all}", found.len());
    assert!(
        found.iter().all(|r| r.contains("Consultation des comptes")),
        "{found:?}"
    );
    assert!(
        html.contains("<option value=\"user.list\" selected>"),
        "the choice is kept"
    );
    assert!(
        html.contains("href=\"/admin/audit.csv?action=user.list\""),
        "the export takes the filters"
    );

    // By person: only the responder's acts (their sign-in).
    let responder_id = user_id(app, "responder@relais.test").await;
    let (_, html) = app.get(&admin, &format!("/admin/audit?person={responder_id}")).await;
    let found = rows(&html);
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|r| r.contains("responder@relais.test") && !r.contains("admin@relais.test")),
        "{found:?}"
    );
    assert!(found.iter().any(|r| r.contains("Connexion")));

    // By object type and days: nothing about a case, nothing tomorrow; today is there.
    let (_, html) = app.get(&admin, "/admin/audit?object=case").await;
    assert!(rows(&html).is_empty() && html.contains("Aucune entrée ne correspond"));
    let (_, html) = app.get(&admin, "/admin/audit?from=2099-01-01").await;
    assert!(rows(&html).is_empty());
    let (_, html) = app.get(&admin, "/admin/audit?from=2000-01-01&to=2099-12-31").await;
    assert!(!rows(&html).is_empty());

    // A wrong day is named, the typed value kept, the other filters still apply.
    let (status, html) = app.get(&admin, "/admin/audit?from=2026-02-30&action=user.list").await;
    assert_eq!(status, 200);
    assert!(html.contains("Du : saisissez une date réelle") && html.contains("href=\"#from\""));
    assert!(html.contains("value=\"2026-02-30\""));
    assert!(rows(&html).iter().all(|r| r.contains("Consultation des comptes")));
    let (_, html) = app.get(&admin, "/admin/audit?from=2026-03-02&to=2026-03-01").await;
    assert!(html.contains("la date de fin doit être le même jour ou après"));

    // Reading the log is audited; only the administrator may.
    let reads = texts(&app.store, "SELECT action FROM audit_log WHERE action = 'audit.read'")
        .await
        .unwrap();
    assert!(reads.len() >= 6);
    let analyst = app.sign_in(&app.analyst).await;
    assert_eq!(app.get(&analyst, "/admin/audit").await.0, 403);
    assert_eq!(app.get(&analyst, "/admin/audit.csv").await.0, 403);
}

pub async fn one_request_is_one_line_and_pages_never_split_a_request(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    // Sixty requests of three rows each, by the administrator.
    let admin_id = user_id(app, "admin@relais.test").await;
    let organisation = app.organisation.as_str().to_owned();
    let mut sql = String::new();
    for request in 0..60 {
        for (n, action) in ["case.file-read", "case.people-read", "case.support-read"]
            .iter()
            .enumerate()
        {
            sql.push_str(&format!(
                "INSERT INTO audit_log (seq, at, actor_user_id, actor_organisation_id, action, object_type, object_id, request_id, prev_hash, hash) \
                 VALUES ({seq}, 1767225600, '{admin_id}', '{organisation}', '{action}', 'case', 'case-{request}', 'req-{request}', '', '');",
                seq = 1_000_000 + request * 3 + n,
            ));
        }
    }
    for statement in sql.split_inclusive(';') {
        execute_raw(&app.store, statement).await.unwrap();
    }
    let (_, html) = app.get(&admin, "/admin/audit?object=case").await;
    let first = rows(&html);
    assert_eq!(first.len(), 50, "fifty lines, not 150 rows");
    assert!(
        first
            .iter()
            .all(|r| r.contains("Consultation du dossier") && r.contains("et 2 autres actions"))
    );
    assert!(first[0].contains("<details") && first[0].contains("Consultation de l’accompagnement"));
    assert!(first[0].contains("<code>case-59</code>"));
    // The next page keeps the filter and starts with the next request, whole.
    let older = html
        .split("href=\"/admin/audit?")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&#38;", "&");
    assert!(older.contains("object=case"), "{older}");
    let (_, html) = app.get(&admin, &format!("/admin/audit?{older}")).await;
    let second = rows(&html);
    assert_eq!(second.len(), 10, "{older} {second:?}");
    assert!(second[0].contains("<code>case-9</code>") && second[0].contains("et 2 autres actions"));
    assert!(second.iter().all(|r| r.contains("et 2 autres actions")));
}

pub async fn the_audit_export_is_filtered_neutralised_and_audited(app: &TestApp) {
    let admin = app.sign_in(&app.admin).await;
    assert_eq!(app.get(&admin, "/admin/users").await.0, 200);
    // A name a spreadsheet would run as a formula.
    execute_raw(&app.store, "UPDATE organisations SET name = '=HYPERLINK(\"x\")'")
        .await
        .unwrap();
    let response = admin
        .get(app.url("/admin/audit.csv?action=user.list"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("journal-audit.csv")
    );
    let csv = response.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Numéro,Date et heure,Auteur,Organisation,Action,Type d’objet,Référence de l’objet,Requête,Code de l’action"
    );
    let body: Vec<&str> = lines.collect();
    assert!(!body.is_empty());
    assert!(
        body.iter()
            .all(|l| l.contains("Consultation des comptes") && l.ends_with("user.list"))
    );
    assert!(body.iter().all(|l| l.contains("admin@relais.test")));
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "formula neutralised: {csv}");
    // The export is in the trail, with what was asked.
    let exports = texts(&app.store, "SELECT reason FROM audit_log WHERE action = 'audit.export'")
        .await
        .unwrap();
    assert_eq!(exports, vec!["action=user.list".to_owned()]);
    // A wrong filter goes back to the page, which names it.
    let response = admin
        .get(app.url("/admin/audit.csv?to=31/12/2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let back = crate::web::harness::location(&response);
    assert_eq!(back, "/admin/audit?to=31%2F12%2F2026");
    let (_, html) = app.get(&admin, &back).await;
    assert!(html.contains("Au : saisissez une date réelle") && html.contains("value=\"31/12/2026\""));
}
