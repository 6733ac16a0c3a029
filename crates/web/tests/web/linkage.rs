//! The observatory's linkage runs (issue 15, part 4): an analyst chooses the encoded files of
//! several sources, a serving process links them and estimates, the page shows the progress
//! then the estimate and the quality report; the files are erased when the run ends, and a
//! run left by a stopped process is taken over by another.

use super::harness::{TestApp, csrf_of, location};
use relais_stats::linkage::clk::{Params, Secret};
use relais_stats::linkage::input::{ClkFile, read_identities};
use relais_store::{Actor, observatory::linkage as store};
use relais_web::AppState;
use relais_web::jobs::linkage::{Outcome, run_next};

const PEOPLE: [&str; 8] = [
    "Ana,Popescu,1990-04-02,F,ROU",
    "Blessing,Okafor,1998-11-20,F,NGA",
    "Ion,Rusu,1985-01-15,M,MDA",
    "Mariam,Diallo,2006-07-30,F,GIN",
    "Oksana,Kovalenko,1979-03-09,F,UKR",
    "Chen,Wei,2001-12-01,M,CHN",
    "Joy,Eze,1995-06-17,F,NGA",
    "Vasile,Moraru,1988-09-05,M,MDA",
];

/// The encoded file of a source that saw the people at `who`, under `secret`.
pub fn encoded(source: &str, who: &[usize], secret: &[u8]) -> Vec<u8> {
    let mut text = String::from("id,given_name,family_name,birth_date,sex,nationality\n");
    for &i in who {
        text.push_str(&format!("{source}-{i},{}\n", PEOPLE[i]));
    }
    let records = read_identities(text.as_bytes()).unwrap();
    serde_json::to_vec(&ClkFile::encode(
        &Params::default(),
        &Secret::new(secret).unwrap(),
        &records,
    ))
    .unwrap()
}

pub const SECRET: &[u8] = b"the secret every source of the test shares";

