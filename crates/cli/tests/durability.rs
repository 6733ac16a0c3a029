//! Nothing acknowledged is lost (docs/adr/0018-durability-crash-and-backup.md):
//! the real `relais` binary is killed with SIGKILL while it writes — the
//! server under concurrent public signalements and API referrals, the demo
//! seed, a directory import — and what it acknowledged is found after the
//! restart, with an intact audit chain. Then a backup is restored into a
//! fresh database and every table's digest compared. On SQLite and
//! PostgreSQL. The figures go to standard error (`--nocapture` shows them).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

use relais_domain::access::authz::{self, ManageApiTokens};
use relais_domain::ids::{OrganisationId, UserId};
use relais_domain::time::Timestamp;
use relais_store::testing::{self, TestDatabase};
use relais_store::{Actor, Keys, SecretKey, Store, StoreOptions, access::api_tokens, access::users, durability};
use serde_json::json;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEY: &str = "ab";

fn secret_hex() -> String {
    KEY.repeat(32)
}

/// A data folder and a database, SQLite or PostgreSQL.
struct Env {
    dir: tempfile::TempDir,
    db: TestDatabase,
    postgres: bool,
}

impl Env {
    async fn new(postgres: bool) -> Self {
        let db = if postgres {
            testing::postgres()
                .await
                .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)")
        } else {
            testing::sqlite().await.unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        // Every worker writes from its own (forwarded) address, as many
        // people would: the public form allows 5 signalements per address.
        std::fs::write(dir.path().join("relais.toml"), "trusted_proxies = [\"127.0.0.1/32\"]\n").unwrap();
        Self { dir, db, postgres }
    }

