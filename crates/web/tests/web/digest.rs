//! The daily digest reaches a real SMTP server started by the test: the
//! protocol is spoken by `mailin`, over TCP, as any mail relay would.

use super::harness::TestApp;
use super::triage::{details, referral, user};
use mailin::{Action, Handler, Response, SessionBuilder};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::casework::deadline::Targets;
use relais_store::{Keys, SecretKey};
use relais_web::AppState;
use relais_web::digest::{self, MailSettings, Outcome};
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
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
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
