//! Relais web front: axum handlers that authenticate, call the domain and
//! the store, and render server-side HTML with the French State design system.

mod access;
mod admin;
mod api;
mod assets;
mod audit_words;
mod badge;
mod casework;
mod client;
mod clock;
mod coordination;
mod csrf;
mod dates;
mod device;
mod directory;
mod download;
mod error;
mod forms;
mod guard;
mod handler;
mod hashing;
mod i18n;
#[cfg(test)]
mod i18n_keys;
mod intake;
pub mod jobs;
mod mail_text;
mod metrics;
mod numbers;
mod observatory;
mod page;
mod pickers;
mod privacy;
mod routes;
mod security;
mod session;
mod site;
mod statistics;

pub use access::openid::settings::ProviderSettings as OidcProvider;
pub use casework::cases::CASES_PAGE;
pub use client::{ForwardedHeader, TrustedProxies};
pub use clock::Clock;
/// How pages write a day, for tests that read them.
pub use dates::day as day_in_words;
pub use guard::Access;
pub use i18n::Locale;
pub use metrics::MetricsToken;
pub use routes::{route_table, router};

use relais_domain::access::session::SessionPolicy;
use relais_domain::access::throttle::ThrottlePolicy;
use relais_store::{Keys, Store};
use std::sync::Arc;

/// Settings of the web front that come from configuration.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// The address people use to reach Relais (for setup links), without a trailing slash.
    pub public_url: String,
    /// Send cookies only over HTTPS. On whenever `public_url` is https.
    pub secure_cookies: bool,
    pub session: SessionPolicy,
    pub throttle: ThrottlePolicy,
    /// How far (km) a safe distant placement must be from the places of
    /// exploitation (configuration `placement_min_distance_km`).
    pub placement_min_distance_km: f64,
    pub statistics: StatisticsSettings,
    /// The bearer token of /metrics (configuration `metrics_token`); without
    /// one, /metrics does not exist.
    pub metrics_token: Option<MetricsToken>,
    /// Reverse proxies whose forwarded client address is believed
    /// (configuration `trusted_proxies`, `forwarded_header`).
    pub trusted_proxies: TrustedProxies,
    /// How long each kind of record is kept (configuration `retention_*_months`).
    pub retention: relais_domain::privacy::retention::RetentionPolicy,
    /// Who publishes this instance, for the legal pages of the footer.
    pub publisher: Publisher,
    /// The OpenID Connect providers agents may sign in through (configuration `oidc_providers`).
    pub oidc_providers: Vec<OidcProvider>,
}

/// The administration that publishes an instance (configuration `publisher`,
/// `publisher_contact`, `hosting`): the legal notice, the accessibility
/// statement and the personal-data page name it.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub name: String,
    /// Where people write about accessibility, their personal data or the service.
    pub contact: String,
    /// Who hosts the service (*hébergeur*), as the legal notice must say.
    pub hosting: String,
}

impl Default for Publisher {
    fn default() -> Self {
        Self {
            name: "Relais (instance de démonstration)".into(),
            contact: "contact@relais.invalid".into(),
            hosting: "l'éditeur, sur ses propres serveurs".into(),
        }
    }
}

/// The one disclosure policy of the statistics pages (equal access and
/// timeliness) and the flagging of equal access
/// (configuration `equal_access_min_group`, `equal_access_margin`).
#[derive(Debug, Clone, Copy)]
pub struct StatisticsSettings {
    /// Groups smaller than this show "< N", never a figure.
    pub min_group: usize,
    /// Flag a rate this far (absolute) from the overall one, or a median this far (relative).
    pub margin: f64,
    /// How long the dashboards' figures are shown before they are computed again
    /// (configuration `statistics_fresh_minutes`); 0 computes them on every view.
    pub fresh_minutes: u32,
}

impl Default for StatisticsSettings {
    fn default() -> Self {
        Self {
            min_group: relais_stats::DEFAULT_MIN_GROUP,
            margin: relais_stats::DEFAULT_MARGIN,
            fresh_minutes: 15,
        }
    }
}

/// What every request handler can reach. Holds no per-user state: that is
/// in the database, so any number of processes can serve the same users.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub keys: Keys,
    pub settings: Arc<WebSettings>,
    pub clock: Clock,
    /// The identity providers, their metadata and keys fetched at first use.
    oidc: Arc<access::openid::registry::Registry>,
    translations: Arc<i18n::Translations>,
    metrics: Arc<metrics::Metrics>,
    refreshing_dashboards: Arc<statistics::kept::Refreshing>,
}

impl AppState {
    pub fn new(store: Store, keys: Keys, settings: WebSettings, clock: Clock) -> Result<Self, String> {
        Ok(Self {
            store,
            keys,
            oidc: access::openid::registry::Registry::new(settings.oidc_providers.clone())?,
            settings: Arc::new(settings),
            clock,
            translations: i18n::Translations::load()?,
            metrics: Arc::new(metrics::Metrics::new()),
            refreshing_dashboards: Arc::default(),
        })
    }
}

/// Serves until the process receives Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