/// Posts the run form: the text fields, and per line a name and a file.
async fn start(
    app: &TestApp,
    analyst: &reqwest::Client,
    title: &str,
    sources: &[(&str, Option<Vec<u8>>)],
) -> reqwest::Response {
    let (_, html) = app.get(analyst, "/observatory/linkage/new").await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html))
        .text("title", title.to_owned())
        .text("threshold", "0,6")
        .text("replicates", "0");
    for (n, (name, file)) in sources.iter().enumerate() {
        form = form.text(format!("name-{n}"), (*name).to_owned());
        if let Some(bytes) = file {
            form = form.part(
                format!("file-{n}"),
                reqwest::multipart::Part::bytes(bytes.clone())
                    .file_name(format!("{name}.json"))
                    .mime_str("application/json")
                    .unwrap(),
            );
        }
    }
    analyst
        .post(app.url("/observatory/linkage"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Queues a run of `sources` at the threshold 0.6 without bootstrap (for the estimate's tests).
pub async fn start_run(
    app: &TestApp,
    analyst: &reqwest::Client,
    title: &str,
    sources: &[(&str, Vec<u8>)],
) -> reqwest::Response {
    let sources: Vec<(&str, Option<Vec<u8>>)> = sources.iter().map(|(n, f)| (*n, Some(f.clone()))).collect();
    start(app, analyst, title, &sources).await
}

fn process(app: &TestApp) -> AppState {
    AppState::new(
        app.store.clone(),
        app.keys.clone(),
        super::harness::settings("https://relais.test"),
        app.clock.clone(),
    )
    .unwrap()
}

async fn inputs_left(app: &TestApp) -> usize {
    relais_store::testing::texts(&app.store, "SELECT run_id FROM observatory_linkage_inputs")
        .await
        .unwrap()
        .len()
}

pub async fn an_analyst_links_three_sources_and_reads_the_estimate(app: &TestApp) {
    let responder = app.sign_in(&app.responder).await;
    let (status, _) = app.get(&responder, "/observatory/linkage").await;
    assert_eq!(status, 403, "the linkage is the observatory's");

    let analyst = app.sign_in(&app.analyst).await;
    let (status, html) = app.get(&analyst, "/observatory/linkage").await;
    assert_eq!(status, 200);
    assert!(html.contains("Aucun rapprochement n’a encore été lancé."));

    // One source is not enough; the title typed stays, the files are asked for again.
    let police = encoded("police", &[0, 1, 2, 3, 6], SECRET);
    let refused = start(app, &analyst, "Rapprochement 2025", &[("Police", Some(police.clone()))]).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Choisissez les fichiers de deux à six sources."),
        "{html}"
    );
    assert!(html.contains("value=\"Rapprochement 2025\""));
    assert!(html.contains("choisissez-les à nouveau"));

    // A file that is not encoded is named by its source; so are files of another secret.
    let not_encoded = b"id,given_name,family_name\n1,Ana,Popescu\n".to_vec();
    let refused = start(
        app,
        &analyst,
        "Rapprochement 2025",
        &[("Police", Some(police.clone())), ("Associations", Some(not_encoded))],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Le fichier de la source « Associations » n’est pas un fichier codé"),
        "{html}"
    );
    assert!(!html.contains("Popescu"), "a file's content is never shown");
    let other_secret = encoded("asso", &[1, 2], b"a secret the other sources never had");
    let refused = start(
        app,
        &analyst,
        "Rapprochement 2025",
        &[("Police", Some(police.clone())), ("Associations", Some(other_secret))],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("pas tous été codés avec le même secret")
    );
    assert_eq!(inputs_left(app).await, 0, "nothing is kept of a refused form");

    let queued = start(
        app,
        &analyst,
        "Rapprochement 2025",
        &[
            ("Police", Some(police)),
            ("Associations", Some(encoded("asso", &[1, 2, 4, 6, 7], SECRET))),
            ("DNR", Some(encoded("dnr", &[2, 3, 5, 6], SECRET))),
        ],
    )
    .await;
    assert_eq!(queued.status().as_u16(), 303);
    let path = location(&queued);
    let path = path
        .strip_suffix("?done=linkage-queued")
        .expect("the run's page with its notice");
    let (_, html) = app.get(&analyst, &format!("{path}?done=linkage-queued")).await;
    assert!(html.contains("Le rapprochement est lancé."));
    assert!(html.contains("En attente"));
    assert!(html.contains("<progress"), "the page shows the progress");
    assert_eq!(inputs_left(app).await, 3);
    let fragment = analyst.get(app.url(&format!("{path}/progress"))).send().await.unwrap();
    assert_eq!(fragment.status().as_u16(), 200);
    assert!(fragment.headers().get("hx-refresh").is_none());

    // A serving process does the run; the files are erased when it ends.
    let state = process(app);
    assert_eq!(run_next(&state).await.unwrap(), Outcome::Done);
    assert_eq!(run_next(&state).await.unwrap(), Outcome::Idle);
    assert_eq!(
        inputs_left(app).await,
        0,
        "the encoded files are kept only while the run goes"
    );
    let fragment = analyst.get(app.url(&format!("{path}/progress"))).send().await.unwrap();
    assert_eq!(
        fragment.headers().get("hx-refresh").map(|v| v.to_str().unwrap()),
        Some("true"),
        "once over, the page reloads to show what was found"
    );

    let (status, html) = app.get(&analyst, path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Terminé"));
    assert!(!html.contains("<progress"));
    // Eight persons seen: the police's five, the associations' and the NRM's others.
    assert!(html.contains("8 personnes distinctes ont été vues"), "{html}");
    assert!(html.contains("Environ "));
    assert!(
        html.contains("<th scope=\"row\">Police, Associations, DNR</th><td>2</td>"),
        "{html}"
    );
    assert!(html.contains("id=\"sensitivity-chart\""));
    assert!(html.contains("seuil 0,60"));
    assert!(html.contains("Paires de fiches selon leur ressemblance"));
    assert!(html.contains("Police.json"));
    assert!(!html.contains("Popescu"));
    let (_, list) = app.get(&analyst, "/observatory/linkage").await;
    assert!(list.contains("Rapprochement 2025"));
}

pub async fn a_run_left_by_a_stopped_process_is_taken_over(app: &TestApp) {
    let analyst = app.sign_in(&app.analyst).await;
    let queued = start(
        app,
        &analyst,
        "Rapprochement repris",
        &[
            ("Police", Some(encoded("police", &[0, 1, 2], SECRET))),
            ("DNR", Some(encoded("dnr", &[1, 2, 3], SECRET))),
        ],
    )
    .await;
    assert_eq!(queued.status().as_u16(), 303);
    // A first process claims the run, then stops giving signs of life.
    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let first = store::claim_next(&mut tx).await.unwrap().expect("the run waits");
    tx.commit().await.unwrap();
    assert_eq!(first.files.len(), 2);
    let state = process(app);
    assert_eq!(
        run_next(&state).await.unwrap(),
        Outcome::Idle,
        "a live run is left alone"
    );
    app.clock
        .advance(relais_domain::observatory::linkage::ABANDONED_AFTER_SECONDS);
    assert_eq!(run_next(&state).await.unwrap(), Outcome::Done);
    // The first process may no longer report on it.
    assert!(
        !relais_store::observatory::work::heartbeat(&app.store, store::QUEUE, &first.claim, 50, app.clock.now())
            .await
            .unwrap()
    );
    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let ended = store::end(&mut tx, &first, store::End::Failed { reason: "late" })
        .await
        .unwrap();
    drop(tx);
    assert!(!ended, "the run's end was the second process's to record");
    let path = location(&queued);
    let (_, html) = app.get(&analyst, path.split('?').next().unwrap()).await;
    assert!(html.contains("Terminé"));
}
