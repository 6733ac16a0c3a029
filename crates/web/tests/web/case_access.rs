//! What an organisation may read and do in a case, by its relation to it
//! (ADR 0009): a share opens only what its purpose needs, and the place of
//! a safe distant placement reaches only the authority, the lead
//! organisation and the network that runs the shelter.

use super::cases_flow::{accept, author_and_officer};
use super::harness::{PASSWORD, TestApp, TestUser, csrf_of};
use super::triage::{details, referral};
use relais_domain::access::account::DisplayName;
use relais_domain::access::authz::{self, CaseAccess, IdentifyVictims, Principal, ViewCaseFile};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::{Permission, Role};
use relais_domain::casework::case_access::{CaseArea, CaseRefusal, CaseRelation, Mode, SharePurpose};
use relais_domain::casework::case_people::{Dependant, Relation};
use relais_domain::casework::onward_referral::Kind;
use relais_domain::casework::sharing::ShareDuration;
use relais_domain::email::Email;
use relais_domain::ids::{CaseId, OrganisationId, UserId};
use relais_domain::territory::Territory;
use relais_domain::time::Date;
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::users::NewUser;
use relais_store::testing::{execute_raw, texts};
use relais_store::{
    Actor, access::passwords, access::totp, bootstrap, casework::case_access, casework::case_file,
    casework::case_people, casework::onward,
};
use relais_web::{Access, route_table};

/// The shelter a placement reaches, and the network that runs it: neither
/// name may reach anyone but the authority, the lead and the network.
pub const SHELTER: &str = "Refuge Armor — Brest (fictif)";
pub const NETWORK: &str = "Réseau d’éloignement test (fictif)";
const SHELTER_ID: &str = "ac5e0000000000000000000000000029";

/// A new organisation named `name` with one user per role in `roles`
/// (e-mails `{prefix}-{role}@relais.test`); returns the organisation id and the users.
pub async fn organisation(
    app: &TestApp,
    name: &str,
    org_type: OrganisationType,
    territory: Territory,
    prefix: &str,
    roles: &[Role],
) -> (String, Vec<(Role, TestUser, UserId)>) {
    let mut tx = app
        .store
        .begin(Actor::system(), "test-setup", app.clock.now())
        .await
        .unwrap();
    let org = bootstrap::create_organisation(
        &mut tx,
        &NewOrganisation {
            name: name.into(),
            org_type,
            territory,
        },
    )
    .await
    .unwrap();
    let hash = passwords::hash(PASSWORD).unwrap();
    let mut users = vec![];
    for role in roles {
        // Leaked on purpose: test users live as long as the test binary.
        let email: &'static str = Box::leak(format!("{prefix}-{}@relais.test", role.key()).into_boxed_str());
        let secret = totp::new_secret();
        let new = NewUser {
            organisation_id: org.clone(),
            email: Email::parse(email).unwrap(),
            display_name: DisplayName::parse(email).unwrap(),
            roles: vec![*role],
        };
        let id = bootstrap::create_demo_user(&mut tx, &new, &hash, &secret)
            .await
            .unwrap();
        users.push((*role, TestUser { email, secret }, id));
    }
    tx.commit().await.unwrap();
    (org.to_string(), users)
}

/// Adds the network's shelter (secure distant places in Finistère, far from Seine-Saint-Denis).
async fn shelter(app: &TestApp, network: &str) {
    execute_raw(
        &app.store,
        &format!(
            "INSERT INTO services (id, organisation_id, name, kind, departement, covers, accepts_sexes, \
             accepts_children, contact, created_at, updated_at) VALUES ('{SHELTER_ID}', '{network}', '{SHELTER}', \
             'accommodation', '29', '*', 'female', 1, 'accueil@refuge.test', 0, 0)"
        ),
    )
    .await
    .unwrap();
    execute_raw(
        &app.store,
        &format!(
            "INSERT INTO service_places (service_id, place_type, total, free, updated_at) \
             VALUES ('{SHELTER_ID}', 'secure-distant', 2, 1, 0)"
        ),
    )
    .await
    .unwrap();
}

