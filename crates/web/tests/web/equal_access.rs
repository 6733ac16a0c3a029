//! The equal-access dashboard: figures by group from the cases in scope,
//! small groups shown as "< 5" and never as a count.

use super::cases_flow::{accept, author_and_officer};
use super::harness::TestApp;
use super::triage::{details, referral};

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
        accept(app, &owner, &id).await;
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
    assert!(by_form.contains("<td>8</td>"), "the overall count is shown");

    let first_responder = app.sign_in(&responder).await;
    assert_eq!(app.get(&first_responder, "/statistics/equal-access").await.0, 403);
}
