//! The budget of a plan (issue 13, part 3): the coordinator adds budget
//! lines (a wrong amount comes back with what was typed), assigns them to
//! measures and adds a grant; the page shows exact execution rates and the
//! planned cost against the funding; the CSV exports; who may do what.

use super::coordination::import;
use super::harness::{TestApp, csrf_of, location};
use super::triage::user;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;

const PLAN: &str = "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Protéger,1,Héberger,1,Former les professionnels,MIPROF,,,,,,100000,Programme 137,,
1,,1,,2,Ouvrir des places d'hébergement,MIPROF,,,,,,50000,Programme 177,,
1,,1,,3,Publier les données,MIPROF,,,,,,,,,
";

const BUDGET: &str = "/coordination/plans/PNLTEH-2/budget";

fn line(
    year: &str,
    programme: &str,
    action: &str,
    action_label: &str,
    nature: &str,
    amounts: [&str; 4],
) -> Vec<(&'static str, String)> {
    vec![
        ("year", year.to_owned()),
        ("programme", programme.to_owned()),
        ("programme_label", "Égalité entre les femmes et les hommes".to_owned()),
        ("action", action.to_owned()),
        ("action_label", action_label.to_owned()),
        ("nature", nature.to_owned()),
        ("ae_planned", amounts[0].to_owned()),
        ("ae_committed", amounts[1].to_owned()),
        ("cp_planned", amounts[2].to_owned()),
        ("cp_paid", amounts[3].to_owned()),
    ]
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    form_page: &str,
    to: &str,
    mut form: Vec<(&'static str, String)>,
) -> reqwest::Response {
    let (status, html) = app.get(client, form_page).await;
    assert_eq!(status, 200, "{form_page}");
    form.push(("csrf", csrf_of(&html)));
    client.post(app.url(to)).form(&form).send().await.unwrap()
}

/// The id in `/coordination/plans/PNLTEH-2/budget/lines/{id}?done=…`.
fn line_id(location: &str) -> String {
    location
        .trim_start_matches(&format!("{BUDGET}/lines/"))
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

pub async fn a_budget_is_entered_linked_to_measures_and_its_rates_shown(app: &TestApp) {
    let (coordinator, _) = user(
        app,
        OrganisationType::NationalCoordination,
        "miprof@relais.test",
        Role::Coordinator,
    )
    .await;
    let (rapporteur, _) = user(
        app,
        OrganisationType::IndependentRapporteur,
        "cncdh@relais.test",
        Role::Rapporteur,
    )
    .await;
    let coordinator = app.sign_in(&coordinator).await;
    let rapporteur = app.sign_in(&rapporteur).await;
    let imported = import(app, &coordinator, PLAN, true).await;
    assert_eq!(imported.status().as_u16(), 303);

    let (_, plan) = app.get(&coordinator, "/coordination/plans/PNLTEH-2").await;
    assert!(
        plan.contains(&format!("href=\"{BUDGET}\"")),
        "the plan links to its budget"
    );
    let (status, page) = app.get(&coordinator, &format!("{BUDGET}?year=2020")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Aucune ligne budgétaire pour 2020."), "{page}");
    assert!(page.contains("Pas de taux : rien de prévu"), "no division by zero");

    // A wrong amount: the form comes back with the summary and what was typed.
    let new = format!("{BUDGET}/lines/new");
    let lines = format!("{BUDGET}/lines");
    let prevention = "Prévention et lutte contre la traite";
    let wrong = post(
        app,
        &coordinator,
        &new,
        &lines,
        line(
            "2020",
            "137",
            "15",
            prevention,
            "intervention",
            ["12,500.50", "0", "0", "0"],
        ),
    )
    .await;
    assert_eq!(wrong.status().as_u16(), 422);
    let html = wrong.text().await.unwrap();
    assert!(
        html.contains("Le formulaire contient des erreurs") || html.contains("fr-alert--error"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"#ae_planned\">Indiquez un montant en euros, par exemple 12 500,50.</a>"),
        "the summary names the field: {html}"
    );
    assert!(html.contains("value=\"12,500.50\"") && html.contains(&format!("value=\"{prevention}\"")));
    assert!(html.contains("id=\"nature-intervention\" name=\"nature\" value=\"intervention\" checked"));
    let no_nature = post(
        app,
        &coordinator,
        &new,
        &lines,
        line("2023", "13", "15", prevention, "", ["1", "0", "0", "0"]),
    )
    .await;
    let html = no_nature.text().await.unwrap();
    for message in [
        "Choisissez une année du plan.",
        "Indiquez le programme en trois chiffres",
        "Choisissez la nature des crédits",
    ] {
        assert!(html.contains(message), "{message}");
    }

    // Two good lines, in French and dotted amounts.
    let first = post(
        app,
        &coordinator,
        &new,
        &lines,
        line(
            "2020",
            "137",
            "15",
            prevention,
            "intervention",
            ["100 000", "62 500,00", "80000", "20000.00"],
        ),
    )
    .await;
    assert_eq!(first.status().as_u16(), 303);
    let first_url = location(&first);
    assert!(first_url.ends_with("?done=budget-line-created"), "{first_url}");
    let first_id = line_id(&first_url);
    let (_, edit) = app.get(&coordinator, &first_url).await;
    assert!(edit.contains("La ligne budgétaire est enregistrée."));
    assert!(
        edit.contains("<label class=\"fr-label\" for=\"amount_2\">Mesure 2 — Ouvrir des places d&#39;hébergement")
            || edit.contains("for=\"amount_2\">Mesure 2 — Ouvrir des places d&#x27;hébergement"),
        "the picker lists the measures by number and title: {edit}"
    );
    let second = post(
        app,
        &coordinator,
        &new,
        &lines,
        line(
            "2020",
            "177",
            "12",
            "=HYPERLINK(\"http://x\")",
            "operating",
            ["50 000", "50 000", "50 000", "10 000"],
        ),
    )
    .await;
    let second_id = line_id(&location(&second));

    // The measures each line funds.
    let first_edit = format!("{BUDGET}/lines/{first_id}");
    let link = |id: &str| format!("{BUDGET}/lines/{id}/measures");
    let over = post(
        app,
        &coordinator,
        &first_edit,
        &link(&first_id),
        vec![("amount_1", "90 000".into()), ("amount_2", "20 000".into())],
    )
    .await;
    assert_eq!(over.status().as_u16(), 422);
    let html = over.text().await.unwrap();
    assert!(html.contains("dépassent les AE prévues"), "{html}");
    assert!(html.contains("value=\"90 000\""), "what was typed is kept");
    let bad = post(
        app,
        &coordinator,
        &first_edit,
        &link(&first_id),
        vec![("amount_1", "beaucoup".into())],
    )
    .await;
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("Mesure 1 — Former les professionnels : indiquez un montant")
    );
    let linked = post(
        app,
        &coordinator,
        &first_edit,
        &link(&first_id),
        vec![
            ("amount_1", "60 000".into()),
            ("amount_2", "40000".into()),
            ("amount_3", String::new()),
        ],
    )
    .await;
    assert_eq!(
        location(&linked),
        format!("{BUDGET}?year=2020&done=budget-measures-linked")
    );
    let second_edit = format!("{BUDGET}/lines/{second_id}");
    post(
        app,
        &coordinator,
        &second_edit,
        &link(&second_id),
        vec![("amount_2", "50 000".into())],
    )
    .await;
    // Lowering the planned AE below what is assigned is refused.
    let lowered = post(
        app,
        &coordinator,
        &first_edit,
        &first_edit,
        line(
            "2020",
            "137",
            "15",
            prevention,
            "intervention",
            ["10 000", "0", "0", "0"],
        ),
    )
    .await;
    assert_eq!(lowered.status().as_u16(), 422);

    // A grant: refused without a beneficiary nor a measure, then saved.
    let grant_form = format!("{BUDGET}/grants/new");
    let grants = format!("{BUDGET}/grants");
    let refused = post(
        app,
        &coordinator,
        &grant_form,
        &grants,
        vec![
            ("year", "2020".into()),
            ("amount", "5 000".into()),
            ("measure", String::new()),
        ],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Indiquez un intitulé.") && html.contains("Choisissez une mesure du plan."));
    assert!(html.contains("value=\"5 000\""));
    let granted = post(
        app,
        &coordinator,
        &grant_form,
        &grants,
        vec![
            ("year", "2020".into()),
            ("beneficiary", "Association Passerelle (fictive)".into()),
            ("amount", "5 000".into()),
            ("measure", "3".into()),
            ("line", String::new()),
        ],
    )
    .await;
    assert_eq!(
        location(&granted),
        format!("{BUDGET}?year=2020&done=budget-grant-added")
    );

    // The year's planned costs are the annual plan's: measure 3 has none
    // for 2020 (nor a plan-level one), measure 2 has one for 2021 only.
    for (number, year, cost) in [(1, 2020, "100 000"), (2, 2020, "50 000"), (2, 2021, "7")] {
        let path = format!("/coordination/plans/PNLTEH-2/years/{year}/measures/{number}");
        let (_, form) = app.get(&coordinator, &path).await;
        let saved = coordinator
            .post(app.url(&format!("{path}/money")))
            .form(&[
                ("csrf", csrf_of(&form)),
                ("version", "0".to_owned()),
                ("cost_eur", cost.to_owned()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&saved), format!("{path}?done=annual-money-saved"));
    }

    // The rates, exact, and the planned cost against the funding.
    let (_, page) = app
        .get(&rapporteur, &format!("{BUDGET}?year=2020&done=budget-grant-added"))
        .await;
    assert!(page.contains("La subvention est enregistrée."));
    let rate = |label: &str, rest: &str| format!("<th scope=\"row\">{label}</th>{rest}");
    let e = |amount: &str| format!("{}\u{a0}€", amount.replace(' ', "\u{202f}"));
    for (label, planned, done, rate_text) in [
        ("Autorisations d’engagement (AE)", "150 000", "112 500", "75\u{a0}%"),
        ("Crédits de paiement (CP)", "130 000", "30 000", "23,1\u{a0}%"),
        ("Programme 137", "100 000", "62 500", "62,5\u{a0}%"),
        ("Programme 177", "50 000", "10 000", "20\u{a0}%"),
        (
            "Mesure 1 — Former les professionnels",
            "60 000",
            "37 500",
            "62,5\u{a0}%",
        ),
        (
            "Mesure 2 — Ouvrir des places d&#39;hébergement",
            "90 000",
            "75 000",
            "83,3\u{a0}%",
        ),
        (
            "Mesure 2 — Ouvrir des places d&#39;hébergement",
            "82 000",
            "18 000",
            "22\u{a0}%",
        ),
    ] {
        let expected = rate(
            label,
            &format!("<td>{}</td><td>{}</td><td>{rate_text}</td>", e(planned), e(done)),
        );
        let alternative = expected.replace("&#39;", "&#x27;");
        assert!(
            page.contains(&expected) || page.contains(&alternative),
            "{expected} in {page}"
        );
    }
    assert!(page.contains("Manque 40\u{202f}000\u{a0}€"), "measure 1 lacks 40 000 €");
    assert!(
        page.contains("Dépasse de 40\u{202f}000\u{a0}€"),
        "measure 2 is over by 40 000 €"
    );
    assert!(page.contains("Les mesures sous-financées manquent ensemble de 40\u{202f}000\u{a0}€."));
    assert!(page.contains("1 mesures n’ont pas de coût prévu pour cette année dans le plan annuel."));
    assert!(page.contains("Coût prévu pour 2020"));
    assert!(page.contains("<th scope=\"row\">Association Passerelle (fictive)</th>"));
    assert!(page.contains(
        "<caption id=\"programme-137-caption\">Programme 137 — Égalité entre les femmes et les hommes</caption>"
    ));
    assert!(
        !page.contains("Ajouter une ligne budgétaire"),
        "the rapporteur reads only"
    );
    assert!(page.contains("<svg role=\"img\" aria-labelledby=\"measures-ae-caption\""));
    let (_, other_year) = app.get(&rapporteur, &format!("{BUDGET}?year=2021")).await;
    assert!(other_year.contains("Aucune ligne budgétaire pour 2021."));
    assert!(
        other_year.contains("Manque 7\u{a0}€") && other_year.contains("2 mesures n’ont pas de coût prévu"),
        "2021 compares its own cost with its own (absent) funding: {other_year}"
    );

    // The CSV exports, formula-like cells neutralised.
    let csv = coordinator
        .get(app.url(&format!("{BUDGET}/lines.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("year,programme,programme_label,action,action_label,nature,ae_planned_eur"));
    assert!(
        csv.contains("2020,137,Égalité entre les femmes et les hommes,15,Prévention et lutte contre la traite,intervention,100000.00,62500.00,80000.00,20000.00,1:60000.00;2:40000.00"),
        "{csv}"
    );
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\",operating,50000.00"),
        "{csv}"
    );
    let grants_csv = rapporteur
        .get(app.url(&format!("{BUDGET}/grants.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        grants_csv,
        "year,beneficiary,amount_eur,measure,line\n2020,Association Passerelle (fictive),5000.00,3,\n"
    );

    // Who may do what.
    for path in [new.clone(), first_edit.clone(), grant_form.clone()] {
        let (status, _) = app.get(&rapporteur, &path).await;
        assert_eq!(status, 403, "{path}");
    }
    let (_, page) = app.get(&rapporteur, BUDGET).await;
    let refused = rapporteur
        .post(app.url(&lines))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403, "the rapporteur adds no line");
    let responder = app.sign_in(&app.responder).await;
    let (status, _) = app.get(&responder, BUDGET).await;
    assert_eq!(status, 403, "a first responder does not see plans");
    let (status, _) = app.get(&coordinator, "/coordination/plans/INCONNU/budget").await;
    assert_eq!(status, 404);
    let (status, _) = app.get(&coordinator, &format!("{BUDGET}/lines/0000")).await;
    assert_eq!(status, 404);
}
