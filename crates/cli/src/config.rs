//! Configuration: defaults, then a TOML file, then `RELAIS_*` environment
//! variables (and `DATABASE_URL`), then command-line flags.

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use relais_domain::access::session::SessionPolicy;
use relais_domain::access::throttle::ThrottlePolicy;
use relais_domain::privacy::retention::RetentionPolicy;
use relais_store::{Keys, SecretKey, Store, StoreOptions};
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

/// The settings as written in the file or environment.
#[derive(Debug, Serialize, Deserialize)]
struct Settings {
    data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; by default a SQLite file in the data folder.
    database_url: Option<String>,
    listen: String,
    /// How people reach Relais (used in setup links), e.g. https://relais.example.gouv.fr
    public_url: Option<String>,
    /// 64 hexadecimal characters. Required with PostgreSQL so that every app
    /// process shares it; with SQLite it is generated into the data folder.
    secret_key: Option<String>,
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
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            database_url: None,
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            secret_key: None,
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
        }
    }
}

pub struct Config {
    pub database_url: String,
    pub listen: String,
    public_url: Option<String>,
    pub keys: Keys,
    session: SessionPolicy,
    max_connections: u32,
    /// Where digests go out, when configured.
    pub mail: Option<relais_web::digest::MailSettings>,
    pub digest_hour_utc: i64,
    #[cfg(feature = "test-clock")]
    test_clock_file: Option<PathBuf>,
    placement_min_distance_km: f64,
    statistics: relais_web::StatisticsSettings,
    trusted_proxies: relais_web::TrustedProxies,
    metrics_token: Option<relais_web::MetricsToken>,
    pub retention: RetentionPolicy,
    pub retention_hour_utc: i64,
}

fn load_or_create_key(data_dir: &Path) -> anyhow::Result<SecretKey> {
    let path = data_dir.join("secret.key");
    if path.exists() {
        let raw = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        return SecretKey::from_hex(&raw)
            .with_context(|| format!("{} must hold 64 hexadecimal characters", path.display()));
    }
    let key = SecretKey::generate();
    std::fs::write(&path, key.to_hex()).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(key)
}

impl Config {
    pub fn load(args: &CommonArgs, listen: Option<&str>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        let data_dir_hint = args.data_dir.clone().unwrap_or_else(|| PathBuf::from("data"));
        let file = args.config.clone().unwrap_or_else(|| data_dir_hint.join("relais.toml"));
        if args.config.is_some() || file.exists() {
            figment = figment.merge(Toml::file_exact(&file));
        }
        figment = figment.merge(Env::prefixed("RELAIS_").ignore(&["log", "config"]));
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
        anyhow::ensure!(
            settings.test_clock_file.is_none() || cfg!(feature = "test-clock"),
            "test_clock_file (RELAIS_TEST_CLOCK_FILE) is refused: only a test build \
             (cargo build --features test-clock) honours it; remove it from the configuration"
        );
        let header = relais_web::ForwardedHeader::parse(&settings.forwarded_header)
            .context("forwarded_header must be x-forwarded-for or forwarded")?;
        let trusted_proxies =
            relais_web::TrustedProxies::parse(&settings.trusted_proxies, header).map_err(anyhow::Error::msg)?;
        let database_url = match settings.database_url {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&settings.data_dir)
                    .with_context(|| format!("creating {}", settings.data_dir.display()))?;
                format!("sqlite://{}?mode=rwc", settings.data_dir.join("relais.db").display())
            }
        };
        let secret = match &settings.secret_key {
            Some(hex) => SecretKey::from_hex(hex).context("secret_key must be 64 hexadecimal characters")?,
            None if database_url.starts_with("sqlite:") => load_or_create_key(&settings.data_dir)?,
            None => anyhow::bail!(
                "with PostgreSQL, set RELAIS_SECRET_KEY (64 hex characters, the same for every app process)"
            ),
        };
        Ok(Self {
            database_url,
            listen: settings.listen,
            public_url: settings.public_url,
            keys: Keys::derive(&secret),
            session: SessionPolicy {
                idle_seconds: settings.session_idle_minutes * 60,
                absolute_seconds: settings.session_absolute_hours * 3600,
            },
            max_connections: settings.max_connections,
            mail: settings.smtp_url.map(|smtp_url| relais_web::digest::MailSettings {
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
        let options = StoreOptions {
            max_connections: self.max_connections,
            ..StoreOptions::default()
        };
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
        }
    }
}
