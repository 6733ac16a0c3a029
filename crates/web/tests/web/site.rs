//! The public frame of every page (issue 16, part 8): the footer's legal
//! pages, the quick exit and the emergency numbers on the public pages, and
//! page titles that name the page.

use super::harness::TestApp;

pub async fn the_footer_leads_to_the_four_legal_pages_naming_the_publisher(app: &TestApp) {
    let client = app.client();
    let (status, landing) = app.get(&client, "/").await;
    assert_eq!(status, 200);
    assert!(
        landing.contains("<title>Accueil — Relais</title>"),
        "the landing page names itself"
    );
    for (href, label) in [
        ("/accessibilite", "Accessibilité : non conforme"),
        ("/mentions-legales", "Mentions légales"),
        ("/donnees-personnelles", "Données personnelles"),
        ("/cookies", "Gestion des cookies"),
    ] {
        assert!(
            landing.contains(&format!("href=\"{href}\">{label}</a>")),
            "footer link {href}"
        );
        let (status, html) = app.get(&client, href).await;
        assert_eq!(status, 200, "{href} is public");
        assert!(
            html.contains("</h1>") && html.contains("<h2>"),
            "{href} has its sections"
        );
    }
    let (_, notice) = app.get(&client, "/mentions-legales").await;
    assert!(
        notice.contains("Relais (instance de démonstration)") && notice.contains("contact@relais.invalid"),
        "the legal notice names the configured publisher and contact"
    );
    let (_, statement) = app.get(&client, "/accessibilite").await;
    assert!(statement.contains("non conforme") && statement.contains("Défenseur des droits"));
    let (_, data) = app.get(&client, "/donnees-personnelles").await;
    assert!(
        data.contains("id=\"retention-schedule\"") && data.contains("5 ans"),
        "the personal-data page shows the configured retention schedule"
    );
    let (_, cookies) = app.get(&client, "/cookies").await;
    assert!(cookies.contains("Le cookie de session") && !cookies.contains("relais_session"));
    let english = app.client();
    let page = english
        .get(app.url("/accessibilite"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Accessibility statement") && page.contains("not compliant"));
}

pub async fn public_pages_offer_a_quick_exit_and_callable_emergency_numbers(app: &TestApp) {
    let client = app.client();
    for path in ["/", "/signalement"] {
        let (status, html) = app.get(&client, path).await;
        assert_eq!(status, 200);
        assert!(html.contains("data-quick-exit"), "{path}: a quick exit");
        assert!(
            html.contains("/assets/quick-exit.js"),
            "{path}: the quick exit's script"
        );
        for number in ["tel:17", "tel:112", "tel:115", "tel:119", "tel:3919", "sms:114"] {
            assert!(
                html.contains(&format!("href=\"{number}\"")),
                "{path}: {number} can be called"
            );
        }
    }
    let script = client.get(app.url("/assets/quick-exit.js")).send().await.unwrap();
    assert_eq!(script.status().as_u16(), 200);
    assert!(script.text().await.unwrap().contains("location.replace"));
    let signed_in = app.sign_in(&app.admin).await;
    let (_, dashboard) = app.get(&signed_in, "/dashboard").await;
    assert!(
        !dashboard.contains("data-quick-exit"),
        "professionals' pages have no quick exit"
    );
    assert!(
        dashboard.contains("href=\"/accessibilite\""),
        "the footer is on every page"
    );
}
