//! Configuration: defaults, then a TOML file, then `RELAIS_*` environment
//! variables (and `DATABASE_URL`), then command-line flags.

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use relais_domain::access::session::SessionPolicy;
use relais_domain::access::throttle::ThrottlePolicy;
use relais_domain::privacy::retention::RetentionPolicy;
use relais_store::{KeyRing, Keys, SecretKey, Store, StoreOptions};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug, Clone)]
pub struct CommonArgs {
    /// Folder for the SQLite database and the generated secret key [default: ./data]
    #[arg(long, env = "RELAIS_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// TOML configuration file [default: DATA_DIR/relais.toml if it exists]
    #[arg(long, env = "RELAIS_CONFIG")]
    pub config: Option<PathBuf>,
}

/// The settings as written in the file or environment (no `Debug`: it
/// holds secrets).
#[derive(Serialize, Deserialize)]
struct Settings {
    data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; by default a SQLite file in the data folder.
    database_url: Option<String>,
    listen: String,
    /// How people reach Relais (used in setup links), e.g. https://relais.example.gouv.fr
    public_url: Option<String>,
    /// The key ring: 64 hexadecimal characters (one key), or `id=hex`
    /// entries separated by commas, the active key first. Required with
    /// PostgreSQL (or `key_file`) so that every app process shares it; with
    /// SQLite it is generated into the data folder.
    secret_key: Option<String>,
    /// A file holding the key ring, one `id=hex` line per key, the active
    /// key first [default: DATA_DIR/secret.key].
    key_file: Option<PathBuf>,
    session_idle_minutes: i64,
    session_absolute_hours: i64,
    max_connections: u32,
    /// SMTP relay for the daily digest, e.g. smtp://mail.example:587?tls=required.
    /// Without it no e-mail is sent.
    smtp_url: Option<String>,
    /// The digest's sender address.
    mail_from: String,
    /// Hour (UTC) from which the day's digest is sent.
    digest_hour_utc: i64,
    /// End-to-end tests only: a file holding a number of seconds added to
    /// the system time. Refused unless built with the `test-clock` feature.
    test_clock_file: Option<PathBuf>,
    /// Safe distant placement: the least distance (km) between a shelter
    /// and the places of exploitation.
    placement_min_distance_km: f64,
    /// Equal-access dashboard: groups smaller than this show "< N".
    equal_access_min_group: usize,
    /// Equal-access dashboard: the difference from the overall figure that is flagged.
    equal_access_margin: f64,
    /// Statistics dashboards: minutes their figures are shown before being computed again.
    statistics_fresh_minutes: u32,
    /// Reverse proxies (CIDR blocks) whose forwarded client address is believed.
    trusted_proxies: Vec<String>,
    /// The header those proxies write: `x-forwarded-for` or `forwarded`.
    forwarded_header: String,
    /// Bearer token a scraper presents to /metrics; without it /metrics does not exist.
    metrics_token: Option<String>,
    /// Retention schedule, in months (docs/adr/0020-data-protection-lifecycle.md):
    /// closed cases, counted from closure.
    retention_closed_case_months: u32,
    /// Documents of closed cases, counted from closure.
    retention_case_documents_months: u32,
    /// Anonymous notifications, counted from their recording.
    retention_anonymous_notification_months: u32,
    /// Public signalements that led to no case, counted from their last activity.
    retention_unfollowed_signalement_months: u32,
    /// Professional referrals rejected or duplicate, counted from the decision.
    retention_unfollowed_referral_months: u32,
    /// Drafts never submitted, counted from their last change.
    retention_draft_referral_months: u32,
    /// Audit rows, counted from when they were written.
    retention_audit_rows_months: u32,
    /// Hour (UTC) from which the day's retention run starts.
    retention_hour_utc: i64,
    /// The administration that publishes this instance (legal pages).
    publisher: String,
    /// Where people write about accessibility or their personal data.
    publisher_contact: String,
    /// Who hosts the service, as the legal notice says.
    hosting: String,
    /// OpenID Connect providers agents sign in through (ProConnect): one `[[oidc_providers]]`
    /// table each (docs/OPERATIONS.md).
    oidc_providers: Vec<relais_web::OidcProvider>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            database_url: None,
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            secret_key: None,
            key_file: None,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            max_connections: 8,
            smtp_url: None,
            mail_from: "Relais <no-reply@relais.invalid>".into(),
            digest_hour_utc: 6,
            test_clock_file: None,
            placement_min_distance_km: relais_domain::casework::placement::DEFAULT_MIN_DISTANCE_KM,
            equal_access_min_group: 5,
            equal_access_margin: 0.10,
            statistics_fresh_minutes: 15,
            trusted_proxies: Vec::new(),
            forwarded_header: "x-forwarded-for".into(),
            metrics_token: None,
            retention_closed_case_months: RetentionPolicy::default().closed_case_months,
            retention_case_documents_months: RetentionPolicy::default().case_documents_months,
            retention_anonymous_notification_months: RetentionPolicy::default().anonymous_notification_months,
            retention_unfollowed_signalement_months: RetentionPolicy::default().unfollowed_signalement_months,
            retention_unfollowed_referral_months: RetentionPolicy::default().unfollowed_referral_months,
            retention_draft_referral_months: RetentionPolicy::default().draft_referral_months,
            retention_audit_rows_months: RetentionPolicy::default().audit_rows_months,
            retention_hour_utc: 2,
            publisher: relais_web::Publisher::default().name,
            publisher_contact: relais_web::Publisher::default().contact,
            hosting: relais_web::Publisher::default().hosting,
            oidc_providers: Vec::new(),
        }
    }
}

