//! Screening that follows the declared forms (issue 16, part 4): a sexual-exploitation referral
//! is asked its UNODC checklist and the form-independent Delphi dimensions and gets no verdict —
//! the officer decides, with the "yes" answers listed by dimension as labels; a labour referral
//! keeps the rule and says which questions would decide an insufficient result.

use super::harness::{TestApp, csrf_of, location};
use super::triage;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::intake::screening::Answer;

const PERSON: &[(&str, &str)] = &[
    ("family_name", "Ivanova"),
    ("given_names", "Mila"),
    ("birth_date", "1998"),
    ("age", "adult"),
    ("sex", "female"),
    ("nationality", "bgr"),
    ("departement", "31"),
];

/// Debt bondage, a confiscated passport, isolation and forced clients: the defect's eight "yes".
const EIGHT_YES: [&str; 8] = [
    "coercive_recruitment/debt-bondage",
    "coercive_recruitment/confiscation-of-documents",
    "coercive_recruitment/isolation-confinement-surveillance",
    "coercion_at_destination/confiscation-of-documents",
    "coercion_at_destination/debt-bondage",
    "coercion_at_destination/isolation-confinement-surveillance",
    "coercion_at_destination/forced-tasks-or-clients",
    "unodc_sexual_exploitation/no-identity-document",
];

async fn draft_with_forms(app: &TestApp, client: &reqwest::Client, forms: &[&str]) -> String {
    let response = app.submit(client, "/referrals", "/referrals", &[]).await;
    let id = location(&response)
        .trim_start_matches("/referrals/")
        .trim_end_matches("/steps/person")
        .to_owned();
    for (step, fields) in [
        ("person", PERSON.to_vec()),
        ("exploitation", forms.iter().map(|f| ("forms", *f)).collect()),
    ] {
        let path = format!("/referrals/{id}/steps/{step}");
        let mut all = fields.clone();
        all.push(("action", "save"));
        let response = app.submit(client, &path, &path, &all).await;
        assert_eq!(response.status().as_u16(), 303, "{step}");
    }
    id
}

async fn live(app: &TestApp, client: &reqwest::Client, id: &str, answers: &[(String, &str)]) -> String {
    let (_, html) = app.get(client, &format!("/referrals/{id}/steps/indicators")).await;
    let csrf = csrf_of(&html);
    let mut form = vec![("csrf".to_owned(), csrf)];
    form.extend(answers.iter().map(|(k, v)| (k.clone(), (*v).to_owned())));
    let response = client
        .post(app.url(&format!("/referrals/{id}/screening")))
        .header("HX-Request", "true")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.unwrap()
}

fn no_keys(html: &str) {
    for key in [
        "coercion_at_destination",
        "coercive_recruitment",
        "debt-bondage",
        "unodc_",
    ] {
        assert!(
            !html.contains(&format!(">{key}")) && !html.contains(&format!("{key}<")),
            "raw key {key}"
        );
    }
}

pub async fn a_sexual_exploitation_referral_gets_its_checklist_and_no_verdict(app: &TestApp) {
    let client = app.sign_in(&app.responder).await;
    let id = draft_with_forms(app, &client, &["sexual"]).await;

    // The questions follow the form: the checklist with its definition, recruitment and
    // coercion, not the conditions of work; the result sits in a sticky, announced panel.
    let (status, html) = app.get(&client, &format!("/referrals/{id}/steps/indicators")).await;
    assert_eq!(status, 200);
    let html = html.replace("&#39;", "'");
    assert!(html.contains("Signes d'exploitation sexuelle (ONUDC)"));
    assert!(
        html.contains("Exploitation de la prostitution d'autrui"),
        "the group's definition"
    );
    assert!(html.contains("Recrutement sous la contrainte") && html.contains("Contrainte à destination"));
    assert!(
        !html.contains("Conditions de travail relevant de l"),
        "labour-only dimension not asked"
    );
    assert!(html.contains("relais-screening-panel") && html.contains("aria-live=\"polite\""));
    assert!(html.contains("a:unodc_sexual_exploitation/no-identity-document"));

    let answers: Vec<(String, &str)> = EIGHT_YES.iter().map(|k| (format!("a:{k}"), "yes")).collect();
    let fragment = live(app, &client, &id, &answers).await;
    assert!(fragment.contains("Pas de présomption automatique"), "{fragment}");
    assert!(fragment.contains("Aucune règle validée") && fragment.contains("Exploitation sexuelle"));
    assert!(!fragment.contains("Informations insuffisantes") && !fragment.contains("informations insuffisantes"));
    assert!(fragment.contains("Servitude pour dettes") && fragment.contains("Tâches ou clients imposés"));
    assert!(fragment.replace("&#39;", "'").contains("N'a pas de pièce d'identité"));
    no_keys(&fragment);

    // Check your answers: the "yes" by dimension, as labels.
    let (_, html) = app.get(&client, &format!("/referrals/{id}/check")).await;
    assert!(html.contains("Indicateurs observés (oui) — Contrainte à destination"));
    assert!(html.contains("Tâches ou clients imposés"));
    no_keys(&html);

    // A labour referral keeps the rule; its insufficient result names the deciding questions.
    let labour = draft_with_forms(app, &client, &["labour"]).await;
    let fragment = live(
        app,
        &client,
        &labour,
        &[("a:coercion_at_destination/debt-bondage".to_owned(), "yes")],
    )
    .await;
    assert!(fragment.contains("Informations insuffisantes"));
    assert!(fragment.contains("Informations manquantes") && fragment.contains("<details"));
    assert!(fragment.contains("Journées ou heures de travail excessives"));
    no_keys(&fragment);

    // Triage shows the labels grouped by dimension, never the keys.
    let (officer, _) = triage::user(
        app,
        OrganisationType::IdentificationAuthority,
        "officer-screening@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    let (_, author) = triage::user(
        app,
        OrganisationType::Association,
        "author-screening@relais.test",
        Role::FirstResponder,
    )
    .await;
    let mut details = triage::details("Ivanova", "31", false);
    details.forms = vec!["sexual".into()];
    for key in EIGHT_YES {
        details.answers.insert(key.to_owned(), Answer::Yes);
    }
    let item = triage::referral(app, &author, &details).await;
    let officer = app.sign_in(&officer).await;
    let (status, html) = app.get(&officer, &format!("/triage/{item}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Contrainte à destination") && html.contains("Servitude pour dettes"));
    assert!(
        html.replace("&#39;", "'")
            .contains("L'officier d'identification décide")
    );
    no_keys(&html);
}
