//! The equal-access dashboard: figures by group from the cases in scope,
//! small groups shown as "< 5" and never as a count.

use super::cases_flow::{accept, author_and_officer};
use super::harness::TestApp;
use super::triage::{details, referral};
use relais_store::testing::execute_raw;

pub async fn small_groups_show_less_than_five_never_a_count(app: &TestApp) {
    let ((responder, author), officer) =
        author_and_officer(app, "equal-author@relais.test", "equal-officer@relais.test").await;
    let owner = app.sign_in(&officer).await;
    // Six cases for labour exploitation, two for sexual exploitation.
    for (i, form) in [
        "labour", "labour", "labour", "labour", "labour", "labour", "sexual", "sexual",
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = details(&format!("Personne{i}"), "93", false);
        d.forms = vec![form.into()];
        let id = referral(app, &author, &d).await;
        let case = accept(app, &owner, &id).await;
        // Six need accommodation, three of them housed; six applied for a
        // residence card, granted 30 days later (the reflection receipt is not counted).
        if i < 6 {
            let met = if i < 3 { "1" } else { "0" };
            let sql = format!(
                "INSERT INTO need_assessments (id, case_id, assessed_on, created_at, needs, has_accommodation_need, \
                 accommodation_met) VALUES ('na{i}', '{case}', '2026-02-01', 0, 'sealed', 1, {met})"
            );
            execute_raw(&app.store, &sql).await.unwrap();
            for (kind, n) in [("temporary-residence-card", "p"), ("reflection-receipt", "r")] {
                let sql = format!(
                    "INSERT INTO permits (id, case_id, kind, applied_on, decided_on, outcome, created_at, updated_at) \
                     VALUES ('{n}{i}', '{case}', '{kind}', '2026-01-01', '2026-01-31', 'granted', 0, 0)"
                );
                execute_raw(&app.store, &sql).await.unwrap();
            }
        }
    }
    let analyst = app.sign_in(&app.analyst).await;
    let (status, html) = app.get(&analyst, "/statistics/equal-access").await;
    assert_eq!(status, 200);
    let by_form = &html[html.find("id=\"form-title\"").unwrap()..html.find("id=\"sex-title\"").unwrap()];
    let sexual = &by_form[by_form.find("<th scope=\"row\">Exploitation sexuelle").unwrap()..];
    let sexual_row = &sexual[..sexual.find("</tr>").unwrap()];
    assert!(sexual_row.contains("&#60; 5"), "{sexual_row}");
    assert!(
        !sexual_row.contains("<td>2</td>"),
        "the small group's count is never shown"
    );
    // With one small group, the labour group would give it away by
    // subtraction from the overall count: it is hidden too.
    let labour = &by_form[by_form.find("<th scope=\"row\">Exploitation par le travail").unwrap()..];
    assert!(labour[..labour.find("</tr>").unwrap()].contains("&#60; 5"));
    let overall = &by_form[by_form.find("<th scope=\"row\">Ensemble").unwrap()..];
    let overall = &overall[..overall.find("</tr>").unwrap()];
    assert!(overall.contains("<td>8</td>"), "the overall count is shown: {overall}");
    // Housed 3 of 6 in need; applied 6 of 8, granted 6 of 6, in a median 30 days.
    assert!(
        overall.contains("<td>50\u{a0}%</td><td>75\u{a0}%</td><td>100\u{a0}%</td><td>30,0</td>"),
        "{overall}"
    );

    let first_responder = app.sign_in(&responder).await;
    assert_eq!(app.get(&first_responder, "/statistics/equal-access").await.0, 403);
}