pub struct Config {
    /// The data folder (SQLite database, generated key file).
    pub data_dir: PathBuf,
    /// The TOML file read, if any.
    pub file: Option<PathBuf>,
    pub database_url: String,
    /// Where the key ring came from, for `relais key generate`.
    pub key_source: KeySource,
    pub key_ring: KeyRing,
    pub listen: String,
    public_url: Option<String>,
    pub keys: Keys,
    session: SessionPolicy,
    max_connections: u32,
    /// Where digests go out, when configured.
    pub mail: Option<relais_web::jobs::digest::MailSettings>,
    pub digest_hour_utc: i64,
    #[cfg(feature = "test-clock")]
    test_clock_file: Option<PathBuf>,
    placement_min_distance_km: f64,
    pub statistics: relais_web::StatisticsSettings,
    trusted_proxies: relais_web::TrustedProxies,
    metrics_token: Option<relais_web::MetricsToken>,
    pub retention: RetentionPolicy,
    pub retention_hour_utc: i64,
    publisher: relais_web::Publisher,
    oidc_providers: Vec<relais_web::OidcProvider>,
}

/// The TOML file to read: `--config`, or `DATA_DIR/relais.toml` when it exists.
fn config_file(args: &CommonArgs) -> Option<PathBuf> {
    let data_dir_hint = args.data_dir.clone().unwrap_or_else(|| PathBuf::from("data"));
    let file = args.config.clone().unwrap_or_else(|| data_dir_hint.join("relais.toml"));
    (args.config.is_some() || file.exists()).then_some(file)
}

/// Environment variables with the `RELAIS_` prefix that are not settings:
/// the log filter and format (read before the configuration) and the file's path.
const ENVIRONMENT_ONLY: [&str; 3] = ["log", "log_format", "config"];

/// Every configuration key, as written in the TOML file.
pub fn known_keys() -> Vec<String> {
    match serde_json::to_value(Settings::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Keys of the file and `RELAIS_*` variables that Relais does not read,
/// each named with where it was found: a misspelt key is otherwise ignored.
pub fn unknown_keys(args: &CommonArgs) -> anyhow::Result<Vec<String>> {
    let known = known_keys();
    let mut unknown = Vec::new();
    if let Some(file) = config_file(args) {
        let keys: std::collections::BTreeMap<String, figment::value::Value> = Figment::from(Toml::file_exact(&file))
            .extract()
            .with_context(|| format!("reading {}", file.display()))?;
        unknown.extend(
            keys.into_keys()
                .filter(|k| !known.contains(k))
                .map(|k| format!("{k} ({})", file.display())),
        );
    }
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let Some(key) = name.strip_prefix("RELAIS_") else {
            continue;
        };
        let key = key.to_ascii_lowercase();
        if !known.contains(&key) && !ENVIRONMENT_ONLY.contains(&key.as_str()) {
            unknown.push(format!("{key} (RELAIS_{})", key.to_ascii_uppercase()));
        }
    }
    Ok(unknown)
}

/// Where the key ring was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `secret_key` (RELAIS_SECRET_KEY) in the configuration.
    Setting,
    /// A key file.
    File(PathBuf),
}

