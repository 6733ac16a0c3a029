//! The `relais` binary end to end, on SQLite and PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

#[path = "cli/demo_generate.rs"]
mod demo_generate;
#[path = "cli/linkage.rs"]
mod linkage;
#[path = "cli/observatory.rs"]
mod observatory;
#[path = "cli/observatory_export.rs"]
mod observatory_export;
#[path = "cli/observatory_table.rs"]
mod observatory_table;
#[path = "cli/operations.rs"]
mod operations;
#[path = "cli/plan.rs"]
mod plan;
#[path = "cli/stats_mse.rs"]
mod stats_mse;

use relais_store::testing::{self, TestDatabase};
use relais_store::{Keys, SecretKey, Store, StoreOptions};
use std::process::{Command, Output};

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
        Self {
            dir: tempfile::tempdir().unwrap(),
            db,
            postgres,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
        command.args(args).arg("--data-dir").arg(self.dir.path());
        command.env_remove("DATABASE_URL").env_remove("RELAIS_SECRET_KEY");
        if self.postgres {
            command
                .env("DATABASE_URL", &self.db.url)
                .env("RELAIS_SECRET_KEY", "ab".repeat(32));
        }
        command.output().unwrap()
    }

    async fn store(&self) -> Store {
        let url = if self.postgres {
            self.db.url.clone()
        } else {
            format!("sqlite://{}?mode=rwc", self.dir.path().join("relais.db").display())
        };
        Store::connect(&url, Keys::derive(&SecretKey::generate()), &StoreOptions::default())
            .await
            .unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn audit_verify_names_the_first_broken_row(postgres: bool) {
    let env = Env::new(postgres).await;
    let seeded = env.run(&["demo", "seed"]);
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    assert!(stdout(&seeded).contains("admin@demo.relais.test"));

    let intact = env.run(&["audit", "verify"]);
    assert_eq!(intact.status.code(), Some(0));
    assert!(stdout(&intact).contains("intact"));

    let store = env.store().await;
    testing::execute_raw(
        &store,
        "INSERT INTO audit_log (seq, at, action, object_type, prev_hash, hash) \
         SELECT seq + 1, at, action, object_type, hash, hash FROM audit_log WHERE seq = (SELECT seq FROM audit_head)",
    )
    .await
    .unwrap();
    let appended = env.run(&["audit", "verify"]);
    assert_eq!(appended.status.code(), Some(1));
    assert!(
        stdout(&appended).contains("lies beyond the recorded head (inserted)"),
        "{}",
        stdout(&appended)
    );
    testing::execute_raw(&store, "DELETE FROM audit_log WHERE seq > (SELECT seq FROM audit_head)")
        .await
        .unwrap();

    let original = testing::texts(&store, "SELECT action FROM audit_log WHERE seq = 4")
        .await
        .unwrap()
        .remove(0);
    assert_ne!(original, "user.read", "the tampering must change the row");
    testing::execute_raw(&store, "UPDATE audit_log SET action = 'user.read' WHERE seq = 4")
        .await
        .unwrap();
    let altered = env.run(&["audit", "verify"]);
    assert_eq!(altered.status.code(), Some(1));
    assert!(
        stdout(&altered).contains("row 4: its content does not match"),
        "{}",
        stdout(&altered)
    );

    testing::execute_raw(
        &store,
        &format!("UPDATE audit_log SET action = '{original}' WHERE seq = 4"),
    )
    .await
    .unwrap();
    assert_eq!(
        env.run(&["audit", "verify"]).status.code(),
        Some(0),
        "restoring the row restores the chain"
    );

    testing::execute_raw(&store, "DELETE FROM audit_log WHERE seq = 7")
        .await
        .unwrap();
    let deleted = env.run(&["audit", "verify"]);
    assert_eq!(deleted.status.code(), Some(1));
    assert!(
        stdout(&deleted).contains("row 8: expected sequence number 7"),
        "{}",
        stdout(&deleted)
    );

    testing::execute_raw(
        &store,
        "INSERT INTO audit_log (seq, at, action, object_type, prev_hash, hash) \
         SELECT 7, at, action, object_type, prev_hash, hash FROM audit_log WHERE seq = 6",
    )
    .await
    .unwrap();
    let inserted = env.run(&["audit", "verify"]);
    assert_eq!(inserted.status.code(), Some(1));
    assert!(stdout(&inserted).contains("row 7:"), "{}", stdout(&inserted));

    store.close().await;
}

async fn demo_code_admin_create_and_backup(postgres: bool) {
    let env = Env::new(postgres).await;
    assert!(env.run(&["demo", "seed"]).status.success());
    let code = stdout(&env.run(&["demo", "code", "police@demo.relais.test"]));
    assert_eq!(code.trim().len(), 6, "{code}");
    assert!(code.trim().chars().all(|c| c.is_ascii_digit()));
    let again = env.run(&["demo", "seed"]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "demo data goes only into an empty database"
    );

    let created = env.run(&["admin", "create", "--email", "Root@Relais.test"]);
    assert!(created.status.success());
    assert!(stdout(&created).contains("/setup/"));
    let bad = env.run(&["admin", "create", "--email", "not-an-address"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid e-mail address"));

    let target = env.dir.path().join("backup.db");
    let backup = env.run(&["backup", "--to", target.to_str().unwrap()]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert!(target.metadata().unwrap().len() > 0);
}

async fn directory_export_after_the_demo_then_import_all_or_nothing(postgres: bool) {
    let env = Env::new(postgres).await;
    assert!(env.run(&["demo", "seed"]).status.success());
    let contacts = env.run(&[
        "directory",
        "export",
        "--kind",
        "prefecture-contacts",
        "--format",
        "csv",
    ]);
    assert!(
        contacts.status.success(),
        "{}",
        String::from_utf8_lossy(&contacts.stderr)
    );
    let text = stdout(&contacts);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "departement,prefecture,name,email,phone");
    let codes: Vec<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    let all: Vec<&str> = relais_domain::territory::Departement::all()
        .map(relais_domain::territory::Departement::code)
        .collect();
    assert_eq!(codes, all, "101 contacts, one per département, the code first");
    assert!(
        lines.iter().any(|l| l.starts_with("13,Préfecture de Marseille")),
        "{text}"
    );

    let file = env.dir.path().join("services.csv");
    let exported = env.run(&[
        "directory",
        "export",
        "--kind",
        "services",
        "--format",
        "csv",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(exported.status.success());
    let services = std::fs::read_to_string(&file).unwrap();
    assert_eq!(services.lines().count(), 1 + 12, "{services}");
    assert!(
        services
            .lines()
            .skip(1)
            .all(|l| relais_domain::territory::Departement::parse(l.split(',').next().unwrap()).is_some())
    );
    assert!(services.contains("Foyer Horizon — Montreuil (fictif),accommodation,*,,18,,no,,fr ar,"));
    let again = env.run(&["directory", "import", "--kind", "services", file.to_str().unwrap()]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(stdout(&again).contains("Imported 12 services."));

    let broken = env.dir.path().join("broken.csv");
    std::fs::write(&broken, services.replacen("\n93,", "\n93x,", 1)).unwrap();
    let refused = env.run(&["directory", "import", "--kind", "services", broken.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("nothing imported") && stderr.contains(", departement: not a département code"),
        "{stderr}"
    );
}

/// `demo code` shows codes of demo accounts only, and audits each showing.
async fn demo_code_refuses_real_accounts_and_is_audited(postgres: bool) {
    let env = Env::new(postgres).await;
    assert!(env.run(&["demo", "seed"]).status.success());
    let store = env.store().await;
    // An ordinary account with an enrolled authenticator, like any real one.
    testing::execute_raw(
        &store,
        "UPDATE users SET email = 'officier@interieur.gouv.fr' WHERE email = 'police@demo.relais.test'",
    )
    .await
    .unwrap();
    let refused = env.run(&["demo", "code", "officier@interieur.gouv.fr"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stdout(&refused).trim().is_empty(), "no code printed");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("only for demonstration accounts (@demo.relais.test)"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let audited = "SELECT object_id FROM audit_log WHERE action = 'demo.code_shown'";
    assert!(testing::texts(&store, audited).await.unwrap().is_empty());

    let shown = env.run(&["demo", "code", "accompagnement@demo.relais.test"]);
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    let ids = testing::texts(&store, audited).await.unwrap();
    let user = testing::texts(
        &store,
        "SELECT id FROM users WHERE email = 'accompagnement@demo.relais.test'",
    )
    .await
    .unwrap();
    assert_eq!(ids, user, "one audit row naming the demo account");
    assert_eq!(env.run(&["audit", "verify"]).status.code(), Some(0));
    store.close().await;
}

/// `demo seed` writes in one transaction: a failure at its last step (the
/// demo referrals) leaves no demo organisation, user or directory entry,
/// and the database can be seeded again.
async fn demo_seed_is_all_or_nothing(postgres: bool) {
    let env = Env::new(postgres).await;
    let migrated = env.run(&["migrate"]);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let store = env.store().await;
    let inject: &[&str] = if postgres {
        &[
            "CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
            "CREATE TRIGGER injected_failure BEFORE INSERT ON referrals FOR EACH ROW EXECUTE FUNCTION injected_failure()",
        ]
    } else {
        &[
            "CREATE TRIGGER injected_failure BEFORE INSERT ON referrals BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ]
    };
    for sql in inject {
        testing::execute_raw(&store, sql).await.unwrap();
    }
    let failed = env.run(&["demo", "seed"]);
    assert!(!failed.status.success(), "the injected failure stops the seed");
    for table in [
        "organisations",
        "users",
        "services",
        "prefecture_contacts",
        "child_protection_units",
        "referrals",
    ] {
        let rows = testing::execute_raw(&store, &format!("DELETE FROM {table}"))
            .await
            .unwrap();
        assert_eq!(rows, 0, "{table}: nothing half-built");
    }
    let drop = if postgres {
        "DROP TRIGGER injected_failure ON referrals"
    } else {
        "DROP TRIGGER injected_failure"
    };
    testing::execute_raw(&store, drop).await.unwrap();
    let seeded = env.run(&["demo", "seed"]);
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    assert_eq!(
        testing::execute_raw(&store, "UPDATE users SET id = id").await.unwrap(),
        15
    );
}

async fn retention_dry_run_counts_then_the_run_erases_and_the_audit_verifies(postgres: bool) {
    let env = Env::new(postgres).await;
    assert!(env.run(&["demo", "seed"]).status.success());
    let store = env.store().await;
    // The demo's drafts, as if untouched for years.
    let aged = testing::execute_raw(&store, "UPDATE referrals SET updated_at = 0 WHERE status = 'draft'")
        .await
        .unwrap();
    assert!(aged > 0, "the demo has drafts");
    let drafts = "SELECT CAST(COUNT(*) AS TEXT) FROM referrals WHERE status = 'draft'";

    let dry = env.run(&["retention", "run", "--dry-run"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let line = |out: &Output| -> Vec<String> {
        stdout(out)
            .lines()
            .find(|l| l.starts_with("draft-referral"))
            .map(|l| l.split_whitespace().map(str::to_owned).collect())
            .unwrap()
    };
    assert_eq!(
        line(&dry),
        vec!["draft-referral".to_owned(), aged.to_string(), "due".into()]
    );
    assert_eq!(testing::texts(&store, drafts).await.unwrap(), vec![aged.to_string()]);

    let run = env.run(&["retention", "run"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(
        line(&run),
        vec!["draft-referral".to_owned(), aged.to_string(), "erased".into()]
    );
    assert_eq!(testing::texts(&store, drafts).await.unwrap(), vec!["0".to_owned()]);
    assert_eq!(env.run(&["audit", "verify"]).status.code(), Some(0));

    // A schedule that would erase the proof of an erasure first is refused.
    let mut bad = Command::new(env!("CARGO_BIN_EXE_relais"));
    bad.args(["retention", "run", "--dry-run", "--data-dir"])
        .arg(env.dir.path())
        .env("RELAIS_RETENTION_AUDIT_ROWS_MONTHS", "12");
    if postgres {
        bad.env("DATABASE_URL", &env.db.url)
            .env("RELAIS_SECRET_KEY", "ab".repeat(32));
    }
    let refused = bad.output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("audit trail must be kept"));
    store.close().await;
}

mod sqlite {
    #[tokio::test]
    async fn demo_generate_keeps_the_deadlines() {
        super::demo_generate::the_deadlines_kept_match_a_computation_from_scratch(false).await;
    }

    #[tokio::test]
    async fn doctor_says_what_to_fix() {
        super::operations::doctor_says_what_to_fix(false).await;
    }

    #[tokio::test]
    async fn migrate_needs_a_recent_backup() {
        super::operations::migrate_needs_a_recent_backup(false).await;
    }

    #[tokio::test]
    async fn observatory_import_all_or_nothing() {
        super::observatory::import_all_or_nothing(false).await;
    }

    #[tokio::test]
    async fn observatory_export_a_year() {
        super::observatory_export::export_a_year(false).await;
    }

    #[tokio::test]
    async fn plan_import_report_export() {
        super::plan::import_report_export(false).await;
    }

    #[tokio::test]
    async fn retention_dry_run_counts_then_the_run_erases_and_the_audit_verifies() {
        super::retention_dry_run_counts_then_the_run_erases_and_the_audit_verifies(false).await;
    }

    #[tokio::test]
    async fn demo_code_refuses_real_accounts_and_is_audited() {
        super::demo_code_refuses_real_accounts_and_is_audited(false).await;
    }

    #[tokio::test]
    async fn audit_verify_names_the_first_broken_row() {
        super::audit_verify_names_the_first_broken_row(false).await;
    }

    #[tokio::test]
    async fn directory_export_after_the_demo_then_import_all_or_nothing() {
        super::directory_export_after_the_demo_then_import_all_or_nothing(false).await;
    }

    #[tokio::test]
    async fn demo_code_admin_create_and_backup() {
        super::demo_code_admin_create_and_backup(false).await;
    }

    #[tokio::test]
    async fn demo_seed_is_all_or_nothing() {
        super::demo_seed_is_all_or_nothing(false).await;
    }
}

mod postgres {
    #[tokio::test]
    async fn demo_generate_keeps_the_deadlines() {
        super::demo_generate::the_deadlines_kept_match_a_computation_from_scratch(true).await;
    }

    #[tokio::test]
    async fn doctor_says_what_to_fix() {
        super::operations::doctor_says_what_to_fix(true).await;
    }

    #[tokio::test]
    async fn migrate_needs_a_recent_backup() {
        super::operations::migrate_needs_a_recent_backup(true).await;
    }

    #[tokio::test]
    async fn observatory_import_all_or_nothing() {
        super::observatory::import_all_or_nothing(true).await;
    }

    #[tokio::test]
    async fn observatory_export_a_year() {
        super::observatory_export::export_a_year(true).await;
    }

    #[tokio::test]
    async fn plan_import_report_export() {
        super::plan::import_report_export(true).await;
    }

    #[tokio::test]
    async fn retention_dry_run_counts_then_the_run_erases_and_the_audit_verifies() {
        super::retention_dry_run_counts_then_the_run_erases_and_the_audit_verifies(true).await;
    }

    #[tokio::test]
    async fn demo_code_refuses_real_accounts_and_is_audited() {
        super::demo_code_refuses_real_accounts_and_is_audited(true).await;
    }

    #[tokio::test]
    async fn audit_verify_names_the_first_broken_row() {
        super::audit_verify_names_the_first_broken_row(true).await;
    }

    #[tokio::test]
    async fn directory_export_after_the_demo_then_import_all_or_nothing() {
        super::directory_export_after_the_demo_then_import_all_or_nothing(true).await;
    }

    #[tokio::test]
    async fn demo_code_admin_create_and_backup() {
        super::demo_code_admin_create_and_backup(true).await;
    }

    #[tokio::test]
    async fn demo_seed_is_all_or_nothing() {
        super::demo_seed_is_all_or_nothing(true).await;
    }
}

/// The test clock moves time for whoever can write its file: only a test
/// build (feature `test-clock`) honours it. `make test` runs this with the
/// feature (its browser tests drive that binary); `cargo test` without it
/// checks the refusal, as `config::tests` does in both.
#[test]
fn the_test_clock_is_refused_by_a_normal_build() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(["migrate", "--data-dir"])
        .arg(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("RELAIS_SECRET_KEY")
        .env("RELAIS_TEST_CLOCK_FILE", dir.path().join("clock-offset"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if cfg!(feature = "test-clock") {
        assert!(output.status.success(), "{stderr}");
    } else {
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("test_clock_file (RELAIS_TEST_CLOCK_FILE) is refused"),
            "{stderr}"
        );
        assert!(
            !dir.path().join("relais.db").exists(),
            "refused before anything is opened"
        );
    }
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["doctor", "--help"],
        vec!["admin", "create", "--help"],
        vec!["demo", "seed", "--help"],
        vec!["demo", "code", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["db", "digest", "--help"],
        vec!["stats", "mse", "--help"],
        vec!["catalogue", "import", "--help"],
        vec!["screening", "evaluate", "--help"],
        vec!["calendar", "add-working-days", "--help"],
        vec!["digest", "send", "--help"],
        vec!["directory", "import", "--help"],
        vec!["directory", "export", "--help"],
        vec!["retention", "run", "--help"],
        vec!["observatory", "table", "--help"],
        vec!["observatory", "import", "--help"],
        vec!["observatory", "export", "--help"],
        vec!["linkage", "encode", "--help"],
        vec!["linkage", "link", "--help"],
        vec!["linkage", "estimate", "--help"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_relais")).args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
}

#[test]
fn calendar_counts_working_days_with_the_departements_holidays() {
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_relais")).args(args).output().unwrap();
    // Thursday before Easter 2026: Good Friday is a holiday only in Alsace-Moselle.
    let national = run(&["calendar", "add-working-days", "2026-04-02", "1"]);
    assert_eq!(stdout(&national).trim(), "2026-04-03");
    let moselle = run(&["calendar", "add-working-days", "2026-04-02", "1", "--departement", "57"]);
    assert_eq!(stdout(&moselle).trim(), "2026-04-07");
    let five = run(&["calendar", "add-working-days", "2026-12-24", "5"]);
    assert_eq!(stdout(&five).trim(), "2027-01-04");
    let bad = run(&["calendar", "add-working-days", "2026-02-30", "1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("2026-02-30"));
    let unknown = run(&["calendar", "add-working-days", "2026-02-02", "1", "--departement", "20"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[tokio::test]
async fn json_logs_are_one_object_per_line() {
    operations::json_logs_are_one_object_per_line().await;
}

#[tokio::test]
async fn digest_send_needs_an_smtp_relay() {
    let env = Env::new(false).await;
    let refused = env.run(&["digest", "send"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("smtp_url"));
}

#[tokio::test]
async fn catalogue_import_names_line_and_field() {
    let env = Env::new(false).await;
    let shipped = relais_domain::intake::catalogue::shipped::ALL[0].text;
    let broken = env.dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        shipped
            .replacen("version: 1", "version: 3", 1)
            .replacen("strength: strong", "strength: strongish", 1),
    )
    .unwrap();
    let refused = env.run(&["catalogue", "import", broken.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("line ") && stderr.contains("strongish"), "{stderr}");
    let good = env.dir.path().join("good.yaml");
    // Version 2 is shipped too: the next free number is 3.
    std::fs::write(&good, shipped.replacen("version: 1", "version: 3", 1)).unwrap();
    let imported = env.run(&["catalogue", "import", good.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(stdout(&imported).contains("Imported ilo-ec-delphi-2009-labour version 3"));
}

#[tokio::test]
async fn configuration_file_then_environment() {
    let env = Env::new(false).await;
    std::fs::write(
        env.dir.path().join("relais.toml"),
        "public_url = \"https://relais.example.test/\"\n",
    )
    .unwrap();
    let from_file = env.run(&["admin", "create", "--email", "a@relais.test"]);
    assert!(
        stdout(&from_file).contains("https://relais.example.test/setup/"),
        "{}",
        stdout(&from_file)
    );
    let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
    command
        .args(["admin", "create", "--email", "b@relais.test", "--data-dir"])
        .arg(env.dir.path());
    let from_env = command
        .env("RELAIS_PUBLIC_URL", "https://override.example.test")
        .output()
        .unwrap();
    assert!(
        stdout(&from_env).contains("https://override.example.test/setup/"),
        "{}",
        stdout(&from_env)
    );
    std::fs::write(env.dir.path().join("relais.toml"), "public_url = [\n").unwrap();
    let broken = env.run(&["migrate"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("configuration"));
}