    fn url(&self) -> String {
        if self.postgres {
            self.db.url.clone()
        } else {
            format!("sqlite://{}?mode=rwc", self.dir.path().join("relais.db").display())
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
        command
            .args(args)
            .arg("--data-dir")
            .arg(self.dir.path())
            .env("DATABASE_URL", self.url())
            .env("RELAIS_SECRET_KEY", secret_hex())
            .env_remove("RELAIS_CONFIG");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    async fn store(&self) -> Store {
        let keys = Keys::derive(&SecretKey::from_hex(&secret_hex()).unwrap());
        Store::connect(&self.url(), keys, &StoreOptions::default())
            .await
            .unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}\n{}\n{}",
        output.status,
        stdout(output),
        stderr(output)
    );
}

async fn count(store: &Store, table: &str) -> u64 {
    count_where(store, table, "TRUE").await
}

/// Rows of `table` that meet `condition` (counted by an update that changes nothing).
async fn count_where(store: &Store, table: &str, condition: &str) -> u64 {
    testing::execute_raw(store, &format!("UPDATE {table} SET id = id WHERE {condition}"))
        .await
        .unwrap()
}

fn audit_verifies(env: &Env) {
    let verified = env.run(&["audit", "verify"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
    assert!(stdout(&verified).contains("intact"));
}

fn now() -> Timestamp {
    relais_web::Clock::System.now()
}

/// `relais serve` on a free port, until killed.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(env: &Env) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let log = env.dir.path().join(format!("serve-{port}.log"));
        let child = env
            .command(&["serve", "--listen", &listen])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let server = Self {
            child,
            base: format!("http://{listen}"),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(response) = client.get(format!("{}/healthz", server.base)).send().await
                && response.status().is_success()
            {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not come up: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown code runs, as in a crash or an OOM kill.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// An API token for the demo police unit, issued as the demo administrator.
async fn api_token(store: &Store) -> String {
    let admin = testing::texts(store, "SELECT id FROM users WHERE email = 'admin@demo.relais.test'")
        .await
        .unwrap();
    let police = testing::texts(
        store,
        "SELECT organisation_id FROM users WHERE email = 'police@demo.relais.test'",
    )
    .await
    .unwrap();
    let (principal, _) = users::principal(store, &UserId::parse(&admin[0]).unwrap(), now())
        .await
        .unwrap()
        .unwrap();
    let can = authz::authorize_privileged::<ManageApiTokens>(&principal, now()).unwrap();
    let mut tx = store.begin(Actor::system(), "crash-test", now()).await.unwrap();
    let (_, secret) = api_tokens::issue(&mut tx, &can, &OrganisationId::parse(&police[0]).unwrap(), "crash test")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    secret.expose().to_owned()
}

fn referral_body(n: usize) -> String {
    json!({
        "family_name": format!("Crash{n}"),
        "age": "adult",
        "sex": "female",
        "nationality": "BGR",
        "departement": "31",
        "languages": "bulgare",
        "interpreter_needed": "no",
        "circumstances": "Rencontrée lors d'un contrôle",
        "forms": ["labour"],
        "location": "france",
        "act": "yes",
        "consent": "given",
        "consent_language": "bulgare",
        "consent_interpreter": "no",
        "consent_explained_by": "Agent Martin",
        "consent_date": "2026-12-01"
    })
    .to_string()
}

fn between<'a>(html: &'a str, start: &str, end: char) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    html[from..].split(end).next()
}

/// A distinct forwarded address per request (10.x.y.z).
fn address(worker: usize, n: usize) -> String {
    format!("10.{}.{}.{}", worker, (n / 250) % 250, n % 250 + 1)
}

/// A browser-like client: cookies kept, redirects not followed.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Files one public signalement as a browser does (form first, for its
/// CSRF and form tokens); the receipt (code, passphrase) once acknowledged.
async fn file_signalement(base: &str, from: &str) -> Option<(String, String)> {
    let client = browser();
    let form = client
        .get(format!("{base}/signalement"))
        .header("x-forwarded-for", from)
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let csrf = between(&form, "name=\"csrf\" value=\"", '"')?.to_owned();
    let token = between(&form, "name=\"form_token\" value=\"", '"')?.to_owned();
    let sent = client
        .post(format!("{base}/signalement"))
        .header("x-forwarded-for", from)
        .form(&[
            ("csrf", csrf.as_str()),
            ("form_token", token.as_str()),
            ("description", "Des ouvriers enfermés la nuit dans un hangar"),
            ("departement", "59"),
            ("minor", "unknown"),
            ("forms", "labour"),
            ("danger", "yes"),
            ("website", ""),
        ])
        .send()
        .await
        .ok()?;
    if sent.status().as_u16() != 303 {
        return None;
    }
    let done = client
        .get(format!("{base}/signalement/envoye"))
        .header("x-forwarded-for", from)
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let code = between(&done, "id=\"followup-code\">", '<')?.to_owned();
    let passphrase = between(&done, "id=\"followup-passphrase\">", '<')?.to_owned();
    Some((code, passphrase))
}

/// Whether a signalement's code and passphrase open its follow-up page.
async fn signalement_found(base: &str, from: &str, code: &str, passphrase: &str) -> bool {
    let client = browser();
    let form = client
        .get(format!("{base}/signalement/suivi"))
        .header("x-forwarded-for", from)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = between(&form, "name=\"csrf\" value=\"", '"').unwrap().to_owned();
    let response = client
        .post(format!("{base}/signalement/suivi"))
        .header("x-forwarded-for", from)
        .form(&[("csrf", csrf.as_str()), ("code", code), ("passphrase", passphrase)])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let html = response.text().await.unwrap();
    status == 200 && html.contains("id=\"followup-status\"")
}

/// Submits one API referral; its reference once acknowledged (201).
async fn submit_referral(client: &reqwest::Client, base: &str, token: &str, n: usize) -> Option<String> {
    let response = client
        .post(format!("{base}/api/v1/referrals"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("idempotency-key", format!("crash-{n}"))
        .body(referral_body(n))
        .send()
        .await
        .ok()?;
    if response.status().as_u16() != 201 {
        return None;
    }
    let body: serde_json::Value = serde_json::from_str(&response.text().await.ok()?).ok()?;
    body["reference"].as_str().map(str::to_owned)
}

/// What the workers were told was saved.
#[derive(Default)]
struct Acknowledged {
    signalements: Mutex<Vec<(String, String)>>,
    referrals: Mutex<Vec<String>>,
    attempts: AtomicUsize,
}

impl Acknowledged {
    fn total(&self) -> usize {
        self.signalements.lock().unwrap().len() + self.referrals.lock().unwrap().len()
    }
}

/// The server killed under concurrent acknowledged writes keeps every one.
async fn server_killed_under_writes_keeps_every_acknowledged_one(postgres: bool) {
    let env = Env::new(postgres).await;
    succeeded(&env.run(&["demo", "seed"]));
    let store = env.store().await;
    let token = api_token(&store).await;
    // Counted from now on: the server's retention job may remove old demo referrals meanwhile.
    let since = now().0;

    let server = Server::start(&env).await;
    let acked = Arc::new(Acknowledged::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for worker in 0..4 {
        let (acked, stop, base, token) = (acked.clone(), stop.clone(), server.base.clone(), token.clone());
        workers.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap();
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                acked.attempts.fetch_add(1, Ordering::SeqCst);
                if worker % 2 == 0 {
                    match file_signalement(&base, &address(worker, n)).await {
                        Some(receipt) => acked.signalements.lock().unwrap().push(receipt),
                        None => break,
                    }
                } else {
                    match submit_referral(&client, &base, &token, worker * 100_000 + n).await {
                        Some(reference) => acked.referrals.lock().unwrap().push(reference),
                        None => break,
                    }
                }
            }
        }));
    }
    // Let writes pile up, then kill while the workers still send.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.total() < 24 {
        assert!(Instant::now() < deadline, "too few writes acknowledged");
        assert!(
            workers.iter().all(|w| !w.is_finished()),
            "a worker was refused before the kill"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill();
    stop.store(true, Ordering::SeqCst);
    for worker in workers {
        worker.await.unwrap();
    }
    let signalements = acked.signalements.lock().unwrap().clone();
    let referrals = acked.referrals.lock().unwrap().clone();
    let attempts = acked.attempts.load(Ordering::SeqCst);
    assert!(!signalements.is_empty() && !referrals.is_empty());

    let server = Server::start(&env).await;
    let client = reqwest::Client::new();
    for reference in &referrals {
        let response = client
            .get(format!("{}/api/v1/referrals/{reference}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "referral {reference} lost");
    }
    for (n, (code, passphrase)) in signalements.iter().enumerate() {
        assert!(
            signalement_found(&server.base, &address(9, n + 1), code, passphrase).await,
            "signalement {code} lost"
        );
    }
    server.kill();
    let stored = count_where(&store, "referrals", &format!("created_at >= {since}")).await;
    assert!(stored >= (signalements.len() + referrals.len()) as u64);
    eprintln!(
        "crash test ({}): {attempts} writes sent, {} acknowledged ({} signalements, {} API referrals), \
         all {} found after kill -9 and restart; {stored} stored (the rest were in flight)",
        if postgres { "postgres" } else { "sqlite" },
        signalements.len() + referrals.len(),
        signalements.len(),
        referrals.len(),
        signalements.len() + referrals.len(),
    );
    audit_verifies(&env);
    store.close().await;
}

/// Waits until `child` is inside a write transaction, then kills it.
async fn kill_while_writing(child: &mut Child, store: &Store, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "{what} ended before a write transaction was seen"
        );
        if testing::writer_in_flight(store).await.unwrap() {
            break;
        }
        assert!(Instant::now() < deadline, "{what}: no write seen");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// `demo seed` killed inside its transaction leaves no demo at all, and
/// seeds completely when run again.
async fn demo_seed_killed_leaves_before_or_after(postgres: bool) {
    let env = Env::new(postgres).await;
    succeeded(&env.run(&["migrate"]));
    let store = env.store().await;
    let before = durability::digest(&store).await.unwrap();
    let mut seed = env.command(&["demo", "seed"]).stdout(Stdio::null()).spawn().unwrap();
    kill_while_writing(&mut seed, &store, "demo seed").await;
    let after_kill = durability::digest(&store).await.unwrap();
    for table in [
        "organisations",
        "users",
        "services",
        "prefecture_contacts",
        "referrals",
        "audit_log",
    ] {
        assert_eq!(
            after_kill.table(table),
            before.table(table),
            "{table}: as before the seed, nothing half-built"
        );
    }
    audit_verifies(&env);
    succeeded(&env.run(&["demo", "seed"]));
    assert_eq!(count(&store, "users").await, 15, "the whole demo after the rerun");
    audit_verifies(&env);
    store.close().await;
}

/// A directory import killed while it stages leaves the directory as it
/// was; running it again imports the whole file.
async fn directory_import_killed_leaves_the_directory_as_it_was(postgres: bool) {
    let env = Env::new(postgres).await;
    succeeded(&env.run(&["demo", "seed"]));
    let exported = env.run(&["directory", "export", "--kind", "services", "--format", "csv"]);
    succeeded(&exported);
    let text = stdout(&exported);
    let mut lines = text.lines();
    let mut file = format!("{}\n", lines.next().unwrap());
    let services: Vec<&str> = lines.collect();
    const ROWS: usize = 4000;
    for n in 0..ROWS {
        let line = services[n % services.len()];
        let fields: Vec<&str> = line.splitn(4, ',').collect();
        assert!(!line.contains('"'), "{line}");
        file.push_str(&format!(
            "{},{},{} n°{n},{}\n",
            fields[0], fields[1], fields[2], fields[3]
        ));
    }
    let path = env.dir.path().join("services.csv");
    std::fs::write(&path, file).unwrap();
    let store = env.store().await;
    let before = durability::digest(&store).await.unwrap();

    let mut import = env
        .command(&["directory", "import", "--kind", "services", path.to_str().unwrap()])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for a staged batch to be committed, then kill while it stages on.
    let deadline = Instant::now() + Duration::from_secs(60);
    let staged = "SELECT CAST(seq AS TEXT) FROM audit_log WHERE action = 'directory.import-stage'";
    while testing::texts(&store, staged).await.unwrap().is_empty() {
        assert!(
            import.try_wait().unwrap().is_none(),
            "the import ended before staging was seen"
        );
        assert!(Instant::now() < deadline, "no staging seen");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert!(import.try_wait().unwrap().is_none(), "the import still runs");
    import.kill().unwrap();
    import.wait().unwrap();
    let after_kill = durability::digest(&store).await.unwrap();
    let services = after_kill.table("services").unwrap();
    let applied = services.rows != before.table("services").unwrap().rows;
    if applied {
        assert_eq!(
            services.rows,
            before.table("services").unwrap().rows + ROWS as u64,
            "the whole file or nothing"
        );
    } else {
        assert_eq!(Some(services), before.table("services"), "the directory is as it was");
        let interrupted = "SELECT id FROM directory_imports WHERE applied = 0";
        assert_eq!(
            testing::texts(&store, interrupted).await.unwrap().len(),
            1,
            "the interrupted import's staged rows wait to be dropped"
        );
    }
    let stage_batches = testing::texts(&store, staged).await.unwrap().len();
    eprintln!(
        "directory import ({}): killed after {stage_batches} of {} staged batches; directory {}",
        if postgres { "postgres" } else { "sqlite" },
        ROWS.div_ceil(500),
        if applied { "complete" } else { "as before" }
    );
    audit_verifies(&env);

    let again = env.run(&["directory", "import", "--kind", "services", path.to_str().unwrap()]);
    succeeded(&again);
    assert!(stdout(&again).contains(&format!("Imported {ROWS} services.")));
    assert_eq!(
        count(&store, "services").await,
        before.table("services").unwrap().rows + ROWS as u64
    );
    audit_verifies(&env);
    store.close().await;
}

fn digest_lines(env: &Env) -> String {
    let digest = env.run(&["db", "digest"]);
    succeeded(&digest);
    stdout(&digest)
}

/// Backup, restore into a fresh database, same digest of every table.
async fn backup_then_restore_gives_the_same_tables(postgres: bool) {
    let source = Env::new(postgres).await;
    succeeded(&source.run(&["demo", "seed"]));
    // Taken first: the backup adds its own record to the source's audit trail, after the copy.
    let digest = digest_lines(&source);
    let backup = source.dir.path().join("relais.backup");
    let backed_up = source.run(&["backup", "--to", backup.to_str().unwrap()]);
    succeeded(&backed_up);
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&backup.metadata().unwrap().permissions()) & 0o777,
        0o600,
        "the backup is private"
    );
    let again = source.run(&["backup", "--to", backup.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "an existing file is not overwritten");
    assert_ne!(
        digest_lines(&source),
        digest,
        "the backup is recorded in the source's audit trail"
    );
    assert!(digest.lines().any(|l| l.starts_with("audit_log ")), "{digest}");
    assert!(digest.lines().last().unwrap().starts_with("total "));

    let target = Env::new(postgres).await;
    let restored = target.run(&["restore", "--from", backup.to_str().unwrap()]);
    succeeded(&restored);
    assert!(
        stdout(&restored).contains("Audit chain intact"),
        "{}",
        stdout(&restored)
    );
    assert_eq!(digest_lines(&target), digest, "every table, row for row");

    let refused = target.run(&["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("not empty"), "{}", stderr(&refused));
    // A change after the backup, then a forced restore puts the backup back.
    succeeded(&target.run(&["admin", "create", "--email", "later@relais.test"]));
    assert_ne!(digest_lines(&target), digest);
    let forced = target.run(&["restore", "--from", backup.to_str().unwrap(), "--force"]);
    succeeded(&forced);
    assert_eq!(digest_lines(&target), digest);
    audit_verifies(&target);
    let rows: Vec<&str> = digest.lines().collect();
    eprintln!(
        "backup/restore ({}): {} tables, {} rows, same digest after restore ({} bytes of backup)",
        if postgres { "postgres" } else { "sqlite" },
        rows.len() - 1,
        rows.iter()
            .filter_map(|l| l.split(' ').nth(1)?.parse::<u64>().ok())
            .sum::<u64>(),
        backup.metadata().unwrap().len()
    );
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn server_killed_under_writes_keeps_every_acknowledged_one() {
        super::server_killed_under_writes_keeps_every_acknowledged_one(false).await;
    }

    #[tokio::test]
    async fn demo_seed_killed_leaves_before_or_after() {
        super::demo_seed_killed_leaves_before_or_after(false).await;
    }

    #[tokio::test]
    async fn directory_import_killed_leaves_the_directory_as_it_was() {
        super::directory_import_killed_leaves_the_directory_as_it_was(false).await;
    }

    #[tokio::test]
    async fn backup_then_restore_gives_the_same_tables() {
        super::backup_then_restore_gives_the_same_tables(false).await;
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn server_killed_under_writes_keeps_every_acknowledged_one() {
        super::server_killed_under_writes_keeps_every_acknowledged_one(true).await;
    }

    #[tokio::test]
    async fn demo_seed_killed_leaves_before_or_after() {
        super::demo_seed_killed_leaves_before_or_after(true).await;
    }

    #[tokio::test]
    async fn directory_import_killed_leaves_the_directory_as_it_was() {
        super::directory_import_killed_leaves_the_directory_as_it_was(true).await;
    }

    #[tokio::test]
    async fn backup_then_restore_gives_the_same_tables() {
        super::backup_then_restore_gives_the_same_tables(true).await;
    }
}
