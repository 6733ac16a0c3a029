//! The observatory's consolidated statistics (issue 14, part 5): an analyst imports an
//! aggregated table and pseudonymised records like the demo's, then reads each source by
//! year and dimension — the year's table and bars, the trend, the map by département — with
//! the source's definitions, and never a figure under the threshold.

use super::harness::TestApp;
use super::observatory::{fields, upload};

pub const VICTIMS: &str = r#"{
  "fields": [
    {"name": "annee", "type": "year", "constraints": {"required": true}},
    {"name": "forme", "type": "string", "constraints": {"required": true}},
    {"name": "sexe", "type": "string", "constraints": {"enum": ["F", "M"]}},
    {"name": "victimes", "type": "integer", "constraints": {"required": true, "minimum": 0}}
  ],
  "primaryKey": ["annee", "forme", "sexe"]
}"#;

const RECORDS: &str = r#"{
  "fields": [
    {"name": "pseudonyme", "type": "string", "constraints": {"required": true}},
    {"name": "annee", "type": "year", "constraints": {"required": true}},
    {"name": "departement", "type": "string"}
  ],
  "primaryKey": ["pseudonyme"]
}"#;

pub async fn source(app: &TestApp, analyst: &reqwest::Client, code: &str, kind: &str, schema: &str, file: &str) {
    let name = format!("{code} (fictif)");
    let mut form = fields(code, &name, schema);
    form[4] = ("data_kind", kind);
    let created = app
        .submit(analyst, "/observatory/sources/new", "/observatory/sources", &form)
        .await;
    assert_eq!(created.status().as_u16(), 303);
    let imported = upload(app, analyst, code, "fictif.csv", file.as_bytes(), "").await;
    assert_eq!(imported.status().as_u16(), 303, "{}", imported.text().await.unwrap());
}

/// The figures of a page's table cells, in order.
pub fn cells(html: &str, table: &str) -> Vec<String> {
    let start = html.find(&format!("<table id=\"{table}\"")).unwrap();
    let end = start + html[start..].find("</table>").unwrap();
    html[start..end]
        .split("<td")
        .skip(1)
        .map(|c| c[c.find('>').unwrap() + 1..].split("</td>").next().unwrap().to_owned())
        .collect()
}

pub async fn an_analyst_reads_a_source_by_year_dimension_trend_and_map(app: &TestApp) {
    let analyst = app.sign_in(&app.analyst).await;
    let (status, html) = app.get(&analyst, "/observatory/statistics").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"statistics-message\""),
        "nothing imported yet: {html}"
    );

    let victims = [
        "annee;forme;sexe;victimes",
        "2023;sexual;F;1100",
        "2023;sexual;M;90",
        "2023;labour;F;30",
        "2023;labour;M;150",
        "2023;forced-begging;F;9",
        "2023;forced-begging;M;8",
        "2024;sexual;F;1234",
        "2024;sexual;M;95",
        "2024;labour;F;41",
        "2024;labour;M;160",
        "2024;forced-begging;F;2",
    ]
    .join("\n");
    source(app, &analyst, "victimes-stats", "aggregated", VICTIMS, &victims).await;

    let (status, html) = app.get(&analyst, "/observatory").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("href=\"/observatory/statistics\""),
        "the home links the statistics"
    );

    let (status, html) = app
        .get(
            &analyst,
            "/observatory/statistics?source=victimes-stats&dimension=form&year=2024",
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Forme d’exploitation en 2024"), "{html}");
    assert!(
        html.contains("<th scope=\"row\">Exploitation sexuelle</th><td>1\u{202f}329</td>"),
        "{html}"
    );
    let year = cells(&html, "year-table");
    // Forced begging: 2 (under 5); labour, the smallest other figure, hidden with it.
    assert_eq!(year, ["&#60;5", "x", "1\u{202f}329", "1\u{202f}532"], "{year:?}");
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<title id=\"year-svg-title\">"));
    assert!(
        html.contains("Une victime par procédure"),
        "the source's definitions beside the figures"
    );
    let trend = cells(&html, "trend-table");
    assert_eq!(trend.len(), 4 * 3, "three forms and the total, two years and the total");
    assert_eq!(
        &trend[9..],
        ["1\u{202f}387", "1\u{202f}532", "2\u{202f}919"],
        "{trend:?}"
    );
    assert!(
        !year.contains(&"2".to_owned()) && !trend.contains(&"2".to_owned()),
        "{trend:?}"
    );
    assert!(
        trend.contains(&"x".to_owned()),
        "the small figure cannot be worked out from its row"
    );
    assert!(!html.contains("id=\"map\""), "a map only by département");

    let (_, html) = app
        .get(&analyst, "/observatory/statistics?source=victimes-stats&dimension=sex")
        .await;
    assert!(html.contains("Sexe en 2024"), "the latest year by default");
    assert!(html.contains("<th scope=\"row\">Femme</th>"));

    let mut records = vec!["pseudonyme,annee,departement".to_owned()];
    for (year, departement, n) in [
        (2023, "75", 9),
        (2023, "13", 5),
        (2023, "974", 6),
        (2023, "93", 8),
        (2024, "75", 12),
        (2024, "13", 7),
        (2024, "974", 2),
        (2024, "93", 6),
        (2024, "", 1),
    ] {
        for i in 0..n {
            records.push(format!("P-{year}-{departement}-{i},{year},{departement}"));
        }
    }
    source(
        app,
        &analyst,
        "personnes-stats",
        "records",
        RECORDS,
        &records.join("\n"),
    )
    .await;
    let (status, html) = app
        .get(
            &analyst,
            "/observatory/statistics?source=personnes-stats&dimension=departement&year=2024",
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"map\""), "{html}");
    assert!(html.contains("<title id=\"map-svg-title\">Carte par département en 2024</title>"));
    assert!(html.contains("<th scope=\"row\">75 — Paris</th><td>12</td>"), "{html}");
    assert!(
        html.contains("974 La Réunion : &#60;5"),
        "a hollow mark for the hidden figure"
    );
    assert!(html.contains("class=\"hidden-mark\""));
    let year = cells(&html, "year-table");
    assert!(
        html.contains("<th scope=\"row\">Non renseigné</th><td>&#60;5</td>"),
        "{html}"
    );
    assert_eq!(
        year.last().unwrap(),
        "28",
        "the year's people, with a département or not"
    );
    assert!(!year.contains(&"2".to_owned()), "{year:?}");
}
