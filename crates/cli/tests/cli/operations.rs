//! `relais doctor` and the backup-first rule of `relais migrate`.

use super::{Env, stdout};
use relais_store::testing;
use std::process::Output;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The doctor's line for a check, e.g. `OK          Migrations : à jour (…)`.
fn line<'a>(report: &'a str, check: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.contains(&format!(" {check} : ")))
        .unwrap_or_else(|| panic!("no line for {check} in:\n{report}"))
}

/// A data folder as the install script makes it: closed to other accounts.
async fn private_env(postgres: bool) -> Env {
    let env = Env::new(postgres).await;
    #[cfg(unix)]
    std::fs::set_permissions(env.dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    env
}

pub async fn doctor_says_what_to_fix(postgres: bool) {
    let env = private_env(postgres).await;
    let fresh = env.run(&["doctor"]);
    let report = stdout(&fresh);
    assert_eq!(fresh.status.code(), Some(0), "{report}{}", stderr(&fresh));
    assert!(line(&report, "Migrations").starts_with("Attention"), "{report}");

    assert!(env.run(&["demo", "seed"]).status.success());
    let healthy = env.run(&["doctor"]);
    let report = stdout(&healthy);
    assert_eq!(healthy.status.code(), Some(0), "{report}");
    assert!(line(&report, "Configuration").starts_with("OK "), "{report}");
    let database = line(&report, "Base de données");
    assert!(database.starts_with("OK "), "{report}");
    assert!(
        database.contains(if postgres { "PostgreSQL" } else { "SQLite" }),
        "{report}"
    );
    assert!(line(&report, "Migrations").starts_with("OK "), "{report}");
    assert!(line(&report, "Clés de chiffrement").starts_with("OK "), "{report}");
    assert!(line(&report, "Horloge").starts_with("OK "), "{report}");
    assert!(line(&report, "Sauvegarde").starts_with("Attention"), "{report}");
    assert!(line(&report, "Relais SMTP").starts_with("Attention"), "{report}");
    assert!(report.ends_with("Rien à corriger.\n"), "{report}");

    // A misspelt key, an unreachable mail relay: both named, with the fix.
    std::fs::write(
        env.dir.path().join("relais.toml"),
        "smtp_url = \"smtp://127.0.0.1:9\"\npublic_ulr = \"https://x.test\"\n",
    )
    .unwrap();
    let wrong = env.run(&["doctor"]);
    let report = stdout(&wrong);
    assert_eq!(wrong.status.code(), Some(1), "{report}");
    let configuration = line(&report, "Configuration");
    assert!(
        configuration.starts_with("À corriger") && configuration.contains("public_ulr"),
        "{report}"
    );
    let smtp = line(&report, "Relais SMTP");
    assert!(smtp.starts_with("À corriger") && smtp.contains("smtp_url"), "{report}");
    assert!(report.ends_with("2 point(s) à corriger.\n"), "{report}");
    std::fs::remove_file(env.dir.path().join("relais.toml")).unwrap();

    if postgres {
        // The database does not answer.
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_relais"));
        let unreachable = command
            .args(["doctor", "--data-dir"])
            .arg(env.dir.path())
            .env("DATABASE_URL", "postgres://relais@127.0.0.1:9/relais")
            .env("RELAIS_SECRET_KEY", "ab".repeat(32))
            .output()
            .unwrap();
        let report = stdout(&unreachable);
        assert_eq!(unreachable.status.code(), Some(1), "{report}");
        let database = line(&report, "Base de données");
        assert!(
            database.starts_with("À corriger") && database.contains("injoignable"),
            "{report}"
        );
    } else {
        // The generated key file, readable by every account.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let key = env.dir.path().join("secret.key");
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
            let open = env.run(&["doctor"]);
            let report = stdout(&open);
            assert_eq!(open.status.code(), Some(1), "{report}");
            let keys = line(&report, "Clés de chiffrement");
            assert!(
                keys.starts_with("À corriger") && keys.contains("0644") && keys.contains("chmod 600"),
                "{report}"
            );
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
}

/// Makes the last shipped migration (0039) pending again, as on a database
/// of the version before it: its row is deleted and what it created dropped.
async fn undo_migration_39(env: &Env) {
    let store = env.store().await;
    for sql in [
        "DROP TABLE observatory_privacy_ledger",
        "ALTER TABLE observatory_releases DROP COLUMN epsilon_hundredths",
        "DELETE FROM _sqlx_migrations WHERE version = 39",
    ] {
        testing::execute_raw(&store, sql).await.unwrap();
    }
    store.close().await;
}

pub async fn migrate_needs_a_recent_backup(postgres: bool) {
    let env = private_env(postgres).await;
    assert!(env.run(&["demo", "seed"]).status.success());
    undo_migration_39(&env).await;

    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.status.code(), Some(1));
    let migrations = stdout(&doctor);
    assert!(
        line(&migrations, "Migrations").contains("1 en attente (39)"),
        "{migrations}"
    );

    // Every command that would migrate (serve too: not run here, it would serve on success).
    for command in [vec!["migrate"], vec!["audit", "verify"]] {
        let refused = env.run(&command);
        assert_eq!(refused.status.code(), Some(2), "{command:?}");
        assert!(
            stderr(&refused).contains("no backup of this database was taken in the last 24 hours"),
            "{command:?}: {}",
            stderr(&refused)
        );
    }

    let backup = env.dir.path().join("before-upgrade.backup");
    let migrated = env.run(&["migrate", "--backup-to", backup.to_str().unwrap()]);
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    assert!(backup.metadata().unwrap().len() > 0);
    assert!(
        stdout(&migrated).contains("1 migrations applied (up to version 39)"),
        "{}",
        stdout(&migrated)
    );
    let again = env.run(&["migrate"]);
    assert!(stdout(&again).contains("Nothing to migrate"), "{}", stdout(&again));
    let doctor = env.run(&["doctor"]);
    let report = stdout(&doctor);
    assert_eq!(doctor.status.code(), Some(0), "{report}");
    assert!(line(&report, "Sauvegarde").starts_with("OK "), "{report}");

    // A backup taken before (and recorded) lets a later migration go ahead.
    undo_migration_39(&env).await;
    let nightly = env.dir.path().join("nightly.backup");
    assert!(env.run(&["backup", "--to", nightly.to_str().unwrap()]).status.success());
    // Taken by this build on the older schema, it is not recorded: the previous one is.
    assert!(env.run(&["migrate"]).status.success());

    // A database a newer Relais migrated is refused, with the way back.
    let store = env.store().await;
    testing::execute_raw(
        &store,
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
         SELECT 9999, 'from the future', installed_on, success, checksum, execution_time \
         FROM _sqlx_migrations WHERE version = 1",
    )
    .await
    .unwrap();
    store.close().await;
    let newer = env.run(&["migrate"]);
    assert_eq!(newer.status.code(), Some(2));
    assert!(stderr(&newer).contains("does not know (9999)"), "{}", stderr(&newer));
    let doctor = stdout(&env.run(&["doctor"]));
    assert!(line(&doctor, "Migrations").starts_with("À corriger"), "{doctor}");
}

pub async fn json_logs_are_one_object_per_line() {
    let env = Env::new(false).await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(["--log-format", "json", "migrate", "--data-dir"])
        .arg(env.dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("RELAIS_SECRET_KEY")
        .env("RELAIS_LOG", "debug")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<String> = stderr(&output).lines().map(str::to_owned).collect();
    assert!(!lines.is_empty(), "nothing logged at debug level");
    for line in &lines {
        let event: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        for field in ["timestamp", "level", "target"] {
            assert!(event[field].is_string(), "{field} missing: {line}");
        }
    }
}
