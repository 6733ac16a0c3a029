//! `relais`: the one binary of Relais — serve, migrate, administer, verify.

mod audit_cmd;
mod backup_cmd;
mod calendar_cmd;
mod config;
mod demo;
mod demo_committee;
mod demo_directory;
mod demo_generate;
mod demo_history;
mod demo_observatory;
mod demo_plans;
mod demo_referrals;
mod demo_release;
mod demo_survey;
mod demo_training;
mod digest_cmd;
mod directory_cmd;
mod doctor_cmd;
mod key_cmd;
mod linkage_cmd;
mod logging;
mod observatory_cmd;
mod observatory_export_cmd;
mod observatory_table_cmd;
mod plan_cmd;
mod privacy_cmd;
mod refusal;
mod screening_cmd;
mod stats_cmd;
mod upgrade;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::{CommonArgs, Config};
use relais_domain::email::Email;
use relais_domain::time::Timestamp;
use relais_store::{Actor, Store, bootstrap};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "relais",
    version,
    about = "Relais — national referral mechanism for victims of trafficking in human beings"
)]
struct Cli {
    /// Log lines for a person (text) or one JSON object per line for a collector (json).
    #[arg(long, global = true, env = "RELAIS_LOG_FORMAT", value_enum, default_value_t)]
    log_format: logging::LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (runs pending migrations first).
    Serve {
        #[command(flatten)]
        common: CommonArgs,
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long)]
        listen: Option<String>,
        /// Seed demonstration data if the database has no user yet, and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit. Migrations only go forward: on a database
    /// that holds data, refused unless a backup was taken in the last 24 hours (`relais
    /// backup`) or --backup-to takes one first.
    Migrate {
        #[command(flatten)]
        common: CommonArgs,
        /// Back up to this file (which must not exist) before migrating.
        #[arg(long)]
        backup_to: Option<std::path::PathBuf>,
    },
    /// Check the installation: configuration, database, migrations, key file, SMTP relay,
    /// clock, data folder. Prints each check with what to fix; exit 1 when something must be.
    Doctor {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Administration tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Demonstration data (fictional organisations and users).
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// The tamper-evident audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Copy the database to a file while it is in use (SQLite: VACUUM INTO; PostgreSQL:
    /// pg_dump --format=custom). The secret key is not in it: keep it apart.
    Backup {
        #[command(flatten)]
        common: CommonArgs,
        /// Destination file (must not exist yet).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup into the configured database, which must be empty unless --force
    /// (stop the server first; PostgreSQL: pg_restore in one transaction), then verify the
    /// audit chain. Use the secret key of the backed-up installation.
    Restore {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: backup_cmd::RestoreArgs,
    },
    /// Database checks.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Statistics.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Identification indicator catalogues.
    Catalogue {
        #[command(subcommand)]
        command: CatalogueCommand,
    },
    /// Indicator screening (presumption supporting a referral — not an identification).
    Screening {
        #[command(subcommand)]
        command: ScreeningCommand,
    },
    /// The daily e-mail of deadlines to identification officers.
    Digest {
        #[command(subcommand)]
        command: DigestCommand,
    },
    /// Working days and French public holidays, for deadlines.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// The service directory and the prefecture trafficking contacts, as CSV files.
    Directory {
        #[command(subcommand)]
        command: DirectoryCommand,
    },
    /// Encryption keys: add a key to the ring, re-encrypt everything under the active key.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// National action plans: import a plan from CSV, report its completeness, export it.
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// The observatory: imports, tables, releases.
    Observatory {
        #[command(subcommand)]
        command: ObservatoryCommand,
    },
    /// The retention schedule (durations from the `retention_*_months` settings).
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Privacy-preserving record linkage between sources.
    Linkage {
        #[command(subcommand)]
        command: LinkageCommand,
    },
}

#[derive(Subcommand)]
enum LinkageCommand {
    /// Turn a source's records into cryptographic long-term keys (Bloom filters of the names,
    /// birth date, sex and nationality, keyed with the secret shared between sources); the
    /// output holds neither a name nor the secret. Exit 2 listing every wrong line.
    Encode(linkage_cmd::EncodeArgs),
    /// Match two encoded files one to one (Dice coefficient of the keys, best pairs first, each
    /// record in at most one pair) and print the matched identifiers with their score.
    Link(linkage_cmd::LinkArgs),
    /// Link the encoded files of several sources into persons (a source counts a person once),
    /// count their capture histories and estimate how many persons no source counted, with
    /// the estimate at nearby thresholds to show how much it owes to the linkage.
    Estimate(linkage_cmd::EstimateArgs),
}

#[derive(Subcommand)]
enum DbCommand {
    /// Print every table's row count and SHA-256 of its sorted rows, then one hash over
    /// them all: two databases of the same backend with the same content print the same.
    Digest {
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Make a new key, put first (active) in a copy of the current key ring.
    Generate {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: key_cmd::GenerateArgs,
    },
    /// Re-encrypt every encrypted value under the active key, in short batches (each its own
    /// audited transaction, while Relais keeps serving); an interrupted run resumes where it
    /// stopped. Exit 0 when nothing is left under an older key, 3 when some is.
    Rotate {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: key_cmd::RotateArgs,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Erase now every record past its retention period (closed cases not under a legal
    /// hold, their documents, anonymous notifications, unfollowed reports and referrals,
    /// old drafts, old audit rows behind a signed checkpoint); prints counts per kind.
    Run {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: privacy_cmd::RunArgs,
    },
}

#[derive(Subcommand)]
enum DirectoryCommand {
    /// Import a CSV file: every line is checked first, and nothing is imported if any is wrong
    /// (exit 2 listing each wrong line). Existing rows with the same key are replaced.
    Import {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: directory_cmd::ImportArgs,
    },
    /// Export as CSV, the département code in the first column (readable again by import).
    Export {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: directory_cmd::ExportArgs,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Import a plan from a CSV file: every line is checked first, and nothing is imported
    /// if any is wrong (exit 2 naming each wrong line and column). Creates the plan or
    /// updates it; each changed measure gets a new version.
    Import {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: plan_cmd::ImportArgs,
    },
    /// Counts of a plan: status, the rapporteur's ratings, what measures lack (pilot,
    /// deadline, indicator, target, cost, funding), total cost, divergences.
    Report {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: plan_cmd::ReportArgs,
    },
    /// Export a plan as CSV (readable again by import) or XLSX.
    Export {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: plan_cmd::ExportArgs,
    },
}

/// The observatory: imports, tables, releases.
#[derive(Subcommand)]
enum ObservatoryCommand {
    /// Import a source's file (CSV or XLSX) as its next version: every cell is checked
    /// against the source's schema first, and nothing is imported if any is wrong (exit 2
    /// naming each wrong cell by line and column).
    Import {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: observatory_cmd::ImportArgs,
    },
    /// Print the two-way table of a microdata CSV file (one line per person) with its totals,
    /// as it would be published: figures from fewer people than the threshold written `<N`,
    /// the cells hidden to protect them `x`, every other cell the exact count. Exit 2 when the
    /// file cannot be read or lacks a column.
    Table(observatory_table_cmd::TableArgs),
    /// Write a partner's file of a year: `eurostat` (registered victims in the long shape of
    /// Eurostat's crim_thb tables, every figure under the disclosure policy, a hidden one empty
    /// with the flag c) or `ctdc` (one line per victim with CTDC's variables, its
    /// quasi-identifiers k-anonymous; exit 2 and no file when that is impossible). Audited.
    Export {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        args: observatory_export_cmd::ExportArgs,
    },
}

#[derive(Subcommand)]
enum DigestCommand {
    /// Send today's digest now, unless it was already sent (needs smtp_url).
    Send {
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Print the date reached after N working days counted from the day after DATE
    /// (weekends and public holidays skipped, with the département's own holidays).
    AddWorkingDays(calendar_cmd::AddWorkingDaysArgs),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a platform administrator and print a one-time setup link.
    Create {
        #[command(flatten)]
        common: CommonArgs,
        /// The administrator's work e-mail address.
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Create fictional organisations of every type and one user per role (empty database only).
    Seed {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Seed the demo, then generate N more cases' fictional histories through the store
    /// (encryption, audit rows), for measuring at scale (empty database only); ends by
    /// refreshing the planner's statistics (VACUUM ANALYZE on PostgreSQL).
    Generate {
        #[command(flatten)]
        common: CommonArgs,
        /// How many cases to open; the referrals rejected or not yet triaged come on top.
        #[arg(long)]
        cases: usize,
        /// The seed of the draw: the same seed tells the same story.
        #[arg(long, default_value_t = 17)]
        seed: u64,
    },
    /// Print a demo user's current TOTP code, so trying Relais needs no authenticator app.
    Code {
        #[command(flatten)]
        common: CommonArgs,
        /// The demo user's e-mail address.
        email: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain: exit 0 when intact, 1 naming the first bad row.
    Verify {
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(Subcommand)]
enum CatalogueCommand {
    /// Import a new catalogue version (YAML or JSON); errors name the line and field.
    Import {
        #[command(flatten)]
        common: CommonArgs,
        /// The catalogue file.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum ScreeningCommand {
    /// Evaluate observations against a shipped catalogue; prints JSON.
    Evaluate(screening_cmd::EvaluateArgs),
}

#[derive(Subcommand)]
enum StatsCommand {
    /// Multiple systems estimation of the hidden number of victims from overlapping lists.
    Mse(stats_cmd::MseArgs),
}

fn now() -> Timestamp {
    relais_web::Clock::System.now()
}

/// Opens the database and brings it to this build's migrations, under the
/// backup-first rule (a database that holds data is migrated only with a
/// recent backup).
async fn open(config: &Config) -> anyhow::Result<Store> {
    opened(config.open_store().await?).await
}

/// [`open`] for the single writer of `demo generate`: one connection, so that its SQLite page
/// cache of 1 GiB warms once and keeps the indexes of a million cases in memory instead of
/// reading them back from the file at every insert (PostgreSQL keeps its own cache), and a
/// write-ahead log of 200 MB between checkpoints (ADR 0070).
async fn open_for_bulk_writes(config: &Config) -> anyhow::Result<Store> {
    let options = relais_store::StoreOptions {
        max_connections: 1,
        sqlite_cache_kib: 1 << 20,
        sqlite_checkpoint_pages: 50_000,
        ..relais_store::StoreOptions::default()
    };
    opened(config.open_store_with(options).await?).await
}

async fn opened(store: Store) -> anyhow::Result<Store> {
    upgrade::ensure_migration_allowed(&store, now()).await?;
    migrate_and_load(store).await
}

/// Applies the migrations and loads the shipped catalogues.
async fn migrate_and_load(store: Store) -> anyhow::Result<Store> {
    store.migrate().await.context("applying migrations")?;
    relais_store::intake::catalogues::load_shipped(&store, now())
        .await
        .context("loading the shipped catalogues")?;
    Ok(store)
}

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { common, listen, demo } => {
            let config = Config::load(&common, listen.as_deref())?;
            let store = open(&config).await?;
            if demo {
                let secrets = if bootstrap::has_users(&store).await? {
                    Vec::new()
                } else {
                    demo::seed(&store).await?.secrets
                };
                demo::print_logins(&secrets);
            }
            let listener = tokio::net::TcpListener::bind(&config.listen)
                .await
                .with_context(|| format!("cannot listen on {}", config.listen))?;
            let address = listener.local_addr()?;
            let clock = config.clock();
            let state = relais_web::AppState::new(store, config.keys.clone(), config.web_settings(address), clock)
                .map_err(anyhow::Error::msg)?;
            println!(
                "Relais is serving on http://{address} ({} database)",
                state.store.backend().name()
            );
            relais_web::jobs::spawn(
                state.clone(),
                relais_web::jobs::Schedule {
                    mail: config.mail.clone(),
                    digest_hour_utc: config.digest_hour_utc,
                    retention_hour_utc: config.retention_hour_utc,
                },
            );
            relais_web::serve(listener, state).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { common, backup_to } => {
            let config = Config::load(&common, None)?;
            upgrade::migrate(&config, backup_to.as_deref()).await
        }
        Command::Doctor { common } => doctor_cmd::run(&common).await,
        Command::Admin {
            command: AdminCommand::Create { common, email },
        } => {
            let config = Config::load(&common, None)?;
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("invalid e-mail address: {e}"))?;
            let store = open(&config).await?;
            let mut tx = store.begin(Actor::system(), "cli-admin-create", now()).await?;
            let (_, link) = bootstrap::create_administrator(&mut tx, email).await?;
            tx.commit().await?;
            println!("Administrator created. One-time setup link (valid 72 hours):");
            println!("{}/setup/{}", config.public_url(), link.expose());
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            command: DemoCommand::Seed { common },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            anyhow::ensure!(
                !bootstrap::has_users(&store).await?,
                "the database already has users: demo data goes only into an empty database"
            );
            let secrets = demo::seed(&store).await?.secrets;
            demo::print_logins(&secrets);
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            command: DemoCommand::Generate { common, cases, seed },
        } => {
            let config = Config::load(&common, None)?;
            let store = open_for_bulk_writes(&config).await?;
            anyhow::ensure!(
                !bootstrap::has_users(&store).await?,
                "the database already has users: demo data goes only into an empty database"
            );
            let generated = demo_generate::generate(&store, cases, seed).await?;
            demo::print_logins(&generated.secrets);
            println!(
                "Generated {} cases from {} referrals in {:.1} s ({:.0} cases/s).",
                generated.cases,
                generated.referrals,
                generated.seconds,
                generated.cases as f64 / generated.seconds.max(0.001)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            command: DemoCommand::Code { common, email },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            println!("{}", demo::code(&store, &email, now()).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify { common },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            audit_cmd::verify(&store).await
        }
        Command::Backup { common, to } => {
            let config = Config::load(&common, None)?;
            // No migration first: a backup is what an upgrade asks for.
            let store = config.open_store().await?;
            let code = backup_cmd::backup(&config, &store, &to).await?;
            backup_cmd::record(&store).await?;
            Ok(code)
        }
        Command::Restore { common, args } => {
            let config = Config::load(&common, None)?;
            backup_cmd::restore(&config, &args).await
        }
        Command::Db {
            command: DbCommand::Digest { common },
        } => {
            let config = Config::load(&common, None)?;
            backup_cmd::digest(&config).await
        }
        Command::Linkage {
            command: LinkageCommand::Encode(args),
        } => linkage_cmd::encode(&args),
        Command::Linkage {
            command: LinkageCommand::Link(args),
        } => linkage_cmd::link(&args),
        Command::Linkage {
            command: LinkageCommand::Estimate(args),
        } => linkage_cmd::estimate(&args),
        Command::Observatory {
            command: ObservatoryCommand::Table(args),
        } => observatory_table_cmd::run(&args),
        Command::Stats {
            command: StatsCommand::Mse(args),
        } => {
            stats_cmd::run(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalogue {
            command: CatalogueCommand::Import { common, file },
        } => {
            let config = Config::load(&common, None)?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let store = open(&config).await?;
            let mut tx = store.begin(Actor::system(), "cli-catalogue-import", now()).await?;
            match relais_store::intake::catalogues::import_as_system(&mut tx, &text).await {
                Ok(version) => {
                    tx.commit().await?;
                    println!("Imported {} version {}.", version.id, version.version);
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    eprintln!("{}: catalogue not imported:\n{error}", file.display());
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Screening {
            command: ScreeningCommand::Evaluate(args),
        } => screening_cmd::evaluate(&args),
        Command::Digest {
            command: DigestCommand::Send { common },
        } => {
            let config = Config::load(&common, None)?;
            let mail = config
                .mail
                .clone()
                .context("set smtp_url (RELAIS_SMTP_URL) to send the digest")?;
            let store = open(&config).await?;
            let bound = std::net::SocketAddr::from(([127, 0, 0, 1], 8080));
            let state = relais_web::AppState::new(
                store,
                config.keys.clone(),
                config.web_settings(bound),
                relais_web::Clock::System,
            )
            .map_err(anyhow::Error::msg)?;
            digest_cmd::send(&state, &mail).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar {
            command: CalendarCommand::AddWorkingDays(args),
        } => calendar_cmd::add_working_days(&args),
        Command::Directory {
            command: DirectoryCommand::Import { common, args },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            directory_cmd::import(&store, &args, now()).await
        }
        Command::Retention {
            command: RetentionCommand::Run { common, args },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            privacy_cmd::run(&store, &config.retention, &args, now()).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Key {
            command: KeyCommand::Generate { common, args },
        } => {
            let config = Config::load(&common, None)?;
            key_cmd::generate(&config, &args)
        }
        Command::Key {
            command: KeyCommand::Rotate { common, args },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            key_cmd::rotate(&config, &store, &args).await
        }
        Command::Directory {
            command: DirectoryCommand::Export { common, args },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            directory_cmd::export(&store, &args, now()).await
        }
        Command::Observatory {
            command: ObservatoryCommand::Import { common, args },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            observatory_cmd::import(&store, &args, now()).await
        }
        Command::Observatory {
            command: ObservatoryCommand::Export { common, args },
        } => {
            let config = Config::load(&common, None)?;
            let store = open(&config).await?;
            observatory_export_cmd::run(&store, &args, config.statistics.min_group, now()).await
        }
        Command::Plan { command } => {
            let (PlanCommand::Import { common, .. }
            | PlanCommand::Report { common, .. }
            | PlanCommand::Export { common, .. }) = &command;
            let config = Config::load(common, None)?;
            let store = open(&config).await?;
            match &command {
                PlanCommand::Import { args, .. } => plan_cmd::import(&store, args, now()).await,
                PlanCommand::Report { args, .. } => plan_cmd::report(&store, args, now()).await,
                PlanCommand::Export { args, .. } => plan_cmd::export(&store, args, now()).await,
            }
        }
    }
}

/// mimalloc rather than the system allocator: glibc keeps a heap per thread and gives little
/// of it back, so a server's resident memory grew with its threads to the highest it had ever
/// been (264 MiB after 20 s of load at 10,000 cases, 142 MiB with two heaps; ADR 0067).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.log_format);
    let outcome = runtime(&cli.command)
        .context("starting the runtime")
        .and_then(|runtime| runtime.block_on(run(cli)));
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The runtime a command runs on. `demo generate` is one writer doing one thing at a time:
/// it runs on one thread pinned to one core, which the SQLite driver's thread inherits, so
/// that each statement is handed between two threads of the same core. Handed between cores,
/// through a sleeping core's wake-up, the statements cost three times as long on a two-core
/// virtual machine (docs/PERFORMANCE.md). Both threads are also scheduled as batch work, which
/// the kernel does not switch to on a wake-up: the thread that hands a statement over goes on
/// until it waits, instead of being preempted by the one it woke, with every result row in
/// between (ADR 0071). Everything else runs on every core, scheduled as usual.
fn runtime(command: &Command) -> std::io::Result<tokio::runtime::Runtime> {
    if matches!(
        command,
        Command::Demo {
            command: DemoCommand::Generate { .. }
        }
    ) {
        // Where the system refuses the pin, the generator runs unpinned, only slower.
        if let Some(core) = core_affinity::get_core_ids().and_then(|cores| cores.into_iter().next()) {
            core_affinity::set_for_current(core);
        }
        // Where the system refuses the policy, the generator runs as usual, only slower.
        let batch = thread_priority::ThreadSchedulePolicy::Normal(thread_priority::NormalThreadSchedulePolicy::Batch);
        let unchanged_niceness = thread_priority::ThreadPriority::Os(thread_priority::ThreadPriorityOsValue::default());
        let _ = thread_priority::set_thread_priority_and_policy(
            thread_priority::thread_native_id(),
            unchanged_niceness,
            batch,
        );
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()
    }
}