fn load_key_file(path: &Path) -> anyhow::Result<KeyRing> {
    let raw = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    KeyRing::parse(&raw).map_err(|problem| anyhow::anyhow!("{}: {problem}", path.display()))
}

/// Creates `path` holding `text`, readable by its owner only, atomically:
/// the text goes to a temporary file created with mode 0600 in the same
/// folder, is flushed to disk, then linked to `path`, which fails if `path`
/// exists (never overwritten). At no moment can another user read it.
pub fn write_new_secret_file(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".relais-key-");
    #[cfg(unix)]
    builder.permissions(owner_only());
    let mut temp = builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path)
        .map_err(|e| anyhow::anyhow!("writing {}: {}", path.display(), e.error))?;
    if let Ok(folder) = std::fs::File::open(dir) {
        // Makes the new name durable; not every platform can sync a folder.
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn owner_only() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o600)
}

/// The generated key ring of a SQLite installation, created on first start.
fn load_or_create_key(path: &Path) -> anyhow::Result<KeyRing> {
    if path.exists() {
        return load_key_file(path);
    }
    let ring = KeyRing::single(SecretKey::generate());
    write_new_secret_file(path, &ring.to_file_text())?;
    Ok(ring)
}

/// A URL with its password, if any, replaced by `***`.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("key_source", &self.key_source)
            .field("key_ring", &self.key_ring)
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("keys", &self.keys)
            .field("session", &self.session)
            .field("max_connections", &self.max_connections)
            .field(
                "mail",
                &self.mail.as_ref().map(|m| (redact_url(&m.smtp_url), m.from.clone())),
            )
            .field("digest_hour_utc", &self.digest_hour_utc)
            .field("placement_min_distance_km", &self.placement_min_distance_km)
            .field("statistics", &self.statistics)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token)
            .field("retention", &self.retention)
            .field("retention_hour_utc", &self.retention_hour_utc)
            .field("oidc_providers", &self.oidc_providers)
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn load(args: &CommonArgs, listen: Option<&str>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        let file = config_file(args);
        if let Some(file) = &file {
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment.merge(Env::prefixed("RELAIS_").ignore(&ENVIRONMENT_ONLY));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(Serialized::default("database_url", url));
        }
        if let Some(dir) = &args.data_dir {
            figment = figment.merge(Serialized::default("data_dir", dir));
        }
        if let Some(listen) = listen {
            figment = figment.merge(Serialized::default("listen", listen));
        }
        let settings: Settings = figment.extract().context("reading the configuration")?;
        refuse_test_clock(settings.test_clock_file.is_some(), cfg!(feature = "test-clock"))?;
        let header = relais_web::ForwardedHeader::parse(&settings.forwarded_header)
            .context("forwarded_header must be x-forwarded-for or forwarded")?;
        let trusted_proxies =
            relais_web::TrustedProxies::parse(&settings.trusted_proxies, header).map_err(anyhow::Error::msg)?;
        check_providers(&settings.oidc_providers)?;
        let database_url = match settings.database_url {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&settings.data_dir)
                    .with_context(|| format!("creating {}", settings.data_dir.display()))?;
                format!("sqlite://{}?mode=rwc", settings.data_dir.join("relais.db").display())
            }
        };
        let default_key_file = settings.data_dir.join("secret.key");
        let (key_ring, key_source) = match (&settings.secret_key, &settings.key_file) {
            (Some(_), Some(_)) => anyhow::bail!("set secret_key or key_file, not both"),
            (Some(text), None) => (
                KeyRing::parse(text).map_err(|problem| anyhow::anyhow!("secret_key: {problem}"))?,
                KeySource::Setting,
            ),
            (None, Some(path)) => (load_key_file(path)?, KeySource::File(path.clone())),
            (None, None) if database_url.starts_with("sqlite:") => (
                load_or_create_key(&default_key_file)?,
                KeySource::File(default_key_file),
            ),
            (None, None) => anyhow::bail!(
                "with PostgreSQL, set RELAIS_SECRET_KEY or RELAIS_KEY_FILE (the same keys for every app process)"
            ),
        };
        Ok(Self {
            data_dir: settings.data_dir,
            file,
            database_url,
            listen: settings.listen,
            public_url: settings.public_url,
            keys: Keys::from_ring(&key_ring),
            key_ring,
            key_source,
            session: SessionPolicy {
                idle_seconds: settings.session_idle_minutes * 60,
                absolute_seconds: settings.session_absolute_hours * 3600,
            },
            max_connections: settings.max_connections,
            mail: settings
                .smtp_url
                .map(|smtp_url| relais_web::jobs::digest::MailSettings {
                    smtp_url,
                    from: settings.mail_from,
                }),
            digest_hour_utc: settings.digest_hour_utc,
            #[cfg(feature = "test-clock")]
            test_clock_file: settings.test_clock_file,
            placement_min_distance_km: settings.placement_min_distance_km,
            statistics: relais_web::StatisticsSettings {
                min_group: settings.equal_access_min_group.max(1),
                margin: settings.equal_access_margin,
                fresh_minutes: settings.statistics_fresh_minutes,
            },
            trusted_proxies,
            metrics_token: settings.metrics_token.and_then(relais_web::MetricsToken::new),
            retention: RetentionPolicy {
                closed_case_months: settings.retention_closed_case_months,
                case_documents_months: settings.retention_case_documents_months,
                anonymous_notification_months: settings.retention_anonymous_notification_months,
                unfollowed_signalement_months: settings.retention_unfollowed_signalement_months,
                unfollowed_referral_months: settings.retention_unfollowed_referral_months,
                draft_referral_months: settings.retention_draft_referral_months,
                audit_rows_months: settings.retention_audit_rows_months,
            }
            .validate()
            .context("the retention_*_months settings")?,
            retention_hour_utc: settings.retention_hour_utc,
            publisher: relais_web::Publisher {
                name: settings.publisher,
                contact: settings.publisher_contact,
                hosting: settings.hosting,
            },
            oidc_providers: settings.oidc_providers,
        })
    }

    /// The clock the server reads: in a test build, the test clock file's
    /// when one is configured.
    #[cfg(feature = "test-clock")]
    pub fn clock(&self) -> relais_web::Clock {
        match &self.test_clock_file {
            Some(path) => {
                eprintln!(
                    "WARNING: test clock: the time is shifted by the seconds written in {}",
                    path.display()
                );
                relais_web::Clock::OffsetFile(std::sync::Arc::new(path.clone()))
            }
            None => relais_web::Clock::System,
        }
    }

    /// The clock the server reads: the system's (a normal build refuses
    /// `test_clock_file` when loading the configuration).
    #[cfg(not(feature = "test-clock"))]
    pub fn clock(&self) -> relais_web::Clock {
        relais_web::Clock::System
    }

    pub async fn open_store(&self) -> anyhow::Result<Store> {
        self.open_store_with(StoreOptions {
            max_connections: self.max_connections,
            ..StoreOptions::default()
        })
        .await
    }

    /// [`Self::open_store`] with other options than the configured ones.
    pub async fn open_store_with(&self, options: StoreOptions) -> anyhow::Result<Store> {
        Store::connect(&self.database_url, self.keys.clone(), &options)
            .await
            .context("connecting to the database")
    }

    /// The public address, or the listening address when none is configured.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_owned()
    }

    pub fn web_settings(&self, bound: std::net::SocketAddr) -> relais_web::WebSettings {
        let public_url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
            .trim_end_matches('/')
            .to_owned();
        relais_web::WebSettings {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            session: self.session,
            throttle: ThrottlePolicy::default(),
            placement_min_distance_km: self.placement_min_distance_km,
            statistics: self.statistics,
            metrics_token: self.metrics_token.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
            retention: self.retention,
            publisher: self.publisher.clone(),
            oidc_providers: self.oidc_providers.clone(),
        }
    }
}

