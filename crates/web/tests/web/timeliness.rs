//! The timeliness dashboard follows the statistics pages' one disclosure
//! policy: a group under the threshold shows "< 5", never its figures.

use super::cases_flow::{accept, author_and_officer};
use super::harness::TestApp;
use super::triage::{details, referral};
use relais_store::testing::execute_raw;

/// The rows of one chart's table (from its title to the next chart's).
fn chart<'a>(html: &'a str, id: &str, next: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}-title\"")).unwrap();
    let end = html.find(&format!("id=\"{next}-title\"")).unwrap();
    &html[start..end]
}

pub async fn a_small_group_shows_no_figure_on_the_timeliness_page(app: &TestApp) {
    let ((_, author), officer) =
        author_and_officer(app, "timely-author@relais.test", "timely-officer@relais.test").await;
    let owner = app.sign_in(&officer).await;
    let id = referral(app, &author, &details("Délai", "59", false)).await;
    let case = accept(app, &owner, &id).await;
    // The preliminary decision three and a half days after the referral.
    let sql = format!(
        "UPDATE cases SET preliminary_at = (SELECT r.submitted_at FROM referrals r WHERE r.id = cases.referral_id) \
         + 302400 WHERE id = '{case}'"
    );
    execute_raw(&app.store, &sql).await.unwrap();

    let analyst = app.sign_in(&app.analyst).await;
    let (status, html) = app.get(&analyst, "/statistics/timeliness").await;
    assert_eq!(status, 200);
    let by_departement = chart(&html, "preliminary-by-departement", "preliminary-by-form");
    let row = &by_departement[by_departement.find("<th scope=\"row\">59</th>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert_eq!(row.matches("<td>&#60; 5</td>").count(), 3, "{row}");
    let charts = &html[html.find("id=\"preliminary-by-departement-title\"").unwrap()..];
    assert!(!charts.contains("3,5"), "the small group's wait is never shown");
    let by_form = chart(&html, "preliminary-by-form", "formal-by-departement");
    assert!(by_form.contains("<td>&#60; 5</td>") && !by_form.contains("<td>1</td>"));

    // The same data with a threshold of one: the figures were there to hide.
    let groups_of_one = app.another_process(|s| s.statistics.min_group = 1).await;
    let (_, html) = groups_of_one.get(&analyst, "/statistics/timeliness").await;
    let by_departement = chart(&html, "preliminary-by-departement", "preliminary-by-form");
    assert!(
        by_departement.contains("<th scope=\"row\">59</th><td>1</td><td>3,5</td><td>3,5</td>"),
        "{by_departement}"
    );
}

/// Sets the case's preliminary decision `seconds` after its referral.
async fn decided_after(app: &TestApp, case: &str, seconds: i64) {
    let sql = format!(
        "UPDATE cases SET preliminary_at = (SELECT r.submitted_at FROM referrals r WHERE r.id = cases.referral_id) \
         + {seconds} WHERE id = '{case}'"
    );
    execute_raw(&app.store, &sql).await.unwrap();
}

pub async fn the_dashboards_show_kept_figures_with_their_time_until_they_are_stale(app: &TestApp) {
    let ((_, author), officer) = author_and_officer(app, "kept-author@relais.test", "kept-officer@relais.test").await;
    let owner = app.sign_in(&officer).await;
    let id = referral(app, &author, &details("Gardé", "59", false)).await;
    decided_after(app, &accept(app, &owner, &id).await, 302_400).await;
    let kept = app
        .another_process(|s| {
            s.statistics.min_group = 1;
            s.statistics.fresh_minutes = 15;
        })
        .await;
    let analyst = app.sign_in(&app.analyst).await;
    let row = |html: &str| {
        let chart = chart(html, "preliminary-by-departement", "preliminary-by-form");
        let row = &chart[chart.find("<th scope=\"row\">59</th>").unwrap()..];
        row[..row.find("</tr>").unwrap()].to_owned()
    };
    let (status, html) = kept.get(&analyst, "/statistics/timeliness").await;
    assert_eq!(status, 200);
    assert_eq!(
        row(&html),
        "<th scope=\"row\">59</th><td>1</td><td>3,5</td><td>3,5</td>"
    );
    assert!(
        html.contains("ils sont recalculés au plus toutes les 15 minutes"),
        "the freshness is stated"
    );
    let stated = |html: &str| {
        let start = html.find("id=\"statistics-freshness\">").unwrap();
        html[start..start + html[start..].find("</p>").unwrap()].to_owned()
    };
    let first = stated(&html);

    // A second decision a minute later: the page still shows the figures it kept, and their time.
    app.clock.advance(60);
    let id = referral(app, &author, &details("Gardée", "59", false)).await;
    decided_after(app, &accept(app, &owner, &id).await, 129_600).await;
    let (_, html) = kept.get(&analyst, "/statistics/timeliness").await;
    assert_eq!(
        row(&html),
        "<th scope=\"row\">59</th><td>1</td><td>3,5</td><td>3,5</td>"
    );
    assert_eq!(stated(&html), first);
    // Computed on every view (the other process), the figures already count both.
    let (_, html) = app.get(&analyst, "/statistics/timeliness").await;
    assert!(html.contains("à l’ouverture de la page"));

    // Fifteen minutes on, the next view still shows the kept figures at once, and has them
    // computed again in the background: a view a moment later shows the new ones.
    app.clock.advance(15 * 60);
    let (_, mut html) = kept.get(&analyst, "/statistics/timeliness").await;
    assert_eq!(
        row(&html),
        "<th scope=\"row\">59</th><td>1</td><td>3,5</td><td>3,5</td>"
    );
    assert_eq!(stated(&html), first);
    for _ in 0..200 {
        if stated(&html) != first {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        html = kept.get(&analyst, "/statistics/timeliness").await.1;
    }
    assert_eq!(
        row(&html),
        "<th scope=\"row\">59</th><td>2</td><td>2,5</td><td>3,3</td>"
    );
    assert_ne!(stated(&html), first);
    let (status, html) = kept.get(&analyst, "/statistics/equal-access").await;
    assert_eq!(status, 200);
    assert!(html.contains("ils sont recalculés au plus toutes les 15 minutes"));
}
