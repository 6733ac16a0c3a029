//! The annual strategic plan (issue 13, part 2): the coordinator plans a
//! measure's year (cost, funding, status with evidence, milestones,
//! indicators with dated values) and the year's completeness follows; bad
//! input comes back filled in with the question named; the rapporteur reads
//! but does not write, others neither; the year exports to CSV and XLSX.

use super::harness::{TestApp, csrf_of, location};
use super::triage::user;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::coordination::measure::{Period, PlanCode};
use relais_store::Actor;
use relais_store::coordination::{self, PlanHeader};
use std::io::Read;

const PLAN: &str = "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Identifier et protéger,1,Former,1,Former les professionnels de première ligne,MIPROF,,,,,,,,,
1,,1,,2,=Ouvrir des places d'hébergement sécurisé,,,,,,,,,,
";

const YEAR: &str = "/coordination/plans/ANNUEL-1/years/2025";
const MEASURE: &str = "/coordination/plans/ANNUEL-1/years/2025/measures/1";

async fn seed_plan(app: &TestApp) {
    let mut tx = app
        .store
        .begin(Actor::system(), "test-setup", app.clock.now())
        .await
        .unwrap();
    let header = PlanHeader {
        code: PlanCode::parse("ANNUEL-1").unwrap(),
        title: "Plan de test".into(),
        period: Period::new(2025, 2026).unwrap(),
    };
    coordination::import_as_system(&mut tx, &header, PLAN, true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn post(app: &TestApp, client: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let (_, page) = app.get(client, MEASURE).await;
    let mut fields = vec![("csrf", csrf_of(&page))];
    fields.extend(form.iter().map(|(k, v)| (*k, (*v).to_owned())));
    client.post(app.url(path)).form(&fields).send().await.unwrap()
}

/// The ids in `…/{kind}/{id}/…` form actions of a page, in page order.
fn ids(html: &str, kind: &str) -> Vec<String> {
    html.split(&format!("/{kind}/"))
        .skip(1)
        .filter_map(|rest| rest.get(..32))
        .filter(|id| id.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
        .collect()
}

pub async fn the_coordinator_plans_a_year_and_its_completeness_follows(app: &TestApp) {
    seed_plan(app).await;
    let (coordinator, _) = user(
        app,
        OrganisationType::NationalCoordination,
        "miprof-annuel@relais.test",
        Role::Coordinator,
    )
    .await;
    let (rapporteur, _) = user(
        app,
        OrganisationType::IndependentRapporteur,
        "cncdh-annuel@relais.test",
        Role::Rapporteur,
    )
    .await;
    let coordinator = app.sign_in(&coordinator).await;
    let rapporteur = app.sign_in(&rapporteur).await;
    let responder = app.sign_in(&app.responder).await;

    let (_, plan) = app.get(&coordinator, "/coordination/plans/ANNUEL-1").await;
    assert!(
        plan.contains("href=\"/coordination/plans/ANNUEL-1/years/2025\"")
            && plan.contains("href=\"/coordination/plans/ANNUEL-1/years/2026\""),
        "the plan page links each year: {plan}"
    );
    let (status, year) = app.get(&coordinator, YEAR).await;
    assert_eq!(status, 200);
    assert!(
        year.contains("2 mesures, dont 0 complètes pour l’année (0 %)"),
        "{year}"
    );
    assert!(year.contains("id=\"annual-missing-table\""), "the chart has its table");
    assert!(year.contains("annual-print.css"), "the page has its print stylesheet");
    assert_eq!(
        app.get(&coordinator, "/coordination/plans/ANNUEL-1/years/2030").await.0,
        404
    );

    // Bad input comes back filled in, each problem named with its question.
    let wrong = post(
        app,
        &coordinator,
        &format!("{MEASURE}/money"),
        &[
            ("version", "0"),
            ("cost_eur", "douze mille"),
            ("funding_kind", "budget"),
            ("funding_programme", "13"),
            ("funding_action", "15"),
        ],
    )
    .await;
    assert_eq!(wrong.status().as_u16(), 422);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("Le formulaire contient des erreurs"), "{html}");
    assert!(
        html.contains("Coût estimé pour l’année : indiquez un montant en euros")
            && html.contains("href=\"#cost_eur\"")
            && html.contains("Programme budgétaire : indiquez le numéro du programme"),
        "{html}"
    );
    assert!(html.contains("value=\"douze mille\"") && html.contains("value=\"13\""));
    assert!(html.contains("id=\"funding_kind-budget\" name=\"funding_kind\" value=\"budget\" checked"));

    let saved = post(
        app,
        &coordinator,
        &format!("{MEASURE}/money"),
        &[
            ("version", "0"),
            ("cost_eur", "180 000"),
            ("funding_kind", "budget"),
            ("funding_programme", "137"),
            ("funding_action", "15"),
        ],
    )
    .await;
    assert_eq!(location(&saved), format!("{MEASURE}?done=annual-money-saved"));
    let stale = post(
        app,
        &coordinator,
        &format!("{MEASURE}/money"),
        &[("version", "0"), ("cost_eur", "1"), ("funding_kind", "agrasc")],
    )
    .await;
    assert_eq!(
        stale.status().as_u16(),
        422,
        "an edit of version 0 after version 1 is refused"
    );
    assert!(stale.text().await.unwrap().contains("modifiée entre-temps"));

    let no_evidence = post(
        app,
        &coordinator,
        &format!("{MEASURE}/status"),
        &[("version", "1"), ("status", "in_progress"), ("status_on", "2999-01-01")],
    )
    .await;
    assert_eq!(no_evidence.status().as_u16(), 422);
    let html = no_evidence.text().await.unwrap();
    assert!(
        html.contains("Élément de preuve : cette information est obligatoire")
            && html.contains("Date de l’élément de preuve : la date ne peut pas être dans le futur"),
        "{html}"
    );
    assert!(html.contains("value=\"2999-01-01\""), "the date typed is kept");
    let reported = post(
        app,
        &coordinator,
        &format!("{MEASURE}/status"),
        &[
            ("version", "1"),
            ("status", "in_progress"),
            ("evidence", "Marché de formation notifié"),
            ("status_on", "2025-06-30"),
        ],
    )
    .await;
    assert_eq!(location(&reported), format!("{MEASURE}?done=annual-status-saved"));

    let (_, year) = app.get(&coordinator, YEAR).await;
    assert!(year.contains("dont 0 complètes"), "still no milestone nor indicator");

    let milestone = post(
        app,
        &coordinator,
        &format!("{MEASURE}/milestones"),
        &[
            ("milestone_title", "Premières sessions"),
            ("milestone_due", "2025-09-30"),
        ],
    )
    .await;
    assert_eq!(location(&milestone), format!("{MEASURE}?done=annual-milestone-added"));
    let indicator = post(
        app,
        &coordinator,
        &format!("{MEASURE}/indicators"),
        &[
            ("definition", "Professionnels formés"),
            ("unit", "personnes"),
            ("baseline", "350"),
            ("target", "2000"),
        ],
    )
    .await;
    assert_eq!(location(&indicator), format!("{MEASURE}?done=annual-indicator-added"));
    let (_, page) = app.get(&coordinator, MEASURE).await;
    let indicator = ids(&page, "indicators").pop().expect("the indicator's value form");
    let milestone = ids(&page, "milestones").pop().expect("the milestone's form");
    let values = format!("{MEASURE}/indicators/{indicator}/values");
    let future = post(
        app,
        &coordinator,
        &values,
        &[("value_on", "2999-03-31"), ("value", "420")],
    )
    .await;
    assert_eq!(future.status().as_u16(), 422);
    let html = future.text().await.unwrap();
    assert!(html.contains(&format!("href=\"#value_on-{indicator}\"")), "{html}");
    assert!(html.contains("value=\"420\""));
    let value = post(
        app,
        &coordinator,
        &values,
        &[("value_on", "2025-03-31"), ("value", "420")],
    )
    .await;
    assert_eq!(location(&value), format!("{MEASURE}?done=annual-value-recorded"));
    let reached = post(
        app,
        &coordinator,
        &format!("{MEASURE}/milestones/{milestone}/reached"),
        &[("done_on", "2025-09-20")],
    )
    .await;
    assert_eq!(location(&reached), format!("{MEASURE}?done=annual-milestone-reached"));

    let (_, page) = app
        .get(&coordinator, &format!("{MEASURE}?done=annual-milestone-reached"))
        .await;
    assert!(page.contains("Le jalon est marqué comme atteint."));
    assert!(
        page.contains("précise pour l’année tout ce que la CNCDH demande"),
        "{page}"
    );
    assert!(page.contains("180\u{202f}000\u{a0}€") && page.contains("Programme 137, action 15"));
    assert!(
        page.contains("20/09/2025") && page.contains("31/03/2025"),
        "French dates"
    );
    assert!(
        page.contains("<ins>échéance le 30/09/2025 — atteint le 20/09/2025</ins>")
            && page.contains("Valeur de « Professionnels formés » au 31/03/2025"),
        "the history says what changed: {page}"
    );
    assert!(page.contains("Version 6"), "six changes, six versions");

    let (_, year) = app.get(&coordinator, YEAR).await;
    assert!(
        year.contains("2 mesures, dont 1 complètes pour l’année (50 %)"),
        "{year}"
    );
    assert!(
        year.contains("coût prévu pour l’année : 180\u{202f}000\u{a0}€"),
        "{year}"
    );
    assert!(year.contains("dernière valeur : 420 au 31 mars 2025"), "{year}");
    let (_, other_year) = app.get(&coordinator, "/coordination/plans/ANNUEL-1/years/2026").await;
    assert!(other_year.contains("dont 0 complètes"), "each year is its own plan");

    let response = coordinator
        .get(app.url(&format!("{YEAR}/export.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.text().await.unwrap();
    assert!(
        csv.starts_with("axis,action,measure,title,pilot,year,milestones,"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "1,1,1,Former les professionnels de première ligne,MIPROF,2025,2025-09-30: Premières sessions (done 2025-09-20),\
             Professionnels formés [personnes]; baseline 350; target 2000; source ; values 2025-03-31=420,\
             180000.00,,budget,137,15,,\"Programme 137, action 15\",in_progress,Marché de formation notifié,2025-06-30,"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("1,1,2,'=Ouvrir des places d'hébergement sécurisé,,2025,,,,,,,,,,,,,pilot;deadline;indicator;target;cost;funding"),
        "a formula-like title is neutralised: {csv}"
    );
    let response = coordinator
        .get(app.url(&format!("{YEAR}/export.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut workbook = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut strings = String::new();
    workbook
        .by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    assert!(
        strings.contains("Former les professionnels de première ligne")
            && strings.contains("Programme 137, action 15")
            && strings.contains("'=Ouvrir des places"),
        "{strings}"
    );
    let mut sheet = String::new();
    workbook
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(sheet.contains("<v>180000</v>"), "the cost is a number: {sheet}");

    // The rapporteur reads the year but changes nothing; others see nothing.
    let (status, page) = app.get(&rapporteur, MEASURE).await;
    assert_eq!(status, 200);
    assert!(!page.contains("id=\"money-form\"") && !page.contains("id=\"status-form\""));
    let refused = rapporteur
        .post(app.url(&format!("{MEASURE}/money")))
        .form(&[
            ("csrf", csrf_of(&page)),
            ("version", "6".into()),
            ("cost_eur", "1".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403, "only the coordinator plans");
    assert_eq!(app.get(&responder, YEAR).await.0, 403);
    assert_eq!(app.get(&responder, &format!("{YEAR}/export.csv")).await.0, 403);
}