/// Each provider's identifier is usable in a path and unique.
fn check_providers(providers: &[relais_web::OidcProvider]) -> anyhow::Result<()> {
    for (i, provider) in providers.iter().enumerate() {
        anyhow::ensure!(
            provider.valid_id(),
            "oidc_providers: the id {:?} must be lower-case letters, digits and dashes",
            provider.id
        );
        anyhow::ensure!(
            providers[..i].iter().all(|p| p.id != provider.id),
            "oidc_providers: the id {:?} is used twice",
            provider.id
        );
    }
    Ok(())
}

/// Whoever can write the test clock's file moves the server's time (ADR 0014): a build
/// without the `test-clock` feature (`honoured` false) refuses to start with one configured.
fn refuse_test_clock(configured: bool, honoured: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        !configured || honoured,
        "test_clock_file (RELAIS_TEST_CLOCK_FILE) is refused: only a test build \
         (cargo build --features test-clock) honours it; remove it from the configuration"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests may fail loudly")]
    use super::*;

    /// `make test` builds with the feature (the browser tests drive that binary), so the
    /// refusal of a normal build is checked here whatever the build's features.
    #[test]
    fn a_test_clock_is_refused_unless_the_build_honours_it() {
        let refused = refuse_test_clock(true, false).unwrap_err().to_string();
        assert!(
            refused.contains("test_clock_file (RELAIS_TEST_CLOCK_FILE) is refused"),
            "{refused}"
        );
        assert!(refuse_test_clock(true, true).is_ok());
        assert!(refuse_test_clock(false, false).is_ok());
        assert!(refuse_test_clock(false, true).is_ok());
    }

    fn args(dir: &Path) -> CommonArgs {
        CommonArgs {
            data_dir: Some(dir.to_path_buf()),
            config: Some(dir.join("relais.toml")),
        }
    }

    #[test]
    fn debug_output_hides_every_secret() {
        let dir = tempfile::tempdir().unwrap();
        let key = SecretKey::generate().to_hex();
        let old = SecretKey::generate().to_hex();
        std::fs::write(
            dir.path().join("relais.toml"),
            format!(
                "database_url = \"postgres://relais:db-password-1@db.example/relais\"\n\
                 secret_key = \"kb={key},k0={old}\"\n\
                 metrics_token = \"metrics-token-2\"\n\
                 smtp_url = \"smtp://mailer:smtp-password-3@mail.example:587\"\n\
                 trusted_proxies = [\"10.0.0.0/8\"]\n"
            ),
        )
        .unwrap();
        let config = Config::load(&args(dir.path()), None).unwrap();
        let shown = format!("{config:?}");
        for secret in [
            key.as_str(),
            old.as_str(),
            "db-password-1",
            "metrics-token-2",
            "smtp-password-3",
        ] {
            assert!(!shown.contains(secret), "{secret} appears in {shown}");
        }
        // What is not secret is still there to help an operator.
        for visible in ["db.example", "mail.example", "10.0.0.0/8", "kb", "***"] {
            assert!(shown.contains(visible), "{visible} missing from {shown}");
        }
        assert_eq!(config.key_ring.ids(), ["kb", "k0"]);
        assert_eq!(config.keys.active_id(), "kb");
    }

    #[test]
    fn every_key_is_in_the_operations_guide() {
        let guide = include_str!("../../../docs/OPERATIONS.md");
        let keys = known_keys();
        assert!(keys.len() >= 30, "{keys:?}");
        for key in keys {
            assert!(
                guide.contains(&format!("| `{key}` |")),
                "docs/OPERATIONS.md does not describe the configuration key {key}"
            );
        }
    }

    #[test]
    fn misspelt_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("relais.toml"),
            "listen = \"127.0.0.1:1\"\npublic_ulr = \"x\"\n",
        )
        .unwrap();
        let unknown = unknown_keys(&args(dir.path())).unwrap();
        assert!(unknown.iter().any(|k| k.starts_with("public_ulr (")), "{unknown:?}");
        assert!(!unknown.iter().any(|k| k.starts_with("listen")), "{unknown:?}");
    }

    #[cfg(unix)]
    #[test]
    fn the_generated_key_file_is_owner_only_and_never_overwritten() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("relais.toml"), "").unwrap();
        let config = Config::load(&args(dir.path()), None).unwrap();
        let path = dir.path().join("secret.key");
        assert_eq!(config.key_source, KeySource::File(path.clone()));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // No temporary file left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.starts_with(".relais-key-")), "{names:?}");
        // Loading again reads the same ring.
        let again = Config::load(&args(dir.path()), None).unwrap();
        assert_eq!(again.key_ring.to_file_text(), config.key_ring.to_file_text());
        // A key file is never replaced.
        let before = std::fs::read_to_string(&path).unwrap();
        assert!(write_new_secret_file(&path, "k9=00").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
        // A file in today's format (bare hex) is a one-key ring.
        let legacy = dir.path().join("legacy.key");
        write_new_secret_file(&legacy, &SecretKey::generate().to_hex()).unwrap();
        assert_eq!(load_key_file(&legacy).unwrap().ids(), [relais_store::LEGACY_KEY_ID]);
    }
}
