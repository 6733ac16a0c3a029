//! The daily digest reaches a real SMTP server started by the test: the
//! protocol is spoken by `mailin`, over TCP, as any mail relay would.

use super::harness::TestApp;
use super::triage::{details, referral, user};
use mailin::{Action, Handler, Response, SessionBuilder};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::casework::deadline::Targets;
use relais_domain::jobs::{AfterFailure, RunState};
use relais_domain::time::{Date, Zone};
use relais_store::{Keys, SecretKey};
use relais_web::AppState;
use relais_web::jobs::digest::{self, MailSettings, Outcome};
use relais_web::jobs::status_notices;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One message received: envelope recipients and raw data.
pub type Received = (Vec<String>, String);

/// Collects every message received.
#[derive(Clone, Default)]
pub struct Inbox {
    pub messages: Arc<Mutex<Vec<Received>>>,
    current: (Vec<String>, Vec<u8>),
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = (to.to_vec(), Vec::new());
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.1.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let (to, data) = std::mem::take(&mut self.current);
        self.messages
            .lock()
            .unwrap()
            .push((to, String::from_utf8_lossy(&data).into_owned()));
        mailin::response::OK
    }
}

/// Serves SMTP on a free local port until the test ends; returns the port.
pub fn smtp_server(inbox: Inbox) -> u16 {
    smtp_server_on(TcpListener::bind("127.0.0.1:0").unwrap(), inbox)
}

/// Serves SMTP on `listener` until the test ends; returns its port.
pub fn smtp_server_on(listener: TcpListener, inbox: Inbox) -> u16 {
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let inbox = inbox.clone();
            std::thread::spawn(move || {
                let peer = stream.peer_addr().unwrap().ip();
                let mut session = SessionBuilder::new("smtp.test").build(peer, inbox);
                let mut writer = stream.try_clone().unwrap();
                session.greeting().write_to(&mut writer).unwrap();
                let mut reader = BufReader::new(stream);
                let mut line = Vec::new();
                loop {
                    line.clear();
                    if reader.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let response = session.process(&line);
                    match response.action {
                        Action::NoReply => {}
                        Action::Close => {
                            let _ = response.write_to(&mut writer);
                            let _ = writer.flush();
                            return;
                        }
                        _ => {
                            response.write_to(&mut writer).unwrap();
                            writer.flush().unwrap();
                        }
                    }
                }
            });
        }
    });
    port
}

pub async fn the_daily_digest_reaches_officers_by_smtp_without_names(app: &TestApp) {
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let (_, author) = user(
        app,
        OrganisationType::Association,
        "digest-author@relais.test",
        Role::FirstResponder,
    )
    .await;
    user(
        app,
        OrganisationType::IdentificationAuthority,
        "digest-officer@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    let id = referral(app, &author, &details("Petrova", "59", false)).await;
    // A case task due before the digest's day is listed too (by reference, not by its title).
    relais_store::testing::execute_raw(
        &app.store,
        &format!(
            "INSERT INTO tasks (id, kind, referral_id, departement, title, due_at, status, created_at) \
             VALUES ('task1', 'case-task', '{id}', '59', 'sealed', {}, 'open', 0)",
            app.clock.now().0
        ),
    )
    .await
    .unwrap();
    // Ten days later the preliminary decision (five working days) is overdue.
    app.clock.advance(10 * 86_400);

    let settings = super::harness::settings("https://relais.test");
    let state = AppState::new(
        app.store.clone(),
        Keys::derive(&SecretKey::generate()),
        settings,
        app.clock.clone(),
    )
    .unwrap();
    let mail = MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Relais <no-reply@relais.test>".into(),
    };
    let outcome = digest::run(&state, &mail, &Targets::default()).await.unwrap();
    assert_eq!(outcome, Outcome::Sent { emails: 1, items: 2 });
    let messages = inbox.messages.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    let (to, data) = &messages[0];
    assert_eq!(to, &vec!["digest-officer@relais.test".to_owned()]);
    assert!(data.contains("Subject:"), "{data}");
    assert!(data.contains("RL-"), "the reference is listed: {data}");
    assert!(data.contains("https://relais.test/triage"));
    assert!(
        data.contains("t=C3=A2che du dossier") || data.contains("tâche du dossier"),
        "{data}"
    );
    assert!(
        !data.contains("Petrova") && !data.contains("Anna"),
        "no names in e-mail: {data}"
    );

    // Another process (or a second run) the same day sends nothing more.
    assert_eq!(
        digest::run(&state, &mail, &Targets::default()).await.unwrap(),
        Outcome::AlreadyDone
    );
    assert_eq!(inbox.messages.lock().unwrap().len(), 1);
}

