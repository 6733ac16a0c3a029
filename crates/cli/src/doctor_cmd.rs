//! `relais doctor`: what an operator must fix before (or while) serving,
//! checked one by one, in French, each with the fix. Reads only: it runs no
//! migration and sends no e-mail (docs/OPERATIONS.md).

use crate::config::{CommonArgs, Config, KeySource, unknown_keys};
use crate::upgrade::BACKUP_MAX_AGE_HOURS;
use relais_store::operations;
use relais_store::{Store, StoreOptions};
use std::path::Path;
use std::process::ExitCode;

/// Skew with the database server's clock worth a warning, then a fix (seconds).
const CLOCK_WARN_SECONDS: i64 = 2;
const CLOCK_FIX_SECONDS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Warning,
    ToFix,
}

struct Finding {
    status: Status,
    check: &'static str,
    detail: String,
}

#[derive(Default)]
struct Report(Vec<Finding>);

impl Report {
    fn add(&mut self, status: Status, check: &'static str, detail: impl Into<String>) {
        self.0.push(Finding {
            status,
            check,
            detail: detail.into(),
        });
    }

    #[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
    fn print(&self) -> ExitCode {
        for finding in &self.0 {
            let label = match finding.status {
                Status::Ok => "OK",
                Status::Warning => "Attention",
                Status::ToFix => "À corriger",
            };
            println!("{label:<11} {} : {}", finding.check, finding.detail);
        }
        let to_fix = self.0.iter().filter(|f| f.status == Status::ToFix).count();
        if to_fix == 0 {
            println!("Rien à corriger.");
            ExitCode::SUCCESS
        } else {
            println!("{to_fix} point(s) à corriger.");
            ExitCode::from(1)
        }
    }
}

pub async fn run(args: &CommonArgs) -> anyhow::Result<ExitCode> {
    let mut report = Report::default();
    let config = match Config::load(args, None) {
        Ok(config) => config,
        Err(error) => {
            report.add(
                Status::ToFix,
                "Configuration",
                format!("illisible ({error:#}) ; corrigez-la (docs/OPERATIONS.md décrit chaque clé)"),
            );
            return Ok(report.print());
        }
    };
    check_keys_are_known(&mut report, args, &config);
    check_key_file(&mut report, &config);
    check_data_dir(&mut report, &config);
    // Five seconds rather than the server's thirty: an unreachable database is said at once.
    let briefly = StoreOptions {
        acquire_timeout: std::time::Duration::from_secs(5),
        ..StoreOptions::default()
    };
    match config.open_store_with(briefly).await {
        Ok(store) => check_database(&mut report, &store).await,
        Err(error) => report.add(
            Status::ToFix,
            "Base de données",
            format!(
                "injoignable ({error:#}) ; vérifiez database_url (DATABASE_URL), que le serveur tourne \
                 et accepte cette machine"
            ),
        ),
    }
    check_smtp(&mut report, &config).await;
    Ok(report.print())
}

fn check_keys_are_known(report: &mut Report, args: &CommonArgs, config: &Config) {
    let source = config
        .file
        .as_ref()
        .map_or_else(|| "sans fichier".to_owned(), |f| f.display().to_string());
    match unknown_keys(args) {
        Ok(unknown) if unknown.is_empty() => {
            report.add(Status::Ok, "Configuration", format!("chaque clé est lue ({source})"));
        }
        Ok(unknown) => report.add(
            Status::ToFix,
            "Configuration",
            format!(
                "clés inconnues, donc ignorées : {} ; corrigez leur nom (docs/OPERATIONS.md les liste)",
                unknown.join(", ")
            ),
        ),
        Err(error) => report.add(Status::ToFix, "Configuration", format!("{error:#}")),
    }
}

fn check_key_file(report: &mut Report, config: &Config) {
    let keys = config.key_ring.ids().len();
    let path = match &config.key_source {
        KeySource::Setting => {
            report.add(
                Status::Ok,
                "Clés de chiffrement",
                format!("{keys} clé(s) dans secret_key (RELAIS_SECRET_KEY), la clé active en premier"),
            );
            return;
        }
        KeySource::File(path) => path,
    };
    let problems = private_file_problems(path, 0o077);
    if problems.is_empty() {
        report.add(
            Status::Ok,
            "Clés de chiffrement",
            format!(
                "{keys} clé(s) dans {}, lisible par son seul propriétaire",
                path.display()
            ),
        );
    } else {
        report.add(Status::ToFix, "Clés de chiffrement", problems.join(" ; "));
    }
}

/// What is wrong with a file or folder that only Relais's account may
/// reach: permission bits of `forbidden` set, or another owner.
#[cfg(unix)]
fn private_file_problems(path: &Path, forbidden: u32) -> Vec<String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => return vec![format!("{} : {error}", path.display())],
    };
    let mut problems = Vec::new();
    let mode = metadata.permissions().mode() & 0o777;
    if mode & forbidden != 0 {
        let wanted = if metadata.is_dir() { "700" } else { "600" };
        problems.push(format!(
            "{} a les droits {mode:04o} : d'autres comptes peuvent y accéder ; chmod {wanted} {}",
            path.display(),
            path.display()
        ));
    }
    // /proc/self belongs to the process's effective user (Linux).
    if let Ok(me) = std::fs::metadata("/proc/self").map(|m| m.uid())
        && metadata.uid() != me
    {
        problems.push(format!(
            "{} appartient à l'utilisateur {} et non à celui qui lance Relais ({me}) ; chown",
            path.display(),
            metadata.uid()
        ));
    }
    problems
}

