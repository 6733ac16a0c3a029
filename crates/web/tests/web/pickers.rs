//! Pickers, not codes (issue 16, part 2): a birth date in three fields, the
//! nationality from a country list, languages from ISO 639-3, départements
//! with their names; stored values keep their form, older free text still shows.

use super::cases_flow::{accept, author_and_officer};
use super::harness::TestApp;
use super::referrals::{new_draft, step};
use super::triage::{details, referral};

/// Where `needle` first appears in `html` (panics with the needle when absent).
fn at(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("{needle} not in the page"))
}

pub async fn a_referral_takes_a_birth_date_in_three_fields_and_codes_from_lists(app: &TestApp) {
    let client = app.sign_in(&app.responder).await;
    let id = new_draft(app, &client).await;
    let (_, html) = app.get(&client, &format!("/referrals/{id}/steps/person")).await;
    // Three labelled numeric fields in a fieldset, no ISO pattern to type.
    assert!(html.contains("<legend class=\"fr-fieldset__legend\" id=\"birth_date-legend\">Date de naissance"));
    for part in ["day", "month", "year"] {
        assert!(html.contains(&format!("id=\"birth_date_{part}\" name=\"birth_date_{part}\"")));
    }
    assert!(html.contains("inputmode=\"numeric\"") && !html.contains("AAAA"));
    // Countries in French order, accents folded; départements with their names.
    assert!(at(&html, ">Danemark<") < at(&html, ">Égypte<") && at(&html, ">Égypte<") < at(&html, ">Érythrée<"));
    assert!(at(&html, ">Érythrée<") < at(&html, ">Espagne<"));
    assert!(html.contains("<option value=\"13\">13 — Bouches-du-Rhône</option>"));
    assert!(html.contains("<option value=\"976\">976 — Mayotte</option>"));

    let person = [
        ("family_name", "Osagie"),
        ("age", "adult"),
        ("sex", "female"),
        ("nationality", "NGA"),
        ("departement", "13"),
    ];
    // A day without a month names the question; what was typed stays.
    let mut wrong = person.to_vec();
    wrong.extend([
        ("birth_date_day", "4"),
        ("birth_date_month", ""),
        ("birth_date_year", "1999"),
    ]);
    let (status, _, html) = step(app, &client, &id, "person", &wrong).await;
    assert_eq!(status, 422);
    assert!(html.contains("Indiquez le mois de naissance, ou laissez le jour vide."));
    assert!(
        html.contains("href=\"#birth_date_month\""),
        "the summary leads to the field"
    );
    assert!(
        html.contains("id=\"error-summary\" tabindex=\"-1\" autofocus"),
        "the summary takes the focus"
    );
    assert!(html.contains("value=\"4\"") && html.contains("value=\"1999\""));
    assert!(html.contains("<option value=\"NGA\" selected>Nigeria</option>"));
    let mut future = person.to_vec();
    future.extend([
        ("birth_date_day", ""),
        ("birth_date_month", ""),
        ("birth_date_year", "2031"),
    ]);
    let (status, _, html) = step(app, &client, &id, "person", &future).await;
    assert_eq!(status, 422);
    assert!(html.contains("La date de naissance ne peut pas être dans le futur."));

    let mut right = person.to_vec();
    right.extend([
        ("birth_date_day", "4"),
        ("birth_date_month", "3"),
        ("birth_date_year", "1999"),
    ]);
    let (status, _, _) = step(app, &client, &id, "person", &right).await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&client, &format!("/referrals/{id}/steps/languages")).await;
    assert!(html.contains("<option value=\"bin\">Edo (bini)</option>"));
    assert!(html.contains("<option value=\"pcm\">Pidgin nigérian</option>"));
    assert!(html.contains("<option value=\"tir\">Tigrinya</option>") && html.contains("multiple"));
    let languages = [
        ("languages", "bin"),
        ("languages", "pcm"),
        ("interpreter_needed", "yes"),
        ("interpreter_language", "bin"),
    ];
    let (status, _, _) = step(app, &client, &id, "languages", &languages).await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&client, &format!("/referrals/{id}/steps/languages")).await;
    assert!(html.contains("<option value=\"bin\" selected>") && html.contains("<option value=\"pcm\" selected>"));

    // The period of exploitation is asked the same way; its end names the field.
    let places = [
        ("location", "france"),
        ("places", "Marseille"),
        ("period_start_day", ""),
        ("period_start_month", ""),
        ("period_start_year", "2025"),
        ("period_end_day", "3"),
        ("period_end_month", "2"),
        ("period_end_year", "2024"),
    ];
    let (status, _, html) = step(app, &client, &id, "places", &places).await;
    assert_eq!(status, 422);
    assert!(html.contains("La fin ne peut pas précéder le début.") && html.contains("href=\"#period_end_year\""));
    assert!(html.contains("id=\"period_start_year\" name=\"period_start_year\" value=\"2025\""));
    assert!(!html.contains("AAAA"));

    // Check your answers reads names and a day in words, not codes.
    let (_, html) = app.get(&client, &format!("/referrals/{id}/check")).await;
    assert!(html.contains("4 mars 1999") && html.contains("Nigeria"));
    assert!(html.contains("13 — Bouches-du-Rhône"));
    assert!(html.contains("Edo (bini), Pidgin nigérian"));
    assert!(html.contains("3 février 2024"), "the period's end in words");

    // The stored form is unchanged: codes and YYYY-MM-DD.
    let resumed = app.get(&client, &format!("/referrals/{id}/steps/person")).await.1;
    assert!(resumed.contains("value=\"4\"") && resumed.contains("value=\"3\""));

    // In English, the lists are in English and in English order.
    let switch = app
        .submit(
            &client,
            "/referrals",
            "/language",
            &[("lang", "en"), ("next", "/referrals")],
        )
        .await;
    assert_eq!(switch.status().as_u16(), 303);
    let (_, html) = app.get(&client, &format!("/referrals/{id}/steps/person")).await;
    assert!(html.contains("<option value=\"DEU\">Germany</option>"));
    assert!(at(&html, ">Germany<") < at(&html, ">Ghana<"));
    let (_, html) = app.get(&client, &format!("/referrals/{id}/check")).await;
    assert!(html.contains("Nigerian Pidgin") && html.contains("4 March 1999"));
}