const PLACEMENT_REQUEST: [(&str, &str); 5] = [
    ("places", "93"),
    ("avoid", "93"),
    ("children", "0"),
    ("basis", "consent"),
    ("service_id", SHELTER_ID),
];

/// The authority sends a safe distant placement to the shelter, and the
/// network accepts it; returns the placement's onward referral id.
pub async fn place(app: &TestApp, officer: &reqwest::Client, network: &reqwest::Client, case: &str) -> String {
    let placement = format!("/cases/{case}/onward/placement");
    let sent = app
        .submit(officer, &placement, &format!("{placement}/send"), &PLACEMENT_REQUEST)
        .await;
    assert_eq!(sent.status().as_u16(), 303, "the shelter fits the request");
    let referral = texts(
        &app.store,
        &format!("SELECT id FROM onward_referrals WHERE case_id = '{case}' AND kind = 'distant-placement'"),
    )
    .await
    .unwrap()
    .remove(0);
    let item = format!("/onward/{referral}");
    let accepted = app
        .submit(network, &item, &format!("{item}/answer"), &[("event", "accept")])
        .await;
    assert_eq!(accepted.status().as_u16(), 303);
    referral
}

/// The authority shares the case with `organisation` for `purpose`, with consent.
pub async fn share(app: &TestApp, officer: &reqwest::Client, case: &str, organisation: &str, purpose: &str) {
    let file = format!("/cases/{case}/file");
    let shared = app
        .submit(
            officer,
            &file,
            &format!("{file}/shares"),
            &[
                ("organisation_id", organisation),
                ("purpose", purpose),
                ("basis", "consent"),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!(shared.status().as_u16(), 303, "{purpose}");
}

/// POSTs `fields` to `action` with a CSRF token taken from the dashboard
/// (a page every signed-in user reaches), as a crafted request would.
async fn post(app: &TestApp, client: &reqwest::Client, action: &str, fields: &[(&str, &str)]) -> u16 {
    app.submit(client, "/dashboard", action, fields).await.status().as_u16()
}

pub async fn a_police_share_for_investigation_neither_edits_nor_sees_the_placement(app: &TestApp) {
    let ((_, author), officer) =
        author_and_officer(app, "access-author@relais.test", "access-officer@relais.test").await;
    let (network_org, mut network_users) = organisation(
        app,
        NETWORK,
        OrganisationType::Association,
        Territory::National,
        "access-network",
        &[Role::SupportWorker],
    )
    .await;
    shelter(app, &network_org).await;
    let (support_org, mut support_users) = organisation(
        app,
        "Association d’accompagnement test (fictive)",
        OrganisationType::Association,
        Territory::National,
        "access-support",
        &[Role::SupportWorker],
    )
    .await;
    let id = referral(app, &author, &details("Nowak", "93", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let network = app.sign_in(&network_users.remove(0).1).await;
    let placement = place(app, &owner, &network, &case).await;
    share(app, &owner, &case, app.organisation.as_str(), "investigation").await;
    share(app, &owner, &case, &support_org, "support").await;
    let (_, html) = app.get(&owner, &format!("/cases/{case}/onward")).await;
    assert!(html.contains(SHELTER), "the authority sees where the person is placed");

    // The police station's share is for the investigation: the summary, not the placement.
    let police = app.sign_in(&app.responder).await;
    let (status, html) = app.get(&police, &format!("/cases/{case}/file")).await;
    assert_eq!(status, 200);
    assert!(!html.contains(SHELTER) && !html.contains(NETWORK));
    for page in ["onward", "onward/placement", "support"] {
        let (status, html) = app.get(&police, &format!("/cases/{case}/{page}")).await;
        assert_eq!(status, 404, "{page}");
        assert!(!html.contains(SHELTER), "{page}");
    }
    let (status, html) = app.get(&police, &format!("/cases/{case}/file/people")).await;
    assert_eq!(status, 200, "the person's identity serves the investigation");
    assert!(!html.contains("name=\"family_name\""), "but the police do not edit it");
    let person = format!("/cases/{case}/file/people/person");
    assert_eq!(
        post(
            app,
            &police,
            &person,
            &[("family_name", "Changé"), ("given_names", "X")]
        )
        .await,
        403
    );
    let permits = format!("/cases/{case}/support/permits");
    assert_eq!(
        post(
            app,
            &police,
            &permits,
            &[("kind", "temporary-residence-card"), ("outcome", "pending")]
        )
        .await,
        404
    );
    let withdraw = format!("/cases/{case}/onward/{placement}/withdraw");
    assert_eq!(post(app, &police, &withdraw, &[]).await, 404);

    // A support association reads that a placement exists, not where, and cannot call it off.
    let support = app.sign_in(&support_users.remove(0).1).await;
    let (status, html) = app.get(&support, &format!("/cases/{case}/onward")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Mise à l’abri éloignée en cours"), "{html}");
    assert!(!html.contains(SHELTER) && !html.contains(NETWORK), "never where");
    assert_eq!(post(app, &support, &withdraw, &[]).await, 403);
    assert_eq!(
        app.get(&support, &format!("/cases/{case}/onward/placement")).await.0,
        404
    );

    let untouched = texts(
        &app.store,
        &format!("SELECT status FROM onward_referrals WHERE id = '{placement}'"),
    )
    .await
    .unwrap();
    assert_eq!(
        untouched,
        vec!["accepted"],
        "nobody but the sender withdraws a placement"
    );
    let people = texts(
        &app.store,
        &format!("SELECT id FROM case_people WHERE case_id = '{case}'"),
    )
    .await
    .unwrap();
    assert!(people.is_empty(), "no person record was written by a share");
}

// ------------------------------------------------------------------ the generated matrix

/// Someone the matrix signs in as: their organisation's relation to the
/// case (what the policy is asked about) and their role.
struct Party {
    label: String,
    relation: CaseRelation,
    role: Role,
    user: TestUser,
    /// May know where the placement took the person (the authority, the lead, the network).
    locates: bool,
}

/// What a request should get, computed from the route table and the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The guard refuses a role without the route's permission, the store
    /// an area open for reading only.
    Forbidden,
    /// The area does not exist for the party.
    NotFound,
    /// The page (200), or for a POST the action or its form's errors (303, 409, 422).
    Allowed,
}

fn expect(party: &Party, permission: Permission, area: CaseArea, mode: Mode) -> Expect {
    if party.role.grants().iter().all(|(granted, _)| *granted != permission) {
        return Expect::Forbidden;
    }
    match party.relation.decide(&[party.role], area, mode) {
        Ok(()) => Expect::Allowed,
        Err(CaseRefusal::Hidden) => Expect::NotFound,
        Err(CaseRefusal::ReadOnly) => Expect::Forbidden,
    }
}

/// Everything a case's writes could change, to prove a refused POST changed nothing.
async fn fingerprint(app: &TestApp, case: &str) -> Vec<String> {
    let queries = [
        format!("SELECT id FROM case_notes WHERE case_id = '{case}'"),
        format!("SELECT id FROM case_documents WHERE case_id = '{case}'"),
        format!("SELECT id || ':' || status FROM tasks WHERE case_id = '{case}'"),
        format!("SELECT id || ':' || details FROM case_people WHERE case_id = '{case}'"),
        format!("SELECT id FROM need_assessments WHERE case_id = '{case}'"),
        format!("SELECT id || ':' || CAST(updated_at AS TEXT) FROM permits WHERE case_id = '{case}'"),
        format!("SELECT id || ':' || status FROM onward_referrals WHERE case_id = '{case}'"),
        format!("SELECT id || ':' || COALESCE(CAST(revoked_at AS TEXT), '') FROM case_shares WHERE case_id = '{case}'"),
        format!("SELECT id FROM case_events WHERE case_id = '{case}'"),
        format!(
            "SELECT status || ':' || COALESCE(owner_organisation_id, '') || ':' || COALESCE(cooperation, '') \
             || ':' || COALESCE(closure_outcome, '') FROM cases WHERE id = '{case}'"
        ),
        format!("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE object_type = 'case' AND object_id = '{case}'"),
    ];
    let mut all = vec![];
    for query in queries {
        let mut rows = texts(&app.store, &query).await.unwrap();
        rows.sort();
        all.extend(rows);
    }
    all
}

/// The case of the matrix and the objects its routes name.
struct World {
    case: String,
    officer: UserId,
    document: String,
    task: String,
    dependant: String,
    service_referral: String,
    placement: String,
    share: String,
    receiver_service: String,
    spare_organisation: OrganisationId,
}

impl World {
    /// The officer's access to the case, through the store as the app builds it.
    async fn as_officer(&self, app: &TestApp) -> (relais_store::Tx, CaseAccess, Principal) {
        let principal = relais_store::access::users::principal(&app.store, &self.officer, app.clock.now())
            .await
            .unwrap()
            .unwrap()
            .0;
        let actor = Actor::user(principal.user_id().clone(), principal.organisation_id().clone());
        let mut tx = app.store.begin(actor, "test-setup", app.clock.now()).await.unwrap();
        let can = authz::authorize::<ViewCaseFile>(&principal).unwrap();
        let access = case_access::open(&mut tx, &can, &CaseId::parse(&self.case).unwrap())
            .await
            .unwrap();
        (tx, access, principal)
    }

    /// A path of the table with each placeholder replaced by a real object of
    /// the case: a standing one, or a fresh one for a request that will
    /// succeed (it may consume it: a task done, a dependant removed…).
    async fn concrete(&self, app: &TestApp, path: &str, fresh: bool) -> String {
        let mut url = path.replace("{id}", &self.case).replace("{document}", &self.document);
        for (placeholder, standing) in [
            ("{task}", &self.task),
            ("{row}", &self.dependant),
            ("{referral}", &self.service_referral),
            ("{share}", &self.share),
        ] {
            if url.contains(placeholder) {
                let id = if fresh {
                    self.fresh(app, placeholder).await
                } else {
                    standing.clone()
                };
                url = url.replace(placeholder, &id);
            }
        }
        assert!(!url.contains('{'), "a placeholder the matrix does not know: {path}");
        url
    }

    async fn fresh(&self, app: &TestApp, placeholder: &str) -> String {
        let (mut tx, access, principal) = self.as_officer(app).await;
        let basis = relais_domain::casework::sharing::justify("consent", "").unwrap();
        let id = match placeholder {
            "{task}" => {
                let before = texts(
                    &app.store,
                    &format!("SELECT id FROM tasks WHERE case_id = '{}'", self.case),
                )
                .await
                .unwrap();
                case_file::add_task(
                    &mut tx,
                    &access,
                    "Appeler l’avocate",
                    Date::parse("2027-03-01").unwrap(),
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
                return newest(
                    app,
                    &format!("SELECT id FROM tasks WHERE case_id = '{}'", self.case),
                    &before,
                )
                .await;
            }
            "{row}" => {
                let query = format!(
                    "SELECT id FROM case_people WHERE case_id = '{}' AND role = 'dependant'",
                    self.case
                );
                let before = texts(&app.store, &query).await.unwrap();
                let dependant = Dependant {
                    name: "Lina".into(),
                    relation: Relation::Child,
                    birth_year: Some(2019),
                    accompanies: true,
                    notes: String::new(),
                };
                case_people::add_dependant(&mut tx, &access, &dependant).await.unwrap();
                tx.commit().await.unwrap();
                return newest(app, &query, &before).await;
            }
            "{referral}" => onward::send(
                &mut tx,
                &access,
                Kind::Service,
                &self.receiver_service,
                &basis,
                &onward::Extras::default(),
            )
            .await
            .unwrap(),
            "{share}" => {
                let can = authz::authorize::<IdentifyVictims>(&principal).unwrap();
                case_file::share(
                    &mut tx,
                    &can,
                    access.case(),
                    &self.spare_organisation,
                    SharePurpose::Health,
                    &basis,
                    ShareDuration::Week,
                )
                .await
                .unwrap()
            }
            other => panic!("no fresh {other}"),
        };
        tx.commit().await.unwrap();
        id
    }
}

async fn newest(app: &TestApp, query: &str, before: &[String]) -> String {
    texts(&app.store, query)
        .await
        .unwrap()
        .into_iter()
        .find(|id| !before.contains(id))
        .unwrap()
}

/// Sends `method url` as `client`; a POST carries a CSRF token from the
/// dashboard and no field (a document upload goes as multipart).
async fn request(app: &TestApp, client: &reqwest::Client, method: &str, url: &str) -> (u16, String) {
    let response = match method {
        "GET" => client.get(app.url(url)).send().await.unwrap(),
        _ => {
            let (_, html) = app.get(client, "/dashboard").await;
            let csrf = csrf_of(&html);
            if url.ends_with("/file/documents") {
                let form = reqwest::multipart::Form::new().text("csrf", csrf);
                client.post(app.url(url)).multipart(form).send().await.unwrap()
            } else {
                client.post(app.url(url)).form(&[("csrf", csrf)]).send().await.unwrap()
            }
        }
    };
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// A case with one object of each kind, a safe distant placement accepted by
/// the network's shelter, a lead organisation, a share for each purpose, the
/// receiver of a service referral, and organisations without any tie.
async fn world(app: &TestApp) -> (World, Vec<Party>) {
    let ((_, author), officer_user) =
        author_and_officer(app, "matrix-author@relais.test", "matrix-officer@relais.test").await;
    let officer_id = texts(
        &app.store,
        "SELECT id FROM users WHERE email = 'matrix-officer@relais.test'",
    )
    .await
    .unwrap()
    .remove(0);
    let both = [Role::FirstResponder, Role::SupportWorker];
    let national = Territory::National;
    let association = OrganisationType::Association;
    let (network_org, mut network) = organisation(
        app,
        NETWORK,
        association,
        national,
        "matrix-network",
        &[Role::SupportWorker],
    )
    .await;
    shelter(app, &network_org).await;
    let (receiver_org, mut receiver) = organisation(
        app,
        "Consultation juridique test (fictive)",
        association,
        national,
        "matrix-receiver",
        &[Role::SupportWorker],
    )
    .await;
    let receiver_service = "1e6a0000000000000000000000000075".to_owned();
    execute_raw(
        &app.store,
        &format!(
            "INSERT INTO services (id, organisation_id, name, kind, departement, covers, accepts_children, contact, \
             created_at, updated_at) VALUES ('{receiver_service}', '{receiver_org}', 'Permanence juridique (fictive)', \
             'legal', '75', '*', 1, 'permanence@juridique.test', 0, 0)"
        ),
    )
    .await
    .unwrap();
    let (lead_org, lead) = organisation(
        app,
        "Accompagnement référent test",
        association,
        national,
        "matrix-lead",
        &both,
    )
    .await;
    let (_, nobody) = organisation(app, "Sans lien test", association, national, "matrix-none", &both).await;
    let (_, elsewhere) = organisation(
        app,
        "Autorité des Bouches-du-Rhône test",
        OrganisationType::IdentificationAuthority,
        Territory::Departement(relais_domain::territory::Departement::parse("13").unwrap()),
        "matrix-elsewhere",
        &[Role::IdentificationOfficer],
    )
    .await;
    let (spare_org, _) = organisation(app, "Réserve test", association, national, "matrix-spare", &[]).await;

    let id = referral(app, &author, &details("Kowalska", "93", false)).await;
    let owner = app.sign_in(&officer_user).await;
    let case = accept(app, &owner, &id).await;
    let file = format!("/cases/{case}/file");
    for (level, body) in [
        ("general", "Rendez-vous fixé mardi"),
        ("health", "Suivi gynécologique à organiser"),
        ("legal", "Audition prévue au parquet"),
        ("safety", "Menaces reçues par téléphone"),
    ] {
        let added = app
            .submit(
                &owner,
                &file,
                &format!("{file}/notes"),
                &[("sensitivity", level), ("body", body)],
            )
            .await;
        assert_eq!(added.status().as_u16(), 303, "{level}");
    }
    let csrf = csrf_of(&app.get(&owner, &file).await.1);
    let upload = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("sensitivity", "general")
        .part(
            "document",
            reqwest::multipart::Part::bytes(&b"Convocation mardi"[..]).file_name("convocation.txt"),
        );
    let uploaded = owner
        .post(app.url(&format!("{file}/documents")))
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status().as_u16(), 303);
    let added = app
        .submit(
            &owner,
            &file,
            &format!("{file}/tasks"),
            &[("title", "Préfecture"), ("due", "2027-01-01")],
        )
        .await;
    assert_eq!(added.status().as_u16(), 303);
    let people = format!("{file}/people");
    let saved = app
        .submit(
            &owner,
            &people,
            &format!("{people}/person"),
            &[
                ("family_name", "Kowalska"),
                ("given_names", "Anna"),
                ("through_whom", "Passer par Mme Martin"),
            ],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let added = app
        .submit(
            &owner,
            &people,
            &format!("{people}/dependants"),
            &[("name", "Maja"), ("relation", "child"), ("birth_year", "2018")],
        )
        .await;
    assert_eq!(added.status().as_u16(), 303);
    let support = format!("/cases/{case}/support");
    let assessed = app
        .submit(
            &owner,
            &support,
            &format!("{support}/needs"),
            &[
                ("assessed_on", "2026-11-20"),
                ("accommodation-assessed", "yes"),
                ("accommodation-urgency", "immediate"),
                ("accommodation-status", "open"),
                ("accommodation-accommodation", "secure-distant"),
                ("accommodation-actor", "Réseau national"),
            ],
        )
        .await;
    assert_eq!(assessed.status().as_u16(), 303);
    let permit = app
        .submit(
            &owner,
            &support,
            &format!("{support}/permits"),
            &[
                ("kind", "temporary-residence-card"),
                ("outcome", "pending"),
                ("applied_on", "2026-11-02"),
            ],
        )
        .await;
    assert_eq!(permit.status().as_u16(), 303);
    let onward = format!("/cases/{case}/onward");
    let sent = app
        .submit(
            &owner,
            &onward,
            &onward,
            &[("service_id", &receiver_service), ("basis", "consent")],
        )
        .await;
    assert_eq!(sent.status().as_u16(), 303);
    let network_client = app.sign_in(&network[0].1).await;
    let placement = place(app, &owner, &network_client, &case).await;
    let decisions = format!("/cases/{case}");
    let events = format!("{decisions}/events");
    let decided = app
        .submit(
            &owner,
            &decisions,
            &events,
            &[("event", "preliminary-positive"), ("reasons", "indicators")],
        )
        .await;
    assert_eq!(decided.status().as_u16(), 303, "a decision, so that the letter exists");
    let transferred = app
        .submit(
            &owner,
            &decisions,
            &events,
            &[("event", "transfer"), ("transfer_organisation", &lead_org)],
        )
        .await;
    assert_eq!(transferred.status().as_u16(), 303, "the lead organisation is named");

    let mut parties = vec![Party {
        label: "authority".into(),
        relation: CaseRelation::Authority,
        role: Role::IdentificationOfficer,
        user: officer_user,
        locates: true,
    }];
    for (role, user, _) in lead {
        parties.push(Party {
            label: format!("lead {}", role.key()),
            relation: CaseRelation::Lead,
            role,
            user,
            locates: true,
        });
    }
    for purpose in SharePurpose::ALL {
        let (org, users) = organisation(
            app,
            &format!("Partage {} test", purpose.as_str()),
            association,
            national,
            &format!("matrix-{}", purpose.as_str()),
            &both,
        )
        .await;
        share(app, &owner, &case, &org, purpose.as_str()).await;
        for (role, user, _) in users {
            parties.push(Party {
                label: format!("shared for {} as {}", purpose.as_str(), role.key()),
                relation: CaseRelation::shared([purpose]),
                role,
                user,
                locates: false,
            });
        }
    }
    share(app, &owner, &case, &spare_org, "health").await;
    let share_id = texts(
        &app.store,
        &format!("SELECT id FROM case_shares WHERE case_id = '{case}' AND organisation_id = '{spare_org}'"),
    )
    .await
    .unwrap()
    .remove(0);
    let single = |label: &str, relation, mut users: Vec<(Role, TestUser, UserId)>| {
        let (role, user, _) = users.remove(0);
        Party {
            label: label.to_owned(),
            relation,
            role,
            user,
            locates: false,
        }
    };
    parties.push(single(
        "receiver of a service referral",
        CaseRelation::None,
        std::mem::take(&mut receiver),
    ));
    let mut network_party = single(
        "the shelter's network (receiver of the placement)",
        CaseRelation::None,
        std::mem::take(&mut network),
    );
    // Its own name is on every page it sees, and it knows where its shelter is.
    network_party.locates = true;
    parties.push(network_party);
    parties.push(single("officer of another territory", CaseRelation::None, elsewhere));
    for (role, user, _) in nobody {
        parties.push(Party {
            label: format!("no tie, {}", role.key()),
            relation: CaseRelation::None,
            role,
            user,
            locates: false,
        });
    }
    let first = |query: String| async move { texts(&app.store, &query).await.unwrap().remove(0) };
    let world = World {
        document: first(format!("SELECT id FROM case_documents WHERE case_id = '{case}'")).await,
        task: first(format!(
            "SELECT id FROM tasks WHERE case_id = '{case}' AND kind = 'case-task'"
        ))
        .await,
        dependant: first(format!(
            "SELECT id FROM case_people WHERE case_id = '{case}' AND role = 'dependant'"
        ))
        .await,
        service_referral: first(format!(
            "SELECT id FROM onward_referrals WHERE case_id = '{case}' AND kind = 'service'"
        ))
        .await,
        placement,
        share: share_id,
        receiver_service,
        spare_organisation: OrganisationId::parse(&spare_org).unwrap(),
        officer: UserId::parse(&officer_id).unwrap(),
        case,
    };
    (world, parties)
}

/// The case pages that open with the case header (the letter prints without it).
const HEADED: [&str; 6] = [
    "/cases/{id}",
    "/cases/{id}/file",
    "/cases/{id}/file/people",
    "/cases/{id}/support",
    "/cases/{id}/onward",
    "/cases/{id}/onward/placement",
];

/// The header names the person only where the policy opens the identity,
/// and offers a tab exactly for each case page the party may open.
fn header_follows_the_policy(
    party: &Party,
    routes: &[(&str, &str, Permission, CaseArea, Mode)],
    case: &str,
    body: &str,
    what: &str,
) {
    assert!(body.contains("relais-case-header"), "{what} has the case header");
    let named = expect(party, Permission::ViewCaseFile, CaseArea::Identity, Mode::Read) == Expect::Allowed;
    assert_eq!(
        body.contains("Anna KOWALSKA"),
        named,
        "{what}: the name as the policy says"
    );
    let tabs: Vec<(&str, bool)> = HEADED[..5]
        .iter()
        .map(|tab| {
            let (_, _, permission, area, mode) = routes
                .iter()
                .find(|(method, path, ..)| *method == "GET" && path == tab)
                .expect("each tab is a declared case route");
            (*tab, expect(party, *permission, *area, *mode) == Expect::Allowed)
        })
        .collect();
    let several = tabs.iter().filter(|(_, open)| *open).count() > 1;
    for (tab, open) in tabs {
        let link = format!("class=\"fr-tabs__tab\" href=\"{}\"", tab.replace("{id}", case));
        assert_eq!(body.contains(&link), open && several, "{what}: tab {tab}");
    }
}

/// Every case route of the route table, for the authority, the lead, a
/// share for each purpose, the receivers of onward referrals and
/// organisations without a tie, each with the roles that work cases: the
/// outcome is the one the policy table gives, a refused POST changes
/// nothing, and the placement's shelter never reaches anyone who may not
/// locate it.
pub async fn every_case_route_answers_each_relation_as_the_policy_says(app: &TestApp) {
    let (world, parties) = world(app).await;
    let routes: Vec<(&str, &str, Permission, CaseArea, Mode)> = route_table()
        .into_iter()
        .filter_map(|(method, path, access)| match access {
            Access::Case(permission, area, mode) => Some((method, path, permission, area, mode)),
            _ => None,
        })
        .collect();
    assert!(routes.len() >= 28, "the case routes are declared with their area");
    for (method, path, access) in route_table() {
        if path.starts_with("/cases/{id}") {
            assert!(
                matches!(access, Access::Case(..)),
                "{method} {path} must declare its area of the case"
            );
        }
    }
    let mut checked = 0;
    for party in &parties {
        let client = app.sign_in(&party.user).await;
        for (method, path, permission, area, mode) in &routes {
            let expected = expect(party, *permission, *area, *mode);
            let names_object = ["{task}", "{row}", "{referral}", "{share}"]
                .iter()
                .any(|p| path.contains(p));
            let fresh = expected == Expect::Allowed && *method == "POST" && names_object;
            let url = world.concrete(app, path, fresh).await;
            let before = if expected == Expect::Allowed {
                vec![]
            } else {
                fingerprint(app, &world.case).await
            };
            let (status, body) = request(app, &client, method, &url).await;
            let what = format!("{} — {method} {path}", party.label);
            match (expected, *method) {
                (Expect::Forbidden, _) => assert_eq!(status, 403, "{what}"),
                (Expect::NotFound, _) => assert_eq!(status, 404, "{what}"),
                (Expect::Allowed, "GET") => assert_eq!(status, 200, "{what}"),
                (Expect::Allowed, _) if fresh => assert_eq!(status, 303, "{what}"),
                (Expect::Allowed, _) => assert!([303, 409, 422].contains(&status), "{what}: {status}"),
            }
            if expected != Expect::Allowed {
                assert_eq!(fingerprint(app, &world.case).await, before, "{what} changed the case");
            }
            if expected == Expect::Allowed && *method == "GET" && HEADED.contains(path) {
                header_follows_the_policy(party, &routes, &world.case, &body, &what);
            }
            if !party.locates {
                assert!(
                    !body.contains(SHELTER) && !body.contains(NETWORK),
                    "{what} shows where the person was placed"
                );
            } else if expected == Expect::Allowed && *method == "GET" && *path == "/cases/{id}/onward" {
                assert!(body.contains(SHELTER), "{what} locates the placement");
            }
            checked += 1;
        }
        // The receivers read what was sent to them, and only they.
        for (referral, receiver) in [
            (&world.placement, "the shelter's network (receiver of the placement)"),
            (&world.service_referral, "receiver of a service referral"),
        ] {
            let (status, body) = app.get(&client, &format!("/onward/{referral}")).await;
            if party.label == receiver {
                assert_eq!(status, 200, "{}", party.label);
                assert_eq!(body.contains(SHELTER), referral == &world.placement);
            } else if party.role.grants().iter().any(|(p, _)| *p == Permission::ViewCaseFile) {
                assert_eq!(status, 404, "{} reads another's onward referral", party.label);
            }
        }
    }
    assert_eq!(checked, routes.len() * parties.len());
}