/// An app process on the test's database and clock.
fn process(app: &TestApp) -> AppState {
    AppState::new(
        app.store.clone(),
        Keys::derive(&SecretKey::generate()),
        super::harness::settings("https://relais.test"),
        app.clock.clone(),
    )
    .unwrap()
}

pub async fn a_digest_that_failed_is_sent_once_when_its_retry_is_due(app: &TestApp) {
    // A free port with nothing listening on it: the relay is down.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mail = MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Relais <no-reply@relais.test>".into(),
    };
    let (_, author) = user(
        app,
        OrganisationType::Association,
        "retry-author@relais.test",
        Role::FirstResponder,
    )
    .await;
    user(
        app,
        OrganisationType::IdentificationAuthority,
        "retry-officer@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    referral(app, &author, &details("Petrova", "59", false)).await;
    app.clock.advance(10 * 86_400);
    let run_key = Date::local(app.clock.now(), &Zone::paris()).to_string();
    let (first, second) = (process(app), process(app));

    let failed_at = app.clock.now();
    let retry_at = failed_at.plus_seconds(5 * 60);
    assert_eq!(
        digest::run(&first, &mail, &Targets::default()).await.unwrap(),
        Outcome::Failed {
            attempt: 1,
            next: AfterFailure::RetryAt(retry_at),
            reason: "connection or protocol error".into(),
        }
    );
    let record = relais_store::jobs::get(&app.store, digest::JOB, &run_key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (record.state, record.attempts),
        (
            RunState::Failed {
                next_attempt_at: retry_at
            },
            1
        )
    );

    // The relay comes back on the same address.
    let inbox = Inbox::default();
    smtp_server_on(TcpListener::bind(("127.0.0.1", port)).unwrap(), inbox.clone());
    app.clock.advance(60);
    assert_eq!(
        digest::run(&second, &mail, &Targets::default()).await.unwrap(),
        Outcome::RetryLater { at: retry_at },
        "not before the retry is due"
    );
    assert!(inbox.messages.lock().unwrap().is_empty());

    // Once due, another process sends it.
    app.clock.advance(4 * 60);
    assert_eq!(
        digest::run(&second, &mail, &Targets::default()).await.unwrap(),
        Outcome::Sent { emails: 1, items: 1 }
    );
    let messages = inbox.messages.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].0, vec!["retry-officer@relais.test".to_owned()]);
    let record = relais_store::jobs::get(&app.store, digest::JOB, &run_key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((record.state, record.attempts), (RunState::Done, 2));

    // Neither process sends the day's digest again, even after the retries' times.
    app.clock.advance(2 * 3600);
    for process in [&first, &second] {
        assert_eq!(
            digest::run(process, &mail, &Targets::default()).await.unwrap(),
            Outcome::AlreadyDone
        );
    }
    assert_eq!(inbox.messages.lock().unwrap().len(), 1);
}

/// A referrer is told by e-mail that someone else changed their referral's
/// status: once, whichever process queues it, with the reference, the
/// status and a link, and nothing about the person.
pub async fn a_referrer_is_told_by_email_that_their_referral_was_accepted(app: &TestApp) {
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let ((_, author), officer) =
        super::cases_flow::author_and_officer(app, "status-author@relais.test", "status-officer@relais.test").await;
    let id = referral(app, &author, &details("Petrova", "93", false)).await;
    let state = process(app);
    assert_eq!(
        status_notices::queue_pending(&state).await.unwrap(),
        0,
        "the referrer's own submission tells nobody"
    );
    let owner = app.sign_in(&officer).await;
    super::cases_flow::accept(app, &owner, &id).await;
    let other = process(app);
    assert_eq!(status_notices::queue_pending(&state).await.unwrap(), 1);
    assert_eq!(
        status_notices::queue_pending(&other).await.unwrap(),
        0,
        "once, whichever process"
    );
    let mail = MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Relais <no-reply@relais.test>".into(),
    };
    relais_web::jobs::outbox::send_pending(&state.store, &mail, app.clock.now())
        .await
        .unwrap();
    let messages = inbox.messages.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    let (to, data) = &messages[0];
    assert_eq!(to, &vec!["status-author@relais.test".to_owned()]);
    // Quoted-printable lines are joined before reading.
    let text = data.replace("=\r\n", "").replace("=C3=A9", "é");
    assert!(text.contains(&format!("https://relais.test/referrals/{id}")), "{text}");
    assert!(text.contains("RL-") && text.contains("Accepté"), "{text}");
    assert!(
        !text.contains("Petrova") && !text.contains("Anna"),
        "no names in e-mail: {text}"
    );
}
