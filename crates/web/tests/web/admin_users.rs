//! The user list and a user's page, as an administrator reads them (issue 16, part 9).

use super::harness::{TestApp, csrf_of};

/// The id in the user list's link to `display_name`'s page.
fn user_id(html: &str, display_name: &str) -> String {
    let marker = "/admin/users/";
    html.split(marker)
        .skip(1)
        .find(|rest| rest.contains(&format!("\">{display_name}</a>")) && rest.find('"') == Some(32))
        .map(|rest| rest[..32].to_owned())
        .expect("a link to the user's page")
}

pub async fn administrators_search_users_and_see_last_sign_in_and_second_factor(app: &TestApp) {
    // The responder signs in with the second factor; the analyst never signs in.
    app.sign_in(&app.responder).await;
    let admin = app.sign_in(&app.admin).await;
    let (status, html) = app.get(&admin, "/admin/users").await;
    assert_eq!(status, 200);
    assert!(html.contains("Dernière connexion") && html.contains("Double authentification"));
    assert!(html.contains("Jamais connecté"), "the analyst never signed in");
    assert!(
        html.contains("15 janvier 2027 à 9\u{a0}h\u{a0}00"),
        "the sign-ins are shown in words, Paris time"
    );
    assert!(!html.contains("Comptes suivants"), "one page only");

    let (_, found) = app.get(&admin, "/admin/users?q=RESPONDER").await;
    assert!(found.contains("responder@relais.test</a>"));
    assert!(
        !found.contains("analyst@relais.test</a>"),
        "the search keeps the matching accounts"
    );
    assert!(found.contains("Comptes correspondant à « RESPONDER »"));
    let (_, none) = app.get(&admin, "/admin/users?q=%25").await;
    assert!(none.contains("Aucun compte ne correspond."), "a % is taken literally");

    // Each role says what it lets its holder do.
    let id = user_id(&html, "analyst@relais.test");
    let page = format!("/admin/users/{id}");
    let (_, detail) = app.get(&admin, &page).await;
    assert!(detail.contains("Traite la file d’orientation de l’autorité d’identification"));
    assert!(detail.contains("Jamais connecté"));

    // An identification officer's role in a gendarmerie brigade is confirmed first.
    let roles = format!("{page}/roles");
    let unconfirmed = app
        .submit(
            &admin,
            &page,
            &roles,
            &[("roles", "analyst"), ("roles", "identification-officer")],
        )
        .await;
    assert_eq!(unconfirmed.status().as_u16(), 422);
    let body = unconfirmed.text().await.unwrap();
    assert!(body.contains("Agent d&#39;identification") || body.contains("Agent d'identification"));
    assert!(body.contains("Confirmez le rôle inhabituel, ou retirez-le."));
    assert!(
        body.contains("id=\"role-identification-officer\" name=\"roles\" value=\"identification-officer\" checked")
    );
    let confirmed = app
        .submit(
            &admin,
            &page,
            &roles,
            &[
                ("roles", "analyst"),
                ("roles", "identification-officer"),
                ("confirm_unusual", "yes"),
            ],
        )
        .await;
    assert_eq!(confirmed.status().as_u16(), 303);
    let (_, after) = app.get(&admin, &format!("{page}?done=user-updated")).await;
    assert!(after.contains("fr-alert--success"), "a success notice");
    // Saving again keeps the role without asking: it is no longer new.
    let (_, form) = app.get(&admin, &page).await;
    let again = admin
        .post(app.url(&roles))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("roles", "analyst"),
            ("roles", "identification-officer"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 303);
    let (_, audit) = app
        .get(&admin, "/admin/audit.csv?action=user.unusual_role_confirmed")
        .await;
    assert_eq!(audit.lines().count(), 2, "a header and one confirmation: {audit}");
    assert!(audit.contains("Confirmation d’un rôle inhabituel"));
}
