//! The coordination committee (issue 13, part 4): the coordinator adds
//! members and meetings, records one as held with attendance, minutes,
//! decisions and action items linked to a plan measure, sends the
//! invitations (received by a real SMTP server, with a calendar file), and
//! sees the two warnings of R3 come and go; the public page counts the
//! meetings held and names nobody; other roles are refused.

use super::digest::{Inbox, smtp_server};
use super::harness::{TestApp, location};
use super::triage::user;
use base64::Engine;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::coordination::measure::{Period, PlanCode};
use relais_store::coordination::{self, PlanHeader};
use relais_store::testing::texts;
use relais_store::{Actor, outbox};
use relais_web::jobs::digest::MailSettings;

const PLAN: &str = "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Informer,1,Mobiliser,1,Informer et sensibiliser,MIPROF,,,,,,,,,
1,,1,,2,Créer un site gouvernemental dédié,MIPROF,,,,,,,,,
";

async fn seed_plan(app: &TestApp) {
    let mut tx = app
        .store
        .begin(Actor::system(), "test-setup", app.clock.now())
        .await
        .unwrap();
    let header = PlanHeader {
        code: PlanCode::parse("PNLTEH-2").unwrap(),
        title: "2e plan".into(),
        period: Period::new(2019, 2021).unwrap(),
    };
    coordination::import_as_system(&mut tx, &header, PLAN, true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

const COMMITTEE: &str = "/coordination/committee";

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let response = app.submit(client, page, action, fields).await;
    let status = response.status().as_u16();
    if status == 303 {
        let to = location(&response);
        let (_, html) = app.get(client, &to).await;
        (status, format!("{to}\n{html}"))
    } else {
        (status, response.text().await.unwrap())
    }
}

async fn add_member(app: &TestApp, client: &reqwest::Client, name: &str, category: &str, email: &str) {
    let (status, html) = post(
        app,
        client,
        COMMITTEE,
        "/coordination/committee/members",
        &[
            ("name", name),
            ("category", category),
            ("organisation", "Organisme (fictif)"),
            ("email", email),
        ],
    )
    .await;
    assert_eq!(status, 303, "{html}");
    assert!(html.contains("Le membre a été ajouté."), "{html}");
}

/// Plans a meeting; returns its id.
async fn add_meeting(app: &TestApp, client: &reqwest::Client, date: &str, start: &str, end: &str) -> String {
    let (status, html) = post(
        app,
        client,
        COMMITTEE,
        "/coordination/committee/meetings",
        &[
            ("date", date),
            ("start", start),
            ("end", end),
            ("place", "Paris, salle 2"),
            ("agenda", "1. Bilan\n2. Plan annuel"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{html}");
    let to = html.lines().next().unwrap();
    assert!(to.ends_with("?done=committee-meeting-added"), "{to}");
    to.trim_start_matches("/coordination/committee/meetings/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

async fn member_id(app: &TestApp, email: &str) -> String {
    texts(
        &app.store,
        &format!("SELECT id FROM committee_members WHERE email = '{email}'"),
    )
    .await
    .unwrap()
    .remove(0)
}

pub async fn the_coordinator_records_a_meeting_and_invites_the_members(app: &TestApp) {
    seed_plan(app).await;
    let (coordinator, _) = user(
        app,
        OrganisationType::NationalCoordination,
        "miprof-committee@relais.test",
        Role::Coordinator,
    )
    .await;
    let client = app.sign_in(&coordinator).await;

    // No member and no meeting: both warnings, stated plainly.
    let (status, html) = app.get(&client, COMMITTEE).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"composition-warning\""), "{html}");
    assert!(
        html.contains("Représentants des victimes et Organisations syndicales"),
        "{html}"
    );
    assert!(html.contains("id=\"meetings-warning\""));
    assert!(
        html.contains("En 2027, réunions tenues à ce jour : 0 ; réunions prévues : 0."),
        "{html}"
    );

    // A wrong address is refused, the form keeps what was typed and names the question.
    let (status, html) = post(
        app,
        &client,
        COMMITTEE,
        "/coordination/committee/members",
        &[
            ("name", "Sacha Syndicat"),
            ("category", "trade-union"),
            ("organisation", "Union (fictive)"),
            ("email", "sacha-at-example"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Adresse électronique : indiquez une adresse"), "{html}");
    assert!(html.contains("value=\"Sacha Syndicat\"") && html.contains("href=\"#member-email\""));

    add_member(app, &client, "Ana Association", "association", "ana@asso.test").await;
    add_member(app, &client, "Sacha Syndicat", "trade-union", "sacha@union.test").await;
    let (_, html) = app.get(&client, COMMITTEE).await;
    assert!(
        html.contains("aucun membre actif de ces collèges : Représentants des victimes."),
        "{html}"
    );
    add_member(
        app,
        &client,
        "Noa Témoin",
        "victims-representatives",
        "noa@victimes.test",
    )
    .await;
    let (_, html) = app.get(&client, COMMITTEE).await;
    assert!(
        !html.contains("id=\"composition-warning\""),
        "the composition is complete"
    );
    assert!(html.contains("Ana Association") && html.contains("sacha@union.test"));

    // A meeting on a day that does not exist is refused with the place kept.
    let (status, html) = post(
        app,
        &client,
        COMMITTEE,
        "/coordination/committee/meetings",
        &[
            ("date", "31/02/2027"),
            ("start", "14:00"),
            ("end", "16:30"),
            ("place", "Paris, salle 2"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Date de la réunion : indiquez une date qui existe") && html.contains("value=\"Paris, salle 2\"")
    );

    let meeting = add_meeting(app, &client, "2027-01-20", "14:00", "16:30").await;
    let page = format!("/coordination/committee/meetings/{meeting}");
    let (status, html) = app.get(&client, &page).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Réunion du comité du 20 janvier 2027, de 14:00 à 16:30"),
        "{html}"
    );
    assert!(html.contains("Prévue") && html.contains("2. Plan annuel"));

    // Recorded as held without minutes: refused, the checklist kept.
    let ana = member_id(app, "ana@asso.test").await;
    let noa = member_id(app, "noa@victimes.test").await;
    let record = format!("{page}/record");
    let (status, html) = post(
        app,
        &client,
        &page,
        &record,
        &[("present", &ana), ("held", "true"), ("minutes", " ")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Compte rendu : une réunion tenue a un compte rendu"),
        "{html}"
    );
    assert!(html.contains(&format!("value=\"{ana}\" checked")));
    let (status, html) = post(
        app,
        &client,
        &page,
        &record,
        &[
            ("present", &ana),
            ("present", &noa),
            ("held", "true"),
            ("minutes", "Le comité constate le retard des places."),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(html.contains("La réunion est enregistrée comme tenue"), "{html}");
    assert!(
        html.contains("Tenue (compte rendu enregistré)") && html.contains("Le comité constate le retard des places.")
    );
    assert!(html.contains(&format!("value=\"{noa}\" checked")));

    let (status, html) = post(
        app,
        &client,
        &page,
        &format!("{page}/decisions"),
        &[("decision", "Publier un point d’étape trimestriel.")],
    )
    .await;
    assert_eq!(status, 303);
    assert!(html.contains("Publier un point d’étape trimestriel."));

    // An action item linked to a measure chosen in the picker.
    let measure = texts(&app.store, "SELECT id FROM plan_measures WHERE number = 2")
        .await
        .unwrap()
        .remove(0);
    let (_, html) = app.get(&client, &page).await;
    assert!(
        html.contains(&format!(
            "<option value=\"{measure}\">Mesure 2 — Créer un site gouvernemental dédié</option>"
        )),
        "{html}"
    );
    let actions = format!("{page}/action-items");
    let (status, html) = post(
        app,
        &client,
        &page,
        &actions,
        &[
            ("text", "Mettre le site en ligne"),
            ("owner", "MIPROF"),
            ("due", "2027-01-10"),
            ("measure", "no-such-measure"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Mesure du plan : choisissez une mesure") && html.contains("value=\"Mettre le site en ligne\"")
    );
    let (status, html) = post(
        app,
        &client,
        &page,
        &actions,
        &[
            ("text", "Mettre le site en ligne"),
            ("owner", "MIPROF"),
            ("due", "10/01/2027"),
            ("measure", &measure),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        html.contains("href=\"/coordination/plans/PNLTEH-2/measures/2\""),
        "{html}"
    );
    assert!(html.contains("PNLTEH-2, mesure 2 — Créer un site gouvernemental dédié"));
    assert!(
        html.contains("10 janvier 2027") && html.contains("En retard"),
        "due before today: overdue"
    );
    let item = texts(&app.store, "SELECT id FROM committee_action_items")
        .await
        .unwrap()
        .remove(0);
    let (status, html) = post(
        app,
        &client,
        &page,
        &format!("{page}/action-items/{item}/done"),
        &[("done", "true")],
    )
    .await;
    assert_eq!(status, 303);
    assert!(html.contains("L’action est marquée réalisée.") && !html.contains("En retard"));

    // One meeting held in 2027: the warning stays until a second one is held.
    let (_, html) = app.get(&client, COMMITTEE).await;
    assert!(
        html.contains("En 2027, réunions tenues à ce jour : 1 ; réunions prévues : 0."),
        "{html}"
    );
    let second = add_meeting(app, &client, "10/01/2027", "09:00", "10:00").await;
    let second_page = format!("/coordination/committee/meetings/{second}");
    let (status, _) = post(
        app,
        &client,
        &second_page,
        &format!("{second_page}/record"),
        &[("held", "true"), ("minutes", "Réunion courte.")],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&client, COMMITTEE).await;
    assert!(!html.contains("id=\"meetings-warning\""), "{html}");
    assert!(html.contains("2027 — réunions tenues : 2") && html.contains("id=\"held-table\""));

    // Invitations: one e-mail per active member, each with its .ics, through real SMTP.
    let (status, html) = post(app, &client, &page, &format!("{page}/invitations"), &[]).await;
    assert_eq!(status, 303);
    assert!(html.contains("Les invitations partent par courriel") && html.contains("Envoyées 1 fois"));
    assert_eq!(outbox::pending(&app.store).await.unwrap(), 3);
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let mail = MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Relais <no-reply@relais.test>".into(),
    };
    let round = relais_web::jobs::outbox::send_pending(&app.store, &mail, app.clock.now())
        .await
        .unwrap();
    assert_eq!(round.sent, 3);
    let messages = inbox.messages.lock().unwrap().clone();
    let mut to: Vec<String> = messages.iter().flat_map(|(to, _)| to.clone()).collect();
    to.sort();
    assert_eq!(to, vec!["ana@asso.test", "noa@victimes.test", "sacha@union.test"]);
    for (to, data) in &messages {
        assert!(
            data.contains("multipart/mixed") && data.contains("invitation.ics"),
            "{data}"
        );
        let ics = calendar_of(data);
        let lines = unfolded(&ics);
        for expected in [
            "BEGIN:VCALENDAR",
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            "DTSTART:20270120T130000Z",
            "DTEND:20270120T153000Z",
            "LOCATION:Paris\\, salle 2",
            "SUMMARY:Comité national de coordination — lutte contre la traite des êtres humains",
            "END:VEVENT",
            "END:VCALENDAR",
        ] {
            assert!(lines.iter().any(|l| l == expected), "{expected} in {lines:?}");
        }
        assert!(lines.iter().any(|l| l.starts_with("DTSTAMP:") && l.ends_with('Z')));
        assert!(
            lines
                .iter()
                .any(|l| l == &format!("UID:committee-meeting-{meeting}@relais"))
        );
        assert!(
            lines.iter().any(|l| l.ends_with(&format!("mailto:{}", to[0]))),
            "{lines:?}"
        );
    }

    // A member leaves: the composition warning comes back.
    let sacha = member_id(app, "sacha@union.test").await;
    let (status, html) = post(
        app,
        &client,
        COMMITTEE,
        &format!("/coordination/committee/members/{sacha}/active"),
        &[("active", "false")],
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        html.contains("aucun membre actif de ces collèges : Organisations syndicales."),
        "{html}"
    );

    // The public page counts the meetings held and shows their days, never a name.
    let (status, html) = app.get(&app.client(), "/plans").await;
    assert_eq!(status, 200);
    assert!(html.contains("2027 : 2 — 10 janvier 2027, 20 janvier 2027"), "{html}");
    for private in ["Ana Association", "ana@asso.test", "salle 2", "retard des places"] {
        assert!(!html.contains(private), "{private} on the public page");
    }

    let audited = texts(
        &app.store,
        "SELECT action FROM audit_log WHERE action LIKE 'committee.%' ORDER BY seq",
    )
    .await
    .unwrap();
    for action in [
        "committee.view",
        "committee.member-add",
        "committee.meeting-record-held",
        "committee.action-add",
        "committee.meeting-invite",
        "committee.member-deactivate",
    ] {
        assert!(audited.iter().any(|a| a == action), "{action} in {audited:?}");
    }
}

/// The attachment of a raw message, base64-decoded.
fn calendar_of(data: &str) -> String {
    let start = data.find("Content-Type: text/calendar").expect("a calendar part");
    let part = &data[start..];
    let body_start = part.find("\r\n\r\n").unwrap() + 4;
    let body: String = part[body_start..]
        .lines()
        .take_while(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .concat();
    let bytes = base64::engine::general_purpose::STANDARD.decode(body.trim()).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Content lines as RFC 5545 reads them: CRLF line ends, folded lines joined.
fn unfolded(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    let mut lines: Vec<String> = vec![];
    for physical in ics.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(physical.len() <= 75, "{physical:?} is longer than 75 octets");
        match physical.strip_prefix(' ') {
            Some(rest) => lines.last_mut().unwrap().push_str(rest),
            None => lines.push(physical.to_owned()),
        }
    }
    lines
}

pub async fn the_committee_is_refused_to_a_focal_point_and_an_analyst(app: &TestApp) {
    let (focal, _) = user(
        app,
        OrganisationType::Ministry,
        "focal-committee@relais.test",
        Role::FocalPoint,
    )
    .await;
    let (member, _) = user(
        app,
        OrganisationType::Association,
        "member-committee@relais.test",
        Role::CommitteeMember,
    )
    .await;
    let focal = app.sign_in(&focal).await;
    let analyst = app.sign_in(&app.analyst).await;
    for client in [&focal, &analyst] {
        let (status, _) = app.get(client, COMMITTEE).await;
        assert_eq!(status, 403);
        let (status, _) = app.get(client, "/coordination/committee/meetings/0123").await;
        assert_eq!(status, 403);
    }
    // A committee member reads the committee but changes nothing.
    let member = app.sign_in(&member).await;
    let (status, html) = app.get(&member, COMMITTEE).await;
    assert_eq!(status, 200);
    assert!(!html.contains("id=\"member-form\"") && !html.contains("id=\"meeting-form\""));
    let response = app
        .submit(
            &member,
            COMMITTEE,
            "/coordination/committee/members",
            &[
                ("name", "Intrus"),
                ("category", "other"),
                ("organisation", "X"),
                ("email", "x@x.test"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    let (status, _) = app.get(&member, "/coordination/committee/meetings/0123").await;
    assert_eq!(status, 404, "an unknown meeting");
}