#[cfg(not(unix))]
fn private_file_problems(_path: &Path, _forbidden: u32) -> Vec<String> {
    Vec::new()
}

fn check_data_dir(report: &mut Report, config: &Config) {
    let dir = &config.data_dir;
    let uses_dir = config.database_url.starts_with("sqlite:")
        || matches!(&config.key_source, KeySource::File(path) if path.starts_with(dir));
    if !uses_dir {
        report.add(
            Status::Ok,
            "Dossier de données",
            format!("{} inutilisé (PostgreSQL, clés hors du dossier)", dir.display()),
        );
        return;
    }
    if !dir.exists() {
        report.add(
            Status::ToFix,
            "Dossier de données",
            format!("{} n'existe pas ; créez-le (mode 700)", dir.display()),
        );
        return;
    }
    let mut problems = private_file_problems(dir, 0o007);
    let probe = tempfile::Builder::new().prefix(".relais-doctor-").tempfile_in(dir);
    if let Err(error) = probe {
        problems.push(format!("{} n'accepte pas d'écriture ({error})", dir.display()));
    }
    if problems.is_empty() {
        report.add(
            Status::Ok,
            "Dossier de données",
            format!("{} inscriptible, fermé aux autres comptes", dir.display()),
        );
    } else {
        report.add(Status::ToFix, "Dossier de données", problems.join(" ; "));
    }
}

async fn check_database(report: &mut Report, store: &Store) {
    match operations::server_version(store).await {
        Ok(version) => report.add(Status::Ok, "Base de données", format!("joignable, {version}")),
        Err(error) => {
            report.add(Status::ToFix, "Base de données", format!("ne répond pas ({error})"));
            return;
        }
    }
    check_clock(report, store).await;
    let status = match operations::migration_status(store).await {
        Ok(status) => status,
        Err(error) => {
            report.add(Status::ToFix, "Migrations", format!("illisibles ({error})"));
            return;
        }
    };
    let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    if !status.unknown.is_empty() {
        report.add(
            Status::ToFix,
            "Migrations",
            format!(
                "la base a des migrations inconnues de cette version ({}) : une version plus récente de \
                 Relais l'a migrée ; installez-la (les migrations ne reviennent pas en arrière)",
                list(&status.unknown)
            ),
        );
    } else if status.is_fresh() {
        report.add(
            Status::Warning,
            "Migrations",
            "base vide : `relais migrate` (ou le premier `relais serve`) la créera",
        );
    } else if status.pending.is_empty() {
        report.add(
            Status::Ok,
            "Migrations",
            format!("à jour ({} appliquées)", status.applied),
        );
    } else {
        report.add(
            Status::ToFix,
            "Migrations",
            format!(
                "{} en attente ({}) ; arrêtez le service puis `relais migrate --backup-to FICHIER`",
                status.pending.len(),
                list(&status.pending)
            ),
        );
    }
    if !status.is_fresh() {
        check_last_backup(report, store).await;
    }
}

async fn check_clock(report: &mut Report, store: &Store) {
    let here = crate::now();
    let there = match operations::server_clock(store).await {
        Ok(there) => there,
        Err(error) => {
            report.add(
                Status::ToFix,
                "Horloge",
                format!("heure du serveur illisible ({error})"),
            );
            return;
        }
    };
    if store.backend() == relais_store::Backend::Sqlite {
        report.add(
            Status::Ok,
            "Horloge",
            "SQLite lit l'horloge de cette machine (gardez-la synchronisée : NTP)",
        );
        return;
    }
    let skew = (here.0 - there.0).abs();
    let detail = format!("écart de {skew} s avec le serveur PostgreSQL");
    if skew > CLOCK_FIX_SECONDS {
        report.add(
            Status::ToFix,
            "Horloge",
            format!(
                "{detail} : synchronisez les deux machines (NTP) ; les codes à usage unique et les délais en dépendent"
            ),
        );
    } else if skew > CLOCK_WARN_SECONDS {
        report.add(Status::Warning, "Horloge", format!("{detail} : vérifiez NTP"));
    } else {
        report.add(Status::Ok, "Horloge", detail);
    }
}

async fn check_last_backup(report: &mut Report, store: &Store) {
    match operations::last_backup(store).await {
        Ok(Some(at)) => {
            let hours = (crate::now().0 - at.0) / 3600;
            let status = if hours <= BACKUP_MAX_AGE_HOURS {
                Status::Ok
            } else {
                Status::Warning
            };
            report.add(status, "Sauvegarde", format!("dernière sauvegarde il y a {hours} h"));
        }
        Ok(None) => report.add(
            Status::Warning,
            "Sauvegarde",
            "aucune enregistrée ; `relais backup --to FICHIER` (chaque jour, et avant une mise à jour)",
        ),
        Err(error) => report.add(Status::ToFix, "Sauvegarde", format!("illisible ({error})")),
    }
}

async fn check_smtp(report: &mut Report, config: &Config) {
    let Some(mail) = &config.mail else {
        report.add(
            Status::Warning,
            "Relais SMTP",
            "smtp_url absent : aucun courriel (résumé quotidien, relances, avis de statut) n'est envoyé",
        );
        return;
    };
    match relais_web::jobs::digest::check_relay(mail).await {
        Ok(()) => report.add(
            Status::Ok,
            "Relais SMTP",
            "joignable, salutation (EHLO) acceptée ; aucun courriel envoyé",
        ),
        Err(error) => report.add(
            Status::ToFix,
            "Relais SMTP",
            format!(
                "{} ; vérifiez smtp_url et que ce relais accepte cette machine",
                error.summary()
            ),
        ),
    }
}