pub async fn free_text_stored_before_the_lists_still_shows(app: &TestApp) {
    let client = app.sign_in(&app.responder).await;
    let id = new_draft(app, &client).await;
    // A draft whose languages were typed as text before the list existed.
    let (status, _, _) = step(
        app,
        &client,
        &id,
        "languages",
        &[("languages", "anglais, pidgin"), ("interpreter_needed", "no")],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&client, &format!("/referrals/{id}/steps/languages")).await;
    assert!(
        html.contains("<option value=\"anglais, pidgin\" selected>anglais, pidgin</option>"),
        "kept as the chosen option, so saving again loses nothing"
    );
    let (_, html) = app.get(&client, &format!("/referrals/{id}/check")).await;
    assert!(html.contains("anglais, pidgin"));
}

pub async fn the_case_record_takes_three_date_fields_and_lists(app: &TestApp) {
    let ((_, author), officer) =
        author_and_officer(app, "pickers-author@relais.test", "pickers-officer@relais.test").await;
    let id = referral(app, &author, &details("Haile", "13", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let people = format!("/cases/{case}/file/people");
    let (_, html) = app.get(&owner, &people).await;
    assert!(html.contains("id=\"birth_date_year\" name=\"birth_date_year\" value=\"1999\""));
    assert!(html.contains("<option value=\"BGR\" selected>Bulgarie</option>"));
    assert!(
        html.contains("<option value=\"bulgare\" selected>bulgare</option>"),
        "free text kept"
    );

    let form = |month: &'static str| {
        vec![
            ("family_name", "Haile"),
            ("birth_date_day", "12"),
            ("birth_date_month", month),
            ("birth_date_year", "2001"),
            ("nationality", "ERI"),
            ("languages", "tir"),
            ("languages", "ara"),
        ]
    };
    let refused = app
        .submit(&owner, &people, &format!("{people}/person"), &form("14"))
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Indiquez un mois de naissance entre 1 et 12.") && html.contains("value=\"14\""));
    assert!(html.contains("<option value=\"tir\" selected>Tigrinya</option>"));
    let saved = app
        .submit(&owner, &people, &format!("{people}/person"), &form("2"))
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let (_, html) = app.get(&owner, &people).await;
    assert!(html.contains("<option value=\"ERI\" selected>Érythrée</option>"));
    assert!(html.contains("<option value=\"tir\" selected>") && html.contains("<option value=\"ara\" selected>"));
    assert!(html.contains("value=\"12\"") && html.contains("value=\"2\""));

    // The safe-placement request starts from these languages, as the directory declares them.
    let (_, html) = app.get(&owner, &format!("/cases/{case}/onward/placement")).await;
    assert!(html.contains("id=\"languages\" name=\"languages\" value=\"ti ar\""));

    // The cases list and the case page name the département.
    let (_, html) = app.get(&owner, "/cases").await;
    assert!(html.contains("13 — Bouches-du-Rhône"));
    let (_, html) = app.get(&owner, &format!("/cases/{case}")).await;
    assert!(html.contains("13 — Bouches-du-Rhône"));
    let (_, html) = app.get(&owner, "/triage").await;
    assert!(html.contains("<option value=\"13\">13 — Bouches-du-Rhône</option>"));
}
